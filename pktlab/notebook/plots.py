"""Bokeh dashboards fed by the telemetry sampler.

    dash = pktlab.notebook.Dashboard(eng.telemetry)   # or Dashboard(eng)
    dash                                           # shown in JupyterLab, live

Four views, one Bokeh layout: throughput (Mpps) over time for chosen
elements, mean batch size over time, the batch-size histogram arriving at
one element over the last second, and exclusive cycles per packet per
element (with Engine(cycles=True)), plus a summary table. Live changes
appear as vertical markers labelled with what changed.

In JupyterLab the layout is wrapped in jupyter_bokeh's BokehModel widget and
updated from the sampler thread (`ColumnDataSource.stream`), so updates
reach the browser while no cell runs and while other cells run. BokehJS is
loaded inline once per kernel (`load_bokeh()`): no CDN, it works offline.
The same figures, filled once, make the HTML report (pktlab.cli.report).

Data sources carry names ("pktlab-throughput", "pktlab-hist",
"pktlab-cycles", "pktlab-markers") so that tests and other front ends can
find them in the page's Bokeh document.

A Bokeh document is not thread-safe, and jupyter_bokeh sends one change as
several comm messages: every change to a dashboard's document (the sampler
thread's streams, the kernel's Select callbacks) and its serialization for
the page happen under the dashboard's lock, so the page never sees columns
of different lengths or a change cut by another.
"""

from __future__ import annotations

import logging
import math
import threading

from .dashfigures import PALETTE, Figures

__all__ = ["PALETTE", "Dashboard", "Figures", "load_bokeh", "summary_html"]

MAX_AUTO = 6
_loaded = False


def load_bokeh(force: bool = False) -> None:
    """Load BokehJS into the notebook page, inline (once per kernel; force=True
    after reloading the browser page)."""
    global _loaded
    if _loaded and not force:
        return
    from bokeh.io import output_notebook
    from bokeh.resources import INLINE

    output_notebook(resources=INLINE, hide_banner=True)
    _loaded = True


def default_elements(sampler) -> list[str]:
    """The elements worth a line: all of a small graph; else sources, counters, sinks."""
    L = sampler.layout
    names = L.names
    if len(names) <= MAX_AUTO:
        return list(names)
    pick = [n for n in names if not len(L.inp[n]) or not len(L.out[n])
            or L.cls[n] == "Counter"]
    return pick[:MAX_AUTO] or list(names[:MAX_AUTO])


def default_hist_element(sampler) -> str | None:
    """The first element fed by a source: its input shows the source's batches."""
    L = sampler.layout
    for src, _, dst, _, _ in L.edges:
        if not len(L.inp[src]):
            return dst
    return next((n for n in L.names if len(L.inp[n])), None)


def summary_html(snap: dict) -> str:
    """A small HTML table of the snapshot: rates, batch, cycles, drops."""
    rows = []
    for n, e in snap["elements"].items():
        drops = ", ".join(f"{k}={v}" for k, v in e["drops"].items() if v and k != "count")
        cpp = "" if e["cycles_per_packet"] is None else f"{e['cycles_per_packet']:.1f}"
        mb = "" if math.isnan(e["mean_batch"]) else f"{e['mean_batch']:.1f}"
        rows.append(f"<tr><td>{n}</td><td>{e['class']}</td><td>{e['pps'] / 1e6:.3f}</td>"
                    f"<td>{e['bps'] / 1e9:.3f}</td><td>{mb}</td><td>{cpp}</td>"
                    f"<td>{e['out_packets'] or e['in_packets']}</td><td>{drops}</td></tr>")
    threads = " ".join(f"t{i}: {v / 1e6:.2f}" for i, v in enumerate(snap["threads"]["pps"]))
    slow = ", ".join(f"{k} {v['count']} ({v['per_s']:.0f}/s)"
                     for k, v in snap.get("core", {}).items() if v["count"])
    return ("<table style='font-size:9pt'><tr><th>element</th><th>class</th><th>Mpps</th>"
            "<th>Gbps</th><th>batch</th><th>cycles/pkt</th><th>packets</th><th>drops</th></tr>"
            + "".join(rows) + f"</table><div style='font-size:9pt'>t = {snap['t']:.1f} s;"
            f" Mpps injected per thread: {threads}"
            + (f"; slow path: {slow}" if slow else "") + "</div>")


