"""The graph widget and the JupyterLab extension in a real JupyterLab, in
headless Chromium: the graph drawn right, editing through the UI changes
the running engine, invalid parameters are refused inline, a saved notebook
shows its graph without a kernel, %%click cells and .click files get Click
highlighting.

One notebook page serves the module (started once: its kernel runs the
engines); each check works on its own widget.
"""

from __future__ import annotations

import json

import pytest

from pktlab.lang import parse_file

from .conftest import ARTIFACTS, ROOT, Lab

DATA = ROOT / "tests" / "browser" / "data"
SHAPES = [DATA / "router_shape.click"] + [p for p in [ROOT / "examples" / "router.click"]
                                          if p.exists()]
FORWARD = "src :: InfiniteSource(LENGTH 64, BURST 32) -> c :: Counter -> sink :: Discard;"
NOTEBOOK = "widget.ipynb"
# kernel code: does a count grow (bounded wait, in the kernel)?
GROWS = """import time
def grows(read, limit=15.0):
    first, end = read(), time.monotonic() + limit
    while time.monotonic() < end:
        time.sleep(0.05)
        if read() > first:
            return True
    return False
"""


def _notebook(cells: list[str]) -> str:
    return json.dumps({
        "cells": [{"cell_type": "code", "execution_count": None, "id": f"c{i}", "metadata": {},
                   "outputs": [], "source": src} for i, src in enumerate(cells)],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                    "name": "python3"}},
        "nbformat": 4, "nbformat_minor": 5})


@pytest.fixture(scope="module")
def wlab(browser, jupyter_server):
    """The widget notebook, run once: cell k shows SHAPES[k]'s widget, the
    next one a widget on a running engine (`w`)."""
    cells = ["import pktlab, pktlab.notebook.widget as pw"]
    for p in SHAPES:
        name = jupyter_server.copy(p)
        cells.append(f"pw.GraphWidget(pktlab.parse_file({name!r}))")
    cells.append(f"eng = pktlab.Engine({FORWARD!r}); eng.start()\nw = pw.GraphWidget(eng); w")
    (jupyter_server.root_dir / NOTEBOOK).write_text(_notebook(cells))
    ctx = browser.new_context(viewport={"width": 1500, "height": 1100})
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
    try:  # stop the kernel and its engine (the saved-notebook test did, if it ran)
        page.evaluate("() => { for (const w of window.jupyterapp.shell.widgets('main'))"
                      " if (w.sessionContext) w.sessionContext.shutdown(); }")
    finally:
        ctx.close()


@pytest.fixture
def nb(wlab, request):
    """wlab, with a screenshot on failure."""
    yield wlab
    rep = getattr(request.node, "rep_call", None)
    if rep is None or rep.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        wlab.page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
        (ARTIFACTS / f"{request.node.name}.log").write_text("\n".join(wlab.console))


def widget(lab: Lab, cell: int):
    w = lab.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell").nth(cell).locator(".pktlab-widget")
    w.locator("g.pl-node").first.wait_for()
    return w


@pytest.mark.parametrize("shape", range(len(SHAPES)), ids=[p.name for p in SHAPES])
def test_widget_draws_every_element_and_edge(nb, shape):
    g = parse_file(SHAPES[shape])
    w = widget(nb, 1 + shape)
    assert nb.errors() == []
    assert w.locator("g.pl-node").count() == len(g.elements)
    assert w.locator("g.pl-edge").count() == len(g.connections)
    names = set(w.locator("g.pl-node").evaluate_all("ns => ns.map(n => n.dataset.name)"))
    assert names == set(g.elements)
    # the palette lists the engine's classes, searchable
    w.locator(".pl-search").fill("counter")
    visible = w.locator(".pl-class:visible").evaluate_all("ls => ls.map(l => l.dataset.class)")
    assert "Counter" in visible and "Discard" not in visible
    w.locator(".pl-search").fill("")


def test_counter_inserted_on_an_edge_and_applied_counts_in_the_engine(nb):
    cell = 1 + len(SHAPES)
    w = widget(nb, cell)
    # a straight edge has a zero-height box: click its middle, where the stroke is
    w.locator('g.pl-edge[data-edge="c:0:sink:0"] .pl-edge-hit').click(force=True)
    w.locator('.pl-class[data-class="Counter"]').click()
    w.locator('button[data-action="insert"]').click()
    w.locator('g.pl-node[data-name="counter1"]').wait_for()
    assert w.locator("g.pl-node").count() == 4
    apply = w.locator('button[data-action="apply"]')
    assert apply.is_enabled()
    apply.click()
    nb.page.wait_for_function(
        "(el) => el.querySelector('.pl-status').textContent.startsWith('applied')",
        arg=w.element_handle())
    out = nb.run_code(GROWS + "print(grows(lambda: w.engine['counter1'].count), "
                      "w.engine is eng, w.engine.running)")
    assert out.split() == ["True", "True", "True"], out


