"""The engine's log (Print's lines, element warnings) in the notebook, as it
is written.

    log = LogView(eng)      # shown under a %%click cell; pump() reads the engine
    log.lines               # every line read so far (the last `keep`)

The engine keeps 64 KiB of log; the view reads it while the engine runs (a
%%click session pumps it from the sampler thread, about 5 times a second),
so nothing fills up, and says so when lines were lost anyway
(Engine.log_dropped) or when it shows only the last ones. It stays hidden
until there is a line to show.
"""

from __future__ import annotations

import html
import threading
from collections import deque

__all__ = ["LogView"]


class LogView:
    """An ipywidgets HTML view of an engine's log, the last `show` lines."""

    def __init__(self, engine, show: int = 200, keep: int = 10000):
        import ipywidgets as W

        self.engine = engine
        self.show = show
        self.lines: deque[str] = deque(maxlen=keep)
        self.total = 0
        self._lock = threading.Lock()
        self.widget = W.HTML(value="", layout=W.Layout(display="none"))
        self.widget.add_class("pktlab-log")

    def pump(self) -> int:
        """Read what the engine logged since the last call; returns the number
        of new lines."""
        with self._lock:
            text = self.engine.log()
            if not text:
                return 0
            new = text.splitlines()
            self.lines.extend(new)
            self.total += len(new)
            self._render()
            return len(new)

    def _render(self) -> None:
        shown = list(self.lines)[-self.show:]
        head = f"log: {self.total} line{'s' if self.total != 1 else ''}"
        if self.total > len(shown):
            head += f" (the last {len(shown)} shown; all kept lines in .lines)"
        self.widget.value = (f"<div class='pktlab-log-head'>{html.escape(head)}</div>"
                             "<pre class='pktlab-log-lines' style='max-height:12em;"
                             "overflow:auto;margin:0'>"
                             + html.escape("\n".join(shown)) + "</pre>")
        if self.widget.layout.display == "none":
            self.widget.layout.display = ""

    def close(self) -> None:
        from .closing import close_tree

        close_tree(self.widget)
