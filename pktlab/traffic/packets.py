"""scapy in and out: packets into a graph, packets out of it.

    from scapy.layers.l2 import Ether
    from scapy.layers.inet import IP, UDP
    from pktlab import traffic

    out = traffic.run_packets("DecIPTTL", [IP(dst="10.0.0.2", ttl=1) / UDP()])
    out[1]                         # PacketList of what left output 1 (the expired one)
    out.engine["e"].counters()     # the element's counters after the run

    traffic.run_packets(config_text, {"in0": pkts})   # FromMemory -> ... -> ToMemory graphs
    traffic.template(Ether() / IP() / UDP(), 100, {"IP.dst": ("10.0.0.1", "10.0.0.100")})
    traffic.capture(eng, "tap", 10)                    # sample a running engine (Capture)

scapy (GPL-2.0) is imported here, inside the functions that build or
decode packets, never by `import pktlab`.
"""

from __future__ import annotations

import ipaddress
import random
import time
from typing import Any, Iterable, Mapping

from ..engine.memio import MAX_FRAME, Captured, drain_captured, feed as _feed

__all__ = ["run_packets", "Outputs", "feed", "decode", "to_bytes", "template", "capture",
           "read_pcap", "write_pcap"]


def to_bytes(pkt) -> bytes:
    """A scapy packet, bytes or bytearray as bytes."""
    if isinstance(pkt, (bytes, bytearray, memoryview)):
        return bytes(pkt)
    return bytes(pkt)


def _looks_ip(b: bytes) -> bool:
    if len(b) < 20 or b[0] >> 4 != 4:
        return False
    hl = (b[0] & 15) * 4
    return 20 <= hl <= len(b) and int.from_bytes(b[2:4], "big") <= len(b) + 4


def decode(data: bytes, layer: str = "auto"):
    """Bytes to a scapy packet. layer: "ether", "ip", "raw", or "auto" (an IPv4
    header when the bytes start like one, else Ethernet)."""
    from scapy.layers.inet import IP
    from scapy.layers.l2 import Ether
    from scapy.packet import Raw

    if layer == "auto":
        layer = "ip" if _looks_ip(data) else "ether"
    cls = {"ether": Ether, "ip": IP, "raw": Raw}.get(layer)
    if cls is None:
        raise ValueError(f"layer must be 'auto', 'ether', 'ip' or 'raw', not {layer!r}")
    try:
        return cls(data)
    except Exception:  # noqa: BLE001 - too short or mangled for the layer: keep the bytes
        return Raw(data)


def _packet_list(items: list[Captured], layer: str, name: str):
    from scapy.plist import PacketList

    pkts = []
    for c in items:
        p = decode(c.data, layer)
        p.time = c.timestamp / 1e9 if c.timestamp else 0
        pkts.append(p)
    return PacketList(pkts, name=name)


def feed(engine, name: str, packets: Iterable) -> int:
    """Queue scapy packets (or bytes) into the FromMemory element `name`."""
    data = [to_bytes(p) for p in packets]
    for i, d in enumerate(data):
        if len(d) > MAX_FRAME:
            raise ValueError(f"packet {i} is {len(d)} bytes; FromMemory takes at most {MAX_FRAME}")
    return _feed(engine, name, data)


class Outputs(dict):
    """run_packets' result: key -> scapy PacketList, plus `engine` (read its
    handlers and counters), `meta` (key -> list of memio.Captured with the
    annotations) and `element` (the wrapped element's name, when one was)."""

    engine: Any = None
    element: str | None = None
    meta: dict
    stdout: str = ""              # what elements printed (Script's print)
    log: str = ""                 # the engine's log (Print, Script's read and errors)

    def counters(self, name: str | None = None) -> dict[str, int]:
        return self.engine[name or self.element].counters()

    def handler(self, handler: str, name: str | None = None) -> str:
        return self.engine[name or self.element].read(handler)


def _out_ports(cls, config: str, outputs: int | None) -> int:
    """How many outputs to wire when wrapping one element."""
    if outputs is not None:
        return outputs
    spec = cls.ports.split("/")[-1]
    if spec in ("-", "0-") or spec.endswith("-"):
        from ..lang.args import split_args

        if cls.name == "IPFilter":
            ports = [0]
            for a in split_args(config):
                word = a.split(None, 1)[0] if a.strip() else ""
                if word.isdigit():
                    ports.append(int(word))
            return max(ports) + 1
        n = len(split_args(config))
        lo = int(spec.split("-")[0] or 0) if spec != "-" else 0
        return max(n, lo, 1)
    if spec == "=":
        return _in_ports(cls, None)
    return int(spec.split("-")[-1])


