"""Click's handler namespace over a pktlab Engine: what a ControlSocket serves.

    space = EngineHandlers(eng, config_text=text)
    Session(space).execute(call)          # pktlab.serve.protocol

Global handlers, as Click's driver has them: version, driver, config,
flatconfig, requirements, handlers, list, stop, classes, packages, and
hotconfig (a new configuration, applied as pktlab's live change: kept
elements keep running, live parameters are written in place). pktlab adds
running (rw: start/stop the engine, the process keeps serving), done, uptime,
pools, decisions, summary, history (+: from an index), last_change and
last_error (this connection's), layout and stats (the telemetry stream's
layout and one key frame), log.

Per element: name, class, config (rw: writing it is a live change of that
element), ports, handlers, icounts, ocounts in Click's formats
(pktlab.serve.clickfmt), one handler per parameter (rw when live), the
class's own handlers, and its read-with-parameter handlers ("r+"). Element
`N.handler` is the N-th element, from 1, as in Click.

A new configuration from the network may only name the files and devices
the served one names (pktlab.serve.files). `extra` adds elements that are
not the engine's (the `pktlab click` driver's click_driver@@ControlSocket).
"""

from __future__ import annotations

import dataclasses
import json
import struct
from importlib import metadata
from collections.abc import Callable

from ..engine import EngineError
from ..engine.classes import element_classes
from . import clickfmt
from .files import ResourcePolicy
from .session import HandlerError
from .stream import change_json, keyframe, layout_of

try:
    __version__ = metadata.version("pktlab")
except metadata.PackageNotFoundError:      # a source tree that was never installed
    __version__ = "0.0"
LLRPC_GET_RATE = 0xC004C001      # network format: IN|OUT, 4 bytes, SAFE|FLAT, 1
LLRPC_GET_COUNT = 0xC004C003


@dataclasses.dataclass
class Handler:
    name: str
    element: str | None            # None: a global handler
    flags: str                     # Click's: r, w, + (takes a parameter), % (raw), . (calm)
    reader: Callable | None = None  # (param: bytes, ctx) -> bytes
    writer: Callable | None = None  # (data: bytes, ctx) -> warnings
    visible: bool = True

    @property
    def readable(self) -> bool:
        return self.reader is not None

    @property
    def writable(self) -> bool:
        return self.writer is not None

    @property
    def full_name(self) -> str:
        return self.name if self.element is None else f"{self.element}.{self.name}"

    def read(self, param: bytes, ctx) -> bytes:
        if param and "+" not in self.flags:
            raise HandlerError(f"read handler '{self.full_name}' does not take parameters")
        try:
            return self.reader(param, ctx)
        except EngineError as e:
            raise HandlerError(e.message) from None
        except (KeyError, IndexError, ValueError) as e:   # the element went in a live change
            raise HandlerError(f"{self.full_name}: {e}") from None

    def write(self, data: bytes, ctx):
        try:
            return self.writer(data, ctx)
        except EngineError as e:
            raise _error(e, ctx, self.full_name) from None
        except (KeyError, IndexError, ValueError) as e:
            raise HandlerError(f"{self.full_name}: {e}") from None


@dataclasses.dataclass
class Context:
    """One connection's view: what its own last change and error were."""

    peer: str = ""
    last_change: object = None
    last_error: dict | None = None


def _text(data: bytes) -> str:
    if b"\0" in data:
        raise HandlerError("the value holds a NUL byte")
    return data.decode("utf-8", "replace")


def _error(e: Exception, ctx, handler: str, tail: list[str] = ()) -> HandlerError:
    """An EngineError or ConfigError as Click's error lines, remembered in ctx."""
    diags = getattr(e, "diagnostics", None)
    if diags:
        lines = [f"{d.loc}: {d.message}" if d.loc else d.message for d in diags]
    else:
        lines = [line for line in str(e).splitlines() if line.strip()] or [type(e).__name__]
    if ctx is not None:
        loc = getattr(e, "loc", None)
        ctx.last_error = {"handler": handler, "message": getattr(e, "message", str(e)),
                          "text": str(e), "kind": getattr(e, "kind", "configuration"),
                          "element": getattr(e, "element", None),
                          "keyword": getattr(e, "keyword", None),
                          "file": getattr(loc, "file", None),
                          "line": getattr(loc, "line", None) or getattr(e, "line", None),
                          "col": getattr(loc, "col", None) or getattr(e, "col", None)}
    return HandlerError(lines + list(tail))


