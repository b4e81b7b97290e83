"""Trace tests: one small TOML file per case, run through the engine.

    description = "TTL 1 leaves on output 1; TTL 2 is decremented"
    config = "DecIPTTL"                 # one element, or Click text with FromMemory/ToMemory
    input = ["IP(dst='10.0.0.2', ttl=2)/UDP()", "IP(dst='10.0.0.2', ttl=1)/UDP()"]
    [output]
    0 = ["IP(dst='10.0.0.2', ttl=1)/UDP()"]
    1 = ["IP(dst='10.0.0.2', ttl=1)/UDP()"]
    [counters]                          # element.counter (the wrapped element is "e")
    "e.expired" = 0
    [handlers]
    "e.drops" = "1"

Packets are scapy expressions (IP, UDP, TCP, ICMP, Ether, ARP, Raw, ...) with
helpers: trunc(p, n) (first n bytes), poke(p, offset, byte) (one byte
changed, checksums left as they were), hexpkt("45 00 ..."), rep(p, n) (n
copies), ipopt(p, b"...") (raw, possibly malformed, IP options). An input item may also be {pcap = "file.pcap"} (relative to the
trace file). In expected packets, ANY matches any value of a field
(IP(ttl=ANY, chksum=ANY)); fields left out get scapy's defaults, and computed
fields (lengths, checksums) must be right. A packet ending in /ANY
(IP(src="10.0.0.1")/ICMP(type=3)/ANY) compares only the fields it gives. Ethernet padding is ignored. With several sources, `input` is a
table: port numbers for a wrapped element, FromMemory names otherwise.

Every packet that comes out has its IPv4, ICMP, TCP and UDP checksums
verified by scapy (verify_checksums = false turns that off). Each trace
runs batched and in per-packet mode; both must give the same result. On
failure, got_*.pcap, want_*.pcap and a decoded difference are written under
test-artifacts/<trace>/.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from .checksums import checksum_errors

__all__ = ["ANY", "Trace", "TraceFailure", "checksum_errors", "load", "run_trace"]


class TraceFailure(AssertionError):
    pass


class _Any:
    """The wildcard: a field value, or a payload (IP()/ANY)."""

    def __repr__(self) -> str:
        return "ANY"

    def __rtruediv__(self, pkt):
        return _Wild(pkt)

    __rdiv__ = __rtruediv__                 # scapy's Packet.__div__ asks for it


ANY = _Any()


class _Wild:
    """An expected packet whose payload after `pkt` is not compared."""

    def __init__(self, pkt):
        self.pkt = pkt


def _namespace(base: Path) -> dict[str, Any]:
    from scapy.layers import inet, l2
    from scapy.packet import Padding, Raw

    ns: dict[str, Any] = {}
    for mod in (inet, l2):
        ns.update({k: v for k, v in vars(mod).items() if not k.startswith("_")})
    ns.update(Raw=Raw, Padding=Padding, ANY=ANY)

    def wildcard_fields(pkt):
        """{layer position: names of fields given as ANY}."""
        return {pos: _WILD[id(lay)][1] for pos, lay in enumerate(pkt.iterpayloads())
                if id(lay) in _WILD and _WILD[id(lay)][0] is lay}

    ns["trunc"] = lambda p, n: bytes(p)[:n]
    ns["poke"] = lambda p, off, v: (lambda b: bytes(b[:off]) + bytes([v]) + bytes(b[off + 1:]))(
        bytes(p))
    ns["hexpkt"] = lambda s: bytes.fromhex(s.replace(" ", "").replace("\n", ""))
    ns["rep"] = lambda p, n: [p] * n

    def ipopt(p, opts: bytes) -> bytes:
        """p (an IP packet without options) with raw option bytes, which may be
        malformed, and its header length, total length and checksum fixed."""
        import struct

        b = bytes(p)
        opts = bytes(opts) + bytes(-len(opts) % 4)
        h = bytearray(b[:20] + opts)
        h[0] = 0x40 | len(h) // 4
        h[2:4] = struct.pack("!H", len(b) + len(opts))
        h[10:12] = b"\0\0"
        s = sum(struct.unpack(f"!{len(h) // 2}H", h))
        s = (s & 0xFFFF) + (s >> 16)
        s = (s & 0xFFFF) + (s >> 16)
        h[10:12] = struct.pack("!H", ~s & 0xFFFF)
        return bytes(h) + b[20:]

    ns["ipopt"] = ipopt
    ns["_wildcard_fields"] = wildcard_fields
    ns["_base"] = base
    return ns


_WILD: dict[int, tuple] = {}       # id(layer) -> (layer, {fields given as ANY})
_GIVEN: dict[int, tuple] = {}      # id(layer) -> (layer, {fields given a value})
_RECORDING: list = []


def _install_any(ns):
    """scapy refuses unknown objects as field values: drop ANY keyword
    arguments before scapy sees them, remembering which they were."""
    from scapy.packet import Packet

    if getattr(Packet, "_pktlab_any", False):
        return
    orig = Packet.__init__

    def init(self, *a, **kw):
        if not _RECORDING:                   # only while a trace's expressions are read
            return orig(self, *a, **kw)
        wild = {k for k, v in kw.items() if v is ANY}
        for k in wild:
            del kw[k]
        orig(self, *a, **kw)
        if wild:
            _WILD[id(self)] = (self, wild)
        if kw:
            _GIVEN[id(self)] = (self, set(kw))

    orig_copy = Packet.copy

    def copy(self):                          # "/" copies both sides
        c = orig_copy(self)
        if not _RECORDING:
            return c
        for side in (_WILD, _GIVEN):
            w = side.get(id(self))
            if w and w[0] is self:
                side[id(c)] = (c, w[1])
        return c

    Packet.__init__ = init
    Packet.copy = copy
    Packet._pktlab_any = True


class Trace:
    """A loaded trace file."""

    def __init__(self, path: Path):
        self.path = Path(path)
        with open(self.path, "rb") as f:
            self.data = tomllib.load(f)
        unknown = set(self.data) - {"description", "config", "input", "output", "handlers",
                                    "counters", "verify_checksums", "defines", "write", "skip",
                                    "layer", "outputs", "modes", "oracle", "batched_order",
                                    "simtime", "stdout", "log"}
        if unknown:
            raise ValueError(f"{self.path}: unknown keys {sorted(unknown)}")
        if "config" not in self.data:
            raise ValueError(f"{self.path}: no config")
        self.name = self.path.stem
        self.ns = _namespace(self.path.parent)
        _install_any(self.ns)

    def _eval(self, text: str, what: str):
        _RECORDING.append(1)
        try:
            return eval(text, self.ns)  # noqa: S307 - test files are code, like pytest's
        except Exception as e:
            raise ValueError(f"{self.path}: {what}: cannot evaluate {text!r}: {e}") from None
        finally:
            _RECORDING.pop()

    def _packets(self, items, what: str) -> list:
        from .packets import read_pcap

        out = []
        for i, it in enumerate(items):
            if isinstance(it, dict) and "pcap" in it:
                out += read_pcap(self.path.parent / it["pcap"])
                continue
            v = self._eval(it, f"{what}[{i}]") if isinstance(it, str) else it
            out += v if isinstance(v, list) else [v]
        return out

    def inputs(self):
        inp = self.data.get("input", [])
        if isinstance(inp, dict):
            return {(int(k) if k.isdigit() else k): self._packets(v, f"input.{k}")
                    for k, v in inp.items()}
        return self._packets(inp, "input")

    def expected(self) -> dict:
        out = {}
        for k, v in self.data.get("output", {}).items():
            lst = []
            for i, t in enumerate(v):
                x = self._eval(t, f"output.{k}[{i}]")
                lst += x if isinstance(x, list) else [x]
            out[int(k) if k.isdigit() else k] = lst
        return out


def load(path) -> Trace:
    return Trace(Path(path))


# ---- comparison ---------------------------------------------------------------------------------

def _layers(p):
    from scapy.packet import Padding

    out = []
    while p is not None and p.__class__.__name__ != "NoPayload":
        if isinstance(p, Padding):
            break
        out.append(p)
        p = p.payload
    return out


def _compare(got, want, ns) -> list[str]:
    """Differences between a got packet and an expected one, as text lines."""
    wild_rest = isinstance(want, _Wild)
    if wild_rest:
        want = want.pkt
    if isinstance(want, (bytes, bytearray)):
        orig = getattr(got, "original", None)          # the bytes the packet was read from
        g = orig if isinstance(orig, bytes) else bytes(got)
        if wild_rest:
            return [] if g[:len(want)] == bytes(want) else [f"bytes differ: got {g.hex()}"]
        return [] if g == bytes(want) else [f"bytes: got {g.hex()}, want {bytes(want).hex()}"]
    wild_by_pos = ns["_wildcard_fields"](want)
    built = want.__class__(bytes(want))                 # computed fields filled in
    redis = built.__class__(bytes(got))                 # got, read as the same stack
    diffs = []
    gl, wl = _layers(redis), _layers(built)
    n = len(wl)
    if wild_rest:
        n = len(_layers(want))
    explicit = [_GIVEN[id(lay)][1] if id(lay) in _GIVEN and _GIVEN[id(lay)][0] is lay else set()
                for lay in _layers(want)]
    for pos in range(n):
        if pos >= len(gl):
            diffs.append(f"layer {wl[pos].__class__.__name__}: missing in got")
            break
        g, w = gl[pos], wl[pos]
        if g.__class__ is not w.__class__:
            diffs.append(f"layer {pos}: got {g.__class__.__name__}, want {w.__class__.__name__}")
            break
        for f in w.fields_desc:
            wild = wild_by_pos.get(pos, ())
            if f.name in wild or (wild and f.name == "chksum"):   # it covers a wildcard
                continue
            if wild_rest and f.name not in explicit[pos]:
                continue                                # IP(ttl=9)/ANY: only what is given
            gv, wv = g.getfieldval(f.name), w.getfieldval(f.name)
            if gv != wv:
                diffs.append(f"{w.__class__.__name__}.{f.name}: got {f.i2repr(g, gv)}, "
                             f"want {f.i2repr(w, wv)}")
    if not wild_rest and not diffs and len(gl) != len(wl):
        diffs.append(f"got {len(gl)} layers, want {len(wl)}")
    return diffs


# ---- running -------------------------------------------------------------------------------------

def run_trace(trace: Trace, per_packet: bool = False, artifacts: Path | None = None) -> None:
    """Run a trace; raise TraceFailure describing every mismatch."""
    from .packets import run_packets

    _WILD.clear()
    _GIVEN.clear()
    d = trace.data
    out = run_packets(d["config"], trace.inputs(), per_packet=per_packet,
                      defines=d.get("defines"), handlers=d.get("write"),
                      outputs=d.get("outputs"), layer=d.get("layer", "auto"),
                      simtime=d.get("simtime", False))
    problems: list[str] = []
    for key, got_text in (("stdout", out.stdout), ("log", out.log)):
        if key in d and got_text != d[key]:
            problems.append(f"{key}: got {got_text!r}, want {d[key]!r}")
    want = trace.expected()
    for key in sorted(set(want) | set(out), key=str):
        got_l, want_l = list(out.get(key, [])), want.get(key)
        if want_l is None:
            if got_l:
                problems.append(f"output {key}: {len(got_l)} unexpected packet(s)")
            continue
        if len(got_l) != len(want_l):
            problems.append(f"output {key}: got {len(got_l)} packet(s), want {len(want_l)}")
        elif not per_packet and d.get("batched_order") == "any":
            got_l = _match_order(got_l, want_l, trace.ns)
        for i, (g, w) in enumerate(zip(got_l, want_l)):
            for line in _compare(g, w, trace.ns):
                problems.append(f"output {key} packet {i}: {line}")
    if d.get("verify_checksums", not d.get("oracle")):     # Click's bytes are the truth
        for key, pl in out.items():
            for i, p in enumerate(pl):
                for line in checksum_errors(p):
                    problems.append(f"output {key} packet {i}: {line}")
    default = out.element or ""
    for spec, value in d.get("counters", {}).items():
        el, c = _split_spec(spec, default)
        counters = out.engine[el].counters()
        if c not in counters:
            problems.append(f"counter {spec}: no such counter (have {', '.join(counters)})")
        elif counters[c] != value:
            problems.append(f"counter {spec}: got {counters[c]}, want {value}")
    for spec, value in d.get("handlers", {}).items():
        el, h = _split_spec(spec, default)
        got = out.engine[el].read(h).strip()
        if got != str(value).strip():
            problems.append(f"handler {spec}: got {got!r}, want {str(value).strip()!r}")
    if problems:
        if artifacts is not None:
            _write_artifacts(artifacts, out, want, problems)
        mode = "per-packet" if per_packet else "batched"
        raise TraceFailure(f"{trace.path.name} ({mode}): " + "\n  ".join(["", *problems]))


def _match_order(got_l: list, want_l: list, ns) -> list:
    """got_l reordered to follow want_l where packets match (batched_order = "any":
    batching may change the order on an output, never its packets)."""
    rest, out = list(got_l), []
    for w in want_l:
        k = next((i for i, g in enumerate(rest) if not _compare(g, w, ns)), 0)
        out.append(rest.pop(k))
    return out


def _split_spec(spec: str, default: str) -> tuple[str, str]:
    """"element.handler [param]" (the element name has no dot), or "handler"."""
    head = spec.split(" ", 1)[0]
    if "." not in head:
        return default, spec
    el, _, rest = spec.partition(".")
    return el, rest


def _write_artifacts(where: Path, out, want, problems) -> None:
    from .packets import write_pcap

    where.mkdir(parents=True, exist_ok=True)
    lines = ["Problems:", *("  " + p for p in problems), ""]
    for key in sorted(set(want) | set(out), key=str):
        got_l = list(out.get(key, []))
        want_l = [w.pkt if isinstance(w, _Wild) else w for w in want.get(key, [])]
        want_l = [w for w in want_l if not isinstance(w, (bytes, bytearray))] or []
        if got_l:
            write_pcap(where / f"got_{key}.pcap", got_l)
        if want_l:
            write_pcap(where / f"want_{key}.pcap", [w.__class__(bytes(w)) for w in want_l])
        for i in range(max(len(got_l), len(want_l))):
            lines.append(f"== output {key} packet {i}")
            for tag, lst in (("got", got_l), ("want", want_l)):
                lines.append(f"-- {tag}:")
                lines.append(lst[i].show2(dump=True) if i < len(lst) else "   (none)")
    (where / "diff.txt").write_text("\n".join(lines))


def main(argv=None) -> int:
    import sys

    ok = True
    for p in (argv if argv is not None else sys.argv[1:]):
        t = load(p)
        for pp in (False, True):
            if ("per_packet" if pp else "batched") not in t.data.get("modes", ["batched", "per_packet"]):
                continue
            try:
                run_trace(t, per_packet=pp)
            except (TraceFailure, ValueError) as e:
                ok = False
                print(e)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
