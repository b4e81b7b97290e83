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
"""

from __future__ import annotations

import logging
import math

import numpy as np

PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf"]
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


class Figures:
    """The dashboard's figures and their named data sources (no data yet)."""

    def __init__(self, names: list[str], hist_element: str | None, all_names: list[str],
                 title: str = "pktlab", height: int = 230, width: int = 440,
                 interactive: bool = True, window: float | None = 30.0,
                 backend: str = "canvas"):
        from bokeh.layouts import column, row
        from bokeh.models import (ColumnDataSource, DataRange1d, Div, HoverTool, LabelSet,
                                  Legend, Range1d, Select)
        from bokeh.plotting import figure

        self.window = window
        self.width, self.height = width, height
        self._row_ends: list[float] = []          # where each label row's last label ends (s)

        self.names = list(names)
        self.cols = {n: f"e{i}" for i, n in enumerate(self.names)}
        data = {"t": []} | {c: [] for c in self.cols.values()} | \
            {f"b{c}": [] for c in self.cols.values()}
        self.ts = ColumnDataSource(data, name="pktlab-throughput")
        self.markers = ColumnDataSource({"t": [], "label": [], "text": [], "y": []},
                                        name="pktlab-markers")
        sizes = np.arange(1, 258)
        self.hist = ColumnDataSource({"left": sizes - 0.45, "right": sizes + 0.45,
                                      "size": sizes, "share": np.zeros(257)},
                                     name="pktlab-hist")
        self.cycles = ColumnDataSource({"name": [], "cpp": []}, name="pktlab-cycles")

        tools = "pan,wheel_zoom,box_zoom,reset,save"
        common = {"height": height, "width": width, "tools": tools, "output_backend": backend}
        # The live edge: the last `window` seconds, following the newest sample.
        follow = {"follow": "end", "follow_interval": window} if window else {}
        x_range = DataRange1d(range_padding=0, **follow)
        self.fig_tp = figure(title="Throughput", x_range=x_range, x_axis_label="time (s)",
                             y_axis_label="throughput (Mpps)", name="pktlab-fig-throughput",
                             **common)
        self.fig_b = figure(title="Mean batch size", x_range=x_range, x_axis_label="time (s)",
                            y_axis_label="batch size (packets)", name="pktlab-fig-batch",
                            **common)
        items_tp, items_b = [], []
        for k, n in enumerate(self.names):
            color = PALETTE[k % len(PALETTE)]
            c = self.cols[n]
            r1 = self.fig_tp.line("t", c, source=self.ts, color=color, line_width=2)
            r2 = self.fig_b.line("t", f"b{c}", source=self.ts, color=color, line_width=2)
            items_tp.append((n, [r1]))
            items_b.append((n, [r2]))
        for f, items in ((self.fig_tp, items_tp), (self.fig_b, items_b)):
            if items:
                f.add_layout(Legend(items=items, click_policy="hide", label_text_font_size="8pt"),
                             "right")
            f.vspan(x="t", source=self.markers, line_color="#888888", line_dash="dashed")
            # Labels stacked in rows so that none overlaps another (place_markers); one
            # that finds no free row shows on hover only, as every marker does.
            f.add_layout(LabelSet(x="t", y="y", y_units="screen", text="text",
                                  source=self.markers, text_font_size="8pt",
                                  text_color="#555555", x_offset=3))
            f.extra_y_ranges = {"pktlab-markers": Range1d(0, 1)}
            tag = f.scatter(x="t", y=0.03, y_range_name="pktlab-markers", source=self.markers,
                            marker="triangle", size=9, color="#888888")
            f.add_tools(HoverTool(renderers=[tag], tooltips=[("change", "@label"),
                                                             ("at", "@t{0.0} s")]))
            f.y_range.start = 0

        self.fig_h = figure(title=self._hist_title(hist_element), height=height, width=width,
                            tools=tools, x_axis_type="log", x_range=Range1d(0.5, 300),
                            x_axis_label="batch size (packets)", y_axis_label="share of batches",
                            name="pktlab-fig-hist", output_backend=backend)
        self.fig_h.quad(left="left", right="right", bottom=0, top="share", source=self.hist,
                        color="#1f77b4")
        self.fig_h.add_tools(HoverTool(tooltips=[("size", "@size"), ("share", "@share{0.000}")]))
        self.fig_h.y_range.start = 0

        self.fig_c = figure(title="Cycles per packet (exclusive)", height=height, width=width,
                            y_range=list(reversed(all_names)) or ["-"], tools="save",
                            x_axis_label="cycles per packet", y_axis_label="element",
                            name="pktlab-fig-cycles", output_backend=backend)
        self.fig_c.hbar(y="name", right="cpp", height=0.7, source=self.cycles, color="#2ca02c")
        self.fig_c.x_range.start = 0

        self.select = Select(title="Histogram of the input of", value=hist_element or "",
                             options=[n for n in all_names], width=200)
        self.summary = Div(text="", name="pktlab-summary", width=2 * width)
        self.title = Div(text=f"<b>{title}</b>", name="pktlab-title")
        parts = [self.title, row(self.fig_tp, self.fig_b), row(self.fig_h, self.fig_c)]
        parts += [self.select] if interactive else [self.summary]
        self.layout = column(*parts, name="pktlab-dashboard")
        # Nothing the browser changes by itself (auto ranges after each update,
        # plot sizes, legend clicks) needs to come back to the kernel: without
        # this every streamed point would send events back and keep it busy.
        for m in self.layout.references():
            if m is not self.select:
                m.syncable = False

    @staticmethod
    def _hist_title(name):
        return f"Batch sizes arriving at {name}" if name else "Batch sizes"

    def set_hist_element(self, name: str | None) -> None:
        self.fig_h.title.text = self._hist_title(name)

    # ---- filling ---------------------------------------------------------

    ROW_PX, CHAR_PX, GAP_PX = 12, 5.5, 8       # an 8pt label's row height, glyph width, gap

    def marker_data(self, markers, restart: bool = True, span: float | None = None) -> dict:
        """Columns for markers (t, label), each label put on the lowest row
        (from the bottom) where it ends before the next one starts, at the
        scale of the time window (or of `span` seconds: a report's whole
        run). A label that finds no free row is left out of the plot (its
        marker still shows it on hover): labels never overlap at that scale."""
        if restart:
            self._row_ends = []
        window = span or self.window or 30.0
        s_per_px = window / max(self.width - 170, 100)      # less the legend and the axis
        rows = max(1, (self.height - 70) // self.ROW_PX)
        texts, ys = [], []
        for t, label in markers:
            end = t + (len(label) * self.CHAR_PX + self.GAP_PX) * s_per_px
            row = next((r for r, e in enumerate(self._row_ends) if e <= t), None)
            if row is None and len(self._row_ends) < rows:
                row = len(self._row_ends)
                self._row_ends.append(0.0)
            if row is None:
                texts.append("")
                ys.append(4)
                continue
            self._row_ends[row] = end
            texts.append(label)
            ys.append(4 + self.ROW_PX * row)
        return {"t": [m[0] for m in markers], "label": [m[1] for m in markers],
                "text": texts, "y": ys}

    def hist_share(self, hist: np.ndarray) -> np.ndarray:
        h = np.asarray(hist, dtype=np.float64)[1:258]
        tot = h.sum()
        return h / tot if tot else h

    def cycles_data(self, snap: dict, names: list[str]) -> dict:
        vals = [snap["elements"].get(n, {}).get("cycles_per_packet") for n in names]
        return {"name": list(names), "cpp": [0.0 if v is None else max(v, 0.0) for v in vals]}


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
    window: seconds of the time axis, following the newest sample (None: all).
    backend: "svg" makes the toolbar's save button write SVG instead of PNG.
    export(path): the dashboard as it is now, to .html (self-contained) or
    .png (rendered by headless Chromium through Playwright, where installed).
    """

    def __init__(self, source, elements: list[str] | None = None, hist: str | None = None,
                 every: int = 3, rollover: int = 600, title: str | None = None,
                 window: float | None = 30.0, backend: str = "canvas"):
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
                               title=title or "pktlab", window=window, backend=backend)
        self.figures.select.on_change("value", self._on_select)
        self._markers_seen = 0
        self._ticks = 0
        self._widget = None
        self._table = None
        self.every = max(int(every), 1)
        self._backfill()
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
        markers = list(s.markers)
        F.markers.data = F.marker_data(markers)
        self._markers_seen = len(markers)

    def _on_select(self, attr, old, new) -> None:
        self.hist_element = new or None
        self.figures.set_hist_element(self.hist_element)

    @property
    def layout(self):
        return self.figures.layout

    @property
    def points(self) -> int:
        """Points streamed so far into the throughput source."""
        return self._ticks

    def update(self, sampler=None) -> None:
        """Push the latest sample into the figures (runs on the sampler thread)."""
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
            self._widget = W.VBox([BokehModel(self.layout), self._table])
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
        self.sampler.unsubscribe(self.update)

    def close(self) -> None:
        self.detach()
        if self._widget is not None:
            self._widget.close()


__all__ = ["Dashboard", "Figures", "load_bokeh", "summary_html", "default_elements"]
