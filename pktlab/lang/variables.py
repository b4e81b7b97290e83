"""Parameters: `$name`, `${name}`, `${name-default}` and `${name[N]}` (the Nth
space-separated word of the value) in configuration strings.

Click substitutes parameters when compound elements are expanded, not when
they are parsed, and scopes them lexically: an instance of a compound sees
its own formals and defines, then those of the scope the compound was
*defined* in. VarEnv is one such scope; `expand` is Click's cp_expand.
"""

from __future__ import annotations

import re

from .confstr import quote, skip_comment_space

_BRACED = re.compile(r"\s*([A-Za-z0-9_]+)\s*\[\s*(\d+)\s*\]\s*(-.*)?", re.S)
MAX_EXPANSION = 1 << 20  # characters; guards against define chains that double each step


class ExpansionTooLarge(ValueError):
    pass


class VarEnv:
    """One lexical scope of parameter values; `depth` is the compound nesting depth."""

    __slots__ = ("depth", "parent", "values")

    def __init__(self, parent: VarEnv | None = None):
        self.values: dict[str, str] = {}
        self.parent = parent
        self.depth = parent.depth + 1 if parent is not None else 0

    def define(self, name: str, value: str) -> None:
        self.values[name] = value

    def lookup(self, name: str) -> str | None:
        env: VarEnv | None = self
        while env is not None:
            v = env.values.get(name)
            if v is not None:
                return v
            env = env.parent
        return None

    def parent_of(self, depth: int) -> VarEnv | None:
        """The innermost enclosing scope shallower than `depth` (VariableEnvironment::parent_of)."""
        env: VarEnv | None = self
        while env is not None and env.depth >= depth:
            env = env.parent
        return env


def _value(env: VarEnv, name: str, braced: bool, quote_char: str) -> str | None:
    default = None
    index = None
    if braced:
        m = _BRACED.fullmatch(name)
        if m:
            name, index = m.group(1), m.group(2)
            default = m.group(3)[1:] if m.group(3) else None
        elif "-" in name:
            name, default = name.split("-", 1)
    v = env.lookup(name)
    if v is not None and index is not None:
        words = v.split()
        v = words[int(index)] if int(index) < len(words) else ""
    if v is None:
        v = default
    if v is not None and quote_char == '"':
        v = quote(v)[1:-1]  # stay a valid double-quoted string
    return v


def _word_end(s: str, i: int) -> int:
    n = len(s)
    while i < n and (s[i].isascii() and (s[i].isalnum() or s[i] == "_")):
        i += 1
    return i


def expand(config: str, env: VarEnv, _depth: int = 0) -> str:
    """cp_expand: substitute parameters outside single quotes and comments.

    Unknown parameters are left as written (elements such as Script use `$x`
    themselves). Inside double quotes, values are escaped to stay quoted.
    """
    if "$" not in config:
        return config
    out: list[str] = []
    n = len(config)
    last = i = size = 0
    quote_char = ""
    while i < n:
        c = config[i]
        if c == "\\":
            if quote_char == '"':
                i += 1
        elif c in "\"'":
            if not quote_char:
                quote_char = c
            elif quote_char == c:
                quote_char = ""
        elif c == "/" and not quote_char and i + 1 < n and config[i + 1] in "/*":
            i = skip_comment_space(config, i)
            continue
        elif c == "$" and i + 1 < n and quote_char != "'":
            nxt = config[i + 1]
            value = None
            if nxt == "{":
                j = config.find("}", i + 2)
                if j < 0:
                    break
                end = j + 1
                inner = config[i + 2:j]
                if "$" in inner and _depth < 20:      # ${a[$n]}: Click expands the name first
                    inner = expand(inner, env, _depth + 1)
                value = _value(env, inner, True, quote_char)
            elif nxt == "(":
                end = _paren_end(config, i + 2)
                if end < 0:
                    break
                inner = config[i + 2:end - 1]
                if "$" in inner and _depth < 20:  # Click expands parameters inside $( ... )
                    value = "$(" + expand(inner, env, _depth + 1) + ")"
            elif nxt.isascii() and (nxt.isalnum() or nxt == "_"):
                end = _word_end(config, i + 1)
                value = _value(env, config[i + 1:end], False, quote_char)
            else:
                i += 1
                continue
            if value is not None:
                out.append(config[last:i])
                out.append(value)
                size += i - last + len(value)
                last = end
                if size > MAX_EXPANSION:
                    raise ExpansionTooLarge("parameter expansion is too large")
            i = end
            continue
        i += 1
    if not out:
        return config
    out.append(config[last:])
    return "".join(out)


def _paren_end(s: str, i: int) -> int:
    """Index after the ')' closing a '$(' whose contents start at i, or -1."""
    level, quote_char, n = 1, "", len(s)
    while i < n:
        c = s[i]
        if c in "\"'":
            if not quote_char:
                quote_char = c
            elif quote_char == c:
                quote_char = ""
        elif c == "\\" and quote_char != "'":
            i += 1
        elif not quote_char and c == "(":
            level += 1
        elif not quote_char and c == ")":
            level -= 1
            if level == 0:
                return i + 1
        i += 1
    return -1
