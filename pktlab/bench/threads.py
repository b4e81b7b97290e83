"""`pktlab bench threads`: multi-core scaling and execution models.

- forwarding (InfiniteSource -> Counter -> Discard, one source per thread)
  on 1 and 2 threads: total Mpps and the speed-up;
- the paper's Fig. 8 shape: the same chain with one source and a Counter
  after it, full push vs the Pipeliner model (source on thread 0, the rest
  drained on thread 1), per core.

- the vanilla Click model on one core: the source pushes into a Queue, an
  Unqueue pulls batches out and pushes them on;
- the router (examples/router.click, in-memory inputs replaying the paper's
  traffic, 60-byte frames) on 1 and 2 threads;
- the paper's Fig. 11 shape over DPDK virtual devices: FromDPDKDevice(net_null0)
  -> ToDPDKDevice(net_null1) on 1 thread, then on 2 threads with a TX queue
  per thread (multi-queue) and with one TX queue shared under a lock.
"""

from __future__ import annotations

import os

import statistics
import time

from .measure import median_rate

ONE = "s0 :: InfiniteSource(LENGTH 64, BURST 32) -> c :: Counter -> d :: Discard;"
# Two sources on two threads joined in one Counter: full push, no lock, no atomics.
TWO = ("s0 :: InfiniteSource(LENGTH 64, BURST 32); s1 :: InfiniteSource(LENGTH 64, BURST 32);"
       " c :: Counter; d :: Discard; s0 -> c; s1 -> c; c -> d; StaticThreadSched(s0 0, s1 1);")
QUEUED = ("s0 :: InfiniteSource(LENGTH 64, BURST 32) -> q :: Queue(1024) -> u :: Unqueue(32)"
          " -> c :: Counter -> d :: Discard;")
PIPED = ("s0 :: InfiniteSource(LENGTH 64, BURST 32) -> p :: Pipeliner(CAPACITY 4096)"
         " -> c :: Counter -> d :: Discard; StaticThreadSched(s0 0, p 1);")

# The paper's Fig. 8 "i-j" models on 2 threads: i cores run the input side,
# j cores the output side. The same chain (a source, work, a Counter, work,
# Discard) in full push on one core (the reference), then split in two by a
# Pipeliner: "1-1" (input on worker 0, output on worker 1), its ring moving
# batches (BATCHES true) or packets (BATCHES false).
FIG8_IN = "s0 :: InfiniteSource(LENGTH 64, BURST 32) -> Paint(1) -> a :: Counter -> "
FIG8_OUT = "Paint(2) -> c :: Counter -> d :: Discard;"
FIG8 = {"full push, 1 core": FIG8_IN + FIG8_OUT,
        "1-1 Pipeliner, batches": FIG8_IN + "p :: Pipeliner(CAPACITY 4096, BATCHES true) -> "
        + FIG8_OUT + "StaticThreadSched(s0 0, p 1);",
        "1-1 Pipeliner, packets": FIG8_IN + "p :: Pipeliner(CAPACITY 4096, BATCHES false) -> "
        + FIG8_OUT + "StaticThreadSched(s0 0, p 1);"}

MQ = "fd :: FromDPDKDevice(net_null0) -> td :: ToDPDKDevice(net_null1{nq});"


def _fig8_rate(config: str, threads: int, duration: float) -> tuple[float, float]:
    """(Mpps through c, Mpps per CPU-second of the workers together: the
    `threads` busiest threads of the process)."""
    from ..engine import Engine
    from .io import TICK, _thread_ticks

    eng = Engine(config, threads=threads, pin=True)
    eng.start()
    try:
        time.sleep(0.3)
        c0, t0, k0 = eng["c"].count, time.perf_counter(), _thread_ticks(os.getpid())
        time.sleep(duration)
        c1, t1, k1 = eng["c"].count, time.perf_counter(), _thread_ticks(os.getpid())
    finally:
        eng.stop()
    cpu = sum(sorted((k1[t] - k0.get(t, 0) for t in k1), reverse=True)[:threads]) / TICK
    return (c1 - c0) / (t1 - t0) / 1e6, (c1 - c0) / cpu / 1e6 if cpu else 0.0


