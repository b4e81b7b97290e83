"""One `%%click NAME`: the engine it runs and the faces that show it.

A Session owns everything shown for its name: the graph widget, the live
controls, the log, the dashboard. There is one per name (magics.SESSIONS),
and one set of faces at a time:

* running the cell again replaces the faces: the earlier outputs are
  replaced by a line saying so, their widgets closed, their listeners gone
  (the sampler keeps one listener per session, the engine one change
  listener), so fifty re-runs leave what one leaves;
* every face follows the engine, whoever changed it (code, a slider, the
  widget's Apply, a re-run, a remote client): one Engine.on_change listener
  refreshes the controls, the widget and the dashboard, and writes the
  cell's text for the running graph (pktlab.notebook.cellsync), which the
  JupyterLab extension puts into the cell (or the widget marks it out of
  date, with an Update button);
* a failed re-run changes nothing: the error is shown above the faces of
  the running engine, shown again when the failed cell is their cell.
"""

from __future__ import annotations

import html
import time
from dataclasses import dataclass, field

from .closing import close_tree

__all__ = ["Session"]

# How often the session's one sampler listener does each thing, in samples.
DASHBOARD_EVERY = 3
LOG_EVERY = 2


def _in_kernel() -> bool:
    from IPython import get_ipython

    return getattr(get_ipython(), "kernel", None) is not None


@dataclass(eq=False)
class Session:
    """One %%click NAME: its engine, sampler and faces."""

    name: str
    text: str                   # the configuration as parsed ("\n" + cell body)
    options: dict
    engine: object
    sampler: object
    cell_id: str | None = None  # the notebook cell it ran from (JupyterLab's id)
    code: str = ""              # that cell's source as it ran
    defines: dict = field(default_factory=dict)
    ran: object = None          # the Graph the cell's text made
    dashboard: object = None
    controls: object = None
    graph_widget: object = None
    log: object = None
    changes: list = field(default_factory=list)
    runs: int = 0
    in_cell: bool = False       # the cell itself is changing the engine: no write-back
    _handles: list = field(default_factory=list)
    _views: list = field(default_factory=list)
    _seen: int = 0

    # ---- the engine -----------------------------------------------------

    def bind(self, engine) -> None:
        """Follow `engine` (a new one after a restart): one change listener."""
        if self.engine is not None and hasattr(self.engine, "off_change"):
            self.engine.off_change(self.on_change)
        self.engine = engine
        if hasattr(engine, "on_change"):
            engine.on_change(self.on_change)
        self._seen = len(getattr(engine, "history", ()))

    def listen(self) -> None:
        """The session's one listener on its sampler (dashboard, log, checks)."""
        self.sampler.unsubscribe(self.tick)
        self.sampler.subscribe(self.tick)

    def on_change(self, change) -> None:
        """Every face reads the engine back after a live change from anywhere."""
        self._seen = len(getattr(self.engine, "history", ()))
        for face in (self.controls, self.dashboard, self.graph_widget):
            if face is None:
                continue
            for method in ("_on_change", "follow"):
                fn = getattr(face, method, None)
                if fn is not None:
                    fn(change)
                    break
        if not self.in_cell:
            self.sync_cell()

    def tick(self, sampler) -> None:
        """On the sampler thread after each sample."""
        n = sampler.samples
        dash, log = self.dashboard, self.log
        if dash is not None and n % DASHBOARD_EVERY == 0:
            dash.update(sampler)
        if log is not None and n % LOG_EVERY == 0:
            log.pump()
        # A change that reached the history without reaching the listener
        # (an engine that records changes but has no on_change): catch up.
        if n % max(int(sampler.hz), 1) == 0:
            seen = len(getattr(self.engine, "history", ()))
            if seen != self._seen and self.engine.history:
                self.on_change(self.engine.history[-1])

    # ---- the cell's text --------------------------------------------------

    def sync_cell(self) -> None:
        """Offer the cell the text of the graph the engine runs now."""
        w = self.graph_widget
        if w is None or self.ran is None or not self.code:
            return
        from .cellsync import cell_text

        text = cell_text(self.code, self.ran, self.engine.graph, self.defines,
                         f"<click {self.name}>")
        if text is None:
            if w.cell_state in ("edited", "unsupported"):
                w.cell_state = ""
            return
        seq = (w.cell or {}).get("seq", 0) + 1
        w.cell = {"id": self.cell_id or "", "ran": self.code, "text": text, "seq": seq,
                  "force": False}

    def cell_synced(self, result: str, seq) -> None:
        """The front end wrote the cell (result 'updated'): it holds the text now."""
        if result != "updated" or self.graph_widget is None:
            return
        from ..lang import ConfigError, parse

        cell = self.graph_widget.cell or {}
        if cell.get("seq") != seq or not cell.get("text"):
            return
        try:
            body = cell["text"].partition("\n")[2]
            self.ran = parse("\n" + body, f"<click {self.name}>", defines=self.defines)
            self.code, self.text = cell["text"], "\n" + body
        except ConfigError:
            pass

    # ---- the faces --------------------------------------------------------

    def show(self, views: list) -> None:
        """Display the faces (each with a display id, to be replaced later)."""
        from IPython.display import display

        self.runs += 1
        self._views = list(views)
        self._handles = [display(v, display_id=True) for v in views]
        w = self.graph_widget
        if w is not None:
            w.on_cell = self.cell_synced

    def show_again(self) -> None:
        """Display the current faces once more (a failed re-run of their own
        cell cleared its output); the widgets are the same, in a new place."""
        from IPython.display import display

        self._handles += [display(v, display_id=True) for v in self._views]

    def retire(self, why: str) -> None:
        """Replace the shown faces by a line saying why, and close them."""
        from IPython.display import HTML

        note = HTML(f"<div class='pktlab-replaced'>{html.escape(why)}</div>")
        if _in_kernel():                   # a terminal IPython would print them
            for k, h in enumerate(self._handles):
                h.update(note if k == 0 else HTML(""))
        self._handles = []
        if self.dashboard is not None:
            self.dashboard.close()
        if self.controls is not None:
            self.controls.close()
        if self.graph_widget is not None:
            self.graph_widget.retired = why
            self.graph_widget.on_cell = None
            self.graph_widget.close()
        if self.log is not None:
            self.log.close()
        for v in self._views:
            close_tree(v)
        self._views = []
        self.dashboard = self.controls = self.graph_widget = self.log = None

    def replaced_note(self) -> str:
        return (f"{self.name}: replaced by a newer run of %%click {self.name} "
                f"({time.strftime('%H:%M:%S')}); these outputs no longer follow the engine")

    def close(self) -> None:
        """Stop everything (unload): faces, listeners, sampler, engine."""
        self.retire(f"{self.name}: stopped")
        self.sampler.unsubscribe(self.tick)
        if hasattr(self.engine, "off_change"):
            self.engine.off_change(self.on_change)
        # a remote engine goes on serving others: only this client goes
        self.engine.close() if getattr(self.engine, "remote", False) else self.engine.stop()
        self.sampler.stop()
