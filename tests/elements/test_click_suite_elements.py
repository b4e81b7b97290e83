"""Elements issue 25 adds for Click's suite: PushNull, PullNull, Hub, CheckPaint,
InputSwitch, Bypass, Resize, MarkIPCE, ICMPIPEncap, Message, AlignmentInfo,
RandomSeed, and Counter's COUNT_CALL. Outputs as vanilla Click gives them."""

import pytest

from pktlab import Engine, EngineError


def test_push_and_pull_null(kit):
    pkts = [b"a" * 20, b"b" * 30]
    eng = kit.run("src :: FromMemory(STOP true) -> PushNull -> o :: ToMemory;", pkts)
    assert kit.drain(eng, "o") == pkts
    eng = kit.run("src :: FromMemory(STOP true) -> Queue -> PullNull -> Unqueue -> o :: ToMemory;",
                  pkts)
    assert kit.drain(eng, "o") == pkts


def test_hub_sends_everywhere_but_back(kit):
    eng = kit.run("src :: FromMemory(STOP true) -> [1] h :: Hub; Idle -> [0] h; Idle -> [2] h;"
                  "h[0] -> a :: ToMemory; h[1] -> b :: ToMemory; h[2] -> c :: ToMemory;",
                  [b"x" * 20] * 3)
    assert kit.drain(eng, "a") == kit.drain(eng, "c") == [b"x" * 20] * 3
    assert kit.drain(eng, "b") == []
    assert kit.conserved(eng, 6)


def test_check_paint_and_input_switch(kit):
    eng = kit.run("src :: FromMemory(STOP true) -> Paint(2) -> cp :: CheckPaint(2) -> a :: ToMemory;"
                  "cp[1] -> b :: ToMemory;", [b"y" * 20])
    assert len(kit.drain(eng, "a")) == 1 and kit.drain(eng, "b") == []
    eng = kit.run("src :: FromMemory(STOP true) -> Paint(1) -> cp :: CheckPaint(2) -> a :: ToMemory;",
                  [b"y" * 20] * 2)
    assert kit.drain(eng, "a") == [] and eng["cp"].counters() == {"unpainted": 2}
    eng = kit.run("src :: FromMemory(STOP true) -> [1] s :: InputSwitch(1) -> o :: ToMemory;"
                  "Idle -> [0] s;", [b"z" * 20] * 2)
    assert len(kit.drain(eng, "o")) == 2 and eng["s"].switch == 1
    eng["s"].write("switch", 0)
    assert eng["s"].switch == 0
    eng["s"].write("switch", 7)                   # past the last input: none
    assert eng["s"].switch == -1


def test_bypass_with_count_call_as_click():
    eng = Engine("InfiniteSource(\\<11>, LIMIT 4, STOP true) -> Counter(COUNT_CALL 3 b.active true)"
                 " -> b :: Bypass -> Print(A) -> Discard; b[1] -> Print(B) -> [1] b;")
    eng.run_inline()
    assert eng.log().split() == "A: 1 | 11 A: 1 | 11 B: 1 | 11 A: 1 | 11 B: 1 | 11 A: 1 | 11".split()
    assert eng["b"].active == "true"


def test_resize(kit):
    eng = kit.run("src :: FromMemory(STOP true) -> Resize(HEAD -2) -> Resize(0, -2) -> "
                  "o :: ToMemory;", [bytes(range(10))])
    assert kit.drain(eng, "o") == [bytes(range(2, 8))]
    eng = kit.run("src :: FromMemory(STOP true) -> Resize(HEAD 4, TAIL 3) -> o :: ToMemory;",
                  [bytes(range(10))])
    out = kit.drain(eng, "o")[0]
    assert len(out) == 17 and out[4:14] == bytes(range(10))


def test_mark_ip_ce(kit):
    from scapy.layers.inet import IP

    pkts = [bytes(IP(src="1.0.0.1", dst="1.0.0.2", tos=t)) for t in (0, 1, 2, 3)]
    eng = kit.run("src :: FromMemory(STOP true) -> CheckIPHeader -> MarkIPCE -> CheckIPHeader -> "
                  "o :: ToMemory;", pkts)
    out = [IP(p) for p in kit.drain(eng, "o")]
    assert [p.tos & 3 for p in out] == [3, 3, 3]
    assert all(IP(bytes(p.__class__(bytes(p)))).chksum == p.chksum for p in out)
    assert eng["MarkIPCE@3"].drops == 1


