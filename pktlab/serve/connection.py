"""One client of the server: its bytes in, its commands in order, its replies out.

Commands run one at a time per client, under the server's control lock:
reads and checks on the loop itself when nothing else holds it (they take
microseconds), everything else on the control thread, while the asyncio
loop goes on serving the others. A client that does not
read what it is sent stops being read (its transport's buffer over 1 MiB);
the extension commands (AUTH, EXTENSIONS, STREAM) are answered here.
"""

from __future__ import annotations

import asyncio
import hmac

from ..engine import wire
from .handlers import Context
from .messages import message, transfer
from .protocol import Parser, Reply
from .session import Session

WRITE_HIGH, WRITE_LOW = 1 << 20, 256 << 10
QUICK = {"read", "checkread", "checkwrite"}     # may run on the loop when nothing else runs


class Client(asyncio.Protocol):
    def __init__(self, server):
        self.server = server
        self.transport = None
        self.closed = False
        self.busy = False
        self.write_paused = False
        self.read_paused = False
        self.sub = None

    def connection_made(self, transport) -> None:
        srv = self.server
        self.transport = transport
        peer = transport.get_extra_info("peername")
        self.peer = f"{peer[0]}:{peer[1]}" if isinstance(peer, tuple) else "unix"
        if len(srv.clients) >= srv.max_clients:
            transport.write(wire.GREETING + message(wire.PERMISSION, "Too many connections"))
            transport.close()
            self.closed = True
            return
        srv.clients.add(self)
        transport.set_write_buffer_limits(high=WRITE_HIGH, low=WRITE_LOW)
        self.parser = Parser(srv.max_line, srv.max_data, locked=srv.token is not None)
        self.session = Session(srv.space, readonly=srv.readonly, ctx=Context(peer=self.peer))
        transport.write(wire.GREETING)
        srv._say(f"opened connection from {self.peer}")

    def data_received(self, data: bytes) -> None:
        self.parser.feed(data)
        self.kick()

    def eof_received(self):
        self.parser.eof()
        self.kick()
        return True

    def connection_lost(self, exc) -> None:
        self.closed = True
        self.server.clients.discard(self)
        self.server.subscribers.pop(self, None)
        self.server._say(f"closed connection from {getattr(self, 'peer', '?')}")

    def pause_writing(self) -> None:
        self.write_paused = True
        self._pause_reading()

    def resume_writing(self) -> None:
        self.write_paused = False
        self.kick()

    def _pause_reading(self) -> None:
        if not self.read_paused and not self.closed:
            self.read_paused = True
            self.transport.pause_reading()

    def kick(self) -> None:
        if not self.busy and not self.closed:
            self.busy = True
            self.server.loop.create_task(self._pump())

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.transport.close()

    async def _pump(self) -> None:
        srv, p = self.server, self.parser
        replies = 0
        try:
            while not self.closed and not self.write_paused:
                item = p.next()
                if item is None:
                    if p.closed or p.done:
                        self.close()
                    break
                if isinstance(item, Reply):
                    self.transport.write(item.data)
                    if item.close:
                        self.close()
                    replies += 1
                    if replies % 64 == 0:
                        await asyncio.sleep(0)
                    continue
                if item.op in ("auth", "extensions", "stream"):
                    self.transport.write(self._extension(item))
                    continue
                if p.pending > WRITE_HIGH:
                    self._pause_reading()
                reply = await srv.call(self.session.execute, item, quick=item.op in QUICK)
                if not self.closed:
                    self.transport.write(reply)
                if getattr(srv.space, "stop_requested", False):
                    srv.loop.call_soon(srv._shutdown)
                    break
                await asyncio.sleep(0)         # one command, then the other clients' turn
            if self.read_paused and not self.write_paused and not self.closed:
                self.read_paused = False
                self.transport.resume_reading()
        except Exception as e:                 # never let one client take the server down
            srv._say(f"{self.peer}: {type(e).__name__}: {e}")
            if not self.closed:
                self.transport.write(message(wire.UNSPECIFIED, f"Internal error: {e}"))
                self.close()
        finally:
            self.busy = False

    def _extension(self, call) -> bytes:
        srv = self.server
        if call.op == "auth":
            if srv.token is None:
                return message(wire.OK, "No authentication needed")
            if hmac.compare_digest(call.name, srv.token.encode()):
                self.parser.locked = False
                return message(wire.OK, "Authenticated")
            self.parser.done = True
            self.closed = True
            self.server.loop.call_soon(self.transport.close)
            return message(wire.PERMISSION, "Authentication failed")
        if call.op == "extensions":
            return transfer(wire.OK, "", [wire.EXTENSION, "AUTH",
                                          "STREAM 0.1-100 Hz: layout stats change state"])
        try:
            hz = float(call.name)
        except ValueError:
            hz = -1.0
        if hz == 0:
            srv.subscribers.pop(self, None)
            return message(wire.OK, "Stream stopped")
        if not 0.1 <= hz <= 100:
            return message(wire.SYNTAX, "STREAM expects a rate from 0.1 to 100 (Hz), or 0")
        self.sub = srv.publisher.subscribe(hz)
        srv.subscribers[self] = self.sub
        srv._wake_stream()
        return message(wire.OK, f"Streaming telemetry at {hz:g} Hz")


__all__ = ["Client"]
