"""KernelTun, KernelTap, FromHost/ToHost with the kernel really routing through
the device: the engine runs inside a network namespace the test makes (so the
TUN/TAP device lives there and nothing leaves it), `ping` in the same
namespace goes through the device to pktlab and back, and the kernel's own
counters on the device are checked."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from iohelpers import netns_python

ENGINE = r"""
import json, sys
from pktlab import Engine
from pktlab.engine import EngineError
conf, feed, names = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
wait = len(sys.argv) > 4
try:
    eng = Engine(conf)
except EngineError as e:
    print(json.dumps({"error": str(e)}), flush=True)
    sys.exit(0)
if feed and not wait:
    eng.feed("src", [bytes.fromhex(h) for h in feed])
eng.start()
print(json.dumps({"ready": True}), flush=True)
if wait:                               # feed once told to (a sniffer is ready)
    sys.stdin.readline()
    eng.feed("src", [bytes.fromhex(h) for h in feed])
sys.stdin.readline()
eng.stop()
out = {n: eng[n].counters() for n in names}
out["handlers"] = {n: {h: eng[n].read(h) for h in ("dev_name", "packets")} for n in names
                   if eng[n].cls in ("KernelTun", "KernelTap")}
out["in_use"] = eng.pools()["in_use"]
print(json.dumps(out), flush=True)
"""


def _ip(*args, check=True):
    return subprocess.run(["ip", *args], capture_output=True, text=True, check=check)


@pytest.fixture
def ns():
    if os.geteuid() != 0 or not os.path.exists("/dev/net/tun"):
        pytest.skip("needs root and /dev/net/tun (TUN/TAP devices in a network namespace)")
    name = f"pltun{uuid.uuid4().hex[:6]}"
    _ip("netns", "add", name)
    try:
        _ip("netns", "exec", name, "ip", "link", "set", "lo", "up")
        yield name
    finally:
        _ip("netns", "del", name, check=False)


class Running:
    def __init__(self, ns, conf, names, feed=(), wait=False):
        self.ns = ns
        self.p = netns_python(ns, ENGINE, conf, json.dumps([f.hex() for f in feed]),
                              json.dumps(names), *(["wait"] if wait else []))
        first = json.loads(self.p.stdout.readline() or '{"error": "no output"}')
        if "error" in first:
            self.p.kill()
            raise AssertionError(first["error"] + self.p.stderr.read())

    def sh(self, *cmd):
        return subprocess.run(["ip", "netns", "exec", self.ns, *cmd], capture_output=True,
                              text=True, timeout=60)

    def stats(self, dev):
        return {k: int(self.sh("cat", f"/sys/class/net/{dev}/statistics/{k}").stdout)
                for k in ("rx_packets", "tx_packets")}

    def stop(self):
        out, err = self.p.communicate("\n", timeout=30)
        assert self.p.returncode == 0, err
        return json.loads(out.splitlines()[-1])


# ping(8) as a few lines (the image has no iputils-ping): ICMP echoes from a
# raw socket in the namespace, through the kernel's routing, replies counted.
PING = r"""
import os, select, socket, struct, sys, time
addr, n = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
ident = os.getpid() & 0xffff

def csum(b):
    b += bytes(len(b) % 2)
    t = sum(struct.unpack(f"!{len(b) // 2}H", b))
    t = (t >> 16) + (t & 0xffff)
    return ~(t + (t >> 16)) & 0xffff

got = set()
for seq in range(n):
    body = struct.pack("!BBHHH", 8, 0, 0, ident, seq) + b"pktlab-ping"
    s.sendto(body[:2] + struct.pack("!H", csum(body)) + body[4:], (addr, 0))
    end = time.monotonic() + 2
    while seq not in got and time.monotonic() < end:
        if select.select([s], [], [], max(0, end - time.monotonic()))[0]:
            d = s.recv(2048)
            icmp = d[(d[0] & 15) * 4:]
            t, _, _, i, q = struct.unpack("!BBHHH", icmp[:8])
            if t == 0 and i == ident:
                got.add(q)
