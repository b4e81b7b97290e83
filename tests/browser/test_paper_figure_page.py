"""A paper figure notebook in a real JupyterLab, as a student opens it: run
top to bottom, its figure drawn in the page (BokehJS), every point there."""

from __future__ import annotations

from .conftest import ROOT, Lab
from .test_first_steps import source

NOTEBOOK = ROOT / "notebooks" / "paper" / "fig08-execution-models.ipynb"


def test_fig8_notebook_draws_its_figure(browser, jupyter_server):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    page.set_default_timeout(30_000)
    lab = Lab(page, jupyter_server)
    try:
        lab.open(jupyter_server.copy(NOTEBOOK, "paper/fig08-execution-models.ipynb"))
        lab.run_all(timeout=120)
        assert lab.errors() == []
        for mode in ("per wall second", "per CPU-second"):
            src = source(lab, f"pktlab-fig-{mode}")
            assert src is not None and src["n"] == 5, src       # one bar per model
            assert all(v > 0 for v in src["cols"]["y"])
        assert page.locator(".bk-Figure canvas, canvas").count() > 0
        text = page.locator(".jp-OutputArea-output").all_inner_texts()
        assert any("ratio:" in t for t in text)
    finally:
        try:
            lab.shutdown()
        finally:
            ctx.close()
