"""The paper's experiments as code: `pktlab bench NAME`.

Every benchmark returns one dict holding the settings that produced it and
every figure, so runs can be compared and plotted (`--json`), and reports
speeds as ratios against a reference measured in the same run.

Register a benchmark here: name -> (module, run function, text formatter).
The run function takes keyword arguments duration= and repeat=.
"""

from __future__ import annotations

from importlib import import_module

from .figures import FIGURES as _FIGURES

BENCHMARKS: dict[str, tuple[str, str, str]] = {
    "forward": ("pktlab.bench.forward", "bench_forward", "format_forward"),
    "io": ("pktlab.bench.io", "bench_io", "format_io"),
    "breakdown": ("pktlab.bench.breakdown", "bench_breakdown", "format_breakdown"),
    "swap": ("pktlab.bench.swap", "bench_swap", "format_swap"),
    "threads": ("pktlab.bench.threads", "bench_threads", "format_threads"),
    "pipeline": ("pktlab.bench.threads", "fig8", "format_fig8"),
    "telemetry": ("pktlab.bench.telemetry", "bench_telemetry", "format_telemetry"),
    "router": ("pktlab.bench.router", "bench_router", "format_router"),
    "remote": ("pktlab.bench.remote", "bench_remote", "format_remote"),
    "sizes": ("pktlab.bench.sizes", "bench_sizes", "format_sizes"),
    "latency": ("pktlab.bench.latency", "bench_latency", "format_latency"),
    "netmap": ("pktlab.bench.netmap", "bench_netmap", "format_netmap"),
    "elements": ("pktlab.bench.elements", "bench_elements", "format_elements"),
}
# The paper's figures (pktlab.bench.figures): rows that `--csv` prints.
for _name, _mod in _FIGURES.items():
    BENCHMARKS[_name] = (f"pktlab.bench.figures.{_mod}", f"bench_{_name}", "format_figure")


def get(name: str):
    """(run, format) for a registered benchmark; KeyError if unknown."""
    module, run, fmt = BENCHMARKS[name]
    mod = import_module(module)
    if fmt == "format_figure":
        from .figures.base import format_figure

        return getattr(mod, run), format_figure
    return getattr(mod, run), getattr(mod, fmt)


FIGURES = tuple(_FIGURES)

__all__ = ["BENCHMARKS", "FIGURES", "get"]
