"""Fixtures every test folder shares."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def pytest_sessionstart(session):
    """make test-asan-py: the run must use the sanitizer build it names, never
    the editable install's extension by accident."""
    want = os.environ.get("PKTLAB_EXPECT_NATIVE")
    if want:
        import pktlab.engine._native as native

        if not native.__file__.startswith(want):
            raise pytest.UsageError(f"expected the extension under {want}, got {native.__file__}")


@pytest.fixture
def run_notebook():
    """Run a notebook top to bottom in a real kernel (nbclient) and return
    (stream text, all outputs). It must be committed without outputs, and no
    cell may raise."""
    nbformat = pytest.importorskip("nbformat", reason="the lab extra: pip install -e '.[lab]'")
    nbclient = pytest.importorskip("nbclient", reason="the dev extra: pip install -e '.[dev]'")

    def run(path: Path, timeout: int = 120):
        nb = nbformat.read(path, as_version=4)
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), \
            "commit the notebook without outputs"
        client = nbclient.NotebookClient(nb, timeout=timeout, kernel_name="python3",
                                         resources={"metadata": {"path": str(path.parent)}})
        client.execute()
        outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
        errors = [o for o in outputs if o.output_type == "error"]
        assert not errors, errors
        text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
        return text, outputs

    return run
