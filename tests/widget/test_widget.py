"""GraphWidget's model, driven as the view drives it (messages) and from Python."""

import json
import time

import pytest

import pktlab
from pktlab.graph import Graph
from pktlab.notebook.graphview import MIME, port_counts, view_json
from pktlab.lang import parse
from pktlab.notebook.labserver import parse_for_preview
from pktlab.telemetry.overlay import with_threads
from pktlab.notebook.widget import GraphWidget, stop_all

FORWARD = "src :: InfiniteSource(LENGTH 64, BURST 32) -> c :: Counter -> sink :: Discard;"


def wait_for(pred, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def running():
    eng = pktlab.Engine(FORWARD)
    eng.start()
    w = GraphWidget(eng)
    yield w, eng
    w.close()
    stop_all()
    eng.stop()


def test_traits_describe_the_graph():
    w = GraphWidget(FORWARD)
    assert [e["name"] for e in w.elements] == ["src", "c", "sink"]
    assert w.connections == [["src", 0, "c", 0], ["c", 0, "sink", 0]]
    assert w.ports == {"src": [0, 1], "c": [1, 1], "sink": [1, 0]}
    assert w.parameters["src"] == {"LENGTH": "64", "BURST": "32"}
    assert [p["name"] for p in w.classes["Counter"]["params"]] == ["COUNT_CALL", "BYTE_COUNT_CALL"] and w.classes["Tee"]["outputs"] == [1, None]
    assert w.engine_state == "none" and w.pending == {}
    assert parse(w.to_click()) == w.graph
    w.close()


def test_view_edits_are_checked_and_undoable():
    w = GraphWidget(FORWARD)
    w._handle({"op": "insert", "cls": "Counter", "edge": ["src", 0, "c", 0], "at": [50, 60]})
    assert "counter1" in w.graph and w.positions["counter1"] == [50.0, 60.0]
    assert ["src", 0, "counter1", 0] in w.connections
    w._handle({"op": "connect", "src": "sink", "sport": 0, "dst": "c", "dport": 0})
    assert w.status["kind"] == "error" and "no output ports" in w.status["text"]
    w._handle({"op": "set_params", "name": "src", "values": {"BURST": "lots"}})
    assert "unsigned integer" in w.errors["src"]["BURST"]
    assert w.graph.elements["src"].config == "LENGTH 64, BURST 32"
    w._handle({"op": "set_params", "name": "src", "values": {"BURST": "8"}})
    assert "src" not in w.errors and w.parameters["src"]["BURST"] == "8"
    w._handle({"op": "undo"})
    w._handle({"op": "undo"})
    assert w.graph == parse(FORWARD) and w.can_redo
    w.close()


def test_python_is_the_source_of_truth():
    w = GraphWidget(FORWARD)
    w.parameters = {**w.parameters, "src": {"LENGTH": "128", "BURST": "32"}}
    assert w.graph.elements["src"].config == "LENGTH 128, BURST 32"
    w.parameters = {**w.parameters, "src": {"LENGTH": "huge"}}
    assert w.graph.elements["src"].config == "LENGTH 128, BURST 32"
    assert "LENGTH" in w.errors["src"] and w.parameters["src"]["LENGTH"] == "128"
    w.elements = w.elements + [{"name": "n", "class": "Null", "config": ""}]
    assert "n" in w.graph
    g = parse("a :: InfiniteSource -> b :: Discard;")
    w.graph = g
    assert w.graph == g and [e["name"] for e in w.elements] == ["a", "b"]
    w.close()


def test_mime_bundle_carries_the_graph_for_kernel_less_views():
    w = GraphWidget(FORWARD, positions={"c": [100, 40]})
    data, _ = w._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in data
    saved = json.loads(json.dumps(data[MIME]))
    assert Graph.from_json(saved) == w.graph
    assert saved["ports"] == port_counts(w.graph) and saved["positions"] == {"c": [100, 40]}
    assert "src :: InfiniteSource" in data["text/html"]
    w.close()


def test_apply_changes_the_running_engine(running):
    w, eng = running
    w._handle({"op": "insert", "cls": "Counter", "edge": ["c", 0, "sink", 0]})
    assert w.pending["count"] > 0
    w._handle({"op": "apply"})
    assert w.status["kind"] == "applied", w.status
    assert w.pending["count"] == 0 and "counter1" in w.status["changed"]
    first = w.engine["counter1"].count
    assert wait_for(lambda: w.engine["counter1"].count > first)


def test_a_graph_the_engine_rejects_leaves_it_unchanged(running):
    w, eng = running
    w._handle({"op": "insert", "cls": "Strip", "edge": ["c", 0, "sink", 0]})  # LENGTH required
    w._handle({"op": "apply"})
    assert w.status["kind"] == "error" and "not applied" in w.status["text"]
    assert "strip1" in w.errors and w.engine is eng
    assert "strip1" not in eng.elements and eng.running
    before = eng["c"].count
    assert wait_for(lambda: eng["c"].count > before)


def test_live_numbers_reach_the_widget(running):
    w, _ = running
    assert wait_for(lambda: w.live.get("edges", {}).get("src:0", 0) > 0)
    json.dumps(w.live, allow_nan=False)
    assert w.live["elements"]["c"]["batch"] > 0
    assert w.engine_state == "running"


def test_live_numbers_carry_the_thread_analysis():
    """On several threads each element shows the workers that reach it (Fig. 13)."""
    eng = pktlab.Engine("s0 :: InfiniteSource(LENGTH 64); s1 :: InfiniteSource(LENGTH 64);"
                        "c :: Counter; d :: Discard; s0 -> c; s1 -> c; c -> d;"
                        "StaticThreadSched(s0 0, s1 1);", threads=2)
    eng.start()
    w = GraphWidget(eng)
    try:
        assert wait_for(lambda: "threads" in w.live.get("elements", {}).get("c", {}))
        els = w.live["elements"]
        assert els["c"]["threads"] == [0, 1] and els["s1"]["threads"] == [1]
        assert "locked" not in els["c"]          # not a device output
    finally:
        w.close()
        stop_all()
        eng.stop()
    one = pktlab.Engine(FORWARD)
    assert with_threads({"elements": {"c": {}}}, one) == {"elements": {"c": {}}}


def test_preview_endpoint_parses_or_locates_errors():
    ok = parse_for_preview(FORWARD, "f.click")
    assert len(ok["graph"]["elements"]) == 3
    bad = parse_for_preview("a :: Countr -> b :: Discard;", "f.click")
    assert "f.click:1:" in bad["error"] and "Countr" in bad["error"]


def test_view_json_counts_ports_from_classes_and_connections():
    g = parse("t :: Tee; i :: Idle; InfiniteSource -> t; t[2] -> Discard;")
    counts = view_json(g)["ports"]
    assert counts["t"] == [1, 3] and counts["i"] == [0, 0]


def test_click_cells_show_the_graph_widget_first():
    from IPython.core.interactiveshell import InteractiveShell

    from pktlab.notebook import magics

    # The process-wide shell (other tests' shells are the same singleton).
    ip = InteractiveShell.instance()
    ip.run_line_magic("load_ext", "pktlab")
    try:
        ip.run_cell_magic("click", "wfwd", FORWARD)
        session = magics.SESSIONS["wfwd"]
        first = magics._views(session)[0]
        assert isinstance(first, GraphWidget) and first.engine is session.engine
        assert [e["name"] for e in first.elements] == ["src", "c", "sink"]
        first.close()
    finally:
        ip.run_line_magic("pktlab", "stop wfwd")
