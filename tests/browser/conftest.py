"""Shared fixtures for browser tests: a real JupyterLab and headless Chromium.

    jupyter_server  one `jupyter lab` per session on 127.0.0.1, root dir in a
                    temp folder: .url, .root_dir, .log (its output file),
                    .copy(path) puts a file (a notebook) into the root dir
    browser         Debian's /usr/bin/chromium driven by Python Playwright
    page            a fresh page; on failure a screenshot (and the page's
                    console) go to test-artifacts/<test>.png / .log
    lab             a Lab helper on that page: open a notebook, run all,
                    wait for the kernel to be idle, run code in a new cell

Playwright's own browser download cannot work offline: we launch Debian's
Chromium (`apt-get install chromium`; PKTLAB_CHROMIUM overrides the path).
Tests are skipped, saying why, only on machines without that browser or
without the `lab` extra installed.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("PKTLAB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-dev-shm-usage"]


def _need(module: str, why: str):
    try:
        __import__(module)
    except ImportError:
        pytest.skip(f"{module} is not installed ({why}): pip install -e '.[dev,lab]'")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class JupyterServer:
    def __init__(self, url: str, root_dir: Path, log: Path, proc: subprocess.Popen):
        self.url, self.root_dir, self.log, self.proc = url, root_dir, log, proc

    def copy(self, src, name: str | None = None) -> str:
        """Copy a file into the root dir; returns its path relative to the root."""
        dst = self.root_dir / (name or Path(src).name)
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(src, dst)
        return str(dst.relative_to(self.root_dir))

    def api(self, path: str):
        with urllib.request.urlopen(f"{self.url}/api/{path}", timeout=5) as r:
            return json.load(r)


@pytest.fixture(scope="session")
def jupyter_server(tmp_path_factory):
    """A real `jupyter lab` on 127.0.0.1 (no token), one for the whole session."""
    _need("jupyterlab", "the lab extra")
    base = tmp_path_factory.mktemp("lab")
    root = base / "root"
    root.mkdir()
    env = dict(os.environ)
    # Keep the user's settings and workspaces out of the tests, and theirs out of ours.
    for var, sub in (("JUPYTERLAB_SETTINGS_DIR", "settings"),
                     ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"),
                     ("JUPYTER_RUNTIME_DIR", "runtime"), ("JUPYTER_CONFIG_DIR", "config")):
        env[var] = str(base / sub)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    # No "get notified about Jupyter news?" toast over the page.
    news = base / "settings" / "@jupyterlab" / "apputils-extension"
    news.mkdir(parents=True)
    (news / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    port = _free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log = ARTIFACTS / f"jupyter-lab-{port}.log"
    out = open(log, "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root",
         f"--port={port}", "--ServerApp.ip=127.0.0.1", "--IdentityProvider.token=",
         "--ServerApp.password=", "--LabApp.expose_app_in_browser=True",
         "--ServerApp.disable_check_xsrf=True", f"--ServerApp.root_dir={root}",
         "--LabApp.news_url=", "--LabApp.check_for_updates_class="
         "jupyterlab.NeverCheckForUpdate"],
        stdout=out, stderr=subprocess.STDOUT, env=env, cwd=root)
    server = JupyterServer(f"http://127.0.0.1:{port}", root, log, proc)
    # A terminated test run must still stop the server: its kernels may run
    # engines at full speed. SIGTERM becomes KeyboardInterrupt, so teardown runs.
    def on_term(signum, frame):
        raise KeyboardInterrupt("SIGTERM")

    old_term = signal.signal(signal.SIGTERM, on_term)
    deadline = time.monotonic() + 90
    while True:
        if proc.poll() is not None:
            out.close()
            pytest.fail(f"jupyter lab exited ({proc.returncode}):\n{log.read_text()[-3000:]}")
        try:
            server.api("status")
            break
        except OSError:
            if time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"jupyter lab did not answer:\n{log.read_text()[-3000:]}")
            time.sleep(0.3)
    try:
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        out.close()
        signal.signal(signal.SIGTERM, old_term)


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium (Debian's), launched through Python Playwright."""
    _need("playwright", "the dev extra")
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install chromium "
                    "(or set PKTLAB_CHROMIUM)")
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield b
    b.close()
    pw.stop()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    rep = yield
    setattr(item, f"rep_{rep.when}", rep)
    return rep


