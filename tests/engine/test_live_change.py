"""Live change: Engine.apply under load, losing nothing that is not counted."""

import random
import time

import pytest

from pktlab import Engine, EngineError

BASE = "src :: InfiniteSource(LENGTH 64, BURST 32) -> c :: Counter -> d :: Discard;"


def running(cfg=BASE, threads=1):
    eng = Engine(cfg, threads=threads)
    eng.start()
    time.sleep(0.02)
    return eng


def conserved(eng, sources=("src",)):
    eng.stop()
    sent = sum(eng[s].count for s in sources)
    assert sent > 0
    assert eng.stats().total_drops() == sent
    assert eng.pools()["in_use"] == 0


def test_live_parameter_is_written_in_place():
    eng = running()
    ch = eng.apply(BASE.replace("BURST 32", "BURST 4"))
    assert (ch.retuned, ch.replaced, ch.added, ch.removed) == (1, 0, 0, 0)
    assert eng["src"].burst == 4
    assert eng["src"].read("config") == "LENGTH 64, BURST 4"
    time.sleep(0.05)
    hist = eng.stats().input_hist("c")
    assert hist[4] > 0
    conserved(eng)


def test_insert_on_edge_and_remove_again():
    eng = running()
    ch = eng.apply("src :: InfiniteSource(LENGTH 64, BURST 32) -> c :: Counter"
                   " -> c2 :: Counter -> d :: Discard;")
    assert (ch.kept, ch.added, ch.edges_changed) == (3, 1, 1)
    time.sleep(0.05)
    assert eng["c2"].count > 0
    ch = eng.apply(BASE)
    assert ch.removed == 1 and "c2" not in eng
    conserved(eng)


def test_kept_counter_keeps_counting_and_class_change_replaces():
    eng = running()
    time.sleep(0.05)
    before = eng["c"].count
    ch = eng.apply(BASE.replace("c :: Counter", "c :: Counter()")
                   .replace("d :: Discard", "n :: Null -> d :: Discard"))
    assert ch.kept == 3 and ch.added == 1        # same class, same arguments: kept
    assert eng["c"].count >= before > 0
    ch = eng.apply(BASE.replace("c :: Counter", "c :: Null"))
    assert ch.replaced == 1 and ch.removed == 1
    assert eng["c"].read("class") == "Null"
    conserved(eng)


def test_replaced_element_takes_state():
    eng = running()
    time.sleep(0.05)
    # LENGTH is not live: src is rebuilt, and continues its count.
    eng.stop()
    n = eng["src"].count
    ch = eng.apply(BASE.replace("LENGTH 64", "LENGTH 100"))
    assert ch.replaced == 1
    assert eng["src"].count == n
    eng.start()
    time.sleep(0.05)
    assert eng["src"].count > n
    conserved(eng)


def test_source_limit_continues_across_swap():
    cfg = "src :: InfiniteSource(LENGTH 64, LIMIT 1000, BURST 10, STOP true) -> c :: Counter -> d :: Discard;"
    eng = Engine(cfg.replace("LIMIT 1000", "LIMIT 1000, ACTIVE false"))
    eng.apply(cfg.replace("BURST 10", "BURST 10, ACTIVE false").replace("LENGTH 64", "LENGTH 70"))
    eng.apply(cfg)   # ACTIVE is live: retuned
    eng.run_inline()
    assert eng["src"].count == 1000 and eng["d"].count == 1000


def test_failed_change_leaves_graph_running_unchanged():
    eng = running()
    graph = eng.graph
    with pytest.raises(EngineError) as ei:
        eng.apply(BASE.replace("c :: Counter", "c :: Counter -> x :: Strip(LENGTH -3)"))
    assert ei.value.element == "x" and ei.value.keyword == "LENGTH"
    with pytest.raises(EngineError, match="unknown element class 'Countr'"):
        eng.apply(BASE.replace("Counter", "Countr"))
    with pytest.raises(EngineError, match="input 0 unused"):
        eng.apply("src :: InfiniteSource -> c :: Counter; d :: Discard;")
    assert eng.graph is graph and eng.running
    c0 = eng["c"].count
    time.sleep(0.05)
    assert eng["c"].count > c0
    assert eng.history == []
    conserved(eng)


def test_history_records_changes():
    eng = running()
    eng.apply(BASE.replace("BURST 32", "BURST 8"), label="burst 8")
    seen = []
    eng.on_change(seen.append)
    eng.apply(BASE)
    assert [c.label for c in eng.history] == ["burst 8", "~src"]
    assert seen == eng.history[1:]
    assert eng.history[0].time <= eng.history[1].time
    assert all(c.total_us > 0 for c in eng.history)
    conserved(eng)


# ---- the storm: 1,000 random changes under full load ----------------------

MIDDLE = ["Counter", "Null", "Paint(1)", "Paint(2)", "Strip(14) -> Unstrip(14)"]


def random_config(rng, sources=("s0", "s1")):
    """Two sources into one chain of random elements, sometimes a branch.
    (No Tee: clones would add packets that no source generated.)"""
    lines = []
    for s in sources:
        burst = rng.choice([1, 4, 32, 64])
        length = rng.choice([60, 64])
        active = "true" if rng.random() < 0.9 else "false"
        lines.append(f"{s} :: InfiniteSource(LENGTH {length}, BURST {burst}, ACTIVE {active});")
    chain = []
    for i in range(rng.randint(0, 5)):
        name = rng.choice(["a", "b", "e", "f", "g", "h"]) + str(i)
        chain.append(f"{name} :: {rng.choice(MIDDLE)}")
    head = "join :: Counter"
    lines.append(f"{' -> '.join([head, *chain])} -> sink :: Discard;")
    if rng.random() < 0.3:
        pattern = rng.choice(["0/52", "0/00", "-"])
        lines[-1] = lines[-1].replace(
            "-> sink :: Discard;",
            f"-> t :: Classifier({pattern}, -); t[0] -> sink :: Discard; t[1] -> sink2 :: Discard;")
    for s in sources:
        lines.append(f"{s} -> join;")
    return "\n".join(lines)


@pytest.mark.parametrize("threads", [1, 2])
def test_thousand_random_changes_conserve_packets(threads):
    rng = random.Random(1234 + threads)
    eng = Engine(random_config(rng), threads=threads)
    eng.start()
    total_us, writes = [], []
    for _ in range(1000):
        r = rng.random()
        if r < 0.7:
            ch = eng.apply(random_config(rng))
        elif r < 0.85:
            src = rng.choice(["s0", "s1"])
            burst = rng.choice([1, 8, 32, 256])
            eng[src].burst = burst
            writes.append(f"{src}.burst={burst}")
            continue
        else:
            # Reconnect: the same elements with the sources swapped over a Null.
            cfg = "extra :: Null;\n" + random_config(rng)
            ch = eng.apply(cfg.replace("s0 -> join;", "s0 -> extra -> join;"))
        total_us.append(ch.total_us)
    eng.stop()
    sent = eng["s0"].count + eng["s1"].count
    assert sent > 0
    assert eng.stats().total_drops() == sent
    assert eng.pools()["in_use"] == 0
    applied = [c for c in eng.history if c.kind == "apply"]
    assert len(applied) == len(total_us)
    assert [c.label for c in eng.history if c.kind == "write"] == writes   # live writes too
