"""Errors in Click's words and form, for the Click drop-ins.

pktlab reports a configuration error as `FILE:LINE:COLUMN: message`, with
the source line and a caret, and an element's error as `FILE:LINE:COL:
NAME: message`. Click's tools print `LANDMARK: message`, where the landmark
is `FILE:LINE` (`config` for -e, `<stdin>` for standard input), and wrap an
element's errors in a context line:

    CONFIG:3: While configuring 'x :: Foo':
      KEYWORD: message

Scripts and Click's own test suite read these lines, so this module turns
pktlab's diagnostics into them. Only the form changes, and the few phrases
where pktlab says more than Click (a "did you mean", an "expected ...").
"""

from __future__ import annotations

import re
import sys

_PREVIOUS = re.compile(r"^(.*) \(previously declared at (.+):(\d+):\d+\)$")
_SYNTAX = re.compile(r"^(syntax error near '.*?')(?:; .*)?$")


def landmark(loc) -> str:
    """`FILE:LINE` for a pktlab.graph.Loc (Click's landmarks carry no column)."""
    if loc is None:
        return ""
    return f"{loc.file}:{loc.line}" if loc.line else str(loc.file)


def _click_message(message: str) -> str:
    message = message.split("; did you mean", 1)[0]
    m = _SYNTAX.match(message)
    return m.group(1) if m else message


def config_error_lines(err) -> list[str]:
    """A pktlab.lang.ConfigError as Click's lexer reports it, one line each."""
    lines = []
    for d in err.diagnostics:
        where = landmark(d.loc)
        message = _click_message(d.message)
        m = _PREVIOUS.match(message)
        if m:
            lines.append(f"{where}: {m.group(1)}")
            name = re.search(r"'([^']*)'", m.group(1))
            lines.append(f"{m.group(2)}:{m.group(3)}: element "
                         f"'{name.group(1) if name else '?'}' previously declared here")
            continue
        lines.append(f"{where}: {message}" if where else message)
    return lines


def _context(graph, name: str) -> str:
    el = graph.elements.get(name)
    if el is None:
        return f"While configuring '{name}':"
    where = landmark(el.loc)
    return f"{where + ': ' if where else ''}While configuring '{el.name} :: {el.cls}':"


def element_message_lines(msgs, graph, warnings: bool = True) -> list[str]:
    """Engine.messages() in Click's form: each element's messages under one
    "While configuring" line, indented; warnings marked (and left out when
    `warnings` is false: click -w)."""
    lines: list[str] = []
    last = None
    for name, level, text in msgs:
        if level == "warning" and not warnings:
            continue
        if name != last:
            lines.append(_context(graph, name))
            last = name
        lines.append(f"  {'warning: ' if level == 'warning' else ''}{text}")
    return lines


def engine_error_lines(err, graph) -> list[str]:
    """A pktlab.engine.EngineError as Click's router reports it."""
    el = graph.elements.get(err.element) if err.element else None
    where = landmark(el.loc) if el is not None and el.loc is not None else ""
    message = err.message
    if err.element and message.startswith(f"{err.element}: "):
        message = message[len(err.element) + 2:]
    prefix = f"{where}: " if where else ""
    if err.kind == "class":
        return [prefix + _click_message(message)]
    if err.kind == "graph" or el is None:
        return [prefix + message, "Router could not be initialized!"]
    msgs = getattr(err, "messages", [])
    lines = element_message_lines(msgs, graph)
    if not msgs or msgs[-1][0] != el.name:
        lines.append(f"{prefix}While configuring '{el.name} :: {el.cls}':")
    lines += [f"  {line}" for line in message.splitlines() or ["unspecified error"]]
    lines.append("Router could not be initialized!")
    return lines


def report(lines: list[str]) -> None:
    for line in lines:
        sys.stderr.write(line + "\n")
    sys.stderr.flush()
