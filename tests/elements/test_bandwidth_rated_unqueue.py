"""BandwidthRatedUnqueue keeps its bandwidth in batched mode too: a batch may
carry more bytes than the bucket held (BURST packets of any size are pulled
once the bucket holds Click's 128 KiB threshold), and the excess is paid back
before the next pull, so over any run the bytes moved stay within the bucket
plus RATE x time plus one batch, whatever BURST is. Simulated time (Click's
--simtime): exact and independent of the machine's load."""

from __future__ import annotations

import pytest

import pktlab

RATE = 1_500_000          # bytes per second (12 Mbps)
SIZE = 1500
SECONDS = 0.5


@pytest.mark.parametrize("burst", [1, 32, 256])
@pytest.mark.parametrize("per_packet", [False, True])
def test_bytes_stay_within_the_rate(burst, per_packet):
    eng = pktlab.Engine(f"""
        InfiniteSource(LENGTH {SIZE}, LIMIT 2000, BURST 2000, STOP false) -> q :: Queue(10000)
          -> u :: BandwidthRatedUnqueue({RATE}Bps, BURST {burst}) -> c :: Counter -> Discard;
        Script(wait {SECONDS}, stop);""", simtime=True, per_packet=per_packet)
    eng.run_inline()
    moved = int(eng["c"].read("byte_count"))
    bucket = RATE * 0.02                                 # BURST_DURATION 20 ms of bytes
    batch = (1 if per_packet else burst) * SIZE
    assert moved <= bucket + RATE * SECONDS + batch, (moved, burst)
    assert moved >= RATE * SECONDS - batch - 128 * 1024, (moved, burst)
