"""FromMemory and ToMemory: packets in and out through memory."""

import time

import pytest

from pktlab import EngineError
from pktlab.engine.memio import MAX_FRAME

CHAIN = "src :: FromMemory({src}) -> out :: ToMemory({out});"


def frames(n, length=60):
    return [bytes([i % 256]) * length for i in range(n)]


@pytest.mark.parametrize("burst", [1, 7, 32])
def test_roundtrip_in_order(kit, burst):
    pkts = [b"", b"\x01", bytes(range(60)), bytes(1514), bytes([7]) * MAX_FRAME] * 5
    eng = kit.run(CHAIN.format(src=f"BURST {burst}, STOP true", out=""), pkts)
    assert kit.drain(eng, "out") == pkts
    assert kit.drain(eng, "out") == []
    assert eng["src"].count == len(pkts) and eng["src"].fed == len(pkts)
    assert eng["out"].count == len(pkts) and eng["out"].pending == 0
    assert kit.conserved(eng, len(pkts))
    hist = eng.stats().input_hist("out")
    full, rest = divmod(len(pkts), burst)
    assert hist[burst] == full and (rest == 0 or hist[rest] == 1)


def test_pending_until_drained(kit):
    eng = kit.run(CHAIN.format(src="STOP true", out=""), frames(10))
    assert eng["out"].pending == 10
    assert len(kit.drain(eng, "out", limit=4)) == 4
    assert eng["out"].pending == 6
    assert kit.drain(eng, "out") == frames(10)[4:]


def test_overflow_keeps_oldest_and_counts(kit):
    eng = kit.run(CHAIN.format(src="STOP true", out="CAPACITY 5"), frames(12))
    assert kit.drain(eng, "out") == frames(12)[:5]
    assert eng["out"].counters() == {"stored": 5, "overflow": 7}
    assert eng["out"].drops == 7
    assert kit.conserved(eng, 12)


def test_snaplen_and_annotations(kit):
    eng = kit.run("src :: FromMemory(STOP true) -> Paint(9) -> out :: ToMemory(SNAPLEN 10);",
                  [bytes(range(60)), b"abc"])
    caps = kit.drain_captured(eng, "out")
    assert [c.data for c in caps] == [bytes(range(10)), b"abc"]
    assert [c.orig_len for c in caps] == [60, 3]
    assert all(c.paint == 9 and c.thread == 0 and len(c.anno) == 48 for c in caps)


def test_loop_with_limit(kit):
    pkts = frames(3)
    eng = kit.run(CHAIN.format(src="LOOP true, LIMIT 10, BURST 4, STOP true", out=""), pkts)
    assert kit.drain(eng, "out") == (pkts * 4)[:10]
    assert eng["src"].count == 10


def test_limit_without_loop(kit):
    eng = kit.run(CHAIN.format(src="LIMIT 5, STOP true", out=""), frames(10))
    assert kit.drain(eng, "out") == frames(10)[:5]
    assert eng["src"].count == 5 and eng["src"].fed == 10


def test_empty_queue_stops(kit):
    eng = kit.run(CHAIN.format(src="STOP true", out=""))
    assert eng.done and kit.drain(eng, "out") == []


def test_inactive_source_sends_nothing(kit):
    eng = kit.make_engine(CHAIN.format(src="ACTIVE false", out=""))
    kit.feed(eng, "src", frames(4))
    eng.run_inline(max_runs=10)
    assert kit.drain(eng, "out") == []
    eng["src"].active = True
    eng.run_inline(max_runs=10)
    assert kit.drain(eng, "out") == frames(4)


def test_feed_between_runs_spans_chunks(kit):
    # 3 x 1000 frames of 1500 bytes: several 1 MiB chunks, fed while earlier
    # ones are consumed (the producer frees what the consumer has left).
    eng = kit.make_engine(CHAIN.format(src="BURST 64", out="CAPACITY 4000"))
    expect = []
    for round_ in range(3):
        pkts = [bytes([round_, i % 256]) + bytes(1498) for i in range(1000)]
        assert kit.feed(eng, "src", pkts) == 1000
        expect += pkts
        eng.run_inline(max_runs=100)
    assert kit.drain(eng, "out") == expect


def test_drain_more_than_one_call(kit):
    pkts = [i.to_bytes(4, "big") for i in range(10000)]
    eng = kit.run(CHAIN.format(src="BURST 256, STOP true", out="CAPACITY 10000"), pkts)
    assert kit.drain(eng, "out") == pkts


