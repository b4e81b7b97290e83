"""The ControlSocket server: sockets, clients, the control thread.

    srv = Server(eng, tcp=["127.0.0.1:0"]).start()   # a background thread
    srv.port                                         # where it listens
    srv.serve_forever()                              # or: in this thread (pktlab serve)

One asyncio loop (its own thread, never an engine worker) accepts and reads
every client; each client's commands run in order, one engine call at a time
for all clients (a control lock: handler calls and live changes never race
each other): reads on the loop when the lock is free, the rest on one
control thread while the loop keeps serving everybody else. The engine's
lock is taken only inside handler calls and the telemetry copy, never while
waiting on a socket. A client that does not read its replies stops being
read (its commands wait, its stream frames are skipped, the next one carries
what it missed); one that sends garbage gets Click's error codes; limits on
lines, DATA lengths and clients keep memory bounded.

Security: TCP listens on the loopback interface unless told otherwise, and
any other address needs a token (a client sends `AUTH TOKEN` before any
command; with a token every listener asks for it). A UNIX socket is created
mode 0600 (`unix_mode`, `unix_group` open it to a group).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import socket
import sys
import threading

from .connection import Client
from .handlers import EngineHandlers
from .listen import is_loopback, parse_tcp, tcp_socket, unix_socket
from .stream import Publisher

STREAM_BACKLOG = 256 << 10      # skip a subscriber's frame while more than this waits for it


class Server:
    """A ControlSocket server for `engine` (or for any HandlerSpace `space`).

    tcp: addresses to listen on ("PORT", "HOST:PORT"; default host 127.0.0.1);
    unix: UNIX socket paths. token: required from every client (AUTH) and
    mandatory when a TCP address is not the loopback. readonly: no writes,
    no LLRPCs. hotconfig: offer the `hotconfig` handler. files: more files a
    remote configuration may name (pktlab.serve.files). on_stop: what the
    `stop` handler does besides closing the server (default: stop the engine).
    """

    def __init__(self, engine, *, tcp=(), unix=(), token: str | None = None,
                 readonly: bool = False, hotconfig: bool = True, config_text: str | None = None,
                 files=(), on_stop=None, space=None, unix_mode: int = 0o600,
                 unix_group: str | int | None = None, max_clients: int = 512,
                 max_line: int = 1 << 20, max_data: int = 16 << 20, verbose: bool = False):
        from .files import ResourcePolicy

        if isinstance(tcp, (str, int)):
            tcp = [tcp]
        if isinstance(unix, str):
            unix = [unix]
        if not tcp and not unix:
            tcp = ["127.0.0.1:0"]
        self.tcp = [parse_tcp(str(t)) for t in tcp]
        for host, _, _ in self.tcp:
            if token is None and not is_loopback(host):
                raise ValueError(f"listening on {host} (not the loopback) needs a token: "
                                 "pass token=... (pktlab serve: --token or --token-file)")
        if token is not None and (not token or any(c.isspace() for c in token)):
            raise ValueError("a token must be non-empty and hold no white space")
        self.engine = engine
        self.token = token
        self.readonly = readonly
        self.max_clients, self.max_line, self.max_data = max_clients, max_line, max_data
        self.verbose = verbose
        self.space = space if space is not None else EngineHandlers(
            engine, config_text=config_text, hotconfig=hotconfig,
            policy=ResourcePolicy(engine.graph, files), on_stop=on_stop)
        self.publisher = Publisher(engine)
        self.unix_paths = list(unix)
        self._socks = [tcp_socket(h, p, plus) for h, p, plus in self.tcp]
        self._socks += [unix_socket(u, unix_mode, unix_group) for u in self.unix_paths]
        self.addresses = [s.getsockname() for s in self._socks]
        self.clients: set[Client] = set()
        self.subscribers: dict[Client, object] = {}
        self.control = concurrent.futures.ThreadPoolExecutor(1, "pktlab-control")
        self.control_lock = threading.Lock()  # one engine call at a time, wherever it runs
        self.loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._started = threading.Event()
        self._closed = threading.Event()
        self._stream_wake: asyncio.Event | None = None

    @property
    def port(self) -> int | None:
        """The first TCP port listened on."""
        for a in self.addresses:
            if isinstance(a, tuple):
                return a[1]
        return None

    @property
    def address(self) -> str:
        """Where a client connects: "HOST:PORT" or "unix:PATH" (the first listener)."""
        a = self.addresses[0]
        if isinstance(a, tuple):
            return f"[{a[0]}]:{a[1]}" if ":" in a[0] else f"{a[0]}:{a[1]}"
        return f"unix:{a}"

    def _say(self, text: str) -> None:
        if self.verbose:
            print(f"pktlab serve: {text}", file=sys.stderr, flush=True)

    # ---- engine calls -----------------------------------------------------

    def _locked(self, fn, *args):
        with self.control_lock:
            return fn(*args)

    async def call(self, fn, *args, quick: bool = False):
        """fn(*args) under the control lock: right here on the loop if `quick`
        and nobody holds the lock (a handler read: microseconds, no thread
        hop), else on the control thread while the loop serves the others."""
        if quick and self.control_lock.acquire(blocking=False):
            try:
                return fn(*args)
            finally:
                self.control_lock.release()
        return await self.loop.run_in_executor(self.control, self._locked, fn, *args)

    # ---- running --------------------------------------------------------

    async def _main(self) -> None:
        self.loop = asyncio.get_running_loop()
        self._stream_wake = asyncio.Event()
        servers = []
        for s in self._socks:
            if s.family == socket.AF_UNIX:
                servers.append(await self.loop.create_unix_server(lambda: Client(self), sock=s))
            else:
                servers.append(await self.loop.create_server(lambda: Client(self), sock=s))
        self._servers = servers
        streamer = self.loop.create_task(self._stream())
        self._started.set()
        self._done = self.loop.create_future()
        try:
            await self._done
        finally:
            streamer.cancel()
            for s in servers:
                s.close()
            for c in list(self.clients):
                c.close()
            await asyncio.sleep(0)
            for path in self.unix_paths:
                try:
                    os.unlink(path)
                except OSError:
                    pass

    def serve_forever(self) -> None:
        """Serve in this thread until close(), `write stop`, or a signal handler
        the caller installs calls close()."""
        try:
            asyncio.run(self._main())
        finally:
            self.control.shutdown(wait=False)
            self._closed.set()

    def start(self) -> Server:
        """Serve from a background (daemon) thread; returns once listening."""
        self._thread = threading.Thread(target=self.serve_forever, name="pktlab-serve",
                                        daemon=True)
        self._thread.start()
        self._started.wait(10)
        return self

    def _shutdown(self) -> None:
        if self.loop is not None and hasattr(self, "_done") and not self._done.done():
            self._done.set_result(None)

    def close(self) -> None:
        """Stop serving (the engine is left as it is)."""
        if self.loop is not None and not self._closed.is_set():
            try:
                self.loop.call_soon_threadsafe(self._shutdown)
            except RuntimeError:            # the loop already ended
                pass
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(5)
        for s in self._socks:
            if self.loop is None:
                s.close()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the server ends (`write stop`, close()); True if it did."""
        return self._closed.wait(timeout)

    @property
    def stopped(self) -> bool:
        return self._closed.is_set()

    def __enter__(self) -> Server:
        return self.start() if self._thread is None else self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- the telemetry stream ------------------------------------------

    def _wake_stream(self) -> None:
        if self._stream_wake is not None:
            self._stream_wake.set()

    async def _stream(self) -> None:
        loop = self.loop
        while True:
            if not self.subscribers:
                self._stream_wake.clear()
                await self._stream_wake.wait()
                continue
            now = loop.time()
            due, wait = [], 1.0
            for client, sub in list(self.subscribers.items()):
                left = sub.next_t - now
                if left <= 0:
                    if client.closed:
                        continue
                    if client.transport.get_write_buffer_size() > STREAM_BACKLOG:
                        sub.skipped += 1                     # the next frame carries it all
                    else:
                        due.append((client, sub))
                    sub.next_t = max(sub.next_t + sub.period, now - sub.period / 2)
                    left = sub.next_t - now
                wait = min(wait, max(left, 0.0))
            if due:
                try:
                    frames = await self.call(self.publisher.collect, [s for _, s in due])
                except Exception as e:                     # a graph being swapped: next tick
                    self._say(f"telemetry: {type(e).__name__}: {e}")
                    frames = {}
                for client, sub in due:
                    data = frames.get(sub)
                    if data and not client.closed:
                        client.transport.write(data)
                        sub.sent_bytes += len(data)
            self._stream_wake.clear()
            try:
                await asyncio.wait_for(self._stream_wake.wait(), timeout=wait)
            except asyncio.TimeoutError:
                pass


def serve(engine, address: str = "127.0.0.1:0", **kw) -> Server:
    """Serve `engine` from a background thread: `pktlab.serve.serve(eng, "127.0.0.1:7777")`;
    an address "unix:/path" makes a UNIX socket."""
    if str(address).startswith("unix:"):
        return Server(engine, unix=[str(address)[5:]], **kw).start()
    return Server(engine, tcp=[address], **kw).start()


__all__ = ["Server", "is_loopback", "parse_tcp", "serve"]