def fig8(duration: float = 1.0, repeat: int = 3) -> dict:
    """Fig. 8 models, alternated in every round: Mpps through the last Counter
    (and per CPU-second of its workers together: on a shared machine the wall
    rate of two threads is mostly the other work's), each against the full
    push of the same chain on one core in the same round."""
    got: dict[str, list[tuple[float, float]]] = {k: [] for k in FIG8}
    for _ in range(repeat):
        for name, config in FIG8.items():
            got[name].append(_fig8_rate(config, 1 if "1 core" in name else 2, duration))
    ref = got["full push, 1 core"]

    def over(i, a, b):
        return b[i] / a[i] if a[i] else 0.0

    rows = {k: {"mpps": statistics.median(x[0] for x in v), "runs_mpps": [x[0] for x in v],
                "mpps_cpu": statistics.median(x[1] for x in v),
                "over_full_push_1core": statistics.median(over(0, a, b) for a, b in zip(ref, v)),
                "over_full_push_1core_cpu": statistics.median(over(1, a, b) for a, b in zip(ref, v))}
            for k, v in got.items()}
    return {"benchmark": "pipeline", "cores": os.cpu_count(), "chain": FIG8["full push, 1 core"],
            "settings": {"duration": duration, "repeat": repeat}, "models": rows}


def format_fig8(r: dict) -> str:
    lines = [f"Fig. 8 models on 2 threads ({r['cores']} cores): {r['chain']}",
             "  model                      Mpps  / 1-core push   Mpps per CPU-s of the "
             "workers  / 1-core push"]
    for k, v in r["models"].items():
        lines.append(f"  {k:<24} {v['mpps']:7.2f}   {v['over_full_push_1core']:5.2f}"
                     f"          {v['mpps_cpu']:7.2f}                     "
                     f"{v['over_full_push_1core_cpu']:5.2f}")
    return "\n".join(lines)


def _router_rate(threads: int, traffic, duration: float) -> float:
    from ..engine import Engine
    from ..engine.memio import feed
    from .router import _forwarded, router_graph

    eng = Engine(router_graph(), threads=threads, pin=True)
    for i, frames in traffic.items():
        feed(eng, f"in{i}", frames)
    eng.start()
    try:
        time.sleep(0.3)
        c0, t0 = _forwarded(eng), time.perf_counter()
        time.sleep(duration)
        c1, t1 = _forwarded(eng), time.perf_counter()
    finally:
        eng.stop()
    return (c1 - c0) / (t1 - t0)


def router_scaling(duration: float, repeat: int) -> dict:
    from ..traffic import flowgen

    traffic = flowgen.router_traffic(8192, seed=1, sizes=60)
    one, two = [], []
    for _ in range(repeat):                 # alternated, so that drift hits both alike
        one.append(_router_rate(1, traffic, duration))
        two.append(_router_rate(2, traffic, duration))
    m1, m2 = statistics.median(one) / 1e6, statistics.median(two) / 1e6
    return {"1": {"mpps": m1}, "2": {"mpps": m2}, "speedup": m2 / m1}


def multiqueue_vs_locking(duration: float, repeat: int) -> dict:
    """Fig. 11 shape: each run in a fresh DPDK process (pktlab.bench.io)."""
    from .io import EAL_NULL, run_worker

    runs = [{"config": MQ.format(nq="")},
            {"config": MQ.format(nq=""), "threads": 2, "read": ["td.device"]},
            {"config": MQ.format(nq=", N_QUEUES 1"), "threads": 2, "read": ["td.device"]}]
    got = [run_worker({"eal": EAL_NULL, "warmup": 0.5, "duration": duration, "runs": runs})
           for _ in range(repeat)]
    med = [statistics.median(g[i]["mpps"] for g in got) for i in range(3)]
    return {"1_thread": {"mpps": med[0]},
            "2_threads_multiqueue": {"mpps": med[1], "device": got[0][1]["td.device"]},
            "2_threads_locked": {"mpps": med[2], "device": got[0][2]["td.device"]},
            "multiqueue_speedup": med[1] / med[0], "locked_speedup": med[2] / med[0],
            "multiqueue_vs_locked": med[1] / med[2]}


