"""Traces of every size and format: jumbo to 64 KB frames byte for byte,
pcapng out and in (read back by scapy and Wireshark's tools), and the rest
of Click's FromDump and ToDump keywords and handlers."""

import shutil
import struct
import subprocess

import pytest

from pktlab import Engine, EngineError
from pktlab.engine.memio import drain_captured

from iohelpers import frames, pcapng, read_pcap, write_pcap

SIZES = [60, 64, 1500, 1514, 4000, 9000, 9018, 16384, 32768, 65535]


def sized(n=len(SIZES)):
    return [f[:s] + bytes(max(0, s - len(f))) for f, s in zip(frames(n, size=64), SIZES)]


def tshark_fields(path, *fields):
    """Wireshark's reading of a file: one tuple per packet."""
    cmd = ["tshark", "-r", str(path), "-T", "fields", *sum((["-e", f] for f in fields), [])]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return [tuple(line.split("\t")) for line in out.splitlines()]


needs_tshark = pytest.mark.skipif(shutil.which("tshark") is None,
                                  reason="Wireshark's tshark is not installed (Debian: tshark)")


@needs_tshark
def test_frames_up_to_64k_byte_for_byte(tmp_path):
    # FromDump -> Strip -> Unstrip -> Queue -> ToDump: every size comes out as
    # it went in, the file identical, and Wireshark reads the same lengths.
    src, dst = tmp_path / "in.pcap", tmp_path / "out.pcap"
    write_pcap(src, sized())
    eng = Engine(f"fd :: FromDump({src}, STOP true) -> Strip(14) -> Unstrip(14) -> q :: Queue(64)"
                 f" -> Unqueue -> c :: Counter -> ToDump({dst}, SNAPLEN 65535, NANO false);")
    eng.run()
    assert eng["c"].count == len(SIZES)
    assert dst.read_bytes() == src.read_bytes()
    assert [int(n) for (n,) in tshark_fields(dst, "frame.len")] == SIZES
    pools = eng.pools()
    assert pools["in_use"] == 0 and pools["classes"][2]["allocated"] > 0
    assert eng.core_counters()["grown"] == 0      # Unstrip found its bytes in the headroom


def test_big_frames_through_tee_clones_and_growth(tmp_path):
    src = tmp_path / "in.pcap"
    write_pcap(src, sized())
    eng = Engine(f"FromDump({src}, STOP true) -> t :: Tee; t[0] -> a :: ToMemory;"
                 "t[1] -> Unstrip(200) -> Strip(200) -> b :: ToMemory;")
    eng.run_inline()
    want = sized()
    assert eng.drain("a") == want and eng.drain("b") == want
    assert eng.core_counters()["grown"] == len(SIZES)    # each clone moved, once
    assert eng.pools()["in_use"] == 0


