"""Print: Click's line format, into the engine log; packets pass unchanged."""

import pytest


def run_print(kit, cfg, pkts, src="STOP true"):
    eng = kit.run(f"src :: FromMemory({src}) -> p :: Print({cfg}) -> out :: ToMemory;", pkts)
    assert kit.drain(eng, "out") == pkts
    return eng, eng.log().splitlines()


def test_format_default_24_bytes(kit):
    pkt = bytes(range(60))
    _, lines = run_print(kit, "in", [pkt])
    assert lines == ["in:   60 | 00010203 04050607 08090a0b 0c0d0e0f 10111213 14151617"]


def test_no_label_maxlength_and_short(kit):
    _, lines = run_print(kit, "MAXLENGTH 5", [bytes(range(60)), b"\xff\xee", b""])
    assert lines == ["  60 | 00010203 04", "   2 | ffee", "   0"]


def test_all_bytes_and_ascii(kit):
    pkt = b"GET / HTTP/1.1\r\n" + bytes(range(200, 210))
    _, lines = run_print(kit, "x, -1, CONTENTS ASCII", [pkt])
    assert lines == ["x:   26 |  GET / HT TP/1.1.. ........ .."]   # Click: " " every 8
    _, lines = run_print(kit, "x, CONTENTS NONE", [pkt])
    assert lines == ["x:   26"]
    _, lines = run_print(kit, "x, -1", [bytes(9)])
    assert lines == ["x:    9 | 00000000 00000000 00"]


def test_headroom_and_anno(kit):
    _, lines = run_print(kit, "h, 4, HEADROOM true, PRINTANNO true", [bytes(4)])
    assert lines == ["h:    4 (h128 t1916) | " + "00" * 48 + " | 00000000"]


@pytest.mark.parametrize("burst", [1, 16])
def test_one_line_per_packet_in_order(kit, burst):
    pkts = [bytes([i]) * 4 for i in range(40)]
    eng, lines = run_print(kit, "n, 4", pkts, src=f"BURST {burst}, STOP true")
    assert lines == [f"n:    4 | {i:02x}{i:02x}{i:02x}{i:02x}" for i in range(40)]
    assert kit.conserved(eng, 40)


def test_active_is_live(kit):
    eng = kit.make_engine("src :: FromMemory -> p :: Print(a, ACTIVE false) -> out :: ToMemory;")
    kit.feed(eng, "src", [b"\x01"])
    eng.run_inline(max_runs=2)
    assert eng.log() == ""
    eng["p"].active = True
    kit.feed(eng, "src", [b"\x02"])
    eng.run_inline(max_runs=2)
    assert eng.log() == "a:    1 | 02\n"
    assert kit.drain(eng, "out") == [b"\x01", b"\x02"]


def test_long_lines_are_cut(kit):
    _, lines = run_print(kit, "big, -1", [bytes(1500)])
    assert len(lines) == 1 and len(lines[0]) <= 500 and lines[0].startswith("big: 1500 | 0000")


def test_bad_contents(kit):
    from pktlab import EngineError

    with pytest.raises(EngineError, match="CONTENTS: expected HEX, ASCII or NONE"):
        kit.make_engine("FromMemory -> Print(CONTENTS BINARY) -> Discard;")
