import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from nmhelpers import NMPROBE  # noqa: E402


@pytest.fixture(autouse=True, scope="session")
def _probe_built():
    assert NMPROBE.exists(), f"{NMPROBE} is missing: make test-netmap builds it"