def _in_ports(cls, packets) -> int:
    spec = cls.ports.split("/")[0]
    hi = spec.split("-")[-1]
    n = int(hi) if hi.isdigit() else 1
    if isinstance(packets, Mapping):
        n = max([n, *(int(k) + 1 for k in packets)])
    return n


def _wrap(config: str, packets, outputs: int | None) -> tuple[str, list[str], list[str]]:
    """Click text around one element: FromMemory per input, ToMemory per output."""
    from ..engine.classes import element_class

    text = config.strip().rstrip(";")
    cls_name, _, rest = text.partition("(")
    cls_name = cls_name.strip()
    conf = rest[:-1] if rest.endswith(")") else ""
    cls = element_class(cls_name)
    nin, nout = _in_ports(cls, packets), _out_ports(cls, conf, outputs)
    lines = [f"e :: {text};"]
    srcs, outs = [], []
    for i in range(nin):
        lines.append(f"src{i} :: FromMemory(BURST 32) -> [{i}] e;")
        srcs.append(f"src{i}")
    for o in range(nout):
        lines.append(f"e [{o}] -> out{o} :: ToMemory(1048576);")
        outs.append(f"out{o}")
    return "\n".join(lines), srcs, outs


def _is_element_expr(config: str) -> bool:
    return isinstance(config, str) and "->" not in config and "::" not in config


def run_packets(config, packets, *, layer: str = "auto", outputs: int | None = None,
                defines: Mapping[str, str] | None = None, per_packet: bool = False,
                handlers: Mapping[str, Mapping[str, str]] | None = None,
                max_rounds: int = 1_000_000, simtime: bool = False) -> Outputs:
    """Run packets through a graph synchronously; return what came out.

    config: one element ("CheckIPHeader(14)", "IPClassifier(tcp, udp, -)"),
    wrapped with a FromMemory per input and a ToMemory per output (keys: the
    output port numbers); or Click text or a Graph with FromMemory sources and
    ToMemory sinks (keys: the ToMemory names).
    packets: scapy packets or bytes; for several sources, a dict source ->
    packets (a wrapped element's inputs are 0, 1, ...).
    handlers: {element: {handler: value}} written before the run.
    Other sources (InfiniteSource, ...) in the graph are made inactive.
    simtime: run on the simulated clock (timers, rates and Script waits take
    no wall time); the run ends when nothing more can happen. What elements
    printed is in the result's .stdout (Script's print) and .log.
    """
    from ..engine import Engine

    wrapped = _is_element_expr(config)
    if wrapped:
        text, srcs, outs = _wrap(config, packets, outputs)
        eng = Engine(text, per_packet=per_packet, simtime=simtime)
    else:
        eng = Engine(config, defines=defines, per_packet=per_packet, simtime=simtime)
        srcs = [n for n in eng.elements if eng.graph.elements[n].cls == "FromMemory"]
        outs = [n for n in eng.elements if eng.graph.elements[n].cls == "ToMemory"]
        if not srcs:
            raise ValueError("run_packets needs a FromMemory element in the graph "
                             "(or give one element, such as 'DecIPTTL')")
    for name in eng.elements:
        if name not in srcs and "active" in eng[name].handlers() and \
                eng.graph.elements[name].cls not in ("Capture", "DecIPTTL"):
            cls = eng.graph.elements[name].cls
            if cls.endswith("Source") or cls.startswith("From"):
                eng[name].write("active", "false")
    for el, hs in (handlers or {}).items():
        for h, v in hs.items():
            eng[el].write(h, v)
    if isinstance(packets, Mapping):
        feeds = {(f"src{k}" if wrapped else k): v for k, v in packets.items()}
    else:
        if len(srcs) != 1:
            raise ValueError(f"the graph has {len(srcs)} FromMemory elements ({', '.join(srcs)});"
                             " give packets as a dict")
        feeds = {srcs[0]: packets}
    for name, pkts in feeds.items():
        if name not in srcs:
            raise KeyError(f"no FromMemory element named '{name}' (have: {', '.join(srcs)})")
        feed(eng, name, pkts)
    rounds = 0
    while True:
        eng.run_inline(max_runs=64)
        rounds += 64
        if all(eng[s].count >= eng[s].fed for s in srcs) or rounds >= max_rounds:
            break
    eng.run_inline(max_runs=max_rounds)      # until idle: queues drained, timers done
    result = Outputs()
    result.engine = eng
    result.stdout = eng.output()
    result.log = eng.log()
    result.element = "e" if wrapped else None
    result.meta = {}
    for i, name in enumerate(outs):
        key = i if wrapped else name
        items = drain_captured(eng, name)
        result.meta[key] = items
        result[key] = _packet_list(items, layer, str(key))
    return result


