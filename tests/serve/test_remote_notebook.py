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
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "03-remote-engines.ipynb"
LINE = re.compile(r"(LINUX|PACKET_MMAP) +offered +(\d+) pps: sent (\d+), received (\d+), "
                  r"dropped (\d+)")

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or not shutil.which("ip") or not shutil.which("setpriv"),
    reason="needs root, iproute2 and setpriv (namespaces; the notebook runs as nobody)")

RUN = """
import json, sys, nbformat, nbclient
nb = nbformat.read(sys.argv[1], as_version=4)
assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), "committed with outputs"
nbclient.NotebookClient(nb, timeout=240, kernel_name="python3",
                        resources={"metadata": {"path": sys.argv[2]}}).execute()
outs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
json.dump(outs, open(sys.argv[3], "w"))
"""


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


def nobody_python() -> tuple[str, str]:
    """A Python `nobody` may run (this one may live under /root), and the path
    that finds this checkout's packages from it."""
    import sysconfig

    name = f"python{sys.version_info.major}.{sys.version_info.minor}"
    py = shutil.which(name, path="/usr/bin:/usr/local/bin")
    if py is None:
        pytest.skip(f"needs /usr/bin/{name} for the user nobody")
    return py, f"{ROOT}:{ROOT / 'notebooks'}:{sysconfig.get_paths()['purelib']}"


def test_two_engines_one_unprivileged_notebook(bed):
    py, path = nobody_python()
    home = Path(tempfile.mkdtemp(prefix="pktlab-nobody-"))
    try:
        shutil.chown(home, "nobody", "nogroup")
        out = home / "outputs.json"
        env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "PYTHONPATH": path,
               "PKTLAB_TESTBED": os.path.join(bed.dir, "testbed.json")}
        r = subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                            py, "-c", RUN, str(NOTEBOOK), str(NOTEBOOK.parent),
                            str(out)], cwd=home, env=env, capture_output=True, text=True,
                           timeout=400)
        assert r.returncode == 0, r.stderr[-4000:]
        outputs = json.loads(out.read_text())
    finally:
        shutil.rmtree(home, ignore_errors=True)
    errors = [o for o in outputs if o["output_type"] == "error"]
    assert not errors, errors
    text = "".join(o.get("text", "") for o in outputs if o["output_type"] == "stream")
    assert re.search(r"I am uid (\d+)", text).group(1) != "0"

    rows = [(m, int(r), int(s), int(g), int(d)) for m, r, s, g, d in LINE.findall(text)]
    assert [(m, r) for m, r, *_ in rows] == [(m, r) for m in ("LINUX", "PACKET_MMAP")
                                             for r in (10000, 20000, 40000, 80000, 160000)]
    for method, rate, sent, got, dropped in rows:
        assert sent >= 0.9 * rate, (method, rate, sent)          # the trace went out
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
