"""%%click NAME --remote (issue 21): the session's faces follow a served
engine changed by another client, and re-running the attaching cell keeps
one listener on the client."""

from __future__ import annotations

import time

import pytest

pytest.importorskip("IPython")
pytest.importorskip("ipywidgets", reason="the lab extra: pip install -e '.[lab]'")
pytest.importorskip("jupyter_bokeh", reason="the lab extra: pip install -e '.[lab]'")

from IPython.core.interactiveshell import InteractiveShell  # noqa: E402

from pktlab.notebook import magics  # noqa: E402

CHAIN = "src :: InfiniteSource(LENGTH 64, BURST 32) -> c :: Counter -> d :: Discard;"


def until(cond, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_faces_of_a_remote_session_follow_changes_made_by_another_client(served):
    eng, srv = served(CHAIN)
    ip = InteractiveShell.instance()
    ip.run_line_magic("load_ext", "pktlab")
    try:
        for _ in range(3):                                  # re-runs of the attaching cell
            ip.run_cell_magic("click", f"dut --remote {srv.address}", "// attach\n")
        s = magics.SESSIONS["dut"]
        client = ip.user_ns["dut"]
        assert client.remote and s.engine is client
        assert client._listeners.count(s.on_change) == 1
        assert s.controls.widgets[("src", "BURST")].value == 32
        eng["src"].burst = 8                                # the server's own process
        until(lambda: s.controls.widgets[("src", "BURST")].value == 8)
        s.controls.widgets[("src", "BURST")].value = 4      # the slider, through the client
        until(lambda: eng["src"].burst == 4)
        assert eng.running                                  # the served engine goes on
    finally:
        ip.run_line_magic("unload_ext", "pktlab")
        ip.user_ns.pop("dut", None)
    assert eng.running, "closing the notebook's client stopped the served engine"
