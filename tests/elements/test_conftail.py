"""The conf/ tail: FastUDPSource, FastUDPFlows, ICMPPingSource, PullTee,
ReplayUnqueue, EnsureDPDKBuffer. Expected frames were produced by vanilla
Click (userlevel, built in /tmp) with the configurations quoted beside them."""

import struct

import pytest

from pktlab import EngineError

# click -e 'FastUDPSource(0, 5, 60, 0:0:0:0:0:1, 1.0.0.1, 1234, 0:0:0:0:0:2, 2.0.0.2, 1234,
#           true, 2) -> Unqueue -> ToDump(f.pcap); ...'
FUS_CLICK = [bytes.fromhex(h) for h in [
    "00000000000200000000000108004500002e00000000fa11bdbc010000010200000204d204d2001af313"
    + "00" * 18,
    "00000000000200000000000108004500002e00000000fa11bdbc010000010200000204d204d2001af313"
    + "00" * 18,
    "00000000000200000000000108004500002e00000000fa11bdbc010000010200000204d304d3001af311"
    + "00" * 18,
    "00000000000200000000000108004500002e00000000fa11bdbc010000010200000204d304d3001af311"
    + "00" * 18,
    "00000000000200000000000108004500002e00000000fa11bdbc010000010200000204d404d4001af30f"
    + "00" * 18]]

# click -e 'ICMPPingSource(1.0.0.1, 2.0.0.2, INTERVAL 0.01, LIMIT 3, IDENTIFIER 1, DATA "abc")
#           -> ToDump(f.pcap, ENCAP IP); ...'
IPS_CLICK = [bytes.fromhex(h) for h in [
    "4500001f00010000c801efda01000001020000020800329c01000001616263",
    "4500001f00020000c801efd901000001020000020800329b01000002616263",
    "4500001f00030000c801efd801000001020000020800329a01000003616263"]]

FUS = "FastUDPSource(0, {limit}, {length}, 0:0:0:0:0:1, 1.0.0.1, 1234, 0:0:0:0:0:2, 2.0.0.2, 1234"


@pytest.mark.parametrize("mode", ["pull", "push"])
def test_fastudpsource_matches_click(kit, mode):
    src = FUS.format(limit=5, length=60) + ", true, 2)"
    spec = (f"s :: {src} -> Unqueue -> o :: ToMemory;" if mode == "pull"
            else f"s :: {src} -> o :: ToMemory;")
    eng = kit.make_engine(spec)
    eng.run_inline()
    assert kit.drain(eng, "o") == FUS_CLICK
    assert eng["s"].read("count") == "5"
    assert int(eng["s"].read("rate")) > 0          # LIMIT reached: Click's measured rate


def test_fastudpsource_edges(kit):
    # LENGTH below 60 becomes 60; no checksum; the handlers.
    eng = kit.make_engine(FUS.format(limit=2, length=10) + ", CHECKSUM false) -> o :: ToMemory;")
    eng.run_inline()
    got = kit.drain(eng, "o")
    assert [len(p) for p in got] == [60, 60] and got[0][40:42] == b"\0\0"
    eng = kit.make_engine("s :: " + FUS.format(limit=-1, length=1514) + ", ACTIVE false)"
                          " -> Unqueue -> o :: ToMemory;")
    assert eng["s"].read("rate") == "0" and eng["s"].read("limit") == "-1"
    eng["s"].write("limit", "3")
    eng["s"].write("active", "true")
    eng.run_inline()
    got = kit.drain(eng, "o")
    assert len(got) == 3 and struct.unpack("!H", got[0][16:18])[0] == 1500
    for bad, kw in [("1.2.3", "SRCIP"), ("x", "SPORT")]:
        text = FUS.format(limit=1, length=60).replace("1.0.0.1" if kw == "SRCIP" else "1234, 0:0",
                                                     bad if kw == "SRCIP" else bad + ", 0:0", 1)
        with pytest.raises(EngineError) as ei:
            kit.make_engine(text + ") -> Discard;")
        assert ei.value.keyword == kw
    with pytest.raises(EngineError):
        kit.make_engine("FastUDPSource(0, 1, 60) -> Discard;")     # missing arguments


