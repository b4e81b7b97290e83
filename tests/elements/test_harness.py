"""The test helpers themselves: the fallback parser agrees with pktlab.lang,
and both paths run the same graph."""

import pytest

from pktlab import Engine

CONFIGS = [
    "src :: FromMemory(STOP true) -> c :: Classifier(12/0800, -);"
    "c[0] -> Paint(3) -> a :: ToMemory; c[1] -> t :: Tee; t[0] -> b :: ToMemory;"
    "t[1] -> [1] i :: Idle; Idle -> [0] i;",
    "src :: FromMemory(BURST 4, STOP true) -> Strip(14) -> Unstrip(14) -> out :: ToMemory(10);",
]


@pytest.mark.parametrize("text", CONFIGS)
def test_fallback_matches_lang(kit, text):
    lang = pytest.importorskip("pktlab.lang")
    g = lang.parse(text)
    f = kit.fallback_graph(text)
    assert [(e.name, e.cls, e.config) for e in f.elements.values()] == \
        [(e.name, e.cls, e.config) for e in g.elements.values()]
    key = lambda c: (c.src, c.sport, c.dst, c.dport)  # noqa: E731
    assert sorted(map(key, f.connections)) == sorted(map(key, g.connections))


@pytest.mark.parametrize("text", CONFIGS[1:])
def test_both_paths_run(kit, text):
    pkts = [kit.ether(payload=bytes([i]) * 30) for i in range(12)]
    results = []
    for eng in (Engine(text), Engine(kit.fallback_graph(text))):
        kit.feed(eng, "src", pkts)
        eng.run_inline()
        results.append(kit.drain(eng, "out"))
    assert results[0] == results[1] == pkts[:10]


def test_per_packet_mode_sends_batches_of_one(kit):
    pkts = [bytes([i]) * 20 for i in range(64)]
    eng = kit.run("src :: FromMemory(BURST 32, STOP true) -> t :: Tee;"
                  "t[0] -> a :: ToMemory; t[1] -> c :: Classifier(0/00, -) -> Discard;"
                  "c[1] -> b :: ToMemory;", pkts,
                  per_packet=True)
    assert kit.drain(eng, "a") == pkts
    assert kit.drain(eng, "b") == pkts[1:]
    hist = eng.stats().input_hist("a")
    assert hist[1] == 64 and hist.sum() == 64
    assert kit.conserved(eng, 128)
