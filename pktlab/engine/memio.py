"""Packets in and out of a running graph through memory.

`feed` queues packets into a FromMemory element, `drain` takes what a
ToMemory element stored. Both are safe while the engine runs (the native
side uses lock-free single-producer/single-consumer queues and serializes
control-side calls), and both copy: Python never holds engine buffers.

    eng = Engine("src :: FromMemory(STOP true) -> EtherMirror -> out :: ToMemory;")
    feed(eng, "src", [frame1, frame2])
    eng.run_inline()
    drain(eng, "out")            # [mirrored1, mirrored2]

The engine exposes these as Engine.feed / Engine.drain.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from . import _lib
from ._lib import ffi, lib

MAX_FRAME = lib.pl_packet_max_len()     # PL_MAX_LEN: 65,535 bytes and headers around them
_DRAIN_PACKETS = 4096
_DRAIN_BYTES = 1 << 22


@dataclass(frozen=True)
class Captured:
    """A packet ToMemory stored: its bytes (cut at SNAPLEN) and annotations."""

    data: bytes
    orig_len: int
    paint: int
    dst_ip: int                 # network order, as an int of the 4 bytes big-endian
    timestamp: int
    anno: bytes
    thread: int
    net_offset: int | None = None   # the network header annotation, from the data start

    @property
    def extra_length(self) -> int:
        """Bytes on the wire beyond the packet (FromDump: what the capture cut)."""
        return int.from_bytes(self.anno[12:16], "little")   # PL_ANNO_EXTRA_LENGTH (anno.h)


def _index(engine, name: str) -> int:
    try:
        return engine._index[name]
    except KeyError:
        raise KeyError(f"no element named '{name}'") from None


def feed(engine, name: str, packets: Iterable[bytes]) -> int:
    """Queue `packets` (bytes-like, at most MAX_FRAME bytes each) into FromMemory
    `name`, in order. Returns how many were queued."""
    pkts = [bytes(p) for p in packets]
    if not pkts:
        return 0
    data = b"".join(pkts)
    lens = ffi.new("uint32_t[]", [len(p) for p in pkts])
    accepted = ffi.new("uint32_t *")
    err = _lib.new_error()
    rc = lib.pl_element_feed(engine._h, _index(engine, name), data, lens, len(pkts), accepted,
                             err)
    engine._check(rc, err)
    return accepted[0]


def _drain(engine, name: str, limit: int | None, meta: bool) -> list:
    idx = _index(engine, name)
    out: list = []
    data = ffi.new("uint8_t[]", _DRAIN_BYTES)
    metas = ffi.new("pl_pkt_meta[]", _DRAIN_PACKETS)
    got = ffi.new("uint32_t *")
    err = _lib.new_error()
    while limit is None or len(out) < limit:
        maxn = _DRAIN_PACKETS if limit is None else min(_DRAIN_PACKETS, limit - len(out))
        rc = lib.pl_element_drain(engine._h, idx, data, _DRAIN_BYTES, metas, maxn, got, err)
        engine._check(rc, err)
        n = got[0]
        if not n:
            break
        buf = ffi.buffer(data, _DRAIN_BYTES)
        off = 0
        for i in range(n):
            m = metas[i]
            b = buf[off:off + m.len]
            off += m.len
            if meta:
                out.append(Captured(b, m.orig_len, m.paint,
                                    int.from_bytes(ffi.buffer(ffi.addressof(m, "dst_ip"), 4)[:],
                                                   "big"),
                                    m.timestamp, bytes(ffi.buffer(m.anno)), m.thread,
                                    None if m.net_off == 0xFFFF else m.net_off))
            else:
                out.append(b)
    return out


def drain(engine, name: str, limit: int | None = None) -> list[bytes]:
    """Take the packets ToMemory `name` stored (oldest first), at most `limit`."""
    return _drain(engine, name, limit, False)


def drain_captured(engine, name: str, limit: int | None = None) -> list[Captured]:
    """As drain, with each packet's original length and annotations."""
    return _drain(engine, name, limit, True)


__all__ = ["feed", "drain", "drain_captured", "Captured", "MAX_FRAME"]
