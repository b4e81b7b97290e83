"""`pktlab bench io --breakdown`: the engine's per-packet cost on the DPDK
forwarding path (FromDPDKDevice(net_null0) -> ToDPDKDevice(net_null1), one
core, BURST 32, 64-byte frames) in parts, with the bare io loop measured in
the same worker process.

How the parts are measured: Engine(breakdown=True) reads the TSC at the
stage boundaries of the batch path, once per batch (a dozen marks per batch,
none per packet: native/core/element.h, pl_bd_mark); each mark adds the
cycles since the previous one to the stage that just ended, so the stages
tile the worker's time (the stage open at each end of the window is counted
from the last mark's TSC, "window edges"). The parts are cycles / TSC rate /
packets forwarded;
the whole is the wall time of the measurement window / packets forwarded,
measured apart (the control thread's clock and the TX counter): the parts
sum to it when the marks cover the worker's whole loop, no gap, no overlap.
The marks cost time of their own (calibrated here on the forwarding CPU,
pl_breakdown_mark_cycles): each part is also given with that taken out
("net"), and the net sum set against the uninstrumented engine and the bare
io loop (testpmd's rx/tx loop on the same pool) measured in the same process.

Stages: rx_device (rte_eth_rx_burst), rx_conversion (mbufs into a batch:
metadata writes, links), dispatch (the worker's task loop, the elements'
own code, the edge's push call), statistics (port and element counters),
tx_conversion (the batch back into an mbuf array, what the device refused
back into the batch), tx_device (rte_eth_tx_burst).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time

from .io import CPU, EAL_NULL, _fwd, _measure, _thread_ticks, run_worker

STAGES = ("rx_device", "rx_conversion", "dispatch", "statistics", "tx_conversion", "tx_device")
PREEMPTED = "preempted"        # a stage longer than ~8 us: the worker was off the CPU
EDGES = "window_edges"         # the stages open when the window began and ended (in_progress)
ENGINE_PARTS = ("rx_conversion", "dispatch", "statistics", "tx_conversion")


def _sample(eng, td, lib, tries: int = 50):
    """(wall clock, TSC, packets sent, stages) read together: the reads are
    bracketed by clock reads and retried while the bracket is wider than
    0.2 ms (this thread preempted between them); the clocks are its midpoints."""
    best = None
    for _ in range(tries):
        ta, sa = time.perf_counter(), lib.pl_tsc()
        c, b = td.count, eng.breakdown()
        tb, sb = time.perf_counter(), lib.pl_tsc()
        got = ((ta + tb) / 2, (sa + sb) // 2, c, b)
        if best is None or tb - ta < best[0]:
            best = (tb - ta, got)
        if tb - ta < 2e-4:
            break
    return best[1]


def _instrumented(spec: dict, run: dict) -> dict:
    """One engine with breakdown=True: stage cycles over a window, the TSC rate."""
    from ..engine import Engine
    from ..engine._lib import lib

    cpu = spec.get("cpu", CPU)
    eng = Engine(run["config"], pin=True, first_cpu=cpu, breakdown=True,
                 vectors=run.get("vectors", False))
    td = eng["td"]
    eng.start()
    try:
        time.sleep(spec["warmup"])
        k0 = _thread_ticks(os.getpid())
        t0, s0, c0, b0 = _sample(eng, td, lib)
        time.sleep(spec["duration"])
        t1, s1, c1, b1 = _sample(eng, td, lib)
        k1 = _thread_ticks(os.getpid())
    finally:
        eng.stop()
    del eng
    mask = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {cpu})           # a mark's own cost, on the forwarding CPU
    try:
        mark = min(lib.pl_breakdown_mark_cycles(200000) for _ in range(5))
    finally:
        os.sched_setaffinity(0, mask)
    cpu_s = max((k1[t] - k0.get(t, 0) for t in k1), default=0) / os.sysconf("SC_CLK_TCK")
    return {"packets": c1 - c0, "wall_s": t1 - t0, "cpu_s": cpu_s, "tsc_hz": (s1 - s0) / (t1 - t0),
            "mark_cycles": mark,
            "cycles": {k: b1[k]["cycles"] - b0[k]["cycles"] for k in b1},
            "marks": {k: b1[k]["marks"] - b0[k]["marks"] for k in b1}}


def _worker(spec: dict) -> list[dict]:
    from ..engine import dpdk

    dpdk.init(spec["eal"], mbufs=spec.get("mbufs", dpdk.DEFAULT_MBUFS))
    out = []
    for run in spec["runs"]:
        out.append(_instrumented(spec, run) if run.get("breakdown") else _measure(spec, run))
    return out


def _one(m: dict) -> dict:
    """ns/packet per stage (raw and net of the marks' cost) from one window."""
    n, hz = m["packets"], m["tsc_hz"]
    raw = {k: m["cycles"][k] / hz / n * 1e9 for k in (*STAGES, PREEMPTED)}
    raw[EDGES] = m["cycles"]["in_progress"] / hz / n * 1e9
    net = {k: max(0.0, (m["cycles"][k] - m["marks"][k] * m["mark_cycles"]) / hz / n * 1e9)
           for k in STAGES}
    return {"raw": raw, "net": net, "whole_ns": m["wall_s"] / n * 1e9,
            "marks_per_batch": sum(m["marks"].values()) / max(1, m["marks"]["rx_device"]),
            "mark_ns": m["mark_cycles"] / hz * 1e9, "tsc_ghz": hz / 1e9,
            "cpu_share": m["cpu_s"] / m["wall_s"] if m["wall_s"] else None}


def _summary(windows: list[dict]) -> dict:
    """Medians over the worker processes of one instrumented variant."""
    def med(f):
        return statistics.median(f(w) for w in windows)

    raw = {k: med(lambda w, k=k: w["raw"][k]) for k in (*STAGES, PREEMPTED, EDGES)}
    net = {k: med(lambda w, k=k: w["net"][k]) for k in STAGES}
    return {"parts_ns": {k: raw[k] for k in STAGES}, "preempted_ns": raw[PREEMPTED],
            "window_edges_ns": raw[EDGES],
            "parts_net_ns": net, "whole_ns": med(lambda w: w["whole_ns"]),
            "parts_sum_ns": sum(raw.values()), "on_cpu_ns": sum(raw[k] for k in STAGES),
            "parts_sum_over_whole": med(lambda w: sum(w["raw"].values()) / w["whole_ns"]),
            "net_sum_ns": sum(net.values()), "engine_net_ns": sum(net[k] for k in ENGINE_PARTS),
            "marks_per_batch": med(lambda w: w["marks_per_batch"]),
            "mark_ns": med(lambda w: w["mark_ns"]), "tsc_ghz": med(lambda w: w["tsc_ghz"]),
            "windows": windows}


def _ns(runs: list[dict], key: str):
    v = [1e3 / r[key] for r in runs if r.get(key)]
    return statistics.median(v) if v else None


def _ratio(a, b):
    return a / b if a and b else None


def bench_breakdown(duration: float = 1.0, repeat: int = 3) -> dict:
    """The linked-list batch (the default) and batch vectors (Engine(vectors=True)),
    each unmarked and marked, and the bare io loop, in every worker process."""
    fwd = {"config": _fwd()}
    spec = {"eal": EAL_NULL, "warmup": 0.5, "duration": duration,
            "runs": [{"reference": ["net_null0", "net_null1"]}, fwd, fwd | {"vectors": True},
                     fwd | {"breakdown": True}, fwd | {"breakdown": True, "vectors": True}]}
    got = [run_worker(spec, module="pktlab.bench.breakdown") for _ in range(repeat)]
    res = {"benchmark": "io --breakdown", "frame": 64, "burst": 32, "cpu": CPU,
           "config": _fwd(), "settings": {"duration": duration, "repeat": repeat, "eal": EAL_NULL}}
    res |= _summary([_one(g[3]) for g in got])
    res["vectors"] = _summary([_one(g[4]) for g in got])
    for name, i in (("io_loop", 0), ("engine", 1), ("engine_vectors", 2)):
        res[f"{name}_ns"] = _ns([g[i] for g in got], "mpps")
        res[f"{name}_ns_cpu"] = _ns([g[i] for g in got], "mpps_cpu")
    for k in ("", "_cpu"):
        res[f"engine_over_io_loop{k}"] = _ratio(res[f"io_loop_ns{k}"], res[f"engine_ns{k}"])
        res[f"vectors_over_io_loop{k}"] = _ratio(res[f"io_loop_ns{k}"], res[f"engine_vectors_ns{k}"])
        res[f"vectors_over_list{k}"] = _ratio(res[f"engine_ns{k}"], res[f"engine_vectors_ns{k}"])
    res["runs"] = got
    return res


def _f(x, w=7) -> str:
    return f"{x:{w}.2f}" if isinstance(x, (int, float)) else " " * (w - 1) + "-"


def _sub(a, b):
    return a - b if a is not None and b is not None else None


def format_breakdown(r: dict) -> str:
    lines = [f"io --breakdown: {r['config']}", f"  one core (CPU {r['cpu']}), 64-byte frames, "
             f"medians of {r['settings']['repeat']} worker processes", "",
             "  stage            ns/packet  net of marks"]
    for k in STAGES:
        lines.append(f"  {k:<16} {_f(r['parts_ns'][k], 9)}  {_f(r['parts_net_ns'][k], 9)}")
    lines += [f"  {'on the CPU':<16} {_f(r['on_cpu_ns'], 9)}  {_f(r['net_sum_ns'], 9)}",
              f"  {PREEMPTED + ' (>8us)':<16} {_f(r['preempted_ns'], 9)}   (the machine's other work)",
              f"  {'window edges':<16} {_f(r['window_edges_ns'], 9)}   (stages open at the window's "
              "ends: end minus start)",
              f"  {'sum of parts':<16} {_f(r['parts_sum_ns'], 9)}",
              f"  {'whole (wall)':<16} {_f(r['whole_ns'], 9)}     sum/whole {_f(r['parts_sum_over_whole'], 5)}",
              f"  marks: {_f(r['marks_per_batch'], 4)} per batch, {_f(r['mark_ns'], 4)} ns each; "
              f"TSC {_f(r['tsc_ghz'], 4)} GHz", "",
              "  same process, no marks             ns/packet  per CPU-s",
              f"  bare io loop (rx_burst + tx_burst) {_f(r['io_loop_ns'], 9)}  {_f(r['io_loop_ns_cpu'], 9)}",
              f"  engine (FromDPDK -> ToDPDK)        {_f(r['engine_ns'], 9)}  {_f(r['engine_ns_cpu'], 9)}",
              f"  engine / io loop speed           {_f(r['engine_over_io_loop'], 9)}  "
              f"{_f(r['engine_over_io_loop_cpu'], 9)}",
              f"  engine's own parts (net of marks): {_f(r['engine_net_ns'], 5)} ns/packet; "
              f"engine - io loop per CPU-s: {_f(_sub(r['engine_ns_cpu'], r['io_loop_ns_cpu']), 5)}"]
    v = r["vectors"]
    lines += ["", "  batch vectors (Engine(vectors=True)): TX follows the RX burst's array",
              "  stage            list (net)  vectors (net)"]
    for k in STAGES:
        lines.append(f"  {k:<16} {_f(r['parts_net_ns'][k], 9)}  {_f(v['parts_net_ns'][k], 9)}")
    lines += [f"  {'on the CPU':<16} {_f(r['net_sum_ns'], 9)}  {_f(v['net_sum_ns'], 9)}"
              f"     vectors: sum/whole {_f(v['parts_sum_over_whole'], 5)}",
              f"  unmarked, ns/packet per CPU-s: list {_f(r['engine_ns_cpu'], 5)}, vectors "
              f"{_f(r['engine_vectors_ns_cpu'], 5)};  speed vectors / list {_f(r['vectors_over_list_cpu'], 5)}"
              f", vectors / io loop {_f(r['vectors_over_io_loop_cpu'], 5)}"]
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--worker":
        print(json.dumps(_worker(json.loads(sys.argv[2]))))
    else:
        print(format_breakdown(bench_breakdown()))
