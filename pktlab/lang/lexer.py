"""The Click lexer: tokens, configuration strings, comments, line directives.

Token rules follow Click's lib/lexer.cc. Identifiers are runs of letters,
digits, '_' and '@' joined by single '/' (so "a//b" is "a" and a comment);
digits alone are identifiers too (port numbers are lexed that way).
Configuration strings are not tokenized: after '(' the parser asks for the
raw text up to the unbalanced ')', skipping quotes, comments and `\\<hex>`.

A '#' in column 1 starts a C-preprocessor line directive (`# 12 "file"` or
`#line 12 "file"`) that renames the following lines for error messages; any
other '#' line is an error, as in Click.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ..graph import Loc
from .confstr import skip_angle, skip_dquote, unquote
from .errors import Reporter

KEYWORDS = frozenset({"elementclass", "require", "provide", "define"})

_SPACE = re.compile(r"[ \t\n\v\f]*")
_TOKEN = re.compile(r"""
    (?P<ident>[A-Za-z0-9_@]+(?:/[A-Za-z0-9_@]+)*)
  | (?P<var>\$[A-Za-z0-9_]+)
  | (?P<op>->|=>|::|\|\||\.\.\.)
""", re.VERBOSE)
_CONFIG_STOP = re.compile(r"""[()'"/\\\n#]""")
_DIRECTIVE = re.compile(r'[ \t]*(?:line[ \t]+)?([0-9]+)[ \t]*(?:"((?:[^"\\\n]|\\.)*)"?)?')


@dataclass(slots=True)
class Token:
    """kind: "ident", "var", "eof", an operator ("->", "=>", "::", "||",
    "..."), a keyword, or the character itself for single characters."""

    kind: str
    text: str
    pos: int

    def describe(self) -> str:
        return "end of input" if self.kind == "eof" else f"'{self.text}'"


def scan_config(text: str, pos: int) -> tuple[int, list[int]]:
    """Find the end of a configuration string starting at `pos` (just after '(').

    Returns (index of the closing ')' or len(text) if there is none, positions
    of '#' line directives met on the way).
    """
    n = len(text)
    depth = 1
    directives: list[int] = []
    search = _CONFIG_STOP.search
    while True:
        m = search(text, pos)
        if m is None:
            return n, directives
        i = m.start()
        c = text[i]
        if c == "(":
            depth += 1
            pos = i + 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i, directives
            pos = i + 1
        elif c == "\n":
            pos = i + 1
        elif c == "#":
            if i > 0 and text[i - 1] == "\n":
                directives.append(i)
                j = text.find("\n", i)
                pos = n if j < 0 else j
            else:
                pos = i + 1
        elif c == "/":
            if text.startswith("//", i):
                j = text.find("\n", i + 2)
                pos = n if j < 0 else j
            elif text.startswith("/*", i):
                j = text.find("*/", i + 2)
                pos = n if j < 0 else j + 2
            else:
                pos = i + 1
        elif c == "'":
            j = text.find("'", i + 1)
            pos = n if j < 0 else j + 1
        elif c == '"':
            pos = skip_dquote(text, i)
        else:  # backslash
            pos = skip_angle(text, i + 2) if text.startswith("\\<", i) else i + 1


class Lexer:
    """Tokens on demand, with pushback; positions map to Locs lazily."""

    def __init__(self, text: str, filename: str, reporter: Reporter):
        self.text = text.replace("\r\n", "\n").replace("\r", "\n")
        self.filename = filename
        self.reporter = reporter
        self.pos = 0
        self.pushback: list[Token] = []
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        # Line directives: from physical line _seg_phys[k] on, lines are named
        # _seg_file[k] and numbered from _seg_line[k].
        self._seg_phys = [0]
        self._seg_file = [filename]
        self._seg_line = [1]
        reporter.add_source(self.source_line_of)

    # ---- locations ------------------------------------------------------

    def loc(self, pos: int) -> Loc:
        phys = bisect.bisect_right(self._line_starts, pos) - 1
        k = bisect.bisect_right(self._seg_phys, phys) - 1
        return Loc(self._seg_file[k], self._seg_line[k] + phys - self._seg_phys[k],
                   pos - self._line_starts[phys] + 1)

    def source_line_of(self, loc: Loc) -> str | None:
        """The text of the line `loc` names, if it lies in this lexer's input."""
        for k, file in enumerate(self._seg_file):
            if file != loc.file:
                continue
            phys = self._seg_phys[k] + loc.line - self._seg_line[k]
            limit = self._seg_phys[k + 1] if k + 1 < len(self._seg_phys) else len(self._line_starts)
            if self._seg_phys[k] <= phys < limit:
                start = self._line_starts[phys]
                end = self.text.find("\n", start)
                return self.text[start:] if end < 0 else self.text[start:end]
        return None

    def error(self, pos: int, message: str) -> None:
        self.reporter.error(self.loc(pos), message)

    # ---- tokens ---------------------------------------------------------

    def next(self) -> Token:
        if self.pushback:
            return self.pushback.pop()
        text = self.text
        pos = self._skip_space(self.pos)
        if pos >= len(text):
            self.pos = pos
            return Token("eof", "", pos)
        m = _TOKEN.match(text, pos)
        if m is None:
            tok = Token(text[pos], text[pos], pos)
        elif m.lastgroup == "ident":
            word = m.group()
            tok = Token(word if word in KEYWORDS else "ident", word, pos)
        elif m.lastgroup == "var":
            tok = Token("var", m.group(), pos)
        else:
            tok = Token(m.group(), m.group(), pos)
        self.pos = pos + len(tok.text)
        return tok

    def unlex(self, tok: Token) -> None:
        self.pushback.append(tok)

    def peek(self) -> Token:
        tok = self.next()
        self.pushback.append(tok)
        return tok

    def _skip_space(self, pos: int) -> int:
        text = self.text
        n = len(text)
        while True:
            pos = _SPACE.match(text, pos).end()
            if pos >= n:
                return pos
            c = text[pos]
            if c == "/" and pos + 1 < n and text[pos + 1] in "/*":
                if text[pos + 1] == "/":
                    j = text.find("\n", pos)
                    pos = n if j < 0 else j
                else:
                    j = text.find("*/", pos + 2)
                    if j < 0:
                        self.error(pos, "unterminated '/*' comment")
                        return n
                    pos = j + 2
            elif c == "#" and (pos == 0 or text[pos - 1] == "\n"):
                pos = self._directive(pos)
            else:
                return pos

    def _directive(self, pos: int) -> int:
        """Apply the line directive at `pos`; return the end of its line."""
        text = self.text
        eol = text.find("\n", pos)
        eol = len(text) if eol < 0 else eol
        m = _DIRECTIVE.match(text, pos + 1, eol)
        if m is None:
            self.error(pos, "unknown preprocessor directive (comments start with '//')")
            return eol
        phys = bisect.bisect_right(self._line_starts, pos)  # the line after the directive
        k = bisect.bisect_right(self._seg_phys, phys)
        if self._seg_phys[k - 1] == phys:  # seen before (re-lexed): replace
            k -= 1
            del self._seg_phys[k], self._seg_file[k], self._seg_line[k]
        filename = self._seg_file[k - 1]
        if m.group(2) is not None:
            filename = unquote('"' + m.group(2) + '"') or self.filename
        self._seg_phys.insert(k, phys)
        self._seg_file.insert(k, filename)
        self._seg_line.insert(k, int(m.group(1)))
        return eol

    def config(self, open_paren: Token) -> tuple[str, bool]:
        """The raw configuration string after `open_paren`.

        Returns (text, closed); leaves the lexer at the closing ')'. Line
        directives inside are applied and removed, as Click does.
        """
        self.pushback.clear()  # anything pushed back lies after the '('
        start = open_paren.pos + 1
        end, directives = scan_config(self.text, start)
        self.pos = end
        if not directives:
            return self.text[start:end], end < len(self.text)
        pieces, seg = [], start
        for d in directives:
            pieces.append(self.text[seg:d])
            seg = self._directive(d)
        pieces.append(self.text[seg:end])
        return "".join(pieces), end < len(self.text)
