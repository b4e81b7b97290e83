"""Issue 21's numbers in a real JupyterLab, with a pull graph (issue 16):
one %%click cell re-run many times (PKTLAB_RERUNS, 50 for the issue's
count) leaves one sampler listener, one live widget and one dashboard; the
kernel's widgets stay the same, the kernel's RSS and the page's JS heap
(Chromium's, after a forced GC) grow less than a leak of one run's faces
would make them (see the bounds below); the page logs no error; the sliders and the engine agree after each
kind of change (a write from code, a slider moved in the page, a re-run, a
restart); the widget draws the pull edges dashed, with a legend.
"""

from __future__ import annotations

import json
import os

import pytest

from .conftest import ARTIFACTS, Lab

CELL = ("%%click pl\n"
        "src :: RatedSource(LENGTH 64, RATE 20000) -> q :: Queue(CAPACITY 200)\n"
        "  -> u :: RatedUnqueue(RATE 5000) -> c :: Counter -> Discard;")
PROBE = """import gc
from ipywidgets.widgets import widget as _w
from pktlab.notebook import magics
gc.collect()
print(magics.SESSIONS['pl'].sampler.listeners, len(pl._listeners), len(_w._instances),
      int(open('/proc/self/statm').read().split()[1]) * 4096)"""
NOTEBOOK = "reruns.ipynb"
# CI re-runs the cell 10 times (a re-run takes 2-10 s on two shared cores);
# PKTLAB_RERUNS=50 gives issue 21's count. The first measurement comes after
# WARM re-runs (caches, compiled code).
RERUNS = int(os.environ.get("PKTLAB_RERUNS", "10"))
WARM = int(os.environ.get("PKTLAB_RERUNS_WARM", "4"))
# Bounds per re-run after the warm-up. The graph widget's front end imported
# anew per widget cost ~7.3 MiB of JS heap per re-run (pktlab/notebook/
# frontend.py); the kernel side of one run's faces is ~1 MiB of RSS.
# Known and not flat yet: each re-run's dashboard leaves ~2-3 MiB of JS heap
# and 3 BokehJS root views behind (jupyter_bokeh never disposes a removed
# view's document; BokehJS never removes a document's Notifications view).
JS_HEAP_PER_RERUN = 5 << 20
KERNEL_RSS_PER_RERUN = 1 << 20


@pytest.fixture(scope="module")
def rlab(browser, jupyter_server):
    cells = ["%load_ext pktlab", CELL, PROBE]
    nb = {"cells": [{"cell_type": "code", "execution_count": None, "id": f"r{i}", "metadata": {},
                     "outputs": [], "source": src} for i, src in enumerate(cells)],
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
def nb(rlab, request):
    yield rlab
    rep = getattr(request.node, "rep_call", None)
    if rep is None or rep.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        rlab.page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
        (ARTIFACTS / f"{request.node.name}.log").write_text("\n".join(rlab.console))


def cell(lab: Lab, i: int):
    return lab.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell").nth(i)


def page_errors(lab: Lab) -> list[str]:
    return [m for m in lab.console if m.startswith(("error", "pageerror"))
            or "inconsistent lengths" in m or "Size mismatch" in m]


def probe(lab: Lab) -> tuple[int, int, int, int]:
    listeners, engine_listeners, widgets, rss = lab.run_cell(2).split()
    return int(listeners), int(engine_listeners), int(widgets), int(rss)


def js_heap(cdp) -> int:
    """Chromium's JS heap in use after a full GC (DevTools protocol)."""
    cdp.send("HeapProfiler.collectGarbage")
    return int(cdp.send("Runtime.getHeapUsage")["usedSize"])


def bokeh_views(lab: Lab) -> int:
    return lab.page.evaluate("() => window.Bokeh ? Object.keys(window.Bokeh.index).length : -1")


def wait_faces(lab: Lab) -> None:
    c = cell(lab, 1)
    c.locator(".pktlab-widget g.pl-node").first.wait_for()
    c.locator(".pktlab-dashboard").first.wait_for()


def test_fifty_reruns_stay_flat(nb):
    cdp = nb.page.context.new_cdp_session(nb.page)
    for k in range(RERUNS):
        nb.run_cell(1, timeout=90)
        if k == WARM - 1:
            wait_faces(nb)
            first = probe(nb), js_heap(cdp), bokeh_views(nb)
    wait_faces(nb)
    last = probe(nb), js_heap(cdp), bokeh_views(nb)
    (l0, e0, w0, rss0), heap0, views0 = first
    (l1, e1, w1, rss1), heap1, views1 = last
    report = (f"after {WARM} and {RERUNS} re-runs: listeners {l0}/{l1}, engine listeners "
              f"{e0}/{e1}, kernel widgets {w0}/{w1}, kernel RSS {rss0 >> 20}/{rss1 >> 20} MiB, "
              f"JS heap {heap0 / 2**20:.1f}/{heap1 / 2**20:.1f} MiB, Bokeh views "
              f"{views0}/{views1}")
    print(report)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "reruns-numbers.txt").write_text(report + "\n")
    assert (l1, e1) == (1, 2), report            # the session's sampler listener; engine: 2
    assert w1 == w0, report                      # no face outlives its run
    n = RERUNS - WARM
    assert rss1 - rss0 < n * KERNEL_RSS_PER_RERUN, report
    assert heap1 - heap0 < n * JS_HEAP_PER_RERUN, report
    c = cell(nb, 1)
    assert c.locator(".pktlab-widget").count() == 1
    assert c.locator(".pktlab-dashboard").count() == 1
    assert page_errors(nb) == []


