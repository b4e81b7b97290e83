"""The paper's Fig. 3: how likely each flow size is in the router traffic.

The flows are counted in the frames pktlab.traffic.flowgen generates (runs
of back-to-back frames to the same destination host and ports), not taken
from the generator's own table, and drawn against the model it draws from.
"""

from __future__ import annotations

from ...traffic import flowgen
from .base import Figure, Sweep


def flow_runs(frames: list[bytes]) -> list[int]:
    """Lengths of runs of frames with the same destination address and ports
    (the last run dropped: the generator cuts it at the packet count)."""
    runs: list[int] = []
    key = None
    for f in frames:
        k = f[30:38]                # IPv4 destination, UDP ports (no options)
        if k == key:
            runs[-1] += 1
        else:
            runs.append(1)
            key = k
    return runs[:-1]


def _small_over_large(s: Sweep) -> float:
    xs, ys = s.series("generated traffic")
    small = sum(y for x, y in zip(xs, ys) if x <= 8)
    large = sum(y for x, y in zip(xs, ys) if x > 64)
    return small / large if large else float("inf")


FIG3 = Figure(
    name="fig3", title="Flow sizes of the router traffic (pktlab.traffic.flowgen)",
    x_key="size", x_label="flow size (packets)", y_key="share", y_label="probability",
    x_log=True, modes=("generated traffic", f"model P(k) ~ k^-{flowgen.ALPHA}"),
    caption="Figure 3: Probability of having flow of 1 to 128 packets for the router packet "
            "generator.",
    claim_text="Flows of 1-8 packets are {ratio:.0f}x as likely as flows of 65-128: small flows "
               "much more likely than large ones.",
    claim=_small_over_large)


def fig3(packets: int = 100_000, seed: int = 1, on_point=None) -> Sweep:
    frames = flowgen.flows(packets, flowgen.ROUTER_INTERFACES[0], flowgen.ROUTER_INTERFACES[1:],
                           seed=seed, sizes=60)
    runs = flow_runs(frames)
    sweep = Sweep(FIG3, {"packets": packets, "seed": seed, "flows": len(runs),
                         "alpha": flowgen.ALPHA, "max_flow": flowgen.MAX_FLOW})
    counts = [0] * (flowgen.MAX_FLOW + 1)
    for r in runs:
        counts[min(r, flowgen.MAX_FLOW)] += 1
    for k, p in enumerate(flowgen.flow_size_pmf(), start=1):
        for mode, v in ((FIG3.modes[0], counts[k] / len(runs)), (FIG3.modes[1], p)):
            row = sweep.add(k, mode, share=v)
            if on_point is not None:
                on_point(row)
    return sweep


def bench_fig3(duration: float = 0.0, repeat: int = 1) -> dict:
    """(duration and repeat do not apply: the traffic is generated, not run)"""
    return fig3().as_dict()
