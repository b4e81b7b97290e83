"""Live numbers for the graph widget: rates on edges, batch size, load and
drops on elements, computed from the engine's statistics at up to 5 Hz.

A background thread samples (the kernel must stay idle for the widget's
messages to be handled, so nothing here runs in a cell). The engine's
telemetry sampler (`engine.telemetry`, pktlab/telemetry/sampler.py) is the source
when the engine has one; otherwise the statistics region is read directly
(numpy views, no copies of the region).

Drops are flagged ("dropping") only on elements with outputs: a sink such
as Discard drops by design.

On an engine with several threads each element also carries what the
thread analysis decided (the paper's Figure 13): `threads`, the workers that
can push into it, and for device outputs `locked`, whether some of them
share a TX queue under a lock.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

import numpy as np

from ..engine import EngineError
from ..engine.stats import mean_batch

__all__ = ["LiveOverlay", "from_telemetry", "snapshot", "with_threads"]

MAX_HZ = 5.0


def _num(x) -> float:
    x = float(x) if x is not None else 0.0
    return x if math.isfinite(x) else 0.0


def _with_load(live: dict) -> dict:
    elements = live["elements"]
    peak = max([e["pps"] for e in elements.values()] + [1.0])
    for e in elements.values():
        e["load"] = e["pps"] / peak
    return live


def from_telemetry(snap: dict) -> dict:
    """The widget's `live` value from a telemetry Sampler.snapshot()."""
    edges = {f"{e['src']}:{e['sport']}": _num(e["pps"]) for e in snap.get("edges", [])}
    elements = {}
    for name, e in snap.get("elements", {}).items():
        sink = len(snap.get("ports", {}).get(name, {}).get("pps", ())) == 0
        elements[name] = {
            "pps": _num(e.get("in_pps") or e.get("pps")),
            "batch": _num(e.get("mean_batch")),
            "drops": int(sum(e.get("drops", {}).values())),
            "dropping": not sink and sum(e.get("drop_pps", {}).values()) > 0,
        }
    return _with_load({"edges": edges, "elements": elements})


def _totals(engine) -> dict[str, dict]:
    """Per element: output packets per port, input packets, batch histogram, drops."""
    st = engine.stats()
    out = {}
    for name in engine.elements:
        try:
            drops = st.drops_of(name)
            out[name] = {
                "out": np.array(st.output_packets(name), dtype=np.float64),
                "in": float(st.input_packets(name).sum()),
                "hist": np.array(st.input_hist(name), dtype=np.float64),
                "drops": int(sum(drops.values())),
                "sink": engine.ports(name)[1] == 0,
            }
        except (KeyError, IndexError):  # the graph changed under us: skip this element
            continue
    return out


def snapshot(before: dict[str, dict], after: dict[str, dict], dt: float) -> dict:
    """The widget's `live` value from two totals taken dt seconds apart."""
    edges: dict[str, float] = {}
    elements: dict[str, dict] = {}
    dt = max(dt, 1e-6)
    for name, now in after.items():
        prev = before.get(name)
        if prev is None or prev["out"].shape != now["out"].shape:
            continue
        for p, (a, b) in enumerate(zip(prev["out"], now["out"])):
            edges[f"{name}:{p}"] = max(0.0, float(b - a) / dt)
        dh = np.maximum(now["hist"] - prev["hist"], 0)
        elements[name] = {
            "pps": max(0.0, (now["in"] - prev["in"]) / dt),
            "batch": _num(mean_batch(dh)),
            "drops": now["drops"],
            "dropping": not now["sink"] and now["drops"] > prev["drops"],
        }
    return _with_load({"edges": edges, "elements": elements})


def with_threads(live: dict, engine) -> dict:
    """Add the thread analysis to each element of `live` (engines with more
    than one worker only: on one thread there is nothing to show)."""
    if getattr(engine, "threads", 1) <= 1 or not hasattr(engine, "decisions"):
        return live
    try:
        decided = engine.decisions()["elements"]
    except (KeyError, IndexError, ValueError, EngineError):  # a live change under way
        return live
    for name, d in decided.items():
        e = live.get("elements", {}).get(name)
        if e is not None:
            e["threads"] = d["threads"]
            if "tx_queues" in d:
                e["locked"] = any(q["locked"] for q in d["tx_queues"].values())
    return live


class LiveOverlay:
    """Samples `get_engine()` every 1/hz seconds while it runs and hands each
    snapshot to `publish` (from a daemon thread)."""

    def __init__(self, get_engine: Callable[[], object], publish: Callable[[dict], None],
                 hz: float = MAX_HZ):
        self._get_engine = get_engine
        self._publish = publish
        self.period = 1.0 / min(max(hz, 0.1), MAX_HZ)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pktlab-overlay", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        prev, prev_t, prev_engine, idle = None, 0.0, None, False
        while not self._stop.wait(self.period):
            engine = self._get_engine()
            if engine is None or not getattr(engine, "running", False):
                if not idle:
                    self._publish({})
                    idle = True
                prev = None
                continue
            if hasattr(engine, "telemetry"):
                try:
                    self._publish(with_threads(
                        from_telemetry(engine.telemetry.snapshot(window=1.0)), engine))
                    idle = False
                except Exception:  # a stats region being rebuilt by a live change
                    pass
                continue
            try:
                now_t = time.monotonic()
                totals = _totals(engine)
            except Exception:  # a stats region being rebuilt by a live change
                prev = None
                continue
            if prev is not None and engine is prev_engine:
                self._publish(with_threads(snapshot(prev, totals, now_t - prev_t), engine))
                idle = False
            prev, prev_t, prev_engine = totals, now_t, engine
