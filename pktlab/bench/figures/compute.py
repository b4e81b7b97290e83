"""The paper's compute figures in memory: Fig. 15 (compute batching on the
router, per frame size), Fig. 8 (execution models: full push against
Click's queues, pulled or unqueued, and a pipeline over two cores) and the
router on 1 and 2 threads (§5.6).

Fig. 15 runs examples/router.click inline on the calling thread with the
paper's flows (pktlab.traffic.flowgen), in packets per CPU-second of that
thread (pktlab.bench.router's measure). Fig. 8 runs a source -> Counter ->
Discard chain in the engine's workers, pinned, in packets per wall second
and per CPU-second of all the workers together (from /proc): a model that
spends two cores for one core's packets shows it in the second.
"""

from __future__ import annotations

import os
import statistics
import time

from ...engine import Engine
from ...engine.memio import feed
from ...traffic import flowgen
from ..io import TICK, _thread_ticks
from ..router import _forwarded, _measure, _router_engine
from .base import Figure, Sweep

FIG15_SIZES = (60, 128, 256, 512, 1024, 1514)
PACKETS = 1024          # per interface: enough distinct flows, cheap to build


def _fig15_claim(s: Sweep) -> float:
    small = min(s.series("batched")[0])
    return s.value(small, "batched") / s.value(small, "per-packet")


FIG15 = Figure(
    name="fig15", title="Compute batching on the router (examples/router.click, one core)",
    x_key="frame", x_label="frame size (bytes)", y_label="throughput (Mpps per CPU-second)",
    modes=("batched", "per-packet"),
    caption="Figure 15: Batching evaluation - DPDK and Netmap implementations with 4 cores using "
            "the router test case.",
    claim_text="With 60-byte frames the batched router forwards {ratio:.2f}x the per-packet one: "
               "each element's call, and its code and data in the cache, serve a batch.",
    claim=_fig15_claim)


def fig15(sizes=FIG15_SIZES, duration: float = 0.2, repeat: int = 1, on_point=None,
          packets: int = PACKETS) -> Sweep:
    """Batched and per-packet (Engine(per_packet=True)) alternated at each size."""
    sweep = Sweep(FIG15, {"sizes": list(sizes), "duration_cpu_s": duration, "repeat": repeat,
                          "packets_per_interface": packets, "config": "examples/router.click",
                          "flows": f"1-{flowgen.MAX_FLOW} packets, P(k) ~ k^-{flowgen.ALPHA}"})
    for size in sizes:
        traffic = flowgen.router_traffic(packets, seed=1, sizes=size)
        for _ in range(max(1, repeat)):
            for mode in FIG15.modes:
                pps = _measure(lambda: _router_engine(traffic, per_packet=mode == "per-packet"),
                               _forwarded, duration)
                row = sweep.add(size, mode, mpps=pps / 1e6)
                if on_point is not None:
                    on_point(row)
    return sweep


# ---- Fig. 8: execution models ----

CHAIN = "s :: InfiniteSource(LENGTH 64, BURST 32) -> {middle} c :: Counter -> d :: Discard;{sched}"
MODELS = {     # name -> (threads, middle, StaticThreadSched)
    "full push (1 core)": (1, "", ""),
    "Queue, pulled by Discard (1 core)": (1, "q :: Queue(1024) ->", ""),
    "Queue + Unqueue (1 core)": (1, "q :: Queue(1024) -> u :: Unqueue(32) ->", ""),
    "Pipeliner (2 cores)": (2, "p :: Pipeliner(CAPACITY 4096) ->", " StaticThreadSched(s 0, p 1);"),
    "ThreadSafeQueue, pulled (2 cores)": (2, "q :: ThreadSafeQueue(1024) ->",
                                          " StaticThreadSched(s 0, d 1);"),
}


def _fig8_claim(s: Sweep) -> float:
    return (s.value("full push (1 core)", "per CPU-second")
            / s.value("Queue, pulled by Discard (1 core)", "per CPU-second"))


FIG8 = Figure(
    name="fig8", title="Execution models: InfiniteSource(64 B) -> Counter -> Discard",
    x_key="model", x_label="execution model", categorical=True,
    modes=("per wall second", "per CPU-second"),
    caption="Figure 8: Comparison between some execution models. Netmap implementation with 4 or "
            "5 cores using the router test case.",
    claim_text="Full push forwards {ratio:.2f}x per CPU-second what Click's push-to-pull path through a "
               "Queue does: no queue to fill, notify and empty.",
    claim=_fig8_claim)


