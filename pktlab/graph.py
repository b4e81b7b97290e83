"""The graph model shared by everything above the engine.

A Graph is what a Click configuration means once compound elements are
expanded: named elements (class + configuration string) and the connections
between their ports. The language layer produces it, the engine instantiates
it (the order of `elements` is the engine's element index order), the widget
edits it, and `diff` between two graphs is the plan for a live change.

Nothing here knows about native code or the Click text syntax.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

__all__ = ["Connection", "Element", "Graph", "GraphDiff", "Loc", "diff"]


@dataclass(frozen=True)
class Loc:
    """A source location: 1-based line and column."""

    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@dataclass
class Element:
    """One element: flat name, Click class name and configuration string.

    `config` is the string the element itself parses: parameters substituted,
    comments removed, outer whitespace stripped.
    """

    name: str
    cls: str
    config: str = ""
    loc: Loc | None = None


@dataclass(frozen=True)
class Connection:
    """An edge from output port `sport` of `src` to input port `dport` of `dst`."""

    src: str
    sport: int
    dst: str
    dport: int

    def __str__(self) -> str:
        return f"{self.src} [{self.sport}] -> [{self.dport}] {self.dst}"


def _hint(name: str, candidates: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.5)
    return f"; did you mean '{close[0]}'?" if close else ""


class Graph:
    """A flat Click graph.

    elements: insertion-ordered dict name -> Element (the engine's index order).
    connections: list of Connection in declaration order, without duplicates.
    requirements: the requirements the configuration stated ("package X", ...).
    """

    def __init__(self, elements: Iterable[Element] | Mapping[str, Element] = (),
                 connections: Iterable[Connection] = (), requirements: Iterable[str] = ()):
        self.elements: dict[str, Element] = {}
        self.connections: list[Connection] = []
        self.requirements: list[str] = list(requirements)
        for el in elements.values() if isinstance(elements, Mapping) else elements:
            self.add_element(el)
        seen: set[Connection] = set()
        for c in connections:
            if c not in seen:
                seen.add(c)
                self.connections.append(c)

    # ---- building -------------------------------------------------------

    def add_element(self, name: str | Element, cls: str | None = None, config: str = "",
                    loc: Loc | None = None) -> Element:
        """Add an element (an Element, or its fields); names must be new."""
        el = name if isinstance(name, Element) else Element(name, cls or "", config, loc)
        if el.name in self.elements:
            raise ValueError(f"element '{el.name}' already exists")
        self.elements[el.name] = el
        return el

    def connect(self, src: str | Connection, sport: int = 0, dst: str | None = None,
                dport: int = 0) -> Connection:
        """Add a connection (a Connection, or its fields); an existing one is kept once."""
        if isinstance(src, Connection):
            c = src
        elif dst is None:
            raise TypeError("connect(src, sport, dst, dport) needs a destination")
        else:
            c = Connection(src, sport, dst, dport)
        if c not in self.connections:
            self.connections.append(c)
        return c

    def remove_element(self, name: str) -> Element:
        """Remove an element and every connection that touches it."""
        el = self.element(name)
        del self.elements[name]
        self.connections = [c for c in self.connections if c.src != name and c.dst != name]
        return el

    def disconnect(self, c: Connection) -> None:
        self.connections.remove(c)

    # ---- queries --------------------------------------------------------

    def element(self, name: str) -> Element:
        try:
            return self.elements[name]
        except KeyError:
            raise KeyError(f"no element '{name}'{_hint(name, self.elements)}") from None

    def __contains__(self, name: object) -> bool:
        return name in self.elements

    def inputs_of(self, name: str) -> list[Connection]:
        return [c for c in self.connections if c.dst == name]

    def outputs_of(self, name: str) -> list[Connection]:
        return [c for c in self.connections if c.src == name]

    def sources(self) -> list[str]:
        """Elements nothing connects into, in element order."""
        fed = {c.dst for c in self.connections}
        return [n for n in self.elements if n not in fed]

    def sinks(self) -> list[str]:
        """Elements that connect to nothing, in element order."""
        feeding = {c.src for c in self.connections}
        return [n for n in self.elements if n not in feeding]

    def copy(self) -> Graph:
        g = Graph(requirements=self.requirements)
        g.elements = {n: Element(e.name, e.cls, e.config, e.loc) for n, e in self.elements.items()}
        g.connections = list(self.connections)
        return g

    def validate(self) -> list[str]:
        """Problems found without the engine (an empty list means none)."""
        problems = []
        for key, el in self.elements.items():
            if key != el.name:
                problems.append(f"element keyed '{key}' is named '{el.name}'")
            if not el.cls:
                problems.append(f"element '{key}' has no class")
        seen: set[Connection] = set()
        for c in self.connections:
            for end in (c.src, c.dst):
                if end not in self.elements:
                    problems.append(f"connection '{c}' names undeclared element "
                                    f"'{end}'{_hint(end, self.elements)}")
            if c.sport < 0 or c.dport < 0:
                problems.append(f"connection '{c}' has a negative port")
            if c in seen:
                problems.append(f"duplicate connection '{c}'")
            seen.add(c)
        return problems

    # ---- comparison and serialization -----------------------------------

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Graph):
            return NotImplemented
        mine = {n: (e.cls, e.config) for n, e in self.elements.items()}
        theirs = {n: (e.cls, e.config) for n, e in other.elements.items()}
        return mine == theirs and set(self.connections) == set(other.connections)

    __hash__ = None  # mutable

    def __repr__(self) -> str:
        return f"<Graph: {len(self.elements)} elements, {len(self.connections)} connections>"

    def to_json(self) -> dict:
        """A plain dict (JSON-ready); `from_json` reverses it."""
        return {
            "elements": [
                {"name": e.name, "class": e.cls, "config": e.config,
                 "loc": [e.loc.file, e.loc.line, e.loc.col] if e.loc else None}
                for e in self.elements.values()
            ],
            "connections": [[c.src, c.sport, c.dst, c.dport] for c in self.connections],
            "requirements": list(self.requirements),
        }

    @classmethod
    def from_json(cls, data: dict) -> Graph:
        try:
            elements = []
            for d in data["elements"]:
                loc = d.get("loc")
                where = Loc(str(loc[0]), int(loc[1]), int(loc[2])) if loc else None
                elements.append(Element(str(d["name"]), str(d["class"]), str(d.get("config", "")),
                                        where))
            connections = [Connection(str(s), int(sp), str(t), int(tp))
                           for s, sp, t, tp in data.get("connections", [])]
            return cls(elements, connections, [str(r) for r in data.get("requirements", [])])
        except (KeyError, TypeError, ValueError, IndexError) as e:
            raise ValueError(f"not a pktlab graph: {e}") from None


@dataclass
class GraphDiff:
    """What changes from one graph to another, by element name.

    reconfigured: same name and class, other configuration (a live
    reconfiguration candidate); reclassed: same name, other class (a swap).
    """

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    reconfigured: list[str] = field(default_factory=list)
    reclassed: list[str] = field(default_factory=list)
    connections_added: list[Connection] = field(default_factory=list)
    connections_removed: list[Connection] = field(default_factory=list)

    def empty(self) -> bool:
        return not (self.added or self.removed or self.reconfigured or self.reclassed
                    or self.connections_added or self.connections_removed)

    def summary(self) -> str:
        """A short human-readable line, e.g. "+c2 -c ~src (2 edges)"."""
        parts = [f"+{n}" for n in self.added] + [f"-{n}" for n in self.removed]
        parts += [f"~{n}" for n in self.reconfigured + self.reclassed]
        edges = len(self.connections_added) + len(self.connections_removed)
        if edges:
            parts.append(f"({edges} edge{'s' if edges != 1 else ''})")
        return " ".join(parts) or "no change"


def diff(old: Graph, new: Graph) -> GraphDiff:
    """The element and connection changes that turn `old` into `new`."""
    d = GraphDiff()
    for name, el in new.elements.items():
        before = old.elements.get(name)
        if before is None:
            d.added.append(name)
        elif before.cls != el.cls:
            d.reclassed.append(name)
        elif before.config != el.config:
            d.reconfigured.append(name)
    d.removed = [n for n in old.elements if n not in new.elements]
    old_set, new_set = set(old.connections), set(new.connections)
    d.connections_added = [c for c in new.connections if c not in old_set]
    d.connections_removed = [c for c in old.connections if c not in new_set]
    return d
