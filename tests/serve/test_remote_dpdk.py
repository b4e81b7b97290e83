"""An unprivileged notebook drives a root DPDK engine: `pktlab serve` runs
examples/dpdk-forward.click (net_null virtual devices) as root; a notebook
whose kernel runs as `nobody` attaches with %%click --remote, gets its views,
retunes BURST (live), rebuilds the rings (NDESC: the workers parked, the
loss reported), moves a slider and changes the graph through the widget."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT, run_notebook_as_nobody

sys.path.insert(0, str(ROOT / "tests" / "io"))
from iohelpers import needs_dpdk  # noqa: E402

sys.path.pop(0)

pytestmark = [needs_dpdk, pytest.mark.skipif(
    os.geteuid() != 0 or not shutil.which("setpriv"),
    reason="needs root and setpriv (the engine as root, the notebook as nobody)")]

CELLS = [
    "%load_ext pktlab\nimport os, time\nimport pktlab\nSOCK = os.environ['PKTLAB_SOCK']",
    "%%click fwd --remote unix:{SOCK}\n// attach to the served engine",
    """print("uid", os.geteuid(), "count>0", fwd["c"].count > 0, "classes", fwd["in"].cls)
fwd["in"].burst = 8
fwd["out"].burst = 8
time.sleep(1.5)
print("mean batch", round(fwd.telemetry.snapshot()["elements"]["c"]["mean_batch"], 1))
fwd["in"].ndesc = 1024
print("ndesc", fwd["in"].ndesc, "lost", fwd.history[-1].lost)""",
    """from pktlab.notebook.controls import Controls
ctl = Controls(fwd)
ctl[("in", "BURST")].value = 16
print("slider burst", fwd["in"].burst)
w = pktlab.GraphWidget(fwd)
w.editor.insert("Null", w.editor.graph.outputs_of("c")[0])
w.apply()
print("elements", fwd.elements, "last", fwd.history[-1].label)""",
]


def test_a_nobody_notebook_drives_a_root_dpdk_engine():
    d = Path(tempfile.mkdtemp(prefix="pktlab-dpdk-"))
    os.chmod(d, 0o755)
    sock = d / "fwd.sock"
    p = subprocess.Popen([sys.executable, "-m", "pktlab", "serve",
                          str(ROOT / "examples" / "dpdk-forward.click"), "-u", str(sock),
                          "--socket-mode", "0666"], cwd=ROOT, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not sock.exists():
            assert p.poll() is None and time.monotonic() < deadline, p.communicate()[1]
            time.sleep(0.05)
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(c) for c in CELLS]
        nbformat.write(nb, d / "drive.ipynb")
        outputs = run_notebook_as_nobody(d / "drive.ipynb", {"PKTLAB_SOCK": str(sock)})
    finally:
        p.terminate()
        err = p.communicate(timeout=30)[1]
        shutil.rmtree(d, ignore_errors=True)
    errors = [o for o in outputs if o["output_type"] == "error"]
    assert not errors, errors
    text = "".join(o.get("text", "") for o in outputs if o["output_type"] == "stream")
    assert re.search(r"uid (\d+)", text).group(1) != "0"
    assert "count>0 True classes FromDPDKDevice" in text
    assert float(re.search(r"mean batch ([\d.]+)", text).group(1)) == pytest.approx(8.0, abs=0.5)
    assert re.search(r"ndesc 1024 lost \d+", text)
    assert "slider burst 16" in text
    assert "elements ['in', 'c', 'out', 'null1'] last +null1" in text, text
    widgets = [o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert len(widgets) >= 3, err