def bench_threads(duration: float = 1.0, repeat: int = 3) -> dict:
    kw = {"duration": duration, "repeat": repeat}
    cores = os.cpu_count() or 1
    out: dict = {"benchmark": "threads", "cores": cores, "settings": kw}
    ones, twos = [], []
    for _ in range(repeat):               # alternated, so that drift hits both alike
        ones.append(median_rate(ONE, "c", threads=1, duration=duration, repeat=1)["mpps"])
        twos.append(median_rate(TWO, "c", threads=2, duration=duration, repeat=1)["mpps"])
    one = {"mpps": statistics.median(ones), "runs_mpps": ones}
    two = {"mpps": statistics.median(twos), "runs_mpps": twos}
    out["forward"] = {"1": one, "2": two, "speedup": two["mpps"] / one["mpps"],
                      "speedup_per_pair": statistics.median(b / a for a, b in zip(ones, twos))}
    push = one
    piped = median_rate(PIPED, "c", threads=2, **kw)
    queued = median_rate(QUEUED, "c", threads=1, **kw)
    out["models"] = {
        "full_push_1core": push,
        "pipeliner_2cores": piped,
        "queue_1core": queued,
        "full_push_vs_queue_1core": push["mpps"] / queued["mpps"],
        "full_push_per_core_vs_pipeliner_per_core": push["mpps"] / (piped["mpps"] / 2),
    }
    out["fig8"] = fig8(duration, repeat)
    out["router"] = router_scaling(duration, repeat)
    from ..engine import dpdk

    if dpdk.available():
        out["dpdk"] = multiqueue_vs_locking(duration, repeat)
    else:
        out["dpdk"] = {"skipped": "pktlab was built without DPDK"}
    return out


def format_threads(r: dict) -> str:
    f, m = r["forward"], r["models"]
    return "\n".join([
        f"threads ({r['cores']} cores): InfiniteSource(LENGTH 64, BURST 32) -> Counter -> Discard",
        f"  1 thread: {f['1']['mpps']:.2f} Mpps; 2 threads: {f['2']['mpps']:.2f} Mpps;"
        f" speed-up {f['speedup']:.2f}x (median of pairs run back to back:"
        f" {f['speedup_per_pair']:.2f}x)",
        f"  full push on 1 core: {m['full_push_1core']['mpps']:.2f} Mpps;"
        f" Pipeliner over 2 cores: {m['pipeliner_2cores']['mpps']:.2f} Mpps;"
        f" full push per core / Pipeliner per core: {m['full_push_per_core_vs_pipeliner_per_core']:.2f}x",
        f"  Queue + Unqueue on 1 core: {m['queue_1core']['mpps']:.2f} Mpps;"
        f" full push / Queue: {m['full_push_vs_queue_1core']:.2f}x",
        format_fig8(r["fig8"]) if "fig8" in r else "",
        f"router (60 B, in memory): 1 thread {r['router']['1']['mpps']:.2f} Mpps;"
        f" 2 threads {r['router']['2']['mpps']:.2f} Mpps; speed-up {r['router']['speedup']:.2f}x",
    ] + _format_dpdk(r["dpdk"]))


def _format_dpdk(d: dict) -> list[str]:
    if "skipped" in d:
        return [f"DPDK multi-queue vs locking: skipped ({d['skipped']})"]
    return [
        "DPDK FromDPDKDevice(net_null0) -> ToDPDKDevice(net_null1) (Fig. 11 shape):",
        f"  1 thread {d['1_thread']['mpps']:.2f} Mpps; 2 threads, TX queue per thread"
        f" {d['2_threads_multiqueue']['mpps']:.2f} Mpps ({d['multiqueue_speedup']:.2f}x);"
        f" 2 threads, one locked TX queue {d['2_threads_locked']['mpps']:.2f} Mpps"
        f" ({d['locked_speedup']:.2f}x); multi-queue / locked {d['multiqueue_vs_locked']:.2f}x",
    ]
