"""`pktlab bench elements`: every class in its table configures and gets
packets, and the figures have the shape batching predicts (an element call
costs less per packet in a batch of 32 than in a batch of one). Cycles are the
least of many short windows, so preemption cannot fake the shape; no absolute
figure is asserted."""

from __future__ import annotations

import pytest

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
