"""The latency dashboard: p50 and p99 of LatencyHistogram elements over time.

    eng = pktlab.Engine(text, timestamps=True)
    pktlab.notebook.LatencyDashboard(eng)       # shown in JupyterLab, live

One Bokeh figure, latency (microseconds, log scale) against time (s, the
telemetry's clock, shared with pktlab.notebook.Dashboard), a solid p50 and a
dashed p99 line per element (of the packets measured in each interval:
the tap's windowed percentiles), and the sampler's change markers. It is fed by
the engine's LatencyTap (pktlab.telemetry.latency: the elements' `summary`
handler read at the sampler's rate) and streamed from the sampler thread, as
the main dashboard is, so it moves while no cell runs. Data sources are named
"pktlab-latency" and "pktlab-latency-markers" for tests and other front ends.
"""

from __future__ import annotations

import math

from .plots import PALETTE, export_layout, load_bokeh


def _positive(v: float) -> float:
    """A log axis cannot draw 0 (no packet measured yet): NaN leaves a gap."""
    return v if v > 0 else math.nan


class LatencyDashboard:
    """A live p50/p99 plot on an Engine (or a LatencyTap).

    elements: LatencyHistogram names (default: all of them). every: push to
    the browser after every `every`-th sample. rollover: points kept per line.
    window: seconds of the time axis, following the newest sample (None: all).
    Changes are marked by a dashed line and a triangle that names them on
    hover (labels that cannot overlap), as on the main dashboard.
    """

    def __init__(self, source, elements: list[str] | None = None, every: int = 3,
                 rollover: int = 600, title: str = "Latency", height: int = 260,
                 width: int = 700, window: float | None = 30.0):
        from bokeh.models import ColumnDataSource, DataRange1d, HoverTool, Legend, Range1d
        from bokeh.plotting import figure

        from ..telemetry.latency import LatencyTap

        self.tap = source if isinstance(source, LatencyTap) else source.latency
        self.names = list(elements) if elements is not None else self.tap.elements
        if not self.names:
            raise ValueError("no LatencyHistogram in the graph: add one where latency "
                             "should be read (and Engine(..., timestamps=True))")
        self.cols = {n: f"l{i}" for i, n in enumerate(self.names)}
        data = {"t": []} | {f"{c}_{q}": [] for c in self.cols.values() for q in ("p50", "p99")}
        self.source = ColumnDataSource(data, name="pktlab-latency")
        self.markers = ColumnDataSource({"t": [], "label": []}, name="pktlab-latency-markers")
        follow = {"follow": "end", "follow_interval": window} if window else {}
        self.figure = figure(title=title, height=height, width=width, y_axis_type="log",
                             x_range=DataRange1d(range_padding=0, **follow),
                             x_axis_label="time (s)", y_axis_label="latency (µs)",
                             tools="pan,wheel_zoom,box_zoom,reset,save",
                             name="pktlab-fig-latency")
        items = []
        for k, n in enumerate(self.names):
            color, c = PALETTE[k % len(PALETTE)], self.cols[n]
            r50 = self.figure.line("t", f"{c}_p50", source=self.source, color=color, line_width=2)
            r99 = self.figure.line("t", f"{c}_p99", source=self.source, color=color, line_width=2,
                                   line_dash="dashed")
            items += [(f"{n} p50", [r50]), (f"{n} p99", [r99])]
        self.figure.add_layout(Legend(items=items, click_policy="hide",
                                      label_text_font_size="8pt"), "right")
        self.figure.vspan(x="t", source=self.markers, line_color="#888888", line_dash="dashed")
        self.figure.extra_y_ranges = {"pktlab-markers": Range1d(0, 1)}
        tag = self.figure.scatter(x="t", y=0.03, y_range_name="pktlab-markers",
                                  source=self.markers, marker="triangle", size=9,
                                  color="#888888")
        self.figure.add_tools(HoverTool(renderers=[tag], tooltips=[("change", "@label"),
                                                                   ("at", "@t{0.0} s")]))
        for m in self.figure.references():
            m.syncable = False
        self.every = max(int(every), 1)
        self.rollover = rollover
        self._ticks = 0
        self._markers_seen = 0
        self._widget = None
        self.tap.sampler.subscribe(self.update, every=self.every)

    @property
    def points(self) -> int:
        """Points streamed so far."""
        return self._ticks

    def row(self) -> dict | None:
        """The last sample as one row of the data source (None before any)."""
        latest = self.tap.latest()
        if not latest:
            return None
        row = {"t": [self.tap.sampler.now()]}
        for n, c in self.cols.items():
            d = latest.get(n, {})
            w = self.tap.window
            row[f"{c}_p50"] = [_positive(d.get("wp50" if w else "p50", 0.0))]
            row[f"{c}_p99"] = [_positive(d.get("wp99" if w else "p99", 0.0))]
        return row

    def update(self, sampler=None) -> None:
        """Stream the latest sample (runs on the sampler thread)."""
        row = self.row()
        if row is None:
            return
        self.source.stream(row, rollover=self.rollover)
        self._ticks += 1
        markers = list(self.tap.sampler.markers)
        if len(markers) > self._markers_seen:
            new = markers[self._markers_seen:]
            self.markers.stream({"t": [m[0] for m in new], "label": [m[1] for m in new]})
            self._markers_seen = len(markers)

    def widget(self):
        """The jupyter_bokeh widget showing this plot (made once)."""
        if self._widget is None:
            from jupyter_bokeh import BokehModel

            load_bokeh()
            self._widget = BokehModel(self.figure)
        return self._widget

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget())

    def export(self, path: str) -> str:
        """The plot as it is now to a file: .html (self-contained) or .png."""
        return export_layout(self.figure, path, title="pktlab latency")

    def detach(self) -> None:
        """Stop updating (the page keeps the last state)."""
        self.tap.sampler.unsubscribe(self.update)


__all__ = ["LatencyDashboard"]
