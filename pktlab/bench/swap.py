"""`pktlab bench swap`: how fast live change takes effect, and what it costs.

- latency: time from apply() to the new element carrying packets, over many
  swaps (each inserts a fresh Counter on the edge and removes the previous
  one), median and 99th percentile;
- throughput while changing: packets/s through the chain in 100 ms windows
  with no change, with one change per second, and with changes back to back
  (a storm), reported as ratios to the no-change rate of the same run.
"""

from __future__ import annotations

import statistics
import time

from ..engine import Engine

BASE = "src :: InfiniteSource(LENGTH 64, BURST 32) -> c :: Counter -> {mid} d :: Discard;"


def _latencies(eng: Engine, n: int) -> list[float]:
    out = []
    for i in range(n):
        name = f"x{i}"
        t0 = time.perf_counter()
        eng.apply(BASE.format(mid=f"{name} :: Counter ->"))
        el = eng[name]
        while el.count == 0:
            pass
        out.append((time.perf_counter() - t0) * 1e6)
    return out


def _windows(eng: Engine, seconds: float, period: float | None) -> list[float]:
    """Packets/s in 100 ms windows, applying a change every `period` s
    (None: never, 0: back to back)."""
    rates, toggle = [], 0
    c = eng["d"]
    end = time.perf_counter() + seconds
    last_change = time.perf_counter()
    n0, t0 = c.count, time.perf_counter()
    while time.perf_counter() < end:
        now = time.perf_counter()
        if period is not None and now - last_change >= period:
            toggle ^= 1
            eng.apply(BASE.format(mid="n :: Null ->" if toggle else ""))
            c = eng["d"]
            last_change = now
        elif period is None or period > 0:
            time.sleep(0.005)
        if now - t0 >= 0.1:
            n1 = c.count
            rates.append((n1 - n0) / (now - t0))
            n0, t0 = n1, now
    return rates


def bench_swap(duration: float = 1.0, repeat: int = 3, swaps: int = 1000) -> dict:
    eng = Engine(BASE.format(mid=""))
    eng.start()
    try:
        time.sleep(0.1)
        lat = sorted(_latencies(eng, swaps))
        eng.apply(BASE.format(mid=""))
        window = max(1.0, duration) * repeat
        steady = _windows(eng, window, None)
        per_second = _windows(eng, window, 1.0)
        storm = _windows(eng, window, 0.0)
        changes = eng.history
    finally:
        eng.stop()
    base = statistics.median(steady)
    return {
        "benchmark": "swap",
        "settings": {"swaps": swaps, "window_s": window, "chain": BASE.format(mid="[x] ")},
        "latency_us": {"median": statistics.median(lat), "p99": lat[int(0.99 * (len(lat) - 1))],
                       "max": lat[-1]},
        "apply_us_median": statistics.median(c.total_us for c in changes),
        "mpps": {"steady": base / 1e6, "one_per_second": statistics.median(per_second) / 1e6,
                 "storm": statistics.median(storm) / 1e6},
        "ratio": {"one_per_second": statistics.median(per_second) / base,
                  "storm": statistics.median(storm) / base,
                  "worst_window_one_per_second": min(per_second) / base},
        "pools_in_use": eng.pools()["in_use"],
    }


def format_swap(r: dict) -> str:
    lat, m, q = r["latency_us"], r["mpps"], r["ratio"]
    return "\n".join([
        f"swap: {r['settings']['swaps']} live changes on {r['settings']['chain']}",
        f"  apply() -> new element carrying packets: median {lat['median']:.0f} us,"
        f" p99 {lat['p99']:.0f} us, max {lat['max']:.0f} us",
        f"  throughput: steady {m['steady']:.2f} Mpps; one change/s {m['one_per_second']:.2f}"
        f" ({q['one_per_second']:.3f}x, worst 100 ms window {q['worst_window_one_per_second']:.3f}x);"
        f" storm {m['storm']:.2f} ({q['storm']:.3f}x)",
    ])
