"""`pktlab bench telemetry`: what sampling costs the engine.

The same run, InfiniteSource(LENGTH 64, BURST 32) -> Counter -> Discard on
one pinned worker, measured without a sampler, with the telemetry sampler at
10 Hz (the default) and at 100 Hz, interleaved so that drift hits all three
alike; the median of `repeat` runs each. Also the sampler's own CPU time per
sample, and so the share of a core it takes at 10 Hz.
"""

from __future__ import annotations

import statistics
import time

from ..engine import Engine
from ..telemetry import Sampler

CHAIN = "src :: InfiniteSource(LENGTH 64, BURST 32) -> c :: Counter -> d :: Discard;"
RATES = (0.0, 10.0, 100.0)


def _run(hz: float, duration: float, warmup: float) -> tuple[float, float, int]:
    """(packets/s, sampler CPU seconds, samples) for one run."""
    eng = Engine(CHAIN, threads=1, pin=True)
    s = Sampler(eng, hz=hz) if hz else None
    c = eng["c"]
    eng.start()
    try:
        if s is not None:
            s.start()
        time.sleep(warmup)
        n0, t0 = c.count, time.perf_counter()
        busy0, k0 = (s.busy_s, s.samples) if s else (0.0, 0)
        time.sleep(duration)
        n1, t1 = c.count, time.perf_counter()
        busy1, k1 = (s.busy_s, s.samples) if s else (0.0, 0)
    finally:
        if s is not None:
            s.stop()
        eng.stop()
    return (n1 - n0) / (t1 - t0), busy1 - busy0, k1 - k0


def bench_telemetry(duration: float = 1.0, repeat: int = 3, warmup: float = 0.3) -> dict:
    runs: dict[float, list[float]] = {hz: [] for hz in RATES}
    busy, samples = 0.0, 0
    for _ in range(repeat):
        for hz in RATES:
            pps, b, k = _run(hz, duration, warmup)
            runs[hz].append(pps)
            if hz == 10.0:
                busy, samples = busy + b, samples + k
    med = {hz: statistics.median(v) for hz, v in runs.items()}
    per_sample = busy / samples if samples else 0.0
    return {
        "benchmark": "telemetry", "config": CHAIN, "threads": 1,
        "settings": {"duration": duration, "repeat": repeat, "warmup": warmup},
        "mpps": {f"{hz:g}": med[hz] / 1e6 for hz in RATES},
        "runs_mpps": {f"{hz:g}": [r / 1e6 for r in v] for hz, v in runs.items()},
        "ratio_10hz": med[10.0] / med[0.0],
        "ratio_100hz": med[100.0] / med[0.0],
        "overhead_10hz": 1.0 - med[10.0] / med[0.0],
        "sample_us": per_sample * 1e6,
        "core_share_10hz": per_sample * 10.0,
    }


def format_telemetry(r: dict) -> str:
    m = r["mpps"]
    return "\n".join([
        "telemetry: the same run without and with the sampler, one worker",
        f"  {r['config']}",
        "",
        f"  no sampler   {m['0']:8.2f} Mpps",
        f"  10 Hz        {m['10']:8.2f} Mpps   ratio {r['ratio_10hz']:.4f}"
        f"   (overhead {100 * r['overhead_10hz']:+.2f}%)",
        f"  100 Hz       {m['100']:8.2f} Mpps   ratio {r['ratio_100hz']:.4f}",
        "",
        f"  one sample: {r['sample_us']:.0f} us of CPU on the sampler thread;"
        f" at 10 Hz {100 * r['core_share_10hz']:.3f}% of a core",
        f"  (median of {r['settings']['repeat']} interleaved runs of"
        f" {r['settings']['duration']:g} s; single runs vary by a few %)",
    ])
