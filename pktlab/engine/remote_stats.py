"""A served engine's statistics, kept here by its telemetry stream.

    stream = TelemetryStream(address, token, hz=10, sink=remote_engine)
    RemoteStats(remote_engine)          # the same reads as pktlab.engine.Stats

The stream is its own connection: after the greeting (and AUTH) it asks
`STREAM HZ`, then a daemon thread reads frames (pktlab.engine.wire) and hands
them to the sink: layouts, sparse stats deltas (applied to one region
allocated per layout, with the server's clock), live changes, state. So a
Sampler over a RemoteEngine reads numpy arrays exactly as it does on a local
engine, one sample per frame, and plots never poll handlers one by one.
"""

from __future__ import annotations

import json
import logging
import threading

import numpy as np

from . import wire
from .csclient import ControlSocketClient
from .stats import StatsReader

log = logging.getLogger(__name__)


class RemoteStats(StatsReader):
    """ports[t, p, f], hist[t, p, k], counters[t, c] as the server's region has
    them, updated in place by stats frames (or one `stats` read when there is
    no stream)."""

    def __init__(self, engine):
        self._engine = engine
        self.generation = 0
        self.layout_id = None
        self._shape = None
        self._retired = 0
        self.seq = 0
        self.raw = np.zeros(0, np.uint64)
        self._port_base, self._counter_base, self._conn_in = {}, {}, {}
        self.threads = self.nports = self.ncounters = 0

    def set_layout(self, layout: dict) -> None:
        """A new layout: (re)allocate the region when its shape changed, and
        zero it (the key frame that follows holds every non-zero word)."""
        shapes = wire.region_shapes(layout)
        shape = tuple(shapes.values())
        if shape != self._shape:
            self.raw = np.zeros(wire.region_size(layout), np.uint64)
            k = 0
            views = {}
            for name, s in shapes.items():
                n = int(np.prod(s))
                v = self.raw[k:k + n].reshape(s)
                v.flags.writeable = False
                views[name] = v
                k += n
            self.ports, self.hist, self.counters = views["ports"], views["hist"], views["counters"]
            self.threads, self.nports, self.ncounters = (layout["threads"], layout["nports"],
                                                         layout["ncounters"])
            self._shape = shape
            self.generation += 1
        else:
            self.raw[:] = 0
        self.layout_id = layout["id"]
        self._index(self._engine, {e["name"]: e["port_base"] for e in layout["elements"]},
                    {e["name"]: e["counter_base"] for e in layout["elements"]})

    def apply(self, head: dict, idx: np.ndarray, vals: np.ndarray) -> bool:
        """Apply a stats frame; False if it belongs to another layout."""
        if head["layout"] != self.layout_id or (len(idx) and int(idx.max()) >= len(self.raw)):
            return False
        self.raw[idx] = vals
        self._retired = head["retired"]
        self.seq = head["seq"]
        return True

    def retired_drops(self) -> int:
        return self._retired

    def refresh(self) -> None:
        """Nothing to do: the stream keeps the arrays current."""


class TelemetryStream:
    """The stream connection and its reader thread. `sink` gets
    _frame_layout(dict), _frame_stats(head, idx, vals), _frame_change(dict),
    _frame_state(dict) and _frame_closed(exception or None), on the reader thread."""

    def __init__(self, address: str, token: str | None, hz: float, sink, timeout: float = 10.0):
        self.hz = hz
        self.sink = sink
        self.client = ControlSocketClient(address, token, timeout)
        self.client.command(b"STREAM %g" % hz)
        self.client.sock.settimeout(None)
        self.frames = 0
        self.bytes = 0
        self._closing = False
        self.alive = True
        self._thread = threading.Thread(target=self._run, name="pktlab-stream", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        c, exc = self.client, None
        try:
            while True:
                line = c.readline()
                if not line.startswith(b"FRAME "):
                    if line[:3].isdigit():
                        continue                # a reply (STREAM 0, QUIT): not a frame
                    raise ConnectionError(f"unexpected line on the stream: {line[:60]!r}")
                _, kind, n = line.split()
                payload = c.read_exact(int(n))
                self.frames += 1
                self.bytes += len(line) + len(payload)
                kind = kind.decode()
                if kind == "stats":
                    fn, args = self.sink._frame_stats, wire.decode_stats(payload)
                elif kind in ("layout", "change", "state"):
                    fn, args = getattr(self.sink, f"_frame_{kind}"), (json.loads(payload),)
                else:
                    continue                    # a kind from a newer server
                try:
                    fn(*args)
                except Exception:               # a listener's bug must not end the stream
                    log.exception("telemetry stream: %s frame", kind)
        except (OSError, ValueError) as e:
            exc = None if self._closing else e
        finally:
            self.alive = False
            self.sink._frame_closed(exc)

    def close(self) -> None:
        self._closing = True
        try:
            self.client.sock.shutdown(2)
        except OSError:
            pass
        self.client.sock.close()
        if self._thread is not threading.current_thread():
            self._thread.join(2)


__all__ = ["RemoteStats", "TelemetryStream"]
