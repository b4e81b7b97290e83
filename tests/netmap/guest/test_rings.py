"""Several rings per port, several threads (the thread vector, DESIGN.md §3):
each thread that reaches a ToNetmapDevice gets a TX ring of its own while the
port has enough, and only threads that must share a ring take its lock;
FromNetmapDevice spreads a port's RX rings over the engine's threads. Ports
are VALE ports created with 4 rings (libnetmap's @conf:rings=4). VALE drops
when a receiver lags, so what arrives is bounded, never asserted exact; what
the engine sent is."""

from __future__ import annotations

import pytest

import pktlab
from pktlab.engine import EngineError
from nmhelpers import tag, wait_for

N = 20000


def two_threads_into(t: str, tx_opts: str):
    eng = pktlab.Engine(
        f"""s0 :: InfiniteSource(LENGTH 60, LIMIT {N}, BURST 32, STOP false);
        s1 :: InfiniteSource(LENGTH 60, LIMIT {N}, BURST 32, STOP false);
        StaticThreadSched(s0 0, s1 1);
        td :: ToNetmapDevice("vale{t}:a@conf:rings=4"{tx_opts}, BLOCKING true);
        s0 -> td; s1 -> td;
        fd :: FromNetmapDevice("vale{t}:b@conf:rings=4") -> c :: Counter -> Discard;""",
        threads=2)
    eng.start()
    try:
        assert wait_for(lambda: eng["td"].count + eng["td"].dropped >= 2 * N, timeout=60)
        wait_for(lambda: eng["c"].count >= 2 * N, timeout=3)
    finally:
        eng.stop()
    return eng


def queues(td) -> dict[int, tuple[int, bool]]:
    """thread -> (TX ring, locked) from the tx_queues handler."""
    out = {}
    for line in td.read("tx_queues").splitlines():
        t, ring, locked = (int(x) for x in line.split())
        out[t] = (ring, bool(locked))
    return out


def test_each_thread_gets_its_own_tx_ring():
    eng = two_threads_into(tag(), "")
    td, fd = eng["td"], eng["fd"]
    q = queues(td)
    assert set(q) == {0, 1}
    assert q[0][0] != q[1][0] and not q[0][1] and not q[1][1]
    assert "threads->rings 0->" in td.read("device") and "locked" not in td.read("device")
    assert (td.count, td.dropped) == (2 * N, 0)
    assert "RX rings 0..3 of 4 on 2 threads" in fd.read("device")
    assert 0 < fd.count == eng["c"].count <= 2 * N and fd.dropped == 0


def test_threads_share_one_ring_under_its_lock():
    eng = two_threads_into(tag(), ", N_QUEUES 1")
    td = eng["td"]
    q = queues(td)
    assert q[0] == q[1] == (0, True)
    assert "(* locked: threads share a ring)" in td.read("device")
    assert (td.count, td.dropped) == (2 * N, 0)            # nothing lost to the race
    assert 0 < eng["fd"].count <= 2 * N


def test_queue_selects_rings_and_names_missing_ones():
    t = tag()
    eng = pktlab.Engine(f"""InfiniteSource(LENGTH 60, LIMIT 100, STOP false)
        -> td :: ToNetmapDevice("vale{t}:a@conf:rings=4", QUEUE 2, BLOCKING true);""")
    eng.start()
    try:
        assert wait_for(lambda: eng["td"].count == 100)
    finally:
        eng.stop()
    assert queues(eng["td"]) == {0: (2, False)}
    assert "TX rings 2..3 of 4" in eng["td"].read("device")
    with pytest.raises(EngineError, match=r"has 4 TX rings; rings 5\.\.5 do not exist"):
        pktlab.Engine(f"""InfiniteSource(LIMIT 1) -> ToNetmapDevice("vale{t}x:a@conf:rings=4", QUEUE 5);""")
