"""`pktlab bench forward`: compute batching on the simplest chain.

In-memory InfiniteSource(LENGTH 64) -> Counter -> Discard on one core at
BURST 1, 4, 32 and 256; the engine's own per-packet mode (batches of one,
Click-style) in the same run as the reference; the per-element cost of Null
at BURST 32; and a source -> Discard chain to compare with Click's.
"""

from __future__ import annotations

from .measure import median_rate

CHAIN = "src :: InfiniteSource(LENGTH 64, BURST {burst}) -> {middle} d :: Discard;"
NULLS = 10

# Measured once on this machine kind by the project (issue "native engine"):
# vanilla Click's InfiniteSource(BURST 32) -> Discard, 64-byte frames, one core.
CLICK_SOURCE_DISCARD_MPPS = 38.7


def bench_forward(duration: float = 1.0, repeat: int = 3, bursts=(1, 4, 32, 256)) -> dict:
    kw = {"duration": duration, "repeat": repeat}
    out: dict = {"benchmark": "forward", "frame": 64, "threads": 1, "settings": kw | {"bursts": list(bursts)}}
    counter = "c :: Counter ->"
    out["burst"] = {
        str(b): median_rate(CHAIN.format(burst=b, middle=counter), "c", **kw) for b in bursts
    }
    out["per_packet"] = median_rate(CHAIN.format(burst=32, middle=counter), "c", per_packet=True, **kw)
    b32 = out["burst"].get("32") or median_rate(CHAIN.format(burst=32, middle=counter), "c", **kw)
    out["batch_vs_per_packet_at_32"] = b32["mpps"] / out["per_packet"]["mpps"]

    nulls = " ".join("Null ->" for _ in range(NULLS))
    with_nulls = median_rate(CHAIN.format(burst=32, middle=f"{counter} {nulls}"), "c", **kw)
    ns_base = 1e3 / b32["mpps"]
    ns_nulls = 1e3 / with_nulls["mpps"]
    out["nulls"] = {"count": NULLS, **with_nulls,
                    "ns_per_packet_per_element": (ns_nulls - ns_base) / NULLS}

    plain = median_rate(CHAIN.format(burst=32, middle=""), "d", **kw)
    out["source_discard"] = plain | {
        "click_reference_mpps": CLICK_SOURCE_DISCARD_MPPS,
        "vs_click": plain["mpps"] / CLICK_SOURCE_DISCARD_MPPS,
    }
    return out


def format_forward(r: dict) -> str:
    lines = ["forward: InfiniteSource(LENGTH 64) -> Counter -> Discard, one core", "",
             f"  {'BURST':>6}  {'Mpps':>8}"]
    for b, v in r["burst"].items():
        lines.append(f"  {b:>6}  {v['mpps']:8.2f}")
    lines += [
        f"  {'1/pkt':>6}  {r['per_packet']['mpps']:8.2f}   (per-packet mode, BURST 32)",
        "",
        f"  batched / per-packet at BURST 32: {r['batch_vs_per_packet_at_32']:.2f}x",
        f"  Null cost at BURST 32: {r['nulls']['ns_per_packet_per_element']:.2f} ns/packet/element"
        f" ({r['nulls']['count']} Nulls: {r['nulls']['mpps']:.2f} Mpps)",
        f"  InfiniteSource -> Discard: {r['source_discard']['mpps']:.2f} Mpps,"
        f" {r['source_discard']['vs_click']:.2f}x Click's {r['source_discard']['click_reference_mpps']} Mpps"
        " (reference measured earlier on this machine kind)",
    ]
    return "\n".join(lines)
