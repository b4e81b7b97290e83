"""notebooks/02-fast-io.ipynb runs top to bottom in a real kernel (nbclient), on DPDK's
net_null virtual devices."""

from __future__ import annotations

import re
from pathlib import Path


from iohelpers import needs_dpdk

pytestmark = needs_dpdk

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "02-fast-io.ipynb"
RATE = re.compile(r"(BURST|NDESC) (\d+): +([\d.]+) Mpps, mean batch +([\d.]+) packets")
COPY = re.compile(r"(\d+) B: zero copy +([\d.]+) Mpps \((\d+) copies\), copy +([\d.]+) Mpps \((\d+) copies\)")


def test_fast_io_notebook_runs(run_notebook):
    text, outputs = run_notebook(NOTEBOOK, timeout=180)

    # The BURST sweep: every live write took effect (full batches of exactly BURST),
    # then NDESC changed with the batches as they were.
    rates = [(what, int(v), float(mpps), float(batch)) for what, v, mpps, batch in RATE.findall(text)]
    assert [(w, v) for w, v, _, _ in rates] == [("BURST", 32), ("BURST", 1), ("BURST", 4), ("BURST", 8),
                                                ("BURST", 32), ("BURST", 128), ("NDESC", 1024)]
    bursts = [32, 1, 4, 8, 32, 128, 128]
    assert all(abs(batch - b) <= 0.01 * b for (_, _, _, batch), b in zip(rates, bursts))
    assert all(mpps > 0 for _, _, mpps, _ in rates)
    assert "NDESC 256 -> 1024" in text and "lost 0 (RX ring 0, TX ring 0, missed 0)" in text

    # Copy against zero copy, for 64- and 1500-byte frames: zero copy copies nothing,
    # COPY copies every packet.
    copies = COPY.findall(text)
    assert [int(size) for size, *_ in copies] == [64, 1500]
    for _, zc, zc_copies, cp, cp_copies in copies:
        assert float(zc) > 0 and float(cp) > 0
        assert int(zc_copies) == 0 and int(cp_copies) > 0

    m = re.search(r"io loop +([\d.]+) Mpps, pktlab +([\d.]+) Mpps", text)
    assert m and float(m.group(1)) > 0 and float(m.group(2)) > 0
    assert re.search(r"mbufs in use: 0 of \d+, stride \d+ bytes, packed True", text)
    widgets = [o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert len(widgets) >= 2              # the %%click cell's controls and dashboard
