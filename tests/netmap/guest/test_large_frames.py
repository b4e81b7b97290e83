"""Frames longer than a netmap buffer: several slots flagged NS_MOREFRAG.

ToNetmapDevice copies a long packet over as many slots as it needs,
FromNetmapDevice gathers them back into one packet of the size class that
holds it. Through a netmap pipe (which moves slots, flags and all) and
through a VALE switch (which copies slot by slot), every frame from 60 to
65,535 bytes must come out byte for byte, in order, with nothing dropped.
"""

from __future__ import annotations

import sys

import pytest

import pktlab
from nmhelpers import ROOT, tag, wait_for

sys.path.insert(0, str(ROOT / "tests" / "io"))
from iohelpers import frames, read_pcap, write_pcap  # noqa: E402

SIZES = [60, 1514, 2047, 2048, 2049, 4096, 4097, 9014, 20000, 65535]


def corpus():
    out = []
    for i, size in enumerate(SIZES * 3):
        out.append(frames(1, size=size, tag=i)[0])
    return out


def run(tmp_path, tx_port: str, rx_port: str, burst: int):
    sent = corpus()
    src, dst = tmp_path / "in.pcap", tmp_path / "out.pcap"
    write_pcap(src, sent)
    eng = pktlab.Engine(
        f"FromDump({src}, STOP false) -> td :: ToNetmapDevice(\"{tx_port}\", BURST {burst}, BLOCKING true);"
        f"fd :: FromNetmapDevice(\"{rx_port}\", BURST {burst}) -> out :: ToDump({dst}, SNAPLEN 65535);")
    eng.start()
    try:
        assert wait_for(lambda: eng["out"].count >= len(sent), timeout=60), \
            (eng["td"].count, eng["fd"].count, eng["fd"].read("dropped"))
    finally:
        eng.stop()
    got = [rec[3] for rec in read_pcap(dst)]
    return eng, sent, got


@pytest.mark.parametrize("burst", [1, 32])
def test_pipe_carries_frames_of_every_size(tmp_path, burst):
    t = tag()
    eng, sent, got = run(tmp_path, f"vale{t}:p{{1", f"vale{t}:p}}1", burst)
    assert [len(g) for g in got] == [len(s) for s in sent]
    assert got == sent
    td, fd = eng["td"], eng["fd"]
    assert (td.count, td.dropped, fd.count, fd.dropped) == (len(sent), 0, len(sent), 0)


def test_vale_switch_carries_frames_of_every_size(tmp_path):
    t = tag()
    eng, sent, got = run(tmp_path, f"vale{t}:a", f"vale{t}:b", 32)
    assert got == sent
    assert eng["fd"].dropped == 0 and eng["td"].dropped == 0


def test_frame_longer_than_the_ring_is_counted(tmp_path):
    """A ring of 32 slots of 2 KB cannot hold a 65,535-byte frame (32 slots,
    one always empty): ToNetmapDevice drops it as too_long and sends the rest."""
    t = tag()
    sent = [frames(1, size=s, tag=i)[0] for i, s in enumerate([100, 65535, 3000, 60])]
    src, dst = tmp_path / "in.pcap", tmp_path / "out.pcap"
    write_pcap(src, sent)
    eng = pktlab.Engine(
        f"FromDump({src}, STOP false) -> td :: ToNetmapDevice(\"vale{t}b:p{{1\", NDESC 32, BLOCKING true);"
        f"fd :: FromNetmapDevice(vale{t}b:p}}1) -> out :: ToDump({dst}, SNAPLEN 65535);")
    eng.start()
    try:
        assert wait_for(lambda: eng["out"].count >= 3, timeout=30)
    finally:
        eng.stop()
    slots = int(eng["td"].read("ndesc"))
    got = [rec[3] for rec in read_pcap(dst)]
    if (65535 + 2047) // 2048 <= slots - 1:
        pytest.fail(f"the pipe kept {slots} slots: the 65,535-byte frame fits, the test proves nothing")
    assert got == [sent[0], sent[2], sent[3]]
    assert eng["td"].dropped == 1
