"""What the exercises run: configurations in memory, frames, short measurements.

Nothing here needs a NIC or privileges: sources are InfiniteSource,
RatedSource and FromMemory, the DPDK exercises use net_null virtual devices,
and anything timed by a rate runs on the simulated clock (Engine(simtime=True):
an idle engine jumps to its next timer, so a second of traffic takes
milliseconds and the counts are the same on every run).
"""

from __future__ import annotations

import time

from ...engine import Engine, EngineError
from ...lang import ConfigError
from .grading import Wrong

# What "run to its end" allows an endless configuration before saying so.
ENDLESS_RUNS, ENDLESS_S = 100_000, 5.0

# One EAL per process: every DPDK engine of the course names the same devices.
DPDK = "--vdev net_null0 --vdev net_null1 --vdev net_null2,size=1500"


def engine(config: str, *, what: str = "your configuration", **kw) -> Engine:
    """An engine for `config`, or Wrong with the parser's or the engine's error."""
    if not isinstance(config, str):
        raise Wrong(f"{what} should be a string of Click, got {type(config).__name__}")
    try:
        return Engine(config, **kw)
    except (ConfigError, EngineError) as e:
        raise Wrong(f"{what} does not run: {e}") from None


def run(config: str, *, seconds: float | None = None, feed: dict | None = None,
        what: str = "your configuration", **kw) -> Engine:
    """Run `config` to its end (its STOP sources, or `seconds`) and return the
    stopped engine; `feed` maps FromMemory names to the frames they send."""
    eng = engine(config, what=what, **kw)
    for name, frames in (feed or {}).items():
        if name not in eng:
            raise Wrong(f"{what} has no element named '{name}' (a FromMemory the frames go into)")
        try:
            eng.feed(name, frames)
        except (EngineError, TypeError, ValueError) as e:
            raise Wrong(f"{what}: '{name}' takes no frames: {e}") from None
    if seconds is not None:
        eng.run(seconds)
        return eng
    if kw.get("threads", 1) > 1 or kw.get("simtime"):
        eng.start()
        try:
            ended = eng.wait(ENDLESS_S)     # until a STOP source asks the engine to stop
        finally:
            eng.stop()
    else:
        eng.run_inline(ENDLESS_RUNS)        # until no task has work left, on this thread
        moved = _moved(eng)
        eng.run_inline(1)
        ended = _moved(eng) == moved        # one more round moved nothing
    if not ended:
        raise Wrong(f"{what} never ends: give its sources a LIMIT and STOP true "
                    "(here they were stopped while still sending)")
    return eng


def _moved(eng: Engine) -> int:
    return sum(sum(s["outputs"]) for s in eng.summary().values())


def element(eng: Engine, name: str, cls: str | None = None, what: str = "your configuration"):
    if name not in eng:
        raise Wrong(f"{what} has no element named '{name}'")
    got = eng.summary()[name]["class"]
    if cls and got != cls:
        raise Wrong(f"'{name}' is a {got}; the exercise asks for a {cls}")
    return eng[name]


def batches_into(eng: Engine, name: str) -> int:
    """How many batches arrived at `name` (its input's batch-size histogram)."""
    return int(eng.stats().input_hist(name).sum())


def measure(config: str, element: str = "c", seconds: float = 0.3, **kw) -> float:
    """Mpps arriving at `element` per CPU-second of this process (the engine's
    worker does the work; a CPU-second stays meaningful on a shared machine)."""
    eng = Engine(config, **kw)
    cpu0 = time.process_time()
    eng.run(seconds)
    cpu = max(time.process_time() - cpu0, 1e-6)
    return sum(eng.summary()[element]["inputs"]) / cpu / 1e6


def frames(udp: int = 3, tcp: int = 2, arp: int = 2, ipv6: int = 1) -> list[bytes]:
    """Ethernet frames of four kinds, interleaved (scapy builds them)."""
    from scapy.layers.inet import IP, TCP, UDP
    from scapy.layers.inet6 import IPv6
    from scapy.layers.l2 import ARP, Ether

    eth = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
    kinds = ([bytes(eth / IP(src="10.0.0.1", dst="10.0.0.2") / UDP(sport=1000 + i, dport=53))
              for i in range(udp)],
             [bytes(eth / IP(src="10.0.0.1", dst="10.0.0.2") / TCP(sport=2000 + i, dport=80))
              for i in range(tcp)],
             [bytes(Ether(src="02:00:00:00:00:01", dst="ff:ff:ff:ff:ff:ff")
                    / ARP(psrc="10.0.0.1", pdst=f"10.0.0.{3 + i}")) for i in range(arp)],
             [bytes(eth / IPv6(src="fd00::1", dst="fd00::2") / UDP(sport=3000 + i, dport=53))
              for i in range(ipv6)])
    out = []
    for i in range(max(udp, tcp, arp, ipv6)):
        out.extend(k[i] for k in kinds if i < len(k))
    return out


def kind(frame: bytes) -> str:
    etype = frame[12:14]
    if etype == b"\x08\x06":
        return "arp"
    if etype == b"\x86\xdd":
        return "ipv6"
    if etype == b"\x08\x00":
        return {17: "udp", 6: "tcp"}.get(frame[23], "ipv4")
    return "other"