def test_icmp_ip_encap(kit):
    from scapy.layers.inet import ICMP, IP

    eng = kit.run("src :: FromMemory(STOP true) -> ICMPIPEncap(1.0.0.1, 1.0.0.2, unreachable, "
                  "host) -> ICMPIPEncap(1.0.0.3, 1.0.0.4, echo, IDENTIFIER 7) -> o :: ToMemory;",
                  [b"data"] * 2)
    out = [IP(p) for p in kit.drain(eng, "o")]
    assert [p[ICMP].seq for p in out] == [0, 1] and out[0][ICMP].id == 7
    inner = IP(bytes(out[1][ICMP].payload))
    assert inner.src == "1.0.0.1" and inner[ICMP].type == 3 and inner[ICMP].code == 1
    for p in out:                                  # both checksums right
        assert IP(bytes(p)).chksum == IP(bytes(p.__class__(bytes(p)))).chksum
        again = IP(bytes(p))
        del again.chksum, again[ICMP].chksum
        assert IP(bytes(again)).chksum == p.chksum and IP(bytes(again))[ICMP].chksum == p[ICMP].chksum
    with pytest.raises(EngineError, match="invalid CODE"):
        Engine("Idle -> ICMPIPEncap(1.0.0.1, 1.0.0.2, echo, nonsense) -> Discard")


def test_message_alignment_info_random_seed():
    eng = Engine("Message(hello); m :: Message(careful, WARNING); AlignmentInfo(i 4 2); i :: Idle;"
                 "RandomSeed(7);")
    assert eng.messages() == [("Message@1", "message", "hello"), ("m", "warning", "careful")]
    with pytest.raises(EngineError, match="stop here"):
        Engine("Message(\"stop here\", ERROR);")
    with pytest.raises(EngineError, match="no element named 'nobody'"):
        Engine("AlignmentInfo(nobody 4 2);")


def test_config_handler_reconfigures():
    eng = Engine("i :: InfiniteSource(\"x\", 5, BURST 2) -> Discard;")
    eng.write_handler("i.limit", "7")
    assert eng.read_handler("i.config") == '"x", 7, BURST 2'
    eng.write_handler("i.active", "false")
    assert eng.read_handler("i.config") == '"x", 7, BURST 2, ACTIVE false'
    eng.write_handler("i.config", '"yy", 9')        # more than live parameters: a live change
    assert eng.read_handler("i.config") == '"yy", 9' and eng["i"].limit == 9
    assert eng.read_handler("list") == "2\ni\nDiscard@2\n"
    assert "Counter" in eng.read_handler("classes").split()
    eng.write_handler("stop")
    assert eng.done


def _pcap(tmp_path, times):
    from scapy.layers.inet import IP
    from scapy.layers.l2 import Ether
    from scapy.utils import wrpcap

    pkts = []
    for t in times:
        p = Ether(src="00:00:00:00:00:01", dst="00:00:00:00:00:02") / IP(src="1.0.0.1",
                                                                          dst="1.0.0.2")
        p.time = t
        pkts.append(p)
    path = tmp_path / "in.pcap"
    wrpcap(str(path), pkts)
    return path


def test_time_filter_with_end_call(tmp_path):
    path = _pcap(tmp_path, [0.1, 0.2, 1.0, 1.2, 5.5])
    eng = Engine(f"FromDump({path}, STOP true) -> t :: TimeFilter(0, 1, END_CALL t.extend_interval"
                 " 1) -> c :: Counter -> Discard; t[1] -> o :: Counter -> Discard;")
    eng.run_inline()
    assert eng["c"].count == 5 and eng["o"].count == 0        # the end moves past each packet
    assert eng["t"].read("end") == "6.000000"
    eng = Engine(f"FromDump({path}, STOP true) -> t :: TimeFilter(START_AFTER 0.5, INTERVAL 1)"
                 " -> c :: Counter -> Discard;")
    eng.run_inline()
    assert eng["c"].count == 2 and eng["t"].counters() == {"outside": 3}


def test_adjust_timestamp_and_delta(tmp_path):
    path = _pcap(tmp_path, [0.1, 1.2])
    eng = Engine(f"FromDump({path}, STOP true) -> a :: AdjustTimestamp(-1) -> Print(TIMESTAMP true)"
                 " -> d :: SetTimestampDelta -> Print(TIMESTAMP true) -> Discard;")
    eng.run_inline()
    stamps = sorted(line.split(":")[0] for line in eng.log().splitlines())
    assert stamps == ["-0.900000", "0.000000", "0.200000", "1.100000"]
    assert eng["d"].first == -0.9 and eng["a"].time == -1.0
    eng["d"].write("reset")
    assert eng["d"].first == 0.0


def test_clipboard():
    eng = Engine('i :: InfiniteSource("abcdefghij", LIMIT 1, STOP true) -> c :: Clipboard(0/1, 2/1)'
                 ' -> Discard; j :: InfiniteSource("0123456789", LIMIT 2, ACTIVE false) -> [1] c [1]'
                 ' -> Print(CONTENTS ASCII) -> Discard;')
    eng.run_inline()
    eng["j"].active = True
    eng.run_inline(4)
    assert eng.log().split() == ["10", "|", "a1c34567", "89"] * 2
    with pytest.raises(EngineError, match="range 0: expected '/'"):
        Engine("Idle -> c :: Clipboard(3) -> Discard; Idle -> [1] c [1] -> Discard;")