print(n, len(got))
"""


def _ping(run, addr, n=5):
    r = run.sh(sys.executable, "-c", PING, addr, str(n))
    sent, got = r.stdout.split()
    return int(sent), int(got)


@pytest.mark.parametrize("mode", ["push", "pull"])
def test_kernel_routes_pings_through_kerneltun(ns, mode):
    dev = "pkt" + uuid.uuid4().hex[:6]
    into = "tun" if mode == "push" else "Queue(10) -> tun"     # pull: KernelTun's task pulls
    conf = (f"tun :: KernelTun(10.77.0.1/24, DEVNAME {dev}, BURST 8);"
            "tun -> c :: IPClassifier(icmp type echo, -);"
            f"c[0] -> pr :: ICMPPingResponder -> replies :: Counter -> {into};"
            "c[1] -> other :: Counter -> Discard;")
    run = Running(ns, conf, ["tun", "replies", "other"])
    try:
        route = run.sh("ip", "route", "get", "10.77.0.2").stdout
        assert f"dev {dev}" in route               # KernelTun set the address: a route
        before = run.stats(dev)
        sent, got = _ping(run, "10.77.0.2")
        after = run.stats(dev)
    finally:
        res = run.stop()
    assert (sent, got) == (5, 5)
    # The kernel sent the 5 echoes to the device and received the 5 replies.
    assert after["tx_packets"] - before["tx_packets"] >= 5
    assert after["rx_packets"] - before["rx_packets"] == 5
    assert res["tun"]["sent"] == 5 and res["tun"]["received"] >= 5
    assert res["handlers"]["tun"]["dev_name"] == dev
    assert int(res["handlers"]["tun"]["packets"]) == res["tun"]["received"]
    assert sum(v for k, v in res["tun"].items() if k not in ("sent", "received")) == 0
    assert res["in_use"] == 0


def test_kerneltap_answers_arp_and_ping(ns):
    dev = "pkp" + uuid.uuid4().hex[:6]
    conf = (f"tap :: KernelTap(10.78.0.1/24, DEVNAME {dev}, BURST 4);"
            "tap -> cl :: Classifier(12/0806 20/0001, 12/0800, -);"
            "cl[0] -> ARPResponder(10.78.0.2 02:00:00:00:00:02) -> tap;"
            "cl[1] -> Strip(14) -> CheckIPHeader -> ic :: IPClassifier(icmp type echo, -);"
            "ic[0] -> ICMPPingResponder -> Unstrip(14) -> EtherMirror -> tap;"
            "ic[1] -> Discard; cl[2] -> Discard;")
    run = Running(ns, conf, ["tap"])
    try:
        sent, got = _ping(run, "10.78.0.2", 3)
        neigh = run.sh("ip", "neigh", "show", "10.78.0.2").stdout
        st = run.stats(dev)
    finally:
        res = run.stop()
    assert (sent, got) == (3, 3)
    assert "02:00:00:00:00:02" in neigh          # the kernel learnt ARPResponder's answer
    assert st["rx_packets"] >= 4                 # one ARP reply and three echo replies
    assert res["tap"]["sent"] >= 4 and res["in_use"] == 0


def test_fromhost_tohost(ns):
    dev = "pkh" + uuid.uuid4().hex[:6]
    conf = (f"FromHost({dev}, 10.79.0.1/24) -> cl :: Classifier(12/0806 20/0001, 12/0800, -);"
            f"th :: ToHost({dev});"
            "cl[0] -> ARPResponder(10.79.0.2 02:00:00:00:00:03) -> th;"
            "cl[1] -> Strip(14) -> CheckIPHeader -> ic :: IPClassifier(icmp type echo, -);"
            "ic[0] -> ICMPPingResponder -> Unstrip(14) -> EtherMirror -> th;"
            "ic[1] -> Discard; cl[2] -> Discard;")
    run = Running(ns, conf, ["th"])
    try:
        sent, got = _ping(run, "10.79.0.2", 3)
    finally:
        res = run.stop()
    assert (sent, got) == (3, 3)
    assert res["th"]["sent"] >= 4 and res["th"]["write_errors"] == 0


def test_bad_packets_into_kerneltun_are_counted(ns):
    """Malformed input: no IP header annotation, another IP version, longer
    than the MTU; the good one is written (the kernel counts it)."""
    dev = "pkb" + uuid.uuid4().hex[:6]
    good = bytes.fromhex("4500001c0001000040110000") + bytes([10, 80, 0, 2, 10, 80, 0, 1]) \
        + bytes(8)
    v5 = b"\x55" + good[1:]
    big = good[:2] + (1400).to_bytes(2, "big") + good[4:] + bytes(1400 - len(good))
    conf = (f"src :: FromMemory(BURST 8) -> sw :: Classifier(0/55, 0/45, -);"
            f"sw[0] -> MarkIPHeader -> tun :: KernelTun(10.80.0.1/24, DEVNAME {dev}, MTU 1000);"
            "sw[1] -> MarkIPHeader -> tun; sw[2] -> tun; tun -> Discard;")
    run = Running(ns, conf, ["tun"], feed=[good, v5, big, b"\x00" * 30, b""])
    try:
        for _ in range(100):
            if run.stats(dev)["rx_packets"] >= 1:
                break
            subprocess.run(["sleep", "0.05"])
        st = run.stats(dev)
    finally:
        res = run.stop()
    t = res["tun"]
    assert st["rx_packets"] == 1
    assert (t["sent"], t["bad_version"], t["too_long"], t["no_ip_header"]) == (1, 1, 1, 2)
    assert res["in_use"] == 0


def test_errors_name_the_keyword(ns):
    for conf, want in [("KernelTun(bogus) -> Discard;", "ADDR"),
                       ("KernelTun(10.0.0.1/24, 11.0.0.1) -> Discard;", "GATEWAY"),
                       ("KernelTun(10.0.0.1/24, HEADROOM 500) -> Discard;", "HEADROOM"),
                       ("KernelTun(10.0.0.1/24, DEVNAME abcdefghijklmnopqrstuvwxyz) -> Discard;",
                        "DEVNAME"),
                       ("Idle -> ToHost(nothere);", "requires an initialized FromHost")]:
        p = netns_python(ns, ENGINE, conf, "[]", "[]")
        out, err = p.communicate(timeout=30)
        first = json.loads(out.splitlines()[0])
        assert want in first.get("error", ""), (conf, first, err)


SNIFF = r"""
import socket, sys, select, time
dev, n = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
s.bind((dev, 0))
print("ready", flush=True)
got, end = [], time.monotonic() + 10
while len(got) < n and time.monotonic() < end:
    if select.select([s], [], [], 0.2)[0]:
        got.append(s.recv(4096).hex())
