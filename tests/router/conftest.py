"""The router of examples/router.click, run in memory: in0..in3 become
FromMemory, out0..out3 and tohost become ToMemory (as a DPDK run would swap
them for device elements)."""

from __future__ import annotations

from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "router.click"


def router_graph(**defines):
    from pktlab.lang import parse_file

    g = parse_file(EXAMPLE, defines={k: str(v) for k, v in defines.items()})
    for i in range(4):
        g.elements[f"in{i}"].cls, g.elements[f"in{i}"].config = "FromMemory", "BURST 32"
        g.elements[f"out{i}"].cls, g.elements[f"out{i}"].config = "ToMemory", "65536"
    g.elements["tohost"].cls, g.elements["tohost"].config = "ToMemory", "65536"
    return g


@pytest.fixture
def router():
    """run(packets by interface, per_packet=False, **defines) -> Outputs."""
    from pktlab.traffic import run_packets

    def run(packets: dict, per_packet: bool = False, **defines):
        return run_packets(router_graph(**defines), {f"in{i}": p for i, p in packets.items()},
                           per_packet=per_packet)

    return run
