"""`pktlab run --report` opens in Chromium, offline, and draws its figures."""

from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT

# Bokeh 3 draws into canvases inside shadow roots.
CANVASES = """() => { const out = [];
    const walk = (root) => { for (const el of root.querySelectorAll('*')) {
        if (el.tagName === 'CANVAS') out.push(el);
        if (el.shadowRoot) walk(el.shadowRoot); } };
    walk(document); return out; }"""
FIGURES = ["pktlab-fig-throughput", "pktlab-fig-batch", "pktlab-fig-hist", "pktlab-fig-cycles"]


def test_report_opens_and_shows_the_figures(page, tmp_path):
    out = tmp_path / "run.html"
    subprocess.run([sys.executable, "-m", "pktlab", "run", str(ROOT / "examples/forward.click"),
                    "--duration", "1", "--cycles", "--quiet", "--report", str(out)],
                   check=True, capture_output=True, timeout=120)
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(out.as_uri())
    page.wait_for_function(f"() => window.Bokeh && window.Bokeh.documents.length > 0 && "
                           f"({CANVASES})().length >= 4")
    info = page.evaluate("""(names) => {
        const doc = window.Bokeh.documents[0];
        const src = doc.get_model_by_name('pktlab-throughput');
        const figs = names.map(n => !!doc.get_model_by_name(n));
        const d = src.data;
        const t = d instanceof Map ? d.get('t') : d.t;
        return {points: t.length, figs: figs,
                summary: (doc.get_model_by_name('pktlab-summary') || {}).text || ''};
    }""", FIGURES)
    assert info["figs"] == [True] * 4
    assert info["points"] >= 5                      # about 10 per second of the run
    assert "Counter" in info["summary"] and "Discard" in info["summary"]
    # Self-contained: nothing but the file itself was loaded.
    assert all(u.startswith("file:") or u.startswith("data:") for u in requests), requests
    # The canvases were drawn on (not blank): some pixels differ from the first one.
    drawn = page.evaluate(f"""() => ({CANVASES})().filter(c => {{
        const g = c.getContext('2d'); if (!g || !c.width || !c.height) return false;
        const px = g.getImageData(0, 0, c.width, c.height).data;
        for (let i = 4; i < px.length; i += 4 * 97)
            if (px[i] !== px[0] || px[i + 1] !== px[1] || px[i + 2] !== px[2]) return true;
        return false; }}).length""")
    assert drawn >= 4
