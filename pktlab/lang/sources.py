"""Configuration text from files and strings, within limits a user cannot
trip into a hang or a crash: configuration files and `require(library F)`
files are read with a size limit, libraries only from regular files (a FIFO
would block, /dev/zero would never end), and text the engine could not take
(a lone surrogate, as `os.fsdecode` makes of undecodable bytes) is an error
at its line and column.
"""

from __future__ import annotations

import os
import re
import stat

MAX_FILE_BYTES = 16 << 20
_SURROGATE = re.compile("[\ud800-\udfff]")


class SourceError(ValueError):
    """A file that cannot be a configuration source (the message says why)."""


def read_source(path, *, regular_only: bool) -> str:
    """The text of `path` (UTF-8, bad bytes replaced), at most MAX_FILE_BYTES.

    regular_only: refuse FIFOs and devices (libraries). Without it a FIFO or
    a pipe (`pktlab run <(generate)`) is read, blocking as any read does
    (Ctrl-C interrupts it); devices and directories are refused either way.
    Raises OSError as open() does (missing file, no permission), SourceError
    for a file of the wrong kind or size.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)   # OSError: as open()
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISFIFO(mode) and not regular_only:
            os.set_blocking(fd, True)
        elif not stat.S_ISREG(mode):
            raise SourceError(f"'{printable(str(path))}' is {_kind(mode)}, not a configuration "
                              "file")
        chunks, size = [], 0
        while size <= MAX_FILE_BYTES:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_FILE_BYTES:
            raise SourceError(f"'{printable(str(path))}' is larger than {MAX_FILE_BYTES >> 20} MiB")
    finally:
        os.close(fd)
    return b"".join(chunks).decode("utf-8", errors="replace")


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def first_surrogate(text: str) -> tuple[int, int, str] | None:
    """(line, column, character) of the first lone surrogate in text, if any."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")    # lines as the lexer counts them
    m = _SURROGATE.search(text)
    if m is None:
        return None
    start = text.rfind("\n", 0, m.start()) + 1
    return text.count("\n", 0, m.start()) + 1, m.start() - start + 1, m.group()


def printable(text: str) -> str:
    """text with lone surrogates replaced, safe to print and encode."""
    return _SURROGATE.sub("\ufffd", text)
