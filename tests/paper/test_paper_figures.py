"""The paper's figure notebooks (notebooks/paper/) run top to bottom in a real
kernel (nbclient), and each figure has the shape of the paper's claim: the
ratio the notebook prints, not absolute numbers (this machine is shared).
`pktlab bench figN --csv` prints the same rows headless."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pktlab.engine import dpdk

ROOT = Path(__file__).resolve().parents[2]
PAPER = ROOT / "notebooks" / "paper"
needs_dpdk = pytest.mark.skipif(not dpdk.available(),
                                reason="pktlab was built without DPDK (libdpdk-dev missing)")

# notebook, figure, the least ratio that keeps the paper's claim, CSV columns
CASES = [
    pytest.param("fig05-io-batching.ipynb", "fig5", 1.5, {"burst", "mode", "mpps", "mpps_cpu"},
                 marks=needs_dpdk, id="fig5"),
    pytest.param("fig06-ring-size.ipynb", "fig6", 0.75, {"burst", "mode", "ndesc", "mpps_cpu"},
                 marks=needs_dpdk, id="fig6"),
    pytest.param("fig09-zero-copy.ipynb", "fig9", 1.2, {"frame", "mode", "mpps_cpu", "copies"},
                 marks=needs_dpdk, id="fig9"),
    pytest.param("fig11-multiqueue.ipynb", "fig11", 1.15, {"threads", "mode", "mpps"},
                 marks=needs_dpdk, id="fig11"),
    pytest.param("fig15-compute-batching.ipynb", "fig15", 1.5, {"frame", "mode", "mpps"},
                 id="fig15"),
    pytest.param("fig08-execution-models.ipynb", "fig8", 1.1, {"model", "mode", "mpps"},
                 id="fig8"),
    # 2 threads keep most of one thread's packets per CPU-second (a shared lock would not)
    pytest.param("scaling-two-threads.ipynb", "scaling", 0.6, {"threads", "mode", "mpps"},
                 id="scaling"),
    pytest.param("fig03-flow-sizes.ipynb", "fig3", 10.0, {"size", "mode", "share"}, id="fig3"),
]


def _rows(path: Path) -> list[dict]:
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("notebook, name, least, columns", CASES)
def test_paper_notebook(run_notebook, tmp_path, monkeypatch, notebook, name, least, columns):
    monkeypatch.setenv("PKTLAB_FIGURES_OUT", str(tmp_path))
    text, outputs = run_notebook(PAPER / notebook, timeout=240)
    ratio = float(re.search(r"^ratio: ([\d.]+|inf)$", text, re.M).group(1))
    if ratio <= least:
        # A shared 2-core machine can starve one run (two workers and the kernel
        # on two cores): the claim must hold in one of two runs, not in both.
        text, outputs = run_notebook(PAPER / notebook, timeout=240)
        ratio = float(re.search(r"^ratio: ([\d.]+|inf)$", text, re.M).group(1))
    assert ratio > least, text
    print(f"{name}: ratio {ratio:.2f}; " + re.search(r"notebook ran in \d+ s", text).group(0))

    rows = _rows(tmp_path / f"{name}.csv")
    assert rows and columns <= set(rows[0]), rows[:2]
    y = sorted(columns & {"mpps", "mpps_cpu", "share"})[0]
    assert all(float(r[y]) >= 0 for r in rows)
    page = (tmp_path / f"{name}.html").read_text()
    assert "Bokeh" in page and f"pktlab-paper-{name}" in page
    widgets = [o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert widgets, "the live figure is a widget (jupyter_bokeh)"

    if name == "fig9":          # zero copy copies nothing; COPY true copies every packet
        assert all((int(r["copies"]) == 0) == (r["mode"] == "zero copy") for r in rows)
        small, large = (min(int(r["frame"]) for r in rows), max(int(r["frame"]) for r in rows))
        by = {(int(r["frame"]), r["mode"]): float(r["mpps_cpu"]) for r in rows}
        assert by[small, "copy"] / by[small, "zero copy"] > by[large, "copy"] / by[large, "zero copy"]
    if name == "fig3":          # the counted flows follow the generator's law
        gen = {int(r["size"]): float(r["share"]) for r in rows if r["mode"] == "generated traffic"}
        assert abs(gen[1] - 0.41) < 0.03 and gen[1] > gen[2] > gen[4] > gen[16]


def test_bench_figure_csv():
    """`pktlab bench fig3 --csv`: one CSV line per point, the header first."""
    r = subprocess.run([sys.executable, "-m", "pktlab", "bench", "fig3", "--csv"],
                       capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert len(rows) == 2 * 128 and set(rows[0]) == {"size", "mode", "share"}
    assert abs(sum(float(x["share"]) for x in rows if x["mode"].startswith("model")) - 1) < 1e-4


@needs_dpdk
def test_bench_dpdk_figure_csv():
    r = subprocess.run([sys.executable, "-m", "pktlab", "bench", "fig9", "--csv",
                        "--duration", "0.1"], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [(int(x["frame"]), x["mode"]) for x in rows[:2]] == [(64, "zero copy"), (64, "copy")]
    assert len(rows) == 12 and all(float(x["mpps"]) > 0 for x in rows)


def test_bench_csv_needs_a_figure():
    r = subprocess.run([sys.executable, "-m", "pktlab", "bench", "swap", "--csv"],
                       capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert r.returncode == 2 and "has no table of rows" in r.stderr and "fig5" in r.stderr
