"""Running graphs: conservation, pools, batches, threads."""

import time

import numpy as np
import pytest

from pktlab import Engine
from pktlab.engine.stats import mean_batch

CHAIN = "src :: InfiniteSource(LENGTH {length}, LIMIT {limit}, BURST {burst}, STOP true) -> c :: Counter -> d :: Discard;"


@pytest.mark.parametrize("burst", [1, 7, 32, 256])
def test_conservation_and_pools_inline(burst):
    eng = Engine(CHAIN.format(length=64, limit=10_001, burst=burst))
    eng.run_inline()
    assert eng["src"].count == 10_001
    assert eng["c"].count == 10_001
    assert eng["c"].byte_count == 10_001 * 64
    assert eng["d"].count == 10_001
    pools = eng.pools()
    assert pools["allocated"] > 0
    assert pools["in_use"] == 0


def test_batch_sizes_follow_burst():
    eng = Engine(CHAIN.format(length=60, limit=32 * 100 + 5, burst=32))
    eng.run_inline()
    hist = eng.stats().input_hist("c")
    assert hist[32] == 100
    assert hist[5] == 1          # the LIMIT's remainder
    assert hist.sum() == 101
    assert mean_batch(hist) == pytest.approx((32 * 100 + 5) / 101)


def test_per_packet_mode_pushes_batches_of_one():
    eng = Engine(CHAIN.format(length=60, limit=1000, burst=32), per_packet=True)
    eng.run_inline()
    hist = eng.stats().input_hist("c")
    assert hist[1] == 1000 and hist.sum() == 1000
    assert eng["d"].count == 1000


def test_threaded_run_stops_on_limit():
    eng = Engine(CHAIN.format(length=64, limit=200_000, burst=32))
    eng.run()
    assert eng.done
    assert eng["d"].count == 200_000
    assert eng.pools()["in_use"] == 0


def test_two_threads_conserve_packets():
    cfg = """
        s0 :: InfiniteSource(LENGTH 64, BURST 16);
        s1 :: InfiniteSource(LENGTH 128, BURST 64);
        c :: Counter; d :: Discard;
        s0 -> c; s1 -> [0] c; c -> d;
    """
    eng = Engine(cfg, threads=2)
    assert {eng.element_thread("s0"), eng.element_thread("s1")} == {0, 1}
    assert eng.element_thread("c") is None
    eng.run(duration=0.3)
    sent = eng["s0"].count + eng["s1"].count
    assert sent > 0
    assert eng["c"].count == sent == eng["d"].count
    assert eng["c"].byte_count == eng["s0"].count * 64 + eng["s1"].count * 128
    assert eng.pools()["in_use"] == 0


def test_statistics_are_live_numpy_views():
    eng = Engine("src :: InfiniteSource(LENGTH 64) -> c :: Counter -> d :: Discard;")
    st = eng.stats()
    ports = st.ports
    assert not ports.flags.writeable
    assert np.shares_memory(ports, st._raw)      # a view on the engine's region
    eng.start()
    try:
        deadline = time.monotonic() + 5
        first = int(ports[:, :, 0].sum())
        while int(ports[:, :, 0].sum()) == first and time.monotonic() < deadline:
            time.sleep(0.01)
        assert int(ports[:, :, 0].sum()) > first
    finally:
        eng.stop()
    out = st.output_packets("c")
    assert out[0] == eng["c"].count == st.input_packets("d")[0]


def test_restart_continues_counting():
    eng = Engine("src :: InfiniteSource(LENGTH 64) -> c :: Counter -> d :: Discard;")
    eng.run(duration=0.05)
    first = eng["d"].count
    eng.run(duration=0.05)
    assert eng["d"].count > first
    assert eng.pools()["in_use"] == 0
