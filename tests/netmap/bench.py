"""Netmap forwarding through a pipe pair in the test guest: the engine (zero
copy and COPY) against netmap's own `bridge` on the same path, as ratios of
one run. Emulated (TCG): only the ratios mean anything.

    GUEST_CMD=".venv/bin/python tests/netmap/bench.py" bash tests/netmap/guest.sh
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "guest"))

import pktlab  # noqa: E402
from nmhelpers import ROOT, Probe, tag  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 200000


def through(t: str) -> float:
    """Packets per second from nmprobe tx on p{1 to nmprobe rx on p{2."""
    rx = Probe("rx", f"vale{t}:p{{2", N, 3000)
    time.sleep(0.5)
    t0 = time.monotonic()
    tx = Probe("tx", f"vale{t}:p{{1", N)
    got = rx.result(timeout=600)["received"]
    dt = time.monotonic() - t0
    tx.result()
    return got / dt


def engine(copy: bool) -> float:
    t = tag()
    eng = pktlab.Engine(f"FromNetmapDevice(vale{t}:p}}1, BURST 32, COPY {str(copy).lower()})"
                        f" -> ToNetmapDevice(vale{t}:p}}2, BURST 32, BLOCKING true);")
    eng.start()
    try:
        return through(t)
    finally:
        eng.stop()
        eng.close()


def bridge() -> float:
    t = tag()
    b = subprocess.Popen([str(ROOT / "build/netmap/bin/bridge"), "-i", f"vale{t}:p}}1", "-i",
                          f"vale{t}:p}}2", "-w", "1"], stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    time.sleep(2)
    try:
        return through(t)
    finally:
        b.terminate()
        b.wait()


rates = {"bridge": bridge(), "engine zero copy": engine(False), "engine COPY": engine(True)}
for k, v in rates.items():
    print(f"{k:18s} {v / 1e3:8.1f} kpps")
print(f"engine/bridge (zero copy) {rates['engine zero copy'] / rates['bridge']:.2f}")
print(f"zero copy / COPY          {rates['engine zero copy'] / rates['engine COPY']:.2f}")
print(f"{N} packets of 60 B per run, {'emulated (TCG)' if pktlab.netmap.emulated() else 'native'}")
