"""What the parser builds: scopes of declarations and connections.

A Compound is one body of Click statements with its own element namespace:
the whole file, or one overload of a compound class (`{ ... || ... }`). It
mirrors Click's Lexer::Compound so that element numbering, anonymous names
and pseudo-port checks come out exactly as in Click:

* elements 0 and 1 of a compound class are the `input` and `output`
  pseudo-elements, so its first anonymous element is numbered 1;
* anonymous elements are recorded as ";Class@N" (N = index - offset + 1) and
  renamed "Class@N" (bumping N past taken names) when the body is finished —
  or, in the file scope, when the router is expanded;
* an element group `( ... )` adds three tunnel entries (the group, then its
  /input and /output), which take part in the numbering like elements.

A class reference (`ClassRef`) is a primitive class name (str), a Compound
(the first overload), or a tunnel marker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Union

from ..graph import Loc
from .errors import Reporter


class _Marker:
    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return self.name


TUNNEL = _Marker("<tunnel>")  # input/output pseudo-elements, expanded compounds
GROUP = _Marker("<group>")  # first of the three tunnel entries of an element group

ClassRef = Union[str, "Compound", _Marker]


@dataclass(slots=True)
class Decl:
    name: str
    cls: ClassRef
    config: str
    loc: Loc | None
    cls_loc: Loc | None = None          # where the class is written
    span: tuple[int, int] | None = None  # the configuration's offsets in the file's text


_KEYWORD_ARG = re.compile(r"([A-Za-z0-9_.:?!]+)[ \t\n\r\v\f]+(\S.*)", re.DOTALL)


def _keyword_arg(arg: str) -> tuple[str | None, str]:
    """Click's cp_keyword on an argument: "KEY value" -> ("KEY", "value")."""
    m = _KEYWORD_ARG.fullmatch(arg)
    return (m.group(1), m.group(2)) if m else (None, arg)