@needs_tshark
@pytest.mark.parametrize("nano", [True, False])
def test_todump_pcapng_read_by_scapy_and_wireshark(tmp_path, nano):
    from scapy.utils import PcapNgReader

    src, dst = tmp_path / "in.pcap", tmp_path / "out.pcapng"
    recs = write_pcap(src, sized(), nsec=True)
    Engine(f"FromDump({src}, STOP true) -> ToDump({dst}, SNAPLEN 0, PCAPNG true,"
           f" NANO {str(nano).lower()});").run_inline()
    with PcapNgReader(str(dst)) as r:
        pkts = list(r)
    assert [bytes(p) for p in pkts] == sized()
    scale = 1 if nano else 1000
    assert [int(p.time * 10**9) // scale * scale for p in pkts] == \
        [ts // scale * scale for ts, _ in recs]
    info = subprocess.run(["capinfos", "-M", str(dst)], capture_output=True, text=True,
                          check=True).stdout
    assert "pcapng" in info and f"Number of packets:   {len(SIZES)}" in info
    assert [int(n) for (n,) in tshark_fields(dst, "frame.len")] == SIZES
    # ... and FromDump reads it back as it was.
    eng = Engine(f"FromDump({dst}, STOP true) -> out :: ToMemory;")
    eng.run_inline()
    got = drain_captured(eng, "out")
    assert [c.data for c in got] == sized()
    assert [c.timestamp // scale * scale for c in got] == [ts // scale * scale for ts, _ in recs]


def test_todump_snaplen_and_extra_length(tmp_path):
    src, a, b, c = (tmp_path / n for n in ("in.pcap", "a.pcap", "b.pcap", "c.pcap"))
    write_pcap(src, sized())
    # Click's default SNAPLEN 2000; the length on the wire stays.
    Engine(f"FromDump({src}, STOP true) -> ToDump({a});").run_inline()
    assert [(cap, orig) for _, cap, orig, _ in read_pcap(a)] == [(min(s, 2000), s) for s in SIZES]
    # Read back: the cut part is the extra length; EXTRA_LENGTH false forgets it.
    Engine(f"FromDump({a}, STOP true) -> ToDump({b}, SNAPLEN 0);").run_inline()
    Engine(f"FromDump({a}, STOP true) -> ToDump({c}, SNAPLEN 0, EXTRA_LENGTH false);").run_inline()
    assert [(cap, orig) for _, cap, orig, _ in read_pcap(b)] == [(min(s, 2000), s) for s in SIZES]
    assert [(cap, orig) for _, cap, orig, _ in read_pcap(c)] == [(min(s, 2000),) * 2 for s in SIZES]


def test_todump_handlers_and_keywords(tmp_path):
    src, dst = tmp_path / "in.pcap", tmp_path / "out.pcap"
    write_pcap(src, frames(10), linktype=113)
    eng = Engine(f"fd :: FromDump({src}, STOP true) -> td :: ToDump({dst}, USE_ENCAP_FROM fd,"
                 " UNBUFFERED true, NANO false);")
    eng.run_inline()
    assert eng["td"].count == 10 and eng["td"].filename == str(dst)
    assert eng["td"].encap == "SLL"
    raw = dst.read_bytes()
    assert struct.unpack("<IHHiIII", raw[:24])[0::6] == (0xA1B2C3D4, 113)
    eng["td"].write("reset_counts", "")
    assert eng["td"].count == 0
    with pytest.raises(EngineError, match="bad encapsulation type 'BOGUS'"):
        Engine(f"Idle -> ToDump({dst}, ENCAP BOGUS);")
    with pytest.raises(EngineError, match="at most one of 'ENCAP' and 'USE_ENCAP_FROM'"):
        Engine(f"fd :: FromDump({src}) -> ToDump({dst}, ENCAP IP, USE_ENCAP_FROM fd);")
    with pytest.raises(EngineError, match="no element named 'nope'"):
        Engine(f"Idle -> ToDump({dst}, USE_ENCAP_FROM nope);")


def _ts_trace(tmp_path, n=20):
    """n frames one second apart, from t0 = 1,700,000,000 s."""
    src = tmp_path / "ts.pcap"
    write_pcap(src, [(f, (1_700_000_000 + i) * 10**9) for i, f in enumerate(frames(n))])
    return src


def _sent(src, kw, outputs="out :: ToMemory"):
    eng = Engine(f"fd :: FromDump({src}, STOP true, {kw}) -> {outputs};")
    eng.run_inline()
    return eng, [c.timestamp // 10**9 - 1_700_000_000 for c in drain_captured(eng, "out")]


@pytest.mark.parametrize("kw,want", [
    ("START 1700000005", list(range(5, 20))),
    ("START_AFTER 3s", list(range(3, 20))),
    ("END 1700000004.5", list(range(5))),
    ("END_AFTER 2s", [0, 1]),
    ("START_AFTER 10s, INTERVAL 3s", [10, 11, 12]),
    ("START 1700000002, END_AFTER 4s", [2, 3]),
])
def test_time_window(tmp_path, kw, want):
    eng, got = _sent(_ts_trace(tmp_path), kw)
    assert got == want
    assert eng.done                              # STOP: the engine stops at END too
    assert eng["fd"].counters()["skipped"] == (want[0] if want else 0)


def test_time_window_errors(tmp_path):
    src = _ts_trace(tmp_path)
    with pytest.raises(EngineError, match="START and START_AFTER are mutually exclusive"):
        Engine(f"FromDump({src}, START 1, START_AFTER 1s) -> Discard;")
    with pytest.raises(EngineError, match="END, END_AFTER, and INTERVAL are mutually exclusive"):
        Engine(f"FromDump({src}, END 1, INTERVAL 1s) -> Discard;")
    with pytest.raises(EngineError, match="START: expected seconds"):
        Engine(f"FromDump({src}, START yesterday) -> Discard;")
    with pytest.raises(EngineError, match="END_CALL and STOP are mutually exclusive"):
        Engine(f"fd :: FromDump({src}, STOP true, END_CALL fd.stop) -> Discard;")
    with pytest.raises(EngineError, match="END_CALL: 'c.reset' is not supported"):
        Engine(f"fd :: FromDump({src}, END_CALL c.reset) -> c :: Counter -> Discard;")


def test_end_goes_inactive_and_extend_interval_continues(tmp_path):
    src = _ts_trace(tmp_path)
    eng = Engine(f"fd :: FromDump({src}, END_AFTER 5s) -> out :: ToMemory;")
    eng.run_inline(max_runs=50)
    assert eng["fd"].active == "false"           # the default END_CALL: fd.active false
    got = [c.timestamp // 10**9 - 1_700_000_000 for c in drain_captured(eng, "out")]
    assert got == [0, 1, 2, 3, 4]                # the packet at END (5) is not emitted
    eng["fd"].write("extend_interval", "3s")
    eng.run_inline(max_runs=50)
    got = [c.timestamp // 10**9 - 1_700_000_000 for c in drain_captured(eng, "out")]
    assert got == [6, 7]
    assert eng["fd"].active == "false"


def test_sample(tmp_path):
    src = tmp_path / "in.pcap"
    write_pcap(src, frames(4000))
    eng, _ = _sent(src, "SAMPLE 0.25", "c :: Counter -> out :: ToMemory(8192)")
    n = eng["c"].count
    assert 800 < n < 1200                        # 1000 expected; 5 sigma is 137
    assert n + eng["fd"].counters()["skipped"] == 4000
    assert eng["fd"].read("sampling_prob") == "0.25"
    eng = Engine(f"fd :: FromDump({src}, SAMPLE 0.1) -> Discard;")
    assert eng["fd"].read("sampling_prob") == "0.1"
    with pytest.raises(EngineError, match="SAMPLE"):
        Engine(f"FromDump({src}, SAMPLE 1.5) -> Discard;")


def test_filepos_keyword_and_handlers(tmp_path):
    src = tmp_path / "in.pcap"
    write_pcap(src, frames(10, size=100))
    rec = 16 + 100
    eng, got = _sent(src, f"FILEPOS {24 + 4 * rec}")
    assert len(got) == 6
    assert eng["fd"].packet_filepos == 24 + 9 * rec
    assert eng["fd"].filepos == 24 + 10 * rec == eng["fd"].filesize
    assert eng["fd"].filename == str(src) and eng["fd"].encap == "ETHER"
    with pytest.raises(EngineError, match="FILEPOS: offset 30 is not the start of a record"):
        Engine(f"FromDump({src}, FILEPOS 30) -> Discard;")
    # Writing filepos goes back (a regular file) and replays from there (STOP
    # made it inactive at the end, as Click's fd.stop does).
    assert eng["fd"].active == "false"
    eng["fd"].write("filepos", str(24 + 8 * rec))
    eng["fd"].write("active", "true")
    eng["fd"].write("reset_counts", "")
    eng.run_inline()
    assert eng["fd"].count == 2
    with pytest.raises(EngineError, match="filepos: expected an offset"):
        eng["fd"].write("filepos", "-3")


def test_filepos_in_pcapng_and_unknown_blocks(tmp_path):
    f = frames(6)
    path = tmp_path / "in.pcapng"
    blocks = []
    for i, x in enumerate(f):
        blocks += [("unknown", 0x40000BAD, bytes(8)), ("epb", 0, i, x)]
    path.write_bytes(pcapng([{"interfaces": [(1, 9, 0)], "blocks": blocks}]))
    eng = Engine(f"fd :: FromDump({path}, STOP true) -> out :: ToMemory;")
    eng.run_inline()
    assert eng.drain("out") == f
    third = int(eng["fd"].packet_filepos)        # the last EPB's offset...
    eng2, got = _sent(path, f"FILEPOS {third}")
    assert len(got) == 1


def test_stop_handler_and_mmap_keyword(tmp_path):
    src = _ts_trace(tmp_path)
    eng = Engine(f"fd :: FromDump({src}, MMAP true, TIMING true) -> out :: ToMemory;")
    eng.start()
    eng["fd"].write("stop", "")
    assert eng.wait(10)                          # the driver stops, as Click's fd.stop
    eng.stop()
    assert eng["fd"].active == "false" and len(eng.drain("out")) < 20


def test_force_ip_refuses_a_link_type_it_cannot_read(tmp_path):
    src = tmp_path / "in.pcap"
    write_pcap(src, frames(2), linktype=105)         # 802.11
    with pytest.raises(EngineError, match="unknown linktype 802_11; can't force IP packets"):
        Engine(f"FromDump({src}, FORCE_IP true) -> Discard;")
    eng = Engine(f"fd :: FromDump({src}, STOP true) -> out :: ToMemory;")   # read as it is
    eng.run_inline()
    assert eng.drain("out") == frames(2) and eng["fd"].read("encap") == "802_11"


def test_old_and_modified_pcap_variants(tmp_path):
    # Version 2.2 (caplen and len swapped), and the "modified" magic with 8
    # more bytes per record header, both big endian.
    f = frames(3, size=80)
    old, mod = tmp_path / "old.pcap", tmp_path / "mod.pcap"
    old.write_bytes(struct.pack(">IHHiIII", 0xA1B2C3D4, 2, 2, 0, 0, 65535, 1)
                    + b"".join(struct.pack(">IIII", 1, 0, 80, 60) + x[:60] for x in f))
    mod.write_bytes(struct.pack(">IHHiIII", 0xA1B2CD34, 2, 4, 0, 0, 65535, 1)
                    + b"".join(struct.pack(">IIII", 1, 0, 80, 80) + bytes(8) + x for x in f))
    for path, want, extra in ((old, [x[:60] for x in f], 20), (mod, f, 0)):
        eng = Engine(f"FromDump({path}, STOP true) -> out :: ToMemory;")
        eng.run_inline()
        got = drain_captured(eng, "out")
        assert [c.data for c in got] == want and {c.extra_length for c in got} == {extra}


def test_corrupt_pcapng_stops_and_says_where(tmp_path):
    path = tmp_path / "bad.pcapng"
    good = pcapng([{"interfaces": [(1, None, 0)], "blocks": [("epb", 0, 1, x) for x in frames(3)]}])
    path.write_bytes(good[:-60])                 # into the last packet's data
    eng = Engine(f"FromDump({path}, STOP true) -> c :: Counter -> Discard;")
    eng.run_inline()
    assert eng["c"].count == 2
    log = eng.log()
    assert "truncated record at offset" in log and "stopped there" in log
    assert eng.pools()["in_use"] == 0
