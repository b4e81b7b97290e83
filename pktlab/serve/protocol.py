"""Click's ControlSocket protocol 1.3, byte for byte, without any I/O.

    parser = Parser()            # one per connection
    parser.feed(data)            # bytes as they arrive (any split)
    item = parser.next()         # None (need more), a Reply, or a Call
    session.execute(call)        # a Call against a HandlerSpace (pktlab.serve.session)

The input half follows Click's controlsocket.cc exactly: lines end at CR, LF
or CRLF; a command is split into words at white space; READ/GET, WRITE/SET,
READDATA/WRITEDATA/SETDATA, READUNTIL/WRITEUNTIL, CHECKREAD/CHECKWRITE,
LLRPC, QUIT/CLOSE and HELP, with Click's messages for each mistake; the last
line is run when the input closes without a line end; data a command still
waits for at that point is "500 Not enough data". Where Click's text is a bug
(`500-Syntax error in '%s'` for a bad READDATA length, a continuation line
that never ends) pktlab sends the line Click meant: `500 Syntax error in
'READDATA'`.

What Click leaves unbounded, pktlab bounds: a line longer than `max_line`
gets `500 Line too long` and the connection closes; a DATA length over
`max_data` is read and thrown away, then answered `521 Data too large for
... handler 'H'`; READUNTIL data over `max_data` gets 521 and the
connection closes. pktlab's extension commands (AUTH, EXTENSIONS, STREAM:
pktlab.engine.wire) come out as Calls for the server; with `locked` (a
server with a token) every command but AUTH and QUIT is refused with 530
and the connection closes.

The output half (pktlab.serve.session.Session) turns Calls into Click's
replies through any HandlerSpace (pktlab.serve.handlers is the one for a
pktlab engine), so the `pktlab click` driver reuses both whatever started
the engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..engine import wire
from .messages import message

WHITE = b" \t\n\v\f\r"
HELP = [
    "Commands supported:",
    "READ handler [arg...]   call read handler, return DATA",
    "READDATA handler len    call read handler with len data bytes, return DATA",
    "READUNTIL handler term  call read handler, take data until term, return DATA",
    "WRITE handler [arg...]  call write handler",
    "WRITEDATA handler len   call write handler, pass len data bytes",
    "WRITEUNTIL handler term call write handler, take data until term",
    "CHECKREAD handler       check if read handler is valid",
    "CHECKWRITE handler      check if write handler is valid",
    "LLRPC elt#number [len]  call LLRPC, pass len data bytes, return DATA",
    "QUIT                    close connection",
]


def click_int(s: bytes, base: int = 0, bits: int = 32, signed: bool = True) -> int | None:
    """Click's IntArg: optional sign, 0x/0b/0 prefixes (base 0), '_' between
    digits; None unless the whole text is a number in range."""
    i, n = 0, len(s)
    neg = False
    if i < n and (s[i] == 43 or (signed and s[i] == 45)):          # '+', '-'
        neg = s[i] == 45
        i += 1
    b = base
    if b in (0, 16) and i + 2 < n and s[i] == 48 and s[i + 1] in b"xX":
        i, b = i + 2, 16
    elif b == 0 and i + 2 < n and s[i] == 48 and s[i + 1] in b"bB":
        i, b = i + 2, 2
    elif b == 0:
        b = 8 if i < n and s[i] == 48 else 10
    allowed = "0123456789abcdefghijklmnopqrstuvwxyz"[:b]
    v, last_digit = 0, False
    if i == n:
        return None
    for c in s[i:].lower():
        if c == 95 and last_digit:                                  # '_' between digits
            last_digit = False
            continue
        k = allowed.find(chr(c))
        if k < 0:
            return None
        v, last_digit = v * b + k, True
    if not last_digit:
        return None
    v = -v if neg else v
    lo, hi = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
    return v if lo <= v <= hi else None


@dataclass
class Reply:
    """Bytes to send now; `close`: close the connection once they are sent."""

    data: bytes
    close: bool = False


@dataclass
class Call:
    """A command for the Session (or, for the extension ops, the server).

    op: read, write, checkread, checkwrite, llrpc, auth, extensions, stream.
    name: the handler (or LLRPC, token, rate) as the client wrote it."""

    op: str
    name: bytes = b""
    data: bytes = b""
    words: list[bytes] = field(default_factory=list)


_WAIT = object()


class Parser:
    """The input side of one connection (Click's connection::in_text)."""

    def __init__(self, max_line: int = 1 << 20, max_data: int = 16 << 20, locked: bool = False):
        self.max_line = max_line
        self.max_data = max_data
        self.locked = locked         # True until AUTH succeeds (a server with a token)
        self.buf = bytearray()
        self.pos = 0
        self.closed = False          # the client closed its side
        self.done = False            # QUIT, or a fatal error: ignore further input
        self._skip_lf = False        # a line ended with CR at the end of the input so far
        self._discard = 0            # DATA bytes still to throw away
        self._discard_reply = b""

    @property
    def pending(self) -> int:
        """Bytes received and not yet used."""
        return len(self.buf) - self.pos

    def feed(self, chunk: bytes) -> None:
        if self.done or not chunk:
            return
        if self._skip_lf:
            self._skip_lf = False
            if chunk[:1] == b"\n":
                chunk = chunk[1:]
        if self._discard:
            n = min(self._discard, len(chunk))
            self._discard -= n
            chunk = chunk[n:]
        self.buf += chunk

    def eof(self) -> None:
        self.closed = True

    def _compact(self) -> None:
        if self.pos == len(self.buf):
            self.buf.clear()
            self.pos = 0
        elif self.pos > 8192:
            del self.buf[:self.pos]
            self.pos = 0

    def next(self) -> Reply | Call | None:
        """The next thing to do: None when more input is needed (or nothing is left)."""
        while not self.done:
            if self._discard_reply and not self._discard:
                out, self._discard_reply = self._discard_reply, b""
                return Reply(out)
            if self._discard:
                if self.closed:
                    self._discard = 0
                    continue
                return None
            buf, start = self.buf, self.pos
            if start == len(buf):
                self._compact()
                return None
            end = len(buf)
            cr, lf = buf.find(b"\r", start), buf.find(b"\n", start)
            line_end = min(x for x in (cr, lf, end) if x >= 0)
            if line_end == end and not self.closed:
                limit = 1024 if self.locked else self.max_line
                if end - start > limit:
                    return self._fatal(wire.SYNTAX, "Line too long")
                return None
            lone_cr = False
            if line_end + 1 < end and buf[line_end] == 13 and buf[line_end + 1] == 10:
                eol = 2
            elif line_end < end:
                eol = 1
                lone_cr = buf[line_end] == 13 and line_end + 1 == end and not self.closed
            else:
                eol = 0
            line = bytes(buf[start:line_end])
            self.pos = line_end + eol
            got = self._command(line, lone_cr)
            if got is _WAIT:
                self.pos = start
                return None
            if lone_cr and not self.done:
                self._skip_lf = self.pos == len(self.buf)
            self._compact()
            if got is not None:
                return got
        return None

    def _fatal(self, code: int, text: str) -> Reply:
        self.done = True
        self.buf.clear()
        self.pos = 0
        return Reply(message(code, text), close=True)

    def _take(self, n: int, kind: str, name: bytes, lone_cr: bool):
        """n bytes of DATA after the command line, _WAIT, or a Reply."""
        if n > self.max_data:
            have = min(n, len(self.buf) - self.pos)
            self.pos += have
            self._discard = n - have
            self._discard_reply = message(wire.DATA_TOO_BIG, b"Data too large for %s handler '%s'"
                                          % (kind.encode(), name))
            return None
        if lone_cr and n:
            return _WAIT                  # the LF of a CRLF may still come: not data
        if len(self.buf) - self.pos < n:
            return Reply(message(wire.SYNTAX, "Not enough data")) if self.closed else _WAIT
        out = bytes(self.buf[self.pos:self.pos + n])
        self.pos += n
        return out

    def _until(self, until: bytes, name: bytes):
        buf, s, end = self.buf, self.pos, len(self.buf)
        while True:
            begin = s
            last = s
            while s != end and buf[s] not in (10, 13):
                if buf[s] not in WHITE:
                    last = s + 1
                s += 1
            if s == end:
                if self.closed:
                    return Reply(message(wire.SYNTAX, "Not enough data"))
                if end - self.pos > self.max_data:
                    return self._fatal(wire.DATA_TOO_BIG, b"Data too large for handler '%s'"
                                       % name)
                return _WAIT
            if buf[s] == 13 and s + 1 != end and buf[s + 1] == 10:
                s += 2
            else:
                s += 1
            if bytes(buf[begin:last]) == until:
                break
        out = bytes(buf[self.pos:begin])
        self.pos = s
        return out

    def _command(self, line: bytes, lone_cr: bool):
        spans = []
        i, n = 0, len(line)
        while i < n:
            while i < n and line[i] in WHITE:
                i += 1
            j = i
            while j < n and line[j] not in WHITE:
                j += 1
            if i < j:
                spans.append((i, j))
            i = j
        if not spans:
            return None
        words = [line[a:b] for a, b in spans]
        cmd = words[0].upper()
        rest = line[spans[2][0]:spans[-1][1]] if len(spans) > 2 else b""
        if self.locked and cmd not in (b"AUTH", b"QUIT", b"CLOSE"):
            return self._fatal(wire.PERMISSION, "Permission denied: this server needs "
                               "'AUTH <token>' before any command")
        if cmd in (b"READ", b"GET", b"WRITE", b"SET"):
            if len(words) < 2:
                return Reply(message(wire.SYNTAX, "Wrong number of arguments"))
            op = "read" if cmd[0] in b"RG" else "write"
            return Call(op, words[1], rest, words)
        if cmd in (b"READDATA", b"WRITEDATA", b"SETDATA"):
            if len(words) != 3:
                return Reply(message(wire.SYNTAX, "Wrong number of arguments"))
            n = click_int(words[2])
            if n is None or n < 0:
                return Reply(message(wire.SYNTAX, b"Syntax error in '%s'" % cmd))
            op = "read" if cmd[0] == ord("R") else "write"
            got = self._take(n, op, words[1], lone_cr)
            return got if got is None or got is _WAIT or isinstance(got, Reply) else \
                Call(op, words[1], got, words)
        if cmd in (b"READUNTIL", b"WRITEUNTIL"):
            if len(words) < 2:
                return Reply(message(wire.SYNTAX, "Wrong number of arguments"))
            got = self._until(rest, words[1])
            if got is _WAIT or isinstance(got, Reply):
                return got
            return Call("read" if cmd[0] == ord("R") else "write", words[1], got, words)
        if cmd in (b"CHECKREAD", b"CHECKWRITE"):
            if len(words) != 2:
                return Reply(message(wire.SYNTAX, "Wrong number of arguments"))
            return Call("checkwrite" if cmd[5] == ord("W") else "checkread", words[1], b"", words)
        if cmd == b"LLRPC":
            if len(words) not in (2, 3):
                return Reply(message(wire.SYNTAX, "Wrong number of arguments"))
            n = 0
            if len(words) == 3:
                n = click_int(words[2])
                if n is None or n < 0:
                    return Reply(message(wire.SYNTAX, "Syntax error in 'llrpc'"))
            got = self._take(n, "llrpc", words[1], lone_cr) if n else b""
            return got if got is None or got is _WAIT or isinstance(got, Reply) else \
                Call("llrpc", words[1], got, words)
        if cmd in (b"CLOSE", b"QUIT"):
            out = message(wire.SYNTAX, "Bad command syntax") if len(words) != 1 else b""
            self.done = True
            self.buf.clear()
            self.pos = 0
            return Reply(out + message(wire.OK, "Goodbye!"), close=True)
        if cmd == b"HELP":
            return Reply(b"".join(message(wire.OK, t, k < len(HELP) - 1)
                                  for k, t in enumerate(HELP)))
        if cmd == b"AUTH":
            if len(words) != 2:
                return Reply(message(wire.SYNTAX, "Wrong number of arguments"))
            return Call("auth", words[1], b"", words)
        if cmd == b"EXTENSIONS":
            return Call("extensions", b"", b"", words)
        if cmd == b"STREAM":
            if len(words) > 2:
                return Reply(message(wire.SYNTAX, "Wrong number of arguments"))
            return Call("stream", words[1] if len(words) == 2 else b"10", b"", words)
        return Reply(message(wire.UNIMPLEMENTED, b"Command '%s' unimplemented" % cmd))


__all__ = ["HELP", "Call", "Parser", "Reply", "click_int"]
