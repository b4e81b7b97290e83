"""`pktlab lab`: JupyterLab on a folder, on a port the server picks (0), its
URL printed with the token; the page and the folder's contents are served;
Ctrl-C stops it."""

from __future__ import annotations

import argparse
import json
import os
import selectors
import signal
import subprocess
import sys
import time
import urllib.request
import uuid

from pktlab.cli.lab import lab_command


def _line(proc, timeout: float) -> str:
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if sel.select(timeout=1.0):
            line = proc.stdout.readline()
            if line:
                return line
        if proc.poll() is not None:
            break
    raise AssertionError(f"no URL printed (exit status {proc.poll()})")


def test_lab_starts_prints_url_and_stops(tmp_path):
    (tmp_path / "hello.ipynb").write_text(json.dumps(
        {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    token = uuid.uuid4().hex
    env = os.environ | {"JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")}
    proc = subprocess.Popen([sys.executable, "-m", "pktlab", "lab", "--port", "0", "--dir",
                             str(tmp_path), "--token", token], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, env=env)
    try:
        line = _line(proc, timeout=120)
        assert line.startswith("pktlab lab: JupyterLab at http://127.0.0.1:"), line
        url = line.split(" at ", 1)[1].strip()
        assert url.endswith(f"/lab?token={token}") and ":0/" not in url
        with urllib.request.urlopen(url, timeout=30) as r:
            assert r.status == 200 and "JupyterLab" in r.read().decode()
        base = url.split("/lab?")[0]
        req = urllib.request.Request(f"{base}/api/contents", headers={"Authorization": f"token {token}"})
        with urllib.request.urlopen(req, timeout=30) as r:
            names = [c["name"] for c in json.load(r)["content"]]
        assert "hello.ipynb" in names           # the folder given is the server's root
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_lab_flags():
    args = argparse.Namespace(dir=None, ip="127.0.0.1", port=0, browser=False, token=None,
                              extra=["--ServerApp.shutdown_no_activity_timeout=60"])
    cmd = lab_command(args)
    assert cmd[1:3] == ["-m", "jupyterlab"] and "--no-browser" in cmd
    assert ("--allow-root" in cmd) == (os.geteuid() == 0)
    assert any(c.startswith("--ServerApp.root_dir=") and c.endswith("notebooks") for c in cmd)
    assert cmd[-1] == "--ServerApp.shutdown_no_activity_timeout=60"
