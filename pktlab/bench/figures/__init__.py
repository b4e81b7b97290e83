"""The paper's figures as sweeps: `pktlab bench figN [--csv]` and the
notebooks in notebooks/paper/.

    from pktlab.bench import figures
    sweep = figures.run("fig5", on_point=print)     # a Sweep: rows, claim(), to_csv()

| name  | the paper's figure                                  | module  |
|-------|-----------------------------------------------------|---------|
| fig3  | flow sizes of the router traffic                    | flows   |
| fig5  | I/O batching: throughput against BURST              | dpdk    |
| fig6  | ring size: BURST for several NDESC                  | dpdk    |
| fig8  | execution models: full push, queues, pull, pipeline | compute |
| fig9  | zero copy against copy, by frame size               | dpdk    |
| fig11 | multi-queue against locking, 1 and 2 threads        | dpdk    |
| fig15 | compute batching on the router, by frame size       | compute |
| scaling | §5.6: the router on 1 and 2 threads               | compute |
"""

from __future__ import annotations

from importlib import import_module

from .base import Figure, Sweep, format_figure

FIGURES = {"fig3": "flows", "fig5": "dpdk", "fig6": "dpdk", "fig8": "compute", "fig9": "dpdk",
           "fig11": "dpdk", "fig15": "compute", "scaling": "compute"}


def module(name: str):
    return import_module(f"pktlab.bench.figures.{FIGURES[name]}")


def figure(name: str) -> Figure:
    """The Figure (axes, modes, caption, claim) of a figure name."""
    return getattr(module(name), name.upper())


def run(name: str, **kw) -> Sweep:
    """Run one figure's sweep (keywords: its function's, e.g. duration=, on_point=)."""
    return getattr(module(name), name)(**kw)


__all__ = ["FIGURES", "Figure", "Sweep", "figure", "format_figure", "run"]
