"""`pktlab bench io --breakdown`: the engine's per-packet cost on the DPDK
forwarding path in parts. The parts (TSC cycles between the marks on the
worker) must add up to the whole (the control thread's wall clock over the
packets the TX counter saw) within 3%: a stage left unmarked, a mark charged
twice or a wrong TSC rate moves the sum by far more than that (the smallest
stage, statistics, is several per cent of the whole). No wall-clock bound is
asserted."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from pktlab.bench.breakdown import ENGINE_PARTS, STAGES, bench_breakdown, format_breakdown
from pktlab.engine import Engine, EngineError


def test_breakdown_rows_and_parts_sum_to_the_whole():
    r = bench_breakdown(duration=0.3, repeat=1)
    assert set(r["parts_ns"]) == set(STAGES)
    for k in STAGES:
        assert r["parts_ns"][k] > 0, (k, r["parts_ns"])
    assert 0.97 <= r["parts_sum_over_whole"] <= 1.03, r
    assert abs(r["parts_sum_ns"] - r["whole_ns"]) <= 0.03 * r["whole_ns"]
    # net of the marks' own cost, the engine's parts are no more than the raw ones
    assert 0 <= r["engine_net_ns"] <= sum(r["parts_ns"][k] for k in ENGINE_PARTS)
    assert r["io_loop_ns"] > 0 and r["engine_ns"] > 0
    w = r["windows"][0]
    assert 10 <= w["marks_per_batch"] <= 14      # a dozen marks per batch, none per packet
    text = format_breakdown(r)
    for row in (*STAGES, "sum of parts", "whole (wall)", "bare io loop"):
        assert row in text


def test_cli_flag():
    out = subprocess.run([sys.executable, "-m", "pktlab", "bench", "io", "--breakdown",
                          "--duration", "0.2", "--repeat", "1", "--json"],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    r = json.loads(out.stdout)
    assert r["benchmark"] == "io --breakdown" and set(r["parts_ns"]) == set(STAGES)
    bad = subprocess.run([sys.executable, "-m", "pktlab", "bench", "router", "--breakdown"],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "--breakdown" in bad.stderr


def test_engine_breakdown_in_memory():
    """Without devices only the engine's own stages get time."""
    eng = Engine("src :: InfiniteSource(LENGTH 64, LIMIT 20000, STOP true) -> Counter -> Discard;",
                 breakdown=True)
    eng.run()
    b = eng.breakdown()
    assert set(b) == {*STAGES, "preempted", "in_progress"}
    assert b["dispatch"]["cycles"] > 0 and b["statistics"]["marks"] > 0
    assert b["rx_device"]["marks"] == b["tx_device"]["marks"] == 0
    with pytest.raises(EngineError, match="breakdown is off"):
        Engine("InfiniteSource(LIMIT 1, STOP true) -> Discard;").breakdown()


def test_fig8_pipeline_rows():
    """`pktlab bench pipeline`: the Fig. 8 models against full push on one core
    measured in the same rounds (the reference's own ratio is 1 by definition)."""
    from pktlab.bench.threads import FIG8, fig8, format_fig8

    r = fig8(duration=0.2, repeat=1)
    assert set(r["models"]) == set(FIG8)
    for row in r["models"].values():
        assert row["mpps"] > 0 and row["mpps_cpu"] > 0
    assert r["models"]["full push, 1 core"]["over_full_push_1core"] == 1.0
    assert "1-1 Pipeliner, batches" in format_fig8(r)
