"""Compound elements: expansion, names, parameters, overloading, scoping."""

import pytest

from pktlab.graph import Loc
from pktlab.lang import ConfigError, parse


def edges(g):
    return [(c.src, c.sport, c.dst, c.dport) for c in g.connections]


def summary(g):
    return [(e.name, e.cls, e.config) for e in g.elements.values()]


def test_anonymous_compound_from_the_manual():
    g = parse("a :: A; b :: B; a -> { input -> X -> output } -> b;")
    assert summary(g) == [("a", "A", ""), ("b", "B", ""), ("@3/X@1", "X", "")]
    assert edges(g) == [("a", 0, "@3/X@1", 0), ("@3/X@1", 0, "b", 0)]


def test_multi_port_compound_from_the_manual():
    g = parse("compound :: {\n  input -> X -> output;\n  input [1] -> Y -> [1] output;\n};\n"
              "a :: A; b :: B; c :: C; d :: D;\n"
              "a -> compound -> b;\nc -> [1] compound [1] -> d;")
    assert list(g.elements) == ["a", "b", "c", "d", "compound/X@1", "compound/Y@2"]
    assert sorted(edges(g)) == sorted([("a", 0, "compound/X@1", 0), ("compound/X@1", 0, "b", 0),
                                       ("c", 0, "compound/Y@2", 0), ("compound/Y@2", 0, "d", 0)])


def test_named_components_get_prefixed():
    g = parse("compound :: { input -> x :: X -> output }; a :: A; b :: B; a -> compound -> b;")
    assert edges(g) == [("a", 0, "compound/x", 0), ("compound/x", 0, "b", 0)]
    assert g.elements["compound/x"].loc == Loc("<config>", 1, 24)


def test_unused_compound_ports_drop_their_inner_connections():
    g = parse("{ input -> X -> output } -> b :: B;")
    assert edges(g) == [("@1/X@1", 0, "b", 0)]
    g = parse("c :: { input -> X -> output; input [1] -> Y -> [1] output }; s :: S; s -> c;")
    assert edges(g) == [("s", 0, "c/X@1", 0)]


def test_connecting_to_a_port_the_compound_lacks():
    with pytest.raises(ConfigError) as e:
        parse("c :: { input -> X -> output };\ns :: S; s -> [1] c; c [2] -> s;")
    assert e.value.errors == [(Loc("<config>", 2, 11), "'c' has no input 1"),
                              (Loc("<config>", 2, 27), "'c' has no output 2")]


def test_pseudoelement_misuse_and_gaps():
    with pytest.raises(ConfigError) as e:
        parse("elementclass Bad { input -> output -> input; input [2] -> output }")
    assert [m for _, m in e.value.errors] == [
        "'Bad' pseudoelement 'input' may only be used as output",
        "'Bad' input 1 missing",
        "'Bad' pseudoelement 'output' may only be used as input"]


def test_elementclass_and_parameters():
    g = parse("elementclass Tag { $color, LEN $len | input -> Paint($color) -> Truncate($len) -> output }\n"
              "s :: S; s -> t :: Tag(3, LEN 60) -> Discard;")
    assert summary(g)[2:] == [("t/Paint@1", "Paint", "3"), ("t/Truncate@2", "Truncate", "60")]


def test_rest_parameter_from_the_manual():
    g = parse("s :: S; s -> x :: { $a, COUNT $count, __REST__ $rest |\n"
              "  input -> A($a) -> B($count) -> C($rest) -> output }\n"
              "  (1, 2, COUNT 3, FOO 4) -> Discard;")
    assert [e.config for e in g.elements.values() if e.name.startswith("x/")] == ["1", "3", "2, FOO 4"]


@pytest.mark.parametrize("args,message", [
    ("(1)", "compound 'Foo' (element 'f'): too few arguments (expected 2 positional, got 1)"),
    ("(1, 2, 3)", "compound 'Foo' (element 'f'): too many arguments (expected 2 positional, got 3)"),
])
def test_wrong_number_of_arguments(args, message):
    with pytest.raises(ConfigError) as e:
        parse("elementclass Foo { $a, $b | input -> X($a, $b) -> output }\nf :: Foo" + args + ";")
    assert e.value.errors == [(Loc("<config>", 2, 1), message)]


