"""Element: a running element's handlers as Python attributes (`eng["c"].count`)."""

from __future__ import annotations

from typing import Any

from .errors import EngineError


def _coerce(text: str) -> Any:
    """Handler text to a Python value: int, float, or the text itself."""
    t = text.strip()
    try:
        return int(t)
    except ValueError:
        pass
    try:
        return float(t)
    except ValueError:
        return t


class Element:
    """A running element: its handlers as attributes (`eng["c"].count`)."""

    __slots__ = ("_engine", "name")

    def __init__(self, engine, index: int, name: str):
        """engine: the pktlab.engine.Engine that runs the element. The handle
        names the element: after a live change it reaches the element of that
        name (indices move), and fails once none is left."""
        object.__setattr__(self, "_engine", engine)
        object.__setattr__(self, "name", name)

    @property
    def _index(self) -> int:
        i = self._engine._index.get(self.name)
        if i is None:
            raise EngineError(f"element '{self.name}' is gone: a live change removed it",
                              kind="state", element=self.name)
        return i

    @property
    def cls(self) -> str:
        return self.read("class")

    def read(self, handler: str) -> str:
        """Read a handler's text."""
        return self._engine._read(self._index, handler)

    def write(self, handler: str, value: Any = "") -> None:
        """Write a handler (live parameters, reset, ...). A live parameter's
        write is a live change: it goes into the engine's history."""
        if isinstance(value, bool):
            value = "true" if value else "false"
        self._engine._write_handler(self.name, self._index, handler, str(value))

    def handlers(self) -> dict[str, str]:
        """Handler name -> its mode and Click flags ("r", "w", "rw", "r." calm, "r+"
        takes a parameter, "%" raw, "$" expensive, "b" button, "c" checkbox)."""
        out = {}
        for line in self.read("handlers").splitlines():
            name, _, mode = line.partition("\t")
            out[name] = mode
        return out

    def counters(self) -> dict[str, int]:
        """This element's counters (drop reasons and others), summed over threads."""
        self._index                      # noqa: B018 - fails for an element that is gone
        return self._engine.stats().counters_of(self.name)

    def __getattr__(self, handler: str) -> Any:
        if handler.startswith("_"):
            raise AttributeError(handler)
        try:
            return _coerce(self.read(handler))
        except EngineError as e:
            raise AttributeError(str(e)) from None

    def __setattr__(self, handler: str, value: Any) -> None:
        self.write(handler, value)

    def __repr__(self) -> str:
        return f"<Element {self.name} :: {self.cls}>"
