"""Thread vectors, thread placement, Pipeliner, and the decisions made from them."""

import time

import pytest

from pktlab import Engine


def test_full_push_threads_meet_without_atomics():
    eng = Engine("""
        s0 :: InfiniteSource(BURST 16); s1 :: InfiniteSource(BURST 16);
        c :: Counter; d :: Discard;
        s0 -> c; s1 -> c; c -> d;
    """, threads=2)
    assert eng.threads_of("s0") == [eng.element_thread("s0")]
    assert eng.threads_of("c") == [0, 1] and eng.threads_of("d") == [0, 1]
    dec = eng.decisions()
    assert dec["atomic_refcounts"] is False          # full push: no packet changes thread
    assert dec["warnings"] == []


def test_static_thread_sched_places_tasks():
    eng = Engine("""
        a :: InfiniteSource -> Discard; b :: InfiniteSource -> Discard;
        c :: InfiniteSource -> Discard;
        StaticThreadSched(a 1, b 1);
    """, threads=2)
    assert eng.element_thread("a") == 1 and eng.element_thread("b") == 1
    assert eng.element_thread("c") == 0


def test_figure_13_thread_vectors():
    """The paper's Fig. 13: six threads receive; some paths join in a queue
    drained by one thread; an output reached by three threads."""
    cfg = """
        q :: Pipeliner;
        out1 :: Counter -> Discard;
        out2 :: Counter -> Discard;
        rx0, rx1, rx2, rx3, rx4, rx5 :: InfiniteSource(ACTIVE false);
        rx0 -> q; rx1 -> q; rx2 -> q;
        q -> out1;
        rx3 -> out2; rx4 -> out2; rx5 -> out2;
        StaticThreadSched(rx0 0, rx1 1, rx2 2, rx3 3, rx4 4, rx5 5, q 3);
    """
    eng = Engine(cfg, threads=6)
    assert eng.threads_of("q") == [0, 1, 2, 3]    # pushed by 0..2, drained by 3
    assert eng.threads_of("out1") == [3]            # one thread: no lock needed
    assert eng.threads_of("out2") == [3, 4, 5]      # three threads: three TX queues
    assert eng.decisions()["atomic_refcounts"] is True


@pytest.mark.parametrize("conf", ["CAPACITY 4096", "CAPACITY 4096, BATCHES true",
                                  "CAPACITY 100, BATCHES true", "CAPACITY 100, BATCHES true, BLOCKING true"])
def test_pipeliner_moves_packets_between_threads_and_conserves(conf):
    eng = Engine(f"""
        src :: InfiniteSource(LENGTH 64, BURST 32) -> p :: Pipeliner({conf})
            -> c :: Counter -> d :: Discard;
        StaticThreadSched(src 0, p 1);
    """, threads=2)
    assert eng.threads_of("c") == [1]
    assert eng.decisions()["atomic_refcounts"] is True
    eng.run(duration=0.3)
    sent = eng["src"].count
    queued = eng["p"].queued
    assert eng["c"].count > 0
    assert sent == eng["d"].count + eng["p"].counters()["dropped"] + queued
    assert eng.pools()["in_use"] == queued


@pytest.mark.parametrize("batches", ["false", "true"])
def test_pipeliner_on_one_thread_drops_when_full_instead_of_blocking(batches):
    eng = Engine(f"""
        src :: InfiniteSource(LENGTH 64, BURST 256, LIMIT 5000, STOP true)
            -> p :: Pipeliner(CAPACITY 64, BLOCKING true, BATCHES {batches}) -> d :: Discard;
    """)
    eng.run_inline()
    c = eng["p"].counters()
    assert c["dropped"] > 0                       # it cannot wait for itself
    assert eng["src"].count == 5000 == eng["d"].count + c["dropped"] + eng["p"].queued


