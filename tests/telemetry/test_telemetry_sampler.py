"""The telemetry sampler against known traffic: exact counts, rates, histograms."""

import threading
import time
import tracemalloc

import numpy as np
import pytest

from pktlab import Engine
from pktlab.telemetry import Sampler

CHAIN = ("src :: InfiniteSource(LENGTH 64, LIMIT {limit}, BURST {burst}, STOP true)"
         " -> c :: Counter -> d :: Discard;")


def inline(config, **kw):
    """An engine, a sampler with one sample before and one after run_inline()."""
    eng = Engine(config, **kw)
    s = Sampler(eng)
    s.sample()
    eng.run_inline()
    s.sample()
    return eng, s


def test_rates_and_histogram_of_known_traffic():
    eng, s = inline(CHAIN.format(limit=1003, burst=8))
    snap = s.snapshot(window=None)
    assert snap["samples"] == 2 and snap["interval"] > 0
    c = snap["elements"]["c"]
    dt = snap["interval"]
    assert c["pps"] * dt == pytest.approx(1003)
    assert c["bps"] * dt == pytest.approx(1003 * 64 * 8)
    assert c["in_packets"] == c["out_packets"] == 1003
    # 125 batches of 8 and the last one of 3.
    assert c["hist"][8] == 125 and c["hist"][3] == 1 and c["hist"].sum() == 126
    assert c["mean_batch"] == pytest.approx(1003 / 126)
    d = snap["elements"]["d"]
    assert d["pps"] * dt == pytest.approx(1003)       # a sink: what enters it
    assert d["drops"] == {"count": 1003}
    assert d["drop_pps"]["count"] * dt == pytest.approx(1003)
    src = snap["elements"]["src"]
    assert src["out_packets"] == 1003 and src["hist"].sum() == 0
    assert np.isnan(src["mean_batch"]) and src["cycles_per_packet"] is None
    assert snap["threads"]["packets"].tolist() == [1003]
    assert snap["threads"]["pps"][0] * dt == pytest.approx(1003)


def test_ports_edges_and_drop_reasons():
    cfg = """src :: InfiniteSource(LENGTH 60, LIMIT 100, BURST 10, STOP true) -> t :: Tee(2);
             t[0] -> a :: Counter -> Discard;
             t[1] -> cl :: Classifier(12/0800, -);
             cl[0] -> Discard; cl[1] -> b :: Counter -> Discard;"""
    eng, s = inline(cfg)
    snap = s.snapshot(window=None)
    dt = snap["interval"]
    assert (snap["ports"]["t"]["pps"] * dt).round().tolist() == [100, 100]
    assert snap["ports"]["t"]["packets"].tolist() == [100, 100]
    edges = {(e["src"], e["sport"], e["dst"]): e for e in snap["edges"]}
    assert edges[("t", 1, "cl")]["packets"] == 100
    assert edges[("cl", 1, "b")]["packets"] == 100 and edges[("cl", 1, "b")]["mean_batch"] == 10
    assert snap["elements"]["cl"]["drops"] == {"no_match": 0, "unconnected": 0}
    assert snap["elements"]["b"]["in_packets"] == 100


def test_drops_per_reason():
    cfg = """src :: InfiniteSource(LENGTH 60, LIMIT 50, BURST 5, STOP true)
             -> cl :: Classifier(12/0800) -> Discard;"""
    eng, s = inline(cfg)
    snap = s.snapshot(window=None)
    cl = snap["elements"]["cl"]
    assert cl["drops"] == {"no_match": 50, "unconnected": 0}
    assert cl["drop_pps"]["no_match"] * snap["interval"] == pytest.approx(50)
    assert cl["out_pps"] == 0 and cl["in_pps"] * snap["interval"] == pytest.approx(50)


def test_cycles_per_packet_exclusive():
    eng, s = inline(CHAIN.format(limit=20000, burst=32).replace("-> c ::", "-> n :: Null -> c ::"),
                    cycles=True)
    el = s.snapshot(window=None)["elements"]
    for name in ("n", "c", "d"):
        assert el[name]["cycles_per_packet"] is not None and el[name]["cycles_per_packet"] > 0
    assert el["src"]["cycles_per_packet"] is None
    _, plain = inline(CHAIN.format(limit=100, burst=32))
    assert plain.snapshot(window=None)["elements"]["c"]["cycles_per_packet"] is None


