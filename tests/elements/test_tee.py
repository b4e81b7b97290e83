"""Tee: every output gets every packet; clones share data until written."""

import pytest

from pktlab import EngineError


def frames(kit, n):
    return [kit.ether(src=f"00:00:00:00:00:{i % 256:02x}", payload=bytes([i % 256]) * 46)
            for i in range(n)]


@pytest.mark.parametrize("burst", [1, 32])
@pytest.mark.parametrize("n", [1, 2, 3])
def test_every_output_gets_every_packet(kit, burst, n):
    outs = "".join(f"t[{i}] -> o{i} :: ToMemory;" for i in range(n))
    pkts = frames(kit, 100)
    eng = kit.run(f"src :: FromMemory(BURST {burst}, STOP true) -> t :: Tee; {outs}", pkts)
    for i in range(n):
        assert kit.drain(eng, f"o{i}") == pkts
        hist = eng.stats().input_hist(f"o{i}")
        assert hist[burst] == 100 // burst     # whole batches cloned, not split
    assert eng["t"].read("ocounts") == ",".join(["100"] * n)
    assert eng["t"].counters() == {"nobufs": 0}
    assert kit.conserved(eng, 100 * n)


def test_explicit_n_must_match_outputs(kit):
    eng = kit.run("src :: FromMemory(STOP true) -> t :: Tee(2); t[0] -> a :: ToMemory;"
                  "t[1] -> b :: ToMemory;", [b"x" * 20])
    assert kit.drain(eng, "a") == kit.drain(eng, "b") == [b"x" * 20]
    with pytest.raises(EngineError) as ei:
        kit.make_engine("src :: FromMemory -> t :: Tee(3); t[0] -> ToMemory; t[1] -> ToMemory;")
    assert ei.value.element == "t" and ei.value.keyword == "N"
    assert "N is 3, but 2 outputs are connected" in str(ei.value)


def test_writer_on_one_branch_leaves_the_other_alone(kit):
    # Both outputs share data; EtherMirror must copy before it swaps.
    pkts = frames(kit, 40)
    eng = kit.run("src :: FromMemory(BURST 8, STOP true) -> t :: Tee;"
                  "t[0] -> EtherMirror -> a :: ToMemory; t[1] -> b :: ToMemory;", pkts)
    mirrored = [p[6:12] + p[0:6] + p[12:] for p in pkts]
    assert kit.drain(eng, "a") == mirrored
    assert kit.drain(eng, "b") == pkts
    assert kit.conserved(eng, 80)


def test_clones_of_static_template(kit):
    # InfiniteSource packets share a static template: Tee clones of clones.
    data = kit.ether(payload=bytes(50))
    eng = kit.make_engine(
        "InfiniteSource(DATA \\<" + data.hex() + ">, LIMIT 20, BURST 5, STOP true) -> t :: Tee;"
        "t[0] -> EtherMirror -> a :: ToMemory; t[1] -> EtherMirror -> b :: ToMemory;"
        "t[2] -> c :: ToMemory;")
    eng.run_inline()
    mirrored = data[6:12] + data[0:6] + data[12:]
    assert kit.drain(eng, "a") == kit.drain(eng, "b") == [mirrored] * 20
    assert kit.drain(eng, "c") == [data] * 20
    assert eng.pools()["in_use"] == 0


def test_pool_exhaustion_counts_missing_clones(kit):
    # 64 buffers: the source takes 32 per batch; the clones cannot all be made.
    eng = kit.make_engine("src :: FromMemory(BURST 40, STOP true) -> t :: Tee;"
                          "t[0] -> a :: ToMemory; t[1] -> b :: ToMemory; t[2] -> c :: ToMemory;",
                          pool_buffers=64)
    kit.feed(eng, "src", frames(kit, 40))
    eng.run_inline()
    got = [len(kit.drain(eng, x)) for x in "abc"]
    missing = eng["t"].counters()["nobufs"]
    assert got[0] == 40 and missing == 120 - sum(got) and missing > 0
    assert eng.pools()["in_use"] == 0
