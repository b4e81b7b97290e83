"""A paper figure as data: what is swept, the modes drawn as lines, the rows
measured, the ratio that carries the paper's claim, and CSV.

    fig = FIGURE                       # a Figure: axes, modes, claim
    sweep = Sweep(fig)                 # filled point by point (on_point callbacks)
    sweep.add(x=32, mode="batched", mpps=41.2)
    sweep.to_csv("fig5.csv"); sweep.claim()   # -> (ratio, sentence)

Plotting lives in pktlab.notebook.figures (a layer above); the command line
prints the same rows (`pktlab bench fig5 --csv`).
"""

from __future__ import annotations

import csv
import io
import statistics
from dataclasses import dataclass, field
from typing import Callable


@dataclass
class Figure:
    """How one of the paper's figures is drawn: x is the swept parameter,
    y a throughput, one line per mode."""

    name: str                   # "fig5": the benchmark's name too
    title: str
    x_key: str                  # the CSV column of the swept parameter
    x_label: str                # with its unit
    modes: tuple[str, ...]
    y_key: str = "mpps"
    y_label: str = "throughput (Mpps)"
    x_log: bool = False
    categorical: bool = False   # x values are names (bars), not numbers
    caption: str = ""           # the paper's caption
    claim_text: str = ""        # what the ratio says, with {ratio}
    # name -> [(x, y), ...]: other systems' values drawn beside ours, each
    # with where it comes from in the name
    references: dict[str, list[tuple]] = field(default_factory=dict)
    claim: Callable[["Sweep"], float] | None = None


class Sweep:
    """The rows of one run of a figure, in measurement order."""

    def __init__(self, figure: Figure, settings: dict | None = None):
        self.figure = figure
        self.rows: list[dict] = []
        self.settings = dict(settings or {})

    def add(self, x, mode: str, **values) -> dict:
        row = {self.figure.x_key: x, "mode": mode} | values
        self.rows.append(row)
        return row

    def series(self, mode: str, key: str | None = None) -> tuple[list, list]:
        """(xs, ys) of one mode; a point measured several times is the median."""
        key = key or self.figure.y_key
        by_x: dict = {}
        for r in self.rows:
            if r["mode"] == mode and r.get(key) is not None:
                by_x.setdefault(r[self.figure.x_key], []).append(r[key])
        xs = list(by_x)
        return xs, [statistics.median(by_x[x]) for x in xs]

    def value(self, x, mode: str, key: str | None = None) -> float:
        xs, ys = self.series(mode, key)
        if x not in xs:
            raise KeyError(f"{self.figure.name}: no point {self.figure.x_key}={x} for {mode}")
        return ys[xs.index(x)]

    def claim(self) -> tuple[float, str]:
        """The ratio that carries the paper's claim, and the sentence saying it."""
        if self.figure.claim is None:
            raise ValueError(f"{self.figure.name} states no ratio")
        r = self.figure.claim(self)
        return r, self.figure.claim_text.format(ratio=r)

    def to_csv(self, path: str | None = None) -> str:
        """The rows as CSV (one line per measurement); written to `path` if given."""
        text = rows_csv(self.rows)
        if path is not None:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        return text

    def as_dict(self) -> dict:
        out = {"benchmark": self.figure.name, "title": self.figure.title,
               "settings": self.settings, "x": self.figure.x_key, "y": self.figure.y_key, "modes": list(self.figure.modes),
               "rows": self.rows}
        if self.figure.claim is not None and self.rows:
            out["ratio"], out["claim"] = self.claim()
        return out


def rows_csv(rows: list[dict]) -> str:
    """Rows (dicts) as CSV, the columns in the order they first appear."""
    cols: list[str] = []
    for r in rows:
        cols += [k for k in r if k not in cols]
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=cols, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: (f"{v:.6g}" if isinstance(v, float) else v) for k, v in r.items()})
    return buf.getvalue()


def format_figure(d: dict) -> str:
    """`pktlab bench figN` without --csv/--json: a table, mode by mode, and the claim."""
    x, modes = d["x"], d["modes"]
    xs: list = []
    for r in d["rows"]:
        if r[x] not in xs:
            xs.append(r[x])
    cell = {(r[x], r["mode"]): r for r in d["rows"]}
    key = d.get("y", "mpps")
    w = max(12, *(len(m) + 2 for m in modes))
    wx = max(10, *(len(str(v)) for v in xs)) if xs else 10
    lines = [f"{d['benchmark']}: {d['title']}", "", f"  {x:>{wx}}" + "".join(f"{m:>{w}}" for m in modes)]
    for v in xs:
        vals = [cell.get((v, m), {}).get(key) for m in modes]
        lines.append(f"  {str(v):>{wx}}" + "".join(f"{val:>{w}.3f}" if val is not None else f"{'-':>{w}}"
                                                 for val in vals))
    lines.append(f"  ({key})")
    if "claim" in d:
        lines += ["", f"  {d['claim']}"]
    return "\n".join(lines)


__all__ = ["Figure", "Sweep", "format_figure", "rows_csv"]
