"""`pktlab bench netmap` measured in the guest: the rows exist, every packet
is accounted for, and zero copy copies nothing while COPY copies every packet
twice (into an engine buffer, then into the TX slot). Rates are never
asserted (emulated)."""

from __future__ import annotations

from pktlab.bench.netmap import format_netmap, measure

N = 20000


def test_bench_rows_account_for_every_packet():
    r = measure(packets=N, repeat=1)
    assert r["emulated"] and r["where"] == "guest"
    zc, cp = r["zero_copy"], r["copy"]
    assert (zc["received"], zc["sent"], zc["copies"]) == (N, N, 0)
    assert (cp["received"], cp["sent"], cp["copies"]) == (N, N, 2 * N)
    assert all(r[k]["pps"] > 0 for k in ("bridge", "zero_copy", "copy"))
    assert r["ratio_engine_bridge"] > 0 and r["ratio_zero_copy_copy"] > 0
    text = format_netmap(r)
    assert "emulated" in text and "zero copy / COPY" in text
