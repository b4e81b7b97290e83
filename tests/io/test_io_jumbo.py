"""Jumbo frames over AF_PACKET: two veth pairs with MTU 9000, FromDevice ->
ToDevice forwarding frames up to 9,014 bytes without loss, and a frame too
long for the MTU a counted drop."""

import time

import pytest

from pktlab import Engine

from iohelpers import RECEIVER, SENDER, frames, netns_python

SIZES = [60, 1514, 1515, 4000, 8000, 9000, 9014]


@pytest.mark.parametrize("method", ["PACKET_MMAP", "LINUX"])
def test_mtu_9000_veths_forward_jumbo_frames(jumbo_veths, method):
    a, b = jumbo_veths
    pkts = [f + bytes(s - len(f)) for f, s in
            zip(frames(len(SIZES) * 20, size=60, tag=5), SIZES * 20)]
    rx = netns_python(b.ns, RECEIVER, b.peer, str(len(pkts)))
    assert rx.stdout.readline().strip() == "ready"
    eng = Engine(f"fd :: FromDevice({a.host}, METHOD {method}) -> c :: Counter"
                 f" -> td :: ToDevice({b.host}, METHOD {method});")
    eng.start()
    try:
        tx = netns_python(a.ns, SENDER, a.peer)
        for i in range(0, len(pkts), 20):      # paced: the receiver's socket must keep up
            tx.stdin.write("\n".join(p.hex() for p in pkts[i:i + 20]) + "\n")
            tx.stdin.flush()
            time.sleep(0.01)
        tx.stdin.close()
        assert tx.wait(30) == 0, tx.stderr.read()
        out, err = rx.communicate(timeout=30)
    finally:
        eng.stop()
    got = [bytes.fromhex(h) for h in out.split()]
    assert got == pkts
    assert eng["td"].dropped == 0 and eng["fd"].kernel_drops == 0
    pools = eng.pools()
    assert pools["in_use"] == 0 and pools["classes"][1]["allocated"] > 0


@pytest.mark.parametrize("method", ["PACKET_MMAP", "LINUX"])
def test_frame_longer_than_the_mtu_is_a_counted_drop(jumbo_veths, method):
    a, _ = jumbo_veths
    pkts = [frames(1, size=60)[0] + bytes(n) for n in (8954, 8955, 20000)]   # 9014, 9015, 20060
    eng = Engine(f"src :: FromMemory(STOP true) -> td :: ToDevice({a.host}, METHOD {method});")
    eng.feed("src", pkts)
    eng.run_inline()
    assert eng["td"].counters()["too_long"] == 2
    assert eng["td"].count == 1
    assert eng.pools()["in_use"] == 0
