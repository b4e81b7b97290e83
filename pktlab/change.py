"""Change: one live change, as recorded in an Engine's history.

Two kinds: "apply" (Engine.apply: a new graph, the least change that gets
there) and "write" (a live parameter written through its handler:
`eng["src"].burst = 4`, a Controls slider). Writes that can lose packets
(NDESC rebuilds a device's rings) say how many in `lost`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Change:
    """One live change: when (engine uptime, s), what, and how long each
    phase took (µs): building off to the side, publishing, the grace period
    until every worker passed a quiescent point. A "write" has only its
    total time, and `lost`: packets its element reported lost (None where
    the element cannot lose any, or cannot tell)."""

    time: float
    label: str
    diff: object = None
    kept: int = 0
    retuned: int = 0
    replaced: int = 0
    added: int = 0
    removed: int = 0
    edges_changed: int = 0
    build_us: float = 0.0
    publish_us: float = 0.0
    grace_us: float = 0.0
    total_us: float = 0.0
    kind: str = "apply"
    element: str | None = None
    lost: int | None = None
