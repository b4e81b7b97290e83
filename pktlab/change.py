"""Change: one live change applied by Engine.apply, as recorded in its history."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Change:
    """One applied live change: when (engine uptime, s), what, and how long
    each phase took (µs): building off to the side, publishing, the grace
    period until every worker passed a quiescent point."""

    time: float
    label: str
    diff: object
    kept: int
    retuned: int
    replaced: int
    added: int
    removed: int
    edges_changed: int
    build_us: float
    publish_us: float
    grace_us: float
    total_us: float
