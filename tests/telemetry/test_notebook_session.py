"""A %%click session that stays true (issue 21): re-runs leak nothing and
retire the old faces, every face reads the engine back after a change made
from code, anonymous elements keep their state when an element is inserted
before them, and a change made outside the cell is offered back to it."""

from __future__ import annotations

import time

import pytest

pytest.importorskip("IPython")
pytest.importorskip("ipywidgets", reason="the lab extra: pip install -e '.[lab]'")
pytest.importorskip("jupyter_bokeh", reason="the lab extra: pip install -e '.[lab]'")

from IPython.core.interactiveshell import InteractiveShell  # noqa: E402

from pktlab import Engine  # noqa: E402
from pktlab.notebook import magics  # noqa: E402

FWD = """src :: InfiniteSource(LENGTH 64, BURST 32)
  -> c :: Counter
  -> sink :: Discard;"""


@pytest.fixture
def shell():
    ip = InteractiveShell.instance()
    ip.run_line_magic("load_ext", "pktlab")
    yield ip
    ip.run_line_magic("unload_ext", "pktlab")
    ip.user_ns.pop("fwd", None)


def test_many_reruns_leave_one_listener_and_retire_the_old_faces(shell):
    shell.run_cell_magic("click", "fwd", FWD)
    first = magics.SESSIONS["fwd"]
    old_widget, old_controls = first.graph_widget, first.controls
    owners = len(shell.user_ns["fwd"]._listeners)     # the sampler's and the session's
    for i in range(20):                               # 50 take ~100 s here; 20 show a leak as well
        shell.run_cell_magic("click", "fwd", FWD.replace("BURST 32", f"BURST {1 + i % 8}"))
    s = magics.SESSIONS["fwd"]
    eng = shell.user_ns["fwd"]
    try:
        assert s.sampler.listeners == 1
        assert len(eng._listeners) == owners <= 2, eng._listeners
        assert eng["src"].burst == 1 + 19 % 8
        assert s.controls.widgets[("src", "BURST")].value == eng["src"].burst
        if old_widget is not None and old_widget is not s.graph_widget:
            assert "replaced by a newer run" in old_widget.retired
        assert old_controls is not s.controls
    finally:
        eng.stop()


def test_a_value_set_from_code_moves_the_slider_and_is_offered_to_the_cell(shell):
    shell.run_cell_magic("click", "fwd", FWD)
    s = magics.SESSIONS["fwd"]
    eng = shell.user_ns["fwd"]
    try:
        eng["src"].burst = 8
        assert s.controls.widgets[("src", "BURST")].value == 8
        if s.graph_widget is not None:
            text = s.graph_widget.cell["text"]
            assert text.startswith("%%click fwd") and "BURST 8" in text and "BURST 32" not in text
    finally:
        eng.stop()


def test_an_inserted_element_keeps_the_anonymous_ones_and_their_counters():
    eng = Engine("InfiniteSource(LENGTH 64, BURST 8) -> Counter -> Discard;")
    eng.start()
    try:
        counter = next(n for n in eng.elements if n.startswith("Counter"))
        deadline = time.monotonic() + 10
        while eng[counter].count == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        before = eng[counter].count
        ch = eng.apply_text("InfiniteSource(LENGTH 64, BURST 8) -> Paint(1) -> Counter -> Discard;")
        assert ch.added == 1 and ch.removed == 0, ch
        counter2 = next(n for n in eng.elements if n.startswith("Counter"))
        assert eng[counter2].count >= before > 0
    finally:
        eng.stop()
