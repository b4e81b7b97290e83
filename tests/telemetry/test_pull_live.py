"""The pull model's parts in the notebook (issue 16, item 3): rates,
capacities and switch ports are live controls that change the engine (read
back through the handlers), queue fill levels are sampled and plotted, a
swapped Queue keeps its packets, and the graph widget tells pull edges from
push edges."""

from __future__ import annotations

import time

import pytest

pytest.importorskip("ipywidgets", reason="the lab extra: pip install -e '.[lab]'")

import ipywidgets as W  # noqa: E402

from pktlab import Engine  # noqa: E402
from pktlab.notebook.controls import Controls  # noqa: E402
from pktlab.notebook.pullview import engine_pull_outputs, graph_pull_outputs  # noqa: E402
from pktlab.telemetry import Sampler  # noqa: E402

PULL = """src :: RatedSource(LENGTH 64, RATE 20000)
  -> q :: Queue(CAPACITY 200)
  -> sh :: Shaper(5000)
  -> u :: RatedUnqueue(RATE 4000)
  -> sw :: Switch(0);
sw[0] -> c0 :: Counter -> Discard;
sw[1] -> c1 :: Counter -> Discard;
a :: InfiniteSource(LENGTH 64, LIMIT 10) -> qa :: Queue(100);
b :: InfiniteSource(LENGTH 64, LIMIT 10) -> qb :: Queue(100);
qa -> [0] ps :: PullSwitch(0);
qb -> [1] ps;
ps -> bu :: BandwidthRatedUnqueue(RATE 1Mbps) -> Discard;"""


