"""The `require`, `define` and `provide` directives.

`require(package X)` checks X against the packages pktlab provides;
`require(library F)` parses F in place, at file scope, once; `define($N v)`
adds parameters to the current scope. Methods of the Parser (a mixin
class it inherits), kept apart to keep each module to one concept.
"""

from __future__ import annotations

import os
import re

from .confstr import argvec, shift_spacevec, spacevec, unquote
from .lexer import Lexer, Token
from .sources import SourceError, read_source

_VARIABLE = re.compile(r"\$[A-Za-z0-9_]+")
MAX_LIBRARY_DEPTH = 16     # require(library ...) inside libraries, this deep at most


class Directives:
    """The directive statements, as methods of the Parser (a mixin)."""

    def _paren(self, keyword: Token) -> tuple[str, int] | None:
        t = self.lex.next()
        if t.kind != "(":
            self.err(t, f"expected '(' after '{keyword.text}'")
            self.lex.unlex(t)
            return None
        return self.read_config(t), t.pos + 1

    def directive_require(self, keyword: Token) -> None:
        got = self._paren(keyword)
        if got is None:
            return
        text, base = got
        t = self.lex.next()
        if t.kind != ";":
            self.lex.unlex(t)
        for arg in argvec(text):
            words = spacevec(arg)
            if not words:
                continue
            pos = base + max(text.find(words[0]), 0)
            kind = unquote(words[0])
            if kind not in ("compact_config", "package", "library") and len(words) == 1:
                kind, words = "package", ["package", words[0]]
            if kind == "compact_config" and len(words) == 1:
                self.requirements.append(kind)
            elif kind == "package" and len(words) == 2:
                package = unquote(words[1])
                if package not in self.provided:
                    self.err(pos, f"pktlab does not provide package '{package}'")
                self.requirements.append(f"package {package}")
            elif kind == "library" and len(words) == 2:
                self.directive_library(unquote(words[1]), pos)
            else:
                self.err(pos, "syntax error at requirement")

    def directive_library(self, path: str, pos: int) -> None:
        """require(library FILE): parse FILE here, at file scope, once."""
        if self.c.depth or self.groups:
            self.err(pos, "'require(library ...)' must be used at file scope")
            return
        here = self.lex.filename
        base = os.path.dirname(here) if not here.startswith("<") else ""
        full = os.path.join(base, path)
        if self.library_depth >= MAX_LIBRARY_DEPTH:
            self.err(pos, f"libraries required more than {MAX_LIBRARY_DEPTH} deep "
                          f"(at '{path}')")
            return
        try:
            key = os.path.realpath(full)
            if key in self.libraries:
                return
            if self.open_library is not None:
                text = self.open_library(full)
            else:
                text = read_source(full, regular_only=True)
        except SourceError as e:
            self.err(pos, f"library {e}")
            return
        except PermissionError as e:
            self.err(pos, str(e))
            return
        except (OSError, ValueError):
            self.err(pos, f"library '{path}' not found")
            return
        self.libraries.add(key)
        self.requirements.append(f"library {path}")
        saved, self.lex = self.lex, Lexer(text, full, self.r)
        self.library_depth += 1
        try:
            self.statements("file")
        finally:
            self.library_depth -= 1
            self.lex = saved

    def directive_define(self, keyword: Token) -> None:
        got = self._paren(keyword)
        if got is None:
            return
        text, base = got
        for arg in argvec(text):
            if not arg:
                continue
            var, value = shift_spacevec(arg)
            pos = base + max(text.find(arg), 0)
            if not _VARIABLE.fullmatch(var):
                self.err(pos, "bad 'define' declaration: not a variable")
                continue
            self.c.define(var[1:], value, None, self.lex.loc(pos), self.r)

    def directive_provide(self, keyword: Token) -> None:
        self._paren(keyword)  # a tool-level statement; accepted and ignored
