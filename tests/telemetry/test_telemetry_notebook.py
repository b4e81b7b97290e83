"""notebooks/01-first-steps.ipynb runs top to bottom in a real kernel (nbclient)."""

from __future__ import annotations

import re
from pathlib import Path

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "01-first-steps.ipynb"
LINE = re.compile(r"(\w+): +([\d.]+) Mpps, mean batch +([\d.]+) packets")


def test_first_steps_notebook_runs(run_notebook):
    text, outputs = run_notebook(NOTEBOOK)
    readings = LINE.findall(text)
    # show(fwd) at BURST 32, then 4, then 64, then c2 after the live insertion.
    assert [(n, float(b)) for n, _, b in readings] == [("c", 32.0), ("c", 4.0), ("c", 64.0),
                                                       ("c2", 64.0)]
    assert all(float(mpps) > 0 for _, mpps, _ in readings)
    assert re.search(r"c2 \(new\) counted [1-9]\d*", text)
    widgets = [o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert len(widgets) >= 4              # controls and dashboard, for both %%click cells
    assert "fwd" in text and "running" in text      # %pktlab list
