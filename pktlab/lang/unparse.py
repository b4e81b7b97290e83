"""Flat Graph -> canonical Click text.

Every element is declared by name (`name :: Class(config);`), in graph order,
so that anonymous-looking names such as "Counter@3" and compound-made names
such as "c/x" come back unchanged (Click accepts both as declared names).
Connections follow, written as chains wherever elements have exactly one
input and one output connection. parse(unparse(g)) == g for every graph
whose names, classes and configurations can be written in Click at all;
for the others unparse raises ValueError instead of writing something that
would mean a different graph.
"""

from __future__ import annotations

import re

from ..graph import Connection, Graph
from .confstr import quote, uncomment
from .lexer import KEYWORDS, scan_config
from .variables import VarEnv, expand

_IDENT = re.compile(r"[A-Za-z0-9_@]+(?:/[A-Za-z0-9_@]+)*")
_WORD = re.compile(r"[A-Za-z0-9_.@/:+-]+")


def _check_identifier(text: str, what: str) -> None:
    if not _IDENT.fullmatch(text) or text in KEYWORDS:
        raise ValueError(f"{what} '{text}' is not a Click identifier")
    if any(part.isdigit() for part in text.split("/")):
        raise ValueError(f"{what} '{text}' has an all-digit component")


def _check_config(name: str, config: str) -> None:
    """The configuration must read back as exactly itself."""
    end, directives = scan_config(config + ")", 0)
    if (end != len(config) or directives or "\r" in config or uncomment(config) != config
            or expand(config, VarEnv()) != config):
        raise ValueError(f"configuration of '{name}' cannot be written as Click text: {config!r}")


def _requirement(req: str) -> str | None:
    kind, _, value = req.partition(" ")
    if kind == "package":
        return f"require(package {value if _WORD.fullmatch(value) else quote(value)});"
    if kind == "compact_config":
        return "require(compact_config);"
    return None   # library: its contents are already expanded, as click-flatten leaves it


def _port(p: int, before: bool) -> str:
    if p == 0:
        return ""
    return f"[{p}] " if before else f" [{p}]"


def _chains(connections: list[Connection]) -> list[list[Connection]]:
    """Click's chains (its Router::unparse_connections): a connection into
    port 0 continues with a connection out of that element's output 0,
    preferring one into a port 0; chains start in connection order, and what
    cycles leave over starts new chains."""
    n = len(connections)
    nxt = [-1] * n
    start = [True] * n
    for i, c in enumerate(connections):
        if c.dport != 0:
            continue
        found = -1
        for j, d in enumerate(connections):
            if j != i and d.src == c.dst and d.sport == 0:
                found = j
                if d.dport == 0:
                    break
        if found >= 0:
            nxt[i] = found
            start[found] = False
    used = [False] * n
    chains = []
    while True:
        for i in range(n):
            if used[i] or not start[i]:
                continue
            chain = []
            j = i
            while j >= 0 and not used[j]:
                chain.append(connections[j])
                used[j] = True
                j = nxt[j]
            chains.append(chain)
        left = next((i for i in range(n) if not used[i]), None)
        if left is None:
            return chains
        start[left] = True


def _write_chain(chain: list[Connection]) -> str:
    """The first hop on the chain's line, each further one on its own line."""
    text = chain[0].src + _port(chain[0].sport, False)
    for k, c in enumerate(chain):
        text += " -> " if k == 0 else "\n    -> "
        text += f"{_port(c.dport, True)}{c.dst}"
    return text + ";"


def unparse(graph: Graph) -> str:
    """Canonical Click text for a flat graph (see the module docstring)."""
    out = []
    for req in graph.requirements:
        line = _requirement(req)
        if line:
            out.append(line)
    if out:
        out.append("")
    for key, el in graph.elements.items():
        if key != el.name:
            raise ValueError(f"element keyed '{key}' is named '{el.name}'")
        _check_identifier(el.name, "element name")
        _check_identifier(el.cls, "class name")
        if el.config:
            _check_config(el.name, el.config)
            out.append(f"{el.name} :: {el.cls}({el.config});")
        else:
            out.append(f"{el.name} :: {el.cls};")
    connections = list(dict.fromkeys(graph.connections))
    for c in connections:
        for end in (c.src, c.dst):
            if end not in graph.elements:
                raise ValueError(f"connection '{c}' names undeclared element '{end}'")
        if c.sport < 0 or c.dport < 0 or c.sport >= 1 << 31 or c.dport >= 1 << 31:
            raise ValueError(f"connection '{c}' has a port out of range")
    if connections:
        out.append("")
        out.extend(_write_chain(chain) for chain in _chains(connections))
    return "\n".join(out) + "\n" if out else ""
