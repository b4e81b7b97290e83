"""What elements write for people: the log (Print and friends), standard
output (Script's print) and the
messages they give while configured (Click's Message, warnings).

The log is a bounded ring the control side drains (`Engine.log()`), or,
for a driver that owns the terminal (`pktlab click`), a file descriptor the
lines go to as they are written (`Engine.log_to(2)`), as Click's chatter
goes to stderr.
"""

from __future__ import annotations

from . import _lib
from ._lib import ffi, lib


def log(eng) -> str:
    """The log (Click's stderr: Print, Script's read and errors) since the last call."""
    return _drain(eng, lib.pl_engine_log_read)


def out(eng) -> str:
    """What elements printed to standard output (Script's print) since the last call."""
    return _drain(eng, lib.pl_engine_out_read)


def _drain(eng, read) -> str:
    chunks = []
    buf = ffi.new("char[]", 65536)
    while True:
        n = read(eng._h, buf, 65536)
        if not n:
            break
        chunks.append(ffi.string(buf, n).decode("utf-8", "replace"))
    dropped = int(lib.pl_engine_log_dropped(eng._h))
    seen = eng.__dict__.get("_log_dropped_told", 0)
    if dropped > seen:
        eng._log_dropped_told = dropped
        chunks.append(f"[pktlab: {dropped - seen} log line{'s' if dropped - seen != 1 else ''}"
                      " lost: the engine's log (64 KiB) filled before it was read]\n")
    return "".join(chunks)


def log_to(eng, fd: int | None) -> None:
    lib.pl_engine_set_log_fd(eng._h, -1 if fd is None else fd)


def messages(eng) -> list[tuple[str, str, str]]:
    n = lib.pl_engine_messages(eng._h, ffi.NULL, 0)
    if not n:
        return []
    buf = ffi.new("char[]", n + 1)
    lib.pl_engine_messages(eng._h, buf, n + 1)
    out = []
    # One message a line, NAME TAB LEVEL TAB TEXT: split at newlines only (a
    # message may hold a form feed or other characters splitlines() cuts at).
    for line in _lib.string(buf).split("\n"):
        parts = line.split("\t", 2)
        if len(parts) == 3:
            name, level, text = parts
            out.append((name, "warning" if level == "1" else "message", text))
        elif line and out:
            out[-1] = (*out[-1][:2], out[-1][2] + "\n" + line)
    return out
