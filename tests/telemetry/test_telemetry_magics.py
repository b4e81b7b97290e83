"""%load_ext pktlab, %%click and %pktlab in a real IPython shell."""

from __future__ import annotations

import time

import pytest

pytest.importorskip("IPython")
pytest.importorskip("ipywidgets", reason="the lab extra: pip install -e '.[lab]'")
pytest.importorskip("jupyter_bokeh", reason="the lab extra: pip install -e '.[lab]'")

from IPython.core.error import UsageError  # noqa: E402
from IPython.core.interactiveshell import InteractiveShell  # noqa: E402

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
    for name in ("fwd", "bad", "two"):
        ip.user_ns.pop(name, None)


def wait_count(eng, name, more=1, seconds=10.0):
    deadline = time.monotonic() + seconds
    while eng[name].count < more and time.monotonic() < deadline:
        time.sleep(0.02)
    return eng[name].count


def test_click_starts_an_engine_with_views(shell, capsys):
    shell.run_cell_magic("click", "fwd --define BURST=8", FWD)
    eng = shell.user_ns["fwd"]
    assert eng.running and wait_count(eng, "c") > 0
    s = magics.SESSIONS["fwd"]
    assert s.sampler.running and s.engine is eng and eng.telemetry is s.sampler
    assert ("src", "BURST") in s.controls.widgets
    assert s.dashboard is not None and s.dashboard.sampler is s.sampler
    shell.run_line_magic("pktlab", "list")
    assert "fwd" in capsys.readouterr().out
    shell.run_line_magic("pktlab", "stop fwd")
    assert not eng.running
    shell.run_line_magic("pktlab", "start fwd")
    assert eng.running
    shell.run_line_magic("pktlab", "stop")
    assert not eng.running


def test_defines_and_threads_reach_the_engine(shell):
    cfg = "define($BURST 32);\nsrc :: InfiniteSource(LENGTH 64, BURST $BURST) -> c :: Counter -> Discard;"
    shell.run_cell_magic("click", "fwd --define BURST=8 --threads 2 --no-views", cfg)
    eng = shell.user_ns["fwd"]
    try:
        assert eng["src"].burst == 8 and eng.threads == 2
        assert magics.SESSIONS["fwd"].dashboard is None
    finally:
        eng.stop()


def test_rerun_applies_live_and_marks(shell):
    shell.run_cell_magic("click", "fwd", FWD)
    eng = shell.user_ns["fwd"]
    wait_count(eng, "c")
    shell.run_cell_magic("click", "fwd", FWD.replace("-> sink", "-> c2 :: Counter -> sink"))
    try:
        if hasattr(eng, "apply"):
            assert shell.user_ns["fwd"] is eng            # changed in place, not restarted
            assert any("c2" in label for _, label in eng.telemetry.markers)
        else:
            assert any(label == "restart" for _, label in eng.telemetry.markers)
        eng = shell.user_ns["fwd"]
        assert "c2" in eng.elements and wait_count(eng, "c2") > 0
    finally:
        eng.stop()


@pytest.mark.parametrize("cell, where, caret_under", [
    # the caret is under what is wrong: the class, the keyword, the bracket
    ("src :: InfiniteSource(LENGTH 64) -> c :: Countr -> Discard;", "<click bad>:2:42", "Countr"),
    ("src :: InfiniteSource(LENGTH 64 -> c :: Counter -> Discard;", "<click bad>:2:22", "("),
    ("\nsrc :: InfiniteSource(BURST many) -> Discard;", "<click bad>:3:23", "BURST many"),
])
def test_errors_show_line_column_and_caret_not_a_traceback(shell, capsys, cell, where,
                                                             caret_under):
    result = shell.run_cell("%%click bad\n" + cell)
    assert isinstance(result.error_in_exec, magics.CellError)
    out = capsys.readouterr()
    text = out.out + out.err
    assert where in text
    assert "Traceback" not in text and "magics.py" not in text
    lines = text.splitlines()
    caret = next(i for i, ln in enumerate(lines) if ln.strip() == "^")
    col = lines[caret].index("^")
    assert lines[caret - 1][col:].startswith(caret_under)
    assert "bad" not in shell.user_ns and "bad" not in magics.SESSIONS


def test_failed_rerun_leaves_the_engine_running(shell):
    shell.run_cell_magic("click", "fwd", FWD)
    eng = shell.user_ns["fwd"]
    try:
        result = shell.run_cell("%%click fwd\nsrc :: InfiniteSource(LENGTH 64) -> Countr -> Discard;")
        assert isinstance(result.error_in_exec, magics.CellError)
        assert shell.user_ns["fwd"] is eng and eng.running and eng.elements == ["src", "c", "sink"]
    finally:
        eng.stop()


def test_usage_errors(shell):
    with pytest.raises(UsageError, match="not a Python name"):
        magics.parse_line("1abc")
    with pytest.raises(UsageError, match="X=Y"):
        magics.parse_line("fwd --define BURST")
    with pytest.raises(UsageError):
        magics.parse_line("fwd --threads many")
    with pytest.raises(UsageError, match="no engine named 'nope'"):
        shell.run_line_magic("pktlab", "stop nope")
    args = magics.parse_line('fwd --dpdk "--no-huge -m 512 --vdev net_null0" -D A=1 --hz 5')
    assert args.dpdk == "--no-huge -m 512 --vdev net_null0" and args.defines == {"A": "1"}
    assert args.hz == 5


def test_graph_widget_hook(shell):
    seen = []

    def view(session):
        seen.append(session.name)
        return None                       # nothing to show

    magics.add_view(view, first=True)
    try:
        shell.run_cell_magic("click", "two", FWD)
        assert seen == ["two"] and magics.VIEWS[0] is view
    finally:
        magics.VIEWS.remove(view)
        shell.user_ns["two"].stop()
