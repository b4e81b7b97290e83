"""Declarations, connections, ports, groups, require and define (no compounds)."""

import pytest

from pktlab.graph import Connection, Loc
from pktlab.lang import PROVIDED_PACKAGES, ConfigError, parse


def edges(g):
    return [(c.src, c.sport, c.dst, c.dport) for c in g.connections]


def summary(g):
    return [(e.name, e.cls, e.config) for e in g.elements.values()]


def test_declarations_and_a_chain():
    g = parse("src :: InfiniteSource(LENGTH 64);\nc :: Counter;\nsrc -> c -> Discard;")
    assert summary(g) == [("src", "InfiniteSource", "LENGTH 64"), ("c", "Counter", ""),
                          ("Discard@3", "Discard", "")]
    assert edges(g) == [("src", 0, "c", 0), ("c", 0, "Discard@3", 0)]
    assert g.elements["c"].loc == Loc("<config>", 2, 1)


def test_anonymous_elements_are_numbered_by_position():
    g = parse("FromDevice(eth0) -> Counter -> Discard; a :: Idle; Idle -> a;")
    assert list(g.elements) == ["FromDevice@1", "Counter@2", "Discard@3", "a", "Idle@5"]


def test_anonymous_name_taken_by_a_declaration_moves_up():
    g = parse("Counter -> d :: Discard; Counter@1 :: Idle;")
    assert summary(g) == [("Counter@2", "Counter", ""), ("d", "Discard", ""),
                          ("Counter@1", "Idle", "")]


def test_one_declaration_for_several_names():
    g = parse("a, b :: Queue(10);")
    assert summary(g) == [("a", "Queue", "10"), ("b", "Queue", "10")]


def test_declarations_inside_chains_declare_one_name_each():
    with pytest.raises(ConfigError, match="undeclared element 'n1'"):
        parse("n1, n2 :: C -> n3 :: D;")


def test_ports_on_both_sides():
    g = parse("a :: A; b :: B; a [1] -> [2] b; b[3]->[0x4]a")
    assert edges(g) == [("a", 1, "b", 2), ("b", 3, "a", 4)]


def test_many_to_one_and_one_to_many():
    g = parse("a :: A; b :: B; c :: C; a [1], b -> c; c -> [1] a, b;")
    assert edges(g) == [("a", 1, "c", 0), ("b", 0, "c", 0), ("c", 0, "a", 1), ("c", 0, "b", 0)]


def test_many_to_many_needs_double_arrow():
    g = parse("a :: A; b :: B; c :: C; d :: D; a, b => c, d;")
    assert edges(g) == [("a", 0, "c", 0), ("b", 0, "d", 0)]
    with pytest.raises(ConfigError, match="many-to-many connections require '=>'"):
        parse("a :: A; b :: B; c :: C; d :: D; a, b -> c, d;")


@pytest.mark.parametrize("text", [
    "c [0], c [1], c [2] => Paint(0), Paint(1), Paint(2) -> next;",
    "c [0,1,2] => Paint(0), Paint(1), Paint(2) -> next;",
    "c => Paint(0), Paint(1), Paint(2) -> next;",
    "c [0,] => Paint(0), Paint(1), Paint(2) -> next;",
    "c [] => Paint(0), Paint(1), Paint(2) -> next;",
])
def test_click_manual_many_to_many_forms(text):
    g = parse("c :: Classifier(00/01, 00/02, 00/03); next :: Queue;\n" + text)
    assert edges(g) == [("c", 0, "Paint@3", 0), ("c", 1, "Paint@4", 0), ("c", 2, "Paint@5", 0),
                        ("Paint@3", 0, "next", 0), ("Paint@4", 0, "next", 0),
                        ("Paint@5", 0, "next", 0)]


def test_port_list_on_the_right():
    g = parse("a :: A; b :: B; c :: C; a [0, 1] => [0] b, [0] c;")
    assert edges(g) == [("a", 0, "b", 0), ("a", 1, "c", 0)]


def test_port_ranges_as_clicks_lexer():
    # Click's yport: [0-2] is ports 0, 1, 2; a trailing '-' leaves the list open
    g = parse("a :: A; b :: B; a [0-2] => [0, 1-2] b;")
    assert edges(g) == [("a", 0, "b", 0), ("a", 1, "b", 1), ("a", 2, "b", 2)]
    with pytest.raises(ConfigError, match="expected ','"):
        parse("a :: A; a [0-1-2] -> Discard;")


def test_connection_count_mismatch():
    with pytest.raises(ConfigError, match="2 outputs connected to 3 inputs"):
        parse("a :: A; b :: B; c :: C; d :: D; a [0,1] => b, c, d;")


def test_useless_ports_at_chain_ends():
    with pytest.raises(ConfigError) as e:
        parse("a :: A; b :: B;\n[1] a -> b [2];")
    assert e.value.errors == [(Loc("<config>", 2, 5), "input ports ignored at start of chain"),
                              (Loc("<config>", 2, 15), "output ports ignored at end of chain")]


def test_repeated_connections_are_kept_once():
    g = parse("a :: A; b :: B; a -> b; a -> b; a -> [0] b;")
    assert g.connections == [Connection("a", 0, "b", 0)]


@pytest.mark.parametrize("group", [
    "x -> y;",
    "x -> ( input -> output ) -> y;",
    "x -> ( [0] -> [0] ) -> y;",
    "x -> (->) -> y;",
    "x -> ( [0]->[0]; [1]->[1] ) => ( [0]->[0]; [1]->[1] ) -> y;",
])
def test_click_manual_group_equivalences(group):
    g = parse("x :: X; y :: Y;\n" + group)
    assert summary(g) == [("x", "X", ""), ("y", "Y", "")]
    assert edges(g) == [("x", 0, "y", 0)]


