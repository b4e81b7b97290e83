"""notebooks/04-latency.ipynb runs top to bottom in a real kernel (nbclient): the
batching/latency trade-off, its shapes asserted (in the notebook and here), not its numbers."""

from __future__ import annotations

import re
import time
from pathlib import Path

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "04-latency.ipynb"
SIM = re.compile(r"sim +(\d+) kpps BURST +(\d+): p50 +([\d.]+) us, p99 +([\d.]+) us")
REAL = re.compile(r"load +(\d+)% BURST +(\d+): offered +([\d.]+) Mpps, delivered +([\d.]+) Mpps, "
                  r"p50 +([\d.]+) us, p99 +([\d.]+) us")
TAP = re.compile(r"tap BURST +(\d+): p50 +([\d.]+) us, p99 +([\d.]+) us \((\d+) packets\)")


def test_latency_notebook_runs(run_notebook):
    """The simulated-time shapes are exact; the real-time ones (capacity and
    delivered rates against BURST, the live tap) can fail on a run starved of
    the shared cores: they must hold in one of two runs, as the paper figures'."""
    for attempt in (1, 2):
        try:
            check(run_notebook)
            return
        except AssertionError:
            if attempt == 2:
                raise


def check(run_notebook):
    t0 = time.monotonic()
    text, outputs = run_notebook(NOTEBOOK, timeout=120)
    print(text)
    print(f"04-latency ran in {time.monotonic() - t0:.1f} s")

    tap = {int(b): (float(p50), float(p99), int(n)) for b, p50, p99, n in TAP.findall(text)}
    assert set(tap) == {16, 256} and all(n > 0 for *_, n in tap.values())
    assert tap[256][0] > tap[16][0]           # a larger batch waits longer (200 kpps)
    assert int(re.search(r"dashboard points: (\d+)", text).group(1)) > 0

    sim = [(int(r), int(b), float(p50), float(p99)) for r, b, p50, p99 in SIM.findall(text)]
    assert len(sim) == 18
    for rate in (100, 1000):
        p99 = [v for r, _, _, v in sim if r == rate]
        assert p99 == sorted(p99) and p99[-1] > 50 * p99[0]
    assert "shape: p99 <= min(TIMEOUT, (B - 1)/R) + one packet gap" in text

    real = {(int(load), int(b)): tuple(map(float, rest)) for load, b, *rest in REAL.findall(text)}
    assert set(real) == {(10, 1), (10, 32), (10, 256), (90, 1), (90, 32), (90, 256)}
    assert real[(90, 1)][1] < real[(90, 32)][1]       # delivered: batches of one fall behind
    figures = [o for o in outputs if "application/vnd.bokehjs_exec.v0+json" in o.get("data", {})
               or "application/javascript" in o.get("data", {})]
    assert figures                                     # the figures were drawn
    widgets = [o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert len(widgets) == 2                           # the two live latency plots
