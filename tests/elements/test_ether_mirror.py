"""EtherMirror: swaps the MAC addresses, copying shared data first."""

import pytest


@pytest.mark.parametrize("burst", [1, 32])
def test_swaps(kit, burst):
    pkts = [kit.ether(dst=f"02:00:00:00:00:{i:02x}", src=f"04:00:00:00:{i:02x}:00",
                      payload=bytes([i]) * 10) for i in range(64)]
    eng = kit.run(f"src :: FromMemory(BURST {burst}, STOP true) -> m :: EtherMirror ->"
                  " out :: ToMemory;", pkts)
    assert kit.drain(eng, "out") == [p[6:12] + p[:6] + p[12:] for p in pkts]
    assert eng["m"].counters() == {"short": 0, "nobufs": 0}
    assert kit.conserved(eng, 64)


def test_short_frames_dropped(kit):
    pkts = [b"", bytes(13), bytes(range(14)), bytes(5)]
    eng = kit.run("src :: FromMemory(BURST 4, STOP true) -> m :: EtherMirror -> out :: ToMemory;",
                  pkts)
    b = bytes(range(14))
    assert kit.drain(eng, "out") == [b[6:12] + b[:6] + b[12:]]
    assert eng["m"].counters() == {"short": 3, "nobufs": 0}
    assert kit.conserved(eng, 4)


def test_twice_is_identity(kit):
    pkts = [kit.ether(payload=bytes(i)) for i in range(30)]
    eng = kit.run("src :: FromMemory(STOP true) -> EtherMirror -> EtherMirror -> out :: ToMemory;",
                  pkts)
    assert kit.drain(eng, "out") == pkts


def test_shared_template_is_copied(kit):
    data = kit.ether("aa:aa:aa:aa:aa:aa", "bb:bb:bb:bb:bb:bb", payload=bytes(46))
    eng = kit.make_engine("InfiniteSource(DATA \\<" + data.hex() + ">, LIMIT 64, BURST 16,"
                          " STOP true) -> EtherMirror -> out :: ToMemory(100);")
    eng.run_inline()
    # Every packet mirrored once from the untouched template.
    assert kit.drain(eng, "out") == [data[6:12] + data[:6] + data[12:]] * 64
    assert eng.pools()["in_use"] == 0
