"""Click configuration-string primitives, as Click's lib/confparse.cc defines them.

These are the low-level scanners everything else builds on: skipping quoted
strings, `\\<hex>` blocks and comments; removing comments; splitting at
commas (cp_argvec) and spaces (cp_spacevec); quoting and unquoting. They
follow Click character for character, because a configuration must mean the
same thing here as in Click.
"""

from __future__ import annotations

SPACE = " \t\n\r\v\f"


def skip_comment(s: str, i: int) -> int:
    """s[i:i+2] is '//' or '/*': the index after the comment."""
    n = len(s)
    if s[i + 1] == "/":
        j = s.find("\n", i + 2)
        return n if j < 0 else j + 1
    j = s.find("*/", i + 2)
    return n if j < 0 else j + 2


def skip_angle(s: str, i: int) -> int:
    """i is just after '\\<': the index after the closing '>' (comments skipped)."""
    n = len(s)
    while i < n:
        c = s[i]
        if c == ">":
            return i + 1
        if c == "/" and i + 1 < n and s[i + 1] in "/*":
            i = skip_comment(s, i)
        else:
            i += 1
    return n


def skip_dquote(s: str, i: int) -> int:
    """s[i] is '"': the index after the closing quote (backslash escapes honoured)."""
    n = len(s)
    i += 1
    while i < n:
        c = s[i]
        if c == "\\":
            if i + 1 < n and s[i + 1] == "<":
                i = skip_angle(s, i + 2)
            else:
                i += 2
        elif c == '"':
            return i + 1
        else:
            i += 1
    return n


def skip_squote(s: str, i: int) -> int:
    """s[i] is "'": the index after the closing quote (no escapes inside)."""
    j = s.find("'", i + 1)
    return len(s) if j < 0 else j + 1


def skip_comment_space(s: str, i: int) -> int:
    n = len(s)
    while i < n:
        c = s[i]
        if c in SPACE:
            i += 1
        elif c == "/" and i + 1 < n and s[i + 1] in "/*":
            i = skip_comment(s, i)
        else:
            break
    return i


def _uncomment_span(s: str, i: int, at_comma: bool, nested: bool) -> tuple[str, int]:
    """Click's partial_uncomment: text from i, comments replaced by one space,
    outer space stripped; stops at a comma (at bracket depth 0 when `nested`)."""
    n = len(s)
    i = skip_comment_space(s, i)
    pieces: list[str] = []
    left = right = i
    closed = False
    depth = 0
    while i < n:
        c = s[i]
        if c in SPACE:
            i += 1
        elif c == "/" and i + 1 < n and s[i + 1] in "/*":
            i = skip_comment(s, i)
            closed = True
        elif c == "," and at_comma and depth == 0:
            break
        else:
            if closed:
                pieces.append(s[left:right])
                pieces.append(" ")
                left = i
                closed = False
            if c == "'":
                i = skip_squote(s, i)
            elif c == '"':
                i = skip_dquote(s, i)
            elif c == "\\" and i + 1 < n and s[i + 1] == "<":
                i = skip_angle(s, i + 2)
            else:
                if nested:
                    if c in "([{":
                        depth += 1
                    elif c in ")]}" and depth:
                        depth -= 1
                i += 1
            right = i
    pieces.append(s[left:right])
    return "".join(pieces), i


def uncomment(s: str) -> str:
    """cp_uncomment: comments become one space, outer whitespace is removed."""
    if "/" not in s:
        return s.strip(SPACE)
    return _uncomment_span(s, 0, False, False)[0]


def argvec(s: str, nested: bool = False) -> list[str]:
    """cp_argvec: split at unquoted commas; each argument uncommented.

    An empty last argument is dropped, so "a, b," is ["a", "b"]. With
    `nested`, commas inside (), [] and {} do not split (pktlab's element
    argument convention; Click itself splits there).
    """
    out: list[str] = []
    n = len(s)
    pos = 0
    while pos < n:
        arg, pos = _uncomment_span(s, pos, True, nested)
        if arg or pos < n:
            out.append(arg)
        pos += 1
    return out


