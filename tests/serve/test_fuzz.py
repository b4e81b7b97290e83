"""Fuzzing the protocol against a live server: whatever bytes a client sends,
the server answers in Click's form, never hangs or crashes, and the engine
keeps forwarding. Commands built from Click's grammar (with hostile names,
numbers and DATA lengths) and plain random bytes, sent in random pieces.

A longer run: PKTLAB_FUZZ_EXAMPLES=20000 pytest tests/serve/test_fuzz.py"""

from __future__ import annotations

import os
import socket
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from replies import parse_replies

EXAMPLES = int(os.environ.get("PKTLAB_FUZZ_EXAMPLES", "120"))
CONFIG = ("src :: InfiniteSource(LENGTH 64, BURST 32) -> c :: Counter -> t :: Tee(2);"
          " t[0] -> Discard; t[1] -> q :: Queue(64) -> u :: Unqueue -> d :: Discard;"
          " rt :: RadixIPLookup(10.0.0.0/8 0) -> Discard; Idle -> rt;")


@pytest.fixture(scope="module")
def live():
    from pktlab.engine import Engine
    from pktlab.serve import Server

    eng = Engine(CONFIG)
    eng.start()
    srv = Server(eng, config_text=CONFIG, max_data=1 << 16, max_line=1 << 14).start()
    yield eng, srv
    srv.close()
    eng.stop()


def exchange(port: int, pieces: list[bytes], timeout: float = 10.0) -> bytes:
    """Send the pieces, close our side, read until the server closes (it must)."""
    s = socket.create_connection(("127.0.0.1", port))
    s.settimeout(timeout)
    out = bytearray()
    try:
        for p in pieces:
            try:
                s.sendall(p)
            except (BrokenPipeError, ConnectionResetError):
                break
        try:
            s.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        while True:
            try:
                d = s.recv(65536)
            except ConnectionResetError:
                break
            if not d:
                break
            out += d
    finally:
        s.close()
    return bytes(out)


words = st.sampled_from([b"read", b"READ", b"get", b"write", b"set", b"readdata", b"writedata",
                         b"setdata", b"readuntil", b"writeuntil", b"checkread", b"checkwrite",
                         b"llrpc", b"quit", b"close", b"help", b"auth", b"extensions", b"stream",
                         b"bogus", b"READDATA"])
names = st.one_of(
    st.sampled_from([b"c.count", b"c.reset", b"src.burst", b"src.active", b"q.length",
                     b"rt.lookup", b"rt.add", b"c.config", b"c.ports", b"handlers", b"list",
                     b"flatconfig", b"1.name", b"0.version", b".config", b"c#C004C003",
                     b"c#4004C005", b"nosuch.h", b"running", b"history", b"layout", b"stats",
                     b"d.count", b"t.handlers"]),
    st.binary(min_size=1, max_size=12).filter(lambda b: not any(c in b" \t\r\n\v\f" for c in b)))
numbers = st.one_of(st.integers(-5, 70000).map(lambda n: str(n).encode()),
                    st.sampled_from([b"0x10", b"99999999999999999999", b"-0", b"1_0", b"x", b""]))
lines = st.tuples(words, names, numbers, st.sampled_from([b"\n", b"\r\n", b"\r", b""]),
                  st.binary(max_size=40)).map(lambda t: t[0] + b" " + t[1] + b" " + t[2] + t[3]
                                              + t[4])


def split(data: bytes, cuts: list[int]) -> list[bytes]:
    out, pos = [], 0
    for n in cuts:
        out.append(data[pos:pos + n])
        pos += n
    return out + [data[pos:]]


def check_alive(eng, port: int) -> None:
    got = parse_replies(exchange(port, [b"read c.count\r\n"]))
    assert got and got[0][0] == 200 and int(got[0][2]) > 0
    assert eng.running


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                    HealthCheck.too_slow])
@given(st.lists(lines, max_size=10), st.lists(st.integers(1, 64), max_size=12))
def test_commands_from_the_grammar(live, cmds, cuts):
    eng, srv = live
    data = b"".join(cmds)
    t0 = time.monotonic()
    parse_replies(exchange(srv.port, split(data, cuts)))
    assert time.monotonic() - t0 < 10
    if b"stop" not in data and b"running" not in data:
        assert eng.running
    if not eng.running:          # a fuzzed `write running false` (or 0, no): restart it
        eng.start()


@settings(max_examples=max(EXAMPLES // 2, 1), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=3000), st.lists(st.integers(1, 500), max_size=8))
def test_random_bytes(live, data, cuts):
    eng, srv = live
    parse_replies(exchange(srv.port, split(data, cuts)))


def test_still_serving_after_the_fuzz(live):
    eng, srv = live
    check_alive(eng, srv.port)
    assert eng.pools()["alloc_failures"] == 0
