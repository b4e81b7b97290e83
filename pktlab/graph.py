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
from dataclasses import dataclass, field, replace

__all__ = ["Connection", "Element", "Graph", "GraphDiff", "Loc", "diff", "is_anonymous", "match"]


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
    comments removed, outer whitespace stripped. Where the text is known:
    `loc` is where the element is written (its name, or its class when it is
    anonymous), `cls_loc` where its class is, and `config_span` the offsets
    of the configuration's text between its parentheses in that file.
    """

    name: str
    cls: str
    config: str = ""
    loc: Loc | None = None
    cls_loc: Loc | None = None
    config_span: tuple[int, int] | None = None

    def copy(self, **changes) -> Element:
        return replace(self, **changes)


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
        g.elements = {n: e.copy() for n, e in self.elements.items()}
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
    """What changes from one graph to another.

    Elements are followed by identity (`match`): a named element by its name,
    an anonymous one by its place in the graph, so `renamed` maps the new
    name of an anonymous element that continues an old one to its old name
    (Counter@3 -> Counter@2 when an element was inserted before it), and the
    other lists use new names (`removed`: old ones). reconfigured: same
    element and class, other configuration (a live reconfiguration
    candidate); reclassed: same name, other class (a swap). Connections are
    compared with old names read as new ones: removed ones are in old names.
    """

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    reconfigured: list[str] = field(default_factory=list)
    reclassed: list[str] = field(default_factory=list)
    connections_added: list[Connection] = field(default_factory=list)
    connections_removed: list[Connection] = field(default_factory=list)
    renamed: dict[str, str] = field(default_factory=dict)

    def empty(self) -> bool:
        """Nothing changes in what runs (renumbered names alone change nothing)."""
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


def is_anonymous(name: str) -> bool:
    """Click's name for an element written without one: Class@N (inside a
    compound, prefix/Class@N). Such names are numbered by position in the
    text, so they say nothing about identity across edits."""
    return "@" in name.rpartition("/")[2]


def _scope(name: str) -> str:
    return name.rpartition("/")[0]


def _links(g: Graph) -> dict[str, list[tuple[bool, int, int, str]]]:
    out: dict[str, list[tuple[bool, int, int, str]]] = {n: [] for n in g.elements}
    for c in g.connections:
        if c.src in out and c.dst in out:
            out[c.src].append((True, c.sport, c.dport, c.dst))
            out[c.dst].append((False, c.dport, c.sport, c.src))
    return out


def match(old: Graph, new: Graph) -> dict[str, str]:
    """Which element of `old` each element of `new` continues: new name ->
    old name (elements without one are new).

    Named elements match by name. Anonymous ones (is_anonymous) match an
    anonymous element of the same class in the same compound scope, by
    their neighbours: an element whose connection (same ports, same
    direction) reaches an element already matched to the candidate's
    neighbour scores a point, and mutual best pairs are taken, spreading from
    the named elements; then a class with one candidate left on each side is
    paired, then the same name, then the order of appearance when as many are
    left on both sides. So inserting `Null` before an anonymous `Counter`
    keeps the Counter (and its counters) although Click now numbers it @3."""
    m = {n: n for n in new.elements if not is_anonymous(n) and n in old.elements}
    used = set(m.values())
    todo = [n for n in new.elements if is_anonymous(n)]
    spare = [n for n in old.elements if is_anonymous(n)]
    if not todo or not spare:
        return m
    kind = {n: (new.elements[n].cls, _scope(n)) for n in todo}
    okind = {n: (old.elements[n].cls, _scope(n)) for n in spare}
    nl, ol = _links(new), _links(old)

    def score(n: str, o: str) -> int:
        theirs = set(ol[o])
        return sum((out, p, q, m[nb]) in theirs for out, p, q, nb in nl[n] if nb in m)

    def pair(n: str, o: str) -> None:
        m[n] = o
        used.add(o)
        todo.remove(n)

    def spread() -> None:
        while True:
            free = [o for o in spare if o not in used]
            best: dict[str, tuple[int, list[str]]] = {}
            for n in todo:
                scores = [(score(n, o), o) for o in free if okind[o] == kind[n]]
                top = max((s for s, _ in scores), default=0)
                if top:
                    best[n] = (top, [o for s, o in scores if s == top])
            taken = False
            for n, (top, os) in best.items():
                if len(os) != 1 or os[0] in used:
                    continue
                rivals = [k for k, (t, o2) in best.items() if os[0] in o2 and t >= top and k != n]
                if not rivals:
                    pair(n, os[0])
                    taken = True
            if not taken:
                return

    def by_class(rule) -> bool:
        groups: dict[tuple, tuple[list[str], list[str]]] = {}
        for n in todo:
            groups.setdefault(kind[n], ([], []))[0].append(n)
        for o in spare:
            if o not in used and okind[o] in groups:
                groups[okind[o]][1].append(o)
        found = False
        for ns, os in groups.values():
            for n, o in rule(ns, os):
                pair(n, o)
                found = True
        return found

    rules = [
        lambda ns, os: [(ns[0], os[0])] if len(ns) == len(os) == 1 else [],
        lambda ns, os: [(n, n) for n in ns if n in os],
        lambda ns, os: list(zip(ns, os, strict=True)) if len(ns) == len(os) else [],
    ]
    spread()
    for rule in rules:
        while todo and by_class(rule):
            spread()
    return m


def diff(old: Graph, new: Graph, matched: dict[str, str] | None = None) -> GraphDiff:
    """The element and connection changes that turn `old` into `new`
    (elements followed by `match`, or by the `matched` mapping given)."""
    m = match(old, new) if matched is None else matched
    d = GraphDiff()
    for name, el in new.elements.items():
        was = m.get(name)
        before = old.elements.get(was) if was is not None else None
        if before is None:
            d.added.append(name)
            continue
        if was != name:
            d.renamed[name] = was
        if before.cls != el.cls:
            d.reclassed.append(name)
        elif before.config != el.config:
            d.reconfigured.append(name)
    kept = set(m.values())
    d.removed = [n for n in old.elements if n not in kept]
    now = {o: n for n, o in m.items()}

    def as_new(c: Connection) -> Connection:
        # a removed element's connections match nothing (\0 is in no name)
        return Connection(now.get(c.src, "\0" + c.src), c.sport, now.get(c.dst, "\0" + c.dst),
                          c.dport)

    old_set = {as_new(c) for c in old.connections}
    new_set = set(new.connections)
    d.connections_added = [c for c in new.connections if c not in old_set]
    d.connections_removed = [c for c in old.connections if as_new(c) not in new_set]
    return d
