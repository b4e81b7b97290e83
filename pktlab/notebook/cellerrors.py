"""Mistakes in a %%click cell, shown as the editor numbers them.

A configuration error (pktlab.lang.ConfigError) already carries
FILE:LINE:COL, the line and a caret. An engine error (unknown class, bad
argument) gets them here from its location: the class of a class or
configuration error, or the keyword inside the element's parentheses when
the cell writes it there; the suggestion ("did you mean 'Counter'?") is part
of the message. IPython shows CellError's text, never a traceback.
"""

from __future__ import annotations

__all__ = ["CellError", "error_text"]


class CellError(Exception):
    """A configuration mistake: IPython shows the text, not a traceback."""

    def __init__(self, text: str):
        super().__init__(text)
        self.text = text

    def _render_traceback_(self):
        return self.text.splitlines()


def _caret(text: str, line: int, col: int) -> str:
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        return ""
    src = lines[line - 1]
    pad = "".join(c if c == "\t" else " " for c in src[: max(col - 1, 0)])
    return f"\n    {src}\n    {pad}^"


def _keyword_at(e, text: str, graph) -> tuple[int, int] | None:
    """Line and column of the keyword an error names, inside its element's
    parentheses, when the cell writes it there."""
    import re

    el = graph.elements.get(e.element or "") if graph is not None else None
    span = getattr(el, "config_span", None)
    if not e.keyword or span is None:
        return None
    m = re.search(rf"(?<![A-Za-z0-9_]){re.escape(e.keyword)}(?![A-Za-z0-9_])",
                  text[span[0]:span[1]])
    if m is None:
        return None
    at = span[0] + m.start()
    line = text.count("\n", 0, at) + 1
    return line, at - (text.rfind("\n", 0, at) + 1) + 1


def error_text(e: Exception, text: str, graph=None) -> str:
    """ConfigError already carries carets; EngineError gets one from its
    location: the class of a class or configuration error, or the keyword
    when the cell writes it."""
    from ..engine import EngineError

    if isinstance(e, EngineError):
        loc = e.loc
        line, col = (loc.line, loc.col) if loc is not None else (e.line, e.col)
        message = str(e)
        at = _keyword_at(e, text, graph)
        if at is not None and loc is not None:
            message = message.replace(f"{loc}: ", f"{loc.file}:{at[0]}:{at[1]}: ", 1)
            line, col = at
        return message + (_caret(text, line, col or 1) if line else "")
    return str(e)
