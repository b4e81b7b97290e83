"""`pktlab bench latency`: the price of batching, and the price of measuring it.

Two parts, both on one core, 64-byte packets:

* cost: InfiniteSource(BURST 32) -> Counter -> Discard with the engine's
  timestamps off and on (runs interleaved, inline on this thread, packets
  per CPU second so that other load on the machine does not count), the
  median of each; the target is on/off > 0.97 (< 3 % cost). The same with a
  LatencyHistogram before Discard gives what measuring every packet costs.
* latency: RatedSource at 10 % and 90 % of the chain's capacity (measured in
  the same run at BURST 32: RatedSource with no limit on its rate), at BURST
  1, 32 and 256: delivered packets/s and
  p50/p99 latency from generation (each packet's due time) to the histogram.
  Real time, so a loaded machine shows its scheduling delays in the tail.

`sweep_sim` is the same measurement under simulated time (Engine(simtime=
True)): no processing cost and no scheduler, only the batching rule, so its
numbers are exact and repeatable (notebooks/04-latency.ipynb asserts them).
"""

from __future__ import annotations

import statistics
import time

from ..engine import Engine
from .measure import rate

CHAIN = "s :: {source} -> c :: Counter -> lat :: LatencyHistogram -> d :: Discard;"
RATED = "RatedSource(LENGTH 64, RATE {rate:.0f}, BURST {burst}, TIMEOUT {timeout}{limit})"
FIELDS = ("count", "mean", "min", "p50", "p90", "p99", "p999", "max")


def chain(source: str) -> str:
    return CHAIN.format(source=source)


def capacity(burst: int, duration: float = 0.5) -> float:
    """Packets/s the chain forwards at BURST when its RatedSource has no limit
    (RATE 1e9): its capacity, source cost included, as a NIC's poll loop's."""
    text = chain(RATED.format(rate=1e9, burst=burst, timeout="0", limit=""))
    return rate(text, "c", duration=duration, warmup=0.1, pin=False, timestamps=True)


def summary(eng) -> dict:
    parts = eng["lat"].read("summary").split()
    d = {f: float(v) for f, v in zip(FIELDS, parts)}
    d["count"] = int(d["count"])
    return d


def measure(offered: float, burst: int, timeout: str = "0", duration: float = 0.5,
            warmup: float = 0.1, on_engine=None) -> dict:
    """RatedSource at `offered` packets/s in real time: delivered packets/s and the
    latency percentiles (microseconds) over `duration` after `warmup`.
    on_engine(eng) is called once the engine runs (a live dashboard)."""
    text = chain(RATED.format(rate=offered, burst=burst, timeout=timeout, limit=""))
    eng = Engine(text, timestamps=True)
    eng.start()
    try:
        if on_engine is not None:
            on_engine(eng)
        deadline = time.monotonic() + 10     # a loaded machine may start the worker late
        while int(eng["c"].count) == 0 and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(warmup)
        eng["lat"].write("reset")
        c0, t0 = int(eng["c"].count), time.perf_counter()
        time.sleep(duration)
        c1, t1 = int(eng["c"].count), time.perf_counter()
        lat = summary(eng)
    finally:
        eng.stop()
    return {"offered_pps": offered, "burst": burst, "timeout": timeout,
            "delivered_pps": (c1 - c0) / (t1 - t0)} | lat


def measure_sim(offered: float, burst: int, timeout: str = "0", packets: int = 20000) -> dict:
    """The same under simulated time: the batching rule alone, exact."""
    text = chain(RATED.format(rate=offered, burst=burst, timeout=timeout,
                              limit=f", LIMIT {packets}, STOP true"))
    eng = Engine(text, timestamps=True, simtime=True)
    eng.run_inline()
    return {"offered_pps": offered, "burst": burst, "timeout": timeout} | summary(eng)


def sweep_sim(rates, bursts, timeouts=("0",), packets: int = 20000) -> list[dict]:
    return [measure_sim(r, b, t, packets) for r in rates for b in bursts for t in timeouts]


