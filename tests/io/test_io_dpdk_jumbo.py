"""DPDK jumbo frames as FastClick offers them: the MTU keyword, mbufs with a
larger data room (zero copy) or chains of default mbufs (scattered RX made
contiguous, multi-segment TX), on net_ring and net_memif; frames longer
than the MTU a counted drop. One process per scenario (the EAL is once per
process)."""

import pytest

from iohelpers import frames, needs_dpdk, run_scenario

pytestmark = needs_dpdk

SIZES = [60, 1514, 2048, 2100, 4000, 9000, 9014]

FORWARD = """
import os
sizes = {sizes!r}
pkts = [f[:14] + bytes((i + k) & 255 for k in range(s - 14))
        for i, (f, s) in enumerate(zip([bytes.fromhex(h) for h in {heads!r}], sizes))]
sock = f"/tmp/pktlab-jumbo-{{os.getpid()}}.sock"
{init}
eng = pktlab.Engine('''src :: FromMemory -> ToDPDKDevice(net_ring0, MTU 9000);
    FromDPDKDevice(net_ring0, MTU 9000) -> fwd :: Counter
        -> td :: ToDPDKDevice(net_memif0, MTU 9000, BLOCKING true);
    fd :: FromDPDKDevice(net_memif1, MTU 9000) -> c :: Counter -> out :: ToMemory(1000);''',
    dpdk=(f"--vdev net_ring0 --vdev net_memif0,role=server,socket={{sock}} "
          f"--vdev net_memif1,role=client,socket={{sock}}"))
eng.start()
time.sleep(1.5)                       # memif's client connects
eng.feed("src", pkts)
deadline = time.monotonic() + 20
while eng["c"].count < len(pkts) and time.monotonic() < deadline:
    time.sleep(0.01)
eng.stop()
got = eng.drain("out")
out(same=got == pkts, n=len(got), want=len(pkts), copies=eng["td"].counters()["copies"],
    too_long=eng["td"].counters()["too_long"], core=eng.core_counters(),
    pool=pktlab.dpdk.mempool(), in_use=eng.pools()["in_use"])
"""


def _forward(init: str) -> dict:
    sizes = SIZES * 20
    heads = [f[:14].hex() for f in frames(len(sizes), size=60, tag=4)]
    return run_scenario(FORWARD.format(sizes=sizes, heads=heads, init=init), timeout=90)


def test_jumbo_frames_in_one_mbuf_are_zero_copy():
    # Engine's own EAL initialisation sees MTU 9000 and gives mbufs room for it.
    r = _forward("")
    assert r["same"] and r["n"] == r["want"] == 140
    assert r["pool"]["data_room"] >= 9014 + 128
    assert r["copies"] == 0 and r["core"]["linearized"] == 0    # ring -> memif as received
    assert r["pool"]["in_use"] == 0 and r["in_use"] == 0


def test_jumbo_frames_as_chains_of_default_mbufs():
    r = _forward("pktlab.dpdk.init(f'--vdev net_ring0 --vdev net_memif0,role=server,socket={sock}"
                 " --vdev net_memif1,role=client,socket={sock}')")
    assert r["same"] and r["n"] == 140
    assert r["pool"]["data_room"] == 2176
    # Frames over 2,048 bytes arrive as chains, become one packet each on
    # the way in (ring and memif), and leave as chains again.
    long_ones = 4 * 20
    assert r["core"]["linearized"] == 2 * long_ones
    assert r["copies"] == long_ones
    assert r["pool"]["in_use"] == 0 and r["in_use"] == 0


@pytest.mark.parametrize("room", [0, 9472])
def test_too_long_for_the_mtu_is_counted(room):
    r = run_scenario(f"""
        pktlab.dpdk.init("--vdev net_ring0", mbuf_size={room})
        f = bytes.fromhex("020000000002020000000001") + b"\\x88\\xb5"
        pkts = [f + bytes(n - 14) for n in (9014, 9015, 12000, 60)] + [f + b"\\x81\\x00" + bytes(9002)]
        tagged = bytes.fromhex("020000000002020000000001") + b"\\x81\\x00\\x00\\x07\\x88\\xb5" + bytes(9000)
        pkts.append(tagged)                       # 9,018 bytes with its VLAN tag: fits
        eng = pktlab.Engine('''src :: FromMemory -> td :: ToDPDKDevice(net_ring0, MTU 9000);
                               fd :: FromDPDKDevice(net_ring0) -> out :: ToMemory(100);''')
        eng.feed("src", pkts)
        eng.start()
        deadline = time.monotonic() + 10
        while eng["out"].count < 4 and time.monotonic() < deadline:
            time.sleep(0.01)
        eng.stop()
        out(lens=sorted(len(p) for p in eng.drain("out")), td=eng["td"].counters(),
            in_use=pktlab.dpdk.mempool()["in_use"])
    """)
    assert r["lens"] == [60, 9014, 9018]
    assert r["td"]["too_long"] == 3 and r["td"]["sent"] == 3
    assert r["in_use"] == 0


def test_mtu_out_of_the_device_range_names_the_keyword():
    r = run_scenario("""
        pktlab.dpdk.init("--vdev net_null0")
        try:
            pktlab.Engine("FromDPDKDevice(net_null0, MTU 10) -> Discard;")
        except EngineError as e:
            out(keyword=e.keyword, msg=str(e))
    """)
    assert r["keyword"] == "MTU" and "takes" in r["msg"]
