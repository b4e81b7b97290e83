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
import math
from dataclasses import replace

from ..engine.accessors import attached
from ..engine.classes import Param, element_class
from .closing import close_tree

LOG_SPAN = 1024          # integer ranges wider than this get power-of-two stops
TEXT_SPAN = 1 << 24      # and wider than this a text box (a Queue's CAPACITY fits)
LOG_REAL = 1e4           # real ranges reaching this far get a logarithmic slider (rates)
PORT_PARAMS = {"OUTPUT": 1, "INPUT": 0}   # a switch's port parameter: bounded by its ports


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


def port_bound(graph, name: str, p: Param) -> Param:
    """A switch's OUTPUT (PullSwitch's INPUT) ranges over the ports the
    element has in `graph` (-1: none), not over every port an element may have."""
    side = PORT_PARAMS.get(p.name)
    if side is None or p.type != "int" or p.min is None or p.min > -1:
        return p
    ports = [c.sport if side else c.dport for c in graph.connections
             if (c.src if side else c.dst) == name]
    return replace(p, max=float(max(ports, default=0)))


def make_widget(p: Param, value, description: str):
    """The ipywidget that fits a parameter's type and range: a slider (power-
    of-two stops for wide integer ranges, logarithmic for rates), a checkbox,
    or a text box."""
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
        if p.max >= LOG_REAL and value >= 1:
            lo = math.log10(max(p.min, 1.0))
            return W.FloatLogSlider(value=float(value), base=10, min=lo,
                                    max=math.log10(p.max), step=0.01, readout_format=".4g", **kw)
        if p.max >= LOG_REAL:                # a rate of 0 (or under 1): typed
            return W.FloatText(value=float(value), **kw)
        return W.FloatSlider(value=float(value), min=p.min, max=p.max,
                             step=(p.max - p.min) / 100, **kw)
    return W.Text(value=str(value), **kw)


class Controls:
    """Widgets for the live parameters of `engine` (all elements, or `elements`).

    sampler: where change markers go (default: the engine's telemetry, if any).
    follow: read the engine back after every live change made anywhere (code,
    the graph widget, another control, a remote client): the controls show
    what the engine runs, and follow elements added, removed or renamed.
    """

    def __init__(self, engine, elements=None, sampler=None, follow: bool = True):
        import ipywidgets as W

        self.engine = engine
        self.sampler = sampler
        self._only = list(elements) if elements is not None else None
        self.widgets: dict[tuple[str, str], object] = {}
        self.status = W.HTML(value="")
        self._empty = W.HTML("<i>no live-writable parameters in this graph</i>")
        self.box = W.VBox([])
        self.box.add_class("pktlab-controls")
        self._reverting = False
        self._rebuild()
        self._following = follow
        if follow and hasattr(engine, "on_change"):
            engine.on_change(self._on_change)

    # ---- building -----------------------------------------------------------

    def _names(self) -> list[str]:
        if self._only is None:
            return list(self.engine.elements)
        return [n for n in self._only if n in self.engine]

    def _rebuild(self) -> None:
        """One control per live parameter of the graph as it runs now; the
        controls of parameters that still exist are kept."""
        rows = []
        wanted = live_params(self.engine, self._names())
        keys = {(name, p.name) for name, p in wanted}
        for key in [k for k in self.widgets if k not in keys]:
            close_tree(self.widgets.pop(key))
        for name, p in wanted:
            w = self.widgets.get((name, p.name))
            if w is None:
                w = self._make(name, p)
                self.widgets[(name, p.name)] = w
            elif p.name in PORT_PARAMS and hasattr(w, "max"):
                # a switch that gained or lost outputs: the slider's range follows
                hi = port_bound(self.engine.graph, name, p).max
                if hi is not None and w.max != int(hi):
                    self._reverting = True
                    try:
                        w.max = max(int(hi), w.value)
                    finally:
                        self._reverting = False
            rows.append(w)
        self.box.children = (rows or [self._empty]) + [self.status]

    def _make(self, name: str, p: Param):
        value = _typed(self.engine[name].read(p.name.lower()))
        w = make_widget(port_bound(self.engine.graph, name, p), value, f"{name}.{p.name}")
        w.add_class("pktlab-control")
        w.add_class(f"pktlab-control-{name}-{p.name}".replace("/", "_").replace("@", "_"))
        w.observe(self._writer(name, p), names="value")
        return w

    def _writer(self, name: str, p: Param):
        def write(change):
            if self._reverting:
                return
            value = change["new"]
            try:
                self.engine[name].write(p.name.lower(), value)
            except Exception as e:            # the engine's message, not a traceback
                self.status.value = f"<span style='color:#b00'>{html.escape(str(e))}</span>"
                self._show(change["owner"], change["old"])
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

    # ---- following the engine ---------------------------------------------

    def _on_change(self, change) -> None:
        if getattr(change, "kind", "apply") == "apply":
            self._rebuild()
        self.refresh()

    def _show(self, w, value) -> None:
        """Set a control without writing the engine (it already has the value)."""
        self._reverting = True
        try:
            options = getattr(w, "options", None)
            if options is not None and value not in options:
                # a value set elsewhere between two stops: a stop of its own
                w.options = sorted({*options, value})
            if w.value != value:
                w.value = value
        finally:
            self._reverting = False

    def refresh(self) -> None:
        """Show the running values again (after a live change or a restart)."""
        for (name, pname), w in list(self.widgets.items()):
            if name not in self.engine:
                continue
            try:
                v = self.engine[name].read(pname.lower())
                if isinstance(w.value, bool):
                    value = v.strip().lower() in ("true", "1", "yes")
                elif isinstance(w.value, int):
                    value = int(v)
                elif isinstance(w.value, float):
                    value = float(v)
                else:
                    value = v.strip()
            except Exception:              # a value the control cannot show, or gone
                continue
            self._show(w, value)

    def values(self) -> dict[tuple[str, str], object]:
        """What each control shows now (tests compare it with the engine)."""
        return {k: w.value for k, w in self.widgets.items()}

    def detach(self) -> None:
        """Stop following the engine (the controls keep their last values)."""
        if self._following and hasattr(self.engine, "off_change"):
            self.engine.off_change(self._on_change)
        self._following = False

    def close(self) -> None:
        """Detach and close every control widget."""
        self.detach()
        for w in (*self.widgets.values(), self.status, self._empty, self.box):
            close_tree(w)
        self.widgets.clear()

    def _ipython_display_(self):
        from IPython.display import display

        display(self.box)


def _typed(text: str):
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


__all__ = ["Controls", "live_params", "make_widget", "port_bound"]
