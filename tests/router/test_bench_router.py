"""`pktlab bench router` runs and reports every figure (no speed is asserted:
speeds go in the benchmark's output, as ratios)."""

from __future__ import annotations

import pytest

from pktlab.bench import get


def test_bench_router_reports_router_chain_and_cycles():
    run, fmt = get("router")
    r = run(duration=0.02, repeat=1, packets=256)
    for key in ("router_60B", "router_60-1514B", "chain"):
        v = r[key]
        assert v["batched_mpps"] > 0 and v["per_packet_mpps"] > 0
        assert v["batched_vs_per_packet"] == pytest.approx(v["batched_mpps"] / v["per_packet_mpps"])
    classes = {v["class"] for v in r["element_cycles_60B"].values()}
    assert {"CheckIPHeader", "RadixIPLookup", "DecIPTTL", "EtherEncap", "Classifier"} <= classes
    chain = {v["class"] for v in r["chain"]["element_cycles"].values()}
    assert chain == {"Classifier", "Strip", "CheckIPHeader", "RadixIPLookup", "DecIPTTL",
                     "EtherEncap", "Discard"}
    text = fmt(r)
    assert "chain vs FastClick" in text and "cycles/packet" in text
