"""FromDump / ToDump: classic pcap files in and out, byte for byte."""

import os
import struct
import threading
import time

import pytest

from pktlab import Engine
from pktlab.engine import EngineError

from iohelpers import frames, read_pcap, write_pcap


def test_round_trip_is_byte_identical(tmp_path):
    src, dst = tmp_path / "in.pcap", tmp_path / "out.pcap"
    pkts = [f[: 60 + (i * 37) % 1400] + bytes(max(0, (60 + (i * 37) % 1400) - len(f)))
            for i, f in enumerate(frames(500, size=64))]
    write_pcap(src, pkts)
    # The input's header: microseconds, snap length 65535 (ToDump's defaults
    # are Click's: nanoseconds and SNAPLEN 2000).
    eng = Engine(f"fd :: FromDump({src}, STOP true) -> c :: Counter"
                 f" -> td :: ToDump({dst}, SNAPLEN 65535, NANO false);")
    eng.run_inline()
    assert eng["c"].count == 500
    assert eng["fd"].count == 500 and eng["td"].count == 500
    assert eng.done
    assert dst.read_bytes() == src.read_bytes()
    assert eng.pools()["in_use"] == 0


@pytest.mark.parametrize("nsec,swap", [(True, False), (False, True), (True, True)])
def test_reads_nanosecond_and_swapped_files(tmp_path, nsec, swap):
    src = tmp_path / "in.pcap"
    recs = write_pcap(src, frames(20), nsec=nsec, swap=swap)
    eng = Engine(f"FromDump({src}, STOP true) -> out :: ToMemory;")
    eng.run_inline()
    got = eng.drain("out")
    assert got == [data for _, data in recs]
    # Timestamp annotations are the records' times.
    from pktlab.engine.memio import drain_captured

    eng2 = Engine(f"FromDump({src}, STOP true) -> out :: ToMemory;")
    eng2.run_inline()
    assert [c.timestamp for c in drain_captured(eng2, "out")] == [ts for ts, _ in recs]


def test_todump_files_are_read_by_scapy(tmp_path):
    from scapy.utils import rdpcap

    dst = tmp_path / "out.pcap"
    pkts = frames(10, size=100)
    eng = Engine(f"src :: FromMemory(STOP true) -> ToDump({dst}, SNAPLEN 80);")
    eng.feed("src", pkts)
    eng.run_inline()
    caps = rdpcap(str(dst))
    assert [bytes(p) for p in caps] == [p[:80] for p in pkts]
    assert [p.wirelen for p in caps] == [100] * 10
    # No timestamp annotation: stamped with the time of writing.
    assert all(p.time > 1.6e9 for p in caps)
    recs = read_pcap(dst)
    assert [(cap, orig) for _, cap, orig, _ in recs] == [(80, 100)] * 10


def test_timing_keeps_order_and_timestamps(tmp_path):
    src = tmp_path / "in.pcap"
    t0 = 1_700_000_000 * 10**9
    recs = write_pcap(src, [(f, t0 + i * 2_000_000) for i, f in enumerate(frames(30))])
    eng = Engine(f"FromDump({src}, STOP true, TIMING true, BURST 4) -> out :: ToMemory;")
    eng.run()   # paced by the timestamps: 30 packets over 58 ms
    from pktlab.engine.memio import drain_captured

    caps = drain_captured(eng, "out")
    assert [c.data for c in caps] == [d for _, d in recs]
    assert [c.timestamp for c in caps] == [ts for ts, _ in recs]
    # Pacing splits the file into many small batches, not 30 / BURST of them.
    assert eng.stats().input_hist("out").sum() > 8


def test_streams_from_a_pipe(tmp_path):
    """A FIFO cannot be loaded whole or seeked: FromDump must stream it."""
    fifo = tmp_path / "fifo.pcap"
    os.mkfifo(fifo)
    pkts = frames(3000, size=200)
    whole = tmp_path / "whole.pcap"
    write_pcap(whole, pkts)
    data = whole.read_bytes()

    def writer():
        with open(fifo, "wb") as f:
            for off in range(0, len(data), 4096):
                f.write(data[off:off + 4096])

    t = threading.Thread(target=writer)
    t.start()
    eng = Engine(f"fd :: FromDump({fifo}, STOP true) -> c :: Counter -> Discard;")
    eng.run_inline()
    t.join()
    assert eng["c"].count == 3000
    assert eng["fd"].filesize == "-"


