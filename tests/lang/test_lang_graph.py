"""The graph model: building, queries, validation, JSON, equality, diffs."""

import json

import pytest

from pktlab.graph import Connection, Element, Graph, GraphDiff, Loc, diff


def small():
    g = Graph()
    g.add_element("src", "InfiniteSource", "LENGTH 64", Loc("f", 1, 1))
    g.add_element(Element("c", "Counter"))
    g.add_element("d", "Discard")
    g.connect("src", 0, "c", 0)
    g.connect(Connection("c", 0, "d", 0))
    return g


def test_building_and_queries():
    g = small()
    assert list(g.elements) == ["src", "c", "d"]
    assert g.connect("c", 0, "d", 0) == Connection("c", 0, "d", 0)
    assert len(g.connections) == 2  # no duplicates
    assert g.inputs_of("c") == [Connection("src", 0, "c", 0)]
    assert g.outputs_of("c") == [Connection("c", 0, "d", 0)]
    assert g.sources() == ["src"] and g.sinks() == ["d"]
    assert "c" in g and "x" not in g
    assert str(Loc("f", 2, 3)) == "f:2:3"
    with pytest.raises(ValueError, match="already exists"):
        g.add_element("c", "Counter")
    with pytest.raises(KeyError, match="did you mean 'src'"):
        g.element("srx")


def test_remove_element_drops_its_connections():
    g = small()
    g.remove_element("c")
    assert list(g.elements) == ["src", "d"] and g.connections == []


def test_copy_is_independent_and_equality_ignores_loc_and_order():
    g = small()
    h = g.copy()
    assert h == g and h is not g
    h.elements["c"].config = "x"
    assert g.elements["c"].config == "" and h != g
    assert Graph(g.elements, g.connections) == g
    k = Graph(reversed(list(g.elements.values())), reversed(g.connections))
    k.elements["src"].loc = None
    assert k == g
    assert g != "not a graph"


def test_validate_finds_what_needs_no_engine():
    g = small()
    assert g.validate() == []
    g.connections += [Connection("c", 0, "dd", 0), Connection("c", 0, "d", 0), Connection("c", -1, "d", 0)]
    assert g.validate() == ["connection 'c [0] -> [0] dd' names undeclared element 'dd'; did you mean 'd'?",
                            "duplicate connection 'c [0] -> [0] d'",
                            "connection 'c [-1] -> [0] d' has a negative port"]


def test_json_round_trip():
    g = small()
    g.requirements = ["package pktlab"]
    data = json.loads(json.dumps(g.to_json()))
    assert data["elements"][0] == {"name": "src", "class": "InfiniteSource", "config": "LENGTH 64",
                                   "loc": ["f", 1, 1]}
    assert data["connections"][0] == ["src", 0, "c", 0]
    h = Graph.from_json(data)
    assert h == g and h.elements["src"].loc == Loc("f", 1, 1) and h.requirements == g.requirements
    with pytest.raises(ValueError, match="not a pktlab graph"):
        Graph.from_json({"elements": [{"name": "x"}]})


def test_diff():
    old = small()
    new = old.copy()
    assert diff(old, new).empty()
    new.elements["src"].config = "LENGTH 128"
    new.remove_element("c")
    new.elements["d"] = Element("d", "Queue")
    new.add_element("p", "Print")
    new.connect("src", 0, "p", 0)
    new.connect("p", 0, "d", 0)
    d = diff(old, new)
    assert d == GraphDiff(added=["p"], removed=["c"], reconfigured=["src"], reclassed=["d"],
                          connections_added=[Connection("src", 0, "p", 0), Connection("p", 0, "d", 0)],
                          connections_removed=[Connection("src", 0, "c", 0), Connection("c", 0, "d", 0)])
    assert not d.empty()