@dataclass(eq=False)
class Compound:
    name: str  # class name; "" for the file scope and anonymous compounds
    loc: Loc | None
    depth: int  # 0 for the file scope
    decls: list[Decl] = field(default_factory=list)
    element_map: dict[str, int] = field(default_factory=dict)
    conns: list[tuple[int, int, int, int, Loc | None]] = field(default_factory=list)
    nports_in: list[int] = field(default_factory=list)
    nports_out: list[int] = field(default_factory=list)
    formals: list[tuple[str, str]] = field(default_factory=list)  # (keyword or "", variable)
    defines: dict[str, str] = field(default_factory=dict)
    anonymous_offset: int = 0
    ninputs: int = 0
    noutputs: int = 0
    overload: ClassRef | None = None  # next overload, or the class '...' extends
    _tunnel_ports: dict[tuple[int, bool], set[int]] = field(default_factory=dict)

    @classmethod
    def for_class(cls, name: str, loc: Loc | None, depth: int) -> Compound:
        c = cls(name, loc, depth)
        c.add("input", TUNNEL, "", loc)
        c.add("output", TUNNEL, "", loc)
        c.anonymous_offset = 2
        return c

    @property
    def printable_name(self) -> str:
        return self.name or "<anonymous>"

    # ---- elements and connections --------------------------------------

    def anon_name(self, class_name: str) -> str:
        return f";{class_name}@{len(self.decls) - self.anonymous_offset + 1}"

    def add(self, name: str, cls: ClassRef, config: str, loc: Loc | None,
            cls_loc: Loc | None = None, span: tuple[int, int] | None = None) -> int:
        i = len(self.decls)
        self.decls.append(Decl(name, cls, config, loc, cls_loc, span))
        self.element_map[name] = i
        self.nports_in.append(0)
        self.nports_out.append(0)
        return i

    def add_group(self, name: str, loc: Loc | None) -> int:
        g = self.add(name, GROUP, "", loc)
        self.add(name + "/input", TUNNEL, "", loc)
        self.add(name + "/output", TUNNEL, "", loc)
        return g

    def connect(self, fi: int, fp: int, ti: int, tp: int, loc: Loc | None) -> None:
        fp, tp = max(fp, 0), max(tp, 0)
        self.conns.append((fi, fp, ti, tp, loc))
        if self.nports_out[fi] <= fp:
            self.nports_out[fi] = fp + 1
        if self.nports_in[ti] <= tp:
            self.nports_in[ti] = tp + 1
        for idx, port, as_output in ((fi, fp, True), (ti, tp, False)):
            if self.decls[idx].cls is TUNNEL:
                self._tunnel_ports.setdefault((idx, as_output), set()).add(port)

    def check_pseudoelement(self, idx: int, is_output: bool, who: str, loc: Loc | None,
                            reporter: Reporter) -> int:
        """Check an input (is_output=False) or output pseudo-element; return its port count.

        `input` may only be a connection source and `output` only a target,
        and their ports must be used without gaps (Click: "input 1 missing").
        """
        kind = "output" if is_output else "input"
        used = self._tunnel_ports.get((idx, not is_output), set())
        if self._tunnel_ports.get((idx, is_output)):
            other = "input" if is_output else "output"
            reporter.error(loc, f"'{who}' pseudoelement '{kind}' may only be used as {other}")
        n = max(used) + 1 if used else 0
        for p in range(n):
            if p not in used:
                reporter.error(loc, f"'{who}' {kind} {p} missing")
        return n

    def finish(self, reporter: Reporter) -> None:
        """End of a compound body: count its ports, name its anonymous elements."""
        self.ninputs = self.check_pseudoelement(0, False, self.printable_name, self.loc, reporter)
        self.noutputs = self.check_pseudoelement(1, True, self.printable_name, self.loc, reporter)
        for i, d in enumerate(self.decls):
            if d.name.startswith(";"):
                d.name = deanonymize(d.name, self.element_map)
                self.element_map[d.name] = i

    # ---- parameters -----------------------------------------------------

    def define(self, name: str, value: str, keyword: str | None, loc: Loc | None,
               reporter: Reporter) -> None:
        """A formal (keyword is "" or its keyword) or a `define` (keyword None)."""
        if name in self.defines or any(v == name for _, v in self.formals):
            reporter.error(loc, f"parameter '${name}' multiply defined")
            return
        if keyword is None:
            self.defines[name] = value
            return
        if keyword and any(k == keyword for k, _ in self.formals):
            reporter.error(loc, f"repeated keyword parameter '{keyword}' in compound element")
        if self.formals:
            prev = self.formals[-1][0]
            if (not keyword and prev) or prev == "__REST__":
                reporter.error(loc, "compound element parameters out of order (the order is "
                                    "positional, then keywords, then __REST__)")
        self.formals.append((keyword, name))

    def signature(self) -> str:
        args = ", ".join("<arg>" if k == "" else "..." if k == "__REST__" else k
                         for k, _ in self.formals)
        return (f"{self.printable_name}{f'({args})' if args else ''}"
                f"[{plural(self.ninputs, 'input')}, {plural(self.noutputs, 'output')}]")

    def assign(self, args: list[str]) -> list[str] | str:
        """Match instantiation arguments to the formals (Click's cp_assign_arguments).

        Positional formals are mandatory and come first; keyword formals are
        mandatory keywords; __REST__ collects what is left. Returns the value
        of each formal, or a message saying why the arguments do not fit.
        """
        keys = [k for k, _ in self.formals]
        npos = 0
        while npos < len(keys) and keys[npos] == "":
            npos += 1
        if npos == len(keys):
            if len(args) != npos:
                return self._count_error(len(args), npos)
            return list(args)
        rest = keys[-1] == "__REST__"
        kwnames = keys[npos:len(keys) - rest]
        values = [""] * len(keys)
        used = [False] * len(args)
        assigned: set[str] = set()
        supplied = 0
        bad = False
        for i, arg in enumerate(args):
            if supplied >= npos:
                kw, value = _keyword_arg(arg)
                if kw is not None and kw in kwnames:
                    values[keys.index(kw)] = value  # the last one wins, as in Click
                    used[i] = True
                    assigned.add(kw)
                    continue
                if assigned:  # after a keyword, only keywords (or __REST__)
                    bad = bad or not rest
                    continue
            if supplied < npos:
                values[supplied] = arg
                used[i] = True
            supplied += 1
        missing = [k for k in kwnames if k not in assigned]
        if not bad and not missing and npos <= supplied and (supplied == npos or rest):
            if rest:
                values[-1] = ", ".join(a for a, u in zip(args, used, strict=True) if not u)
            return values
        # Explain the failure, most specific reason first.
        strays = [kw for (kw, _), u in zip(map(_keyword_arg, args), used, strict=True)
                  if not u and kw and "A" <= kw[0] <= "Z" and kw not in kwnames]
        if strays and not rest:
            return (f"unknown keyword{'s' if len(strays) > 1 else ''} "
                    f"{', '.join(repr(k) for k in strays)} "
                    f"(its keywords: {', '.join(kwnames) or 'none'})")
        if bad:
            return "positional argument after keyword arguments"
        if missing:
            return f"missing keyword argument{'s' if len(missing) > 1 else ''} {', '.join(missing)}"
        return self._count_error(supplied, npos)

    @staticmethod
    def _count_error(got: int, want: int) -> str:
        return (f"too {'many' if got > want else 'few'} arguments "
                f"(expected {want} positional, got {got})")


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def deanonymize(marked: str, taken: dict[str, int]) -> str:
    """";Class@N" -> "Class@N", or "Class@M" for the first M > N not in `taken`."""
    name = marked[1:]
    if name in taken:
        at = name.rfind("@")
        prefix = name[:at + 1]
        digits = re.match(r"[0-9]*", name[at + 1:]).group()
        n = int(digits) if digits else 0
        while True:
            n += 1
            name = f"{prefix}{n}"
            if name not in taken:
                break
    return name
