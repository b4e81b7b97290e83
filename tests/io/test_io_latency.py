"""Receive timestamps on DPDK: FromDPDKDevice stamps packets when rte_eth_rx_burst
returns them (Engine(timestamps=True)), so a LatencyHistogram downstream measures
every one, the wait of a partial burst included."""

from iohelpers import frames, needs_dpdk, run_scenario

pytestmark = needs_dpdk


def test_from_dpdk_device_stamps_at_receive():
    pkts = [f.hex() for f in frames(340, size=64)]
    r = run_scenario(f"""
        pkts = [bytes.fromhex(h) for h in {pkts!r}]
        eng = pktlab.Engine('''src :: FromMemory -> td :: ToDPDKDevice(net_ring0);
                               fd :: FromDPDKDevice(net_ring0, BURST 32) -> lat :: LatencyHistogram
                                 -> out :: Counter -> Discard;''', timestamps=True)
        eng.feed("src", pkts)
        eng.start()
        deadline = time.monotonic() + 20
        while eng["out"].count < len(pkts) and time.monotonic() < deadline:
            time.sleep(0.01)
        eng.stop()
        out(n=eng["out"].count, measured=int(eng["lat"].count),
            unstamped=eng["lat"].counters()["unstamped"], p50=float(eng["lat"].p50),
            in_use=pktlab.dpdk.mempool()["in_use"])
    """)
    assert r["n"] == 340 and r["measured"] == 340 and r["unstamped"] == 0
    assert r["p50"] >= 0 and r["in_use"] == 0