def _spacevec_item_end(s: str, i: int) -> int:
    n = len(s)
    while i < n:
        c = s[i]
        if c == "/" and i + 1 < n and s[i + 1] in "/*":
            return i
        if c == '"':
            i = skip_dquote(s, i)
        elif c == "'":
            i = skip_squote(s, i)
        elif c == "\\" and i + 1 < n and s[i + 1] == "<":
            i = skip_angle(s, i + 2)
        elif c in SPACE:
            return i
        else:
            i += 1
    return i


def spacevec(s: str) -> list[str]:
    """cp_spacevec: split at unquoted whitespace (comments separate too)."""
    out = []
    i = skip_comment_space(s, 0)
    while i < len(s):
        j = _spacevec_item_end(s, i)
        out.append(s[i:j])
        i = skip_comment_space(s, j)
    return out


def shift_spacevec(s: str) -> tuple[str, str]:
    """cp_shift_spacevec: the first space-separated word and the rest."""
    i = skip_comment_space(s, 0)
    j = _spacevec_item_end(s, i)
    return s[i:j], s[skip_comment_space(s, j):]


def quote(s: str) -> str:
    """cp_quote: a double-quoted string that unquote() turns back into `s`."""
    out = ['"']
    for c in s:
        if c in '\\"$':
            out.append("\\" + c)
        elif c == "\t":
            out.append("\\t")
        elif c == "\r":
            out.append("\\r")
        elif c == "\n":
            out.append("\\n")
        elif ord(c) < 32 or ord(c) == 127:
            out.append(f"\\{ord(c):03o}")
        else:
            out.append(c)
    out.append('"')
    return "".join(out)


_C_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_HEX = "0123456789abcdefABCDEF"


def _backslash(s: str, i: int, out: list[str | bytes]) -> int:
    """cp_process_backslash: s[i] is a backslash; append its meaning to `out`."""
    n = len(s)
    if i + 1 >= n:
        out.append("\\")
        return n
    c = s[i + 1]
    if c == "\n":
        return i + 2
    if c == "\r":
        return i + 3 if s.startswith("\n", i + 2) else i + 2
    if c in _C_ESCAPES:
        out.append(_C_ESCAPES[c])
        return i + 2
    if "0" <= c <= "7":
        j, v = i + 1, 0
        while j < n and j < i + 4 and "0" <= s[j] <= "7":
            v = v * 8 + int(s[j])
            j += 1
        out.append(bytes([v & 255]))
        return j
    if c == "x":
        j, v = i + 2, 0
        while j < n and s[j] in _HEX:
            v = (v * 16 + int(s[j], 16)) & 255
            j += 1
        out.append(bytes([v]))
        return j
    if c == "<":
        j, data, nibble = i + 2, bytearray(), -1
        while j < n:
            d = s[j]
            if d == ">":
                out.append(bytes(data))
                return j + 1
            if d in _HEX:
                if nibble < 0:
                    nibble = int(d, 16)
                else:
                    data.append(nibble * 16 + int(d, 16))
                    nibble = -1
                j += 1
            elif d == "/" and j + 1 < n and s[j + 1] in "/*":
                j = skip_comment(s, j)
            else:
                j += 1  # space, or a stray character Click ignores
        out.append(bytes(data))
        return n
    out.append(c)
    return i + 2


def unquote_parts(s: str) -> list[str | bytes]:
    """cp_unquote, keeping byte escapes apart: str pieces are text, bytes
    pieces came from \\x, octal and \\<hex> escapes."""
    x = uncomment(s)
    parts: list[str | bytes] = []
    start, quote_char, i, n = 0, "", 0, len(x)
    while i < n:
        c = x[i]
        if c in "\"'":
            if not quote_char or quote_char == c:
                parts.append(x[start:i])
                start = i + 1
                quote_char = "" if quote_char else c
            i += 1
        elif c == "\\" and i + 1 < n and (quote_char == '"' or not quote_char and x[i + 1] == "<"):
            parts.append(x[start:i])
            i = start = _backslash(x, i, parts)
        else:
            i += 1
    parts.append(x[start:])
    return [p for p in parts if p]


def unquote(s: str) -> str:
    """cp_unquote: remove one level of quoting; escaped bytes become chr(byte)."""
    return "".join(p if isinstance(p, str) else p.decode("latin-1") for p in unquote_parts(s))
