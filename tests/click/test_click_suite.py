"""Click's own regression suite through Click's own runner (tests/click/clicksuite.py).

Both execution modes run every test of the scope list: batched (pktlab's
default) and per packet (`click --per-packet`, Click's model). Each fails
when a test that passing.txt (or passing-per-packet.txt) lists fails; the
lists are committed and only grow. The full table (one line per test, the
totals, the time) is printed, so `pytest -s tests/click` shows it.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
import time
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location("pktlab_clicksuite",
                                               Path(__file__).with_name("clicksuite.py"))
suite = sys.modules.setdefault("pktlab_clicksuite", importlib.util.module_from_spec(_spec))
_spec.loader.exec_module(suite)


@pytest.mark.parametrize("per_packet", [False, True], ids=["batched", "per-packet"])
def test_click_suite(per_packet, tmp_path):
    try:
        suite.shared_dir()
    except FileNotFoundError as e:     # a checkout without the project's shared folder
        pytest.skip(str(e))
    assert shutil.which("perl"), "Click's runner needs perl"
    t0 = time.monotonic()
    results = suite.run_suite(per_packet=per_packet, workdir=tmp_path)
    passed = sum(r.ok for r in results)
    mode = "per-packet" if per_packet else "batched"
    print(f"{passed} passed, {len(results) - passed} failed  ({mode}, {len(results)} tests, "
          f"{time.monotonic() - t0:.1f} s)")
    by_name = {r.test: r for r in results}
    listed = suite.listed_passing(per_packet)
    unknown = [t for t in listed if t not in by_name]
    assert not unknown, f"listed as passing but not in the scope list: {unknown}"
    broken = [by_name[t] for t in listed if not by_name[t].ok]
    assert not broken, "listed as passing, now failing:\n" + "\n\n".join(
        f"== {r.test}: {r.why}\n{r.output}" for r in broken)
