"""Helpers for element tests: graphs from Click text, packets in and out.

make_engine(spec) takes Click text. It uses pktlab.lang.parse (through
Engine(text)) when that works, and otherwise a small parser of the subset
these tests use (declarations, chains, [port] marks, anonymous elements), so
that element tests never wait on the language.
"""

from __future__ import annotations

import os
import re
import struct
from types import SimpleNamespace

import pytest

from pktlab import Engine
from pktlab.engine.memio import drain, drain_captured, feed


def _lang_parse():
    if os.environ.get("PKTLAB_TEST_FALLBACK"):       # exercise the fallback on purpose
        return None
    try:
        from pktlab.lang import parse

        parse("a :: Idle; b :: Idle; a -> b;")
        return parse
    except Exception:  # noqa: BLE001 - any failure means: use the fallback
        return None


def _split(text: str, sep: str) -> list[str]:
    """Split at `sep` outside quotes and brackets."""
    out, depth, quote, start, i = [], 0, "", 0, 0
    while i < len(text):
        c = text[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = ""
        elif c in "\"'":
            quote = c
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif depth == 0 and text.startswith(sep, i):
            out.append(text[start:i])
            start = i + len(sep)
            i += len(sep) - 1
        i += 1
    out.append(text[start:])
    return out


_END = re.compile(r"^\s*(?:\[\s*(\d+)\s*\])?\s*(.*?)\s*(?:\[\s*(\d+)\s*\])?\s*$", re.S)
_DECL = re.compile(r"^(?:(\w[\w/@]*)\s*::\s*)?(\w+)\s*(?:\((.*)\))?$", re.S)


def fallback_graph(text: str):
    """Click text (a subset) to an object with .elements and .connections."""
    text = re.sub(r"//[^\n]*|/\*.*?\*/", "", text, flags=re.S)
    elements: dict[str, SimpleNamespace] = {}
    connections = []
    for stmt in _split(text, ";"):
        if not stmt.strip():
            continue
        prev = None
        for part in _split(stmt, "->"):
            inp, core, outp = _END.match(part).groups()
            m = _DECL.match(core)
            if not m:
                raise ValueError(f"cannot parse '{core}'")
            name, cls, config = m.groups()
            if name is None and config is None and cls in elements:
                name = cls
            elif name is None:
                name = f"{cls}@{len(elements) + 1}"
            if name not in elements:
                elements[name] = SimpleNamespace(name=name, cls=cls, config=config or "",
                                                 loc=None)
            if prev is not None:
                connections.append(SimpleNamespace(src=prev[0], sport=prev[1], dst=name,
                                                   dport=int(inp or 0)))
            prev = (name, int(outp or 0))
    return SimpleNamespace(elements=elements, connections=connections)


def make_engine(spec: str, **kw) -> Engine:
    """An initialized Engine for Click text `spec`."""
    if _lang_parse() is not None:
        return Engine(spec, **kw)
    return Engine(fallback_graph(spec), **kw)


def run(spec: str, packets=(), src: str = "src", **kw) -> Engine:
    """Build `spec`, feed `packets` into FromMemory `src`, run inline to the end."""
    eng = make_engine(spec, **kw)
    if packets:
        feed(eng, src, packets)
    eng.run_inline()
    return eng


def mac(s: str) -> bytes:
    return bytes(int(x, 16) for x in s.split(":"))


def ether(dst="00:00:00:00:00:02", src="00:00:00:00:00:01", etype=0x0800, payload=b"") -> bytes:
    return mac(dst) + mac(src) + struct.pack("!H", etype) + payload


def ipv4(proto=17, src="10.0.0.1", dst="10.0.0.2", payload=b"", ttl=64) -> bytes:
    def a(s):
        return bytes(int(x) for x in s.split("."))

    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 0, 0, ttl, proto, 0, a(src),
                      a(dst))
    return hdr + payload


def conserved(eng: Engine, fed: int) -> bool:
    """Every packet fed ended in a counted drop (ToMemory's 'stored' included)
    and every buffer is back in its pool."""
    st = eng.stats()
    return st.total_drops() == fed and eng.pools()["in_use"] == 0


@pytest.fixture
def kit():
    """The helpers, for tests: kit.run(...), kit.ether(...), ..."""
    return SimpleNamespace(make_engine=make_engine, run=run, feed=feed, drain=drain,
                           drain_captured=drain_captured, ether=ether, ipv4=ipv4, mac=mac,
                           conserved=conserved, fallback_graph=fallback_graph)
