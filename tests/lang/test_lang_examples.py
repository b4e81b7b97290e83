"""Every examples/*.click parses, and its flat form round-trips.

One test loops over whatever examples exist (there may be none yet), so that
no example is ever skipped and an empty folder is not a skip either.
"""

from pathlib import Path

from pktlab.lang import ConfigError, parse, parse_file, unparse

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_every_example_parses_and_round_trips():
    failures = []
    for path in sorted(EXAMPLES.glob("*.click")):
        try:
            g = parse_file(path)
            problems = g.validate()
            if problems:
                failures.append(f"{path.name}: {problems}")
            elif parse(unparse(g)) != g:
                failures.append(f"{path.name}: flat form does not round-trip")
        except (ConfigError, ValueError) as e:
            failures.append(f"{path.name}: {e}")
    assert not failures, "\n".join(failures)
