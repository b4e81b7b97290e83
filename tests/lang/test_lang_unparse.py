"""Unparsing: canonical text, and parse(unparse(g)) == g."""

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pktlab.graph import Connection, Element, Graph
from pktlab.lang import parse, unparse
from pktlab.lang.lexer import KEYWORDS

SEGMENT = st.from_regex(r"[A-Za-z0-9_@]{1,6}", fullmatch=True).filter(lambda s: not s.isdigit())
NAMES = st.lists(SEGMENT, min_size=1, max_size=3).map("/".join).filter(lambda s: s not in KEYWORDS)
CLASSES = st.from_regex(r"[A-Z][A-Za-z0-9_]{0,8}", fullmatch=True)

WORD = st.from_regex(r"[A-Za-z0-9_.:+@-]{1,6}", fullmatch=True)
DQUOTED = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters='"\\\r'),
                  max_size=6).map(lambda s: f'"{s}"')
ESCAPED = st.sampled_from(['"a\\"b"', '"\\n\\t"', '"\\<0a 0b>"', "\\<ff 00>", '"x\\\\"'])
SQUOTED = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="'\r"),
                  max_size=6).map(lambda s: f"'{s}'")
ATOM = st.one_of(WORD, DQUOTED, SQUOTED, ESCAPED)
VALUE = st.recursive(
    st.lists(ATOM, min_size=1, max_size=3).map(" ".join),
    lambda inner: st.one_of(
        inner.map(lambda s: f"({s})"),
        inner.map(lambda s: f"[{s}]"),
        st.tuples(WORD, inner).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(st.from_regex(r"[A-Z][A-Z0-9_]{0,5}", fullmatch=True), inner).map(" ".join)),
    max_leaves=6)
CONFIGS = st.one_of(st.just(""), st.lists(VALUE, min_size=1, max_size=4).map(", ".join))


@st.composite
def graphs(draw):
    names = draw(st.lists(NAMES, min_size=1, max_size=12, unique=True))
    classes = [draw(CLASSES) for _ in names]
    # as in click-flatten, a name is either a class or an element in one file
    assume(not set(names) & set(classes))
    g = Graph()
    for n, c in zip(names, classes):
        g.add_element(n, c, draw(CONFIGS))
    for _ in range(draw(st.integers(0, 2 * len(names)))):
        g.connect(draw(st.sampled_from(names)), draw(st.integers(0, 3)),
                  draw(st.sampled_from(names)), draw(st.integers(0, 3)))
    return g


@settings(max_examples=200, deadline=None)
@given(graphs())
def test_round_trip_of_random_graphs(g):
    text = unparse(g)
    back = parse(text)
    assert back == g
    assert list(back.elements) == list(g.elements)  # the engine's index order


def test_canonical_text():
    g = parse("require(pktlab); s :: S(1); s -> Counter -> [1] q :: Queue [2] -> Discard;\n"
              "q -> Print; s [1] -> q;")
    assert unparse(g) == (
        "require(package pktlab);\n\n"
        "s :: S(1);\nCounter@2 :: Counter;\nq :: Queue;\nDiscard@4 :: Discard;\nPrint@5 :: Print;\n\n"
        "s -> Counter@2\n    -> [1] q;\nq [2] -> Discard@4;\ns [1] -> q\n    -> Print@5;\n")


def test_long_chains_wrap():
    g = parse("s :: S; s -> " + " -> ".join(f"Counter(NAME stage{i})" for i in range(8)) + " -> Discard")
    text = unparse(g)
    assert "\n    -> Counter@3\n" in text
    assert parse(text) == g


def test_empty_graph():
    assert unparse(Graph()) == ""
    assert parse(unparse(Graph())) == Graph()


@pytest.mark.parametrize("config", ["a)", "(a", '"open', "x // note", "$X", "${X-1}",
                                    " padded ", "a\n#line 3\nb", "/* c */"])
def test_configurations_click_cannot_carry_are_refused(config):
    g = Graph([Element("x", "X", config)])
    if config == "$X":  # an unknown parameter stays as written: it can be carried
        assert parse(unparse(g)) == g
        return
    with pytest.raises(ValueError, match="cannot be written"):
        unparse(g)


@pytest.mark.parametrize("name", ["1", "a/2", "define", "a b", "a//b", "/a", ""])
def test_bad_names_are_refused(name):
    with pytest.raises(ValueError, match="not a Click identifier|all-digit"):
        unparse(Graph([Element(name, "X")]))


def test_connections_to_missing_elements_are_refused():
    g = Graph([Element("a", "A")])
    g.connections.append(Connection("a", 0, "b", 0))
    with pytest.raises(ValueError, match="undeclared element 'b'"):
        unparse(g)


PROGRAM_PARTS = st.sampled_from([
    "s{i} :: InfiniteSource(LENGTH {i}) -> Counter -> Discard;",
    "x{i} :: Tee(2); s{i} :: S -> x{i}; x{i} [1] -> Discard; x{i} -> Print(\"p, {i}\") -> Discard;",
    "s{i} :: S -> W -> W -> Discard;",
    "s{i} :: S -> P($V{i}) -> Discard;",
    "c{i} :: Classifier(12/0800, -); s{i} :: S -> c{i} => ( [0] -> Strip(14) -> [0]; [1] -> [0] ) -> Discard;",
    "s{i} :: S -> { $a | input -> Paint($a) -> output }({i}) -> Discard;",
    "s{i}, t{i} :: S; s{i}, t{i} => Pair(a{i}, SPLIT {i}) => d{i} :: Discard, Discard;",
])


@settings(max_examples=200, deadline=None)
@given(st.lists(PROGRAM_PARTS, min_size=1, max_size=6))
def test_round_trip_of_expanded_programs(parts):
    text = ("elementclass W { input -> output }\n"
            "elementclass Pair { $a, SPLIT $b | input -> A($a) -> output; input [1] -> B($b) -> [1] output }\n"
            + "\n".join(p.replace("{i}", str(i)) for i, p in enumerate(parts)))
    g = parse(text, defines={f"V{i}": f"v{i}" for i in range(6)})
    assume(g.elements)
    back = parse(unparse(g))
    assert back == g and list(back.elements) == list(g.elements)
