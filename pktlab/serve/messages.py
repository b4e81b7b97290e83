"""Click's reply lines: `CODE text`, `CODE-text` continuations, `DATA n`.

As controlsocket.cc writes them: every message line goes through Click's
String::printable (control bytes as ^X, bytes above 126 as \\ooo) and ends
in CRLF; handler data follows a `DATA n` line as it is.
"""

from __future__ import annotations


def printable(b: bytes) -> bytes:
    """Click's String::printable: ^X for control bytes, \\ooo above 126."""
    if all(32 <= c < 127 for c in b):
        return b
    out = bytearray()
    for c in b:
        if 32 <= c < 127:
            out.append(c)
        elif c < 32:
            out += b"^" + bytes([c + 64])
        else:
            out += b"\\%03o" % c
    return bytes(out)


def as_bytes(s) -> bytes:
    """str (UTF-8) or bytes as bytes."""
    return s if isinstance(s, bytes) else str(s).encode("utf-8", "replace")


def message(code: int, msg, more: bool = False) -> bytes:
    return b"%d%s%s\r\n" % (code, b"-" if more else b" ", printable(as_bytes(msg)))


def transfer(code: int, head, lines) -> bytes:
    """Click's transfer_messages: `head:` then one line per message."""
    lines = [as_bytes(x) for x in lines]
    out = b""
    if head:
        out += message(code, as_bytes(head) + b":", True) if lines else message(code, head)
    for i, line in enumerate(lines):
        out += message(code, line, i < len(lines) - 1)
    return out


def data(payload: bytes) -> bytes:
    return b"DATA %d\r\n" % len(payload) + payload


__all__ = ["as_bytes", "data", "message", "printable", "transfer"]
