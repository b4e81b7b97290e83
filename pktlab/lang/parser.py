"""The Click parser: statements into Compound scopes, nothing expanded yet.

Structure and decisions follow Click's Lexer (lib/lexer.cc): the same
statement forms, the same implicit `input`/`output` at the ends of chains
inside compounds and groups, the same element numbering and errors. It keeps
going after an error, so the user sees all of them.

One thing differs by necessity: Click knows every element class, pktlab's
parser does not (the engine does). Click reads an undeclared identifier in a
connection as an anonymous element when it names a class, and as an error
otherwise. Here a name that is a visible `elementclass` or one of `classes`
(when the caller gives them) is a class; without `classes`, an undeclared
name that starts with an upper-case letter is taken as a class (Click's
naming convention), anything else is "undeclared element".
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from ..graph import Loc
from .args import parse_int
from .compound import GROUP, TUNNEL, ClassRef, Compound
from .directives import Directives
from .errors import Reporter
from .lexer import Lexer, Token
from .ports import Ref, connect_all
from .scopes import Scopes

PROVIDED_PACKAGES = frozenset({"pktlab"})
MAX_DEPTH = 50  # nested compounds and groups; keeps recursion far from Python's limit

_STATEMENT_START = frozenset({"ident", "{", "}", "[", ")", "||", "elementclass", "require",
                              "provide", "define"})
_ALL_DIGITS = re.compile(r"(?:^|/)[0-9]+(?:/|$)")


class Abort(Exception):
    """Internal: parsing cannot usefully continue (nesting too deep)."""


@dataclass(slots=True)
class _Pending:
    """An element as written in a connection, before it is resolved."""

    name: str
    cls: ClassRef | None  # set when `name` itself is a class (anonymous element)
    loc: Loc
    pos: int
    inports: list[int]
    outports: list[int] = field(default_factory=list)
    decl: ClassRef | None = None  # "name :: decl"
    config: str = ""
    bare: bool = True  # no "::" and no configuration
    implicit: bool = False
    cls_loc: Loc | None = None  # where its class is written
    span: tuple[int, int] | None = None  # its configuration's text, as offsets


def _hint(name: str, candidates) -> str:
    close = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.5)
    return f"; did you mean '{close[0]}'?" if close else ""


class Parser(Directives, Scopes):
    """One configuration (and the libraries it requires) into the scope `top`."""

    def __init__(self, reporter: Reporter, classes=None, provided=PROVIDED_PACKAGES):
        self.r = reporter
        self.classes = frozenset(classes) if classes is not None else None
        self.forced: set[str] = set()  # without `classes`: names taken as primitive classes
        self.provided = provided
        self.top = Compound("", None, 0)
        self.c = self.top  # the scope being filled
        self.class_scopes: list[dict[str, ClassRef]] = [{}]
        self.nesting = 0
        self.groups = 0
        self.requirements: list[str] = []
        self.libraries: set[str] = set()
        self.open_library = None   # path -> text for require(library ...); None: open the file
        self.library_depth = 0
        self.lex: Lexer | None = None

    def parse(self, text: str, filename: str) -> Compound:
        self.lex = Lexer(text, filename, self.r)
        try:
            self.statements("file")
        except Abort:
            pass
        return self.top

    # ---- helpers ---------------------------------------------------------

    def err(self, where: Token | int, message: str) -> None:
        self.lex.error(where if isinstance(where, int) else where.pos, message)

    def syntax_error(self, t: Token, expected: str = "") -> None:
        more = f"; expected {expected}" if expected else ""
        self.err(t, f"syntax error near {t.describe()}{more}")

    def loc(self, t: Token) -> Loc:
        return self.lex.loc(t.pos)

    def enter(self, t: Token) -> None:
        self.nesting += 1
        if self.nesting > MAX_DEPTH:
            self.err(t, f"compounds and groups nested more than {MAX_DEPTH} deep")
            raise Abort

    def lookup_class(self, name: str) -> ClassRef | None:
        for scope in reversed(self.class_scopes):
            if name in scope:
                return scope[name]
        return None

    def element_type(self, name: str) -> ClassRef | None:
        """The class `name` denotes when used in a connection, if it is one."""
        cls = self.lookup_class(name)
        if cls is None and name in (self.classes if self.classes is not None else self.forced):
            cls = name
        return cls

    def force_class(self, name: str, t: Token) -> ClassRef:
        """The class `name` denotes after '::' (anything not defined is primitive)."""
        cls = self.lookup_class(name)
        if cls is not None:
            return cls
        if self.classes is not None and name not in self.classes:
            self.err(t, f"unknown element class '{name}'{_hint(name, self.classes)}")
        elif self.classes is None and name not in self.forced:
            # as click-flatten (LexerT): a class once named stays one, file-wide
            if name in self.c.element_map:
                self.err(t, f"'{name}' was previously used as an element name")
            self.forced.add(name)
        return name

    def read_config(self, open_paren: Token) -> str:
        text, closed = self.lex.config(open_paren)
        start = open_paren.pos + 1
        # the offsets of the text as written (none where line directives changed it)
        self.last_span = (start, start + len(text)) if \
            self.lex.text[start:start + len(text)] == text else None
        if closed:
            self.lex.next()  # the ')'
        else:
            self.err(open_paren, "unterminated configuration string: missing ')'")
        return text

    # ---- statements ------------------------------------------------------

    def statements(self, kind: str) -> Token:
        """Parse statements of a file, compound or group; return the closing token."""
        while True:
            t = self.lex.next()
            k = t.kind
            if k in ("ident", "[", "{", "(", "->", "=>"):
                self.lex.unlex(t)
                self.connection()
                if self.lex.peek() is t:  # never loop in place
                    self.syntax_error(self.lex.next(), "a statement")
            elif k == "elementclass":
                self.parse_elementclass()
            elif k in ("require", "define", "provide"):
                getattr(self, f"directive_{k}")(t)
            elif k == ";":
                pass
            elif k in ("}", "||"):
                if kind == "compound":
                    return t
                self.syntax_error(t, "a statement")
                if kind == "group":
                    self.lex.unlex(t)
                    return t
            elif k == ")" and kind == "group":
                return t
            elif k == "eof":
                if kind != "file":
                    self.err(t, f"expected '{')' if kind == 'group' else '}'}'")
                return t
            else:
                self.syntax_error(t, "a statement")

    def connection(self) -> None:
        last: list[Ref] | None = None
        arrow: Token | None = None
        while True:
            refs = self.element_list(first=last is None)
            if refs is None:
                break
            if last is None:
                if any(r.inports for r in refs):
                    self.err(refs[0].pos, "input ports ignored at start of chain")
            else:
                loc = self.loc(arrow)
                connect_all(last, refs, arrow.kind == "=>",
                            lambda fi, fp, ti, tp, c=self.c, at=loc: c.connect(fi, fp, ti, tp, at),
                            lambda msg, a=arrow: self.err(a, msg))
            last = refs
            t = self.lex.next()
            while t.kind in (",", "::"):
                self.syntax_error(t, "'->' or ';'")
                t = self.lex.next()
            if t.kind in ("->", "=>"):
                arrow = t
                continue
            if t.kind in _STATEMENT_START or t.kind == "eof":
                self.lex.unlex(t)
            elif t.kind != ";":
                self.syntax_error(t, "'->' or ';'")
            if any(r.outports for r in last):
                self.err(t, "output ports ignored at end of chain")
            return

    def element_list(self, first: bool) -> list[Ref] | None:
        pending: list[_Pending] = []
        while True:
            e = self.one_element(first, len(pending))
            if e is None:
                break
            pending.append(e)
            t = self.lex.next()
            if t.kind != ",":
                self.lex.unlex(t)
                break
        if not pending:
            return None
        nxt = self.lex.peek()
        arrow = nxt.kind in ("->", "=>")
        if not first and arrow and any(e.implicit for e in pending):
            self.err(nxt, "implicit ports used in the middle of a chain")
        if (len(pending) > 1 and first and not arrow
                and not any(e.inports or e.outports or e.implicit for e in pending)):
            # "a, b :: Counter(1)" declares both
            decl = next(e for e in pending if not e.bare or e is pending[-1])
            if decl is pending[-1] and decl.decl is not None:
                for e in pending[:-1]:
                    e.decl, e.config = decl.decl, decl.config
        return [self.resolve(e) for e in pending]

    def one_element(self, first: bool, index: int) -> _Pending | None:
        """[ports] (name | Class | {compound} | (group)) [:: Class] [(config)] [ports]"""
        inports = self.ports()
        t = self.lex.next()
        if t.kind == "ident":
            return self.element_rest(_Pending(t.text, self.element_type(t.text), self.loc(t),
                                              t.pos, inports))
        if t.kind == "{":
            cls = self.parse_compound("", t)
            return self.element_rest(_Pending("", cls, self.loc(t), t.pos, inports))
        if t.kind == "(":
            name, ins, outs = self.parse_group(inports, t)
            return self.element_rest(_Pending(name, None, self.loc(t), t.pos, ins), outs)
        nested = self.c.depth > 0 or self.groups > 0
        implicit = False
        if nested and t.kind in ("->", "=>"):
            implicit = first and (bool(inports) or index == 0)
        elif nested and t.kind == ",":
            implicit = bool(inports)
        elif nested and t.kind != "::":
            implicit = not first and (bool(inports) or index == 0)
        if implicit:
            # "-> x" inside a compound means "input -> x"; "x ->" means "x -> output".
            self.lex.unlex(t)
            if first:
                return _Pending("input", None, self.loc(t), t.pos, [], inports, implicit=True)
            return _Pending("output", None, self.loc(t), t.pos, inports, implicit=True)
        if inports:
            self.err(t, "stranded port ignored")
        if index == 0 and nested and first:
            self.lex.unlex(t)
        else:
            self.syntax_error(t, "an element")
            if index:
                self.lex.unlex(t)
        return None

    def element_rest(self, e: _Pending, implied_outports: list[int] | None = None) -> _Pending:
        t = self.lex.next()
        if t.kind == "::":
            e.bare = False
            t = self.lex.next()
            if t.kind == "ident":
                e.decl = self.force_class(t.text, t)
                e.cls_loc = self.loc(t)
                t = self.lex.next()
            elif t.kind == "{":
                e.decl = self.parse_compound("", t)
                t = self.lex.next()
            else:
                self.err(t, "missing element type in declaration")
                e.decl = e.name
        if t.kind == "(":
            if e.decl is None and e.cls is None and e.name in self.c.element_map:
                self.err(t, "configuration string ignored on element reference")
            e.config = self.read_config(t)
            e.span = self.last_span
            e.bare = False
            t = self.lex.next()
        self.lex.unlex(t)
        e.outports = self.ports() if t.kind == "[" else (implied_outports or [])
        return e

    def ports(self) -> list[int]:
        """`[p, q, ...]`, with ranges `[0-2]` and an open range `[1-]` (Click's
        yport); a trailing ',' or '-', or an empty `[]`, makes the list
        expandable (-1)."""
        t = self.lex.next()
        if t.kind != "[":
            self.lex.unlex(t)
            return []
        ports: list[int] = []
        dash = False
        while True:
            t = self.lex.next()
            if t.kind == "ident":
                port = self._port_number(t)
                if dash and ports:
                    ports.extend(range(ports[-1] + 1, port + 1))
                else:
                    ports.append(port)
            elif t.kind == "]":
                ports.extend([0, -1] if not ports else [-1])
                return ports
            else:
                self.err(t, "syntax error: expected port number")
                self.lex.unlex(t)
                return ports
            t = self.lex.next()
            if t.kind == "]":
                return ports
            if t.kind == "-" and not dash:
                dash = True
            elif t.kind == ",":
                dash = False
            else:
                self.err(t, "syntax error: expected ','")
                self.lex.unlex(t)

    def _port_number(self, t: Token) -> int:
        try:
            v = parse_int(t.text)
        except ValueError:
            self.err(t, "syntax error: port number should be integer")
            return 0
        if v >= 1 << 31:
            self.err(t, "port number too large")
            return 0
        return v

    def resolve(self, e: _Pending) -> Ref:
        """Turn a written element into an index in the scope (Click's yelement_next)."""
        c = self.c
        existing = c.element_map.get(e.name)
        if e.cls is not None or existing is None:
            cls = e.cls
            if e.decl is not None and (cls is not None or _class_name(e.decl) == e.name):
                self.r.error(e.loc, f"class '{e.name}' used as element name")
            elif e.decl is None and cls is None:
                if self.classes is None and "A" <= e.name[:1] <= "Z":
                    cls = e.name  # an anonymous element of a primitive class
                    self.forced.add(cls)
                else:
                    known = [n for n in c.element_map if not n.startswith(";")]
                    known += sorted(self.classes or ())
                    self.r.error(e.loc, f"undeclared element '{e.name}'{_hint(e.name, known)}")
                    cls = e.name
            if cls is not None:
                idx = c.add(c.anon_name(e.name), cls, e.config, e.loc, e.loc, e.span)
            else:
                if _ALL_DIGITS.search(e.name):
                    self.r.error(e.loc, f"element name '{e.name}' has all-digit component")
                idx = c.add(e.name, e.decl, e.config, e.loc, e.cls_loc, e.span)
        else:
            idx = existing
            if e.decl is not None:
                prev = c.decls[existing]
                where = f" (previously declared at {prev.loc})" if prev.cls is not TUNNEL else ""
                self.r.error(e.loc, f"redeclaration of element '{e.name}'{where}")
        return Ref(idx, e.inports, e.outports, e.pos)


def _class_name(cls: ClassRef) -> str | None:
    return cls if isinstance(cls, str) else getattr(cls, "name", None)


__all__ = ["GROUP", "PROVIDED_PACKAGES", "TUNNEL", "Abort", "Parser"]