def cpu_rate(text: str, timestamps: bool) -> float:
    """Packets per CPU second of an inline run (this thread only): what the
    packets cost, whatever else the machine runs meanwhile."""
    eng = Engine(text, timestamps=timestamps)
    c0 = time.process_time()
    eng.run_inline()
    cpu = time.process_time() - c0
    return int(eng["c"].count) / max(cpu, 1e-9)


def timestamp_cost(packets: int = 5_000_000, repeat: int = 5, burst: int = 32) -> dict:
    """InfiniteSource(BURST) -> Counter [-> LatencyHistogram] -> Discard, timestamps
    off and on, runs interleaved: `stamp` is the cost of stamping alone (the
    chain without the histogram), `measure` the histogram's on top of it."""
    src = f"InfiniteSource(LENGTH 64, BURST {burst}, LIMIT {packets}, STOP true)"
    plain = f"s :: {src} -> c :: Counter -> d :: Discard;"
    out = {"burst": burst, "packets": packets, "unit": "Mpps per CPU second"}
    for name, text in (("stamp", plain), ("measure", chain(src))):
        off, on = [], []
        for _ in range(repeat):
            off.append(cpu_rate(text, False) / 1e6)
            on.append(cpu_rate(text, True) / 1e6)
        m_off, m_on = statistics.median(off), statistics.median(on)
        out[name] = {"off_mpps": m_off, "on_mpps": m_on, "runs_off_mpps": off,
                     "runs_on_mpps": on, "on_vs_off": m_on / m_off,
                     "cost_percent": 100 * (1 - m_on / m_off)}
    return out


def bench_latency(duration: float = 1.0, repeat: int = 3, bursts=(1, 32, 256),
                  loads=(0.1, 0.9)) -> dict:
    out: dict = {"benchmark": "latency", "frame": 64, "threads": 1,
                 "settings": {"duration": duration, "repeat": repeat, "bursts": list(bursts),
                              "loads": list(loads)}}
    out["cost"] = timestamp_cost(packets=max(int(duration * 5_000_000), 100_000),
                                 repeat=max(repeat, 3))
    cap = capacity(32, duration)
    out["capacity_pps_at_32"] = cap
    out["latency"] = [measure(load * cap, b, duration=duration) | {"load": load}
                      for load in loads for b in bursts]
    return out


def format_latency(r: dict) -> str:
    c = r["cost"]
    s, m = c["stamp"], c["measure"]
    lines = ["latency: RatedSource -> Counter -> LatencyHistogram -> Discard, one core, 64 B", "",
             f"  timestamp cost (InfiniteSource BURST {c['burst']}, inline, {c['unit']}):",
             f"    stamping   off {s['off_mpps']:7.2f}  on {s['on_mpps']:7.2f}  on/off"
             f" {s['on_vs_off']:.3f}  cost {s['cost_percent']:5.1f} %  (target < 3 %)",
             f"    +histogram off {m['off_mpps']:7.2f}  on {m['on_mpps']:7.2f}  on/off"
             f" {m['on_vs_off']:.3f}  cost {m['cost_percent']:5.1f} %  (measuring every packet)", "",
             f"  capacity at BURST 32: {r['capacity_pps_at_32'] / 1e6:.2f} Mpps", "",
             f"  {'load':>5} {'BURST':>6} {'offered':>9} {'delivered':>10} {'p50 us':>9} {'p99 us':>9}"]
    for m in r["latency"]:
        lines.append(f"  {m['load']:>5.0%} {m['burst']:>6} {m['offered_pps'] / 1e6:>8.3f}M"
                     f" {m['delivered_pps'] / 1e6:>9.3f}M {m['p50']:>9.1f} {m['p99']:>9.1f}")
    return "\n".join(lines)


__all__ = ["bench_latency", "capacity", "cpu_rate", "format_latency", "measure", "measure_sim", "sweep_sim",
           "timestamp_cost"]
