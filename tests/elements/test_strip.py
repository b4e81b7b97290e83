"""Strip and Unstrip: moving the data start, never copying."""

import pytest

from pktlab import EngineError


@pytest.mark.parametrize("burst", [1, 8])
def test_strip(kit, burst):
    pkts = [bytes(range(i, i + 40)) for i in range(20)] + [bytes(10), b""]
    eng = kit.run(f"src :: FromMemory(BURST {burst}, STOP true) -> s :: Strip(14) ->"
                  " out :: ToMemory;", pkts)
    assert kit.drain(eng, "out") == [p[14:] for p in pkts]
    assert eng["s"].counters() == {"short": 2}     # shorter than 14: emptied, as Click
    assert eng["s"].length == 14
    assert kit.conserved(eng, len(pkts))


def test_strip_unstrip_restores(kit):
    pkts = [kit.ether(payload=bytes([i]) * 50) for i in range(10)]
    eng = kit.run("src :: FromMemory(BURST 4, STOP true) -> Strip(14) -> a :: Tee;"
                  "a[0] -> Unstrip(14) -> o1 :: ToMemory; a[1] -> o2 :: ToMemory;", pkts)
    assert kit.drain(eng, "o1") == pkts
    assert kit.drain(eng, "o2") == [p[14:] for p in pkts]


def test_unstrip_uses_headroom(kit):
    # 128 bytes of headroom, plus what an earlier Strip left.
    pkts = [bytes([i]) * 64 for i in range(4)]
    eng = kit.run("src :: FromMemory(STOP true) -> Strip(20) -> u :: Unstrip(148) ->"
                  " out :: ToMemory;", pkts)
    got = kit.drain(eng, "out")
    assert [len(p) for p in got] == [64 + 128] * 4
    assert [p[128:] for p in got] == pkts
    # Past the headroom the packet moves to a larger buffer (Click's
    # nonunique_push): the headroom's bytes come along, the engine counts it.
    eng = kit.run("src :: FromMemory(STOP true) -> u :: Unstrip(129) -> out :: ToMemory;", pkts)
    got = kit.drain(eng, "out")
    assert [len(p) for p in got] == [64 + 129] * 4
    assert [p[129:] for p in got] == pkts
    assert eng["u"].counters() == {"nobufs": 0}
    assert eng.core_counters()["grown"] == 4
    assert kit.conserved(eng, 4)


def test_unstrip_shared_packet(kit):
    data = kit.ether(payload=bytes(40))
    eng = kit.make_engine("InfiniteSource(DATA \\<" + data.hex() + ">, LIMIT 3, STOP true) ->"
                          " Strip(14) -> Unstrip(14) -> EtherMirror -> out :: ToMemory;")
    eng.run_inline()
    assert kit.drain(eng, "out") == [data[6:12] + data[:6] + data[12:]] * 3


def test_required_length(kit):
    with pytest.raises(EngineError, match="missing required argument LENGTH"):
        kit.make_engine("FromMemory -> Strip -> Discard;")
    with pytest.raises(EngineError, match="LENGTH"):
        kit.make_engine("FromMemory -> Unstrip(-1) -> Discard;")