def test_keyword_parameter_errors():
    decl = "elementclass Foo { COUNT $c | input -> X($c) -> output }\n"
    with pytest.raises(ConfigError, match=r"missing keyword argument COUNT\n"):
        parse(decl + "f :: Foo(1);")
    with pytest.raises(ConfigError) as e:
        parse(decl + "f :: Foo(COUNT 1, BRUST 2);")
    assert e.value.errors == [(Loc("<config>", 2, 1), ("compound 'Foo' (element 'f'): unknown "
                                                      "keyword 'BRUST' (its keywords: COUNT)"))]


def test_formal_declaration_errors():
    with pytest.raises(ConfigError) as e:
        parse("elementclass A { $a, $a | }\nelementclass B { K $a, $b | }\nelementclass C { $a $b | }")
    assert [m for _, m in e.value.errors] == ["parameter '$a' multiply defined",
                                             ("compound element parameters out of order (the order "
                                             "is positional, then keywords, then __REST__)"),
                                             "expected ',' or '|'",
                                             "syntax error near '$b'; expected a statement",
                                             "syntax error near '|'; expected a statement"]


def test_overloading_by_arguments_from_the_manual():
    g = parse("elementclass MyQueue {\n  input -> Queue -> Shaper(1000) -> output;\n||\n"
              "  $cap | input -> Queue($cap) -> Shaper(1000) -> output;\n}\n"
              "a :: A; b :: B; a -> q1 :: MyQueue -> b; a -> q2 :: MyQueue(20) -> b;")
    assert summary(g)[2:] == [("q1/Queue@1", "Queue", ""), ("q1/Shaper@2", "Shaper", "1000"),
                              ("q2/Queue@1", "Queue", "20"), ("q2/Shaper@2", "Shaper", "1000")]


def test_overloading_by_port_count():
    g = parse("elementclass Sw { input -> A -> output || input -> B -> output; input [1] -> C -> [1] output }\n"
              "x :: X; y :: Y;\nx -> one :: Sw -> y;\nx, x [1] => two :: Sw => y, y;")
    assert [n for n in g.elements if "/" in n] == ["one/A@1", "two/B@1", "two/C@2"]
    with pytest.raises(ConfigError, match=r"no match for 'Sw\[0 arguments, 3 inputs, 0 outputs\]'"):
        parse("elementclass Sw { input -> A -> output || input -> B -> output; input [1] -> C -> [1] output }\n"
              "x :: X; x -> [2] s :: Sw;")


def test_extension_falls_back_to_the_primitive_class():
    g = parse("elementclass Queue { $cap, $rate | input -> Queue($cap) -> Shaper($rate) -> output; || ... }\n"
              "a :: A; b :: B; a -> q1 :: Queue(10, 20) -> b; a -> q2 :: Queue(5) -> b;")
    assert summary(g)[2:] == [("q2", "Queue", "5"), ("q1/Queue@1", "Queue", "10"),
                              ("q1/Shaper@2", "Shaper", "20")]


def test_extension_only_sees_earlier_overloads():
    text = ("elementclass Test { $a | }\ntest :: Test(1, 2);\n"
            "elementclass Test { $a, $b | || ... }")
    with pytest.raises(ConfigError, match="too many arguments"):
        parse(text)


def test_elementclass_is_not_recursive_and_lexically_scoped():
    g = parse("elementclass Queue { input -> Queue -> Shaper(1000) -> output }\n"
              "elementclass A { input -> B -> output }\nelementclass B { input -> C -> output }\n"
              "s :: S; s -> q :: Queue -> a :: A -> Discard;")
    assert [(e.name, e.cls) for e in g.elements.values()][2:] == [
        ("q/Queue@1", "Queue"), ("q/Shaper@2", "Shaper"), ("a/B@1", "B")]


def test_synonyms():
    g = parse("elementclass Tx ToDevice;\nelementclass Two { input -> Tx(eth1) -> output }\n"
              "elementclass Deux Two;\ns :: S; s -> Tx(eth0); s -> d :: Deux -> Discard;")
    assert summary(g)[1:] == [("Tx@2", "ToDevice", "eth0"), ("Discard@4", "Discard", ""),
                              ("d/Tx@1", "ToDevice", "eth1")]


def test_anonymous_numbering_inside_compounds_counts_from_one():
    g = parse("elementclass P { input -> Counter -> x :: Null -> Counter -> output }\n"
              "s :: S; s -> P -> P -> Discard;")
    assert list(g.elements) == ["s", "Discard@4", "P@2/Counter@1", "P@2/x", "P@2/Counter@3",
                                "P@3/Counter@1", "P@3/x", "P@3/Counter@3"]


