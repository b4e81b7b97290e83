"""Paint: the paint annotation (or a generic annotation byte)."""

import pytest

from pktlab import EngineError


@pytest.mark.parametrize("burst", [1, 16])
def test_sets_paint(kit, burst):
    pkts = [bytes([i]) * 20 for i in range(50)]
    eng = kit.run(f"src :: FromMemory(BURST {burst}, STOP true) -> p :: Paint(7) ->"
                  " out :: ToMemory;", pkts)
    caps = kit.drain_captured(eng, "out")
    assert [c.data for c in caps] == pkts          # data untouched
    assert {c.paint for c in caps} == {7}
    assert eng["p"].color == 7
    assert kit.conserved(eng, 50)


def test_anno_byte(kit):
    eng = kit.run("src :: FromMemory(STOP true) -> Paint(COLOR 200, ANNO 5) -> out :: ToMemory;",
                  [b"abc"])
    (c,) = kit.drain_captured(eng, "out")
    assert c.paint == 0 and c.anno[5] == 200 and c.anno.count(0) == 47


def test_repaint_and_live_color(kit):
    eng = kit.make_engine("src :: FromMemory -> Paint(1) -> p :: Paint(2) -> out :: ToMemory;")
    kit.feed(eng, "src", [b"a"])
    eng.run_inline(max_runs=2)
    eng["p"].color = 3
    kit.feed(eng, "src", [b"b"])
    eng.run_inline(max_runs=2)
    assert [c.paint for c in kit.drain_captured(eng, "out")] == [2, 3]


@pytest.mark.parametrize("cfg,keyword", [("", "COLOR"), ("256", "COLOR"), ("1, 48", "ANNO"),
                                          ("1, xyz", "ANNO"), ("x", "COLOR")])
def test_bad_config(kit, cfg, keyword):
    with pytest.raises(EngineError) as ei:
        kit.make_engine(f"FromMemory -> p :: Paint({cfg}) -> Discard;")
    assert ei.value.element == "p" and ei.value.keyword == keyword
