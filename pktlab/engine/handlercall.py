"""Handler calls by name, as Click writes them: `elem.handler [ARGS]`, or a
global handler alone (`config`, `list`, `stop`, ...).

    eng.read_handler("c.count")                # an element's handler
    eng.read_handler("ar.lookup 1.0.0.1")      # a read handler with a parameter
    eng.read_handler("flatconfig")             # a global handler
    eng.write_handler("stop")

The global handlers are Click's root element's: `config` and `flatconfig`
(the flat configuration, as click-flatten writes it), `list` (the number
of elements, then their names), `classes`, `version`, `handlers`, and
`stop` (write: stop the driver, as Click's DriverManager `stop` does).
The native engine answers those it can (native/core/handlers.c); the
configuration text is this side's, which holds the graph.
"""

from __future__ import annotations

from ._lib import lib
from .errors import EngineError

TEXT_GLOBALS = ("config", "flatconfig", "requirements")


def split(spec: str) -> tuple[str | None, str, str]:
    """(element or None for a global handler, handler, argument text)."""
    head, _, args = spec.strip().partition(" ")
    element, dot, handler = head.rpartition(".")
    if not dot:
        return None, head, args.strip()
    return element, handler, args.strip()


def _text_global(eng, handler: str) -> str:
    if handler == "requirements":
        return "".join(f"{r}\n" for r in eng.graph.requirements)
    from ..lang import unparse

    return unparse(eng.graph)


def read(eng, spec: str) -> str:
    element, handler, args = split(spec)
    if element is None:
        if handler in TEXT_GLOBALS and not args:
            return _text_global(eng, handler)
        return eng._read(lib.PL_ROOT_ELEMENT, handler + (f" {args}" if args else ""))
    if element not in eng:
        raise EngineError(f"no element named '{element}'", kind="handler", element=element,
                          keyword=handler)
    return eng[element].read(handler + (f" {args}" if args else ""))


def write(eng, spec: str, value: str = "") -> None:
    element, handler, args = split(spec)
    if args:
        value = f"{args} {value}".strip() if value else args
    if element is None:
        if handler in TEXT_GLOBALS:
            raise EngineError(f"handler '{handler}' is read-only", kind="handler",
                              keyword=handler)
        eng._write(lib.PL_ROOT_ELEMENT, handler, value)
        return
    if element not in eng:
        raise EngineError(f"no element named '{element}'", kind="handler", element=element,
                          keyword=handler)
    try:
        eng[element].write(handler, value)
    except EngineError as e:
        if handler != "config" or e.kind != "state":
            raise
        reconfigure(eng, element, value)


def reconfigure(eng, element: str, config: str) -> None:
    """`ELEMENT.config` written with more than live parameters changed: the
    element is rebuilt with the new configuration and swapped in by a live
    change, taking the old one's state (Click's live reconfiguration)."""
    graph = eng.graph.copy()
    graph.elements[element].config = config
    eng.apply(graph, label=f"{element}.config")
