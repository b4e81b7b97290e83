"""`pktlab run CONFIG --report run.html`: the run as one self-contained HTML page.

A Recorder samples the run with the telemetry sampler (10 Hz, a ring sized
to the run); at the end the dashboard's figures (pktlab.notebook.plots.Figures) are
filled once: throughput and mean batch size over the whole run with change
markers, the batch-size histogram arriving at the first element after the
source (over the whole run), cycles per packet, a summary table and the
settings. BokehJS is embedded inline: the file opens offline, anywhere.
"""

from __future__ import annotations

import html
import math

from ..notebook.plots import Figures, default_elements, default_hist_element, summary_html
from ..telemetry import Sampler


class Recorder:
    """Samples an engine for a report. duration: expected seconds (sizes the
    ring; without it, the last hour at `hz` is kept)."""

    def __init__(self, engine, hz: float = 10.0, duration: float | None = None):
        seconds = duration if duration is not None else 3600.0
        self.engine = engine
        self.sampler = Sampler(engine, hz=hz, history=int(math.ceil(seconds * hz)) + 16)
        self.sampler.sample()
        self.sampler.start()

    def finish(self) -> None:
        self.sampler.stop()
        self.sampler.sample_if_changed()

    def write(self, path: str, title: str = "pktlab run", settings: dict | None = None,
              config: str | None = None) -> str:
        self.finish()
        page = render(self.sampler, title=title, settings=settings, config=config)
        with open(path, "w", encoding="utf-8") as f:
            f.write(page)
        return path


def render(sampler: Sampler, title: str = "pktlab run", settings: dict | None = None,
           config: str | None = None) -> str:
    """The HTML page of everything the sampler recorded."""
    from bokeh.embed import file_html
    from bokeh.layouts import column
    from bokeh.models import Div
    from bokeh.resources import INLINE

    names = default_elements(sampler)
    hist_el = default_hist_element(sampler)
    F = Figures(names, hist_el, sampler.elements, title=title, width=560, height=280,
                interactive=False, window=None)
    t, v = sampler.series_many(("pps", "mean_batch"), names)
    data = {"t": t}
    for n, c in F.cols.items():
        data[c] = v["pps"][n] / 1e6
        data[f"b{c}"] = v["mean_batch"][n]
    F.ts.data = data
    span = float(t[-1] - t[0]) if len(t) > 1 else None
    F.markers.data = F.marker_data(list(sampler.markers), span=span)
    if hist_el is not None:
        F.hist.data["share"] = F.hist_share(sampler.engine.stats().input_hist(hist_el))
    snap = sampler.snapshot(window=None)          # averages over the whole run
    F.cycles.data = F.cycles_data(snap, sampler.elements)
    F.summary.text = "<h4>Averages over the run</h4>" + summary_html(snap)
    extra = []
    if settings:
        rows = "".join(f"<tr><td>{html.escape(str(k))}</td><td>{html.escape(str(v))}</td></tr>"
                       for k, v in settings.items())
        extra.append(Div(text=f"<h4>Settings</h4><table style='font-size:9pt'>{rows}</table>",
                         name="pktlab-settings"))
    if config:
        extra.append(Div(text=f"<h4>Configuration</h4><pre>{html.escape(config)}</pre>",
                         name="pktlab-config"))
    layout = column(F.layout, *extra)
    return file_html(layout, resources=INLINE, title=title)


__all__ = ["Recorder", "render"]
