"""The paper's experiments as code: `pktlab bench NAME`.

Every benchmark returns one dict holding the settings that produced it and
every figure, so runs can be compared and plotted (`--json`), and reports
speeds as ratios against a reference measured in the same run.
"""

from __future__ import annotations

from .forward import bench_forward

BENCHMARKS = {
    "forward": bench_forward,
}

__all__ = ["BENCHMARKS", "bench_forward"]
