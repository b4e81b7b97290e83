"""`pktlab bench elements`: what each fast-path element costs per packet.

Every push element that transforms, checks or classifies packets, in a chain
of its own from an in-memory source, 60-byte UDP/IP frames (or the headers
the element works on: Ethernet, or IP after Strip(14) -> CheckIPHeader),
batched at BURST 32 and in the engine's per-packet mode (batches of one,
Click-style). Each figure is the element's *exclusive* cycles per packet
(Engine(cycles=True): rdtsc on every edge, its input edges less its output
edges), the least of 20 x `repeat` short windows (being preempted only ever
adds to a reading), and in nanoseconds at the clock /proc/cpuinfo reports. Null is
the reference measured in the same run: the cost of an element call that
does nothing.

With `--click PATH` (a vanilla Click or FastClick userlevel driver), each
row also has Click's cost for the same element and configuration, above Null,
measured in the same run (pktlab.bench.click_ref: CPU time differences of
InfiniteSource chains), beside ours above Null.

Elements that need a device, a file, a peer or a queue around them (sources,
sinks, schedulers, I/O) are not in the table: `pktlab bench router`, `io`,
`threads` and the figure benchmarks measure those paths.
"""

from __future__ import annotations

import struct

from ..engine import Engine
from ..engine.memio import feed
from .click_ref import click_costs
from .router import element_cycles

MAC = "02:00:00:00:00:01"
# class -> (configuration, "eth" | "ip": what it is given)
CASES: dict[str, tuple[str, str]] = {
    "Null": ("", "eth"),
    "Counter": ("", "eth"),
    "AverageCounter": ("", "eth"),
    "Paint": ("1", "eth"),
    "CheckPaint": ("0", "eth"),
    "Classifier": ("12/0800, -", "eth"),
    "Strip": ("14", "eth"),
    "EtherMirror": ("", "eth"),
    "EtherRewrite": (f"{MAC}, 02:00:00:00:00:02", "eth"),
    "HostEtherFilter": ("02:00:00:00:00:02", "eth"),
    "DropBroadcasts": ("", "eth"),
    "VLANEncap": ("VLAN_ID 7", "eth"),
    "SetVLANAnno": ("VLAN_ID 7", "eth"),
    "CheckLength": ("2000", "eth"),
    "Truncate": ("54", "eth"),
    "Pad": ("", "eth"),
    "SetTimestamp": ("", "eth"),
    "SetPacketType": ("HOST", "eth"),
    "MarkIPHeader": ("14", "eth"),
    "CheckIPHeader": ("", "ip"),
    "CheckIPHeader2": ("", "ip"),
    "CheckUDPHeader": ("", "ip"),
    "DecIPTTL": ("", "ip"),
    "SetIPChecksum": ("", "ip"),
    "SetUDPChecksum": ("", "ip"),
    "SetIPDSCP": ("10", "ip"),
    "SetIPECN": ("ect1", "ip"),
    "MarkIPCE": ("", "ip"),
    "GetIPAddress": ("16", "ip"),
    "SetIPAddress": ("10.9.9.9", "ip"),
    "FixIPSrc": ("10.9.9.9", "ip"),
    "IPGWOptions": ("10.9.9.9", "ip"),
    "IPClassifier": ("udp port 53, -", "ip"),
    "IPFilter": ("allow udp, deny all", "ip"),
    "RadixIPLookup": ("10.1.0.0/16 0, 10.2.0.0/16 0, 0.0.0.0/0 0", "ip"),
    "DirectIPLookup": ("10.1.0.0/16 0, 10.2.0.0/16 0, 0.0.0.0/0 0", "ip"),
    "LinearIPLookup": ("10.1.0.0/16 0, 10.2.0.0/16 0, 0.0.0.0/0 0", "ip"),
    "StaticIPLookup": ("10.1.0.0/16 0, 10.2.0.0/16 0, 0.0.0.0/0 0", "ip"),
    "IPFragmenter": ("1500", "ip"),
    "IPEncap": ("4, 10.0.0.1, 10.0.0.2", "ip"),
    "UDPIPEncap": ("10.0.0.1, 1234, 10.0.0.2, 5678", "ip"),
    "StripIPHeader": ("", "ip"),
    "EtherEncap": (f"0x0800, {MAC}, 02:00:00:00:00:02", "ip"),
}


def frame(size: int = 60, seq: int = 0) -> bytes:
    """An Ethernet/IPv4/UDP frame of `size` bytes from 10.0.0.1 to 10.1.0.2,
    checksums right (so that checking elements take their fast path)."""
    payload = bytes(max(0, size - 42))
    ip = bytearray(struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + 8 + len(payload), seq & 0xFFFF, 0,
                               64, 17, 0, bytes([10, 0, 0, 1]), bytes([10, 1, 0, 2])))
    s = sum(struct.unpack(">10H", ip))
    s = (s & 0xFFFF) + (s >> 16)
    s = (s & 0xFFFF) + (s >> 16)
    ip[10:12] = struct.pack(">H", ~s & 0xFFFF)
    udp = struct.pack(">HHHH", 1000, 53, 8 + len(payload), 0)
    eth = bytes.fromhex("020000000002" "020000000001" "0800")
    return eth + bytes(ip) + udp + payload


