"""`pktlab bench telemetry`: what sampling costs the engine.

The same run, InfiniteSource(LENGTH 64, BURST 32) -> Counter -> Discard on
one pinned worker, measured without a sampler, with the telemetry sampler at
10 Hz (the default) and at 100 Hz, interleaved so that drift hits all three
alike; the median of `repeat` runs each. On a shared machine wall-clock rates
swing with whatever else runs, so the worker's rate per CPU second it actually
ran (/proc schedstat) is reported too: that ratio shows what the sampler costs
the worker itself (cache lines it reads, a core it shares). Also the
sampler's own CPU time per sample, and so the share of a core at 10 Hz.
"""

from __future__ import annotations

import os
import statistics
import time

from ..engine import Engine
from ..telemetry import Sampler

CHAIN = "src :: InfiniteSource(LENGTH 64, BURST 32) -> c :: Counter -> d :: Discard;"
RATES = (0.0, 10.0, 100.0)


def _tids() -> set[int]:
    return {int(t) for t in os.listdir("/proc/self/task")}


def _cpu_ns(tids) -> int:
    """CPU time (ns) the threads ran (schedstat: not affected by waiting)."""
    total = 0
    for t in tids:
        try:
            with open(f"/proc/self/task/{t}/schedstat") as f:
                total += int(f.read().split()[0])
        except OSError:
            pass
    return total


def _run(hz: float, duration: float, warmup: float) -> tuple[float, float, float, int]:
    """(packets/s, packets per worker CPU second, sampler CPU seconds, samples)."""
    eng = Engine(CHAIN, threads=1, pin=True)
    s = Sampler(eng, hz=hz) if hz else None
    c = eng["c"]
    before = _tids()
    eng.start()
    workers = _tids() - before
    try:
        if s is not None:
            s.start()
        time.sleep(warmup)
        n0, t0, w0 = c.count, time.perf_counter(), _cpu_ns(workers)
        busy0, k0 = (s.busy_s, s.samples) if s else (0.0, 0)
        time.sleep(duration)
        n1, t1, w1 = c.count, time.perf_counter(), _cpu_ns(workers)
        busy1, k1 = (s.busy_s, s.samples) if s else (0.0, 0)
    finally:
        if s is not None:
            s.stop()
        eng.stop()
    per_cpu = (n1 - n0) / ((w1 - w0) / 1e9) if w1 > w0 else 0.0
    return (n1 - n0) / (t1 - t0), per_cpu, busy1 - busy0, k1 - k0


def bench_telemetry(duration: float = 1.0, repeat: int = 5, warmup: float = 0.3) -> dict:
    runs: dict[float, list[float]] = {hz: [] for hz in RATES}
    cpu: dict[float, list[float]] = {hz: [] for hz in RATES}
    busy, samples = 0.0, 0
    for _ in range(repeat):
        for hz in RATES:
            pps, per_cpu, b, k = _run(hz, duration, warmup)
            runs[hz].append(pps)
            cpu[hz].append(per_cpu)
            if hz == 10.0:
                busy, samples = busy + b, samples + k
    med = {hz: statistics.median(v) for hz, v in runs.items()}
    # Each repeat measures the three back to back: their ratios cancel slow drift.
    pair10 = [a / b for a, b in zip(runs[10.0], runs[0.0]) if b]
    pair100 = [a / b for a, b in zip(runs[100.0], runs[0.0]) if b]
    per_sample = busy / samples if samples else 0.0
    cmed = {hz: statistics.median(v) for hz, v in cpu.items()}
    return {
        "benchmark": "telemetry", "config": CHAIN, "threads": 1,
        "settings": {"duration": duration, "repeat": repeat, "warmup": warmup},
        "mpps": {f"{hz:g}": med[hz] / 1e6 for hz in RATES},
        "runs_mpps": {f"{hz:g}": [r / 1e6 for r in v] for hz, v in runs.items()},
        "ratio_10hz": statistics.median(pair10) if pair10 else 0.0,
        "ratio_100hz": statistics.median(pair100) if pair100 else 0.0,
        "overhead_10hz": 1.0 - (statistics.median(pair10) if pair10 else 0.0),
        "mpps_per_worker_cpu_s": {f"{hz:g}": cmed[hz] / 1e6 for hz in RATES},
        "cpu_ratio_10hz": cmed[10.0] / cmed[0.0] if cmed[0.0] else 0.0,
        "cpu_ratio_100hz": cmed[100.0] / cmed[0.0] if cmed[0.0] else 0.0,
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
        "  per CPU second of the worker (not affected by time it waited for a core):",
        f"  no sampler   {r['mpps_per_worker_cpu_s']['0']:8.2f} Mpps",
        f"  10 Hz        {r['mpps_per_worker_cpu_s']['10']:8.2f} Mpps"
        f"   ratio {r['cpu_ratio_10hz']:.4f}",
        f"  100 Hz       {r['mpps_per_worker_cpu_s']['100']:8.2f} Mpps"
        f"   ratio {r['cpu_ratio_100hz']:.4f}",
        "",
        f"  one sample: {r['sample_us']:.0f} us of CPU on the sampler thread;"
        f" at 10 Hz {100 * r['core_share_10hz']:.3f}% of a core",
        f"  (Mpps: median of {r['settings']['repeat']} runs of {r['settings']['duration']:g} s;"
        " ratios: median over repeats of runs made back to back)",
    ])