def test_nested_compounds_with_parameters():
    g = parse("define($BASE 100)\n"
              "elementclass Inner { $v | input -> Paint($v) -> output }\n"
              "elementclass Outer { $x | define($y ${x}0);\n"
              "  elementclass Local { $z | input -> Mark($z, $x, $BASE) -> output }\n"
              "  input -> i :: Inner($y) -> Local(l$x) -> output }\n"
              "s :: S; s -> o :: Outer(7) -> Discard;")
    assert summary(g)[2:] == [("o/i/Paint@1", "Paint", "70"), ("o/Local@2/Mark@1", "Mark", "l7, 7, 100")]
    assert edges(g) == [("s", 0, "o/i/Paint@1", 0), ("o/Local@2/Mark@1", 0, "Discard@3", 0),
                        ("o/i/Paint@1", 0, "o/Local@2/Mark@1", 0)]


def test_compound_parameters_do_not_leak_and_unknown_ones_stay():
    g = parse("elementclass C { $p | input -> P($p, $q) -> output }\n"
              "s :: S; s -> C(1) -> Print($p) -> Discard;")
    assert [e.config for e in g.elements.values()] == ["", "$p", "", "1, $q"]


def test_defines_overridden_from_outside_reach_into_compounds():
    text = ("define($RATE 10)\nelementclass Shape { input -> BandwidthShaper($RATE) -> output }\n"
            "s :: S; s -> Shape -> Discard;")
    assert parse(text).elements["Shape@2/BandwidthShaper@1"].config == "10"
    assert parse(text, defines={"RATE": "1Gbps"}).elements["Shape@2/BandwidthShaper@1"].config == "1Gbps"


def test_implicit_input_and_output():
    g = parse("s :: S; s -> { -> A -> } -> Discard; s -> { [0] -> B -> [0] } -> Discard;")
    assert edges(g) == [("s", 0, "@2/A@1", 0), ("@2/A@1", 0, "Discard@3", 0),
                        ("s", 0, "@4/B@1", 0), ("@4/B@1", 0, "Discard@5", 0)]


def test_pass_through_chains_collapse():
    g = parse("elementclass Wire { input -> output }\n"
              "s :: S; d :: D; s -> Wire -> Wire -> { input -> Wire -> output } -> d;")
    assert edges(g) == [("s", 0, "d", 0)]


def test_group_inside_a_compound():
    g = parse("elementclass G { input -> c :: Classifier(a, -) => ( [0] -> A -> [0]; [1] -> B -> [0] ) "
              "-> output }\ns :: S; s -> g :: G -> Discard;")
    assert sorted(edges(g)) == sorted([("s", 0, "g/c", 0), ("g/c", 0, "g/A@5", 0),
                                       ("g/c", 1, "g/B@6", 0), ("g/A@5", 0, "Discard@3", 0),
                                       ("g/B@6", 0, "Discard@3", 0)])


def test_class_used_as_element_name():
    with pytest.raises(ConfigError, match="class 'Foo' used as element name"):
        parse("elementclass Foo { input -> output }\nFoo :: Bar;")


@pytest.mark.parametrize("text, where", [
    ("elementclass Foo { A -> B; }\nA :: Idle;", "2:1"),    # A, once a class, stays one
    ("elementclass Foo { A :: A -> B; }\nB :: Idle;", "1:20"),  # named after its own class
])
def test_a_class_named_once_stays_a_class(text, where):
    # as click-flatten (Click's tools/lib/lexert.cc): no list of classes is given here
    with pytest.raises(ConfigError, match=f"{where}: class '[AB]' used as element name"):
        parse(text)


def test_an_element_name_then_used_as_a_class():
    with pytest.raises(ConfigError, match="'a' was previously used as an element name"):
        parse("a :: Idle; b :: a;")


def test_redeclaration_through_expansion():
    with pytest.raises(ConfigError, match="redeclaration of element 'c/x'"):
        parse("c/x :: A; c :: { input -> x :: B -> output };")


def test_deep_nesting_is_an_error_not_a_crash():
    with pytest.raises(ConfigError, match="nested more than"):
        parse("x :: " + "{ " * 200 + "}" * 200)
    with pytest.raises(ConfigError, match="nested more than"):
        parse("x -> " + "( " * 200 + ")" * 200)