def _until(cond, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


@pytest.fixture
def pull_engine():
    eng = Engine(PULL)
    eng.start()
    yield eng
    eng.stop()


def test_rates_capacities_and_switch_ports_are_live_controls(pull_engine):
    eng = pull_engine
    ctl = Controls(eng)
    try:
        w = ctl.widgets
        for key in [("src", "RATE"), ("sh", "RATE"), ("u", "RATE")]:
            assert isinstance(w[key], W.FloatLogSlider), (key, w[key])
        assert isinstance(w[("q", "CAPACITY")], W.SelectionSlider)
        assert 200 in w[("q", "CAPACITY")].options and (1 << 24) in w[("q", "CAPACITY")].options
        assert isinstance(w[("bu", "RATE")], W.Text)            # a bandwidth: typed
        # a switch's port ranges over the ports it has (-1: drop), not over 256
        assert (w[("sw", "OUTPUT")].min, w[("sw", "OUTPUT")].max) == (-1, 1)
        assert (w[("ps", "INPUT")].min, w[("ps", "INPUT")].max) == (-1, 1)

        # moving each control changes the engine: read back through the handlers
        w[("src", "RATE")].value = 1000.0
        assert float(eng["src"].read("rate")) == pytest.approx(1000.0)
        w[("u", "RATE")].value = 250.0
        assert float(eng["u"].read("rate")) == pytest.approx(250.0)
        w[("sh", "RATE")].value = 100.0
        assert float(eng["sh"].read("rate")) == pytest.approx(100.0)
        w[("q", "CAPACITY")].value = 64
        assert int(eng["q"].read("capacity")) == 64
        w[("sw", "OUTPUT")].value = 1
        assert int(eng["sw"].read("output")) == 1
        before = eng["c1"].count
        assert _until(lambda: eng["c1"].count > before), "switched to output 1: c1 counts"
        w[("ps", "INPUT")].value = 1
        assert int(eng["ps"].read("input")) == 1
        w[("bu", "RATE")].value = "2Mbps"
        assert eng["bu"].read("rate").strip() != "1Mbps"
        # the engine's graph says what runs (a re-run of the cell starts from it)
        assert "CAPACITY 64" in eng.graph.elements["q"].config or \
            "64" in eng.graph.elements["q"].config

        # and a value set from code moves the controls
        eng["src"].rate = 3000
        eng["q"].capacity = 512
        eng["sw"].output = 0
        assert w[("src", "RATE")].value == pytest.approx(3000.0)
        assert w[("q", "CAPACITY")].value == 512
        assert w[("sw", "OUTPUT")].value == 0
        # the largest stop: the control shows what the engine took
        w[("q", "CAPACITY")].value = 1 << 24
        assert ctl.values()[("q", "CAPACITY")] == int(eng["q"].read("capacity"))
    finally:
        ctl.close()


def test_a_switch_that_gains_an_output_widens_its_slider(pull_engine):
    eng = pull_engine
    ctl = Controls(eng)
    try:
        assert ctl.widgets[("sw", "OUTPUT")].max == 1
        eng.apply_text(PULL.replace("sw[1] -> c1 :: Counter -> Discard;",
                                    "sw[1] -> c1 :: Counter -> Discard;\n"
                                    "sw[2] -> c2 :: Counter -> Discard;"))
        assert ctl.widgets[("sw", "OUTPUT")].max == 2
        ctl.widgets[("sw", "OUTPUT")].value = 2
        assert _until(lambda: eng["c2"].count > 0)
    finally:
        ctl.close()


QUEUED = """src :: InfiniteSource(LENGTH 64, LIMIT 50, BURST 8)
  -> q :: Queue(1000)
  -> u :: Unqueue(ACTIVE false)
  -> c :: Counter -> Discard;"""


def test_a_swapped_queue_keeps_its_packets():
    eng = Engine(QUEUED)
    eng.start()
    try:
        assert _until(lambda: int(eng["q"].length) == 50)
        # retuned in place (a live CAPACITY), replaced by another queue class,
        # and kept while an element is inserted before it: 50 packets each time
        for text in (QUEUED.replace("Queue(1000)", "Queue(500)"),
                     QUEUED.replace("Queue(1000)", "SimpleQueue(500)"),
                     QUEUED.replace("-> q ::", "-> Paint(3) -> q ::")
                           .replace("Queue(1000)", "SimpleQueue(500)")):
            ch = eng.apply_text(text)
            assert int(eng["q"].length) == 50, (ch, eng["q"].length)
            assert eng["c"].count == 0
        assert eng.graph.elements["q"].cls == "SimpleQueue"
        eng["u"].active = True                            # the same packets come out
        assert _until(lambda: eng["c"].count == 50)
        assert int(eng["q"].length) == 0 and int(eng["q"].drops) == 0
    finally:
        eng.stop()


def test_queue_fill_levels_are_sampled(pull_engine):
    eng = pull_engine
    eng["u"].active = False                  # nothing drains q: it fills to its capacity
    s = Sampler(eng, hz=50)
    try:
        assert _until(lambda: int(eng["q"].length) == 200)
        eng["src"].active = False                # and nothing more comes
        for _ in range(3):
            s.sample()
        snap = s.snapshot()
        assert set(snap["queues"]) == {"q", "qa", "qb"}
        assert snap["queues"]["q"] == {"length": 200, "capacity": 200, "fill": 1.0}
        eng["q"].capacity = 400                          # a live capacity: the share halves
        s.sample()
        assert s.snapshot()["queues"]["q"]["fill"] == pytest.approx(0.5)
        t, fill = s.queue_series()
        assert len(t) == 4 and list(fill["q"][-2:]) == [1.0, 0.5]
    finally:
        s.stop()


def test_the_dashboard_plots_queue_fill(pull_engine):
    pytest.importorskip("bokeh", reason="the lab extra")
    from pktlab.notebook.plots import Dashboard

    eng = pull_engine
    eng["u"].active = False
    s = Sampler(eng, hz=50)
    dash = Dashboard(s, subscribe=False, every=1)
    try:
        assert dash.figures.queue_names == ["q", "qa", "qb"]
        assert dash.layout.select_one({"name": "pktlab-fig-queues"}) is not None
        assert _until(lambda: int(eng["q"].length) == 200)
        for _ in range(3):
            s.sample()
            dash.update()
        src = dash.layout.select_one({"name": "pktlab-queues"})
        col = dash.figures.qcols["q"]
        assert len(src.data["t"]) == len(src.data[col]) >= 2
        assert src.data[col][-1] == pytest.approx(100.0)
    finally:
        dash.close()
        s.stop()


CONFIGS = [
    PULL,
    "src :: InfiniteSource(LIMIT 5) -> q :: Queue -> c :: Counter -> Paint(1) -> u :: Unqueue"
    " -> Discard;",
    "src :: InfiniteSource(LIMIT 5) -> Counter -> q :: Queue -> Shaper(100)"
    " -> t :: ToMemory;",
    "a :: InfiniteSource(LIMIT 5) -> qa :: Queue; b :: InfiniteSource(LIMIT 5) -> qb :: Queue;"
    " qa -> [0] p :: PrioSched; qb -> Null -> [1] p; p -> Unqueue -> Tee(2) => Discard, Discard;",
]


@pytest.mark.parametrize("k", range(len(CONFIGS)))
def test_pull_edges_as_the_engine_resolves_them(k):
    from pktlab.notebook.widget import GraphWidget

    eng = Engine(CONFIGS[k])
    try:
        truth = engine_pull_outputs(eng)
        assert truth, "every configuration here has pull edges"
        assert graph_pull_outputs(eng.graph) == truth      # a graph alone (saved notebook)
        w = GraphWidget(eng)
        assert set(w.pull) == {f"{n}:{p}" for n, p in truth}
        assert w._repr_mimebundle_()[0]["application/vnd.pktlab.graph+json"]["pull"] == w.pull
        w.close()
    finally:
        eng.stop()
