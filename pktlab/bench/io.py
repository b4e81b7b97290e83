"""`pktlab bench io`: the paper's I/O experiments over DPDK virtual devices.

- forward: FromDPDKDevice(net_null0) -> ToDPDKDevice(net_null1) on one core
  against `dpdk-testpmd --forward-mode=io` on the same vdevs (BURST 32, 64-byte
  frames), alternated in the same run; the ratio of the medians;
- burst: BURST 1..256 (Fig. 5 shape); ndesc: NDESC 64..4096 (Fig. 6 shape);
- copy: zero copy vs COPY true for 64..1500-byte frames (Fig. 9 shape);
- testbed: a generator engine and a device-under-test engine in two processes
  joined by net_memif, counting what comes back after a warm-up.

Each figure is measured twice: packets per wall-clock second, and packets per
CPU-second of the forwarding thread (from /proc), which stays meaningful on a
machine whose other work steals time from the forwarding core. DPDK's EAL runs
once per process, so every measurement runs in a fresh `python -m
pktlab.bench.io` worker (and testpmd in its own process).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

FWD = "fd :: FromDPDKDevice(net_null0, BURST {b}, NDESC {n}{copy}) -> td :: ToDPDKDevice({out}, BURST {b}, NDESC {n});"
# The generator sends net_null's 64-byte mbufs (zero copy) as fast as the link
# takes them, drops the excess after a short internal queue, and counts what
# comes back.
TESTBED_GEN = ("src :: FromDPDKDevice(net_null0) -> td :: ToDPDKDevice(net_memif0, IQUEUE 64);"
               "fd :: FromDPDKDevice(net_memif0) -> c :: Counter -> Discard;")
# The same in one process over net_ring pairs: generator tasks on worker 0,
# the device under test on worker 1.
TESTBED_RING = """
src :: FromDPDKDevice(net_null0, MAXTHREADS 1) -> g2d :: ToDPDKDevice(net_ring0, IQUEUE 64);
dut :: FromDPDKDevice(net_ring0, N_QUEUES 2, MAXTHREADS 1) -> EtherMirror -> fwd :: Counter
    -> d2g :: ToDPDKDevice(net_ring1);
