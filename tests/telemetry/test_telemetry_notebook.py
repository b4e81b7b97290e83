"""notebooks/01-first-steps.ipynb runs top to bottom in a real kernel (nbclient)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat", reason="the lab extra: pip install -e '.[lab]'")
nbclient = pytest.importorskip("nbclient", reason="the dev extra: pip install -e '.[dev]'")

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "01-first-steps.ipynb"
LINE = re.compile(r"(\w+): +([\d.]+) Mpps, mean batch +([\d.]+) packets")


def test_first_steps_notebook_runs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), \
        "commit the notebook without outputs"
    client = nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                   for o in c.outputs if o.output_type == "stream")
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert not errors, errors
    readings = LINE.findall(text)
    # show(fwd) at BURST 32, then 4, then 64, then c2 after the live insertion.
    assert [(n, float(b)) for n, _, b in readings] == [("c", 32.0), ("c", 4.0), ("c", 64.0),
                                                       ("c2", 64.0)]
    assert all(float(mpps) > 0 for _, mpps, _ in readings)
    assert re.search(r"c2 \(new\) counted [1-9]\d*", text)
    widgets = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
               if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert len(widgets) >= 4              # controls and dashboard, for both %%click cells
    assert "fwd" in text and "running" in text      # %pktlab list
