"""`pktlab check CONFIG...`: what in a configuration pktlab does not support,
found without running it.

Each problem is one line "FILE:LINE:COLUMN: message" (with the source line
and a caret): syntax errors, element classes pktlab lacks, and arguments an
existing class rejects (each element is configured alone in a scratch engine,
which starts no thread and touches no device). Exit status 0 when every file
is supported, 1 when any problem was found, 2 when a file cannot be read.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass

from ..graph import Loc


_UNDECLARED_CLASS = re.compile(r"undeclared element '[A-Z][A-Za-z0-9_@/]*'")
_NOT_HERE = ("DPDK is not initialised",)


@dataclass(frozen=True)
class Problem:
    loc: Loc | None
    kind: str   # "syntax", "class", "argument"; "note": not checkable here, not a problem
    message: str
    source: str | None = None

    def format(self) -> str:
        where = f"{self.loc}: " if self.loc is not None else ""
        text = f"{where}{self.message}"
        if self.loc is not None and self.source is not None:
            line = self.source.rstrip("\n")
            pad = "".join(c if c == "\t" else " " for c in line[: max(self.loc.col - 1, 0)])
            text += f"\n    {line}\n    {pad}^"
        return text


def _source_line(lines: list[str], loc: Loc | None) -> str | None:
    if loc is None or not 1 <= loc.line <= len(lines):
        return None
    return lines[loc.line - 1]


def _keyword_loc(lines: list[str], loc: Loc, keyword: str | None) -> Loc:
    """The location of `KEYWORD` in the element's configuration, when it is
    written there (searched from the element's declaration to its ')')."""
    if not keyword or not 1 <= loc.line <= len(lines):
        return loc
    pat = re.compile(rf"\b{re.escape(keyword)}\b")
    line, col = loc.line, loc.col - 1
    depth = 0
    while line <= len(lines):
        text = lines[line - 1]
        m = pat.search(text, col)
        close = _closing_paren(text, col, depth)
        if m is not None and (close[0] is None or m.start() < close[0]):
            return Loc(loc.file, line, m.start() + 1)
        if close[0] is not None:
            break
        depth = close[1]
        line, col = line + 1, 0
    return loc


def _closing_paren(text: str, start: int, depth: int) -> tuple[int | None, int]:
    """Where the configuration's ')' is on this line (None if not), and the
    parenthesis depth at the end of the line."""
    for i in range(start, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i, 0
    return None, depth


def check_text(text: str, filename: str = "<config>",
               defines: dict[str, str] | None = None) -> list[Problem]:
    """Every unsupported class or argument in one configuration, in order."""
    from ..engine import EngineError, element_classes
    from ..engine.classes import check_element
    from ..lang import ConfigError, parse

    lines = text.splitlines()
    known = set(element_classes())
    problems: list[Problem] = []
    graph = None
    try:
        graph = parse(text, filename, defines, classes=known)
    except ConfigError as e:
        for d in e.diagnostics:
            kind, message = "syntax", d.message
            if message.startswith("unknown element class"):
                kind = "class"
            elif _UNDECLARED_CLASS.match(message):
                # Click calls an unknown class used in a connection an
                # "undeclared element"; by Click's naming convention (an
                # upper-case initial) it is a class pktlab lacks.
                kind = "class"
                message = f"unknown element class '{message.split(chr(39))[1]}'"
            problems.append(Problem(d.loc, kind, message, d.source))
        try:                       # the rest may still be checkable element by element
            graph = parse(text, filename, defines)
        except ConfigError:
            graph = None
    if graph is None:
        return problems
    # the parse with classes located an unknown class at its element's name
    # or at the class; the plain reading places the element on the same line
    addresses = [el for el in graph.elements.values() if el.cls in ("AddressInfo", "PortInfo")]
    # (the same message, less any "; did you mean" suggestion)
    reported = {(p.loc.file, p.loc.line, p.message.split(";")[0]) for p in problems
                if p.loc is not None}
    for el in graph.elements.values():
        if el.cls not in known:
            msg = f"unknown element class '{el.cls}'"
            if el.loc is None or (el.loc.file, el.loc.line, msg) not in reported:
                problems.append(Problem(el.loc, "class", msg, _source_line(lines, el.loc)))
            continue
        try:
            check_element(el.name, el.cls, el.config or "", addresses)
        except EngineError as e:
            if any(m in e.message for m in _NOT_HERE):
                problems.append(Problem(el.loc, "note", f"{el.name} :: {el.cls}: arguments not "
                                        f"checked: {e.message}", _source_line(lines, el.loc)))
                continue
            loc = _keyword_loc(lines, el.loc, e.keyword) if el.loc is not None else None
            who = "" if e.message.startswith(f"{el.name}") else f"{el.name} :: {el.cls}: "
            problems.append(Problem(loc, "argument", f"{who}{e.message}",
                                    _source_line(lines, loc)))
    problems.sort(key=lambda p: (p.loc.line, p.loc.col) if p.loc is not None else (0, 0))
    return problems


def main(paths: list[str], defines: dict[str, str], quiet: bool = False,
         as_json: bool = False) -> int:
    status = 0
    report: dict[str, list[dict]] = {}
    for path in paths:
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
        except OSError as e:
            print(f"pktlab check: {e}", file=sys.stderr)
            status = 2
            continue
        found = check_text(text, path, defines)
        problems = [p for p in found if p.kind != "note"]
        if as_json:
            report[path] = [{"loc": str(p.loc) if p.loc else None, "kind": p.kind,
                             "message": p.message} for p in found]
            status = max(status, 1 if problems else 0)
            continue
        for p in found:
            print(p.format() if p.kind != "note" else "note: " + p.format())
        if problems:
            status = max(status, 1)
            classes = sorted({p.message.split("'")[1] for p in problems if p.kind == "class"})
            summary = f"{path}: {len(problems)} problem(s)"
            if classes:
                summary += f"; classes pktlab lacks: {', '.join(classes)}"
            print(summary, file=sys.stderr)
        elif not quiet:
            print(f"{path}: ok")
    if as_json:
        print(json.dumps(report, indent=2))
    return status
