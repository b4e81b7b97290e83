"""Packets of any size: size-classed pools, growth past the room, the core's counters."""

import pytest

from pktlab import Engine, EngineError


@pytest.mark.parametrize("length", [64, 1500, 9000, 65535])
def test_lengths_through_a_chain(length):
    eng = Engine(f"src :: InfiniteSource(LENGTH {length}, LIMIT 100, STOP true) -> c :: Counter"
                 " -> Strip(14) -> Unstrip(14) -> d :: Discard;")
    eng.run_inline()
    assert eng["c"].byte_count == 100 * length
    assert eng.core_counters() == {"grown": 0, "linearized": 0}
    assert eng.pools()["in_use"] == 0


def test_growth_is_counted_and_buffers_return_to_their_class():
    # A 9000-byte clone pushed 200 bytes past its 128 bytes of headroom moves
    # to a jumbo buffer; 50000 more moves the next one to the 64 KB class.
    eng = Engine("src :: InfiniteSource(LENGTH 9000, LIMIT 64, BURST 8, STOP true) -> t :: Tee;"
                 "t[0] -> Unstrip(200) -> c0 :: Counter -> Discard;"
                 "t[1] -> Unstrip(50000) -> c1 :: Counter -> Discard;")
    eng.run_inline()
    assert eng["c0"].byte_count == 64 * 9200 and eng["c1"].byte_count == 64 * 59000
    assert eng.core_counters()["grown"] == 128
    pools = eng.pools()
    by_size = {c["bytes"]: c for c in pools["classes"]}
    assert sorted(by_size) == [2048, 10240, 67584]
    assert by_size[10240]["allocated"] > 0 and by_size[67584]["allocated"] > 0
    assert all(c["in_use"] == 0 for c in pools["classes"]) and pools["in_use"] == 0
    assert pools["max_len"] >= 65535 + 14


def test_telemetry_shows_growth():
    eng = Engine("src :: InfiniteSource(LENGTH 100, LIMIT 500, STOP true) -> Unstrip(300)"
                 " -> Discard;")
    eng.run_inline()
    snap = eng.telemetry.snapshot()
    assert snap["core"]["grown"]["count"] == 500
    eng.telemetry.stop()


def test_too_long_is_refused_with_the_keyword():
    with pytest.raises(EngineError, match="LENGTH"):
        Engine("InfiniteSource(LENGTH 70000) -> Discard;")


def test_live_change_with_jumbo_and_64k_packets():
    # Elements that grow, queue and clone big packets swapped in and out
    # under load on two threads: every packet counted, every buffer back.
    import time

    base = ("s0 :: InfiniteSource(LENGTH 9000, BURST 16); s1 :: InfiniteSource(LENGTH 65535,"
            " BURST 4); s0 -> c :: Counter; s1 -> c; c -> {mid} d :: Discard;")
    mids = ["", "Unstrip(300) -> Strip(300) ->", "t :: Tee; t[1] -> Discard; t[0] ->",
            "Unstrip(20000) ->", "Null ->"]
    eng = Engine(base.format(mid=""), threads=2)
    eng.start()
    try:
        for i in range(12):
            time.sleep(0.02)
            eng.apply(base.format(mid=mids[i % len(mids)]))
    finally:
        eng.stop()
    sent = eng["s0"].count + eng["s1"].count
    assert sent > 0 and eng.stats().total_drops() >= sent
    assert eng.pools()["in_use"] == 0
    assert eng.core_counters()["grown"] > 0
