"""The paper's figures drawn in a notebook, live: each point appears as it is
measured, then the figure in the paper's form (the swept parameter on x,
throughput on y, one line per mode, other systems' values beside ours).

    from pktlab.bench import figures
    from pktlab.notebook.figures import PaperPlot

    plot = PaperPlot(figures.figure("fig5"))
    plot                                             # shown, empty
    sweep = figures.run("fig5", on_point=plot.add)  # points arrive live
    plot.finish(sweep)                               # medians, the claim in the title
    plot.save_html("fig5.html")                      # a page that opens offline

The data sources are named "pktlab-fig-<mode>" for tests and other front ends.
"""

from __future__ import annotations

import textwrap

from .plots import PALETTE, load_bokeh

MARKERS = ["circle", "square", "triangle", "diamond", "inverted_triangle", "hex"]


class PaperPlot:
    """One Bokeh figure for a pktlab.bench.figures.Figure. categories: the x
    values of a categorical figure (bars), in order."""

    def __init__(self, figure, categories=None, width: int = 900, height: int = 400):
        from bokeh.models import ColumnDataSource, Legend
        from bokeh.plotting import figure as bfigure
        from bokeh.transform import dodge

        self.spec = figure
        cat = figure.categorical
        kw = {"x_range": list(categories)} if cat else \
            {"x_axis_type": "log" if figure.x_log else "linear"}
        if figure.y_key == "share":
            kw["y_axis_type"] = "log"
        self.fig = bfigure(title=figure.title, width=width, height=height,
                           tools="pan,wheel_zoom,box_zoom,reset,save,hover",
                           x_axis_label=figure.x_label, y_axis_label=figure.y_label,
                           name=f"pktlab-paper-{figure.name}", **kw)
        self.fig.hover.tooltips = [("mode", "@mode"), (figure.x_key, "@x"), (figure.y_label, "@y")]
        self.sources: dict[str, ColumnDataSource] = {}
        items = []
        n = len(figure.modes)
        size = 7 if figure.y_key != "share" else 4       # fig3: 128 points a line
        for k, mode in enumerate(figure.modes):
            src = ColumnDataSource({"x": [], "y": [], "mode": []}, name=f"pktlab-fig-{mode}")
            self.sources[mode] = src
            color = PALETTE[k % len(PALETTE)]
            if cat:
                width_bar = 0.8 / n
                r = [self.fig.vbar(x=dodge("x", (k - (n - 1) / 2) * width_bar, range=self.fig.x_range),
                                   top="y", width=width_bar * 0.95, source=src, color=color)]
            else:
                r = [self.fig.line("x", "y", source=src, color=color, line_width=2),
                     self.fig.scatter("x", "y", source=src, color=color, size=size,
                                      marker=MARKERS[k % len(MARKERS)])]
            items.append((mode, r))
        for k, (name, pts) in enumerate(figure.references.items()):
            src = ColumnDataSource({"x": [p[0] for p in pts], "y": [p[1] for p in pts],
                                    "mode": [name] * len(pts)})
            r = self.fig.scatter("x", "y", source=src, marker="star", size=12,
                                 color=PALETTE[(n + k) % len(PALETTE)])
            items.append((name, [r]))
        self.fig.add_layout(Legend(items=items, click_policy="hide", label_text_font_size="9pt"),
                            "right")
        if cat:
            self.fig.xaxis.major_label_orientation = 0.5
        elif figure.x_log:              # BURST, flow sizes: powers of two, as numbers
            from bokeh.models import FixedTicker, NumeralTickFormatter

            self.fig.xaxis.ticker = FixedTicker(ticks=[2 ** k for k in range(13)])
            self.fig.xaxis.formatter = NumeralTickFormatter(format="0")
        if figure.y_key == "share":
            from bokeh.models import LogTickFormatter

            self.fig.yaxis.formatter = LogTickFormatter()
        if figure.y_key != "share":
            self.fig.y_range.start = 0
        self._widget = None

    def add(self, row: dict) -> None:
        """One measured row (a Sweep's on_point callback)."""
        mode = row["mode"]
        if mode in self.sources:
            self.sources[mode].stream({"x": [row[self.spec.x_key]], "y": [row[self.spec.y_key]],
                                       "mode": [mode]})

    def finish(self, sweep) -> None:
        """Redraw from the sweep (points measured several times: the median),
        and put the claim's ratio under the title."""
        ticks: set = set()
        for mode, src in self.sources.items():
            xs, ys = sweep.series(mode)
            src.data = {"x": xs, "y": ys, "mode": [mode] * len(xs)}
            ticks |= set(xs)
        if not self.spec.categorical and not self.spec.x_log and 0 < len(ticks) <= 8:
            from bokeh.models import FixedTicker

            self.fig.xaxis.ticker = FixedTicker(ticks=sorted(ticks))   # the values measured
        if self.spec.claim is not None and sweep.rows:
            from bokeh.models import Title

            _, text = sweep.claim()
            for line in reversed(textwrap.wrap(text, 100)):
                self.fig.add_layout(Title(text=line, text_font_size="9pt", text_font_style="italic"),
                                    "above")

    def widget(self):
        if self._widget is None:
            from jupyter_bokeh import BokehModel

            load_bokeh()
            self._widget = BokehModel(self.fig)
        return self._widget

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget())

    def save_html(self, path: str) -> str:
        """The figure as one self-contained HTML page (BokehJS inline)."""
        from bokeh.embed import file_html
        from bokeh.resources import INLINE

        with open(path, "w", encoding="utf-8") as f:
            f.write(file_html(self.fig, resources=INLINE, title=self.spec.title))
        return path


__all__ = ["PaperPlot"]
