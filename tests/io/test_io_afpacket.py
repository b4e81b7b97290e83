"""FromDevice / ToDevice on a veth pair whose peer lives in a namespace the test creates."""

import subprocess
import sys
import time

import pytest

from pktlab import Engine
from pktlab.engine import EngineError

from iohelpers import RECEIVER, ROOT, SENDER, frames, netns_python

METHODS = ["PACKET_MMAP", "LINUX"]

@pytest.mark.parametrize("method", METHODS)
def test_frames_from_the_namespace_arrive_at_fromdevice(veth, method):
    pkts = frames(200, size=90, tag=7)
    eng = Engine(f"fd :: FromDevice({veth.host}, METHOD {method}, BURST 16) "
                 "-> c :: Counter -> out :: ToMemory(1000);")
    eng.start()
    try:
        p = netns_python(veth.ns, SENDER, veth.peer)
        _, err = p.communicate("\n".join(f.hex() for f in pkts), timeout=30)
        assert p.returncode == 0, err
        deadline = time.monotonic() + 10
        while eng["c"].count < len(pkts) and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        eng.stop()
    got = [g for g in eng.drain("out") if g[12:14] == b"\x88\xb5"]
    assert got == pkts
    assert eng["fd"].kernel_drops == 0
    assert eng.pools()["in_use"] == 0


@pytest.mark.parametrize("method", METHODS)
def test_frames_from_todevice_arrive_at_the_peer(veth, method):
    pkts = frames(300, size=120, tag=9)
    rx = netns_python(veth.ns, RECEIVER, veth.peer, str(len(pkts)))
    assert rx.stdout.readline().strip() == "ready"
    eng = Engine(f"src :: FromMemory(STOP true, BURST 64) -> td :: ToDevice({veth.host}, "
                 f"METHOD {method}, BURST 32);")
    eng.feed("src", pkts)
    eng.run_inline()
    out, err = rx.communicate(timeout=30)
    got = [bytes.fromhex(h) for h in out.split()]
    assert eng["td"].count == len(pkts) and eng["td"].dropped == 0
    assert got == pkts
    assert eng.pools()["in_use"] == 0


def test_snaplen_cuts_received_frames(veth):
    pkts = frames(5, size=300, tag=3)
    eng = Engine(f"FromDevice({veth.host}, SNAPLEN 100) -> out :: ToMemory;")
    eng.start()
    try:
        p = netns_python(veth.ns, SENDER, veth.peer)
        p.communicate("\n".join(f.hex() for f in pkts), timeout=30)
        deadline = time.monotonic() + 10
        while eng["out"].count < 5 and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        eng.stop()
    got = [g for g in eng.drain("out") if g[12:14] == b"\x88\xb5"]
    assert got == [f[:100] for f in pkts]


def test_missing_interface_lists_the_interfaces():
    with pytest.raises(EngineError) as ei:
        Engine("fd :: FromDevice(pl-no-such-if0) -> Discard;")
    e = ei.value
    assert e.element == "fd" and e.keyword == "DEVNAME"
    assert "no network interface 'pl-no-such-if0'" in str(e) and "lo" in str(e)


def test_bad_method_is_refused():
    with pytest.raises(EngineError) as ei:
        Engine("Idle -> td :: ToDevice(lo, METHOD NETMAP);")
    assert ei.value.keyword == "METHOD" and "PACKET_MMAP or LINUX" in str(ei.value)


@pytest.mark.parametrize("cls", ["FromDevice(lo) -> Discard", "Idle -> ToDevice(lo)"])
def test_without_cap_net_raw_the_error_says_so(cls):
    """The same process without CAP_NET_RAW (dropped from its bounding set)."""
    import shutil

    if not shutil.which("setpriv"):
        pytest.skip("needs setpriv (util-linux) to drop CAP_NET_RAW")
    code = ("import pktlab\ntry:\n    pktlab.Engine('x :: " + cls + ";')\n"
            "except pktlab.EngineError as e:\n    print(e)\n")
    drop = ["setpriv", "--bounding-set", "-net_raw", "--inh-caps", "-net_raw"]
    r = subprocess.run([*drop, sys.executable, "-c", code], capture_output=True, text=True,
                       cwd=ROOT, timeout=60)
    assert "needs CAP_NET_RAW" in r.stdout, r.stdout + r.stderr


def test_an_interface_made_again_is_reopened_and_a_gone_one_refused(veth):
    """A veth pair deleted and made again under the same names (a later test
    bed) has a new index: a restarted engine reopens its socket and receives,
    instead of running with a socket bound to nothing. A deleted interface
    fails the start, saying so."""
    eng = Engine(f"fd :: FromDevice({veth.host}) -> c :: Counter -> Discard;")

    def send(n, tag):
        p = netns_python(veth.ns, SENDER, veth.peer)
        _, err = p.communicate("\n".join(f.hex() for f in frames(n, size=90, tag=tag)), timeout=30)
        assert p.returncode == 0, err

    def wait(count):
        deadline = time.monotonic() + 10
        while eng["c"].count < count and time.monotonic() < deadline:
            time.sleep(0.01)
        return eng["c"].count

    eng.start()
    send(20, 1)
    assert wait(20) >= 20
    eng.stop()
    before = eng["c"].count
    for cmd in (["link", "del", veth.host],
                ["link", "add", veth.host, "type", "veth", "peer", "name", veth.peer],
                ["link", "set", veth.peer, "netns", veth.ns], ["link", "set", veth.host, "up"],
                ["netns", "exec", veth.ns, "ip", "link", "set", veth.peer, "up"]):
        subprocess.run(["ip", *cmd], check=True, capture_output=True)
    eng.start()
    try:
        send(20, 2)
        assert wait(before + 20) >= before + 20, "the restarted engine kept the old socket"
    finally:
        eng.stop()
    subprocess.run(["ip", "link", "del", veth.host], check=True, capture_output=True)
    with pytest.raises(EngineError, match=f"interface '{veth.host}' is gone") as ei:
        eng.start()
    assert ei.value.element == "fd" and not eng.running


def test_polldevice_receives_as_fromdevice(veth):
    """Click's kernel PollDevice runs as FromDevice (its keywords accepted)."""
    pkts = frames(50, size=80, tag=5)
    eng = Engine(f"pd :: PollDevice({veth.host}, 4, PROMISC true, TIMESTAMP false, QUIET true,"
                 " HEADROOM 64, LENGTH 1600) -> c :: Counter -> out :: ToMemory(1000);")
    assert eng["pd"].burst == 4
    eng.start()
    try:
        p = netns_python(veth.ns, SENDER, veth.peer)
        _, err = p.communicate("\n".join(f.hex() for f in pkts), timeout=30)
        assert p.returncode == 0, err
        deadline = time.monotonic() + 10
        while eng["c"].count < len(pkts) and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        eng.stop()
    assert [g for g in eng.drain("out") if g[12:14] == b"\x88\xb5"] == pkts


def test_polldevice_allow_nonexistent_and_unsupported():
    eng = Engine("PollDevice(plnosuchdev0, ALLOW_NONEXISTENT true) -> c :: Counter -> Discard;")
    eng.start()
    eng.stop()
    assert eng["c"].count == 0
    with pytest.raises(EngineError, match="plnosuchdev0"):
        Engine("PollDevice(plnosuchdev0) -> Discard;")
    with pytest.raises(EngineError, match="HEADROOM"):
        Engine("PollDevice(lo, HEADROOM 1000) -> Discard;")
    with pytest.raises(EngineError, match="UP_CALL"):
        Engine("PollDevice(lo, UP_CALL x.y) -> Discard;")