def _control(nb, name: str):
    return cell(nb, 1).locator(f".pktlab-control-{name}")


def _engine(nb, expr: str) -> str:
    return nb.run_code(f"print({expr})").strip()


def test_sliders_follow_every_change_kind_and_pull_edges_are_dashed(nb):
    wait_faces(nb)
    w = cell(nb, 1).locator(".pktlab-widget")
    pull = w.locator("g.pl-edges > g.pl-edge.pl-pull").count()
    push = w.locator("g.pl-edges > g.pl-edge.pl-push").count()
    assert (push, pull) == (3, 1), (push, pull)  # only q -> u is pulled
    dash = w.locator("g.pl-edges > g.pl-edge.pl-pull .pl-edge-line").first.evaluate(
        "(el) => getComputedStyle(el).strokeDasharray")
    assert dash not in ("", "none"), dash
    assert w.locator(".pl-legend-pull").count() == 1
    # a write from code moves the page's slider
    nb.run_code("pl['q'].capacity = 512")
    readout = _control(nb, "q-CAPACITY").locator(".widget-readout").last
    nb.page.wait_for_function("(el) => el.textContent.trim() === '512'",
                              arg=readout.element_handle())
    # the slider moved in the page changes the engine
    handle = _control(nb, "q-CAPACITY").locator(".noUi-handle")
    handle.focus()
    handle.press("ArrowRight")                   # the next stop: 1024
    nb.page.wait_for_function(
        "(el) => el.textContent.trim() !== '512'", arg=readout.element_handle())
    shown = readout.text_content().strip()
    assert _engine(nb, "pl['q'].capacity") == shown
    # a re-run keeps what runs, and the slider says so
    nb.run_cell(1, timeout=90)
    wait_faces(nb)
    readout = _control(nb, "q-CAPACITY").locator(".widget-readout").last
    assert readout.text_content().strip() == _engine(nb, "pl['q'].capacity")
    # a restart: the rate set from code shows on the slider of the new engine
    nb.run_code("%pktlab stop pl\n%pktlab start pl\npl['u'].rate = 1000")
    rate = _control(nb, "u-RATE").locator(".widget-readout").last
    nb.page.wait_for_function("(el) => parseFloat(el.textContent) === 1000",
                              arg=rate.element_handle())
    assert float(_engine(nb, "pl['u'].rate")) == 1000
    assert page_errors(nb) == []
