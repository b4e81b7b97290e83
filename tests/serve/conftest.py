"""Fixtures of the ControlSocket tests: an engine served in this process, a
raw client that records what the server sends, `pktlab` run as a user runs it."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def served():
    """served(config, **Server options) -> (engine, server), started; all closed after."""
    from pktlab.engine import Engine
    from pktlab.serve import Server

    made = []

    def start(config: str, run: bool = True, **kw):
        eng = Engine(config)
        if run:
            eng.start()
        kw.setdefault("tcp", ["127.0.0.1:0"])
        srv = Server(eng, config_text=config, **kw).start()
        made.append((eng, srv))
        return eng, srv

    yield start
    for eng, srv in made:
        srv.close()
        eng.stop()


def talk(address, chunks, wait: float = 0.3, gap: float = 0.02) -> bytes:
    """Send each chunk `gap` seconds apart (None: close our side) and collect
    every byte the server sends until it has been quiet for `wait` seconds
    after the last one (or closed the connection)."""
    if isinstance(address, str) and address.startswith("unix:"):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(address[5:])
    else:
        s = socket.create_connection(address if isinstance(address, tuple)
                                     else ("127.0.0.1", int(address)))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1) if s.family != socket.AF_UNIX \
        else None
    out = bytearray()

    def drain(quiet: float) -> bool:
        s.settimeout(quiet)
        try:
            while True:
                d = s.recv(65536)
                if not d:
                    return False
                out.extend(d)
        except socket.timeout:
            return True
        except ConnectionResetError:
            return False

    try:
        open_ = drain(gap)
        for c in chunks:
            if not open_:
                break
            if c is None:
                s.shutdown(socket.SHUT_WR)
            else:
                try:
                    s.sendall(c)
                except (BrokenPipeError, ConnectionResetError):
                    break
            open_ = drain(gap)
        if open_:
            drain(wait)
    finally:
        s.close()
    return bytes(out)


def pktlab(*args, check=True, timeout=120, **kw):
    return subprocess.run([sys.executable, "-m", "pktlab", *args], cwd=kw.pop("cwd", ROOT),
                          capture_output=True, text=True, timeout=timeout, check=check, **kw)


def wait_for(path: Path, timeout: float = 30.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_text().strip():
            return path.read_text().strip()
        time.sleep(0.05)
    raise TimeoutError(f"{path} did not appear")


@pytest.fixture
def serve_process(tmp_path):
    """serve_process(config_path, *options) -> (Popen, port): `pktlab serve` in
    a process of its own, stopped after the test."""
    procs = []

    def start(config, *options, env=None):
        port_file = tmp_path / f"port{len(procs)}"
        p = subprocess.Popen([sys.executable, "-m", "pktlab", "serve", str(config),
                              "--port-file", str(port_file), *options], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env={**os.environ, **(env or {})})
        procs.append(p)
        try:
            port = int(wait_for(port_file)) if "-u" not in options or "-p" in options else None
        except TimeoutError:
            p.kill()
            raise AssertionError(f"pktlab serve did not start: {p.communicate()[1]}") from None
        return p, port

    yield start
    for p in procs:
        if p.poll() is None:
            p.terminate()
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()


_RUN_NOTEBOOK = """
import json, sys, nbformat, nbclient
nb = nbformat.read(sys.argv[1], as_version=4)
assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), "committed with outputs"
nbclient.NotebookClient(nb, timeout=240, kernel_name="python3",
                        resources={"metadata": {"path": sys.argv[2]}}).execute()
outs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
json.dump(outs, open(sys.argv[3], "w"))
"""


def nobody_python() -> tuple[str, str]:
    """A Python `nobody` may run (this one may live under /root), and the path
    that finds this checkout's packages from it."""
    import sysconfig

    name = f"python{sys.version_info.major}.{sys.version_info.minor}"
    py = shutil.which(name, path="/usr/bin:/usr/local/bin")
    if py is None:
        pytest.skip(f"needs /usr/bin/{name} for the user nobody")
    return py, f"{ROOT}:{ROOT / 'notebooks'}:{sysconfig.get_paths()['purelib']}"


def run_notebook_as_nobody(notebook: Path, env: dict[str, str], timeout: int = 400) -> list[dict]:
    """Run a notebook top to bottom in a kernel of the user `nobody` (nbclient,
    in a process of that user); returns every output. It must be committed
    without outputs."""
    py, path = nobody_python()
    home = Path(tempfile.mkdtemp(prefix="pktlab-nobody-"))
    try:
        shutil.chown(home, "nobody", "nogroup")
        out = home / "outputs.json"
        r = subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                            py, "-c", _RUN_NOTEBOOK, str(notebook), str(notebook.parent),
                            str(out)], cwd=home, capture_output=True, text=True, timeout=timeout,
                           env={"PATH": "/usr/bin:/bin", "HOME": str(home), "PYTHONPATH": path,
                                **env})
        assert r.returncode == 0, r.stderr[-4000:]
        return json.loads(out.read_text())
    finally:
        shutil.rmtree(home, ignore_errors=True)