class EngineHandlers:
    """The HandlerSpace (pktlab.serve.protocol.Session) of one Engine."""

    def __init__(self, engine, *, config_text: str | None = None, hotconfig: bool = True,
                 policy: ResourcePolicy | None = None, on_stop: Callable[[], None] | None = None,
                 extra: dict[str, dict[str, Handler]] | None = None):
        from ..lang import unparse

        self.engine = engine
        self.config_text = config_text if config_text is not None else unparse(engine.graph)
        self.policy = policy if policy is not None else ResourcePolicy(engine.graph)
        self.on_stop = on_stop or engine.stop
        self.extra = dict(extra or {})
        self.stop_requested = False
        self._tables: dict[str, dict[str, Handler]] = {}
        self._graph = None
        self.globals = self._globals(hotconfig)

    # ---- the HandlerSpace ----------------------------------------------

    def names(self) -> list[str]:
        return list(self.engine.elements) + [n for n in self.extra if n not in self.engine]

    def find(self, name: str):
        return name if name in self.engine or name in self.extra else None

    def nth(self, i: int):
        names = self.names()
        return names[i - 1] if 1 <= i <= len(names) else None

    def handler(self, element, name: str) -> Handler | None:
        if element is None:
            return self.globals.get(name)
        if element in self.extra and element not in self.engine:
            return self.extra[element].get(name)
        return self.table(element).get(name)

    def llrpc(self, element, command: int, data: bytes) -> tuple[int, bytes]:
        """Counter's GET_COUNT (key 0 packets, 1 bytes) and GET_RATE; others EINVAL."""
        if element not in self.engine or len(data) != 4:
            return -22, b""
        key = struct.unpack("<I", data)[0]
        handlers = self.table(element)
        want = {(LLRPC_GET_COUNT, 0): "count", (LLRPC_GET_COUNT, 1): "byte_count",
                (LLRPC_GET_RATE, 0): "rate"}.get((command, key))
        if want is None or want not in handlers or handlers[want].reader is None:
            return -22, b""
        try:
            value = float(self._read_el(element, want))
        except (ValueError, EngineError):
            return -22, b""
        return 0, struct.pack("<I", int(value) & 0xFFFFFFFF)

    # ---- element handlers ----------------------------------------------

    def table(self, name: str) -> dict[str, Handler]:
        if self.engine.graph is not self._graph:
            self._tables.clear()
            self._graph = self.engine.graph
        t = self._tables.get(name)
        if t is None:
            t = self._tables[name] = self._element_table(name)
        return t

    def _read_el(self, name: str, handler: str) -> str:
        eng = self.engine
        return eng._read(eng._index[name], handler)

    def _element_table(self, name: str) -> dict[str, Handler]:
        """The element's handlers as the engine lists them (its `handlers`
        handler: Click's defaults, parameters, the class's own, the ones with a
        parameter), read and written through the engine's handler machinery."""
        t: dict[str, Handler] = {}

        def add(hname, flags, reader=None, writer=None):
            t[hname] = Handler(hname, name, flags, reader, writer)

        def plain(h):
            return lambda p, ctx: self._read_el(name, h).encode()

        def with_param(h):
            return lambda p, ctx: self._read_el(name, f"{h} {_text(p).strip()}").encode()

        def writer(h):
            def write(data, ctx):
                before = len(self.engine.history)
                try:
                    self.engine[name].write(h, _text(data))
                except EngineError as e:
                    raise _error(e, ctx, f"{name}.{h}") from None
                if ctx is not None and len(self.engine.history) > before:
                    ctx.last_change = (len(self.engine.history) - 1, self.engine.history[-1])
            return write

        special = {
            "handlers": lambda p, ctx: clickfmt.handlers_text(
                (h.name, h.flags) for h in self.table(name).values()).encode(),
            # one number a line, as Click's (the engine's own handler joins them with commas)
            "icounts": lambda p, ctx: clickfmt.counts_text(
                self.engine.stats().input_packets(name)).encode(),
            "ocounts": lambda p, ctx: clickfmt.counts_text(
                self.engine.stats().output_packets(name)).encode(),
        }
        for hname, flags in self.engine[name].handlers().items():
            if hname == "config":       # a new configuration may only name served files
                add(hname, flags, plain(hname), lambda d, ctx: self._write_config(name, d, ctx))
                continue
            reader = None
            if "r" in flags:
                reader = special.get(hname) or (with_param(hname) if "+" in flags
                                                else plain(hname))
            add(hname, flags, reader, writer(hname) if "w" in flags else None)
        return t

    def _write_config(self, name: str, data: bytes, ctx):
        g = self.engine.graph.copy()
        el = g.elements[name]
        g.elements[name] = dataclasses.replace(el, config=_text(data).strip())
        self._apply(g, ctx, f"{name}.config")

    # ---- global handlers ------------------------------------------------

    def _globals(self, hotconfig: bool) -> dict[str, Handler]:
        eng = self.engine
        t: dict[str, Handler] = {}

        def add(name, flags, reader=None, writer=None):
            t[name] = Handler(name, None, flags, reader, writer)

        def js(fn):
            return lambda p, ctx: json.dumps(fn(), default=str).encode()

        add("version", "r", lambda p, ctx: __version__.encode())
        add("driver", "r", lambda p, ctx: b"userlevel")
        add("config", "r", lambda p, ctx: self.config_text.encode())
        add("flatconfig", "r", lambda p, ctx: clickfmt.flatconfig(
            eng.graph, getattr(eng.graph, "requirements", ())).encode())
        add("requirements", "r", lambda p, ctx: "".join(
            f"{r}\n" for r in getattr(eng.graph, "requirements", ())).encode())
        add("handlers", "r", lambda p, ctx: clickfmt.handlers_text(
            ((h.name, h.flags) for h in self.globals.values()), newest_first=False).encode())
        add("list", "r", lambda p, ctx: (f"{len(self.names())}\n" + "".join(
            f"{n}\n" for n in self.names())).encode())
        add("stop", "w", writer=self._stop)
        add("classes", "r", lambda p, ctx: "".join(f"{c}\n" for c in element_classes()).encode())
        add("packages", "r", lambda p, ctx: b"")
        if hotconfig:
            add("hotconfig", "w%", writer=self._hotconfig)
        add("running", "rw", lambda p, ctx: b"true" if eng.running else b"false", self._running)
        add("done", "r", lambda p, ctx: b"true" if eng.done else b"false")
        add("uptime", "r", lambda p, ctx: f"{eng.uptime():.6f}".encode())
        add("pools", "r", js(eng.pools))
        add("decisions", "r", js(eng.decisions))
        add("summary", "r", js(eng.summary))
        add("history", "r+", self._history)
        add("last_change", "r", lambda p, ctx: json.dumps(
            change_json(*ctx.last_change) if ctx and ctx.last_change else None).encode())
        add("last_error", "r", lambda p, ctx: json.dumps(ctx.last_error if ctx else None).encode())
        add("layout", "r", lambda p, ctx: json.dumps(layout_of(eng, 0)).encode())
        add("stats", "r", lambda p, ctx: keyframe(eng))
        add("log", "r", lambda p, ctx: eng.log().encode())
        return t

    def _stop(self, data: bytes, ctx):
        self.stop_requested = True
        self.on_stop()

    def _running(self, data: bytes, ctx):
        v = _text(data).strip().lower()
        if v not in ("true", "false", "1", "0", "yes", "no"):
            raise HandlerError("running: expected true or false")
        try:
            if v in ("true", "1", "yes"):
                if not self.engine.running:
                    self.engine.start()
            else:
                self.engine.stop()
        except EngineError as e:
            raise _error(e, ctx, "running") from None

    def _history(self, param: bytes, ctx) -> bytes:
        start = 0
        if param.strip():
            try:
                start = int(param.strip())
            except ValueError:
                raise HandlerError("history: expected an index") from None
        hist = self.engine.history
        if start < 0:
            start = max(len(hist) + start, 0)
        return json.dumps([change_json(i, c) for i, c in enumerate(hist) if i >= start]).encode()

    def _hotconfig(self, data: bytes, ctx):
        from ..lang import ConfigError, parse

        text = _text(data)
        try:
            graph = parse(text, "hotconfig", classes=element_classes(),
                          open_library=self.policy.open_library)
        except ConfigError as e:
            raise _error(e, ctx, "hotconfig") from None
        self._apply(graph, ctx, "hotconfig")
        self.config_text = text

    def _apply(self, graph, ctx, handler: str) -> None:
        bad = self.policy.check_graph(graph)
        if bad:
            if ctx is not None:
                ctx.last_error = {"handler": handler, "message": bad[0], "text": "\n".join(bad),
                                  "kind": "permission", "element": None, "keyword": None,
                                  "line": None, "col": None}
            raise HandlerError(bad)
        before = len(self.engine.history)
        try:
            self.engine.apply(graph)
        except EngineError as e:
            raise _error(e, ctx, handler, ["Router could not be initialized!"]) from None
        if ctx is not None and len(self.engine.history) > before:
            ctx.last_change = (len(self.engine.history) - 1, self.engine.history[-1])


__all__ = ["Context", "EngineHandlers", "Handler"]
