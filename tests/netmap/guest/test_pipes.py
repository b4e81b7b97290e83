"""Netmap pipes: packets across the engine, zero copy proven by buffer indices.

A pipe hands buffers from one end's TX ring to the other end's RX ring by
swapping them, never copying. nmprobe writes, into each frame, the index of
the netmap buffer it wrote it into; the receiving nmprobe compares that with
the buffer the frame arrived in. Through an engine that swaps buffers too,
every frame arrives in its own buffer; through COPY mode, none does.
"""

from __future__ import annotations

import pytest

import pktlab
from pktlab.engine import EngineError
from nmhelpers import buffers, receiver, send, tag, wait_for

N = 20000


def forward(t: str, copy: bool, n: int = N, burst: int = 32, blocking: bool = True):
    eng = pktlab.Engine(f"fd :: FromNetmapDevice(vale{t}:p}}1, BURST {burst}, COPY {str(copy).lower()})"
                        f" -> td :: ToNetmapDevice(vale{t}:p}}2, BURST {burst},"
                        f" BLOCKING {str(blocking).lower()});")
    eng.start()
    rx = receiver(f"vale{t}:p{{2", n)
    sent = send(f"vale{t}:p{{1", n)["sent"]
    got = rx.result()
    assert wait_for(lambda: eng["td"].count + eng["td"].dropped >= eng["fd"].count)
    eng.stop()
    return eng, sent, got


def test_pipe_forward_is_zero_copy():
    eng, sent, got = forward(tag(), copy=False)
    assert sent == N
    assert got == {"received": N, "unique": N, "duplicates": 0, "foreign": 0, "same_buffer": N}
    fd, td = eng["fd"], eng["td"]
    assert (fd.count, td.count, fd.dropped, td.dropped) == (N, N, 0, 0)
    assert (fd.copies, td.copies) == (0, 0)
    assert fd.read("mem").split()[2] == "zero-copy"
    total, free, used = buffers(fd)
    assert total > 0 and free == total and used == 0        # every buffer back at stop


def test_pipe_copy_mode_copies_every_packet():
    eng, sent, got = forward(tag(), copy=True)
    assert got["received"] == got["unique"] == N and got["foreign"] == 0
    assert got["same_buffer"] == 0
    fd, td = eng["fd"], eng["td"]
    assert (fd.count, td.count, fd.copies, td.copies) == (N, N, N, N)
    assert eng.pools()["in_use"] == 0


def test_pipe_nonblocking_conserves_every_packet():
    """Without BLOCKING a full ring queues, then drops: every packet is counted."""
    eng, sent, got = forward(tag(), copy=False, blocking=False)
    fd, td = eng["fd"], eng["td"]
    assert sent == N and fd.count == N
    assert td.count + td.dropped == N
    assert got["received"] == got["unique"] == td.count and got["foreign"] == 0
    total, free, used = buffers(fd)
    assert free == total and used == 0


def test_live_burst_and_clean_stop():
    t = tag()
    eng = pktlab.Engine(f"fd :: FromNetmapDevice(vale{t}:p}}1, BURST 4)"
                        f" -> td :: ToNetmapDevice(vale{t}:p}}2, BURST 4, BLOCKING true);")
    eng.start()
    rx = receiver(f"vale{t}:p{{2", 2 * 3000)
    assert send(f"vale{t}:p{{1", 3000)["sent"] == 3000
    assert wait_for(lambda: eng["td"].count == 3000)
    eng["fd"].write("burst", "64")
    eng["td"].write("burst", "64")
    assert (eng["fd"].read("burst"), eng["td"].read("burst")) == ("64", "64")
    assert send(f"vale{t}:p{{1", 3000)["sent"] == 3000
    got = rx.result()
    # nmprobe numbers each send from 0: the second 3000 are the same numbers again
    assert (got["received"], got["unique"], got["duplicates"], got["foreign"]) == (6000, 3000, 3000, 0)
    assert wait_for(lambda: eng["td"].count == 6000)
    eng.stop()
    fd, td = eng["fd"], eng["td"]
    assert (fd.count, td.count, fd.dropped, td.dropped) == (6000, 6000, 0, 0)
    total, free, used = buffers(fd)
    assert free == total and used == 0
    assert fd.read("ndesc") == td.read("ndesc") and int(fd.read("ndesc")) > 0



def test_ndesc_change_reopens_a_vale_port():
    t = tag()
    eng = pktlab.Engine(f"fd :: FromNetmapDevice(vale{t}:p}}1)"
                        f" -> td :: ToNetmapDevice(vale{t}b:eng, BLOCKING true);")
    eng.start()
    try:
        before = int(eng["td"].read("ndesc"))
        eng["td"].write("ndesc", "256")
        assert eng["td"].read("ndesc") == "256" != str(before)
        change = eng["td"].read("ndesc_change")
        assert change.startswith(f"NDESC {before} -> 256") and "lost 0" in change
        assert eng["td"].read("ndesc_lost") == "0"
        rx = receiver(f"vale{t}b:dst", 2000)
        assert send(f"vale{t}:p{{1", 2000)["sent"] == 2000
        got = rx.result()
        assert got["unique"] == got["received"] > 0 and got["foreign"] == 0   # VALE may drop
    finally:
        eng.stop()
    assert eng["fd"].count == 2000 == eng["td"].count + eng["td"].dropped


def test_ndesc_of_a_pipe_end_says_why_it_stays():
    t = tag()
    eng = pktlab.Engine(f"fd :: FromNetmapDevice(vale{t}:p}}1) -> td :: ToNetmapDevice(vale{t}:p}}2);")
    eng.start()
    try:
        before = eng["td"].read("ndesc")
        with pytest.raises(EngineError, match=r"td: netmap kept .*p\}2 at \d+ slots \(asked 256\)"):
            eng["td"].write("ndesc", "256")
        assert eng["td"].read("ndesc") == before
        rx = receiver(f"vale{t}:p{{2", 1000)
        assert send(f"vale{t}:p{{1", 1000)["sent"] == 1000
        assert rx.result()["unique"] == 1000                  # the port still works
    finally:
        eng.stop()