def test_truncated_last_record_ends_the_file(tmp_path):
    src = tmp_path / "in.pcap"
    write_pcap(src, frames(5))
    raw = src.read_bytes()
    src.write_bytes(raw[:-10])
    eng = Engine(f"FromDump({src}, STOP true) -> c :: Counter -> Discard;")
    eng.run_inline()
    assert eng["c"].count == 4
    assert "truncated record" in eng.log()


def test_frames_too_long_are_counted(tmp_path):
    # Up to PL_MAX_LEN (65,535 bytes and the headers around them) is a
    # packet; a longer record is skipped and counted.
    src = tmp_path / "in.pcap"
    write_pcap(src, [bytes(60), bytes(70000), bytes(65535), bytes(70)], snaplen=262144)
    eng = Engine(f"fd :: FromDump({src}, STOP true) -> c :: Counter -> Discard;")
    eng.run_inline()
    assert eng["c"].count == 3
    assert eng["fd"].counters()["too_long"] == 1


def test_missing_file_names_element_and_keyword(tmp_path):
    with pytest.raises(EngineError) as ei:
        Engine(f"fd :: FromDump({tmp_path}/nope.pcap) -> Discard;")
    e = ei.value
    assert e.element == "fd" and e.keyword == "FILE"
    assert "cannot open" in str(e) and "nope.pcap" in str(e)


@pytest.mark.parametrize("content,words", [
    (b"", "not a pcap file"),
    (b"GIF89a" + bytes(40), "not a pcap or pcapng file"),
    (struct.pack("<I", 0x0A0D0D0A) + bytes(40), "byte-order magic"),
    (struct.pack("<IHHiIII", 0xA1B2C3D4, 3, 0, 0, 0, 65535, 1), "unknown pcap version 3.0"),
])
def test_bad_files_are_refused(tmp_path, content, words):
    src = tmp_path / "bad.pcap"
    src.write_bytes(content)
    with pytest.raises(EngineError, match=words):
        Engine(f"FromDump({src}) -> Discard;")


def test_todump_unwritable_path(tmp_path):
    with pytest.raises(EngineError) as ei:
        Engine(f"Idle -> td :: ToDump({tmp_path}/no/such/dir/out.pcap);")
    assert ei.value.element == "td" and ei.value.keyword == "FILE"
    assert "cannot create" in str(ei.value)


def test_todump_from_two_threads_keeps_every_packet(tmp_path):
    dst = tmp_path / "out.pcap"
    eng = Engine(f"""
        s0 :: InfiniteSource(LENGTH 60, LIMIT 5000, BURST 16);
        s1 :: InfiniteSource(LENGTH 90, LIMIT 5000, BURST 16);
        td :: ToDump({dst});
        s0 -> td; s1 -> td;""", threads=2)
    eng.start()
    deadline = time.monotonic() + 30
    while eng["td"].count < 10000 and time.monotonic() < deadline:
        time.sleep(0.01)
    eng.stop()
    recs = read_pcap(dst)
    assert len(recs) == 10000 == eng["td"].count
    assert sorted({cap for _, cap, _, _ in recs}) == [60, 90]


def test_a_file_written_by_a_later_engine_is_not_corrupted_by_a_restart(tmp_path):
    """A stopped engine's ToDump file, rewritten by a later engine, is not
    appended to when the first engine starts again: the start fails and
    says why; the later engine's file stays whole."""
    out = tmp_path / "out.pcap"
    cfg = f"src :: InfiniteSource(LENGTH 60, LIMIT 5, BURST 1, STOP true) -> td :: ToDump({out});"
    a = Engine(cfg)
    a.run_inline()
    a_file = out.read_bytes()
    a.start()                          # nobody else wrote it: a restart works
    a.stop()
    b = Engine(cfg.replace("LIMIT 5", "LIMIT 7"))
    b.run_inline()
    b_file = out.read_bytes()
    assert len(read_pcap(out)) == 7 and b_file != a_file
    with pytest.raises(EngineError, match="written by another engine or program") as ei:
        a.start()
    assert ei.value.element == "td" and ei.value.keyword == "FILE" and not a.running
    assert out.read_bytes() == b_file
    os.unlink(out)
    with pytest.raises(EngineError, match="was deleted since this engine opened it"):
        b.start()
