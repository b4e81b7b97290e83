"""What a remote client may make the served engine open: only the files and
devices its configuration named.

A hotconfig (or a write to an element's `config`) is a new configuration
from the network. Without a rule it could read any file the server can
(`FromDump(/etc/shadow)`, `require(library /root/x)`: errors quote the lines
they could not parse), write any (`ToDump(/etc/passwd)`) or sniff any
interface (`FromDevice(eth0)`). So the server remembers the resources the
configuration it was started with names -- the FILE of FromDump and ToDump,
the DEVNAME of FromDevice and ToDevice, the PORT of the DPDK elements, the
libraries it required -- and a new configuration may name those and no
other (paths compared after resolving them, `--allow-file` adds more).
"""

from __future__ import annotations

import os

from ..lang.args import split_args, split_keyword
from ..lang.confstr import unquote

# class -> (kind, keyword): the parameters that open something outside the engine
RESOURCES = {
    "FromDump": ("file", "FILE"), "ToDump": ("file", "FILE"),
    "FromDevice": ("device", "DEVNAME"), "ToDevice": ("device", "DEVNAME"),
    "FromDPDKDevice": ("dpdk", "PORT"), "ToDPDKDevice": ("dpdk", "PORT"),
    "FromNetmapDevice": ("device", "DEVNAME"), "ToNetmapDevice": ("device", "DEVNAME"),
}


def _positional(cls: str) -> list[str]:
    try:
        from ..engine.classes import element_class

        return [p.name for p in element_class(cls).params if p.positional]
    except (ImportError, KeyError):
        return []


def resource_of(cls: str, config: str) -> tuple[str, str] | None:
    """(kind, value) that an element of class `cls` opens, or None."""
    spec = RESOURCES.get(cls)
    if spec is None:
        return None
    kind, keyword = spec
    positional = _positional(cls)
    k = 0
    for arg in split_args(config or ""):
        key, value = split_keyword(arg)
        if key is None:
            key = positional[k] if k < len(positional) else None
            k += 1
        if key == keyword:
            value = unquote(value.strip())
            return kind, normalize(kind, value)
    return kind, ""


def normalize(kind: str, value: str) -> str:
    return os.path.realpath(value) if kind in ("file", "library") else value


class ResourcePolicy:
    """The resources a served configuration may use."""

    def __init__(self, graph=None, extra_files=()):
        self.allowed: set[tuple[str, str]] = set()
        for f in extra_files:
            self.allowed.add(("file", normalize("file", f)))
            self.allowed.add(("library", normalize("library", f)))
        if graph is not None:
            self.allow_graph(graph)

    def allow_graph(self, graph) -> None:
        for el in graph.elements.values():
            r = resource_of(el.cls, el.config)
            if r is not None:
                self.allowed.add(r)
        for req in getattr(graph, "requirements", ()) or ():
            kind, _, path = req.partition(" ")
            if kind == "library":
                self.allowed.add(("library", normalize("library", path)))

    def check_graph(self, graph) -> list[str]:
        """Messages for every element of `graph` that opens what is not allowed."""
        bad = []
        for el in graph.elements.values():
            r = resource_of(el.cls, el.config)
            if r is not None and r not in self.allowed:
                what = {"file": "file", "device": "device", "dpdk": "DPDK port"}[r[0]]
                bad.append(f"{el.name} :: {el.cls}: the served configuration names no "
                           f"{what} '{r[1]}' (a remote change may use only its files and "
                           "devices)")
        return bad

    def open_library(self, path: str) -> str:
        """The parser's hook for require(library PATH) in a remote configuration."""
        if ("library", normalize("library", path)) not in self.allowed:
            raise PermissionError(f"library '{path}' is not one the served configuration "
                                  "requires")
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()


__all__ = ["RESOURCES", "ResourcePolicy", "resource_of"]
