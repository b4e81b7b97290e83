"""The front-end build, run by setup.py (package builds) and `make setup`.

labextension/build.mjs builds the widget bundle (pktlab/static/) and the
JupyterLab prebuilt extension (pktlab/labextension/) when their sources
changed, and does nothing otherwise. This module runs it when Node.js is
there, and lists the files JupyterLab must find under
share/jupyter/labextensions/pktlab (the wheel's data files).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "labextension"
BUILT = ROOT / "pktlab" / "labextension"


def _core_package_file() -> str | None:
    try:
        import jupyterlab
    except ImportError:
        return None
    f = Path(jupyterlab.__file__).parent / "staging" / "package.json"
    return str(f) if f.exists() else None


def build() -> None:
    if not (SOURCES / "build.mjs").exists():
        return  # an sdist built earlier ships the assets, not the sources
    if shutil.which("node") is None:
        if not (BUILT / "package.json").exists():
            print("warning: Node.js not found; pktlab's widget and JupyterLab extension "
                  "are not built", file=sys.stderr)
        return
    cmd = ["node", str(SOURCES / "build.mjs")]
    core = _core_package_file()
    if core:
        cmd += ["--core-package-file", core]
    subprocess.run(cmd, cwd=SOURCES, check=True)


def data_files() -> list[tuple[str, list[str]]]:
    """(install dir, files) pairs for the prebuilt extension and the server config."""
    out = []
    dest = "share/jupyter/labextensions/pktlab"
    for d in sorted({p.parent for p in BUILT.rglob("*") if p.is_file()}):
        files = [str(p.relative_to(ROOT)) for p in sorted(d.iterdir())
                 if p.is_file() and not p.name.startswith(".")]
        if files:
            out.append((f"{dest}/{d.relative_to(BUILT)}".rstrip("/."), files))
    out.append(("etc/jupyter/jupyter_server_config.d",
                ["jupyter-config/jupyter_server_config.d/pktlab.json"]))
    return out
