"""Latency from Python: Engine(timestamps=True), LatencyHistogram's handlers,
RatedSource's due-time stamps and TIMEOUT (under simulated time: exact), the
telemetry's LatencyTap and the LatencyDashboard, `pktlab bench latency`."""

from __future__ import annotations

import time

import numpy as np
import pytest

import pktlab
from pktlab.engine.errors import EngineError
from pktlab.telemetry.latency import (NBUCKETS, bucket_index, parse_buckets, parse_summary,
                                      quantile)

CHAIN = "s :: {src} -> lat :: LatencyHistogram -> c :: Counter -> Discard;"


def inline(src: str, **kw) -> pktlab.Engine:
    eng = pktlab.Engine(CHAIN.format(src=src), **kw)
    eng.run_inline()
    return eng


def test_timestamps_off_by_default_and_packets_pass_unstamped():
    eng = inline("InfiniteSource(LENGTH 64, LIMIT 1000, STOP true)")
    assert eng.timestamps is False
    assert int(eng["lat"].count) == 0 and int(eng["c"].count) == 1000
    assert eng["lat"].counters()["unstamped"] == 1000


@pytest.mark.parametrize("src", ["InfiniteSource(LENGTH 64, LIMIT 1000, BURST 32, STOP true)",
                                 "RatedSource(LENGTH 64, RATE 100000, LIMIT 1000, STOP true)",
                                 "TimedSource(0.001, LIMIT 3, STOP true)"])
def test_every_source_stamps_when_on(src):
    eng = pktlab.Engine(CHAIN.format(src=src), timestamps=True, simtime=True)
    eng.run_inline()
    assert int(eng["lat"].count) == int(eng["c"].count) > 0
    assert eng["lat"].counters()["unstamped"] == 0


def test_from_memory_stamps_at_generation():
    eng = pktlab.Engine(CHAIN.format(src="FromMemory"), timestamps=True)
    eng.start()
    eng.feed("s", [bytes(60)] * 100)
    deadline = time.monotonic() + 10
    while int(eng["c"].count) < 100 and time.monotonic() < deadline:
        time.sleep(0.01)
    eng.stop()
    assert int(eng["lat"].count) == 100


def test_timestamps_switch_live():
    eng = pktlab.Engine(CHAIN.format(src="InfiniteSource(LENGTH 64, LIMIT 500, STOP true)"))
    eng.timestamps = True
    assert eng.timestamps is True
    eng.run_inline()
    assert int(eng["lat"].count) == 500


def test_set_timestamp_first_starts_the_measurement_anywhere():
    eng = pktlab.Engine("InfiniteSource(LENGTH 64, LIMIT 300, STOP true) -> SetTimestamp(FIRST true)"
                        " -> lat :: LatencyHistogram -> Discard;")
    eng.run_inline()
    assert int(eng["lat"].count) == 300     # no engine timestamps: SetTimestamp's


def test_handlers_agree():
    eng = inline("RatedSource(LENGTH 64, RATE 100000, BURST 64, LIMIT 6400, STOP true)",
                 timestamps=True, simtime=True)
    lat = eng["lat"]
    s = parse_summary(lat.summary)
    assert s["count"] == 6400 == int(lat.count)
    assert s["min"] <= s["p50"] <= s["p90"] <= s["p99"] <= s["p999"] <= s["max"]
    assert float(lat.p50) == s["p50"] == float(lat.median) == float(lat.read("perc 50"))
    assert float(lat.mean) == float(lat.average) == s["mean"]
    with pytest.raises(EngineError, match="perc"):
        lat.read("perc 120")
    counts = parse_buckets(lat.buckets)
    assert counts.sum() == 6400 and len(counts) == NBUCKETS
    assert quantile(counts, 0.5) == pytest.approx(s["p50"], abs=0.002)
    lat.write("reset")
    assert int(lat.count) == 0 and float(lat.p99) == 0


def test_bucket_index_matches_the_native_buckets():
    for v in (0, 1, 63, 64, 65, 127, 128, 1000, 12345, 10**6, 10**9, 2**40, 2**50):
        i = bucket_index(v)
        assert 0 <= i < NBUCKETS
    assert [bucket_index(v) for v in (63, 64, 127, 128)] == [63, 64, 95, 96]


@pytest.mark.parametrize("burst", [32, 256])
def test_batching_delay_under_simulated_time(burst):
    """A batch of B at rate R spans (B - 1)/R: p99 is 0.99 of it, p50 half."""
    rate = 100_000
    eng = inline(f"RatedSource(LENGTH 64, RATE {rate}, BURST {burst}, LIMIT 20000, STOP true)",
                 timestamps=True, simtime=True)
    span = (burst - 1) / rate * 1e6
    assert float(eng["lat"].p99) == pytest.approx(0.99 * span, rel=0.04)
    assert float(eng["lat"].p50) == pytest.approx(span / 2, rel=0.06)


@pytest.mark.parametrize("timeout_us", [10, 100])
def test_timeout_bounds_latency(timeout_us):
    rate = 100_000
    eng = inline(f"RatedSource(LENGTH 64, RATE {rate}, BURST 256, TIMEOUT {timeout_us}us, "
                 "LIMIT 20000, STOP true)", timestamps=True, simtime=True)
    assert float(eng["lat"].max) <= timeout_us + 1e6 / rate + 1
    assert float(eng["lat"].p99) >= 0.8 * timeout_us        # batches fill as far as allowed


