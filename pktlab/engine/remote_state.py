"""What a RemoteEngine knows of the engine it drives, kept current by the
telemetry stream: the graph and each element's ports and threads (layouts),
the live changes (history, once each, in the server's order, whoever made
them), the state (running, done), and the stats frames it hands to the
Sampler (`on_sample`). The stream's reader thread calls the `_frame_*`
methods (pktlab.engine.remote_stats.TelemetryStream).
"""

from __future__ import annotations

import bisect
import time

from ..graph import Connection, Graph, GraphDiff
from .change import Change

_CHANGE_FIELDS = {f for f in Change.__dataclass_fields__ if f != "diff"}


def change_from_json(d: dict) -> Change:
    diff = d.get("diff")
    if diff is not None:
        for k in ("connections_added", "connections_removed"):
            diff[k] = [Connection(*c) for c in diff.get(k, [])]
        diff = GraphDiff(**diff)
    return Change(diff=diff, **{k: v for k, v in d.items() if k in _CHANGE_FIELDS})


def _graph_of(layout: dict) -> Graph:
    g = Graph()
    for e in layout["elements"]:
        g.add_element(e["name"], e["class"], e["config"])
    for c in layout["connections"]:
        g.connect(*c)
    g.requirements = list(layout.get("requirements", []))
    return g


class ServedState:
    """The part of RemoteEngine that the stream fills (a mixin)."""

    def _set_graph(self, layout: dict) -> None:
        g = _graph_of(layout)
        if self.graph is None or g != self.graph:
            names = [e["name"] for e in layout["elements"]]
            self._info = {e["name"]: e for e in layout["elements"]}
            self._index = {n: i for i, n in enumerate(names)}
            self._names = names
            self.graph = g
        else:
            self._info = {e["name"]: e for e in layout["elements"]}
        self.threads = layout["engine_threads"]
        self._state = layout["state"]

    def _frame_layout(self, layout: dict) -> None:
        self._set_graph(layout)
        self._stats.set_layout(layout)

    def _frame_stats(self, head: dict, idx, vals) -> None:
        if not self._stats.apply(head, idx, vals):
            return
        now = time.monotonic()
        lag = now - head["t"]
        self._offset = lag if self._offset is None else min(self._offset, lag)
        t = head["t"] + self._offset
        for fn in list(self._samplers):
            fn(t)

    def _frame_change(self, d: dict) -> None:
        self._add_change(d)

    def _frame_state(self, state: dict) -> None:
        self._state = state

    def _frame_closed(self, exc) -> None:
        self.stream_error = exc

    def on_change(self, listener) -> None:
        """Call listener(change) after every live change of the served engine
        (applied from here or from anywhere else)."""
        self._listeners.append(listener)

    def off_change(self, listener) -> None:
        """Stop calling `listener` (compared with ==: a bound method matches)."""
        self._listeners = [f for f in self._listeners if f != listener]

    def _add_change(self, d: dict) -> Change:
        i = d["index"]
        with self._hist_lock:
            k = bisect.bisect_left(self._indices, i)
            if k < len(self._indices) and self._indices[k] == i:
                return self.history[k]
            change = change_from_json(d)
            self._indices.insert(k, i)
            self.history.insert(k, change)
        for listener in list(self._listeners):
            listener(change)
        return change

    def on_sample(self, fn) -> None:
        """Call fn(t) (local monotonic seconds) after each stats frame: the
        telemetry Sampler samples then, so its rates use the server's clock."""
        self._samplers.append(fn)

    def off_sample(self, fn) -> None:
        self._samplers = [f for f in self._samplers if f is not fn]


__all__ = ["ServedState", "change_from_json"]
