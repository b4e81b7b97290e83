"""Configuration errors: every problem found, each located, with a caret.

The parser and the expander do not stop at the first mistake; they report
into a Reporter and keep going, so one run shows the user everything. The
Reporter becomes a ConfigError at the end.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..graph import Loc

MAX_ERRORS = 200


@dataclass(frozen=True)
class Diagnostic:
    loc: Loc | None
    message: str
    source: str | None = None  # the source line `loc` points into, for the caret

    def format(self) -> str:
        if self.loc is None:
            return self.message
        text = f"{self.loc}: {self.message}"
        if self.source is not None:
            line = self.source.rstrip("\n")
            # Keep tabs from the line itself so the caret lines up in a terminal.
            pad = "".join(c if c == "\t" else " " for c in line[: max(self.loc.col - 1, 0)])
            text += f"\n    {line}\n    {pad}^"
        return text


class ConfigError(ValueError):
    """A configuration that cannot be parsed or expanded.

    errors: every (loc, message) found, in the order found. loc and message
    are those of the first; str() shows all of them, each as
    "FILE:LINE:COL: message" followed by the source line and a caret.
    """

    def __init__(self, diagnostics: list[Diagnostic] | str, loc: Loc | None = None):
        if isinstance(diagnostics, str):
            diagnostics = [Diagnostic(loc, diagnostics)]
        self.diagnostics = list(diagnostics)
        self.errors: list[tuple[Loc | None, str]] = [(d.loc, d.message) for d in self.diagnostics]
        first = self.diagnostics[0] if self.diagnostics else Diagnostic(None, "bad configuration")
        self.loc = first.loc
        self.message = first.message
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(d.format() for d in self.diagnostics)


class TooManyErrors(Exception):
    """Internal: stop reporting once MAX_ERRORS is reached."""


class Reporter:
    """Collects diagnostics; looks up source lines through registered sources."""

    def __init__(self) -> None:
        self.diagnostics: list[Diagnostic] = []
        self._seen: set[tuple[Loc | None, str]] = set()
        self._sources: list[Callable[[Loc], str | None]] = []

    def add_source(self, lookup: Callable[[Loc], str | None]) -> None:
        self._sources.append(lookup)

    def error(self, loc: Loc | None, message: str) -> None:
        if (loc, message) in self._seen:
            return
        self._seen.add((loc, message))
        source = None
        if loc is not None:
            for lookup in self._sources:
                source = lookup(loc)
                if source is not None:
                    break
        self.diagnostics.append(Diagnostic(loc, message, source))
        if len(self.diagnostics) >= MAX_ERRORS:
            self.diagnostics.append(Diagnostic(None, f"too many errors; stopped at {MAX_ERRORS}"))
            raise TooManyErrors

    def __bool__(self) -> bool:
        return bool(self.diagnostics)

    def raise_if_any(self) -> None:
        if self.diagnostics:
            raise ConfigError(self.diagnostics)
