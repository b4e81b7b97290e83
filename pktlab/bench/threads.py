"""`pktlab bench threads`: multi-core scaling and execution models.

- forwarding (InfiniteSource -> Counter -> Discard, one source per thread)
  on 1 and 2 threads: total Mpps and the speed-up;
- the paper's Fig. 8 shape: the same chain with one source and a Counter
  after it, full push vs the Pipeliner model (source on thread 0, the rest
  drained on thread 1), per core.

- the vanilla Click model on one core: the source pushes into a Queue, an
  Unqueue pulls batches out and pushes them on.
"""

from __future__ import annotations

import os

from .measure import median_rate

ONE = "s0 :: InfiniteSource(LENGTH 64, BURST 32) -> c :: Counter -> d :: Discard;"
# Two sources on two threads joined in one Counter: full push, no lock, no atomics.
TWO = ("s0 :: InfiniteSource(LENGTH 64, BURST 32); s1 :: InfiniteSource(LENGTH 64, BURST 32);"
       " c :: Counter; d :: Discard; s0 -> c; s1 -> c; c -> d; StaticThreadSched(s0 0, s1 1);")
QUEUED = ("s0 :: InfiniteSource(LENGTH 64, BURST 32) -> q :: Queue(1024) -> u :: Unqueue(32)"
          " -> c :: Counter -> d :: Discard;")
PIPED = ("s0 :: InfiniteSource(LENGTH 64, BURST 32) -> p :: Pipeliner(CAPACITY 4096)"
         " -> c :: Counter -> d :: Discard; StaticThreadSched(s0 0, p 1);")


def bench_threads(duration: float = 1.0, repeat: int = 3) -> dict:
    kw = {"duration": duration, "repeat": repeat}
    cores = os.cpu_count() or 1
    out: dict = {"benchmark": "threads", "cores": cores, "settings": kw}
    one = median_rate(ONE, "c", threads=1, **kw)
    two = median_rate(TWO, "c", threads=2, **kw)
    out["forward"] = {"1": one, "2": two, "speedup": two["mpps"] / one["mpps"]}
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
    return out


def format_threads(r: dict) -> str:
    f, m = r["forward"], r["models"]
    return "\n".join([
        f"threads ({r['cores']} cores): InfiniteSource(LENGTH 64, BURST 32) -> Counter -> Discard",
        f"  1 thread: {f['1']['mpps']:.2f} Mpps; 2 threads: {f['2']['mpps']:.2f} Mpps;"
        f" speed-up {f['speedup']:.2f}x",
        f"  full push on 1 core: {m['full_push_1core']['mpps']:.2f} Mpps;"
        f" Pipeliner over 2 cores: {m['pipeliner_2cores']['mpps']:.2f} Mpps;"
        f" full push per core / Pipeliner per core: {m['full_push_per_core_vs_pipeliner_per_core']:.2f}x",
        f"  Queue + Unqueue on 1 core: {m['queue_1core']['mpps']:.2f} Mpps;"
        f" full push / Queue: {m['full_push_vs_queue_1core']:.2f}x",
    ])