@pytest.mark.parametrize("pipe", ["Pipeliner", "Pipeliner(BATCHES true)"])
def test_live_change_adds_a_pipeliner_and_conserves(pipe):
    base = "src :: InfiniteSource(LENGTH 64, BURST 32) -> c :: Counter -> d :: Discard; StaticThreadSched(src 0);"
    eng = Engine(base, threads=2)
    assert eng.decisions()["atomic_refcounts"] is False
    eng.start()
    time.sleep(0.05)
    eng.apply(base.replace("-> c ::", f"-> p :: {pipe} -> c ::"))
    assert eng.decisions()["atomic_refcounts"] is True
    time.sleep(0.1)
    eng.apply(base)                                 # the Pipeliner goes: its queue is dropped, counted
    time.sleep(0.05)
    eng.stop()
    assert eng["src"].count == eng.stats().total_drops()
    assert eng.pools()["in_use"] == 0


def test_queue_unqueue_vanilla_click_model_inline():
    eng = Engine("""
        src :: InfiniteSource(LENGTH 64, BURST 32, LIMIT 10000)
          -> q :: Queue(20000) -> u :: Unqueue(BURST 8) -> c :: Counter -> d :: Discard;
    """)
    assert eng.decisions()["atomic_refcounts"] is False     # one thread pushes and pulls
    eng.run_inline(max_runs=5000)     # Unqueue's task never finishes: bound the rounds
    assert eng["c"].count == 10000 and eng["q"].length == 0
    hist = eng.stats().input_hist("c")
    assert hist[8] == 10000 // 8                           # Unqueue's bursts
    assert eng.pools()["in_use"] == 0


def test_queue_across_threads_conserves():
    eng = Engine("""
        src :: InfiniteSource(LENGTH 64, BURST 32) -> q :: ThreadSafeQueue(1024)
          -> u :: Unqueue(32) -> c :: Counter -> d :: Discard;
        StaticThreadSched(src 0, u 1);
    """, threads=2)
    assert eng.threads_of("c") == [1] and eng.threads_of("q") == [0]
    assert eng.decisions()["atomic_refcounts"] is True
    eng.run(duration=0.2)
    queued = eng["q"].length
    assert eng["src"].count == eng["d"].count + eng["q"].drops + queued
    assert eng.pools()["in_use"] == queued


def test_push_pull_mismatch_is_an_error():
    import pytest

    from pktlab import EngineError

    # Click's words (lib/router.cc): the connection, or the agnostic element
    # caught between a push input and a pull output.
    with pytest.raises(EngineError, match="'q :: Queue' pull output 0 connected to 't :: Tee'"
                                          " push input 0"):
        Engine("s :: InfiniteSource -> q :: Queue -> t :: Tee -> Discard; t[1] -> Discard;")
    with pytest.raises(EngineError, match="agnostic 'c :: Counter' in mixed context: push input 0,"
                                          " pull output 0"):
        Engine("s :: InfiniteSource -> t :: Tee -> c :: Counter -> Unqueue -> Discard;"
               " t[1] -> Discard;")
    # What Click accepts: an agnostic source pulled, a Discard that pulls.
    Engine("s :: InfiniteSource -> u :: Unqueue -> Discard;")
    Engine("s :: InfiniteSource -> q :: Queue -> Discard;")


def test_live_change_swaps_a_queue_and_keeps_its_packets():
    cfg = """
        src :: InfiniteSource(LENGTH 64, BURST 32, LIMIT 3000, STOP true) -> q :: Queue({cap})
          -> u :: Unqueue(BURST 16, ACTIVE {active}) -> d :: Discard;
    """
    eng = Engine(cfg.format(cap=4096, active="false"))
    eng.run_inline()                       # the source fills the queue; nothing pulls
    assert eng["q"].length == 3000
    ch = eng.apply(cfg.format(cap=8192, active="true"))   # CAPACITY is live (Click's handler)
    assert ch.replaced == 0 and ch.retuned == 2
    assert eng["q"].length == 3000 and eng["q"].capacity == 8192
    ch = eng.apply(cfg.format(cap=8192, active="true").replace("Queue(", "NotifierQueue("))
    assert ch.replaced == 1                # another class: replaced
    assert eng["q"].length == 3000         # handed over
    eng.apply(cfg.format(cap=8192, active="true").replace(", STOP true", ""))
    eng.run_inline(max_runs=1000)
    assert eng["d"].count == 3000 and eng["q"].length == 0
    assert eng.pools()["in_use"] == 0

