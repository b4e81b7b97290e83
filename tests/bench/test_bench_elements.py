"""`pktlab bench elements`: every class in its table configures and gets
packets, and the figures have the shape batching predicts (an element call
costs less per packet in a batch of 32 than in a batch of one). Cycles are the
least of many short windows, so preemption cannot fake the shape; no absolute
figure is asserted."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pktlab.bench.click_ref import ClickUnavailable, cpu_seconds
from pktlab.bench.elements import CASES, bench_elements, chain, format_elements, frame
from pktlab.bench.router import element_cycles
from pktlab.engine import Engine
from pktlab.engine.classes import element_classes
from pktlab.engine.memio import feed


def test_every_case_is_a_class_that_gets_packets():
    assert set(CASES) <= set(element_classes()), set(CASES) - set(element_classes())
    for cls, (config, kind) in CASES.items():
        eng = Engine(chain(cls, config, kind), cycles=True)
        feed(eng, "src", [frame(60, i) for i in range(8)])
        got = element_cycles(eng, rounds=4, warmup=0)
        assert got.get("x", {}).get("packets", 0) > 0, (cls, got)
        eng.close()


@pytest.mark.parametrize("cls", ["Null", "DecIPTTL", "Classifier"])
def test_batched_costs_less_per_packet(cls):
    r = bench_elements(repeat=1, classes=[cls])
    row = r["elements"][cls]
    assert "error" not in row, row
    assert 0 < row["batched_cycles"] < row["per_packet_cycles"]
    assert cls in format_elements(r)


@pytest.fixture(scope="module")
def click_driver(tmp_path_factory):
    """A Click driver that takes Click's -e and -t: pktlab's own drop-in
    (`pktlab shims`), since no vanilla Click is installed here; a user gives
    vanilla Click's or FastClick's binary."""
    into = tmp_path_factory.mktemp("shims")
    subprocess.run([sys.executable, "-m", "pktlab", "shims", str(into)], check=True)
    return str(into / "click")


def test_click_column_is_measured_beside_null(click_driver):
    r = bench_elements(repeat=1, classes=["DecIPTTL"], click=click_driver, click_packets=20000)
    assert list(r["elements"]) == ["Null", "DecIPTTL"]         # Null joins as the reference
    row = r["elements"]["DecIPTTL"]
    assert "click_error" not in row, row
    assert isinstance(row["click_ns_above_null"], float)
    assert row["batched_ns_above_null"] == row["batched_ns"] - r["elements"]["Null"]["batched_ns"]
    assert "beside Click" in format_elements(r)


def test_click_that_cannot_run_is_a_row_not_a_crash(tmp_path):
    r = bench_elements(repeat=1, classes=["Strip"], click=str(tmp_path / "no-click"))
    assert "no such file" in r["elements"]["Strip"]["click_error"]
    assert "no such file" in format_elements(r)


def test_click_timing_line_is_read():
    assert cpu_seconds("hello\n0.055u 0.001s 0:00.26\n") == pytest.approx(0.056)
    with pytest.raises(ClickUnavailable, match="timing line"):
        cpu_seconds("Router could not be initialized!")
