"""VALE ports and a veth pair (netmap's generic adapter) across the engine.

VALE switches copy between ports and drop when a receiver lags (no
backpressure), and so may the generic adapter: these tests assert that the
engine accounts for every packet it took (sent or counted dropped), that what
arrives is ours, whole and not duplicated, never a rate.
"""

from __future__ import annotations

import subprocess

import pktlab
import pytest
from nmhelpers import receiver, send, tag, wait_for

N = 5000


def run(src_in: str, eng_in: str, eng_out: str, dst: str, n: int = N):
    eng = pktlab.Engine(f"fd :: FromNetmapDevice({eng_in}, BURST 32)"
                        f" -> td :: ToNetmapDevice({eng_out}, BURST 32);")
    eng.start()
    try:
        rx = receiver(dst, n)
        sent = send(src_in, n)["sent"]
        got = rx.result()
        assert wait_for(lambda: eng["td"].count + eng["td"].dropped >= eng["fd"].count)
    finally:
        eng.stop()
    return eng, sent, got


def check(eng, sent, got, foreign: int = 0):
    """foreign: frames not from nmprobe allowed (a veth also carries the kernel's own)."""
    fd, td = eng["fd"], eng["td"]
    assert sent == N
    assert 0 < fd.count <= N + foreign
    assert td.count + td.dropped == fd.count                  # conservation in the engine
    assert got["received"] == got["unique"] + got["foreign"] <= td.count
    assert got["unique"] > 0 and got["foreign"] <= foreign and got["duplicates"] == 0
    total, free, used = (int(x) for x in fd.read("buffers").split())
    assert free == total and used == 0
    assert eng.pools()["in_use"] == 0


def test_vale_to_vale():
    a, b = f"vale{tag()}", f"vale{tag()}"
    eng, sent, got = run(f"{a}:src", f"{a}:eng", f"{b}:eng", f"{b}:dst")
    check(eng, sent, got)
    assert "vale" in eng["fd"].read("device")


@pytest.fixture
def veths():
    t = tag()
    names = [f"nm{t}{i}" for i in range(4)]
    for a, b in ((names[0], names[1]), (names[2], names[3])):
        subprocess.run(["ip", "link", "add", a, "type", "veth", "peer", "name", b], check=True)
    for n in names:
        with open(f"/proc/sys/net/ipv6/conf/{n}/disable_ipv6", "w") as f:
            f.write("1")                # no router solicitations on the pair
        subprocess.run(["ip", "link", "set", n, "up"], check=True)
    yield names
    # Left in place: deleting a veth that a netmap port still holds (a failed
    # test's engine) waits forever in the kernel; the guest is thrown away.


def test_veth_generic_adapter(veths):
    a0, a1, b0, b1 = veths
    eng, sent, got = run(f"netmap:{a0}", f"netmap:{a1}", f"netmap:{b0}", f"netmap:{b1}")
    check(eng, sent, got, foreign=16)
