"""The dashboards read well: change labels never overlap (stacked rows, the
rest on hover), the time axis follows the live edge, every axis names its
unit, and a dashboard exports to HTML and PNG."""

from __future__ import annotations

import time

import pytest

pytest.importorskip("bokeh", reason="the lab extra: pip install -e '.[lab]'")

from pktlab.notebook.plots import Dashboard, Figures  # noqa: E402


def _spans(F: Figures, data: dict, window: float):
    """(row, start, end) in seconds of every label drawn, at the window's scale."""
    s_per_px = window / max(F.width - 170, 100)
    return [((y - 4) // F.ROW_PX, t, t + (len(txt) * F.CHAR_PX + F.GAP_PX) * s_per_px)
            for t, txt, y in zip(data["t"], data["text"], data["y"]) if txt]


def test_change_labels_never_overlap():
    F = Figures(["c"], "c", ["c"], window=30.0)
    # A BURST sweep written back to back: 40 changes 0.2 s apart, long labels.
    markers = [(0.2 * k, f"src.burst={2 ** (k % 9)} td.burst={2 ** (k % 9)}") for k in range(40)]
    first = F.marker_data(markers[:25])
    more = F.marker_data(markers[25:], restart=False)     # streamed later, as the dashboard does
    data = {k: first[k] + more[k] for k in first}
    assert data["label"] == [m[1] for m in markers]        # every change is there (hover)
    spans = _spans(F, data, 30.0)
    assert len(spans) >= 5
    for i, (r, a0, a1) in enumerate(spans):
        for r2, b0, b1 in spans[i + 1:]:
            assert r != r2 or a1 <= b0 or b1 <= a0, (r, a0, a1, b0, b1)
    assert "" in data["text"]                  # more than the rows hold: hover only
    assert max(data["y"]) <= F.height - 70 + 4


def test_far_apart_changes_share_the_bottom_row():
    F = Figures(["c"], "c", ["c"], window=30.0)
    data = F.marker_data([(0.0, "BURST 1"), (10.0, "BURST 4"), (20.0, "BURST 32")])
    assert data["y"] == [4, 4, 4] and data["text"] == data["label"]


def test_time_window_follows_the_live_edge_and_axes_have_units():
    F = Figures(["c", "d"], "c", ["c", "d"], window=20.0)
    assert F.fig_tp.x_range is F.fig_b.x_range
    assert F.fig_tp.x_range.follow == "end" and F.fig_tp.x_range.follow_interval == 20.0
    for fig in (F.fig_tp, F.fig_b, F.fig_h, F.fig_c):
        for axis in fig.xaxis + fig.yaxis:
            assert axis.axis_label, f"{fig.name}: an axis without a label"
    assert "(Mpps)" in F.fig_tp.yaxis[0].axis_label
    assert "(packets)" in F.fig_b.yaxis[0].axis_label
    whole = Figures(["c"], "c", ["c"], window=None)
    assert whole.fig_tp.x_range.follow is None


def test_dashboard_exports_html_and_png(tmp_path):
    from pktlab import Engine

    eng = Engine("src :: InfiniteSource(LENGTH 64, BURST 32) -> c :: Counter -> Discard;")
    dash = Dashboard(eng, window=10.0)
    eng.start()
    try:
        time.sleep(0.6)
        eng.telemetry.mark("BURST 32")
        time.sleep(0.6)
    finally:
        eng.stop()
        eng.telemetry.stop()        # its sampler thread would sample on into later tests
    dash.detach()
    page = dash.export(tmp_path / "dash.html")
    text = open(page).read()
    assert "pktlab-fig-throughput" in text and "BURST 32" in text and "cdn.bokeh.org" not in text
    png = dash.export(str(tmp_path / "dash.png"))
    data = open(png, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    with pytest.raises(ValueError, match="html or .png"):
        dash.export(str(tmp_path / "dash.pdf"))
