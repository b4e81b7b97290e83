"""Faces that the layers above attach to every Engine.

The engine knows nothing of telemetry, notebooks or widgets (DESIGN.md §1),
yet users reach some of them from an engine: `eng.telemetry` is the
engine's telemetry sampler. A layer above registers a factory under a name
(the accessor pattern of pandas and xarray); reading `eng.NAME` calls
factory(engine), which may keep what it makes with `attach` and find it
again with `attached`. So the dependency points down: pktlab.telemetry
imports this module, never the reverse.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_FACTORIES: dict[str, Callable[[Any], Any]] = {}
_OWNERS: dict[str, str] = {}


def register_accessor(name: str, factory: Callable[[Any], Any], owner: str = "") -> None:
    """`engine.NAME` returns factory(engine). owner: the package that provides
    it, named in the error when it is read before that package was imported."""
    _FACTORIES[name] = factory
    _OWNERS[name] = owner


def attach(engine, name: str, value) -> None:
    """Keep `value` as the engine's NAME (a factory's cache, or set from above)."""
    engine.__dict__.setdefault("_faces", {})[name] = value


def attached(engine, name: str):
    """What was attached to the engine under NAME, or None."""
    return engine.__dict__.get("_faces", {}).get(name)


def known(name: str) -> str | None:
    """The package that provides accessor NAME when it is not registered yet."""
    return {"telemetry": "pktlab.telemetry", "latency": "pktlab.telemetry"}.get(name) if name not in _FACTORIES else None


def resolve(engine, name: str):
    factory = _FACTORIES.get(name)
    if factory is None:
        owner = known(name)
        hint = f" (it comes with {owner}: import it, or use pktlab.Engine)" if owner else ""
        raise AttributeError(f"'Engine' object has no attribute '{name}'{hint}")
    return factory(engine)


__all__ = ["attach", "attached", "register_accessor", "resolve"]
