"""A ControlSocket client: Click's protocol from Python, to pktlab or to Click.

    c = ControlSocketClient("127.0.0.1:7777", token=None)   # or "unix:/run/pktlab.sock"
    c.read("c.count")            # b"48211776"
    c.write("src.burst", "4")
    c.check("c.reset", write=True)
    c.close()

Works against vanilla Click too (its `click -p PORT`): the extension
commands are only sent when asked for (AUTH when a token is given, STREAM by
pktlab.engine.remote_stats). Every refused command raises
ControlSocketError with Click's code and message lines. One client may be
shared by threads: each command holds the connection until its reply is read.
"""

from __future__ import annotations

import os
import socket
import threading

from . import wire


class ControlSocketError(Exception):
    """A command the server refused: `code` (Click's: 510 no element, 511 no
    handler, 520 handler error, 530 permission, ...) and its message lines."""

    def __init__(self, code: int, lines: list[str], command: str = ""):
        self.code = code
        self.lines = lines
        self.command = command
        text = "; ".join(lines[1:] if len(lines) > 1 and lines[0].endswith(":") else lines)
        super().__init__(f"{code} {text}" if text else str(code))

    @property
    def messages(self) -> list[str]:
        """The handler's own messages (without Click's "... error:" head line)."""
        return self.lines[1:] if len(self.lines) > 1 and self.lines[0].endswith(":") else \
            self.lines


def parse_address(address: str) -> tuple[int, object]:
    """(family, sockaddr) for "HOST:PORT", "PORT", "[V6]:PORT", "unix:PATH" or "/PATH"."""
    a = str(address).strip()
    if a.startswith("unix:") or a.startswith("/") or a.startswith("./"):
        return socket.AF_UNIX, a[5:] if a.startswith("unix:") else a
    host, port = "127.0.0.1", a
    if a.startswith("["):
        host, _, port = a[1:].partition("]")
        port = port.lstrip(":")
    elif ":" in a:
        host, _, port = a.rpartition(":")
    try:
        return socket.AF_INET6 if ":" in host else socket.AF_INET, (host, int(port))
    except ValueError:
        raise ValueError(f"'{address}': expected HOST:PORT, PORT or unix:PATH") from None


class ControlSocketClient:
    """One connection to a ControlSocket server."""

    def __init__(self, address: str, token: str | None = None, timeout: float | None = 10.0):
        self.address = str(address)
        family, addr = parse_address(address)
        if token is None:
            token = os.environ.get("PKTLAB_TOKEN") or None
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        try:
            self.sock.connect(addr)
        except OSError as e:
            self.sock.close()
            raise ConnectionError(f"cannot connect to {self.address}: {e.strerror or e}") from None
        if family != socket.AF_UNIX:
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._buf = bytearray()
        self.lock = threading.RLock()
        greeting = self.readline().decode("latin-1").strip()
        if not greeting.startswith("Click::ControlSocket/"):
            self.sock.close()
            raise ConnectionError(f"{self.address} is not a ControlSocket server "
                                  f"(it said {greeting[:60]!r})")
        self.version = greeting.partition("/")[2]
        if not self.version.startswith("1."):
            self.sock.close()
            raise ConnectionError(f"{self.address} speaks ControlSocket {self.version}, not 1.x")
        self.authenticated = False
        if token:
            try:
                self.command(b"AUTH " + token.encode())
            except (ControlSocketError, ConnectionError):
                self.sock.close()
                raise
            self.authenticated = True

    # ---- bytes -----------------------------------------------------------

    def _fill(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError(f"{self.address} closed the connection")
        self._buf += chunk

    def readline(self) -> bytes:
        while True:
            i = self._buf.find(b"\n")
            if i >= 0:
                line = bytes(self._buf[:i + 1])
                del self._buf[:i + 1]
                return line
            if len(self._buf) > 1 << 20:
                raise ConnectionError(f"{self.address}: a line over 1 MiB")
            self._fill()

    def read_exact(self, n: int) -> bytes:
        while len(self._buf) < n:
            self._fill()
        out = bytes(self._buf[:n])
        del self._buf[:n]
        return out

    def response(self) -> tuple[int, list[str]]:
        """One reply's message lines: (code, texts)."""
        lines = []
        while True:
            line = self.readline().rstrip(b"\r\n")
            if len(line) < 4 or not line[:3].isdigit():
                raise ConnectionError(f"{self.address}: unexpected line {line[:60]!r}")
            lines.append(line[4:].decode("utf-8", "replace"))
            if line[3:4] != b"-":
                return int(line[:3]), lines

    # ---- commands --------------------------------------------------------

    def command(self, line: bytes, payload: bytes = b"", data: bool = False) -> tuple[int, list[str], bytes | None]:
        """Send one command (and its payload); returns (code, lines, DATA or None).
        Raises ControlSocketError for a 5xx reply."""
        with self.lock:
            self.sock.sendall(line + b"\r\n" + payload)
            code, lines = self.response()
            if code >= 500 or code < 200:
                raise ControlSocketError(code, lines, line.decode("latin-1", "replace"))
            body = None
            if data:
                head = self.readline().strip()
                if not head.startswith(b"DATA "):
                    raise ConnectionError(f"{self.address}: expected DATA, got {head[:40]!r}")
                body = self.read_exact(int(head[5:]))
            return code, lines, body

    def read(self, handler: str, param: str | bytes | None = None) -> bytes:
        """Call a read handler (with a parameter: READDATA, so any bytes pass)."""
        h = handler.encode()
        if param is None or param == "" or param == b"":
            return self.command(b"READ " + h, data=True)[2]
        p = param if isinstance(param, bytes) else str(param).encode()
        return self.command(b"READDATA %s %d" % (h, len(p)), p, data=True)[2]

    def write(self, handler: str, value: str | bytes = b"") -> list[str]:
        """Call a write handler with `value` exactly (WRITEDATA); returns warnings."""
        v = value if isinstance(value, bytes) else str(value).encode()
        code, lines, _ = self.command(b"WRITEDATA %s %d" % (handler.encode(), len(v)), v)
        return lines[1:] if code == wire.OK_WARNING else []

    def check(self, handler: str, write: bool = False) -> bool:
        try:
            self.command((b"CHECKWRITE " if write else b"CHECKREAD ") + handler.encode())
        except ControlSocketError:
            return False
        return True

    def llrpc(self, name: str, payload: bytes = b"") -> bytes:
        line = b"LLRPC " + name.encode() + (b" %d" % len(payload) if payload else b"")
        return self.command(line, payload, data=True)[2]

    def extensions(self) -> list[str] | None:
        """The server's pktlab extensions, or None (vanilla Click)."""
        try:
            return self.command(b"EXTENSIONS")[1]
        except ControlSocketError as e:
            if e.code == wire.UNIMPLEMENTED:
                return None
            raise

    def close(self) -> None:
        try:
            with self.lock:
                self.sock.sendall(b"QUIT\r\n")
        except OSError:
            pass
        self.sock.close()

    def __enter__(self) -> ControlSocketClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


__all__ = ["ControlSocketClient", "ControlSocketError", "parse_address"]
