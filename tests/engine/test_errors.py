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
    # the class is what is wrong: the location is the class's, not the name's
    assert e.loc is not None and (e.loc.line, e.loc.col) == (1, 31)
    assert str(e).startswith("<config>:1:31: c: ")
    assert e.hint == "did you mean 'Counter'?"


def test_unknown_class_in_a_live_change_keeps_the_hint_and_the_engine():
    eng = Engine("src :: InfiniteSource -> c :: Counter -> Discard;")
    with pytest.raises(EngineError) as ei:
        eng.apply("src :: InfiniteSource -> c :: Countr -> Discard;")
    e = ei.value
    assert e.kind == "class" and e.hint == "did you mean 'Counter'?"
    assert (e.loc.line, e.loc.col) == (1, 31)
    assert eng.graph.elements["c"].cls == "Counter" and eng.history == []


@pytest.mark.parametrize("name", ["c", "e", "q", "s", "un"])
def test_the_element_leads_the_message_even_when_its_name_is_inside_it(name):
    """One-letter names appear inside most messages ('c' in "class"): the
    element still leads, once."""
    e = err(f"{name} :: Countr -> Discard; InfiniteSource -> {name};")
    assert f": {name}: unknown element class 'Countr'" in str(e)
    e = err(f"{name} :: InfiniteSource(BURST many) -> Discard;")
    assert str(e).endswith(f"{name}: BURST: expected an unsigned integer, got 'many'")
    assert str(e).count(f"{name}: BURST") == 1


def test_configuration_errors_point_at_the_class():
    e = err("\n  src :: InfiniteSource(BURST many) -> Discard;")
    assert (e.loc.line, e.loc.col) == (2, 10)


def test_an_empty_configuration_is_an_error_not_a_silent_engine():
    for text in ("", "// only a comment\n", "define($X 1);"):
        e = err(text)
        assert e.kind == "graph" and "no elements" in str(e)
    eng = Engine("InfiniteSource -> Discard;")
    with pytest.raises(EngineError, match="no elements"):
        eng.apply("")


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
