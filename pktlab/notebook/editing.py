"""Editing a graph: the operations the widget offers, with undo and validation.

GraphEditor holds a Graph and the positions a user gave elements, and
changes them one checked operation at a time (add, remove, connect,
disconnect, insert on an edge, set parameters). Each change can be undone.
Parameter values are checked twice before they are accepted: against the
class's parameter table with the language's argument readers (type, range),
then exactly, by configuring the element in a scratch engine, which reports
the element and keyword of anything it rejects. A rejected edit changes
nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from ..engine.classes import check_element
from ..engine.configs import config_params, with_params
from ..graph import Connection, Element, Graph
from ..lang import args as largs

__all__ = ["EditError", "GraphEditor", "ParamErrors", "config_params", "check_value",
           "with_params"]

_HISTORY = 200


class EditError(ValueError):
    """An edit that cannot be made (unknown element, port out of range, ...)."""


class ParamErrors(EditError):
    """Rejected parameter values: `errors` maps keyword ('' = the whole
    configuration) to a message."""

    def __init__(self, element: str, errors: dict[str, str]):
        self.element = element
        self.errors = errors
        super().__init__("; ".join(f"{element}: {k + ': ' if k else ''}{m}"
                                   for k, m in errors.items()))


def _classes() -> dict[str, dict]:
    from .graphview import class_table

    return class_table()


# ---- parameters ------------------------------------------------------------

def _uint(s: str) -> int:
    try:
        v = largs.parse_int(s)
    except ValueError:
        v = -1
    if v < 0:
        raise ValueError(f"expected an unsigned integer, got {s!r}")
    return v


_READERS: dict[str, Callable[[str], object]] = {
    "int": largs.parse_int,
    "uint": _uint,
    "bool": largs.parse_bool,
    "real": largs.parse_real,
    "time": largs.parse_time,
    "bandwidth": largs.parse_bandwidth,
    "ipv4": largs.parse_ipv4,
    "ether": largs.parse_ether,
    "data": largs.parse_data,
    "string": largs.unquote,
}


def check_value(param: Mapping, text: str) -> None:
    """Raise ValueError if `text` is not a valid value for `param` (an entry
    of the class table: type, min, max)."""
    reader = _READERS.get(param["type"])
    if reader is None:
        return
    value = reader(text)
    lo, hi = param.get("min"), param.get("max")
    if lo is not None and isinstance(value, (int, float)) and not isinstance(value, bool):
        if not lo <= value <= hi:
            raise ValueError(f"{value} is out of range {lo:g}..{hi:g}")


# ---- the editor ------------------------------------------------------------

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_@]*(?:/[A-Za-z0-9_@]+)*")


class GraphEditor:
    """A graph under edit, with positions and an undo history."""

    def __init__(self, graph: Graph, positions: Mapping[str, list[float]] | None = None):
        self.graph = graph.copy()
        self.positions: dict[str, list[float]] = {k: list(v) for k, v in (positions or {}).items()}
        self._undo: list[tuple[Graph, dict]] = []
        self._redo: list[tuple[Graph, dict]] = []

    # ---- history ----------------------------------------------------------

    def _snapshot(self) -> tuple[Graph, dict]:
        return self.graph.copy(), {k: list(v) for k, v in self.positions.items()}

    def _push(self) -> None:
        self._undo.append(self._snapshot())
        del self._undo[:-_HISTORY]
        self._redo.clear()

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo(self) -> None:
        if not self._undo:
            raise EditError("nothing to undo")
        self._redo.append(self._snapshot())
        self.graph, self.positions = self._undo.pop()

    def redo(self) -> None:
        if not self._redo:
            raise EditError("nothing to redo")
        self._undo.append(self._snapshot())
        self.graph, self.positions = self._redo.pop()

    def reset(self, graph: Graph, positions: Mapping[str, list[float]] | None = None) -> None:
        """Replace the whole graph (undoable)."""
        self._push()
        self.graph = graph.copy()
        if positions is not None:
            self.positions = {k: list(v) for k, v in positions.items()}

    # ---- checks -----------------------------------------------------------

    def _element(self, name: str) -> Element:
        try:
            return self.graph.element(name)
        except KeyError as e:
            raise EditError(e.args[0]) from None

    def _class(self, cls: str) -> dict:
        table = _classes()
        if cls not in table:
            import difflib

            near = difflib.get_close_matches(cls, table, n=1)
            raise EditError(f"unknown element class '{cls}'"
                            + (f"; did you mean '{near[0]}'?" if near else ""))
        return table[cls]

    def _check_port(self, name: str, port: int, output: bool) -> None:
        el = self._element(name)
        side = "outputs" if output else "inputs"
        spec = _classes().get(el.cls)
        if port < 0:
            raise EditError(f"{name}: port {port} is negative")
        if spec is not None:
            lo, hi = spec["inputs"] if spec["same"] else spec[side]
            if hi is not None and port >= hi:
                what = "output" if output else "input"
                count = "no" if hi == 0 else f"only {hi}"
                raise EditError(f"{name} ({el.cls}) has {count} {what} port{'s' if hi != 1 else ''}"
                                f"; cannot use {what} {port}")

    def new_name(self, cls: str) -> str:
        base = re.sub(r"[^a-z0-9_]", "", cls.lower()) or "e"
        n = 1
        while f"{base}{n}" in self.graph.elements:
            n += 1
        return f"{base}{n}"

    # ---- operations -------------------------------------------------------

    def add(self, cls: str, name: str | None = None, config: str = "",
            at: list[float] | None = None) -> str:
        """Add an element of class `cls`; returns its name."""
        self._class(cls)
        name = name or self.new_name(cls)
        if not _NAME.fullmatch(name):
            raise EditError(f"'{name}' is not a valid element name")
        if name in self.graph.elements:
            raise EditError(f"an element named '{name}' already exists")
        if config:
            self._validate(name, cls, config)
        self._push()
        self.graph.add_element(name, cls, config)
        if at is not None:
            self.positions[name] = [float(at[0]), float(at[1])]
        return name

    def remove(self, name: str) -> None:
        self._element(name)
        self._push()
        self.graph.remove_element(name)
        self.positions.pop(name, None)

    def connect(self, src: str, sport: int, dst: str, dport: int) -> Connection:
        self._check_port(src, sport, True)
        self._check_port(dst, dport, False)
        c = Connection(src, int(sport), dst, int(dport))
        if c in self.graph.connections:
            raise EditError(f"'{c}' is already connected")
        taken = [x for x in self.graph.outputs_of(src) if x.sport == sport]
        if taken:
            raise EditError(f"{src} output {sport} is already connected (to {taken[0].dst}); "
                            "a push output goes to one input: delete that edge first, "
                            "or use a Tee")
        self._push()
        return self.graph.connect(c)

    def disconnect(self, src: str, sport: int, dst: str, dport: int) -> None:
        c = Connection(src, int(sport), dst, int(dport))
        if c not in self.graph.connections:
            raise EditError(f"no connection '{c}'")
        self._push()
        self.graph.disconnect(c)

    def insert(self, cls: str, edge: Connection, name: str | None = None,
               at: list[float] | None = None) -> str:
        """Put a new element of class `cls` on an edge: src -> new -> dst."""
        spec = self._class(cls)
        if edge not in self.graph.connections:
            raise EditError(f"no connection '{edge}'")
        ins, outs = spec["inputs"], spec["inputs"] if spec["same"] else spec["outputs"]
        if (ins[1] is not None and ins[1] < 1) or (outs[1] is not None and outs[1] < 1):
            raise EditError(f"{cls} has no input or no output port ({spec['ports']}); "
                            "it cannot go on an edge")
        name = name or self.new_name(cls)
        if name in self.graph.elements:
            raise EditError(f"an element named '{name}' already exists")
        self._push()
        self.graph.add_element(name, cls, "")
        self.graph.disconnect(edge)
        self.graph.connect(edge.src, edge.sport, name, 0)
        self.graph.connect(name, 0, edge.dst, edge.dport)
        if at is not None:
            self.positions[name] = [float(at[0]), float(at[1])]
        return name

    def params(self, name: str) -> dict[str, str]:
        el = self._element(name)
        return config_params(el.cls, el.config)

    def set_params(self, name: str, values: Mapping[str, str]) -> str:
        """Set parameters by keyword; raises ParamErrors and changes nothing
        if any value is rejected. Returns the new configuration string."""
        el = self._element(name)
        spec = self._class(el.cls)
        table = {p["name"]: p for p in spec["params"]}
        errors: dict[str, str] = {}
        for kw, text in values.items():
            if kw not in table:
                errors[kw] = f"{el.cls} has no keyword {kw}"
            elif text.strip():
                try:
                    check_value(table[kw], text)
                except ValueError as e:
                    errors[kw] = str(e)
        if errors:
            raise ParamErrors(name, errors)
        config = with_params(el.cls, el.config, values)
        self._validate(name, el.cls, config)
        if config != el.config:
            self._push()
            self.graph.elements[name] = Element(name, el.cls, config, el.loc)
        return config

    def set_config(self, name: str, config: str) -> None:
        """Replace an element's whole configuration string (checked)."""
        el = self._element(name)
        self._validate(name, el.cls, config)
        self._push()
        self.graph.elements[name] = Element(name, el.cls, config, el.loc)

    def move(self, name: str, x: float, y: float) -> None:
        """Place an element (not recorded in the undo history)."""
        self._element(name)
        self.positions[name] = [float(x), float(y)]

    def _validate(self, name: str, cls: str, config: str) -> None:
        from ..engine import EngineError

        try:
            check_element(name, cls, config)
        except EngineError as e:
            raise ParamErrors(name, {e.keyword or "": e.message}) from None
