"""`pktlab run --report`: a self-contained HTML file with the dashboard's figures."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("bokeh", reason="the lab extra: pip install -e '.[lab]'")

from pktlab.cli import main  # noqa: E402


def test_report_is_self_contained(tmp_path, capsys):
    cfg = tmp_path / "t.click"
    cfg.write_text("src :: InfiniteSource(LENGTH 64, LIMIT 200000, BURST 16, STOP true)\n"
                   "  -> c :: Counter -> d :: Discard;\n")
    out = tmp_path / "run.html"
    assert main(["run", str(cfg), "--quiet", "--cycles", "--report", str(out)]) == 0
    assert f"report: {out}" in capsys.readouterr().err
    page = out.read_text()
    # BokehJS inline, nothing fetched from a CDN or elsewhere.
    assert "cdn.bokeh.org" not in page
    assert not re.search(r"<script[^>]+src=", page)
    assert "Bokeh" in page and len(page) > 500_000
    for name in ("pktlab-throughput", "pktlab-hist", "pktlab-cycles", "pktlab-markers",
                 "pktlab-fig-throughput", "pktlab-summary", "pktlab-config"):
        assert name in page
    assert "LIMIT 200000" in page                 # the configuration is in the page


def test_render_fills_figures_from_the_sampler():
    from pktlab import Engine
    from pktlab.cli.report import render
    from pktlab.telemetry import Sampler

    eng = Engine("src :: InfiniteSource(LENGTH 64, LIMIT 640, BURST 64, STOP true)"
                 " -> c :: Counter -> Discard;")
    s = Sampler(eng)
    s.sample()
    eng.run_inline(max_runs=5)
    s.sample()
    s.mark("halfway")
    eng.run_inline()
    s.sample()
    page = render(s, title="unit")
    assert "halfway" in page and "<title>unit</title>" in page
