"""A/B of two builds of the engine in the same run: the 64-byte paths.

    git -C . archive OLD | tar -x -C /tmp/old && (cd /tmp/old && .venv/bin/python \\
        pktlab/_build_native.py)          # any checkout's venv python builds it in place
    .venv/bin/python tools/ab_native.py /tmp/old . 6 [--io]

Each round runs both trees (alternating which goes first) in fresh
processes pinned to CPU 1 (AB_CPU), each measuring per CPU-second of the
worker, inline, the best of 3 (being preempted only lowers a reading):
InfiniteSource(LENGTH 64) -> Discard, -> Counter -> Discard, the same in
per-packet mode, examples/router.click under the paper's 60-byte flows, the
router chain; with --io also DPDK net_null0 -> net_null1 forwarding (wall
clock and per CPU-second, `pktlab bench io`'s worker). Prints the medians
over rounds and new/old. Used for the issue "Packets of every size" (the
note in docs/engine.md gives the figures).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys

WORKER = r"""
import json, os, sys
from pktlab.engine import Engine
from pktlab.engine.memio import feed
from pktlab.bench import router as R
from pktlab.traffic import flowgen

os.sched_setaffinity(0, {int(os.environ.get("AB_CPU", "1"))})

def best(build, counter):
    return max(R._measure(build, counter, 0.4) for _ in range(3)) / 1e6

SRC = "src :: InfiniteSource(LENGTH 64, BURST 32) -> "
out = {
    "source_discard": best(lambda: Engine(SRC + "d :: Discard;"), lambda e: e["d"].count),
    "source_counter_discard": best(lambda: Engine(SRC + "c :: Counter -> Discard;"),
                                   lambda e: e["c"].count),
    "per_packet_counter": best(lambda: Engine(SRC + "c :: Counter -> Discard;", per_packet=True),
                               lambda e: e["c"].count),
}
traffic = flowgen.router_traffic(8192, seed=1, sizes=60)
out["router_60B"] = best(lambda: R._router_engine(traffic), R._forwarded)
frames = flowgen.flows(8192, flowgen.ROUTER_INTERFACES[0], flowgen.ROUTER_INTERFACES[1:], seed=1,
                       sizes=60)

def chain():
    eng = Engine(R.CHAIN.format(burst=32))
    feed(eng, "src", frames)
    return eng

out["chain_60B"] = best(chain, lambda e: e["sink"].count)
if "--io" in sys.argv:
    from pktlab.bench import io as B
    r = B.run_worker({"eal": B.EAL_NULL, "warmup": 0.5, "duration": 2.0,
                      "runs": [{"config": B._fwd()}]})[0]
    out["dpdk_fwd"], out["dpdk_fwd_cpu"] = r["mpps"], r["mpps_cpu"]
print(json.dumps(out))
"""


def run(tree: str, extra: list[str]) -> dict:
    env = dict(os.environ, PYTHONPATH=os.path.abspath(tree))
    p = subprocess.run([sys.executable, "-c", WORKER, *extra], cwd=tree, env=env,
                       capture_output=True, text=True)
    if p.returncode:
        raise SystemExit(f"{tree}: worker failed:\n{p.stderr[-3000:]}")
    return json.loads(p.stdout.strip().splitlines()[-1])


def main(old: str, new: str, rounds: int, extra: list[str]) -> None:
    res: dict[str, list[dict]] = {"old": [], "new": []}
    for i in range(rounds):
        order = [("old", old), ("new", new)]
        for side, tree in order if i % 2 == 0 else order[::-1]:
            res[side].append(run(tree, extra))
            print(side, json.dumps(res[side][-1]), flush=True)
    print(f"{'figure (Mpps)':<24} {'old':>8} {'new':>8} {'new/old':>8}   (median of {rounds} rounds)")
    for k in res["old"][0]:
        o = statistics.median(r[k] for r in res["old"])
        n = statistics.median(r[k] for r in res["new"])
        print(f"{k:<24} {o:8.2f} {n:8.2f} {n / o:8.3f}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 3, sys.argv[4:])