def chain(cls: str, config: str, kind: str, burst: int = 32) -> str:
    head = f"src :: FromMemory(LOOP true, BURST {burst})"
    if kind == "ip":
        head += " -> Strip(14) -> CheckIPHeader"
    return f"{head} -> x :: {cls}({config}) -> Discard;"


def cost(cls: str, config: str, kind: str, *, per_packet: bool, repeat: int,
         windows: int = 20) -> float:
    """Least exclusive cycles per packet of element x over many short windows
    (about 3,000 packets each, a tenth of a millisecond: most windows are never
    preempted, and one that is only reads higher), `windows` x `repeat` of them
    on one warmed-up engine."""
    eng = Engine(chain(cls, config, kind), per_packet=per_packet, cycles=True)
    try:
        feed(eng, "src", [frame(60, i) for i in range(64)])
        runs = 3200 if per_packet else 100
        eng.run_inline(max_runs=runs * 5)           # warm: caches, pools, branch predictors
        best = float("inf")
        for _ in range(max(1, windows * repeat)):
            got = element_cycles(eng, rounds=runs, warmup=0)
            if "x" not in got:
                raise RuntimeError(f"{cls}: no packet reached it")
            best = min(best, got["x"]["cycles_per_packet"])
        return best
    finally:
        eng.close()


def cpu_mhz() -> float | None:
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("cpu MHz"):
                return float(line.split(":")[1])
    except OSError:
        pass
    return None


def bench_elements(duration: float = 1.0, repeat: int = 3, classes: list[str] | None = None,
                   click: str | None = None, click_packets: int = 10_000_000) -> dict:
    """duration is unused (each figure is a count of rounds, not a time);
    repeat: fresh runs per figure, the least kept; click: a Click driver to
    measure the same elements in (its cost above Null, per packet)."""
    mhz = cpu_mhz()
    rows = {}
    names = list(classes or CASES)
    if click and "Null" not in names:
        names.insert(0, "Null")          # the reference both columns are measured above
    for cls in names:
        config, kind = CASES[cls]
        try:
            b = cost(cls, config, kind, per_packet=False, repeat=repeat)
            p = cost(cls, config, kind, per_packet=True, repeat=repeat)
        except Exception as exc:            # one class's failure is a row, not the end
            rows[cls] = {"config": config, "input": kind, "error": str(exc)}
            continue
        rows[cls] = {"config": config, "input": kind, "batched_cycles": b, "per_packet_cycles": p,
                     "batched_ns": b / mhz * 1e3 if mhz else None,
                     "per_packet_ns": p / mhz * 1e3 if mhz else None}
    out = {"benchmark": "elements", "frame": 60, "burst": 32, "repeat": repeat, "cpu_mhz": mhz,
           "reference": "Null", "elements": rows}
    if click:
        null = rows.get("Null", {})
        theirs = click_costs(click, {c: CASES[c] for c in names}, frame(60), packets=click_packets,
                             repeat=repeat)
        for cls, row in rows.items():
            c = theirs.get(cls, {})
            row["click_ns_above_null"] = c.get("ns_above_null")
            if "error" in c:
                row["click_error"] = c["error"]
            for k in ("batched", "per_packet"):
                if row.get(f"{k}_ns") is not None and null.get(f"{k}_ns") is not None:
                    row[f"{k}_ns_above_null"] = row[f"{k}_ns"] - null[f"{k}_ns"]
        out |= {"click": click, "click_packets": click_packets}
    return out


def format_elements(r: dict) -> str:
    mhz = r["cpu_mhz"]
    lines = [f"elements: exclusive cost per packet, 60-byte UDP frames, BURST {r['burst']} and "
             f"per-packet, least of {20 * r['repeat']} windows"
             + (f", ns at {mhz:.0f} MHz" if mhz else ""), "",
             f"  {'class':<18} {'batched':>9} {'per-pkt':>9}   {'batched':>8} {'per-pkt':>8}",
             f"  {'':<18} {'cycles':>9} {'cycles':>9}   {'ns':>8} {'ns':>8}"]
    for cls, v in r["elements"].items():
        if "error" in v:
            lines.append(f"  {cls:<18} not measured: {v['error']}")
            continue
        ns = (f"   {v['batched_ns']:8.1f} {v['per_packet_ns']:8.1f}" if v["batched_ns"] is not None
              else "")
        lines.append(f"  {cls:<18} {v['batched_cycles']:9.1f} {v['per_packet_cycles']:9.1f}{ns}")
    lines += ["", "  Null: the cost of calling an element that does nothing (the reference);",
              "  per-packet includes the engine's batch-of-one overhead at every edge."]
    if r.get("click"):
        lines += ["", f"beside Click ({r['click']}, {r['click_packets']} packets per run, least CPU "
                  f"time of {r['repeat']}): ns per packet above Null", "",
                  f"  {'class':<18} {'ours':>8} {'ours':>8} {'Click':>8}",
                  f"  {'':<18} {'batched':>8} {'per-pkt':>8} {'':>8}"]
        for cls, v in r["elements"].items():
            if cls == "Null":
                continue

            def ns(key, v=v):
                x = v.get(key)
                return f"{x:8.1f}" if x is not None else f"{'-':>8}"
            why = f"   ({v['click_error']})" if v.get("click_error") else ""
            lines.append(f"  {cls:<18} {ns('batched_ns_above_null')} {ns('per_packet_ns_above_null')} "
                         f"{ns('click_ns_above_null')}{why}")
    return "\n".join(lines)