@pytest.fixture
def page(browser, request):
    """A new page (1400x1000); screenshot + console log saved on failure."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = ctx.new_page()
    console: list[str] = []
    pg.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
    pg.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
    pg.set_default_timeout(30_000)
    yield pg
    rep = getattr(request.node, "rep_call", None)
    if rep is None or rep.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = request.node.name.replace("/", "_")
        try:
            pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        except Exception as e:            # the page may be gone; keep the log anyway
            console.append(f"(screenshot failed: {e})")
        (ARTIFACTS / f"{name}.log").write_text("\n".join(console))
    ctx.close()


class Lab:
    """Drives JupyterLab in a page through its application object
    (window.jupyterapp, exposed by --LabApp.expose_app_in_browser)."""

    def __init__(self, page, server: JupyterServer):
        self.page, self.server = page, server

    def open(self, path: str, timeout: float = 60) -> None:
        """Open a notebook and wait until its kernel is ready and idle."""
        # ?reset: a clean workspace, so that no tab an earlier test left open is
        # restored and becomes the current widget instead of this notebook
        self.page.goto(f"{self.server.url}/lab/tree/{path}?reset")
        self.page.wait_for_function(
            """() => {
                const app = window.jupyterapp;
                const w = app && app.shell.currentWidget;
                const k = w && w.sessionContext && w.sessionContext.session &&
                          w.sessionContext.session.kernel;
                return !!(k && k.status === 'idle' && w.content && w.content.model);
            }""", timeout=timeout * 1000)

    def command(self, name: str, args: dict | None = None):
        return self.page.evaluate("([n, a]) => window.jupyterapp.commands.execute(n, a)",
                                  [name, args or {}])

    def run_all(self, timeout: float = 120) -> None:
        """Run every cell and wait until all ran and the kernel is idle."""
        self.command("notebook:run-all-cells")
        self.wait_idle(timeout)

    def wait_idle(self, timeout: float = 120) -> None:
        """Wait until every code cell has run (an execution count, no '*') and
        the kernel is idle."""
        self.page.wait_for_function(
            """() => {
                const w = window.jupyterapp.shell.currentWidget;
                const s = w && w.sessionContext && w.sessionContext.session;
                const k = s && s.kernel;        // null while a kernel (re)starts: wait
                if (!k || k.status !== 'idle' || !w.content) return false;
                const cells = w.content.widgets.filter(c => c.model.type === 'code');
                return cells.every(c => c.model.executionCount !== null &&
                                        !c.node.querySelector('.jp-InputPrompt')
                                          .textContent.includes('*'));
            }""", timeout=timeout * 1000, polling=200)

    def errors(self) -> list[str]:
        """Error outputs of all cells (ename: evalue)."""
        return self.page.evaluate(
            """() => window.jupyterapp.shell.currentWidget.content.widgets
                 .filter(c => c.model.type === 'code')
                 .flatMap(c => c.model.outputs.toJSON())
                 .filter(o => o.output_type === 'error')
                 .map(o => o.ename + ': ' + o.evalue)""")

    def add_cell(self, source: str) -> int:
        """Append a code cell (source set through the model, not typed)."""
        return self.page.evaluate(
            """(src) => {
                const nb = window.jupyterapp.shell.currentWidget.content;
                const n = nb.model.cells.length;
                nb.model.sharedModel.insertCell(n, {cell_type: 'code', source: src});
                return n;
            }""", source)

    def run_cell(self, index: int, wait: bool = True, timeout: float = 60) -> str:
        """Run cell `index`; when wait, return its text output (stream + text/plain)."""
        self.page.evaluate(
            """(i) => {
                const nb = window.jupyterapp.shell.currentWidget.content;
                nb.activeCellIndex = i;
                // Not awaited: the command's promise settles when the cell finished.
                window.jupyterapp.commands.execute('notebook:run-cell');
            }""", index)
        if not wait:
            return ""
        self.page.wait_for_function(
            """(i) => {
                const w = window.jupyterapp.shell.currentWidget;
                const c = w.content.widgets[i];
                return c.model.executionCount !== null &&
                       w.sessionContext.session.kernel.status === 'idle' &&
                       !c.node.querySelector('.jp-InputPrompt').textContent.includes('*');
            }""", arg=index, timeout=timeout * 1000, polling=100)
        return self.output(index)

    def output(self, index: int) -> str:
        return self.page.evaluate(
            """(i) => window.jupyterapp.shell.currentWidget.content.widgets[i].model.outputs
                  .toJSON().map(o => o.output_type === 'stream' ? o.text :
                       o.output_type === 'error' ? (o.ename + ': ' + o.evalue) :
                       ((o.data || {})['text/plain'] || '')).join('')""", index)

    def kernel_status(self) -> str:
        return self.page.evaluate(
            "() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.status")

    def shutdown(self) -> None:
        """Shut the notebook's kernel down (ends what it runs: engines, threads)."""
        self.page.evaluate(
            "() => window.jupyterapp.shell.currentWidget.sessionContext.shutdown()")

    def run_code(self, source: str, timeout: float = 60) -> str:
        """Append a cell with `source`, run it, return its text output."""
        return self.run_cell(self.add_cell(source), timeout=timeout)


@pytest.fixture
def lab(page, jupyter_server):
    return Lab(page, jupyter_server)
