"""Error reporting: every mistake, located, with source line and caret."""

import pytest

from pktlab.graph import Loc
from pktlab.lang import ConfigError, parse, parse_file


def errors_of(text, **kw):
    with pytest.raises(ConfigError) as e:
        parse(text, "cfg.click", **kw)
    return e.value


def test_format_is_file_line_column_source_and_caret():
    e = errors_of("c :: Counter;\n\tcnt -> Discard;")
    assert isinstance(e, ValueError)
    assert e.loc == Loc("cfg.click", 2, 2)
    assert e.message == "undeclared element 'cnt'; did you mean 'c'?"
    assert str(e) == ("cfg.click:2:2: undeclared element 'cnt'; did you mean 'c'?\n"
                      "    \tcnt -> Discard;\n"
                      "    \t^")


def test_all_errors_are_reported_not_only_the_first():
    e = errors_of("a :: A;\nb -> a;\na :: B;\nc :: { $x | input -> output } (1, 2);\n"
                  "require(package nothere);\nd :: D(\n")
    assert e.errors == [
        (Loc("cfg.click", 2, 1), "undeclared element 'b'"),
        (Loc("cfg.click", 3, 1), "redeclaration of element 'a' (previously declared at cfg.click:1:1)"),
        (Loc("cfg.click", 5, 9), "pktlab does not provide package 'nothere'"),
        (Loc("cfg.click", 6, 7), "unterminated configuration string: missing ')'"),
        (Loc("cfg.click", 4, 1), ("compound '<anonymous>' (element 'c'): too many arguments "
                                 "(expected 1 positional, got 2)")),
    ]
    assert str(e).count("^") == 5


@pytest.mark.parametrize("text,loc,message", [
    ("a :: A; a -> ;", (1, 14), "syntax error near ';'; expected an element"),
    ("a :: A; b :: B :: C;", (1, 16), "syntax error near '::'; expected '->' or ';'"),
    ("a :: ;", (1, 6), "missing element type in declaration"),
    ("a :: A; a [x] -> a;", (1, 12), "syntax error: port number should be integer"),
    ("a :: A; a [1 -> a;", (1, 14), "syntax error: expected ','"),
    ("a :: A; a -> [ -> a;", (1, 16), "syntax error: expected port number"),
    ("elementclass { }", (1, 14), "expected element class name"),
    ("elementclass X ;", (1, 16), "syntax error near ';'; expected '{' or a class name"),
    ("a :: { input -> output", (1, 23), "expected '}'"),
    ("a :: A; a -> (input -> output", (1, 30), "expected ')'"),
    ("a :: A; }", (1, 9), "syntax error near '}'; expected a statement"),
    ("define $X 1", (1, 8), "expected '(' after 'define'"),
    ("require(library)", (1, 9), "syntax error at requirement"),
    ("{ input -> output ... }", (1, 19), "syntax error near '...'; expected '->' or ';'"),
    ("elementclass E { ... }", (1, 22), "'...' should occur last, after one or more compounds"),
    ("x :: { input -> output || ... }", (1, 27), "cannot extend unknown element class ''"),
    ("a :: A; 3 :: B;", (1, 9), "element name '3' has all-digit component"),
    ("x :: { input [0] -> y :: Y; input [2] -> y }", (1, 6), "'<anonymous>' input 1 missing"),
])
def test_each_kind_of_mistake_is_located(text, loc, message):
    e = errors_of(text)
    assert (Loc("cfg.click", *loc), message) in e.errors, e.errors


def test_implicit_ports_in_the_middle_of_a_chain():
    e = errors_of("elementclass E { input -> a :: A -> [1], b :: B -> output }")
    assert (Loc("cfg.click", 1, 49), "implicit ports used in the middle of a chain") in e.errors


def test_stranded_port():
    e = errors_of("x :: { input -> Y; [1] }")
    assert (Loc("cfg.click", 1, 24), "stranded port ignored") in e.errors


def test_expansion_errors_point_at_the_instance():
    e = errors_of("elementclass F { $a | input -> output }\n\ns :: S;\ns -> F -> Discard;")
    assert e.errors == [(Loc("cfg.click", 4, 6),
                         ("compound 'F' (element 'F@2'): too few arguments "
                         "(expected 1 positional, got 0)"))]


def test_errors_in_a_library_name_its_file(tmp_path):
    (tmp_path / "lib.click").write_text("x :: X;\ny -> x;\n")
    main = tmp_path / "main.click"
    main.write_text("require(library lib.click)\n")
    with pytest.raises(ConfigError) as e:
        parse_file(main)
    assert e.value.errors == [(Loc(str(tmp_path / "lib.click"), 2, 1), "undeclared element 'y'")]
    assert "    y -> x;\n    ^" in str(e.value)


def test_bad_define_names_from_the_caller():
    with pytest.raises(ConfigError, match="bad parameter name 'A B'"):
        parse("a :: A;", defines={"A B": "1"})


def test_error_flood_is_capped():
    e = errors_of("x -> y;\n" * 500)
    assert len(e.errors) <= 201
    assert e.errors[-1][1].startswith("too many errors")
