"""GraphEditor: the widget's edit operations, checked against the engine's classes."""

import pytest

from pktlab.notebook.editing import (EditError, GraphEditor, ParamErrors, check_element, config_params,
                            with_params)
from pktlab.engine import EngineError
from pktlab.graph import Connection
from pktlab.lang import parse

FORWARD = """
src :: InfiniteSource(LENGTH 64, BURST 32) -> c :: Counter -> sink :: Discard;
"""


@pytest.fixture
def ed():
    return GraphEditor(parse(FORWARD))


def test_config_params_names_positional_and_keyword_arguments():
    assert config_params("InfiniteSource", r"\<00 11>, 10, LENGTH 64") == {
        "DATA": r"\<00 11>", "LIMIT": "10", "LENGTH": "64"}
    assert config_params("Classifier", "12/0800, 12/0806, -") == {"PATTERN": "12/0800, 12/0806, -"}
    assert config_params("Counter", "") == {}


def test_with_params_keeps_other_arguments_and_their_form():
    assert with_params("InfiniteSource", "LENGTH 64, BURST 32", {"BURST": "8"}) == "LENGTH 64, BURST 8"
    # removing a positional argument gives the ones after it their keyword
    assert (with_params("InfiniteSource", r"\<00>, 10, 4", {"LIMIT": ""})
            == r"\<00>, BURST 4")
    assert with_params("Classifier", "12/0800, -", {"PATTERN": "-"}) == "-"
    assert with_params("Strip", "", {"LENGTH": "14"}) == "LENGTH 14"


def test_set_params_rejects_bad_values_inline_and_changes_nothing(ed):
    before = ed.graph.copy()
    with pytest.raises(ParamErrors) as e:
        ed.set_params("src", {"BURST": "many", "LENGTH": "64"})
    assert e.value.element == "src"
    assert "unsigned integer" in e.value.errors["BURST"]
    with pytest.raises(ParamErrors) as e:
        ed.set_params("src", {"BURST": "99999"})
    assert "out of range 1..4096" in e.value.errors["BURST"]
    with pytest.raises(ParamErrors) as e:
        ed.set_params("src", {"BRUST": "4"})
    assert "no keyword BRUST" in e.value.errors["BRUST"]
    assert ed.graph == before and not ed.can_undo


def test_set_params_accepts_and_undoes(ed):
    assert ed.set_params("src", {"BURST": "0x10"}) == "LENGTH 64, BURST 0x10"
    assert ed.graph.elements["src"].config == "LENGTH 64, BURST 0x10"
    ed.undo()
    assert ed.graph.elements["src"].config == "LENGTH 64, BURST 32"
    ed.redo()
    assert ed.graph.elements["src"].config == "LENGTH 64, BURST 0x10"


def test_engine_check_names_element_and_keyword():
    with pytest.raises(EngineError) as e:
        check_element("p", "Paint", "COLOR 300")
    assert e.value.element == "p" and e.value.keyword == "COLOR"
    check_element("p", "Paint", "COLOR 3")


def test_insert_on_edge_rewires_through_the_new_element(ed):
    name = ed.insert("Counter", Connection("src", 0, "c", 0))
    assert name == "counter1"
    assert set(ed.graph.connections) == {Connection("src", 0, "counter1", 0),
                                         Connection("counter1", 0, "c", 0),
                                         Connection("c", 0, "sink", 0)}
    with pytest.raises(EditError, match="cannot go on an edge"):
        ed.insert("Discard", Connection("c", 0, "sink", 0))
    ed.undo()
    assert parse(FORWARD) == ed.graph


def test_connect_checks_ports_against_the_class(ed):
    with pytest.raises(EditError, match="no output ports"):
        ed.connect("sink", 0, "c", 0)
    with pytest.raises(EditError, match="already connected"):
        ed.connect("src", 0, "sink", 0)
    with pytest.raises(EditError, match="no element 'nope'"):
        ed.connect("nope", 0, "c", 0)
    ed.disconnect("c", 0, "sink", 0)
    t = ed.add("Tee", config="2")
    ed.connect("c", 0, t, 0)
    ed.connect(t, 0, "sink", 0)
    ed.connect(t, 1, ed.add("Discard"), 0)
    assert len(ed.graph.outputs_of(t)) == 2


def test_add_and_remove(ed):
    assert ed.add("Counter") == "counter1"
    assert ed.add("Counter", at=[10, 20]) == "counter2"
    assert ed.positions["counter2"] == [10.0, 20.0]
    with pytest.raises(EditError, match="did you mean 'Counter'"):
        ed.add("Countr")
    with pytest.raises(EditError, match="already exists"):
        ed.add("Counter", name="c")
    with pytest.raises(ParamErrors):
        ed.add("Strip", config="LENGTH lots")
    ed.remove("c")
    assert "c" not in ed.graph and not ed.graph.inputs_of("sink")
