"""RemoteEngine: the Engine API over ControlSocket, for an engine served elsewhere.

    eng = pktlab.connect("10.0.0.2:7777", token="...")   # or "unix:/run/pktlab.sock"
    eng["c"].count               # handlers as attributes (READ c.count)
    eng["src"].burst = 4         # live writes (WRITEDATA), recorded in eng.history
    eng.apply(text_or_graph)     # hotconfig: the served engine's live change
    eng.stats(), eng.telemetry   # numpy arrays kept current by the telemetry stream
    eng.start(); eng.stop()      # the served engine; the server keeps running
    eng.close()                  # this client only

What the notebook faces use of an Engine works here unchanged: the graph,
elements, handlers, apply, history, on_change, the statistics arrays (a
Sampler over a RemoteEngine takes one sample per stream frame, stamped with
the server's clock), ports, threads, decisions. The served engine does the
work, as whatever user started it (root, for DPDK); this side needs no
privilege. Not available remotely: feed/drain (FromMemory's packets come
from Python in the engine's process) and run_inline.
"""

from __future__ import annotations

import json
import threading
import time

from ..graph import Graph, Loc
from . import accessors
from .change import Change
from .classes import element_class
from .csclient import ControlSocketClient, ControlSocketError
from .element import Element
from .errors import EngineError
from .remote_state import ServedState, change_from_json
from .remote_stats import RemoteStats, TelemetryStream


