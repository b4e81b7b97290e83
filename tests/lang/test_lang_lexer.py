"""Lexical rules: tokens, comments, configuration strings, line directives."""

import pytest

from pktlab.graph import Loc
from pktlab.lang import ConfigError, parse
from pktlab.lang.errors import Reporter
from pktlab.lang.lexer import Lexer, scan_config


def tokens(text):
    lx = Lexer(text, "<t>", Reporter())
    out = []
    while (t := lx.next()).kind != "eof":
        out.append((t.kind, t.text))
    return out


def test_identifiers_join_slashes_but_not_comments():
    assert tokens("a/b/c a//b\nx@1 @3/y 12") == [
        ("ident", "a/b/c"), ("ident", "a"), ("ident", "x@1"), ("ident", "@3/y"), ("ident", "12")]


def test_operators_keywords_and_variables():
    assert tokens("-> => :: || ... elementclass require define provide $x_1 [ ] { } ; ,") == [
        ("->", "->"), ("=>", "=>"), ("::", "::"), ("||", "||"), ("...", "..."),
        ("elementclass", "elementclass"), ("require", "require"), ("define", "define"),
        ("provide", "provide"), ("var", "$x_1"), ("[", "["), ("]", "]"), ("{", "{"), ("}", "}"),
        (";", ";"), (",", ",")]


def test_comments_are_space():
    assert tokens("a /* x -> y */ -> // c -> d\n b") == [("ident", "a"), ("->", "->"), ("ident", "b")]


def test_locations_are_one_based_and_survive_crlf():
    lx = Lexer("a\r\n  bb\rc", "f.click", Reporter())
    assert [lx.loc(lx.next().pos) for _ in range(3)] == [
        Loc("f.click", 1, 1), Loc("f.click", 2, 3), Loc("f.click", 3, 1)]


@pytest.mark.parametrize("config", [
    "simple string",
    "string with (balanced parens)",
    'string with ")quoted" paren',
    "// end-of-line comment)\n still going!",
    "/* slash-star comment) */ and backslash \\",
    "'single )' and \"double \\\" )\"",
    "\\<48 45 /* ) */ 4c>",
])
def test_configuration_strings_end_at_the_unbalanced_paren(config):
    text = config + ")rest"
    assert scan_config(text, 0)[0] == len(config)


def test_configuration_string_is_verbatim_then_uncommented():
    g = parse("x :: Print(  a,  // note\n  'b, c' /* x */ , \"d\\\"\"  );")
    assert g.elements["x"].config == "a, 'b, c' , \"d\\\"\""


def test_line_directive_renames_following_lines():
    text = 'a :: A;\n# 40 "other.click"\nb -> a;\n#line 7\nc -> a;'
    with pytest.raises(ConfigError) as e:
        parse(text, "main.click")
    assert [loc for loc, _ in e.value.errors] == [Loc("other.click", 40, 1), Loc("other.click", 7, 1)]
    assert "b -> a;" in str(e.value)


def test_line_directive_inside_configuration_is_removed():
    g = parse('x :: P(a,\n# 12 "f"\nb)')
    assert g.elements["x"].config == "a,\n\nb"


def test_hash_lines_that_are_not_directives_are_errors():
    with pytest.raises(ConfigError) as e:
        parse("# a comment\na :: A;")
    assert e.value.loc == Loc("<config>", 1, 1)
    assert "unknown preprocessor directive" in e.value.message


def test_hash_not_in_column_one_is_a_syntax_error():
    with pytest.raises(ConfigError, match="syntax error near '#'; expected"):
        parse("a :: A; # trailing")


def test_unterminated_comment_is_reported():
    with pytest.raises(ConfigError, match="unterminated '/\\*' comment"):
        parse("a :: A; /* never closed")


def test_non_ascii_is_not_part_of_identifiers():
    with pytest.raises(ConfigError, match="syntax error near 'é'"):
        parse("aé :: A;")
