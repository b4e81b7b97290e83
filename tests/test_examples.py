"""Every configuration in examples/ parses, instantiates and runs."""

from pathlib import Path

import pytest

import pktlab

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.click"))


def test_there_are_examples():
    assert EXAMPLES


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_runs(path):
    eng = pktlab.Engine(pktlab.parse_file(path))
    eng.run(duration=0.2)
    assert eng.pools()["in_use"] == 0
    st = eng.stats()
    assert int(st.ports[:, :, 0].sum()) > 0
