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
