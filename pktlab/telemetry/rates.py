"""Reading the sampler's ring: rates, means and histograms between two slots.

`RingReader` is the reading half of `pktlab.telemetry.Sampler` (its
`snapshot`, `series` and `series_many`): differences between slots of the
rings the sampler thread fills, computed by the caller, never on the sampler
thread. It reads, and never allocates into, the sampler's rings: `_t`,
`_ports` (per output port packets, bytes, batches, cycles), `_counters`,
`_hist` (the shorter histogram ring), `_threads`, the count of samples `_n`,
`history`, `hist_window`, `hz`, `markers` and `layout` (element -> indices).
"""

from __future__ import annotations

import numpy as np

from ..engine.stats import BATCHES, BYTES, CORE_COUNTERS, CYCLES, PACKETS


class RingReader:
    """Rates over a window (`snapshot`) or per sample interval (`series`)."""

    def _span(self, window: float | None, depth: int) -> tuple[int, int]:
        """(latest slot number, number of sample intervals back) for `window` s."""
        n = self._n
        if n < 2:
            return n - 1, 0
        k = n - 1 if window is None else max(int(round(window * self.hz)), 1)
        return n - 1, max(min(k, n - 1, depth - 3), 0)

    def snapshot(self, window: float | None = 1.0) -> dict:
        """Rates over the last `window` seconds (None: all history), totals,
        histograms and markers, as plain dicts and numpy arrays."""
        if self._n == 0:
            self.sample()               # totals right away, even before the thread ran
        last, k = self._span(window, self.history)
        L = self.layout
        out = {"t": 0.0, "interval": 0.0, "samples": self._n, "hz": self.hz,
               "elements": {}, "ports": {}, "edges": [], "markers": list(self.markers),
               "threads": {"pps": np.zeros(0), "packets": np.zeros(0, np.uint64)},
               "core": {c: {"count": 0, "per_s": 0.0} for c in CORE_COUNTERS}, "queues": {}}
        if last < 0:
            return out
        N = self.history
        a, b = (last - k) % N, last % N
        t1, t0 = self._t[b], self._t[a]
        dt = float(t1 - t0) if k else 0.0
        P1 = self._ports[b].astype(np.int64)
        dP = np.maximum(P1 - self._ports[a].astype(np.int64), 0) if k else np.zeros_like(P1)
        C1 = self._counters[b].astype(np.int64)
        dC = np.maximum(C1 - self._counters[a].astype(np.int64), 0) if k else np.zeros_like(C1)
        hk = min(k, self.hist_window)
        H = self._hist.shape[0]
        dH = (np.maximum(self._hist[last % H].astype(np.int64)
                         - self._hist[(last - hk) % H].astype(np.int64), 0)
              if hk else np.zeros(self._hist.shape[1:], np.int64))
        inv = 1.0 / dt if dt > 0 else 0.0
        out.update(t=float(t1), interval=dt)
        # The core's slow-path events (packets grown, mbufs linearized): the
        # first counters of the region.
        out["core"] = {c: {"count": int(C1[j]), "per_s": float(dC[j]) * inv}
                       for j, c in enumerate(CORE_COUNTERS)}
        for name in L.names:
            o, i = L.out[name], L.inp[name]
            po = dP[o].sum(axis=0) if len(o) else np.zeros(4, np.int64)
            pi = dP[i].sum(axis=0) if len(i) else np.zeros(4, np.int64)
            main = po if len(o) else pi
            hist = dH[i].sum(axis=0) if len(i) else np.zeros(dH.shape[-1], np.int64)
            hist_pk = (hist * np.arange(hist.shape[0])).sum()
            cpp = None
            if len(i) and pi[CYCLES] and pi[PACKETS]:
                cpp = float(pi[CYCLES] - po[CYCLES]) / float(pi[PACKETS])
            cbase, cnames, dnames = L.counters[name]
            cvals = C1[cbase:cbase + len(cnames)]
            dvals = dC[cbase:cbase + len(cnames)]
            out["elements"][name] = {
                "class": L.cls[name],
                "thread": L.thread[name],
                "pps": main[PACKETS] * inv,
                "bps": main[BYTES] * 8 * inv,
                "in_pps": pi[PACKETS] * inv,
                "out_pps": po[PACKETS] * inv,
                "in_packets": int(P1[i, PACKETS].sum()) if len(i) else 0,
                "out_packets": int(P1[o, PACKETS].sum()) if len(o) else 0,
                "mean_batch": (float(pi[PACKETS]) / pi[BATCHES]) if pi[BATCHES] else
                              (float(hist_pk) / hist.sum() if hist.sum() else float("nan")),
                "hist": hist,
                "cycles_per_packet": cpp,
                "counters": {c: int(v) for c, v in zip(cnames, cvals)},
                "drops": {c: int(v) for c, v in zip(dnames, cvals)},
                "drop_pps": {c: float(v) * inv for c, v in zip(dnames, dvals)},
            }
            out["ports"][name] = {"pps": dP[o, PACKETS] * inv, "bps": dP[o, BYTES] * 8 * inv,
                                  "packets": P1[o, PACKETS].copy()}
        for src, sport, dst, dport, p in L.edges:
            d = dP[p]
            out["edges"].append({
                "src": src, "sport": sport, "dst": dst, "dport": dport,
                "pps": d[PACKETS] * inv, "bps": d[BYTES] * 8 * inv,
                "mean_batch": float(d[PACKETS]) / d[BATCHES] if d[BATCHES] else float("nan"),
                "packets": int(P1[p, PACKETS]),
            })
        T1 = self._threads[b].astype(np.int64)
        dT = np.maximum(T1 - self._threads[a].astype(np.int64), 0) if k else np.zeros_like(T1)
        out["threads"] = {"pps": dT * inv, "packets": T1}
        queues = getattr(self, "queues", None)
        out["queues"] = queues.latest(b, L.names) if queues is not None else {}
        for key, fn in getattr(self, "extra", {}).items():
            out[key] = fn()             # e.g. "latency": LatencyTap.latest (latency.py)
        return out

    def series(self, what: str = "pps", names=None, last: int | None = None
               ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Per-interval values over the ring: (times, {element: values}).

        what: "pps", "bps", "mean_batch" or "cycles_per_packet" (NaN where
        undefined). times are the end of each interval, seconds since start.
        """
        t, vals = self.series_many((what,), names, last)
        return t, vals[what]

    def queue_series(self, names=None, last: int | None = None
                     ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Each queue's fill share (length / capacity) per sample: (times, {queue: values})."""
        n = self._n
        m = min(n, self.history, last or n)
        queues = self.queues
        names = list(queues.names(self.layout) if names is None else names)
        idx = np.arange(n - m, n) % self.history
        return self._t[idx], queues.fill(idx, names)

    def series_many(self, whats, names=None, last: int | None = None
                    ) -> tuple[np.ndarray, dict[str, dict[str, np.ndarray]]]:
        """Several series over the same samples: (times, {what: {element: values}})."""
        n = self._n
        m = min(n, self.history - 2, (last + 1) if last else n)
        L = self.layout
        names = list(L.names if names is None else names)
        for what in whats:
            if what not in ("pps", "bps", "mean_batch", "cycles_per_packet"):
                raise ValueError(f"unknown series '{what}' (pps, bps, mean_batch, "
                                 "cycles_per_packet)")
        if m < 2:
            return np.zeros(0), {w: {nm: np.zeros(0) for nm in names} for w in whats}
        idx = np.arange(n - m, n) % self.history
        t = self._t[idx]
        P = self._ports[idx].astype(np.int64)
        dt = np.diff(t)
        dt[dt <= 0] = np.nan
        dP = np.maximum(np.diff(P, axis=0), 0).astype(np.float64)
        out: dict[str, dict[str, np.ndarray]] = {w: {} for w in whats}
        for nm in names:
            o, i = L.out[nm], L.inp[nm]
            po = dP[:, o].sum(axis=1) if len(o) else np.zeros((m - 1, 4))
            pi = dP[:, i].sum(axis=1) if len(i) else np.zeros((m - 1, 4))
            main = po if len(o) else pi
            with np.errstate(invalid="ignore", divide="ignore"):
                for what in whats:
                    if what == "pps":
                        v = main[:, PACKETS] / dt
                    elif what == "bps":
                        v = main[:, BYTES] * 8 / dt
                    elif what == "mean_batch":
                        v = np.where(pi[:, BATCHES] > 0, pi[:, PACKETS] / pi[:, BATCHES], np.nan)
                    else:
                        ok = (pi[:, PACKETS] > 0) & (pi[:, CYCLES] > 0)
                        v = np.where(ok, (pi[:, CYCLES] - po[:, CYCLES]) / pi[:, PACKETS],
                                     np.nan)
                    out[what][nm] = v
        return t[1:], out