@pytest.mark.parametrize("group", [
    "x => ( [0]->[0]; [1]->[1] ) -> y;",
    "x => [0,1] ( [0]->[0]; [1]->[1] ) [0,1] -> y;",
])
def test_groups_have_implied_sequential_ports(group):
    g = parse("x :: X; y :: Y;\n" + group)
    assert edges(g) == [("x", 0, "y", 0), ("x", 1, "y", 0)]


def test_group_detour_from_the_manual():
    g = parse("x :: X; y :: Y;\n"
              "x -> c :: Classifier(00/01) => (\n"
              "    input [0] -> output;\n"
              "    input [1] -> Paint(1) -> output\n"
              ") -> y;")
    # the group's three tunnel slots are counted, as in Click
    assert list(g.elements) == ["x", "y", "c", "Paint@7"]
    assert edges(g) == [("x", 0, "c", 0), ("c", 0, "y", 0), ("c", 1, "Paint@7", 0),
                        ("Paint@7", 0, "y", 0)]


def test_group_declarations_are_visible_afterwards():
    g = parse("s :: S; s -> ( input -> q :: Queue -> output ) -> Discard; q -> Print;")
    assert ("q", 0, "Print@7", 0) in edges(g)


def test_group_port_gaps_are_errors():
    with pytest.raises(ConfigError, match="'<anonymous group>' input 1 missing"):
        parse("x :: X; y :: Y; x => ( [0]->[0]; [2]->Idle ) -> y;")


def test_require_records_packages_and_rejects_unknown_ones():
    assert "pktlab" in PROVIDED_PACKAGES
    g = parse("require(package pktlab); require(pktlab, compact_config); a :: A;")
    assert g.requirements == ["package pktlab", "package pktlab", "compact_config"]
    with pytest.raises(ConfigError) as e:
        parse('a :: A;\nrequire(package "fastclick", dpdk);')
    assert e.value.errors == [(Loc("<config>", 2, 9), "pktlab does not provide package 'fastclick'"),
                              (Loc("<config>", 2, 30), "pktlab does not provide package 'dpdk'")]


def test_require_library_includes_a_file_once(tmp_path):
    (tmp_path / "lib.click").write_text("elementclass Twice { input -> Counter -> Counter -> output }")
    main = tmp_path / "main.click"
    main.write_text("require(library lib.click);\nrequire(library lib.click);\n"
                    "s :: S; s -> t :: Twice -> Discard;")
    from pktlab.lang import parse_file

    g = parse_file(main)
    assert list(g.elements) == ["s", "Discard@3", "t/Counter@1", "t/Counter@2"]
    assert g.requirements == ["library lib.click"]


def test_require_library_that_does_not_exist():
    with pytest.raises(ConfigError, match="library 'nope.click' not found"):
        parse("require(library nope.click);")


def test_define_and_substitution_forms():
    g = parse("define($DEV eth0, $N 3);\n"
              "a :: P($DEV, ${N}x, ${MISSING-dflt}, $UNSET, '$DEV', \"$Q\");",
              defines={"Q": 'say "hi"'})
    assert g.elements["a"].config == "eth0, 3x, dflt, $UNSET, '$DEV', \"say \\\"hi\\\"\""


def test_defines_are_simultaneous_and_overridable():
    text = "a :: P($A, $B); define($A 1, $B $A);"
    assert parse(text).elements["a"].config == "1, 1"
    assert parse(text, defines={"A": "9"}).elements["a"].config == "9, 9"
    assert parse(text, defines={"$B": "x"}).elements["a"].config == "1, x"


def test_define_errors():
    with pytest.raises(ConfigError) as e:
        parse("define($A 1, B 2, $A 3);")
    assert [m for _, m in e.value.errors] == ["bad 'define' declaration: not a variable",
                                             "parameter '$A' multiply defined"]


def test_configuration_ignored_on_reference():
    with pytest.raises(ConfigError, match="configuration string ignored on element reference"):
        parse("a :: A; a(1) -> Discard;")


def test_undeclared_lowercase_names_and_uppercase_classes():
    g = parse("s :: S; s -> Queue -> Discard;")
    assert list(g.elements) == ["s", "Queue@2", "Discard@3"]
    with pytest.raises(ConfigError, match="undeclared element 'queue'"):
        parse("s :: S; s -> queue -> Discard;")


def test_known_classes_give_clicks_exact_reading():
    classes = {"S", "queue", "Discard"}
    g = parse("s :: S; s -> queue -> Discard;", classes=classes)
    assert list(g.elements) == ["s", "queue@2", "Discard@3"]
    with pytest.raises(ConfigError) as e:
        parse("s :: S; s -> Queue -> Discard; x :: Dscard;", classes=classes)
    assert [m for _, m in e.value.errors] == [
        "undeclared element 'Queue'; did you mean 'queue'?",
        "unknown element class 'Dscard'; did you mean 'Discard'?"]


def test_a_last_statement_needs_no_semicolon():
    """Click reads `Print` (a whole hotconfig, say) as one element, as it reads `Print;`."""
    assert list(parse("Print").elements) == ["Print@1"]
    assert list(parse("Idle -> c :: Counter").elements) == ["Idle@1", "c"]
    assert parse("Print") == parse("Print;")