back :: FromDPDKDevice(net_ring1, N_QUEUES 2, MAXTHREADS 1) -> c :: Counter -> Discard;
StaticThreadSched(src 0, back 0, dut 1);
"""
TESTBED_DUT = "fd :: FromDPDKDevice(net_memif0) -> EtherMirror -> c :: Counter -> td :: ToDPDKDevice(net_memif0);"
CPU = 1 if (os.cpu_count() or 1) > 1 else 0          # the forwarding core; EAL's main lcore is 0
TICK = os.sysconf("SC_CLK_TCK")


# ---- CPU time of threads, from /proc ----

def _thread_ticks(pid: int) -> dict[int, int]:
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            out[int(tid)] = int(fields[11]) + int(fields[12])     # utime + stime
        except (OSError, IndexError):
            pass
    return out


def _busiest(before: dict[int, int], after: dict[int, int]) -> float:
    """CPU seconds of the thread that used the most between two samples."""
    return max((after[t] - before.get(t, 0) for t in after), default=0) / TICK


# ---- worker side: one EAL, several engines one after the other ----

def _reference(spec: dict, run: dict) -> dict:
    """testpmd's io loop on pktlab's own pool, on this (pinned) thread; the
    engine built here only starts the ports."""
    from ..engine import Engine, dpdk

    src, dst = run["reference"]
    eng = Engine(f"fd :: FromDPDKDevice({src}) -> td :: ToDPDKDevice({dst});")
    cpu = spec.get("cpu", CPU)
    mask = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {cpu})
    try:
        dpdk.io_loop(src, dst, run.get("burst", 32), spec["warmup"])
        t0, k0 = time.perf_counter(), _thread_ticks(os.getpid())
        n = dpdk.io_loop(src, dst, run.get("burst", 32), spec["duration"])
        t1, k1 = time.perf_counter(), _thread_ticks(os.getpid())
    finally:
        os.sched_setaffinity(0, mask)
    del eng
    cpu_s = _busiest(k0, k1)
    return {"mpps": n / (t1 - t0) / 1e6, "mpps_cpu": n / cpu_s / 1e6 if cpu_s else None,
            "in_use": dpdk.mempool()["in_use"]}


def _measure(spec: dict, run: dict) -> dict:
    from ..engine import Engine

    if "reference" in run:
        return _reference(spec, run)
    threads = run.get("threads", 1)
    eng = Engine(run["config"], threads=threads, pin=True, per_packet=run.get("per_packet", False),
                 vectors=run.get("vectors", False),
                 first_cpu=0 if threads > 1 else spec.get("cpu", CPU))
    names = run.get("counter", "td")
    els = [eng[n] for n in ([names] if isinstance(names, str) else names)]

    def count():
        return sum(el.count for el in els)

    eng.start()
    try:
        time.sleep(spec["warmup"])
        c0, t0, k0 = count(), time.perf_counter(), _thread_ticks(os.getpid())
        time.sleep(spec["duration"])
        c1, t1, k1 = count(), time.perf_counter(), _thread_ticks(os.getpid())
        time.sleep(spec.get("linger", 0))    # a peer that must go first (memif)
    finally:
        eng.stop()
    from ..engine import dpdk

    cpu = _busiest(k0, k1)
    res = {"mpps": (c1 - c0) / (t1 - t0) / 1e6,
           "mpps_cpu": (c1 - c0) / cpu / 1e6 if cpu else None,
           "in_use": dpdk.mempool()["in_use"]}
    for h in run.get("read", ()):
        res[h] = eng[h.split(".")[0]].read(h.split(".")[1])
    del eng
    return res


def _worker(spec: dict, emit=None) -> list[dict]:
    from ..engine import dpdk

    dpdk.init(spec["eal"], mbufs=spec.get("mbufs", dpdk.DEFAULT_MBUFS), pack=spec.get("pack", True),
              mbuf_size=spec.get("mbuf_size", 0))
    for v in spec.get("add_vdevs", ()):
        dpdk.add_vdev(v)
    out = []
    for run in spec["runs"]:
        out.append(_measure(spec, run))
        if emit is not None:
            emit(out[-1])
    return out


def run_worker(spec: dict, timeout: float = 300, module: str = "pktlab.bench.io") -> list[dict]:
    r = subprocess.run([sys.executable, "-m", module, "--worker", json.dumps(spec)],
                       capture_output=True, text=True, timeout=timeout)
    if r.returncode != 0:
        raise RuntimeError(f"benchmark worker failed (exit status {r.returncode}):\n"
                           f"{r.stderr[-2000:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])


# ---- testpmd ----

def testpmd(burst: int = 32, warmup: float = 1.0, duration: float = 2.0,
            mbufs: int = 16384, mode: str = "io") -> dict:
    """dpdk-testpmd io forwarding between net_null0 and net_null1 on one core:
    packets forwarded (both directions) per wall second and per CPU-second."""
    exe = shutil.which("dpdk-testpmd")
    if not exe:
        raise RuntimeError("dpdk-testpmd not found (Debian package dpdk)")
    # Line-buffered, so that each statistics block arrives when it is printed.
    cmd = (["stdbuf", "-oL"] if shutil.which("stdbuf") else []) + [exe, "--no-huge", "--no-pci", "-m", "1024", "--no-shconf",
           "--file-prefix", f"pltestpmd{os.getpid()}", "--vdev", "net_null0", "--vdev", "net_null1",
           "-l", f"0,{CPU}" if CPU else "0", "--", f"--total-num-mbufs={mbufs}",
           f"--forward-mode={mode}", f"--burst={burst}", "--stats-period", "1", "--auto-start"]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                         stdin=subprocess.DEVNULL)
    samples = []         # (wall time, total TX packets, thread ticks)
    tx: dict[int, int] = {}
    port = None
    give_up = time.monotonic() + 60 + warmup + duration
    try:
        for line in p.stdout:
            m = re.search(r"NIC statistics for port (\d+)", line)
            if m:
                port = int(m.group(1))
            m = re.search(r"RX-packets:\s+(\d+)" if mode == "rxonly" else r"TX-packets:\s+(\d+)", line)
            if m and port is not None:
                tx[port] = int(m.group(1))
                if len(tx) == 2 and port == max(tx):
                    samples.append((time.monotonic(), sum(tx.values()), _thread_ticks(p.pid)))
                    if samples[-1][0] - samples[0][0] >= warmup + duration:
                        break
            if time.monotonic() > give_up:
                break
    finally:
        p.send_signal(2)
        try:
            p.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
        shutil.rmtree(f"/var/run/dpdk/pltestpmd{os.getpid()}", ignore_errors=True)
    use = [s for s in samples if s[0] - samples[0][0] >= warmup] if samples else []
    if len(use) < 2:
        raise RuntimeError("testpmd printed too few statistics")
    (t0, n0, k0), (t1, n1, k1) = use[0], use[-1]
    cpu = _busiest(k0, k1)
    return {"mpps": (n1 - n0) / (t1 - t0) / 1e6, "mpps_cpu": (n1 - n0) / cpu / 1e6 if cpu else None}


# ---- the figures ----

EAL_NULL = "--vdev net_null0 --vdev net_null1"


def _fwd(b=32, n=0, copy="", out="net_null1"):
    return FWD.format(b=b, n=n, copy=copy, out=out)


def _med(runs: list[dict], key: str):
    vals = [r[key] for r in runs if r.get(key)]
    return statistics.median(vals) if vals else None


def forward_vs_testpmd(duration: float, repeat: int) -> dict:
    both = ("fd :: FromDPDKDevice(net_null0) -> td :: ToDPDKDevice(net_null1);"
            "fd2 :: FromDPDKDevice(net_null1) -> td2 :: ToDPDKDevice(net_null0);")
    ours, ours2, bare, paged, ref = [], [], [], [], []
    spec = {"eal": EAL_NULL, "warmup": 0.5, "duration": duration}
    loop = {"reference": ["net_null0", "net_null1"]}
    for _ in range(repeat):         # alternate, so that drifts hit both alike
        a, b, c = run_worker(spec | {"runs": [{"config": _fwd()},
                                              {"config": both, "counter": ["td", "td2"]}, loop]})
        ours.append(a)
        ours2.append(b)
        bare.append(c)
        paged.extend(run_worker(spec | {"pack": False, "runs": [{"config": _fwd()}]}))
        ref.append(testpmd(warmup=1.0, duration=max(2.0, duration)))

    def fig(runs):
        return {"mpps": _med(runs, "mpps"), "mpps_cpu": _med(runs, "mpps_cpu"), "runs": runs}

    # testpmd keeps DPDK's mbuf layout (one page per mbuf without hugepages);
    # pktlab packs its mbufs (docs/io.md). The same-process reference loop
    # runs on pktlab's pool: what pktlab falls short of it is the engine.
    res = {"pktlab": fig(ours), "testpmd": fig(ref), "io_loop_same_pool": fig(bare),
           "pktlab_page_per_mbuf": fig(paged), "fastclick_reference_mpps": [39, 41]}
    for k in ("mpps", "mpps_cpu"):
        for name, other in (("ratio", "testpmd"), ("ratio_to_io_loop", "io_loop_same_pool"),
                            ("ratio_page_per_mbuf", "testpmd")):
            mine = res["pktlab_page_per_mbuf" if name == "ratio_page_per_mbuf" else "pktlab"][k]
            t = res[other][k]
            res[f"{name}_{k}"] = mine / t if t and mine else None
    res["pktlab_both_directions"] = fig(ours2)
    return res


def sweep(key: str, values, duration: float, repeat: int) -> dict:
    runs = [{"config": _fwd(b=v) if key == "burst" else _fwd(n=v)} for v in values]
    got = [run_worker({"eal": EAL_NULL, "warmup": 0.3, "duration": duration, "runs": runs})
           for _ in range(repeat)]
    return {str(v): {"mpps": statistics.median(g[i]["mpps"] for g in got),
                     "mpps_cpu": _med([g[i] for g in got], "mpps_cpu")} for i, v in enumerate(values)}


def copy_vs_zero_copy(sizes, duration: float, repeat: int) -> dict:
    vdevs = [f"net_null{10 + i},size={s}" for i, s in enumerate(sizes)]
    runs = []
    for i, _ in enumerate(sizes):
        for copy in ("false", "true"):
            runs.append({"config": FWD.format(b=32, n=0, copy=f", COPY {copy}", out="net_null1")
                         .replace("net_null0", f"net_null{10 + i}"), "read": ["td.copies"]})
    got = [run_worker({"eal": EAL_NULL, "add_vdevs": vdevs, "warmup": 0.3, "duration": duration,
                       "runs": runs}) for _ in range(repeat)]
    out = {}
    for i, s in enumerate(sizes):
        zc = [g[2 * i] for g in got]
        cp = [g[2 * i + 1] for g in got]
        out[str(s)] = {"zero_copy": _med(zc, "mpps"), "copy": _med(cp, "mpps"),
                       "zero_copy_cpu": _med(zc, "mpps_cpu"), "copy_cpu": _med(cp, "mpps_cpu")}
        v = out[str(s)]
        v["copy_over_zero_copy"] = v["copy"] / v["zero_copy"]
        v["copy_over_zero_copy_cpu"] = (v["copy_cpu"] / v["zero_copy_cpu"]
                                        if v["copy_cpu"] and v["zero_copy_cpu"] else None)
    return out


def testbed(duration: float) -> dict:
    """Generator (server) and DUT (client) engines joined by net_memif."""
    sock = os.path.join(tempfile.gettempdir(), f"pktlab-memif-{os.getpid()}.sock")
    gen_cpu, dut_cpu = 0, CPU
    common = {"warmup": 1.0, "duration": duration}
    gen = subprocess.Popen([sys.executable, "-m", "pktlab.bench.io", "--worker", json.dumps(
        common | {"eal": f"--vdev net_null0 --vdev net_memif0,role=server,socket={sock}",
                  "cpu": gen_cpu, "linger": 2.0,   # the DUT disconnects first
                  "runs": [{"config": TESTBED_GEN, "counter": "c", "read": ["td.count", "td.dropped"]}]})],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(0.5)
    dut = run_worker(common | {"eal": f"--vdev net_memif0,role=client,socket={sock}",
                               "cpu": dut_cpu, "duration": duration + 0.5,
                               "runs": [{"config": TESTBED_DUT, "counter": "c"}]})[0]
    out, err = gen.communicate(timeout=120)
    if gen.returncode != 0:
        raise RuntimeError(f"generator failed:\n{err[-2000:]}")
    g = json.loads(out.strip().splitlines()[-1])[0]
    return {"returned_mpps": g["mpps"], "dut_forwarded_mpps": dut["mpps"],
            "dut_mpps_cpu": dut["mpps_cpu"], "generator_sent": g["td.count"],
            "generator_dropped_at_tx": g["td.dropped"], "link": "net_memif (two processes)"}


def testbed_ring(duration: float) -> dict:
    r = run_worker({"eal": "--vdev net_null0 --vdev net_ring0 --vdev net_ring1", "warmup": 1.0,
                    "duration": duration,
                    "runs": [{"config": TESTBED_RING, "counter": "c", "threads": 2,
                              "read": ["fwd.count", "g2d.dropped", "d2g.dropped"]}]})[0]
    return {"returned_mpps": r["mpps"], "returned_mpps_cpu": r["mpps_cpu"],
            "dut_forwarded": r["fwd.count"], "generator_dropped_at_tx": r["g2d.dropped"],
            "dut_dropped_at_tx": r["d2g.dropped"], "link": "net_ring (one process, two workers)"}


def bench_io(duration: float = 1.0, repeat: int = 3, quick: bool = False) -> dict:
    bursts = (1, 2, 4, 8, 16, 32, 64, 128, 256)
    ndescs = (64, 128, 256, 512, 1024, 2048, 4096)
    sizes = (64, 128, 256, 512, 1024, 1500)
    res = {"benchmark": "io", "frame": 64, "threads": 1, "cpu": CPU,
           "settings": {"duration": duration, "repeat": repeat, "bursts": bursts, "ndescs": ndescs,
                        "sizes": sizes, "eal": EAL_NULL + " (and pktlab.engine.dpdk defaults)"}}
    res["forward"] = forward_vs_testpmd(duration, repeat)
    res["burst"] = sweep("burst", bursts, duration, 1 if quick else repeat)
    res["ndesc"] = sweep("ndesc", ndescs, duration, 1 if quick else repeat)
    res["copy"] = copy_vs_zero_copy(sizes, duration, 1 if quick else repeat)
    res["testbed"] = testbed(max(duration, 2.0))
    res["testbed_ring"] = testbed_ring(max(duration, 2.0))
    return res


def _f(x) -> str:
    return f"{x:7.2f}" if isinstance(x, (int, float)) else "    -  "


def format_io(r: dict) -> str:
    f = r["forward"]
    lines = ["io: DPDK virtual devices (net_null), 64-byte frames, one forwarding core "
             f"(CPU {r['cpu']})", "",
             "  forwarding, BURST 32            Mpps  Mpps/CPU-s",
             f"  pktlab  net_null0 -> net_null1 {_f(f['pktlab']['mpps'])}  {_f(f['pktlab']['mpps_cpu'])}",
             f"  dpdk-testpmd --forward-mode=io {_f(f['testpmd']['mpps'])}  {_f(f['testpmd']['mpps_cpu'])}",
             f"  ratio pktlab / testpmd         {_f(f['ratio_mpps'])}  {_f(f['ratio_mpps_cpu'])}",
             "  (FastClick on this machine kind: 39-41 Mpps; testpmd 50-62)",
             "  testpmd keeps DPDK's mbuf layout, pktlab packs its mbufs (docs/io.md):",
             f"  pktlab, DPDK's layout          {_f(f['pktlab_page_per_mbuf']['mpps'])}  "
             f"{_f(f['pktlab_page_per_mbuf']['mpps_cpu'])}   / testpmd {_f(f['ratio_page_per_mbuf_mpps'])}",
             f"  io loop on pktlab's pool       {_f(f['io_loop_same_pool']['mpps'])}  "
             f"{_f(f['io_loop_same_pool']['mpps_cpu'])}   pktlab / it {_f(f['ratio_to_io_loop_mpps'])}", "",
             "  BURST   Mpps  Mpps/CPU-s        NDESC   Mpps  Mpps/CPU-s"]
    bs, ns = list(r["burst"].items()), list(r["ndesc"].items())
    for i in range(max(len(bs), len(ns))):
        left = f"  {bs[i][0]:>5} {_f(bs[i][1]['mpps'])} {_f(bs[i][1]['mpps_cpu'])}" if i < len(bs) else " " * 24
        right = f"   {ns[i][0]:>5} {_f(ns[i][1]['mpps'])} {_f(ns[i][1]['mpps_cpu'])}" if i < len(ns) else ""
        lines.append(f"{left:<32}{right}")
    lines += ["", "  frame  zero-copy    copy  copy/zc    per CPU-s: zero-copy    copy  copy/zc"]
    for s, v in r["copy"].items():
        lines.append(f"  {s:>5}  {_f(v['zero_copy'])} {_f(v['copy'])}  {_f(v['copy_over_zero_copy'])}"
                     f"              {_f(v['zero_copy_cpu'])} {_f(v['copy_cpu'])}"
                     f"  {_f(v['copy_over_zero_copy_cpu'])}")
    t = r["testbed"]
    lines += ["", f"  test bed ({t['link']}): generator -> DUT (EtherMirror) -> generator",
              f"    returned {_f(t['returned_mpps'])} Mpps; DUT forwarded {_f(t['dut_forwarded_mpps'])} Mpps"
              f" ({_f(t['dut_mpps_cpu'])} per CPU-s); generator TX drops {t['generator_dropped_at_tx']}"]
    t = r.get("testbed_ring")
    if t:
        lines += [f"  test bed ({t['link']}): returned {_f(t['returned_mpps'])} Mpps"
                  f" ({_f(t['returned_mpps_cpu'])} per CPU-s of the busier worker);"
                  f" generator TX drops {t['generator_dropped_at_tx']}"]
    lines += ["", "  netmap rows: `pktlab bench netmap` (pipes, engine vs netmap's bridge; "
              "in the test guest where /dev/netmap is missing)"]
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--worker":
        print(json.dumps(_worker(json.loads(sys.argv[2]))))
    elif len(sys.argv) == 3 and sys.argv[1] == "--stream":
        _worker(json.loads(sys.argv[2]), emit=lambda r: print(json.dumps(r), flush=True))
    else:
        print(format_io(bench_io()))