print(" ".join(got), flush=True)
"""


def test_tohostsniffers_reach_sniffers_not_the_stack(ns):
    dev = "pks" + uuid.uuid4().hex[:6]
    frames = [bytes.fromhex("020000000001020000000002") + b"\x88\xb5" + bytes([i]) * 50
              for i in range(6)]
    ip = bytes.fromhex("4500001c00010000401100000a5a00020a5a0001") + bytes(8)
    conf = (f"src :: FromMemory(BURST 4); ths :: ToHostSniffers({dev});"
            "src -> c :: Classifier(0/45, -); c[1] -> ths; c[0] -> ips :: ToHostSniffers(TYPE IP);")
    run = Running(ns, conf, ["ths", "ips"], feed=frames + [ip, b"\x00" * 5], wait=True)
    try:
        sn = netns_python(ns, SNIFF, dev, str(len(frames)))
        assert sn.stdout.readline().strip() == "ready"
        run.p.stdin.write("go\n")
        run.p.stdin.flush()
        out, _ = sn.communicate(timeout=30)
        st = run.stats(dev)
    finally:
        res = run.stop()
    got = [bytes.fromhex(h) for h in out.split()]
    assert got == frames                             # the sniffer saw them, in order
    assert st["rx_packets"] == 0                     # the stack never received one
    assert res["ths"]["sent"] == len(frames) and res["ths"]["too_small"] == 1
    assert res["ips"]["sent"] == 1 and res["in_use"] == 0


CORPUS = sorted((Path(__file__).parent / "data" / "host").glob("*.click"))


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_corpus_loads_and_checks(ns, path):
    """Every configuration of the committed host corpus builds (devices made
    in the namespace) and `pktlab check` finds nothing unsupported in it."""
    run = Running(ns, path.read_text(), [])
    run.stop()
    r = subprocess.run(["ip", "netns", "exec", ns, sys.executable, "-m", "pktlab.cli.main",
                        "check", str(path)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
