"""Helpers of the netmap tests in the guest: names unique to a run, the traffic
probe (tests/netmap/nmprobe.c, built by make test-netmap) and a veth pair."""

from __future__ import annotations

import json
import subprocess
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
NMPROBE = ROOT / "build" / "netmap" / "bin" / "nmprobe"


def tag() -> str:
    """A name part unique to this run (VALE switches, pipes and veths are global)."""
    return uuid.uuid4().hex[:6]


class Probe:
    """nmprobe tx|rx in the background; .result() waits and returns its JSON."""

    def __init__(self, *args):
        self.args = [str(NMPROBE), *map(str, args)]
        self.p = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True)

    def result(self, timeout: float = 120) -> dict:
        out, err = self.p.communicate(timeout=timeout)
        assert self.p.returncode == 0, f"{self.args}: exit {self.p.returncode}: {err}"
        return json.loads(out.strip().splitlines()[-1])


def send(port: str, count: int, length: int = 60) -> dict:
    return Probe("tx", port, count, length).result()


def receiver(port: str, count: int, idle_ms: int = 3000) -> Probe:
    r = Probe("rx", port, count, idle_ms)
    time.sleep(0.5)                     # registered before anything is sent
    return r


def wait_for(cond, timeout: float = 30.0, step: float = 0.05) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(step)
    return cond()


def buffers(el) -> tuple[int, int, int]:
    """An element's view of its engine's netmap buffers: total, free, in packets."""
    total, free, used = (int(x) for x in el.read("buffers").split())
    return total, free, used
