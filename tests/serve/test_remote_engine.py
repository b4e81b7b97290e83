"""pktlab.connect(): the Engine API over ControlSocket, checked against the
served Engine itself (the same process here, so both sides can be read)."""

from __future__ import annotations

import time

import numpy as np
import pytest

import pktlab
from pktlab.engine import EngineError

CHAIN = "src :: InfiniteSource(LENGTH 64, BURST 32) -> c :: Counter -> d :: Discard;"


@pytest.fixture
def pair(served):
    eng, srv = served(CHAIN)
    r = pktlab.connect(srv.address)
    yield eng, r
    r.close()


def until(cond, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_graph_elements_and_handlers(pair):
    eng, r = pair
    assert r.graph == eng.graph and r.elements == eng.elements
    assert r.ports("c") == eng.ports("c") and r.threads == eng.threads
    assert "c" in r and "x" not in r
    assert r["src"].burst == 32 and r["src"].length == 64
    assert r["c"].count > 0 and isinstance(r["c"].count, int)
    assert r["c"].cls == "Counter"
    assert set(r["c"].handlers()) >= {"count", "reset", "byte_count", "name", "config"}
    with pytest.raises(AttributeError):
        r["c"].nosuch
    with pytest.raises(KeyError):
        r["nosuch"]
    r["c"].reset = ""
    assert r["c"].count < eng["c"].count + 1


def test_live_writes_are_in_history_at_once(pair):
    eng, r = pair
    seen = []
    r.on_change(seen.append)
    r["src"].burst = 4
    assert eng["src"].burst == 4
    ch = r.history[-1]
    assert (ch.kind, ch.label, ch.element) == ("write", "src.burst=4", "src")
    assert seen == [ch]
    time.sleep(0.3)                 # the stream repeats it: still once
    assert len(r.history) == len(eng.history) == 1 and seen == [ch]
    with pytest.raises(EngineError) as e:
        r["src"].burst = 0
    assert e.value.element == "src" and "BURST" in str(e.value)


def test_apply_returns_the_change_and_moves_the_graph(pair):
    eng, r = pair
    new = CHAIN.replace("-> d ::", "-> n :: Null -> d ::")
    ch = r.apply(new)
    assert ch.added == 1 and ch.diff.added == ["n"] and ch.kind == "apply"
    assert r.graph == eng.graph and "n" in r.elements and r["n"].cls == "Null"
    assert r.history[-1] is ch
    bad = pktlab.parse(CHAIN.replace("Counter", "Countr"))
    with pytest.raises(EngineError) as e:
        r.apply(bad)
    assert "unknown element class 'Countr'" in str(e.value)
    assert r.graph == eng.graph and "n" in r.elements          # unchanged
    g = pktlab.parse("src :: InfiniteSource(LENGTH 64, BURST 32) -> c :: Counter(BOGUS 1)"
                     " -> d :: Discard;", "<cell>")
    with pytest.raises(EngineError) as e:
        r.apply(g)
    assert e.value.element == "c" and e.value.loc == g.elements["c"].loc


def test_changes_made_elsewhere_arrive(pair):
    eng, r = pair
    seen = []
    r.on_change(seen.append)
    eng["src"].burst = 8                       # from the server's own process
    until(lambda: seen)
    assert seen[0].label == "src.burst=8" and r.history[-1] is seen[0]


def test_statistics_arrays_follow_the_served_engine(pair):
    eng, r = pair
    st = r.stats()
    local = eng.stats()
    assert st.ports.shape == local.ports.shape and st.hist.shape == local.hist.shape
    n0 = int(st.output_packets("c")[0])
    until(lambda: int(r.stats().output_packets("c")[0]) > n0)
    eng.stop()
    time.sleep(0.4)
    assert np.array_equal(r.stats().ports, local.ports)
    assert np.array_equal(r.stats().hist, local.hist)
    assert r.stats().counters_of("c") == local.counters_of("c")
    assert r.stats().input_hist("d")[32] == local.input_hist("d")[32] > 0
    assert r.summary()["c"]["outputs"] == eng.summary()["c"]["outputs"]


def test_telemetry_on_the_served_clock(pair):
    eng, r = pair
    tel = r.telemetry
    until(lambda: tel.samples > 12)
    snap = tel.snapshot(window=1.0)
    assert snap["elements"]["c"]["pps"] > 0
    assert snap["elements"]["d"]["mean_batch"] == pytest.approx(32.0)
    t, v = tel.series("pps", ["c"])
    assert len(t) > 5 and np.all(np.diff(t) > 0)
    r["src"].burst = 8
    until(lambda: any(lbl == "src.burst=8" for _, lbl in tel.markers))
    until(lambda: tel.snapshot(window=0.3)["elements"]["d"]["mean_batch"] == pytest.approx(8.0))


def test_start_stop_running_done(served):
    eng, srv = served("src :: InfiniteSource(LIMIT 50000, STOP true) -> c :: Counter -> Discard;",
                      run=False)
    r = pktlab.connect(srv.address)
    assert not r.running and not r.done
    r.start()
    assert r.wait(20)
    until(lambda: not r.running or eng.done)
    assert eng.done and r["c"].count == 50000
    r.stop()
    assert not eng.running
    r.close()


def test_pools_decisions_log_and_what_needs_a_local_engine(served):
    eng, srv = served("FromMemory -> p :: Print(hello) -> Discard; "
                      "src :: InfiniteSource(LIMIT 3, STOP false) -> Discard;")
    r = pktlab.connect(srv.address)
    assert r.pools()["allocated"] == eng.pools()["allocated"]
    assert r.decisions()["threads"] == 1 and "p" in r.decisions()["elements"]
    eng.feed("FromMemory@1", [b"\x01\x02\x03\x04"])
    until(lambda: "hello" in r.log())
    with pytest.raises(EngineError, match="feed"):
        r.feed("FromMemory@1", [b"x"])
    r.close()


def test_without_a_stream(served):
    eng, srv = served(CHAIN)
    eng["src"].burst = 16
    r = pktlab.connect(srv.address, stream=False)
    assert r.history[0].label == "src.burst=16"
    n0 = int(r.stats().output_packets("c")[0])
    time.sleep(0.05)
    assert int(r.stats().output_packets("c")[0]) > n0 and r.running
    r.close()


def test_when_the_server_goes_away(served):
    eng, srv = served(CHAIN)
    r = pktlab.connect(srv.address)
    assert r.running
    srv.close()
    until(lambda: not r.running)                 # the stream ended: nothing runs for us
    with pytest.raises(EngineError) as e:
        r["c"].read("count")
    assert e.value.kind == "remote" or "closed" in str(e.value)
    r.close()


def test_ipv6_loopback(served):
    import socket

    if not socket.has_ipv6:
        pytest.skip("this machine has no IPv6")
    try:
        eng, srv = served(CHAIN, tcp=["[::1]:0"])
    except OSError as e:
        pytest.skip(f"no IPv6 loopback here: {e}")
    r = pktlab.connect(f"[::1]:{srv.port}")
    assert r["c"].count > 0
    r.close()
