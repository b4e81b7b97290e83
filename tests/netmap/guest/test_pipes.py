"""Netmap pipes: packets across the engine, zero copy proven by buffer indices.

A pipe hands buffers from one end's TX ring to the other end's RX ring by
swapping them, never copying. nmprobe writes, into each frame, the index of
the netmap buffer it wrote it into; the receiving nmprobe compares that with
the buffer the frame arrived in. Through an engine that swaps buffers too,
every frame arrives in its own buffer; through COPY mode, none does.
"""

from __future__ import annotations

import pktlab
from nmhelpers import buffers, receiver, send, tag, wait_for

N = 20000


def forward(t: str, copy: bool, n: int = N, burst: int = 32):
    eng = pktlab.Engine(f"fd :: FromNetmapDevice(vale{t}:p}}1, BURST {burst}, COPY {str(copy).lower()})"
                        f" -> td :: ToNetmapDevice(vale{t}:p}}2, BURST {burst});")
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