def test_tap_samples_into_the_telemetry():
    eng = pktlab.Engine(CHAIN.format(src="RatedSource(LENGTH 64, RATE 100000, BURST 16)"),
                        timestamps=True)
    eng.start()
    try:
        tap = eng.latency
        assert tap is eng.latency and tap.elements == ["lat"]
        deadline = time.monotonic() + 10
        while ((tap.samples < 5 or not tap.latest().get("lat", {}).get("count"))
               and time.monotonic() < deadline):
            time.sleep(0.05)
        snap = eng.telemetry.snapshot()
    finally:
        eng.stop()
    lat = snap["latency"]["lat"]
    assert lat["count"] > 0 and lat["p50"] <= lat["p99"] <= lat["max"]
    assert lat["wcount"] >= 0
    t, p99 = tap.series("lat", "p99")
    assert len(t) == len(p99) >= 5 and np.all(np.diff(t) >= 0)
    t, w = tap.series("lat", "wp50")
    assert np.isfinite(w[-3:]).any()


def test_latency_dashboard_streams():
    pytest.importorskip("bokeh", reason="the lab extra: pip install -e '.[lab]'")
    from pktlab.notebook import LatencyDashboard

    eng = pktlab.Engine(CHAIN.format(src="RatedSource(LENGTH 64, RATE 50000, BURST 8)"),
                        timestamps=True)
    eng.start()
    try:
        dash = LatencyDashboard(eng, every=1)
        deadline = time.monotonic() + 10
        while dash.points < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        eng.stop()
        dash.detach()
    assert dash.points >= 3
    data = dash.source.data
    assert len(data["t"]) == dash.points and set(data) == {"t", "l0_p50", "l0_p99"}
    with pytest.raises(ValueError, match="no LatencyHistogram"):
        LatencyDashboard(pktlab.Engine("InfiniteSource -> Discard;"))


def test_bench_latency_runs():
    from pktlab.bench.latency import bench_latency, format_latency

    r = bench_latency(duration=0.05, repeat=1)
    assert {"stamp", "measure"} <= set(r["cost"])
    assert all(r["cost"][k]["on_mpps"] > 0 and r["cost"][k]["off_mpps"] > 0
               for k in ("stamp", "measure"))
    assert [(m["load"], m["burst"]) for m in r["latency"]] == \
        [(0.1, 1), (0.1, 32), (0.1, 256), (0.9, 1), (0.9, 32), (0.9, 256)]
    # Real time, 50 ms windows: on a loaded machine one may see no packet; all cannot.
    assert all(m["count"] >= 0 and m["delivered_pps"] >= 0 for m in r["latency"])
    assert sum(m["count"] for m in r["latency"]) > 0
    assert "cost" in format_latency(r)


def test_pktlab_run_timestamps(tmp_path):
    import json
    import subprocess
    import sys

    conf = tmp_path / "lat.click"
    conf.write_text("s :: RatedSource(LENGTH 64, RATE 100000, LIMIT 2000, STOP true)"
                    " -> lat :: LatencyHistogram -> Discard;\n")
    for flag, unstamped in (["--timestamps"], 0), ([], 2000):
        out = subprocess.run([sys.executable, "-m", "pktlab", "run", str(conf), "--json", *flag],
                             capture_output=True, text=True, timeout=60, check=True)
        assert json.loads(out.stdout)["elements"]["lat"]["counters"]["unstamped"] == unstamped


def test_click_magic_timestamps():
    pytest.importorskip("IPython")
    pytest.importorskip("ipywidgets", reason="the lab extra: pip install -e '.[lab]'")
    from IPython.core.interactiveshell import InteractiveShell

    ip = InteractiveShell.instance()
    ip.run_line_magic("load_ext", "pktlab")
    try:
        ip.run_cell_magic("click", "latfwd --timestamps --no-views",
                          CHAIN.format(src="InfiniteSource(LENGTH 64, BURST 32)"))
        eng = ip.user_ns["latfwd"]
        try:
            deadline = time.monotonic() + 10
            while int(eng["lat"].count) == 0 and time.monotonic() < deadline:
                time.sleep(0.02)
            assert eng.timestamps and int(eng["lat"].count) > 0
        finally:
            eng.stop()
    finally:
        ip.run_line_magic("unload_ext", "pktlab")
        ip.user_ns.pop("latfwd", None)


def test_latency_dashboard_marks_and_exports(tmp_path):
    pytest.importorskip("bokeh", reason="the lab extra: pip install -e '.[lab]'")
    from pktlab.notebook import LatencyDashboard

    eng = pktlab.Engine(CHAIN.format(src="RatedSource(LENGTH 64, RATE 50000, BURST 8)"),
                        timestamps=True)
    eng.start()
    try:
        dash = LatencyDashboard(eng, every=1, window=10.0)
        eng.telemetry.mark("BURST 8")
        deadline = time.monotonic() + 10
        while dash.points < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        eng.stop()
        dash.detach()
    assert dash.markers.data["label"][-1] == "BURST 8"
    assert dash.figure.x_range.follow == "end" and dash.figure.x_range.follow_interval == 10.0
    assert dash.figure.yaxis[0].axis_label == "latency (µs)"
    page = dash.export(str(tmp_path / "lat.html"))
    assert "pktlab-latency" in open(page, encoding="utf-8").read()
