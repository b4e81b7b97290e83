"""The dashboard's figures (pktlab.notebook.plots.Dashboard, and filled once
the run report's, pktlab.cli.report): throughput and mean batch over time
with markers for live changes, labels stacked in rows so that none overlaps,
the batch-size histogram of one element, cycles per packet per element, and
the fill level of each queue over time (where the graph has queues)."""

from __future__ import annotations

import numpy as np

PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf"]


class Figures:
    """The dashboard's figures and their named data sources (no data yet)."""

    def __init__(self, names: list[str], hist_element: str | None, all_names: list[str],
                 title: str = "pktlab", height: int = 230, width: int = 440,
                 interactive: bool = True, window: float | None = 30.0,
                 backend: str = "canvas", queues: list[str] = ()):
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
        self.legends = []
        for f, items in ((self.fig_tp, items_tp), (self.fig_b, items_b)):
            if items:
                legend = Legend(items=items, click_policy="hide", label_text_font_size="8pt")
                f.add_layout(legend, "right")
                self.legends.append(legend)
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

        self.queue_names = list(queues)
        self.qcols = {n: f"q{i}" for i, n in enumerate(self.queue_names)}
        self.queues = ColumnDataSource({"t": []} | {c: [] for c in self.qcols.values()},
                                       name="pktlab-queues")
        self.fig_q = None
        if self.queue_names:
            self.fig_q = figure(title="Queue fill", x_range=x_range, x_axis_label="time (s)",
                                y_axis_label="fill (% of capacity)", y_range=Range1d(0, 105),
                                name="pktlab-fig-queues", **common)
            items = [(n, [self.fig_q.line("t", c, source=self.queues, line_width=2,
                                          color=PALETTE[k % len(PALETTE)])])
                     for k, (n, c) in enumerate(self.qcols.items())]
            legend = Legend(items=items, click_policy="hide", label_text_font_size="8pt")
            self.fig_q.add_layout(legend, "right")
            self.fig_q.add_tools(HoverTool(tooltips=[("t", "@t{0.0} s")] + [
                (n, f"@{c}{{0.0}} %") for n, c in self.qcols.items()]))
            self.fig_q.vspan(x="t", source=self.markers, line_color="#888888",
                             line_dash="dashed")

        self.select = Select(title="Histogram of the input of", value=hist_element or "",
                             options=[n for n in all_names], width=200)
        self.summary = Div(text="", name="pktlab-summary", width=2 * width)
        self.title = Div(text=f"<b>{title}</b>", name="pktlab-title")
        parts = [self.title, row(self.fig_tp, self.fig_b), row(self.fig_h, self.fig_c)]
        if self.fig_q is not None:
            parts.append(row(self.fig_q))
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

    def rename(self, renamed: dict[str, str]) -> None:
        """Follow elements a live change renamed (new name -> old name): the
        same lines, under their new names."""
        now = {old: new for new, old in renamed.items()}
        if not any(n in now for n in self.names):
            return
        self.names = [now.get(n, n) for n in self.names]
        self.cols = {now.get(n, n): c for n, c in self.cols.items()}
        for legend in self.legends:
            for item in legend.items:
                label = item.label.get("value") if isinstance(item.label, dict) else None
                if label in now:
                    item.label = now[label]

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
