"""`pktlab lab`: JupyterLab on the notebooks, with the flags this project needs.

    pktlab lab                      # notebooks/ of the checkout, 127.0.0.1:8888
    pktlab lab --port 0             # a free port, chosen by the server
    pktlab lab --dir ~/work -- --ServerApp.tornado_settings=...   # more flags after --

It runs `python -m jupyterlab` from this Python (the venv with pktlab's
kernel, widget and extension), adds --allow-root when run as root (these
machines and CI are), never opens a browser unless asked, and prints the
URL, token included, once the server is up (read from the server's own
runtime file, jpserver-PID.json, and once its port accepts connections). Ctrl-C (or SIGTERM) stops the server.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


def lab_command(args) -> list[str]:
    root = Path(args.dir).resolve() if args.dir else (NOTEBOOKS if NOTEBOOKS.is_dir() else Path.cwd())
    if not root.is_dir():
        raise SystemExit(f"pktlab lab: --dir {args.dir}: no such folder")
    cmd = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={root}",
           f"--ServerApp.ip={args.ip}", f"--ServerApp.port={args.port}"]
    if not args.browser:
        cmd.append("--no-browser")
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    if args.token is not None:
        cmd.append(f"--IdentityProvider.token={args.token}")
    return cmd + list(args.extra)


def _listens(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1.0):
            return True
    except OSError:
        return False


def server_url(pid: int, timeout: float = 120.0, proc=None) -> str:
    """The URL of the server process `pid` (with its token), once it listens."""
    from jupyter_core.paths import jupyter_runtime_dir

    info = Path(jupyter_runtime_dir()) / f"jpserver-{pid}.json"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise SystemExit(f"pktlab lab: JupyterLab exited with status {proc.returncode}")
        try:
            d = json.loads(info.read_text())
        except (OSError, ValueError):
            time.sleep(0.2)
            continue
        # The server writes the file, then listens once its loop runs.
        if not _listens(d.get("hostname") or "127.0.0.1", int(d["port"])):
            time.sleep(0.2)
            continue
        url = d["url"].rstrip("/") + "/lab"
        return url + (f"?token={d['token']}" if d.get("token") else "")
    raise SystemExit(f"pktlab lab: JupyterLab did not start within {timeout:.0f} s")


def cmd_lab(args) -> int:
    cmd = lab_command(args)
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL)
    stopping = {"sig": None}

    def forward(signum, frame):
        stopping["sig"] = signum
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)

    old = {s: signal.signal(s, forward) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        try:
            url = server_url(proc.pid, proc=proc)
        except SystemExit:
            if stopping["sig"] is None:
                raise
            url = None
        if url:
            print(f"pktlab lab: JupyterLab at {url}", flush=True)
        rc = proc.wait()
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for s, h in old.items():
            signal.signal(s, h)
    return 0 if stopping["sig"] is not None else rc


def add_lab_command(sub) -> None:
    p = sub.add_parser("lab", help="start JupyterLab on the notebooks and print its URL")
    p.add_argument("--dir", default=None,
                   help="the folder it opens (default: the checkout's notebooks/, else here)")
    p.add_argument("--port", type=int, default=8888, help="0: a free port (default 8888)")
    p.add_argument("--ip", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--token", default=None,
                   help="the login token (default: one JupyterLab makes up; '' for none)")
    p.add_argument("--browser", action="store_true", help="open a browser too")
    p.add_argument("extra", nargs="*", metavar="-- JUPYTER_ARGS",
                   help="more arguments for jupyter lab, after --")
    p.set_defaults(fn=cmd_lab)


__all__ = ["add_lab_command", "cmd_lab", "lab_command", "server_url"]
