"""Idle: never emits; frees and counts what it is given."""


def test_idle_source_emits_nothing(kit):
    eng = kit.make_engine("Idle -> out :: ToMemory; src :: FromMemory(STOP true) -> Discard;")
    kit.feed(eng, "src", [b"x"] * 3)
    eng.run_inline()
    assert kit.drain(eng, "out") == []


def test_idle_sink_counts_drops(kit):
    pkts = [bytes(30)] * 25
    eng = kit.run("src :: FromMemory(BURST 10, STOP true) -> t :: Tee; t[0] -> i :: Idle;"
                  "t[1] -> [1] i; i[0] -> ToMemory; i[1] -> Discard;", pkts)
    assert eng["i"].drops == 50
    assert eng["i"].counters() == {"drops": 50}
    assert eng.ports("i") == (2, 2)
    assert kit.conserved(eng, 50)


def test_idle_without_ports(kit):
    eng = kit.run("Idle; src :: FromMemory(STOP true) -> Discard;", [b"x"])
    assert eng.done