def test_series_sum_to_totals():
    eng = Engine(CHAIN.format(limit=4000, burst=16))
    s = Sampler(eng)
    s.sample()
    for _ in range(5):
        eng.run_inline(max_runs=50)          # 50 rounds of 16 packets
        s.sample()
    t, v = s.series_many(("pps", "mean_batch"))
    assert len(t) == 5 and np.all(np.diff(t) > 0)
    dt = np.diff(np.concatenate([[s._t[0]], t]))
    assert (v["pps"]["c"] * dt).round().tolist() == [800] * 5
    assert v["mean_batch"]["c"].tolist() == [16.0] * 5
    with pytest.raises(ValueError, match="unknown series"):
        s.series("mpps")


def test_ring_is_preallocated_and_memory_does_not_grow():
    eng = Engine(CHAIN.format(limit=-1, burst=32), threads=1)
    s = Sampler(eng, history=50)
    ring = (s._ports, s._counters, s._hist, s._threads, s._t)
    eng.start()
    try:
        for _ in range(20):
            s.sample()
        tracemalloc.start()
        base = tracemalloc.take_snapshot()
        for _ in range(500):                 # ten times round the ring
            s.sample()
        grown = tracemalloc.take_snapshot().compare_to(base, "filename")
        tracemalloc.stop()
    finally:
        eng.stop()
    assert all(a is b for a, b in zip(ring, (s._ports, s._counters, s._hist, s._threads, s._t)))
    assert sum(max(d.size_diff, 0) for d in grown) < 16 * 1024
    assert s.samples == 520


def test_background_thread_samples_and_marks():
    eng = Engine(CHAIN.format(limit=-1, burst=32))
    s = Sampler(eng, hz=50).start()
    eng.start()
    try:
        for _ in range(500):
            if s.samples >= 10:
                break
            time.sleep(0.01)
        s.mark("BURST 4")
        eng["src"].burst = 4
        n = s.samples
        for _ in range(500):
            if s.samples >= n + 20:
                break
            time.sleep(0.01)
        snap = s.snapshot(window=0.2)
    finally:
        eng.stop()
        s.stop()
    assert snap["elements"]["c"]["pps"] > 0
    assert snap["elements"]["c"]["mean_batch"] == 4
    # the manual mark, then the write's own (a live change in the engine's history)
    assert [m[1] for m in snap["markers"]][-2:] == ["BURST 4", "src.burst=4"]
    assert not s.running
    assert not any(t.name == "pktlab-telemetry" and t.is_alive() for t in threading.enumerate()
                   if t is s._thread)


def test_listeners_run_on_the_sampler_thread():
    eng = Engine(CHAIN.format(limit=-1, burst=32))
    s = Sampler(eng, hz=100)
    seen, errors = [], []
    s.subscribe(lambda smp: seen.append(threading.current_thread().name), every=2)

    def bad(smp):
        errors.append(1)
        raise RuntimeError("listener bug")

    s.subscribe(bad)
    s.start()
    eng.start()
    try:
        for _ in range(500):
            if len(seen) >= 5 and len(errors) >= 10:
                break
            time.sleep(0.01)
    finally:
        eng.stop()
        s.stop()
    assert set(seen) == {"pktlab-telemetry"}
    assert len(errors) == 10          # dropped after ten failures in a row; sampling went on
    assert s.samples >= 10


def test_engine_telemetry_is_shared_and_started():
    eng = Engine(CHAIN.format(limit=-1, burst=32))
    tel = eng.telemetry
    try:
        assert tel is eng.telemetry and tel.running
        eng.start()
        time.sleep(0.3)
        eng.stop()
        tel.sample()                          # the last sample may predate stop()
        snap = tel.snapshot(window=None)
        assert snap["elements"]["c"]["in_packets"] == eng["c"].count > 0
    finally:
        tel.stop()


def test_live_change_rebinds_and_marks():
    eng = Engine(CHAIN.format(limit=-1, burst=32))
    if not hasattr(eng, "apply"):
        pytest.skip("this engine has no live change (Engine.apply)")
    s = Sampler(eng)
    eng.start()
    try:
        s.sample()
        chain = " -> ".join(f"n{i} :: Null" for i in range(40))
        eng.apply("src :: InfiniteSource(LENGTH 64, BURST 32) -> c :: Counter -> "
                  f"{chain} -> c2 :: Counter -> d :: Discard;")
        time.sleep(0.05)
        s.sample()
        time.sleep(0.05)
        s.sample()
        snap = s.snapshot(window=None)
    finally:
        eng.stop()
    assert "c2" in snap["elements"] and snap["elements"]["c2"]["in_packets"] > 0
    assert snap["elements"]["n39"]["mean_batch"] == 32
    assert snap["markers"] and "c2" in snap["markers"][-1][1]


def test_bad_rate():
    eng = Engine(CHAIN.format(limit=10, burst=1))
    with pytest.raises(ValueError, match="hz"):
        Sampler(eng, hz=0)