class RemoteEngine(ServedState):
    """An engine served by `pktlab serve` (or `pktlab run -p`), driven from here."""

    remote = True

    def __init__(self, address: str, token: str | None = None, *, timeout: float = 10.0,
                 hz: float = 10.0, stream: bool = True):
        self.address = str(address)
        self._token = token
        self._client = ControlSocketClient(address, token, timeout)
        if self._client.extensions() is None:
            self._client.close()
            raise EngineError(f"{address} is a ControlSocket server without pktlab's extension "
                              "(vanilla Click?): use pktlab.engine.csclient.ControlSocketClient",
                              kind="remote")
        self.history: list[Change] = []
        self._indices: list[int] = []
        self._listeners: list = []
        self._samplers: list = []
        self._hist_lock = threading.Lock()
        self._offset: float | None = None
        self.graph = None
        self._names: list[str] = []
        self._index: dict[str, int] = {}
        self._info: dict[str, dict] = {}
        self._state: dict = {}
        self._stream: TelemetryStream | None = None
        self.stream_error: Exception | None = None
        self.closed = False
        self._set_graph(self._json("layout"))
        self._stats = RemoteStats(self)
        if stream:
            self._stream = TelemetryStream(address, token, hz, self, timeout)
            self._wait_first_frame(timeout)
        else:
            for d in self._json("history"):
                self._add_change(d)
            self._load_keyframe()

    # ---- the connection -------------------------------------------------

    def _call(self, fn, *args, element=None, keyword=None):
        try:
            return fn(*args)
        except ControlSocketError as e:
            raise EngineError("; ".join(e.messages) or str(e), kind="handler", element=element,
                              keyword=keyword) from None
        except OSError as e:
            raise EngineError(f"{self.address}: {e}", kind="remote") from None

    def _json(self, handler: str, param=None):
        return json.loads(self._call(self._client.read, handler, param))

    def _wait_first_frame(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self._stats.layout_id is None and time.monotonic() < deadline and \
                self._stream.alive:
            time.sleep(0.005)

    def _load_keyframe(self) -> None:
        from . import wire

        layout = self._json("layout")
        self._set_graph(layout)
        self._stats.set_layout(layout)
        head, idx, vals = wire.decode_stats(self._call(self._client.read, "stats"))
        head["layout"] = layout["id"]
        self._stats.apply(head, idx, vals)

    # ---- running -------------------------------------------------------

    def start(self) -> RemoteEngine:
        self._call(self._client.write, "running", "true")
        self._state = {**self._state, "running": True}
        return self

    def stop(self) -> None:
        self._call(self._client.write, "running", "false")
        self._state = {**self._state, "running": False}

    def _live_state(self, key: str) -> bool:
        if self.closed:
            return False
        if self._stream is not None and self._stream.alive:
            return bool(self._state.get(key))
        try:
            return self._call(self._client.read, key) == b"true"
        except EngineError as e:          # the server went away: nothing runs for us
            if e.kind != "remote":
                raise
            return False

    @property
    def running(self) -> bool:
        return self._live_state("running")

    @property
    def done(self) -> bool:
        return self._live_state("done")

    def wait(self, timeout: float | None = None, poll: float = 0.05) -> bool:
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self.done:
            if deadline is not None and time.monotonic() >= deadline:
                return False
            time.sleep(poll)
        return True

    def run(self, duration: float | None = None) -> RemoteEngine:
        self.start()
        try:
            self.wait(duration)
        finally:
            self.stop()
        return self

    def uptime(self) -> float:
        return float(self._call(self._client.read, "uptime"))

    def close(self) -> None:
        """Close this client's connections (the served engine keeps running)."""
        self.closed = True
        if self._stream is not None:
            self._stream.close()
        self._client.close()

    def __enter__(self) -> RemoteEngine:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- live change ---------------------------------------------------

    def apply(self, graph, *, defines: dict[str, str] | None = None, label: str | None = None):
        """The served engine's live change into `graph` (Click text or a Graph),
        through its `hotconfig` handler. Returns the Change it recorded."""
        from ..lang import parse, unparse

        if isinstance(graph, str):
            text = unparse(parse(graph, defines=defines)) if defines else graph
        else:
            text = unparse(graph)
        try:
            self._client.write("hotconfig", text)
        except ControlSocketError as e:
            raise self._last_error(e, graph if isinstance(graph, Graph) else None) from None
        except OSError as e:
            raise EngineError(f"{self.address}: {e}", kind="remote") from None
        change = self._refresh_after_change()
        if change is not None and label:
            change.label = label
        return change

    def apply_text(self, text: str, **kw):
        return self.apply(text, **kw)

    def _last_error(self, e: ControlSocketError, graph: Graph | None = None) -> EngineError:
        """The server's record of this client's failed write, as the EngineError a
        local engine raises (located in `graph` when the element is in it)."""
        try:
            info = self._json("last_error") or {}
        except EngineError:
            info = {}
        if not info:
            return EngineError("; ".join(e.messages) or str(e), kind="handler")
        element, loc = info.get("element"), None
        if graph is not None and element in graph.elements:
            loc = getattr(graph.elements[element], "loc", None)
        if loc is None and info.get("line") and info.get("file"):
            loc = Loc(info["file"], info["line"], info.get("col") or 1)
        if info.get("kind") == "configuration" and element is None:   # the server's parser's
            return EngineError(info["text"], kind="configuration")
        return EngineError(info["message"], kind=info.get("kind", "remote"), element=element,
                           keyword=info.get("keyword"), loc=loc)

    def _refresh_after_change(self) -> Change | None:
        """This client's own change, into history now (the stream repeats it later)."""
        d = self._json("last_change")
        self._set_graph(self._json("layout"))
        return self._add_change(d) if d else None

    # ---- elements and handlers ----------------------------------------

    @property
    def elements(self) -> list[str]:
        return list(self._names)

    def __getitem__(self, name: str) -> Element:
        try:
            return Element(self, self._index[name], name)
        except KeyError:
            raise KeyError(f"no element named '{name}'") from None

    def __contains__(self, name: str) -> bool:
        return name in self._index

    def _name(self, index: int) -> str:
        return self._names[index]

    def _read(self, index: int, handler: str) -> str:
        name = self._name(index)
        h, _, param = handler.partition(" ")
        data = self._call(self._client.read, f"{name}.{h}", param or None, element=name,
                          keyword=h)
        return data.decode("utf-8", "replace")

    def _write(self, index: int, handler: str, value: str) -> None:
        name = self._name(index)
        try:
            self._client.write(f"{name}.{handler}", value)
        except ControlSocketError as e:
            raise self._last_error(e) from None
        except OSError as e:
            raise EngineError(f"{self.address}: {e}", kind="remote") from None

    def _write_handler(self, name: str, index: int, handler: str, value: str) -> None:
        self._write(index, handler, value)
        cls = element_class(self.graph.elements[name].cls)
        if any(p.live and p.name.lower() == handler for p in cls.params):
            self._refresh_after_change()

    def ports(self, name: str) -> tuple[int, int]:
        nin, nout = self._info[name]["ports"]
        return nin, nout

    def element_thread(self, name: str) -> int | None:
        return self._info[name]["thread"]

    def threads_of(self, name: str) -> list[int]:
        return list(self._info[name]["threads"])

    def decisions(self) -> dict:
        d = self._json("decisions")
        for e in d.get("elements", {}).values():
            if "tx_queues" in e:
                e["tx_queues"] = {int(t): q for t, q in e["tx_queues"].items()}
        return d

    # ---- statistics, pools, log ---------------------------------------

    def stats(self) -> RemoteStats:
        """The served engine's statistics arrays: kept current by the stream,
        or read once per call without one."""
        if self._stream is None:
            self._load_keyframe()
        return self._stats

    def pools(self) -> dict[str, int]:
        return self._json("pools")

    def summary(self) -> dict[str, dict]:
        return self._json("summary")

    def log(self) -> str:
        """Lines elements (Print) wrote since anybody last read the served engine's log."""
        return self._call(self._client.read, "log").decode("utf-8", "replace")

    def feed(self, name: str, packets) -> int:
        raise EngineError("feed() needs the engine in this process (FromMemory's packets come "
                          "from Python there); drive a remote FromMemory from its host",
                          kind="remote", element=name)

    def drain(self, name: str, limit: int | None = None) -> list[bytes]:
        raise EngineError("drain() needs the engine in this process (ToMemory keeps packets "
                          "for Python there)", kind="remote", element=name)

    def run_inline(self, max_runs: int = 0):
        raise EngineError("run_inline() runs on the calling thread: not for a served engine",
                          kind="remote")

    def __getattr__(self, name: str):
        """Faces the layers above attach: `eng.telemetry` (pktlab.telemetry)."""
        if name.startswith("_"):
            raise AttributeError(name)
        return accessors.resolve(self, name)

    def __repr__(self) -> str:
        state = "running" if self._state.get("running") else "stopped"
        return (f"<RemoteEngine {self.address}: {len(self._names)} elements, "
                f"{self.threads} thread(s), {state}>")


def connect(address: str, token: str | None = None, **kw) -> RemoteEngine:
    """A RemoteEngine for the engine served at `address` ("HOST:PORT", "PORT",
    "unix:/path"); token: what the server was started with (or $PKTLAB_TOKEN)."""
    return RemoteEngine(address, token, **kw)


__all__ = ["RemoteEngine", "change_from_json", "connect"]
