"""Errors raised by the engine layer.

Configuration-language errors are pktlab.lang.ConfigError; EngineError is
what the native engine reports (unknown class, bad argument, bad port,
handler failures), located at the element's configuration when known.
"""

from __future__ import annotations


class EngineError(Exception):
    """An error reported by the native engine.

    Attributes: kind ("configuration", "class", "graph", "handler", ...),
    element (flat name), keyword (configuration keyword or handler), loc
    (pktlab.graph.Loc, when known: of the element's class for "class" and
    "configuration" errors, else of its declaration), message, hint (a
    suggestion, also at the end of the message).
    """

    def __init__(self, message, *, kind="error", element=None, keyword=None, loc=None,
                 line=None, col=None, hint=None):
        self.message = message
        self.hint = hint
        self.kind = kind
        self.element = element
        self.keyword = keyword
        self.loc = loc
        self.line = line
        self.col = col
        super().__init__(self._format())

    def _format(self) -> str:
        where = ""
        if self.loc is not None:
            where = f"{self.loc}: "
        elif self.line:
            where = f"<config>:{self.line}:{self.col or 1}: "
        # The element leads the message unless the message already starts with it
        # (a name that merely appears inside it, as 'c' in "class", still leads).
        who = (f"{self.element}: " if self.element and
               not self.message.startswith(f"{self.element}: ") else "")
        return f"{where}{who}{self.message}"


def unknown_class(element, classes) -> EngineError:
    """The error for an element whose class the engine lacks, with the
    nearest class name as a suggestion, located at the class."""
    import difflib

    near = difflib.get_close_matches(element.cls, list(classes), n=1)
    hint = f"did you mean '{near[0]}'?" if near else None
    return EngineError(f"unknown element class '{element.cls}'" + (f"; {hint}" if hint else ""),
                       kind="class", element=element.name, hint=hint,
                       loc=getattr(element, "cls_loc", None) or getattr(element, "loc", None))


def locator(graph):
    """locate(element, kind) for _lib.check: where an error about an element
    of `graph` points (its class for class and configuration errors)."""
    def locate(name: str, kind: str):
        el = graph.elements.get(name)
        if el is None:
            return None
        if kind in ("class", "configuration") and getattr(el, "cls_loc", None) is not None:
            return el.cls_loc
        return getattr(el, "loc", None)
    return locate
