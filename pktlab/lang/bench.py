"""How fast the language layer is on a big configuration.

bench_parse(n) builds a configuration of about n flat elements — chains of
sources through nested compound elements with parameters — and times each
step: parsing to scopes, expanding to a flat graph, unparsing, re-parsing.
"""

from __future__ import annotations

from time import perf_counter

from . import parse, unparse
from .errors import Reporter
from .expand import Expander
from .parser import Parser
from .variables import VarEnv

HEADER = """\
define($LEN 64);
elementclass Stage { $color | input -> c :: Counter -> Paint($color) -> output }
elementclass Pair { $a, SPLIT $b | input -> Stage($a) -> s :: Stage($b) -> output }
"""
CHAIN_PAIRS = 4  # each chain: source + 4 Pairs (16 elements) + Discard = 18 elements


def make_config(n: int = 10000) -> str:
    """Text of a configuration that expands to about n elements."""
    lines = [HEADER]
    chains = max(1, n // (2 + 4 * CHAIN_PAIRS))
    for i in range(chains):
        stages = " -> ".join(f"Pair({k}, SPLIT {k + 1})" for k in range(CHAIN_PAIRS))
        lines.append(f"src{i} :: InfiniteSource(LENGTH $LEN, LIMIT {i + 1}) // chain {i}\n"
                     f"    -> {stages} -> Discard;")
    return "\n".join(lines) + "\n"


def bench_parse(n: int = 10000) -> dict:
    """Timings in seconds for one run on a configuration of about n elements."""
    text = make_config(n)
    t0 = perf_counter()
    reporter = Reporter()
    parser = Parser(reporter)
    top = parser.parse(text, "<bench>")
    t1 = perf_counter()
    env = VarEnv()
    for name, value in top.defines.items():
        env.define(name, value)
    expander = Expander(reporter)
    expander.run(top, env)
    expander.graph(parser.requirements)
    t2 = perf_counter()
    graph = parse(text, "<bench>")
    t3 = perf_counter()
    flat = unparse(graph)
    t4 = perf_counter()
    again = parse(flat, "<flat>")
    t5 = perf_counter()
    if reporter or again != graph:
        raise RuntimeError("benchmark configuration did not round-trip")
    return {
        "elements": len(graph.elements),
        "connections": len(graph.connections),
        "source_chars": len(text),
        "parse_s": t1 - t0,
        "expand_s": t2 - t1,
        "total_s": t3 - t2,
        "unparse_s": t4 - t3,
        "reparse_flat_s": t5 - t4,
    }


if __name__ == "__main__":
    for key, value in bench_parse().items():
        print(f"{key:16} {value:.4f}" if isinstance(value, float) else f"{key:16} {value}")
