"""A %%click session in a real JupyterLab (issue 21), as a user drives it:
the cell run again and again keeps one live widget (the older outputs say
they were replaced), a value set from code moves the page's slider and is
written into the cell's text, a failed re-run shows the error with its
suggestion above the widget that still follows the running engine, the
widget fits the graph and zooms, and the page logs no error throughout.
"""

from __future__ import annotations

import json

import pytest

from .conftest import ARTIFACTS, Lab

CELL = "%%click fwd\nsrc :: InfiniteSource(LENGTH 64, BURST 32) -> c :: Counter -> sink :: Discard;"
NOTEBOOK = "session.ipynb"


@pytest.fixture(scope="module")
def slab(browser, jupyter_server):
    nb = {"cells": [{"cell_type": "code", "execution_count": None, "id": f"s{i}", "metadata": {},
                     "outputs": [], "source": src} for i, src in enumerate(["%load_ext pktlab",
                                                                             CELL])],
          "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                      "name": "python3"}},
          "nbformat": 4, "nbformat_minor": 5}
    (jupyter_server.root_dir / NOTEBOOK).write_text(json.dumps(nb))
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    page.set_default_timeout(30_000)
    console: list[str] = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
    lab = Lab(page, jupyter_server)
    lab.console = console
    lab.open(NOTEBOOK)
    lab.run_all(timeout=120)
    yield lab
    try:
        lab.shutdown()
    finally:
        ctx.close()


@pytest.fixture
def nb(slab, request):
    yield slab
    rep = getattr(request.node, "rep_call", None)
    if rep is None or rep.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        slab.page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
        (ARTIFACTS / f"{request.node.name}.log").write_text("\n".join(slab.console))


def cell(lab: Lab, i: int):
    # the shown notebook's cell: JupyterLab restores other tabs (another
    # module's notebook) whose cells stay in the page, hidden
    return lab.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell").nth(i)


def source(lab: Lab, i: int) -> str:
    return lab.page.evaluate(
        "(i) => window.jupyterapp.shell.currentWidget.content.widgets[i].model.sharedModel"
        ".getSource()", i)


def set_source(lab: Lab, i: int, text: str) -> None:
    lab.page.evaluate(
        "([i, t]) => window.jupyterapp.shell.currentWidget.content.widgets[i].model.sharedModel"
        ".setSource(t)", [i, text])


def page_errors(lab: Lab) -> list[str]:
    return [m for m in lab.console if m.startswith(("error", "pageerror"))
            or "inconsistent lengths" in m or "Size mismatch" in m]


def test_reruns_keep_one_live_widget_and_one_listener(nb):
    for k in range(6):
        nb.run_cell(1, timeout=90)
        if k % 2:                                      # a restart between re-runs
            nb.run_code("%pktlab stop fwd\n%pktlab start fwd")
    c = cell(nb, 1)
    c.locator(".pktlab-widget g.pl-node").first.wait_for()
    assert c.locator(".pktlab-widget").count() == 1
    out = nb.run_code("from pktlab.notebook import magics\n"
                      "s = magics.SESSIONS['fwd']\n"
                      "print(s.sampler.listeners, len(fwd._listeners), fwd.running)")
    assert out.split() == ["1", "2", "True"], out      # the session's and the sampler's
    assert page_errors(nb) == []


def test_a_value_set_from_code_moves_the_slider_and_the_cell_text(nb):
    nb.run_code("fwd['src'].burst = 8")
    readout = cell(nb, 1).locator(".pktlab-control-src-BURST .widget-readout").last
    nb.page.wait_for_function("(el) => el.textContent.trim() === '8'",
                              arg=readout.element_handle())
    nb.page.wait_for_function(
        "() => window.jupyterapp.shell.currentWidget.content.widgets[1].model.sharedModel"
        ".getSource().includes('BURST 8')")
    text = source(nb, 1)
    assert text.startswith("%%click fwd") and "BURST 32" not in text, text
    # run again: the cell now says what runs, nothing is undone
    nb.run_cell(1, timeout=90)
    assert nb.run_code("print(fwd['src'].burst)").strip() == "8"
    assert page_errors(nb) == []


def test_a_failed_rerun_shows_the_error_above_the_widget_of_the_running_engine(nb):
    good = source(nb, 1)
    set_source(nb, 1, good.replace(":: Counter", ":: Countr"))
    out = nb.run_cell(1, timeout=90)
    try:
        assert "did you mean 'Counter'" in out, out
        c = cell(nb, 1)
        c.locator(".pktlab-widget g.pl-node").first.wait_for()
        assert c.locator(".pktlab-widget").count() == 1
        assert nb.run_code("print(fwd.running, 'c' in fwd)").split() == ["True", "True"]
    finally:
        set_source(nb, 1, good)
        nb.run_cell(1, timeout=90)


def test_the_widget_fits_the_graph_and_zooms(nb):
    w = cell(nb, 1).locator(".pktlab-widget")
    w.locator("g.pl-node").first.wait_for()
    fits = w.evaluate("(el) => [el.querySelector('.pl-svg').getBoundingClientRect().width,"
                      " el.querySelector('.pl-canvas').clientWidth, Number(el.dataset.zoom)]")
    assert fits[0] <= fits[1] + 1, fits
    zoom0 = fits[2]
    w.locator('button[data-action="zoom-in"]').click()
    assert float(w.get_attribute("data-zoom")) > zoom0
    w.locator('button[data-action="fit"]').click()
    assert float(w.get_attribute("data-zoom")) == pytest.approx(zoom0, abs=0.01)
    # no label runs out of its box
    over = w.evaluate("""(el) => [...el.querySelectorAll('g.pl-node')].filter(g => {
        const b = g.querySelector('.pl-box').getBoundingClientRect();
        return [...g.querySelectorAll('text')].some(t => { const r = t.getBoundingClientRect();
            return r.width && (r.left < b.left - 1 || r.right > b.right + 1); }); }).length""")
    assert over == 0