def test_invalid_parameter_shows_inline_error_and_engine_is_unchanged(nb):
    w = widget(nb, 1 + len(SHAPES))
    w.locator('g.pl-node[data-name="src"] .pl-box').click()
    burst = w.locator('.pl-form input[data-param="BURST"]')
    assert burst.input_value() == "32"
    burst.fill("99999")
    w.locator('.pl-form button[data-action="set"]').click()
    err = w.locator('.pl-field-error[data-param="BURST"]')
    err.wait_for()
    assert "out of range 1..4096" in err.text_content()
    out = nb.run_code("print(w.engine['src'].burst, '|', w.graph.elements['src'].config, '|',"
                      " w.pending.get('count'))")
    assert out.strip() == "32 | LENGTH 64, BURST 32 | 0", out


def test_saved_notebook_shows_the_graph_without_a_kernel(nb):
    page = nb.page
    # save, stop the kernel (and its engine), close: as File > Save, Kernel >
    # Shut Down, close tab, without their confirmation dialogs
    page.evaluate("""async () => {
        const w = window.jupyterapp.shell.currentWidget;
        await w.context.save();
        await w.sessionContext.shutdown();
        w.dispose();
    }""")
    page.evaluate("""(path) => { window.jupyterapp.commands.execute('docmanager:open',
        {path, factory: 'Notebook',
         kernelPreference: {shouldStart: false, canStart: false, autoStartDefault: false}}); }""",
                  NOTEBOOK)
    page.wait_for_function("(path) => { const w = window.jupyterapp.shell.currentWidget;"
                           " return !!(w && w.context && w.context.path === path &&"
                           " w.content.widgets && w.content.widgets.length > 0); }", arg=NOTEBOOK)
    # no kernel: shut down any that a preference started anyway
    page.evaluate("() => { window.jupyterapp.shell.currentWidget.sessionContext.shutdown(); }")
    g = parse_file(SHAPES[0])
    saved = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell").nth(1).locator(".pktlab-mime")
    saved.locator("g.pl-node").first.wait_for()
    assert saved.locator("g.pl-node").count() == len(g.elements)
    assert saved.locator("g.pl-edge").count() == len(g.connections)
    edited = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell").nth(1 + len(SHAPES)).locator(".pktlab-mime")
    edited.locator('g.pl-node[data-name="counter1"]').wait_for()
    assert page.locator(".jp-Notebook .pktlab-widget").count() == 0
    page.wait_for_function("() => !window.jupyterapp.shell.currentWidget.sessionContext"
                           ".session?.kernel")


def test_click_cells_and_files_are_highlighted(nb, jupyter_server):
    page = nb.page
    page.evaluate("""() => {
        const nb = window.jupyterapp.shell.currentWidget.content;
        nb.model.sharedModel.insertCell(0, {cell_type: 'code',
            source: '%%click\\nsrc :: InfiniteSource(LENGTH 64) -> c :: Counter -> Discard;'});
    }""")
    cell = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell").first
    cell.locator('.cm-content[data-language="click"]').wait_for()
    assert page.evaluate("() => window.jupyterapp.shell.currentWidget.content.widgets[0]"
                         ".model.mimeType") == "text/x-click"
    styled = cell.locator(".cm-line span").evaluate_all(
        "ss => ss.filter(s => s.className).map(s => s.textContent)")
    assert "InfiniteSource" in styled and "::" in styled
    # a .click file: the Click editor with its graph preview beside it
    path = jupyter_server.copy(DATA / "router_shape.click", "preview.click")
    nb.command("docmanager:open", {"path": path})
    editor = page.locator(".pktlab-click-editor")
    editor.locator('.cm-content[data-language="click"]').wait_for()
    g = parse_file(DATA / "router_shape.click")
    editor.locator(".pktlab-preview g.pl-node").first.wait_for()
    assert editor.locator(".pktlab-preview g.pl-node").count() == len(g.elements)
