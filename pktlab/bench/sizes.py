"""`pktlab bench sizes`: what 1,500- and 9,000-byte frames cost, against 64.

In memory, one core, packets per CPU-second of the worker (run inline):

- clones: InfiniteSource(LENGTH n) -> Counter -> Discard. Packets share the
  source's data (zero copy), so the frame size should cost nothing: the
  64-byte fast path and the size classes side by side.
- copy: FromMemory(LOOP) -> Counter -> Discard. Every packet is made and
  filled (a copy of n bytes into a buffer of the class n needs: 2 KB, then
  jumbo); the bytes per second are what a copy-bound path moves.
- grow: FromMemory(LOOP) -> Unstrip(200) -> Strip(200) -> Counter -> Discard.
  200 bytes past the 128 of headroom: every packet takes the slow path of
  Click's push, a move to a larger buffer (the core counter `grown`).

Over DPDK (a fresh process; net_null0 -> net_null1, zero copy, mbufs with a
9,472-byte data room so that a 9,000-byte frame is one mbuf): forwarding
at 64, 1,500 and 9,000 bytes, wall-clock and per CPU-second, with 64 bytes
also on DPDK's default mbufs (the room costs the 64-byte path what?).

Each figure is the best of `repeat` measurements (being preempted only
lowers a reading); ratios are to the 64-byte figure of the same kind,
measured in the same run.
"""

from __future__ import annotations

from ..engine import Engine
from ..engine.memio import feed
from .router import _measure

SIZES = (64, 1500, 9000)
JUMBO_ROOM = 9472                # 9,344 bytes after the headroom: 9,000 and headers fit


def _frames(n: int, count: int = 64) -> list[bytes]:
    head = bytes.fromhex("020000000002020000000001") + b"\x88\xb5"
    return [head + bytes((i + k) & 0xFF for k in range(n - 14)) for i in range(count)]


def _best(build, counter, duration: float, repeat: int) -> float:
    return max(_measure(build, counter, duration) for _ in range(max(1, repeat))) / 1e6


def _memory(kind: str, n: int, duration: float, repeat: int) -> dict:
    if kind == "clones":
        def build():
            return Engine(f"src :: InfiniteSource(LENGTH {n}, BURST 32) -> c :: Counter -> Discard;")
    else:
        middle = "Unstrip(200) -> Strip(200) ->" if kind == "grow" else ""
        frames = _frames(n)

        def build():
            eng = Engine(f"src :: FromMemory(LOOP true, BURST 32) -> {middle} c :: Counter -> Discard;")
            feed(eng, "src", frames)
            return eng
    mpps = _best(build, lambda e: e["c"].count, duration, repeat)
    return {"mpps": mpps, "gbps": mpps * n * 8 / 1e3}


def _dpdk(duration: float, repeat: int) -> dict:
    from . import io as bio

    vdevs = [f"net_null{10 + i},size={n}" for i, n in enumerate(SIZES)]
    runs = [{"config": f"fd :: FromDPDKDevice(net_null{10 + i}, MTU 9000) -> "
                       "td :: ToDPDKDevice(net_null1, MTU 9000);"} for i in range(len(SIZES))]
    best: dict = {}
    for _ in range(max(1, repeat)):
        jumbo = bio.run_worker({"eal": bio.EAL_NULL, "add_vdevs": vdevs, "warmup": 0.3,
                                "duration": duration, "runs": runs, "mbuf_size": JUMBO_ROOM})
        small = bio.run_worker({"eal": bio.EAL_NULL, "warmup": 0.3, "duration": duration,
                                "runs": [{"config": bio._fwd()}]})
        for key, r in [(str(n), jumbo[i]) for i, n in enumerate(SIZES)] + [("64_default_mbufs",
                                                                            small[0])]:
            b = best.setdefault(key, {"mpps": 0.0, "mpps_cpu": 0.0})
            b["mpps"] = max(b["mpps"], r["mpps"] or 0.0)
            b["mpps_cpu"] = max(b["mpps_cpu"], r["mpps_cpu"] or 0.0)
    for key, b in best.items():
        n = 64 if key.startswith("64") else int(key)
        b["gbps"] = b["mpps"] * n * 8 / 1e3
    return best


def bench_sizes(duration: float = 0.5, repeat: int = 3, dpdk: bool = True) -> dict:
    out: dict = {"benchmark": "sizes", "threads": 1, "sizes": list(SIZES),
                 "settings": {"duration": duration, "repeat": repeat, "mbuf_size": JUMBO_ROOM}}
    for kind in ("clones", "copy", "grow"):
        fig = {str(n): _memory(kind, n, duration, repeat) for n in SIZES}
        base = fig["64"]["mpps"]
        for v in fig.values():
            v["vs_64"] = v["mpps"] / base if base else None
        out[kind] = fig
    from ..engine import dpdk as _dpdk_mod

    if dpdk and _dpdk_mod.available():
        fig = _dpdk(max(duration, 0.5), repeat)
        base = fig["64"]["mpps_cpu"]
        for v in fig.values():
            v["vs_64_cpu"] = v["mpps_cpu"] / base if base else None
        out["dpdk"] = fig
    return out


def format_sizes(r: dict) -> str:
    lines = ["sizes: what 1,500- and 9,000-byte frames cost against 64, one core", "",
             "  in memory (per CPU-second)      64 B            1500 B            9000 B"]
    names = {"clones": "clones (zero copy)", "copy": "copy into a buffer", "grow": "grow (slow push)"}
    for kind, label in names.items():
        cells = [f"{r[kind][str(n)]['mpps']:6.2f} Mpps {r[kind][str(n)]['gbps']:6.1f} Gb/s"
                 for n in r["sizes"]]
        lines.append(f"  {label:<24} " + "  ".join(cells))
        lines.append(f"  {'':<24} " + "  ".join(f"{r[kind][str(n)]['vs_64']:>17.2f}x"
                                                 for n in r["sizes"]))
    d = r.get("dpdk")
    if d:
        lines += ["", "  DPDK net_null forwarding, zero copy, mbufs of "
                  f"{r['settings']['mbuf_size']} bytes (Mpps, per CPU-s, Gb/s)"]
        for key in [str(n) for n in r["sizes"]] + ["64_default_mbufs"]:
            v = d[key]
            label = "64 B, default mbufs" if key.startswith("64_") else f"{key} B"
            lines.append(f"  {label:<24} {v['mpps']:7.2f} {v['mpps_cpu']:7.2f} {v['gbps']:7.1f}"
                         f"   {v['vs_64_cpu']:.2f}x of 64 B per CPU-s")
    return "\n".join(lines)
