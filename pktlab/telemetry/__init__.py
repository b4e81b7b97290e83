"""Telemetry: what the engine's statistics say over time, for every face above.

    Sampler       sampler.py   a background thread that samples the statistics region
                               at 10 Hz into rings allocated once (eng.telemetry)
    RingReader    rates.py     rates, means and batch-size histograms between two samples
    LatencyTap    latency.py   LatencyHistogram percentiles sampled with it (eng.latency)
    LiveOverlay   overlay.py   the graph widget's live numbers: rates on edges, load and
                               drops on elements, the thread analysis' decisions

Knows no plot and no widget. Importing it attaches `eng.telemetry` (the
engine's shared sampler, started on first use) to every Engine. May import
pktlab.engine, pktlab.graph and pktlab.lang.
"""

from __future__ import annotations

from ..engine.accessors import register_accessor
from .latency import LatencyTap, tap_for
from .overlay import LiveOverlay
from .sampler import HIST_BINS, Sampler, sampler_for

register_accessor("telemetry", sampler_for, owner=__name__)
register_accessor("latency", tap_for, owner=__name__)

__all__ = ["HIST_BINS", "LatencyTap", "LiveOverlay", "Sampler", "sampler_for", "tap_for"]
