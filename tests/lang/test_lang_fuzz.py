"""Whatever the input, parse() returns a Graph or raises ConfigError — nothing else."""

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pktlab.graph import Graph
from pktlab.lang import ConfigError, parse, unparse

# `make fuzz-py` raises this for a campaign (PKTLAB_FUZZ_EXAMPLES per test); the default is the smoke.
EXAMPLES = int(os.environ.get("PKTLAB_FUZZ_EXAMPLES") or 200)

TOKENS = st.sampled_from([
    "a", "b", "c", "X", "Counter", "Discard", "input", "output", "0", "1", "2", "x/y", "C@1", "@3",
    "->", "=>", "::", "||", "...", "|", ",", ";", "[", "]", "{", "}", "(", ")", "(1, 2)", "($a)",
    "$a", "$b", "${a-1}", "elementclass", "define", "require", "provide", "KEY", "__REST__",
    "'q)'", '"q\\")"', "\\<0a>", "//c\n", "/*c*/", "\n#line 3\n", "\n# 5 \"f\"\n", "\n#x\n", "é", "\x00",
])


def check(text):
    try:
        g = parse(text)
    except ConfigError as e:
        assert e.errors and all(isinstance(m, str) for _, m in e.errors)
        str(e)
        return
    assert isinstance(g, Graph)
    try:
        flat = unparse(g)
    except ValueError:
        return  # e.g. a configuration that Click text cannot carry
    assert parse(flat) == g


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TOKENS, max_size=40).map(" ".join))
def test_token_soup(text):
    check(text)


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.text(max_size=200))
def test_random_text(text):
    check(text)


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes(data):
    check(data.decode("utf-8", errors="replace"))


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(st.sampled_from(["{", "}", "(", ")", "[", "]", "->", "x", "input", "||", "|"]),
                max_size=300).map("".join))
def test_deep_and_unbalanced_nesting(text):
    check(text)
