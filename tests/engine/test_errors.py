"""Invalid graphs: each error names the element, keyword and location."""

import pytest

from pktlab import Engine, EngineError


def err(text):
    with pytest.raises(EngineError) as ei:
        Engine(text)
    return ei.value


def test_unknown_class_has_location_and_hint():
    e = err("src :: InfiniteSource -> c :: Countr -> Discard;")
    assert e.kind == "class" and e.element == "c"
    assert "unknown element class 'Countr'; did you mean 'Counter'?" in str(e)
    assert e.loc is not None and (e.loc.line, e.loc.col) == (1, 26)
    assert str(e).startswith("<config>:1:26: ")


def test_bad_argument_names_keyword():
    e = err("src :: InfiniteSource(BURST many) -> Discard;")
    assert e.kind == "configuration" and e.element == "src" and e.keyword == "BURST"
    assert "expected an unsigned integer, got 'many'" in str(e)


def test_unknown_keyword():
    e = err("src :: InfiniteSource(BURST 4, COLOR 3) -> Discard;")
    assert e.keyword == "COLOR" and "unknown keyword 'COLOR'" in str(e)


def test_port_out_of_range():
    e = err("src :: InfiniteSource; d :: Discard; src [1] -> d;")
    assert e.kind == "graph" and e.element == "src" and "'src :: InfiniteSource' has no output 1" in str(e)


def test_unconnected_port():
    e = err("src :: InfiniteSource -> c :: Counter;")
    assert e.element == "c" and "'c :: Counter' output 0 unused" in str(e)


def test_input_to_source():
    e = err("a :: InfiniteSource; b :: InfiniteSource; a -> b;")
    assert e.element == "b" and "'b :: InfiniteSource' has no input 0" in str(e)


def test_push_output_connected_twice():
    e = err("src :: InfiniteSource; src -> Discard; src -> Discard;")
    assert e.element == "src" and "illegal reuse of 'src :: InfiniteSource' push output 0" in str(e)
