"""The paper's I/O figures over DPDK's net_null virtual devices: Fig. 5 (I/O
batching: BURST), Fig. 6 (ring size: NDESC against BURST), Fig. 9 (zero
copy against copy, by frame size) and Fig. 11 (a TX queue per thread against
one locked queue).

Each point is FromDPDKDevice(net_null0) -> ToDPDKDevice(net_null1) on one
pinned core, measured in a fresh process (DPDK's EAL runs once per process:
pktlab.bench.io's worker), which reports each point as it is measured so a
notebook can draw it live. Points are packets per wall second and per
CPU-second of the forwarding thread (mpps, mpps_cpu).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import threading
from dataclasses import replace

from .. import io as bio
from .base import Figure, Sweep

BURSTS = (1, 2, 4, 8, 16, 32, 64, 128, 256)
FIG5_BURSTS = (1, 2, 4, 8, 32, 128)
FIG6_BURSTS = (1, 4, 32, 256)
FIG6_NDESCS = (128, 512, 2048)
FIG9_SIZES = (64, 128, 256, 512, 1024, 1500)
WARMUP = 0.2
# Per CPU-second of the forwarding thread: on a shared machine the thread gets
# part of its core, and wall-clock rates fall with what else runs.
CPU_LABEL = "throughput (Mpps per CPU-second)"
# FastClick (DPDK, BURST 32) on net_null0 -> net_null1, one core, measured by
# the project on this machine kind (pktlab bench io's reference).
FASTCLICK_BURST32_MPPS = (39.0, 41.0)


def _points(sweep: Sweep, runs: list[tuple[dict, dict]], duration: float, repeat: int,
            on_point=None, eal: str = bio.EAL_NULL, vdevs=()) -> Sweep:
    """Measure runs [(row fields, worker run)] `repeat` times, adding rows as they come."""
    spec = {"eal": eal, "add_vdevs": list(vdevs), "warmup": WARMUP, "duration": duration,
            "runs": [run for _, run in runs] * max(1, repeat)}
    for k, res in enumerate(stream_worker(spec)):
        fields, _ = runs[k % len(runs)]
        row = sweep.add(**fields, mpps=res["mpps"], mpps_cpu=res["mpps_cpu"],
                        **{h.split(".")[1]: v for h, v in res.items() if "." in h})
        if on_point is not None:
            on_point(row)
    return sweep


def stream_worker(spec: dict, timeout: float = 300):
    """pktlab.bench.io.run_worker's results one at a time, as each run
    finishes (a live plot draws each point when it is measured)."""
    with tempfile.TemporaryFile(mode="w+") as err:       # EAL's log: no pipe to fill
        p = subprocess.Popen([sys.executable, "-m", "pktlab.bench.io", "--stream",
                              json.dumps(spec)], stdout=subprocess.PIPE, stderr=err, text=True)
        timer = threading.Timer(timeout, p.kill)
        timer.start()
        try:
            for line in p.stdout:
                if line.startswith("{"):
                    yield json.loads(line)
            if p.wait() != 0:
                err.seek(0)
                raise RuntimeError(f"benchmark worker failed (exit status {p.returncode}):\n"
                                   f"{err.read()[-2000:]}")
        finally:
            timer.cancel()
            if p.poll() is None:
                p.kill()
                p.wait()
            p.stdout.close()


# ---- Fig. 5: I/O batching ----

def _fig5_claim(s: Sweep) -> float:
    return s.value(32, "compute batching") / s.value(1, "compute batching")



FIG5 = Figure(
    name="fig5", title="I/O batching: throughput against BURST (net_null, 64 B, one core)",
    x_key="burst", x_label="BURST (packets per device call)", x_log=True,
    modes=("compute batching", "per-packet"), y_key="mpps_cpu", y_label=CPU_LABEL,
    caption="Figure 5: I/O Batching - Vanilla Click using Netmap with 4 cores using the "
            "forwarding test case (queue size = 512). A synchronization is forced after each "
            "\"batch size\".",
    claim_text="BURST 32 forwards {ratio:.2f}x what BURST 1 does: one device call per packet "
               "costs more than the packet's own work.",
    references={"FastClick, BURST 32 (this machine kind, quiet)":
                [(32, FASTCLICK_BURST32_MPPS[0]), (32, FASTCLICK_BURST32_MPPS[1])]},
    claim=_fig5_claim)


def fig5(bursts=FIG5_BURSTS, duration: float = 0.3, repeat: int = 1, on_point=None) -> Sweep:
    """BURST on both elements; the engine compute-batched, and per-packet
    (Engine(per_packet=True): I/O still in bursts, the graph one packet at a time)."""
    sweep = Sweep(FIG5, {"bursts": list(bursts), "duration": duration, "repeat": repeat,
                         "frame": 64, "devices": bio.EAL_NULL})
    runs = []
    for b in bursts:
        for mode in FIG5.modes:
            runs.append(({"x": b, "mode": mode},
                         {"config": bio._fwd(b=b), "per_packet": mode == "per-packet"}))
    return _points(sweep, runs, duration, repeat, on_point)


# ---- Fig. 6: ring size ----

def _fig6_best(s: Sweep) -> int:
    """The BURST best on average over the ring sizes."""
    bursts = s.series(FIG6.modes[0])[0]
    return max(bursts, key=lambda b: sum(s.value(b, m) / max(s.series(m)[1]) for m in _modes6(s)))


def _modes6(s: Sweep) -> list[str]:
    return [m for m in dict.fromkeys(r["mode"] for r in s.rows)]


def _fig6_claim(s: Sweep) -> float:
    best = _fig6_best(s)
    return min(s.value(best, m) / max(s.series(m)[1]) for m in _modes6(s))


FIG6 = Figure(
    name="fig6", title="Ring size: throughput against BURST for several NDESC (net_null, 64 B)",
    x_key="burst", x_label="BURST (packets per device call)", x_log=True,
    modes=tuple(f"NDESC {n}" for n in FIG6_NDESCS), y_key="mpps_cpu", y_label=CPU_LABEL,
    caption="Figure 6: Influence of ring size - FastClick using Netmap with 4 cores using the "
            "forwarding test case and packets of 64 bytes.",
    claim_text="At the BURST best overall every ring size reaches {ratio:.0%} of its own best: "
               "the best burst does not depend on the ring size.",
    claim=_fig6_claim)


def fig6(bursts=FIG6_BURSTS, ndescs=FIG6_NDESCS, duration: float = 0.3, repeat: int = 1,
         on_point=None) -> Sweep:
    fig = replace(FIG6, modes=tuple(f"NDESC {n}" for n in ndescs))
    sweep = Sweep(fig, {"bursts": list(bursts), "ndescs": list(ndescs), "duration": duration,
                        "repeat": repeat, "frame": 64, "devices": bio.EAL_NULL})
    runs = [({"x": b, "mode": f"NDESC {n}", "ndesc": n}, {"config": bio._fwd(b=b, n=n)})
            for n in ndescs for b in bursts]
    return _points(sweep, runs, duration, repeat, on_point)


def ndesc_spread(s: Sweep) -> float:
    """Fastest over slowest ring size at the best BURST (the paper's second
    point: on a NIC bigger rings were slower; virtual devices have no rings)."""
    best = _fig6_best(s)
    vals = [s.value(best, m) for m in _modes6(s)]
    return max(vals) / min(vals)


# ---- Fig. 9: zero copy ----

def _fig9_ratio(s: Sweep, size) -> float:
    return s.value(size, "copy") / s.value(size, "zero copy")


def _fig9_claim(s: Sweep) -> float:
    sizes = s.series("copy")[0]
    return _fig9_ratio(s, min(sizes)) / _fig9_ratio(s, max(sizes))


FIG9 = Figure(
    name="fig9", title="Zero copy against copy, by frame size (net_null, one core)",
    x_key="frame", x_label="frame size (bytes)", modes=("zero copy", "copy"), y_key="mpps_cpu",
    y_label=CPU_LABEL,
    caption="Figure 9: Zero copy influence - DPDK and Netmap implementations with 2 cores using "
            "the forwarding test case.",
    claim_text="copy/zero copy at the smallest frame over copy/zero copy at the largest: "
               "{ratio:.2f}x: copying costs more the bigger the frame.",
    claim=_fig9_claim)


def fig9(sizes=FIG9_SIZES, duration: float = 0.3, repeat: int = 1, on_point=None) -> Sweep:
    """FromDPDKDevice(COPY false|true): the copy mode copies each packet into
    an engine buffer and ToDPDKDevice back into a fresh mbuf."""
    sweep = Sweep(FIG9, {"sizes": list(sizes), "duration": duration, "repeat": repeat,
                         "burst": 32, "devices": "net_null10.. with size=FRAME"})
    vdevs = [f"net_null{10 + i},size={s}" for i, s in enumerate(sizes)]
    runs = []
    for i, size in enumerate(sizes):
        for mode, copy in (("zero copy", "false"), ("copy", "true")):
            cfg = bio.FWD.format(b=32, n=0, copy=f", COPY {copy}", out="net_null1") \
                .replace("net_null0", f"net_null{10 + i}")
            runs.append(({"x": size, "mode": mode}, {"config": cfg, "read": ["td.copies"]}))
    return _points(sweep, runs, duration, repeat, on_point, vdevs=vdevs)


# ---- Fig. 11: multi-queue against locking ----

MQ = "fd :: FromDPDKDevice(net_null0) -> td :: ToDPDKDevice(net_null1{nq});"


def _fig11_claim(s: Sweep) -> float:
    return s.value(2, "TX queue per thread") / s.value(2, "one TX queue, locked")


FIG11 = Figure(
    name="fig11", title="Multi-queue against locking: FromDPDKDevice(net_null0) -> "
                        "ToDPDKDevice(net_null1), 64 B",
    x_key="threads", x_label="threads (one core each)", modes=("TX queue per thread",
                                                               "one TX queue, locked"),
    caption="Figure 11: Full push path using multi-queue compared to locking - DPDK and Netmap "
            "implementations with 4 cores using the router test case.",
    claim_text="On 2 threads a TX queue per thread forwards {ratio:.2f}x what one shared, "
               "locked TX queue does.",
    claim=_fig11_claim)


def fig11(threads=(1, 2), duration: float = 0.4, repeat: int = 1, on_point=None) -> Sweep:
    """Per wall second: packets/CPU-second of one thread says nothing of two."""
    sweep = Sweep(FIG11, {"threads": list(threads), "duration": duration, "repeat": repeat,
                          "frame": 64, "devices": bio.EAL_NULL})
    runs = [({"x": n, "mode": mode}, {"config": MQ.format(nq=nq), "threads": n})
            for n in threads for mode, nq in (("TX queue per thread", ""),
                                              ("one TX queue, locked", ", N_QUEUES 1"))]
    return _points(sweep, runs, duration, repeat, on_point)


def bench_fig11(duration: float = 0.4, repeat: int = 1) -> dict:
    return fig11(duration=duration, repeat=repeat).as_dict()


def bench_fig5(duration: float = 0.3, repeat: int = 1) -> dict:
    return fig5(duration=duration, repeat=repeat).as_dict()


def bench_fig6(duration: float = 0.3, repeat: int = 1) -> dict:
    s = fig6(duration=duration, repeat=repeat)
    return s.as_dict() | {"ndesc_spread": ndesc_spread(s)}


def bench_fig9(duration: float = 0.3, repeat: int = 1) -> dict:
    return fig9(duration=duration, repeat=repeat).as_dict()
