"""`pktlab bench router`: the FastClick paper's router test case on one core.

* router: examples/router.click (the standard Click IP router, four
  interfaces, static encapsulation) with its inputs swapped for FromMemory,
  replaying the paper's traffic (pktlab.traffic.flowgen: flows of 1-128 packets,
  small ones most likely, to the three other subnets): 60-byte frames, then
  frames of 60-1514 bytes. Compute-batched and the engine's per-packet mode
  (batches of one, Click-style) alternate in the same run; per-element
  cycles/packet come from a run with cycle counting.
* chain: Classifier -> Strip -> CheckIPHeader -> RadixIPLookup -> DecIPTTL ->
  EtherEncap from an in-memory source, against FastClick's figure for the
  same chain on this machine kind.

Speeds are packets per CPU-second of the worker (it runs on the calling
thread and time.thread_time() measures it), so that other processes on the
machine do not count against the engine; each figure is the median of
`repeat` measurements of about `duration` CPU-seconds. Cycles come from
Engine(cycles=True) (rdtsc around every edge): the least of five runs.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from ..engine import Engine
from ..engine.memio import feed
from ..engine.stats import CYCLES, PACKETS
from ..traffic import flowgen

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "router.click"

# FastClick's batch build, this chain from an in-memory source, one core, on
# this machine kind (issue "IP router"); vanilla Click: 9.6 Mpps.
FASTCLICK_CHAIN_MPPS = (11.0, 12.5)
CLICK_CHAIN_MPPS = 9.6

CHAIN = ("src :: FromMemory(LOOP true, BURST {burst}) -> Classifier(12/0800, -) -> Strip(14)"
         " -> CheckIPHeader -> rt :: RadixIPLookup(10.1.0.0/16 0, 10.2.0.0/16 0, 10.3.0.0/16 0)"
         " -> DecIPTTL -> EtherEncap(0x0800, 02:00:00:00:01:01, 02:00:00:00:01:02)"
         " -> sink :: Discard;")


def router_graph(burst: int = 32, sinks: str = "Discard"):
    """examples/router.click with in0..in3 as FromMemory(LOOP) sources and
    out0..out3 (and tohost) as `sinks` elements."""
    from ..lang import parse_file

    if not EXAMPLE.exists():
        raise FileNotFoundError(f"{EXAMPLE} not found: the router benchmark runs the repository's "
                                "examples/router.click")
    g = parse_file(EXAMPLE, defines={"BURST": str(burst)})
    for i in range(4):
        g.elements[f"in{i}"].cls = "FromMemory"
        g.elements[f"in{i}"].config = f"LOOP true, BURST {burst}"
        g.elements[f"out{i}"].cls = sinks
        g.elements[f"out{i}"].config = ""
    return g


def _measure(build, counter, duration: float) -> float:
    """Packets per CPU-second through `counter(engine)`, run inline."""
    eng = build()
    eng.run_inline(max_runs=2000)                        # warm caches and pools
    c0, t0 = counter(eng), time.thread_time()
    while time.thread_time() - t0 < duration:
        eng.run_inline(max_runs=20000)
    c1, t1 = counter(eng), time.thread_time()
    if eng.pools()["in_use"] > 4 * 4096:
        raise RuntimeError("packets are piling up inside the graph")
    return (c1 - c0) / (t1 - t0)


def _pair(build, counter, duration: float, repeat: int) -> dict:
    """Batched and per-packet, alternated so that drift hits both alike."""
    b, p = [], []
    for _ in range(repeat):
        b.append(_measure(lambda: build(False), counter, duration))
        p.append(_measure(lambda: build(True), counter, duration))
    mb, mp = statistics.median(b), statistics.median(p)
    return {"batched_mpps": mb / 1e6, "per_packet_mpps": mp / 1e6,
            "batched_vs_per_packet": mb / mp,
            "runs_batched_mpps": [x / 1e6 for x in b], "runs_per_packet_mpps": [x / 1e6 for x in p]}


def _router_engine(traffic, per_packet=False, cycles=False):
    eng = Engine(router_graph(), per_packet=per_packet, cycles=cycles)
    for i, frames in traffic.items():
        feed(eng, f"in{i}", frames)
    return eng


def _forwarded(eng) -> int:
    return sum(eng[f"out{i}"].count for i in range(4))


def element_cycles(eng, rounds: int = 20000, warmup: int = 2000) -> dict[str, dict]:
    """Run an Engine(cycles=True) inline and return, per element, the packets
    in and the exclusive cycles per packet (cycles on its input edges minus
    cycles on its output edges), counted after a warm-up."""
    if warmup:                       # max_runs=0 would mean "until the sources stop"
        eng.run_inline(max_runs=warmup)
    st = eng.stats()
    before = st.ports.sum(axis=0).copy()
    eng.run_inline(max_runs=rounds)
    ports = st.ports.sum(axis=0) - before
    out = {}
    for name in eng.elements:
        ins = [g for _, g in st._conn_in.get(name, [])]
        n = int(ports[ins, PACKETS].sum()) if ins else 0
        if not n:
            continue
        incl = float(ports[ins, CYCLES].sum())
        below = float(ports[st.output_ports(name), CYCLES].sum())
        out[name] = {"class": eng.graph.elements[name].cls, "packets": n,
                     "cycles_per_packet": (incl - below) / n}
    return out


def min_cycles(build, runs: int, rounds: int = 2000) -> dict[str, dict]:
    """element_cycles over `runs` fresh engines, the least per element: the
    cycles are read with rdtsc, so being preempted by another process only
    ever adds to a reading."""
    res = [element_cycles(build(), rounds=rounds) for _ in range(max(1, runs))]
    out = {}
    for name, v in res[0].items():
        vals = [r[name]["cycles_per_packet"] for r in res if name in r]
        out[name] = v | {"cycles_per_packet": min(vals)}
    return out


def bench_router(duration: float = 1.0, repeat: int = 3, packets: int = 8192,
                 seed: int = 1) -> dict:
    kw = {"duration": duration, "repeat": repeat}
    out: dict = {"benchmark": "router", "threads": 1,
                 "settings": kw | {"packets_per_interface": packets, "seed": seed,
                                   "flow_sizes": f"1-{flowgen.MAX_FLOW}, P(k) ~ k^-{flowgen.ALPHA}",
                                   "config": str(EXAMPLE)}}
    for label, sizes in (("router_60B", 60), ("router_60-1514B", (60, 1514))):
        traffic = flowgen.router_traffic(packets, seed=seed, sizes=sizes)
        out[label] = _pair(lambda pp, t=traffic: _router_engine(t, per_packet=pp), _forwarded,
                           duration, repeat)
    traffic = flowgen.router_traffic(packets, seed=seed, sizes=60)
    cyc = min_cycles(lambda: _router_engine(traffic, cycles=True), max(5, repeat))
    out["element_cycles_60B"] = cyc
    forwarded = sum(v["packets"] for v in cyc.values() if v["class"] == "EtherEncap")
    out["router_cycles_per_packet"] = sum(v["cycles_per_packet"] * v["packets"]
                                          for v in cyc.values()) / max(1, forwarded)

    frames = flowgen.flows(packets, flowgen.ROUTER_INTERFACES[0], flowgen.ROUTER_INTERFACES[1:],
                           seed=seed, sizes=60)

    def chain(pp):
        eng = Engine(CHAIN.format(burst=32), per_packet=pp)
        feed(eng, "src", frames)
        return eng

    out["chain"] = _pair(chain, lambda e: e["sink"].count, duration, repeat)
    lo, hi = FASTCLICK_CHAIN_MPPS
    out["chain"] |= {"fastclick_reference_mpps": [lo, hi], "click_reference_mpps": CLICK_CHAIN_MPPS,
                     "vs_fastclick": out["chain"]["batched_mpps"] / hi}
    def chain_cycles():
        eng = Engine(CHAIN.format(burst=32), cycles=True)
        feed(eng, "src", frames)
        return eng

    out["chain"]["element_cycles"] = min_cycles(chain_cycles, max(5, repeat))
    return out


def format_router(r: dict) -> str:
    lines = ["router: examples/router.click (4 interfaces, static encapsulation), one core,",
             "        the paper's flows (1-128 packets, small ones most likely); "
             "Mpps per CPU-second", ""]
    lines.append(f"  {'':<18} {'batched':>9} {'per-packet':>11} {'ratio':>7}")
    for label in ("router_60B", "router_60-1514B", "chain"):
        v = r[label]
        name = {"router_60B": "router, 60 B", "router_60-1514B": "router, 60-1514 B",
                "chain": "chain, 60 B"}[label]
        lines.append(f"  {name:<18} {v['batched_mpps']:9.2f} {v['per_packet_mpps']:11.2f} "
                     f"{v['batched_vs_per_packet']:6.2f}x")
    c = r["chain"]
    lo, hi = c["fastclick_reference_mpps"]
    lines += ["", "  chain = Classifier -> Strip -> CheckIPHeader -> RadixIPLookup -> DecIPTTL -> "
              "EtherEncap", f"  chain vs FastClick ({lo}-{hi} Mpps, measured earlier on this "
              f"machine kind): {c['vs_fastclick']:.2f}x (of {hi})", "",
              f"  cycles/packet, router at 60 B: {r['router_cycles_per_packet']:.0f} in all; "
              "per element (exclusive):"]
    by_class: dict[str, list] = {}
    for name, v in r["element_cycles_60B"].items():
        by_class.setdefault(v["class"], []).append(v)
    for cls, vs in sorted(by_class.items(), key=lambda kv: -sum(x["packets"] * x["cycles_per_packet"]
                                                                  for x in kv[1])):
        n = sum(x["packets"] for x in vs)
        cpp = sum(x["packets"] * x["cycles_per_packet"] for x in vs) / n
        lines.append(f"    {cls:<16} {cpp:7.1f}  ({len(vs)} element{'s' if len(vs) > 1 else ''},"
                     f" {n} packets)")
    lines += ["", "  chain, per element:"]
    for name, v in c["element_cycles"].items():
        lines.append(f"    {v['class']:<16} {v['cycles_per_packet']:7.1f}")
    return "\n".join(lines)
