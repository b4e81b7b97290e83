"""Reading what a ControlSocket server sent: its replies, checked for form."""

from __future__ import annotations

import re

LINE = re.compile(rb"([0-9]{3})([ -])([\x20-\x7e]*)\r\n")


def parse_replies(data: bytes) -> list[tuple[int, list[bytes], bytes | None]]:
    """[(code, message texts, DATA or None)], asserting Click's form: the
    greeting, then replies of `CODE-text` lines ending with one `CODE text`
    line (printable text, CRLF), reads followed by `DATA n` and n bytes."""
    greeting = b"Click::ControlSocket/1.3\r\n"
    assert data.startswith(greeting), data[:80]
    pos, out = len(greeting), []
    while pos < len(data):
        texts, code = [], None
        while True:
            m = LINE.match(data, pos)
            assert m, f"malformed reply line at {pos}: {data[pos:pos + 80]!r}"
            c = int(m.group(1))
            assert code is None or c == code, f"code changed inside a reply: {data[:pos + 80]!r}"
            code = c
            texts.append(m.group(3))
            pos = m.end()
            if m.group(2) == b" ":
                break
        body = None
        if data.startswith(b"DATA ", pos):
            end = data.index(b"\r\n", pos)
            n = int(data[pos + 5:end])
            body = data[end + 2:end + 2 + n]
            assert len(body) == n, "DATA shorter than announced"
            pos = end + 2 + n
        out.append((code, texts, body))
    return out
