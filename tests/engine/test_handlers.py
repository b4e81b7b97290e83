"""Handlers: Click's defaults, parameters, live writes, errors."""

import pytest

from pktlab import Engine, EngineError

CFG = "src :: InfiniteSource(LENGTH 64, LIMIT 100, BURST 8, STOP true) -> c :: Counter -> d :: Discard;"


@pytest.fixture
def eng():
    e = Engine(CFG)
    e.run_inline()
    return e


def test_default_handlers(eng):
    assert eng["c"].read("class") == "Counter"
    assert eng["src"].read("config") == "LENGTH 64, LIMIT 100, BURST 8, STOP true"
    assert eng["c"].read("ports") == "1 input\npush~\t100\tsrc [0]\n1 output\npush~\t100\t[0] d\n"
    assert eng["c"].read("icounts") == "100"
    assert eng["c"].read("ocounts") == "100"
    assert eng["src"].read("ocounts") == "100"
    h = eng["src"].handlers()
    assert h["burst"] == "rw" and h["length"] == "r" and h["count"] == "r" and h["reset"] == "w"


def test_parameter_handlers_and_live_write(eng):
    assert eng["src"].burst == 8
    assert eng["src"].length == 64
    eng["src"].burst = 64
    assert eng["src"].burst == 64
    eng["src"].write("active", False)
    assert eng["src"].active == "false"


def test_write_errors_name_element_and_keyword(eng):
    with pytest.raises(EngineError) as ei:
        eng["src"].burst = 0
    assert ei.value.element == "src" and ei.value.keyword == "BURST"
    assert "out of range" in str(ei.value)
    with pytest.raises(EngineError, match="not live-writable"):
        eng["src"].write("length", 100)
    with pytest.raises(EngineError, match="has no handler 'nope'"):
        eng["c"].read("nope")
    with pytest.raises(AttributeError):
        eng["c"].nope


def test_counter_reset(eng):
    assert eng["c"].count == 100
    eng["c"].write("reset")
    assert eng["c"].count == 0 and eng["c"].byte_count == 0
    eng["src"].write("reset")       # restarts the LIMIT
    eng.run_inline()
    assert eng["c"].count == 100 and eng["d"].count == 200


def test_counters_of_elements(eng):
    assert eng["d"].counters() == {"count": 100}
    assert eng["src"].counters()["sent"] == 100
    assert eng.stats().total_drops() == 100
