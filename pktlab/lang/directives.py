"""The `require`, `define` and `provide` directives.

`require(package X)` checks X against the packages pktlab provides;
`require(library F)` parses F in place, at file scope, once; `define($N v)`
adds parameters to the current scope. Functions of the Parser.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

from .confstr import argvec, shift_spacevec, spacevec, unquote
from .lexer import Lexer, Token

if TYPE_CHECKING:
    from .parser import Parser

_VARIABLE = re.compile(r"\$[A-Za-z0-9_]+")


def _paren(p: Parser, keyword: Token) -> tuple[str, int] | None:
    t = p.lex.next()
    if t.kind != "(":
        p.err(t, f"expected '(' after '{keyword.text}'")
        p.lex.unlex(t)
        return None
    return p.read_config(t), t.pos + 1


def require(p: Parser, keyword: Token) -> None:
    got = _paren(p, keyword)
    if got is None:
        return
    text, base = got
    t = p.lex.next()
    if t.kind != ";":
        p.lex.unlex(t)
    for arg in argvec(text):
        words = spacevec(arg)
        if not words:
            continue
        pos = base + max(text.find(words[0]), 0)
        kind = unquote(words[0])
        if kind not in ("compact_config", "package", "library") and len(words) == 1:
            kind, words = "package", ["package", words[0]]
        if kind == "compact_config" and len(words) == 1:
            p.requirements.append(kind)
        elif kind == "package" and len(words) == 2:
            package = unquote(words[1])
            if package not in p.provided:
                p.err(pos, f"pktlab does not provide package '{package}'")
            p.requirements.append(f"package {package}")
        elif kind == "library" and len(words) == 2:
            library(p, unquote(words[1]), pos)
        else:
            p.err(pos, "syntax error at requirement")


def library(p: Parser, path: str, pos: int) -> None:
    """require(library FILE): parse FILE here, at file scope, once."""
    if p.c.depth or p.groups:
        p.err(pos, "'require(library ...)' must be used at file scope")
        return
    here = p.lex.filename
    base = os.path.dirname(here) if not here.startswith("<") else ""
    full = os.path.join(base, path)
    try:
        key = os.path.realpath(full)
        if key in p.libraries:
            return
        with open(full, encoding="utf-8", errors="replace") as f:
            text = f.read()
    except (OSError, ValueError):
        p.err(pos, f"library '{path}' not found")
        return
    p.libraries.add(key)
    p.requirements.append(f"library {path}")
    saved, p.lex = p.lex, Lexer(text, full, p.r)
    p.statements("file")
    p.lex = saved


def define(p: Parser, keyword: Token) -> None:
    got = _paren(p, keyword)
    if got is None:
        return
    text, base = got
    for arg in argvec(text):
        if not arg:
            continue
        var, value = shift_spacevec(arg)
        pos = base + max(text.find(arg), 0)
        if not _VARIABLE.fullmatch(var):
            p.err(pos, "bad 'define' declaration: not a variable")
            continue
        p.c.define(var[1:], value, None, p.lex.loc(pos), p.r)


def provide(p: Parser, keyword: Token) -> None:
    _paren(p, keyword)  # a tool-level statement; accepted and ignored
