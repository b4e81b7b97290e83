"""The faces in Jupyter: what a notebook user sees and touches.

    magics.py     %%click NAME (parse, start or change the engine, show its views)
                  and %pktlab list | stop | start (`%load_ext pktlab`)
    widget.py     GraphWidget: the graph drawn, edited and applied live (anywidget;
                  its view is built from labextension/)
    editing.py    the widget's checked edit operations, with undo
    graphview.py  the graph as the front end draws it (widget, saved notebooks, previews)
    controls.py   one slider or box per live parameter
    plots.py      the Bokeh dashboard: throughput, batch sizes, cycles, change markers
    latencyplot.py  LatencyDashboard: p50/p99 of LatencyHistogram elements over time
    labserver.py  the Jupyter server extension (the .click file preview)
    course/       the classroom course's autograder and its student versions
                  (notebooks/course/, `pktlab course`)

Names are loaded on first use (`%load_ext pktlab` needs only the magics).
May import every layer below: telemetry, traffic, engine, lang, graph.
"""

from __future__ import annotations

from importlib import import_module

_PUBLIC = {"GraphWidget": "widget", "Controls": "controls", "Dashboard": "plots",
           "GraphEditor": "editing", "LatencyDashboard": "latencyplot"}


def __getattr__(name: str):
    if name not in _PUBLIC:
        raise AttributeError(f"module 'pktlab.notebook' has no attribute '{name}'")
    return getattr(import_module(f".{_PUBLIC[name]}", __name__), name)


__all__ = list(_PUBLIC)