def test_fastudpflows(kit):
    eng = kit.make_engine("s :: FastUDPFlows(0, 60, 61, 0:0:0:0:0:1, 1.0.0.1, 0:0:0:0:0:2, "
                          "2.0.0.2, 2, 3) -> Unqueue -> o :: ToMemory;")
    eng.run_inline()
    got = kit.drain(eng, "o")
    assert len(got) == 60 and all(len(p) == 61 for p in got)
    # Click's template: IP ID 0, TTL 250, UDP length 27, a valid checksum.
    assert all(p[14:24] == bytes.fromhex("4500002f00000000fa11") for p in got)
    ports = [p[34:38] for p in got]
    # Each flow keeps its ports for FLOWSIZE packets: at most 2 new ports per 3 packets
    # of a flow, so far fewer distinct pairs than packets, and more than the 2 flows.
    assert 2 < len(set(ports)) <= 2 + 60 // 3
    for p in got:
        assert _udp_ok(p[14:])
    with pytest.raises(EngineError) as ei:
        kit.make_engine("FastUDPFlows(0, 6, 61, 0:0:0:0:0:1, 1.0.0.1, 0:0:0:0:0:2, 2.0.0.2, 0, 3)"
                        " -> Discard;")
    assert ei.value.keyword == "FLOWS"


