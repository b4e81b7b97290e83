"""notebooks/03-remote-engines.ipynb: a generator engine and a DUT engine in two
network namespaces this test creates (a veth between them), each served by
`pktlab serve` as root, driven from a notebook whose kernel runs as the user
`nobody`: one dashboard for both, the graph widget, sliders and dashboards
of the %%click --remote cells, and a sweep of the generator's rate."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_notebook_as_nobody

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "03-remote-engines.ipynb"
LINE = re.compile(r"(LINUX|PACKET_MMAP) +offered +(\d+) pps: sent (\d+), received (\d+), "
                  r"dropped (\d+)")

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or not shutil.which("ip") or not shutil.which("setpriv"),
    reason="needs root, iproute2 and setpriv (namespaces; the notebook runs as nobody)")

@pytest.fixture
def bed():
    sys.path.insert(0, str(ROOT / "notebooks"))
    try:
        from testbed import Testbed
    finally:
        sys.path.pop(0)
    b = Testbed.create()
    yield b
    b.close()
    assert not os.path.exists(b.dir)
    assert b.gen_ns not in subprocess.run(["ip", "netns", "list"], capture_output=True,
                                          text=True).stdout


def test_two_engines_one_unprivileged_notebook(bed):
    outputs = run_notebook_as_nobody(NOTEBOOK, {
        "PKTLAB_TESTBED": os.path.join(bed.dir, "testbed.json")})
    errors = [o for o in outputs if o["output_type"] == "error"]
    assert not errors, errors
    text = "".join(o.get("text", "") for o in outputs if o["output_type"] == "stream")
    assert re.search(r"I am uid (\d+)", text).group(1) != "0"

    rows = [(m, int(r), int(s), int(g), int(d)) for m, r, s, g, d in LINE.findall(text)]
    assert [(m, r) for m, r, *_ in rows] == [(m, r) for m in ("LINUX", "PACKET_MMAP")
                                             for r in (10000, 20000, 40000, 80000, 160000)]
    for method, rate, sent, got, dropped in rows:
        # how much of the trace leaves in its window depends on the machine's load:
        # only that it went out, and that every packet is accounted for
        assert sent > 0, (method, rate, sent)
        assert abs(sent - got - dropped) <= 2, (method, rate, sent, got, dropped)
    mmap = {r: (s, g, d) for m, r, s, g, d in rows if m == "PACKET_MMAP"}
    linux = {r: (s, g, d) for m, r, s, g, d in rows if m == "LINUX"}
    assert mmap[160000][1] >= linux[160000][1]                   # batching receives more
    assert "~in" in text                                         # the DUT's live change

    widgets = [o for o in outputs
               if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert len(widgets) >= 7      # gen and dut: graph widget, controls, dashboard; one for both
    bokeh = json.dumps([o for o in outputs if o["output_type"] == "display_data"])
    assert "pktlab-sweep" in bokeh and "pktlab-loss" in bokeh
