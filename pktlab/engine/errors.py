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
    (pktlab.graph.Loc of the element's declaration, when known), message.
    """

    def __init__(self, message, *, kind="error", element=None, keyword=None, loc=None,
                 line=None, col=None):
        self.message = message
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
        who = f"{self.element}: " if self.element and self.element not in self.message else ""
        return f"{where}{who}{self.message}"