# ---- templates -----------------------------------------------------------------------------

def _values(spec, count: int, rng: random.Random | None):
    """The values a field takes: (lo, hi) inclusive (ints or IPv4 strings), a
    range, or a list (cycled). With rng, drawn at random instead of in order."""
    if isinstance(spec, tuple) and len(spec) == 2:
        lo, hi = spec
        ip = isinstance(lo, str)
        a = int(ipaddress.IPv4Address(lo)) if ip else int(lo)
        b = int(ipaddress.IPv4Address(hi)) if ip else int(hi)
        if b < a:
            raise ValueError(f"empty range {spec!r}")
        n = b - a + 1
        seq = (a + (rng.randrange(n) if rng else i % n) for i in range(count))
        return [str(ipaddress.IPv4Address(v)) if ip else v for v in seq]
    vals = list(spec)
    if not vals:
        raise ValueError("empty value list")
    return [rng.choice(vals) if rng else vals[i % len(vals)] for i in range(count)]


def template(pkt, count: int, vary: Mapping[str, Any] | None = None, *,
             seed: int | None = None) -> list:
    """`count` copies of scapy packet `pkt` with fields varied.

    vary: {"Layer.field": spec}, spec as (lo, hi) inclusive (numbers or IPv4
    addresses), a range or a list; values go in order, or at random (seeded)
    when seed is given. Lengths and checksums are recomputed.
    """
    rng = random.Random(seed) if seed is not None else None
    columns = {}
    for key, spec in (vary or {}).items():
        layer, _, field = key.partition(".")
        if not field:
            raise ValueError(f"vary key {key!r} must be 'Layer.field'")
        if not pkt.haslayer(layer):
            raise ValueError(f"the template has no {layer} layer")
        columns[(layer, field)] = _values(spec, count, rng)
    out = []
    for i in range(count):
        p = pkt.copy()
        for (layer, field), vals in columns.items():
            setattr(p[layer], field, vals[i])
        for layer in p.layers():
            lay = p[layer]
            for f in ("chksum", "len"):
                if f in lay.fields:
                    lay.fields.pop(f, None)
        out.append(p.__class__(bytes(p)))
    return out


# ---- capture from a running engine ------------------------------------------------------------

def capture(engine, name: str, count: int = 32, timeout: float = 1.0, *, layer: str = "auto",
            stop: bool = True):
    """Turn the Capture element `name` on, read up to `count` packets from it
    (waiting at most `timeout` seconds), and turn it off again (stop=False
    leaves it on). Returns a scapy PacketList."""
    el = engine[name]
    el.write("active", "true")
    got: list[Captured] = []
    deadline = time.monotonic() + timeout
    try:
        while len(got) < count:
            got += drain_captured(engine, name, count - len(got))
            if len(got) >= count or time.monotonic() >= deadline:
                break
            time.sleep(0.005)
    finally:
        if stop:
            el.write("active", "false")
    return _packet_list(got, layer, name)


# ---- pcap files ----------------------------------------------------------------------------

def read_pcap(path) -> list[bytes]:
    """The frames of a pcap or pcapng file, as bytes (for feed / FromMemory);
    any length (jumbo frames, 64 KB datagrams)."""
    from scapy.utils import RawPcapReader

    out = []
    with RawPcapReader(str(path)) as r:       # a pcapng file gets scapy's pcapng reader
        while True:
            try:                              # iterating would cut records at 65,535 bytes
                data, _meta = r._read_packet(size=1 << 20)
            except EOFError:
                return out
            out.append(bytes(data))


def write_pcap(path, packets, *, linktype: int | None = None, pcapng: bool = False) -> None:
    """Write scapy packets (or bytes, as Ethernet frames unless linktype says
    raw IP: 101, 228, 229) to a pcap file, or a pcapng file with pcapng=True;
    FromDump reads both."""
    from scapy.utils import PcapNgWriter, wrpcap

    pkts = list(packets)
    if pkts and isinstance(pkts[0], (bytes, bytearray)):
        raw = linktype in (12, 14, 101, 228, 229)
        pkts = [decode(bytes(p), "raw" if raw else "auto") for p in pkts]
    if pcapng:
        w = PcapNgWriter(str(path), linktype=linktype) if linktype is not None \
            else PcapNgWriter(str(path))
        w.write(pkts)
        w.close()
    else:
        wrpcap(str(path), pkts, linktype=linktype, snaplen=262144)   # tcpdump's: frames whole

