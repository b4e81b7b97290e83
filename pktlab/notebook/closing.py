"""Closing ipywidgets for good.

`Widget.close()` closes one widget's comm; its children, its `layout` and
its `style` are widgets of their own and stay open (and in
`ipywidgets.Widget.widgets`) until closed too. A %%click cell run fifty times
must leave what one run leaves, so every face closes its whole tree here.
"""

from __future__ import annotations

__all__ = ["close_tree"]


def close_tree(w) -> None:
    """Close an ipywidget, every widget inside it, and their layouts and
    styles (their comms: the page drops their views, the kernel frees them).
    Closing twice is harmless."""
    if w is None or (hasattr(w, "comm") and w.comm is None):
        return
    for child in getattr(w, "children", ()) or ():
        close_tree(child)
    parts = [getattr(w, name, None) for name in ("layout", "style")]
    close = getattr(w, "close", None)
    if close is not None:
        close()
    for part in parts:
        if part is not None and hasattr(part, "comm"):
            close_tree(part)