def test_feed_errors(kit):
    eng = kit.make_engine(CHAIN.format(src="", out=""))
    with pytest.raises(EngineError, match=f"at most {MAX_FRAME} fit") as ei:
        kit.feed(eng, "src", [b"x", bytes(MAX_FRAME + 1)])
    assert ei.value.element == "src"
    assert eng["src"].fed == 0            # nothing queued from a rejected call
    with pytest.raises(EngineError, match="cannot be fed") as ei:
        kit.feed(eng, "out", [b"x"])
    assert ei.value.kind == "state" and ei.value.element == "out"
    with pytest.raises(EngineError, match="cannot be drained"):
        kit.drain(eng, "src")
    with pytest.raises(KeyError):
        kit.feed(eng, "nope", [b"x"])
    assert kit.feed(eng, "src", []) == 0


def test_bad_parameters(kit):
    with pytest.raises(EngineError, match="CAPACITY"):
        kit.make_engine(CHAIN.format(src="", out="CAPACITY 0"))
    with pytest.raises(EngineError, match="SNAPLEN"):
        kit.make_engine(CHAIN.format(src="", out="SNAPLEN 70000"))
    with pytest.raises(EngineError, match="BURST"):
        kit.make_engine(CHAIN.format(src="BURST 0", out=""))


def _wait(pred, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not pred():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def test_feed_and_drain_while_running(kit):
    eng = kit.make_engine(CHAIN.format(src="BURST 16", out="CAPACITY 256"))
    eng.start()
    try:
        got, sent = [], []
        for k in range(50):
            pkts = [bytes([k, i]) * 30 for i in range(100)]
            kit.feed(eng, "src", pkts)
            sent += pkts
            got += kit.drain(eng, "out")      # concurrently with the worker
            _wait(lambda: eng["out"].count + eng["out"].drops == len(sent))
        got += kit.drain(eng, "out")
    finally:
        eng.stop()
    drops = eng["out"].drops
    assert len(got) + drops == len(sent) == 5000
    # What was kept is in order, a subsequence of what was sent.
    it = iter(sent)
    assert all(any(p == q for q in it) for p in got)
    assert eng.pools()["in_use"] == 0


def test_two_threads_into_one_sink(kit):
    eng = kit.make_engine(
        "a :: FromMemory(STOP false) -> out :: ToMemory(20000);"
        "b :: FromMemory(STOP false) -> out;", threads=2)
    assert {eng.element_thread("a"), eng.element_thread("b")} == {0, 1}
    pa = [b"a" + i.to_bytes(4, "big") for i in range(5000)]
    pb = [b"b" + i.to_bytes(4, "big") for i in range(5000)]
    kit.feed(eng, "a", pa)
    kit.feed(eng, "b", pb)
    eng.start()
    try:
        _wait(lambda: eng["out"].count == 10000)
    finally:
        eng.stop()
    caps = kit.drain_captured(eng, "out")
    got = [c.data for c in caps]
    assert sorted(got) == sorted(pa + pb)
    # Per source, order is kept.
    assert [p for p in got if p[:1] == b"a"] == pa and [p for p in got if p[:1] == b"b"] == pb
    assert {c.thread for c in caps} == {0, 1}
    assert eng.pools()["in_use"] == 0


def test_large_packets_both_ways(kit):
    # Jumbo frames and 64 KB datagrams in and out of memory, byte for byte,
    # next to small ones: the ring keeps bytes, not CAPACITY x 64 KB.
    pkts = [bytes([i % 251]) * n for i, n in enumerate([60, 1500, 9000, 9018, 65535, 64, 30000])]
    eng = kit.run(CHAIN.format(src="STOP true", out="CAPACITY 16"), pkts)
    assert kit.drain(eng, "out") == pkts
    assert kit.conserved(eng, len(pkts))
    caps = kit.drain_captured(kit.run(CHAIN.format(src="STOP true", out="SNAPLEN 100"), pkts),
                              "out")
    assert [(len(c.data), c.orig_len) for c in caps] == [(min(100, len(p)), len(p)) for p in pkts]


def test_ring_full_of_bytes_overflows_and_keeps_order(kit):
    # BYTES 200000 holds three 65,535-byte packets: the rest overflow, counted.
    pkts = [bytes([i]) * 65535 for i in range(6)]
    eng = kit.run(CHAIN.format(src="STOP true", out="CAPACITY 100, BYTES 200000"), pkts)
    got = kit.drain(eng, "out")
    assert got == pkts[:3]
    assert eng["out"].counters() == {"stored": 3, "overflow": 3}