def _model_rate(config, threads: int, duration: float, count=None,
                feed_traffic=None) -> tuple[float, float]:
    """(packets per wall second, per CPU-second of all the engine's workers)
    through Counter `c` (or `count(engine)`)."""
    eng = Engine(config, threads=threads, pin=True)
    for i, frames in (feed_traffic or {}).items():
        feed(eng, f"in{i}", frames)
    count = count or (lambda e: e["c"].count)
    pid = os.getpid()
    eng.start()
    try:
        deadline = time.monotonic() + 10
        while count(eng) == 0 and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(0.1)
        c0, t0, k0 = count(eng), time.perf_counter(), _thread_ticks(pid)
        time.sleep(duration)
        c1, t1, k1 = count(eng), time.perf_counter(), _thread_ticks(pid)
    finally:
        eng.stop()
    cpu = sum(k1[t] - k0.get(t, 0) for t in k1) / TICK
    n = c1 - c0
    return n / (t1 - t0), (n / cpu if cpu else float("nan"))


def fig8(models=tuple(MODELS), duration: float = 0.3, repeat: int = 1, on_point=None) -> Sweep:
    sweep = Sweep(FIG8, {"models": {m: CHAIN.format(middle=MODELS[m][1], sched=MODELS[m][2])
                                    for m in models}, "duration": duration, "repeat": repeat})
    for m in models:
        threads, middle, sched = MODELS[m]
        cfg = CHAIN.format(middle=middle, sched=sched)
        got = [_model_rate(cfg, threads, duration) for _ in range(max(1, repeat))]
        wall = statistics.median(g[0] for g in got) / 1e6
        cpu = statistics.median(g[1] for g in got) / 1e6
        for mode, v in (("per wall second", wall), ("per CPU-second", cpu)):
            row = sweep.add(m, mode, mpps=v, threads=threads)
            if on_point is not None:
                on_point(row)
    return sweep


# ---- §5.6: the router on 1 and 2 threads ----

def _scaling_claim(s: Sweep) -> float:
    return s.value(2, "per CPU-second") / s.value(1, "per CPU-second")


SCALING = Figure(
    name="scaling", title="The router on 1 and 2 threads (examples/router.click, 60 B, in memory)",
    x_key="threads", x_label="threads (one core each)", modes=("per wall second", "per CPU-second"),
    caption="§5.6: FastClick gives each thread its own path through the same elements (per-thread "
            "state, a queue per thread at the outputs), so threads do not contend.",
    claim_text="Each of 2 threads forwards {ratio:.2f}x per CPU-second what 1 thread does: "
               "the threads share the elements, not a lock.",
    claim=_scaling_claim)


def scaling(threads=(1, 2), duration: float = 0.4, repeat: int = 1, on_point=None,
            packets: int = PACKETS) -> Sweep:
    from ..router import router_graph

    traffic = flowgen.router_traffic(packets, seed=1, sizes=60)
    sweep = Sweep(SCALING, {"threads": list(threads), "duration": duration, "repeat": repeat,
                            "packets_per_interface": packets, "config": "examples/router.click"})
    for _ in range(max(1, repeat)):
        for n in threads:
            wall, cpu = _model_rate(router_graph(), n, duration, count=_forwarded,
                                    feed_traffic=traffic)
            for mode, v in (("per wall second", wall / 1e6), ("per CPU-second", cpu / 1e6)):
                row = sweep.add(n, mode, mpps=v)
                if on_point is not None:
                    on_point(row)
    return sweep


def bench_scaling(duration: float = 0.4, repeat: int = 1) -> dict:
    s = scaling(duration=duration, repeat=repeat)
    return s.as_dict() | {"wall_speedup": s.value(2, "per wall second") / s.value(1, "per wall second")}


def bench_fig15(duration: float = 0.2, repeat: int = 1) -> dict:
    return fig15(duration=duration, repeat=repeat).as_dict()


def bench_fig8(duration: float = 0.3, repeat: int = 1) -> dict:
    return fig8(duration=duration, repeat=repeat).as_dict()
