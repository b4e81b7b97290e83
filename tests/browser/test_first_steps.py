"""notebooks/01-first-steps.ipynb in a real JupyterLab, in headless Chromium.

One notebook run serves every check (the module-scoped `first_steps` page):
the dashboard's data source grows in the page while no cell runs and while
another cell runs; moving the BURST slider in the page retunes the engine.
"""

from __future__ import annotations

import re
import time

import pytest

from .conftest import ROOT, Lab

NOTEBOOK = ROOT / "notebooks" / "01-first-steps.ipynb"

# The page's Bokeh documents (BokehJS loaded inline by the notebook): the
# newest dashboard's throughput source, its length and its last values.
SOURCE_JS = """(name) => {
    const docs = (window.Bokeh && window.Bokeh.documents) || [];
    const found = docs.map(d => d.get_model_by_name(name)).filter(m => m);
    if (!found.length) return null;
    const src = found[found.length - 1];
    const cols = {};
    const d = src.data;
    for (const [k, v] of (d instanceof Map ? d.entries() : Object.entries(d)))
        cols[k] = Array.from(v).slice(-5);
    return {n: src.get_length(), docs: found.length, cols: cols};
}"""


def source(lab: Lab, name: str = "pktlab-throughput"):
    return lab.page.evaluate(SOURCE_JS, name)


def wait_growth(lab: Lab, start: int, more: int, seconds: float = 60) -> int:
    """Wait (bounded) until the source has `more` points beyond `start`."""
    deadline = time.monotonic() + seconds
    n = start
    while time.monotonic() < deadline:
        n = source(lab)["n"]
        if n >= start + more:
            break
        lab.page.wait_for_timeout(200)
    return n


@pytest.fixture(scope="module")
def first_steps(browser, jupyter_server):
    """The notebook, opened and run in a page kept for this module's tests."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    page.set_default_timeout(30_000)
    lab = Lab(page, jupyter_server)
    lab.open(jupyter_server.copy(NOTEBOOK))
    lab.run_all(timeout=120)
    yield lab
    try:
        lab.shutdown()                  # the engine runs at full speed: stop it now
    finally:
        ctx.close()


@pytest.fixture
def nb(first_steps, request):
    """first_steps, with a screenshot on failure."""
    yield first_steps
    rep = getattr(request.node, "rep_call", None)
    if rep is None or rep.failed:
        from .conftest import ARTIFACTS

        ARTIFACTS.mkdir(exist_ok=True)
        first_steps.page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"),
                                    full_page=True)


def test_notebook_runs_without_errors(nb):
    assert nb.errors() == []
    out = nb.run_code("print(sorted(fwd.elements), fwd.running)")
    assert "['c', 'c2', 'sink', 'src'] True" in out


def test_plot_source_grows_while_idle_and_while_a_cell_runs(nb):
    first = source(nb)
    assert first is not None, "no pktlab-throughput source in the page's Bokeh documents"
    n = wait_growth(nb, first["n"], 5)
    assert n >= first["n"] + 5, "the plot did not grow while no cell ran"
    # While another cell runs (until the test says so), updates still arrive:
    # they come from the sampler thread, not from a cell.
    flag = nb.server.root_dir / "stop-waiting"
    idx = nb.add_cell(
        "import os, time\n"
        "for _ in range(3000):\n"
        "    if os.path.exists('stop-waiting'): break\n"
        "    time.sleep(0.1)\n"
        "print('waited')")
    nb.run_cell(idx, wait=False)
    try:
        nb.page.wait_for_function(
            "() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel"
            ".status === 'busy'")
        during0 = source(nb)["n"]
        during1 = wait_growth(nb, during0, 3)
        # The cell is still running (the kernel's status can flicker to idle
        # while it answers widget comm messages, so ask the cell itself).
        assert "waited" not in nb.output(idx)
    finally:
        flag.write_text("")
    assert during1 >= during0 + 3, "the plot did not grow while another cell ran"
    nb.wait_idle()
    assert "waited" in nb.output(idx)
    cols = source(nb)["cols"]
    mpps = [v for k, vs in cols.items() if re.fullmatch(r"e\d+", k) for v in vs]
    assert max(mpps) > 0


def _burst_slider(nb):
    """The newest src.BURST control (a SelectionSlider of powers of two).

    The test drives it from the keyboard (focus, arrows), which needs no
    scrolling: scrolling waits for the control to stop moving, and with the
    live plots above it reflowing on a loaded machine that wait timed out."""
    ctl = nb.page.locator(".pktlab-control-src-BURST").last
    ctl.wait_for(state="attached")
    return ctl


def _mean_batch(nb, wait: float = 1.5) -> tuple[int, float]:
    out = nb.run_code(
        f"import time; time.sleep({wait}); "
        "e = fwd.telemetry.snapshot()['elements']['c']; print(fwd['src'].burst, e['mean_batch'])")
    burst, mean = out.split()
    return int(burst), float(mean)


def test_burst_slider_in_the_page_retunes_the_engine(nb):
    burst0, mean0 = _mean_batch(nb, wait=0.1)
    assert burst0 == 64 and mean0 == pytest.approx(64, rel=0.01)
    ctl = _burst_slider(nb)
    handle = ctl.locator(".noUi-handle")
    handle.focus()
    for _ in range(3):                  # 64 -> 32 -> 16 -> 8
        handle.press("ArrowLeft")
    expect_text = ctl.locator(".widget-readout")
    nb.page.wait_for_function("(el) => el.textContent.trim() === '8'",
                              arg=expect_text.element_handle())
    deadline = time.monotonic() + 10
    burst = None
    while time.monotonic() < deadline:
        burst, mean = _mean_batch(nb)
        if burst == 8:
            break
    assert burst == 8, "moving the slider did not change the engine's burst handler"
    assert mean == pytest.approx(8, rel=0.05), "the measured mean batch size did not follow"
    # The page's dashboard shows it too: the latest mean batch of `c` is about 8.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        cols = source(nb)["cols"]
        batch = [vs[-1] for k, vs in cols.items() if k.startswith("be")]
        if any(abs(b - 8) < 0.5 for b in batch):
            break
        nb.page.wait_for_timeout(300)
    assert any(abs(b - 8) < 0.5 for b in batch), cols
    marks = source(nb, "pktlab-markers")
    assert marks is not None and marks["n"] >= 1
