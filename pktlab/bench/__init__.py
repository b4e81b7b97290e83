"""The paper's experiments as code: `pktlab bench NAME`.

Every benchmark returns one dict holding the settings that produced it and
every figure, so runs can be compared and plotted (`--json`), and reports
speeds as ratios against a reference measured in the same run.

Register a benchmark here: name -> (module, run function, text formatter).
The run function takes keyword arguments duration= and repeat=.
"""

from __future__ import annotations

from importlib import import_module

BENCHMARKS: dict[str, tuple[str, str, str]] = {
    "forward": ("pktlab.bench.forward", "bench_forward", "format_forward"),
    "io": ("pktlab.bench.io", "bench_io", "format_io"),
    "swap": ("pktlab.bench.swap", "bench_swap", "format_swap"),
    "threads": ("pktlab.bench.threads", "bench_threads", "format_threads"),
    "telemetry": ("pktlab.bench.telemetry", "bench_telemetry", "format_telemetry"),
    "router": ("pktlab.bench.router", "bench_router", "format_router"),
    "remote": ("pktlab.bench.remote", "bench_remote", "format_remote"),
    "sizes": ("pktlab.bench.sizes", "bench_sizes", "format_sizes"),
    "netmap": ("pktlab.bench.netmap", "bench_netmap", "format_netmap"),
}


def get(name: str):
    """(run, format) for a registered benchmark; KeyError if unknown."""
    module, run, fmt = BENCHMARKS[name]
    mod = import_module(module)
    return getattr(mod, run), getattr(mod, fmt)


__all__ = ["BENCHMARKS", "get"]