def _csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack(f"!{len(b) // 2}H", b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def _udp_ok(ip):
    udp = ip[20:]
    pseudo = ip[12:20] + b"\0\x11" + struct.pack("!H", len(udp))
    return _csum(pseudo + udp) == 0xFFFF


def test_icmppingsource_matches_click(kit):
    eng = kit.make_engine('s :: ICMPPingSource(1.0.0.1, 2.0.0.2, INTERVAL 0.01, LIMIT 3, '
                          'IDENTIFIER 1, DATA "abc", STOP true) -> o :: ToMemory;', simtime=True)
    eng.run_inline()
    assert kit.drain(eng, "o") == IPS_CLICK
    assert eng["s"].read("count") == "3"


def test_icmppingsource_replies_and_statistics(kit):
    # Click: "3 packets transmitted, 3 received, 0% packet loss\nrtt min/avg/max/mdev = ..."
    eng = kit.make_engine('ps :: ICMPPingSource(1.0.0.1, 2.0.0.2, INTERVAL 0.01, LIMIT 3, '
                          'DATA "abcdefgh", STOP true, VERBOSE false) -> ICMPPingResponder -> ps;'
                          , simtime=True)
    eng.run_inline()
    summary = eng["ps"].read("summary")
    assert summary.startswith("3 packets transmitted, 3 received, 0% packet loss\nrtt min/avg/max")
    for h in ("rtt_min", "rtt_avg", "rtt_max"):                # Click's format: "Nus" / "N.NNNs"
        assert eng["ps"].read(h).endswith("s")
    assert eng["ps"].counters()["consumed"] == 3
    eng["ps"].write("reset_counts")
    assert eng["ps"].read("count") == "0"
    assert eng["ps"].read("summary") == "0 packets transmitted, 0 received"


def test_icmppingsource_ignores_malformed(kit):
    # Not ICMP, truncated, a request, a wrong identifier, a reply to nothing sent.
    ip = kit.ipv4
    echo = lambda t, ident, seq: bytes([t, 0, 0, 0]) + struct.pack("<HH", ident, seq)  # noqa
    pkts = [ip(17, payload=b"x" * 8), ip(1, payload=b"\0\0"), ip(1, payload=echo(8, 0, 1)),
            ip(1, payload=echo(0, 7, 1)), ip(1, payload=echo(0, 0, 999)), b"\x45"]
    eng = kit.run("src :: FromMemory(STOP true) -> MarkIPHeader -> ps :: ICMPPingSource(1.0.0.1, "
                  "2.0.0.2, ACTIVE false, VERBOSE false); ps -> o :: ToMemory;", pkts)
    assert eng["ps"].read("summary") == "0 packets transmitted, 0 received"
    assert eng["ps"].counters()["consumed"] == len(pkts)
    assert kit.drain(eng, "o") == []
    with pytest.raises(EngineError) as ei:
        kit.make_engine("ICMPPingSource(1.0.0.1, 2.0.0.2, MIRROR true) -> Unqueue -> Discard;")
    assert ei.value.keyword == "MIRROR"


def test_pulltee(kit):
    pkts = [kit.ether(payload=bytes([i]) * 46) for i in range(10)]
    eng = kit.run("src :: FromMemory(STOP true) -> Queue -> t :: PullTee -> Unqueue -> a :: ToMemory;"
                  "t[1] -> b :: ToMemory; t[2] -> c :: ToMemory;", pkts)
    assert kit.drain(eng, "a") == kit.drain(eng, "b") == kit.drain(eng, "c") == pkts
    with pytest.raises(EngineError) as ei:
        kit.make_engine("InfiniteSource -> Queue -> t :: PullTee(3) -> Unqueue -> Discard;"
                        "t[1] -> Discard;")
    assert ei.value.keyword == "N"


def test_replayunqueue_loops(kit):
    pkts = [kit.ether(payload=bytes([i]) * 46) for i in range(7)]
    eng = kit.run("src :: FromMemory -> Queue -> r :: ReplayUnqueue(STOP 3, BURST 4)"
                  " -> o :: ToMemory;", pkts)
    assert kit.drain(eng, "o") == pkts * 3
    assert eng["r"].read("loaded") == "true" and eng["r"].read("stop") == "0"
    assert eng["r"].counters()["count"] == 21
    # FREEONTERMINATE false: the last loop gives the originals away.
    eng = kit.run("src :: FromMemory -> Queue -> r :: ReplayUnqueue(STOP 2, FREEONTERMINATE false)"
                  " -> o :: ToMemory;", pkts)
    assert kit.drain(eng, "o") == pkts * 2 and eng.pools()["in_use"] == 0
    # STOP 0: nothing (FastClick); TIMING_FNT expressions are refused.
    eng = kit.run("src :: FromMemory -> Queue -> r :: ReplayUnqueue(STOP 0) -> o :: ToMemory;", pkts)
    assert kit.drain(eng, "o") == []
    with pytest.raises(EngineError) as ei:
        kit.make_engine('Idle -> ReplayUnqueue(TIMING_FNT "10+x") -> Discard;')
    assert ei.value.keyword == "TIMING_FNT"


def test_ensuredpdkbuffer(kit):
    data = kit.ether(payload=bytes(50))
    eng = kit.make_engine("InfiniteSource(DATA \\<" + data.hex() + ">, LIMIT 5, STOP true)"
                          " -> e :: EnsureDPDKBuffer(EXTRA_HEADROOM 16) -> o :: ToMemory;")
    eng.run_inline()
    assert kit.drain(eng, "o") == [data] * 5
    assert eng["e"].counters()["copied"] == 5          # template clones get their own copy
    eng = kit.run("src :: FromMemory(STOP true) -> e :: EnsureDPDKBuffer -> o :: ToMemory;",
                  [data] * 4)
    assert kit.drain(eng, "o") == [data] * 4 and eng["e"].counters()["copied"] == 0
    eng = kit.make_engine("InfiniteSource(LIMIT 3, STOP true) -> e :: EnsureDPDKBuffer(FAIL true)"
                          " -> o :: ToMemory;")
    eng.run_inline()
    assert kit.drain(eng, "o") == [] and eng["e"].counters()["not_device"] == 3
    with pytest.raises(EngineError) as ei:
        kit.make_engine("Idle -> EnsureDPDKBuffer(true, FAIL true) -> Discard;")
    assert ei.value.keyword == "FAIL"