def export_layout(layout, path: str, title: str = "pktlab") -> str:
    """A Bokeh layout to `path`: .html, or .png through Playwright's Chromium."""
    from bokeh.embed import file_html
    from bokeh.resources import INLINE

    kind = path.rsplit(".", 1)[-1].lower()
    if kind not in ("html", "png"):
        raise ValueError(f"export: {path}: .html or .png (SVG: Dashboard(backend='svg') "
                         "and the toolbar's save button)")
    log = logging.getLogger("bokeh.embed.util")    # "real Python callbacks" (the Select's):
    level = log.level                                 # the page is a picture of now
    log.setLevel(logging.ERROR)
    try:
        page = file_html(layout, resources=INLINE, title=title)
    finally:
        log.setLevel(level)
    if kind == "html":
        with open(path, "w", encoding="utf-8") as f:
            f.write(page)
        return path
    from .pngshot import html_to_png

    return html_to_png(page, path)


class Dashboard:
    """A live dashboard on a Sampler (or an Engine: its `telemetry`).

    elements: names for the time series (default: default_elements()).
    every: push to the browser after every `every`-th sample (3: about 3 Hz at 10 Hz;
    a headless, software-rendered browser on two cores keeps up with that).
    rollover: points kept per series in the page.
    subscribe: update from the sampler thread by itself (False: whoever owns
    it calls `update` after every `every`-th sample, as a %%click session does).
    window: seconds of the time axis, following the newest sample (None: all).
    backend: "svg" makes the toolbar's save button write SVG instead of PNG.
    export(path): the dashboard as it is now, to .html (self-contained) or
    .png (rendered by headless Chromium through Playwright, where installed).
    """

    def __init__(self, source, elements: list[str] | None = None, hist: str | None = None,
                 every: int = 3, rollover: int = 600, title: str | None = None,
                 window: float | None = 30.0, backend: str = "canvas", subscribe: bool = True):
        from ..telemetry import Sampler

        sampler = source if isinstance(source, Sampler) else source.telemetry
        self.sampler = sampler
        names = list(elements) if elements is not None else default_elements(sampler)
        for n in names:
            if n not in sampler.layout.names:
                raise KeyError(f"no element named '{n}'")
        self.hist_element = hist or default_hist_element(sampler)
        self.rollover = rollover
        self.figures = Figures(names, self.hist_element, sampler.layout.names,
                               title=title or "pktlab", window=window, backend=backend,
                               queues=sampler.queues.names(sampler.layout))
        self.figures.select.on_change("value", self._on_select)
        self._markers_seen = 0
        self._ticks = 0
        self._widget = None
        self._table = None
        self.every = max(int(every), 1)
        self.lock = threading.RLock()
        self.detached = False
        self._backfill()
        if subscribe:
            sampler.subscribe(self.update, every=self.every)

    def _backfill(self) -> None:
        """Start from the sampler's history (a re-run cell keeps its curves)."""
        s, F = self.sampler, self.figures
        t, v = s.series_many(("pps", "mean_batch"), F.names)
        pps, batch = v["pps"], v["mean_batch"]
        if len(t) < self.every:
            return
        sel = slice(len(t) % self.every or None, None, self.every)
        data = {"t": t[sel][-self.rollover:]}
        for n, c in F.cols.items():
            data[c] = (pps[n] / 1e6)[sel][-self.rollover:]
            data[f"b{c}"] = batch[n][sel][-self.rollover:]
        F.ts.data = data
        if F.queue_names:
            tq, fill = s.queue_series(F.queue_names)
            sel_q = slice(len(tq) % self.every or None, None, self.every)
            F.queues.data = {"t": tq[sel_q][-self.rollover:]} | {
                c: (fill[n] * 100)[sel_q][-self.rollover:] for n, c in F.qcols.items()}
        markers = list(s.markers)
        F.markers.data = F.marker_data(markers)
        self._markers_seen = len(markers)

    def _on_select(self, attr, old, new) -> None:
        with self.lock:
            self.hist_element = new or None
            self.figures.set_hist_element(self.hist_element)

    def follow(self, change) -> None:
        """After a live change: lines of renamed elements keep their history
        under the new names (pktlab.graph.GraphDiff.renamed)."""
        renamed = getattr(getattr(change, "diff", None), "renamed", None)
        if renamed:
            with self.lock:
                self.figures.rename(renamed)
                now = {old: new for new, old in renamed.items()}
                if self.hist_element in now:
                    self.hist_element = now[self.hist_element]
                    self.figures.select.value = self.hist_element

    @property
    def layout(self):
        return self.figures.layout

    @property
    def points(self) -> int:
        """Points streamed so far into the throughput source."""
        return self._ticks

    def update(self, sampler=None) -> None:
        """Push the latest sample into the figures (runs on the sampler thread)."""
        if self.detached:
            return
        with self.lock:
            self._update()

    def _update(self) -> None:
        s = self.sampler
        snap = s.snapshot(window=self.every / s.hz)
        if snap["interval"] <= 0:
            return
        F = self.figures
        row = {"t": [snap["t"]]}
        for n, c in F.cols.items():
            e = snap["elements"].get(n)
            row[c] = [float(e["pps"]) / 1e6 if e else float("nan")]
            mb = e["mean_batch"] if e else float("nan")
            row[f"b{c}"] = [float(mb)]
        F.ts.stream(row, rollover=self.rollover)
        if F.queue_names:
            q = snap["queues"]
            F.queues.stream({"t": [snap["t"]]} | {
                c: [q[n]["fill"] * 100 if n in q else float("nan")] for n, c in F.qcols.items()},
                rollover=self.rollover)
        self._ticks += 1
        markers = list(s.markers)
        if len(markers) > self._markers_seen:
            new = markers[self._markers_seen:]
            F.markers.stream(F.marker_data(new, restart=False))
            self._markers_seen = len(markers)
        if self._ticks % max(1, int(round(s.hz / self.every))) == 0:    # 1 Hz
            el = snap["elements"].get(self.hist_element or "")
            if el is not None:
                F.hist.data["share"] = F.hist_share(el["hist"])
            names = list(snap["elements"])
            if list(F.fig_c.y_range.factors) != list(reversed(names)):
                F.fig_c.y_range.factors = list(reversed(names))
                F.select.options = names
            F.cycles.data = F.cycles_data(snap, names)
            if self._table is not None:
                # An ipywidget, not a Bokeh Div: a new Div text re-lays out the
                # whole Bokeh document in the page, a widget only its own node.
                self._table.value = summary_html(snap)

    def widget(self):
        """The jupyter_bokeh widget showing this dashboard (made once)."""
        if self._widget is None:
            import ipywidgets as W
            from jupyter_bokeh import BokehModel

            load_bokeh()
            self._table = W.HTML(value="")
            self._table.add_class("pktlab-summary")
            with self.lock:                  # serialized whole, never mid-stream
                model = _locked_model_class(BokehModel)(self.layout)
                model._pktlab_lock = self.lock
            self._widget = W.VBox([model, self._table])
            self._widget.add_class("pktlab-dashboard")
        return self._widget

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget())

    def export(self, path: str) -> str:
        """Write the dashboard as it is now: `.html` (BokehJS inline: opens
        offline) or `.png` (that page rendered in headless Chromium)."""
        return export_layout(self.layout, str(path), title=self.figures.title.text)

    def detach(self) -> None:
        """Stop updating (the page keeps showing the last state)."""
        self.detached = True
        self.sampler.unsubscribe(self.update)

    def close(self) -> None:
        """Detach and close the widgets (their comms: the page drops them)."""
        self.detach()
        if self._widget is not None:
            from bokeh.models import Div

            from .closing import close_tree

            with self.lock:
                # jupyter_bokeh's view clears its Bokeh document only when it
                # renders another one, never when it is removed: the dashboard's
                # root views stay in BokehJS's index. A blank document to render
                # first has the page remove them (a few small views stay).
                self._widget.children[0].update_from_model(Div(text=""))
                close_tree(self._widget)
            self._widget = None


_LOCKED: list = []


def _locked_model_class(base):
    """jupyter_bokeh's BokehModel whose changes from the page (Select
    callbacks) take the dashboard's lock, like the sampler's streams."""
    if not _LOCKED:
        class LockedBokehModel(base):
            _pktlab_lock = None

            def _sync_model(self, *args):
                with self._pktlab_lock or threading.RLock():
                    super()._sync_model(*args)

            def close(self):                  # twice (ours, then __del__'s) must not raise
                if not getattr(self, "_pktlab_closed", False):
                    self._pktlab_closed = True
                    super().close()

        _LOCKED.append(LockedBokehModel)
    return _LOCKED[0]


__all__ = ["Dashboard", "Figures", "load_bokeh", "summary_html", "default_elements"]
