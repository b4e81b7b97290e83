"""Live tuning controls: one ipywidget per live-writable parameter.

    pktlab.notebook.Controls(eng)      # BURST, ACTIVE, LIMIT, COLOR, ... of every element

The widgets are built from the element classes' parameter tables (type,
range, live flag: pktlab.engine.classes), never from a list kept here. Moving a
control writes the element's handler (`eng["src"].burst = 4`) in place while
the engine runs; the write is a live change in the engine's history, so the
telemetry marks it on the plots. A rejected value shows the engine's message and the
control goes back to the running value.
"""

from __future__ import annotations

import html

from ..engine.accessors import attached
from ..engine.classes import Param, element_class

LOG_SPAN = 1024          # integer ranges wider than this get power-of-two stops
TEXT_SPAN = 1 << 20      # and wider than this a text box


def live_params(engine, elements=None) -> list[tuple[str, Param]]:
    """(element, parameter) for every live-writable parameter, in graph order."""
    out = []
    for name in elements if elements is not None else engine.elements:
        cls = engine.graph.elements[name].cls
        out += [(name, p) for p in element_class(cls).params if p.live]
    return out


def _stops(lo: int, hi: int, value: int) -> list[int]:
    """1, 2, 4, ... within [lo, hi], with both ends and the current value."""
    vals = {lo, hi, value}
    k = 1
    while k <= hi:
        if k >= lo:
            vals.add(k)
        k *= 2
    return sorted(v for v in vals if lo <= v <= hi)


def make_widget(p: Param, value, description: str):
    """The ipywidget that fits a parameter's type and range."""
    import ipywidgets as W

    kw = {"description": description, "continuous_update": False,
          "style": {"description_width": "initial"}, "tooltip": p.doc}
    bounded = p.min is not None and p.max is not None
    if p.type == "bool":
        kw.pop("continuous_update")
        return W.Checkbox(value=str(value).lower() in ("true", "1", "yes"), indent=False, **kw)
    if p.type in ("int", "uint") and bounded and isinstance(value, int):
        lo, hi = int(p.min), int(p.max)
        if hi - lo <= LOG_SPAN:
            return W.IntSlider(value=value, min=lo, max=hi, **kw)
        if hi <= TEXT_SPAN:
            return W.SelectionSlider(options=_stops(lo, hi, value), value=value, **kw)
        return W.IntText(value=value, **kw)
    if p.type == "real" and bounded and isinstance(value, (int, float)):
        return W.FloatSlider(value=float(value), min=p.min, max=p.max,
                             step=(p.max - p.min) / 100, **kw)
    return W.Text(value=str(value), **kw)


class Controls:
    """Widgets for the live parameters of `engine` (all elements, or `elements`).

    sampler: where change markers go (default: the engine's telemetry, if any).
    """

    def __init__(self, engine, elements=None, sampler=None):
        import ipywidgets as W

        self.engine = engine
        self.sampler = sampler
        self.widgets: dict[tuple[str, str], object] = {}
        self.status = W.HTML(value="")
        rows = []
        for name, p in live_params(engine, elements):
            value = engine[name].read(p.name.lower())
            try:
                value = int(value)
            except ValueError:
                pass
            w = make_widget(p, value, f"{name}.{p.name}")
            w.add_class("pktlab-control")
            w.add_class(f"pktlab-control-{name}-{p.name}".replace("/", "_"))
            w.observe(self._writer(name, p), names="value")
            self.widgets[(name, p.name)] = w
            rows.append(w)
        if not rows:
            rows.append(W.HTML("<i>no live-writable parameters in this graph</i>"))
        self.box = W.VBox(rows + [self.status])
        self.box.add_class("pktlab-controls")
        self._reverting = False

    def _writer(self, name: str, p: Param):
        def write(change):
            if self._reverting:
                return
            value = change["new"]
            try:
                self.engine[name].write(p.name.lower(), value)
            except Exception as e:            # the engine's message, not a traceback
                self.status.value = f"<span style='color:#b00'>{html.escape(str(e))}</span>"
                self._reverting = True
                try:
                    change["owner"].value = change["old"]
                finally:
                    self._reverting = False
                return
            self.status.value = ""
            # The write is in the engine's history; a sampler of this engine
            # marks it from there (Engine.on_change), any other one here.
            sampler = self.sampler or attached(self.engine, "telemetry")
            if sampler is not None and getattr(sampler, "engine", None) is not self.engine:
                sampler.mark(f"{name}.{p.name}={value}")
        return write

    def __getitem__(self, key: tuple[str, str]):
        return self.widgets[key]

    def refresh(self) -> None:
        """Show the running values again (after a live change or a restart)."""
        self._reverting = True
        try:
            for (name, pname), w in self.widgets.items():
                if name not in self.engine:
                    continue
                v = self.engine[name].read(pname.lower())
                try:
                    w.value = type(w.value)(int(v) if isinstance(w.value, int) else v)
                except (ValueError, TypeError, KeyError):   # a value the control cannot show
                    pass
        finally:
            self._reverting = False

    def _ipython_display_(self):
        from IPython.display import display

        display(self.box)


__all__ = ["Controls", "live_params", "make_widget"]
