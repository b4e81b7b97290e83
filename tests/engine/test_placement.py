"""Worker placement: CPUs near the devices' NUMA node, from the kernel's topology."""

import os
import time

import pytest

from pktlab import Engine
from pktlab.lang import parse
from pktlab.engine.placement import choose, numa_nodes, parse_cpulist

DEVS = """a :: FromDPDKDevice(net_x0) -> ToDPDKDevice(net_x1);
          b :: FromDPDKDevice(2) -> Discard;"""


def topology(tmp_path, nodes):
    for n, cpus in nodes.items():
        (tmp_path / f"node{n}").mkdir()
        (tmp_path / f"node{n}" / "cpulist").write_text(cpus + "\n")
    (tmp_path / "possible").write_text("0-1\n")        # other sysfs files are ignored
    return tmp_path


def test_cpulist_format():
    assert parse_cpulist("0-3,8,10-11\n") == [0, 1, 2, 3, 8, 10, 11]
    assert parse_cpulist("5") == [5] and parse_cpulist("") == []


def test_this_machine_lists_its_cpus_by_node():
    nodes = numa_nodes()
    if not nodes:
        pytest.skip("this kernel exposes no NUMA topology (/sys/devices/system/node)")
    cpus = [c for v in nodes.values() for c in v]
    assert len(cpus) == len(set(cpus))                     # a CPU belongs to one node
    assert os.sched_getaffinity(0) <= set(cpus)            # every CPU we may run on has one


def test_workers_go_to_the_node_most_devices_sit_on(tmp_path):
    root = topology(tmp_path, {0: "0-3", 1: "4-7"})
    ports = {"net_x0": 1, "0": 1, "net_x1": 1, "1": 1, "net_y": 0, "2": 0}
    p = choose(parse(DEVS), 2, ports, root=root)
    assert p.node == 1 and p.cpus == [4, 5, 6, 7]
    assert "NUMA node 1" in p.why and "a" in p.why
    # first_cpu inside the node: the list starts there
    assert choose(parse(DEVS), 2, ports, first_cpu=6, root=root).cpus == [6, 7, 4, 5]


def test_no_node_known_keeps_the_default(tmp_path):
    root = topology(tmp_path, {0: "0-3"})
    p = choose(parse(DEVS), 2, {"net_x0": -1, "net_x1": -1}, root=root)
    assert p.cpus == [] and p.node is None and "first_cpu + i" in p.why
    p = choose(parse(DEVS), 2, {"net_x0": 3}, root=root)      # a node the kernel does not list
    assert p.cpus == [] and "does not list" in p.why


def _affinities() -> list[str]:
    out = []
    for tid in os.listdir("/proc/self/task"):
        with open(f"/proc/self/task/{tid}/status") as f:
            out += [ln.split(":", 1)[1].strip() for ln in f if ln.startswith("Cpus_allowed_list")]
    return out


def test_pinned_engine_runs_where_placement_says():
    cpu = (os.cpu_count() or 1) - 1
    before = _affinities()
    eng = Engine("s :: InfiniteSource -> c :: Counter -> Discard;", pin=True, cpus=[cpu])
    assert eng.decisions()["placement"] == {"cpus": [cpu], "node": None, "why": "cpus given"}
    eng.start()
    try:
        deadline = time.monotonic() + 10          # the worker may wait for a core
        while eng["c"].count == 0 and time.monotonic() < deadline:
            time.sleep(0.005)
        during = _affinities()
    finally:
        eng.stop()
    assert eng["c"].count > 0
    # one more thread, allowed on that CPU only
    assert during.count(str(cpu)) == before.count(str(cpu)) + 1, (before, during)
    unpinned = Engine("Idle -> Discard;")
    assert unpinned.decisions()["placement"]["cpus"] == []
