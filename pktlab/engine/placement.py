"""Placement: which CPUs the workers of a pinned engine run on.

    Engine(cfg, threads=2, pin=True)          # near the devices, else first_cpu, first_cpu+1, ...
    Engine(cfg, threads=2, pin=True, cpus=[2, 3])   # as you say
    eng.decisions()["placement"]              # {'cpus': [...], 'node': 0, 'why': '...'}

The paper's rule (§5.6): a thread that polls a NIC should run on the NIC's
NUMA node, so that its descriptors, mbufs and packet data stay in local
memory. The DPDK ports a graph names (FromDPDKDevice, ToDPDKDevice) report
their node (rte_eth_dev_socket_id); the workers go to the CPUs of the node
that most of them sit on, from /sys/devices/system/node. Devices without a
node (virtual devices, one-node machines report -1) leave the default:
worker i on CPU first_cpu + i.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

SYSFS_NODES = Path("/sys/devices/system/node")


@dataclass
class Placement:
    cpus: list[int] = field(default_factory=list)   # empty: first_cpu + i
    node: int | None = None
    why: str = ""


def parse_cpulist(text: str) -> list[int]:
    """Linux's cpulist format ("0-3,8,10-11") to CPU numbers."""
    out: list[int] = []
    for part in text.strip().split(","):
        if not part:
            continue
        lo, _, hi = part.partition("-")
        out += range(int(lo), int(hi or lo) + 1)
    return out


def numa_nodes(root: Path = SYSFS_NODES) -> dict[int, list[int]]:
    """NUMA node -> its CPUs (empty when the kernel exposes no nodes)."""
    out = {}
    for d in sorted(Path(root).glob("node[0-9]*")):
        try:
            out[int(d.name[4:])] = parse_cpulist((d / "cpulist").read_text())
        except (OSError, ValueError):
            continue
    return out


def device_nodes(graph, port_nodes: dict[str, int]) -> dict[str, int]:
    """Element name -> NUMA node of the DPDK port it names, for ports with a
    node. port_nodes: port name (device name or PCI address) or index as
    text -> node (dpdk.port_nodes)."""
    from .dpdk import CLASSES, _port_of

    out = {}
    for name, el in graph.elements.items():
        if el.cls in CLASSES:
            port = _port_of(el.config)
            node = port_nodes.get(port, -1) if port else -1
            if node >= 0:
                out[name] = node
    return out


def choose(graph, threads: int, port_nodes: dict[str, int], first_cpu: int = 0,
           root: Path = SYSFS_NODES) -> Placement:
    """Where `threads` pinned workers should run for `graph`: the CPUs of the
    devices' node, starting from first_cpu when it is one of them."""
    devs = device_nodes(graph, port_nodes)
    if not devs:
        return Placement(why="no device with a NUMA node: worker i on CPU first_cpu + i")
    node, n = Counter(devs.values()).most_common(1)[0]
    cpus = numa_nodes(root).get(node)
    if not cpus:
        return Placement(why=f"devices on node {node}, which the kernel does not list: "
                             "worker i on CPU first_cpu + i")
    if first_cpu in cpus:
        k = cpus.index(first_cpu)
        cpus = cpus[k:] + cpus[:k]
    near = ", ".join(sorted(k for k, v in devs.items() if v == node))
    why = f"{n} device element(s) on NUMA node {node} ({near}): workers on its CPUs"
    if threads > len(cpus):
        why += f" ({threads} workers share its {len(cpus)} CPUs)"
    return Placement(cpus=cpus, node=node, why=why)


__all__ = ["Placement", "choose", "numa_nodes", "parse_cpulist", "device_nodes"]
