"""FromDPDKDevice / ToDPDKDevice over DPDK virtual devices, one process per scenario."""

import json
import subprocess
import sys

import pytest

from iohelpers import ROOT, frames, needs_dpdk, read_pcap, run_scenario, write_pcap

pytestmark = needs_dpdk


def test_net_ring_loopback_is_byte_identical():
    """FromMemory -> ToDPDKDevice(net_ring0) ... FromDPDKDevice(net_ring0) -> ToMemory."""
    pkts = [f.hex() for f in frames(300, size=64)] + [f.hex() for f in frames(40, size=1500, tag=1)]
    r = run_scenario(f"""
        pkts = [bytes.fromhex(h) for h in {pkts!r}]
        eng = pktlab.Engine('''src :: FromMemory -> td :: ToDPDKDevice(net_ring0);
                               fd :: FromDPDKDevice(net_ring0) -> out :: ToMemory(1000);''')
        eng.feed("src", pkts)
        eng.start()
        deadline = time.monotonic() + 20
        while eng["out"].count < len(pkts) and time.monotonic() < deadline:
            time.sleep(0.01)
        eng.stop()
        got = eng.drain("out")
        out(same=got == pkts, n=len(got), sent=eng["td"].count, copies=eng["td"].counters()["copies"],
            received=eng["fd"].count, in_use=pktlab.dpdk.mempool()["in_use"],
            args=pktlab.dpdk.used_args())
    """)
    assert r["n"] == 340 and r["same"]
    assert r["sent"] == r["received"] == 340
    assert r["copies"] == 340          # engine buffers are copied into mbufs at TX
    assert r["in_use"] == 0            # every mbuf is back in the pool after stop
    assert "--vdev" in r["args"] and "net_ring0" in r["args"] and "--no-huge" in r["args"]


def test_net_pcap_forwarding_zero_copy(tmp_path):
    src, dst = tmp_path / "in.pcap", tmp_path / "out.pcap"
    pkts = frames(500, size=60) + frames(20, size=1514, tag=2)
    write_pcap(src, pkts)
    r = run_scenario(f"""
        pktlab.dpdk.init("--vdev net_pcap0,rx_pcap={src},tx_pcap={dst}")
        eng = pktlab.Engine("fd :: FromDPDKDevice(net_pcap0) -> c :: Counter -> td :: ToDPDKDevice(net_pcap0);")
        eng.start()
        deadline = time.monotonic() + 20
        while eng["td"].count < {len(pkts)} and time.monotonic() < deadline:
            time.sleep(0.01)
        eng.stop()
        res = dict(sent=eng["td"].count, copies=eng["td"].counters()["copies"],
                   hw=eng["fd"].hw_count, in_use=pktlab.dpdk.mempool()["in_use"])
        del eng        # stops the port: net_pcap closes its file
        import gc; gc.collect()
        out(**res)
    """)
    assert r["sent"] == r["hw"] == 520
    assert r["copies"] == 0            # zero copy: the received mbufs are sent as they are
    assert r["in_use"] == 0
    assert [data for _, _, _, data in read_pcap(dst)] == pkts


def test_zero_copy_and_copy_modes_null_devices():
    r = run_scenario("""
        res = {}
        for copy in ("false", "true"):
            eng = pktlab.Engine(f'''fd :: FromDPDKDevice(net_null0, COPY {copy})
                                    -> c :: Counter -> td :: ToDPDKDevice(net_null1);''')
            eng.start(); time.sleep(0.3); eng.stop()
            res[copy] = dict(rx=eng["fd"].count, hw_rx=eng["fd"].hw_count, tx=eng["td"].count,
                             hw_tx=eng["td"].hw_count, copies=eng["td"].counters()["copies"],
                             dropped=eng["td"].dropped, pools=eng.pools()["in_use"],
                             in_use=pktlab.dpdk.mempool()["in_use"],
                             priv=pktlab.dpdk.mempool()["priv_size"])
            del eng
        out(**res)
    """)
    zc, cp = r["false"], r["true"]
    assert zc["rx"] > 0 and zc["rx"] == zc["hw_rx"] == zc["tx"] == zc["hw_tx"]
    assert zc["copies"] == 0 and zc["dropped"] == 0
    assert cp["rx"] > 0 and cp["rx"] == cp["tx"] == cp["copies"]
    for m in (zc, cp):
        assert m["in_use"] == 0 and m["pools"] == 0
    assert zc["priv"] >= 128                 # the pl_packet lives in the mbuf's private area


def test_clones_of_mbufs_are_accounted():
    """Tee clones share the mbuf; both copies go out, nothing leaks."""
    r = run_scenario("""
        eng = pktlab.Engine('''fd :: FromDPDKDevice(net_null0, BURST 16) -> t :: Tee;
                               t[0] -> td0 :: ToDPDKDevice(net_null1);
                               t[1] -> Strip(14) -> td1 :: ToDPDKDevice(net_null2);''',
                            dpdk="--vdev net_null0 --vdev net_null1 --vdev net_null2")
        eng.start(); time.sleep(0.3); eng.stop()
        out(rx=eng["fd"].count, tx0=eng["td0"].count, tx1=eng["td1"].count,
            drops=eng["td0"].dropped + eng["td1"].dropped,
            in_use=pktlab.dpdk.mempool()["in_use"], pools=eng.pools()["in_use"])
    """)
    assert r["rx"] > 0 and r["tx0"] == r["tx1"] == r["rx"] and r["drops"] == 0
    assert r["in_use"] == 0 and r["pools"] == 0


def test_multi_queue_one_rx_queue_per_thread():
    r = run_scenario("""
        eng = pktlab.Engine('''fd :: FromDPDKDevice(net_null0) -> c :: Counter
                               -> td :: ToDPDKDevice(net_null1);
                               fp :: FromDPDKDevice(net_null2, MAXTHREADS 1) -> tp :: ToDPDKDevice(net_pcap0);''',
                            threads=2, dpdk="--vdev net_null0 --vdev net_null1 --vdev net_null2 "
                                            "--vdev net_pcap0,tx_pcap=/dev/null")
        eng.start(); time.sleep(0.5); eng.stop()
        st = eng.stats()
        out(fd=eng["fd"].device, td=eng["td"].device, fp=eng["fp"].device, tp=eng["tp"].device,
            rx=eng["fd"].count, tx=eng["td"].count, c=eng["c"].count,
            per_thread=[int(x) for x in st.ports[:, st.output_ports("fd")[0], 0]],
            in_use=pktlab.dpdk.mempool()["in_use"])
    """)
    assert "RX queues 0..1 on 2 threads" in r["fd"]
    assert "TX queues 0..1, threads->queues 0->0 1->1," in r["td"] and "locked" not in r["td"]
    assert "RX queues 0..0 on 1 thread" in r["fp"]
    # net_pcap has one TX queue, but only fp's thread reaches tp: no lock
    assert "TX queues 0..0, threads->queues " in r["tp"] and "locked" not in r["tp"]
    assert r["rx"] == r["tx"] == r["c"] > 0
    assert len(r["per_thread"]) == 2 and all(n > 0 for n in r["per_thread"])  # both workers read
    assert r["in_use"] == 0


def test_tx_queues_follow_the_thread_vectors_through_live_changes():
    """One TX queue (N_QUEUES 1), two threads: no lock while only one thread
    reaches ToDPDKDevice; a live change that connects the other thread's
    input makes them share the queue under a lock; undoing it drops the lock.
    Packets are conserved throughout and none arrive from an unexpected thread."""
    r = run_scenario("""
        cfg = ("a :: FromDPDKDevice(net_null0, MAXTHREADS 1) -> td :: ToDPDKDevice(net_null1, N_QUEUES 1);"
               "b :: FromDPDKDevice(net_null2, MAXTHREADS 1) -> {b_to};"
               "StaticThreadSched(a 0, b 1);")
        eng = pktlab.Engine(cfg.format(b_to="d :: Discard"), threads=2,
                            dpdk="--vdev net_null0 --vdev net_null1 --vdev net_null2")
        eng.start(); time.sleep(0.2)
        seen = [eng["td"].device]
        eng.apply_text(cfg.format(b_to="td"))
        t0 = eng["td"].count; time.sleep(0.2)
        seen.append(eng["td"].device)
        shared = eng.decisions()["elements"]["td"]["tx_queues"]
        both = eng["td"].count - t0
        eng.apply_text(cfg.format(b_to="d2 :: Discard"))
        time.sleep(0.2)
        seen.append(eng["td"].device)
        eng.stop()
        out(seen=seen, both=both, rx=eng["a"].count + eng["b"].count, sent=eng["td"].count,
            drops=eng.stats().total_drops(), unreached=eng["td"].counters()["unreached"],
            threads=eng.threads_of("td"), in_use=pktlab.dpdk.mempool()["in_use"], shared=shared,
            alone=eng.decisions()["elements"]["td"]["tx_queues"])
    """)
    one, two, back = r["seen"]
    assert r["shared"] == {"0": {"queue": 0, "locked": True}, "1": {"queue": 0, "locked": True}}
    assert r["alone"] == {"0": {"queue": 0, "locked": False}}
    assert "threads->queues 0->0," in one and "locked" not in one
    assert "threads->queues 0->0* 1->0* (* locked" in two
    assert "threads->queues 0->0," in back and "locked" not in back
    assert r["threads"] == [0] and r["both"] > 0
    assert r["rx"] == r["sent"] + r["drops"] and r["unreached"] == 0
    assert r["in_use"] == 0


def test_iqueue_keeps_then_drops_and_counts_everything():
    """A full net_ring (nobody reads it): the ring takes what fits, IQUEUE keeps
    100 more, the rest is dropped; at stop the internal queue is freed as drops."""
    r = run_scenario("""
        pktlab.dpdk.init("--vdev net_ring0")
        pkts = [bytes(60)] * 3000
        eng = pktlab.Engine("src :: FromMemory(BURST 64) -> td :: ToDPDKDevice(net_ring0, IQUEUE 100);")
        eng.feed("src", pkts)
        eng.start()
        deadline = time.monotonic() + 20
        while eng["src"].count < 3000 and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.05)
        mid = dict(sent=eng["td"].count, dropped=eng["td"].dropped)
        eng.stop()
        out(mid=mid, sent=eng["td"].count, dropped=eng["td"].dropped,
            in_use=pktlab.dpdk.mempool()["in_use"])
    """)
    assert r["sent"] + r["dropped"] == 3000
    assert r["mid"]["sent"] + r["mid"]["dropped"] == 3000 - 100    # 100 waiting in IQUEUE
    assert r["in_use"] == r["sent"]        # the mbufs in the ring, nothing else


def test_blocking_waits_for_ring_space():
    r = run_scenario("""
        pktlab.dpdk.init("--vdev net_ring0")
        pkts = [bytes([i % 256]) * 60 for i in range(5000)]
        eng = pktlab.Engine('''src :: FromMemory(BURST 256) -> td :: ToDPDKDevice(net_ring0, BLOCKING true, BURST 64);
                               fd :: FromDPDKDevice(net_ring0, BURST 8) -> out :: ToMemory(6000);''',
                            threads=2)
        eng.feed("src", pkts)
        eng.start()
        deadline = time.monotonic() + 30
        while eng["out"].count < 5000 and time.monotonic() < deadline:
            time.sleep(0.01)
        eng.stop()
        got = eng.drain("out")
        out(n=len(got), same=got == pkts, dropped=eng["td"].dropped,
            in_use=pktlab.dpdk.mempool()["in_use"])
    """)
    assert r["n"] == 5000 and r["same"] and r["dropped"] == 0 and r["in_use"] == 0


def test_burst_is_live_and_batches_follow_it():
    r = run_scenario("""
        eng = pktlab.Engine("fd :: FromDPDKDevice(net_null0, BURST 8) -> c :: Counter -> td :: ToDPDKDevice(net_null1);")
        eng.start(); time.sleep(0.2)
        eng["fd"].burst = 64
        b = eng["fd"].burst
        h0 = eng.stats().input_hist("c").copy()
        time.sleep(0.2); eng.stop()
        h1 = eng.stats().input_hist("c")
        out(b=b, had8=int(h0[8]), new64=int(h1[64] - h0[64]), other=int(h1.sum() - h1[8] - h1[64]))
    """)
    assert r["b"] == 64 and r["had8"] > 0 and r["new64"] > 0 and r["other"] == 0


# ---- errors ----

def test_wrong_eal_arguments_then_no_second_try():
    r = run_scenario("""
        msgs = []
        for args in ("--definitely-not-an-eal-option", "--vdev net_null0"):
            try:
                pktlab.dpdk.init(args)
            except EngineError as e:
                msgs.append(str(e))
        out(msgs=msgs)
    """)
    first, second = r["msgs"]
    assert "rejected its arguments" in first and "once per process" in first
    assert "already failed" in second and "restart" in second


def test_init_twice_and_engine_with_other_args():
    r = run_scenario("""
        pktlab.dpdk.init("--vdev net_null0")
        msgs = []
        try:
            pktlab.dpdk.init("--vdev net_null0")
        except EngineError as e:
            msgs.append(str(e))
        try:
            pktlab.Engine("FromDPDKDevice(0) -> Discard;", dpdk="--vdev net_null1")
        except EngineError as e:
            msgs.append(str(e))
        eng = pktlab.Engine("FromDPDKDevice(0) -> Discard;", dpdk="--vdev net_null0")  # same: fine
        out(msgs=msgs)
    """)
    assert all("already initialised" in m and "once" in m for m in r["msgs"]) and len(r["msgs"]) == 2


def test_missing_port_names_the_ports_that_exist():
    r = run_scenario("""
        pktlab.dpdk.init("--vdev net_null0 --vdev net_ring0")
        errs = []
        for port in ("net_null7", "5", "0000:03:00.0"):
            try:
                pktlab.Engine(f"fd :: FromDPDKDevice({port}) -> Discard;")
            except EngineError as e:
                errs.append(dict(msg=str(e), el=e.element, kw=e.keyword))
        out(errs=errs)
    """)
    for e, port in zip(r["errs"], ("net_null7", "5", "0000:03:00.0")):
        assert e["el"] == "fd" and e["kw"] == "PORT"
        assert f"no DPDK port '{port}'" in e["msg"]
        assert "0 (net_null0)" in e["msg"] and "1 (net_ring0)" in e["msg"]


def test_queue_conflicts_and_missing_queues():
    r = run_scenario("""
        pktlab.dpdk.init("--vdev net_null0 --vdev net_pcap0,rx_iface=lo,tx_iface=lo")
        errs = []
        for cfg in ('''a :: FromDPDKDevice(net_null0) -> Discard; b :: FromDPDKDevice(net_null0) -> Discard;''',
                    '''a :: FromDPDKDevice(net_pcap0, N_QUEUES 4) -> Discard;'''):
            try:
                pktlab.Engine(cfg)
            except EngineError as e:
                errs.append(str(e))
        out(errs=errs)
    """)
    assert "already used by a" in r["errs"][0] and "QUEUE" in r["errs"][0]
    assert "queues 0..3 do not exist" in r["errs"][1]


def test_mempool_larger_than_memory_is_refused():
    r = run_scenario("""
        try:
            pktlab.dpdk.init("-m 64 --vdev net_null0", mbufs=200000)
            out(msg="")
        except EngineError as e:
            out(msg=str(e), kw=e.keyword)
    """)
    assert "cannot create a pool of 200000 mbufs" in r["msg"] and "-m" in r["msg"]
    assert r["kw"] == "mbufs"


@pytest.mark.parametrize("pack", [True, False])
def test_mbuf_layout_packed_or_one_page_each(pack):
    """Without hugepages DPDK keeps each mbuf within one 4 KiB page, so every
    mbuf starts at the same page offset (the same L1 sets). pktlab packs them
    (IOVA is the virtual address here); pack=False keeps DPDK's layout. Both
    forward zero copy and give every mbuf back."""
    r = run_scenario(f"""
        pktlab.dpdk.init("--vdev net_null0 --vdev net_null1", pack={pack})
        eng = pktlab.Engine("fd :: FromDPDKDevice(net_null0) -> td :: ToDPDKDevice(net_null1);")
        eng.start(); time.sleep(0.2); eng.stop()
        out(pool=pktlab.dpdk.mempool(), rx=eng["fd"].count, tx=eng["td"].count,
            copies=eng["td"].counters()["copies"])
    """)
    pool = r["pool"]
    assert pool["packed"] is pack and pool["in_use"] == 0
    assert r["rx"] > 0 and r["rx"] == r["tx"] and r["copies"] == 0
    if pack:
        # 41 cache lines apart: consecutive mbufs start in different L1 sets
        assert pool["stride"] < 4096 and pool["stride"] % 64 == 0 and (pool["stride"] // 64) % 2 == 1
    else:
        assert pool["stride"] == 4096


def test_a_restarted_worker_gets_its_lcore_again():
    """Each start makes new worker threads; each must register with DPDK for
    an lcore id (mempool caches). A restarted worker used to take the
    pthread_t of the one that exited, skip registering, and run without
    mempool caches at half speed."""
    r = run_scenario("""
        eng = pktlab.Engine("fd :: FromDPDKDevice(net_null0) -> td :: ToDPDKDevice(net_null1);",
                            dpdk="--vdev net_null0 --vdev net_null1")
        base = pktlab.dpdk.lcores()
        seen = []
        for _ in range(3):
            eng.start()
            c0 = eng["td"].count
            deadline = time.monotonic() + 10
            while eng["td"].count == c0 and time.monotonic() < deadline:
                time.sleep(0.01)
            seen.append(pktlab.dpdk.lcores())
            eng.stop()
        time.sleep(0.1)
        out(base=base, seen=seen, after=pktlab.dpdk.lcores(), in_use=pktlab.dpdk.mempool()["in_use"])
    """)
    assert r["seen"] == [r["base"] + 1] * 3       # the worker, in every run
    assert r["after"] == r["base"] and r["in_use"] == 0


def test_io_loop_reference_forwards_on_our_pool():
    """pktlab bench io's same-process reference: testpmd's io loop between
    ports an engine started (and is not running), on pktlab's mbuf pool."""
    r = run_scenario("""
        pktlab.dpdk.init("--vdev net_null0 --vdev net_null1 --vdev net_null2")
        errs = []
        try:
            pktlab.dpdk.io_loop("net_null0", "net_null1", 32, 0.1)
        except EngineError as e:
            errs.append(str(e))
        eng = pktlab.Engine("fd :: FromDPDKDevice(net_null0) -> td :: ToDPDKDevice(net_null1);")
        n = pktlab.dpdk.io_loop("net_null0", "net_null1", 32, 0.2)
        hw = eng["td"].hw_count
        eng.start()
        try:
            pktlab.dpdk.io_loop("net_null0", "net_null1", 32, 0.1)
        except EngineError as e:
            errs.append(str(e))
        eng.stop()
        for bad in (("net_null9", "net_null1", 32), ("net_null0", "net_null1", 0)):
            try:
                pktlab.dpdk.io_loop(*bad, 0.1)
            except EngineError as e:
                errs.append(str(e))
        in_use = pktlab.dpdk.mempool()["in_use"]
        out(n=n, errs=errs, in_use=in_use, hw=hw)
    """)
    assert r["n"] > 0 and r["hw"] == r["n"]     # the device counted what the loop sent
    assert r["in_use"] == 0
    assert "port 0 is not started" in r["errs"][0]
    assert "port 0 belongs to a running engine: stop it first" in r["errs"][1]
    assert "no DPDK port 'net_null9'" in r["errs"][2] and "net_null0" in r["errs"][2]
    assert "burst must be 1..256" in r["errs"][3]


def test_built_without_dpdk_message(tmp_path):
    """The engine compiled without PL_HAVE_DPDK (as the native tests are): the
    elements still exist and say how to get DPDK."""
    prog = tmp_path / "nodpdk.c"
    prog.write_text(r'''
        #include "pktlab.h"
        #include <stdio.h>
        int main(void) {
            pl_error err = {0};
            pl_engine *e = pl_engine_new(NULL, &err);
            int rc = pl_engine_add(e, "fd", "FromDPDKDevice", "net_null0", 1, 1, &err);
            printf("%d|%s|%s|%d\n", rc, err.element, err.message, pl_dpdk_available());
            pl_engine_free(e);
            return 0;
        }''')
    srcs = [str(p) for d in ("core", "io", "lib") for p in sorted((ROOT / "native" / d).glob("*.c"))]
    # native/lib's rewriter code looks patterns up in IPRewriterPatterns' registry
    srcs += [str(ROOT / "native/elements/io/from_dpdk_device.c"),
             str(ROOT / "native/elements/ip/ip_rewriter_patterns.c")]
    exe = tmp_path / "nodpdk"
    subprocess.run(["gcc", "-std=c11", "-D_GNU_SOURCE", "-O0", "-pthread", "-I", str(ROOT / "native/include"),
                    "-o", str(exe), str(prog), *srcs, "-lm"], check=True, capture_output=True)
    rc, el, msg, avail = subprocess.run([str(exe)], capture_output=True, text=True,
                                        check=True).stdout.strip().split("|")
    assert rc != "0" and el == "fd" and avail == "0"
    assert msg == "pktlab was built without DPDK (install libdpdk-dev and rebuild: make native)"


def test_cli_run_with_dpdk_flag():
    r = subprocess.run([sys.executable, "-m", "pktlab", "run", str(ROOT / "examples/dpdk-forward.click"),
                        "--dpdk", "--vdev net_null0 --vdev net_null1", "--duration", "0.3", "--json"],
                       capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    rep = json.loads(r.stdout)
    outs = {n: sum(e["outputs"]) for n, e in rep["elements"].items()}
    assert max(outs.values()) > 0


@pytest.mark.parametrize("args", ["--vdev net_null0", "--bogus"])
def test_cli_dpdk_errors_are_clear(args):
    r = subprocess.run([sys.executable, "-m", "pktlab", "run", str(ROOT / "examples/dpdk-forward.click"),
                        f"--dpdk={args}", "--duration", "0.2", "--quiet"],
                       capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert r.returncode != 0
    assert ("no DPDK port 'net_null1'" in r.stderr) if args.startswith("--vdev") \
        else ("rejected its arguments" in r.stderr)


def test_ndesc_write_rebuilds_the_rings_under_load():
    r = run_scenario("""
        eng = pktlab.Engine("fd :: FromDPDKDevice(net_null0, NDESC 256) -> td :: ToDPDKDevice(net_null1);")
        eng.start(); time.sleep(0.2)
        before = eng["td"].count
        eng["fd"].ndesc = 1024
        eng["td"].ndesc = 512
        mid = eng["td"].count
        time.sleep(0.2)
        after = eng["td"].count
        errs = []
        for bad in ("-1", "lots"):
            try:
                eng["fd"].ndesc = bad
            except EngineError as e:
                errs.append(str(e))
        writes = [(c.kind, c.label, c.lost) for c in eng.history]
        change = eng["fd"].ndesc_change
        # the same through apply(): a retune that rebuilds the rings (td keeps
        # the NDESC written to it: a handler write is part of its configuration
        # now, as in Click, so the new text says it too)
        ch = eng.apply_text("fd :: FromDPDKDevice(net_null0, NDESC 2048) -> "
                            "td :: ToDPDKDevice(net_null1, NDESC 512);")
        time.sleep(0.1)
        after_apply = eng["td"].count
        eng.stop()
        out(before=before, mid=mid, after=after, rx=eng["fd"].ndesc, tx=eng["td"].ndesc,
            dev=eng["fd"].device, errs=errs, lost=eng["fd"].count - eng["td"].count,
            in_use=pktlab.dpdk.mempool()["in_use"], writes=writes, change=change,
            retuned=ch.retuned, replaced=ch.replaced, after_apply=after_apply,
            ndesc_lost=eng["fd"].ndesc_lost)
    """)
    # each NDESC write is a live change in the history, with the packets it lost:
    # the virtual devices count in software at burst time, so nothing is in their
    # rings when they stop and the figure is an exact 0 (conservation below agrees)
    assert r["writes"] == [["write", "fd.ndesc=1024", 0], ["write", "td.ndesc=512", 0]]
    assert r["change"].startswith("NDESC 256 -> 1024, workers parked ") and "lost 0 (RX ring 0" in r["change"]
    assert r["retuned"] == 1 and r["replaced"] == 0 and r["after_apply"] > r["after"]
    assert r["ndesc_lost"] == 0
    assert r["after"] > r["mid"] >= r["before"] > 0       # traffic goes on after the change
    assert r["rx"] == 2048 and r["tx"] == 512 and "NDESC 2048" in r["dev"]
    assert len(r["errs"]) == 2 and all("NDESC" in e for e in r["errs"])
    assert r["lost"] == 0 and r["in_use"] == 0


def test_bench_io_forward_reports_every_figure():
    """`pktlab bench io`'s forwarding figure: pktlab, testpmd (its own mbuf
    layout), pktlab on DPDK's layout and testpmd's loop on pktlab's pool, with
    the ratios between them (speeds are reported, not asserted)."""
    from pktlab.bench.io import forward_vs_testpmd

    res = forward_vs_testpmd(0.2, 1)
    for fig in ("pktlab", "testpmd", "io_loop_same_pool", "pktlab_page_per_mbuf",
                "pktlab_both_directions"):
        assert res[fig]["mpps"] > 0, fig
    for run in res["pktlab"]["runs"] + res["io_loop_same_pool"]["runs"] + res["pktlab_page_per_mbuf"]["runs"]:
        assert run["in_use"] == 0               # every mbuf back after each measurement
    for key in ("ratio_mpps", "ratio_to_io_loop_mpps", "ratio_page_per_mbuf_mpps"):
        assert res[key] > 0
    assert res["ratio_to_io_loop_mpps"] == res["pktlab"]["mpps"] / res["io_loop_same_pool"]["mpps"]


def test_a_port_used_meanwhile_by_another_engine_is_taken_back_or_refused():
    """Engine A stops; B uses the same ports, stops; A starts again and
    forwards (it takes the ports back), not "running" at 0 pps. While B
    runs, A's start fails and says why."""
    r = run_scenario("""
        cfg = "fd :: FromDPDKDevice(net_null0) -> c :: Counter -> td :: ToDPDKDevice(net_null1);"
        def moved(eng, t=0.3):
            c0 = eng["c"].count
            time.sleep(t)
            return eng["c"].count - c0
        a = pktlab.Engine(cfg)
        a.start(); first = moved(a); a.stop()
        b = pktlab.Engine(cfg)
        b.start(); by_b = moved(b); b.stop()
        a.start(); again = moved(a); a.stop()
        b.start()
        try:
            a.start()
            refused = ""
        except pktlab.EngineError as e:
            refused = str(e)
        a_running = a.running
        b_still = moved(b)
        b.stop()
        del b
        a.start(); after_b = moved(a); a.stop()
        out(first=first, by_b=by_b, again=again, refused=refused, a_running=a_running,
            b_still=b_still, after_b=after_b, in_use=pktlab.dpdk.mempool()["in_use"])
    """)
    assert r["first"] > 0 and r["by_b"] > 0
    assert r["again"] > 0, "the first engine restarted but forwarded nothing"
    assert "used by another engine that is running" in r["refused"] and "fd" in r["refused"]
    assert not r["a_running"] and r["b_still"] > 0
    assert r["after_b"] > 0
    assert r["in_use"] == 0


def test_dpdkinfo_sizes_the_pool():
    """FastClick's DPDKInfo: its NB_MBUF and MBUF_CACHE_SIZE make the shared
    pool; once made, another DPDKInfo is an error, and so are the keywords
    pktlab has nothing for."""
    r = run_scenario("""
        eng = pktlab.Engine('''DPDKInfo(8192, MBUF_CACHE_SIZE 128, MBUF_SIZE 2304);
                               fd :: FromDPDKDevice(net_null0) -> td :: ToDPDKDevice(net_null1);''')
        eng.start(); time.sleep(0.2); eng.stop()
        pool = pktlab.dpdk.mempool()
        moved = eng["td"].count
        del eng
        errs = []
        for conf in ("DPDKInfo(NB_MBUF 4096); FromDPDKDevice(net_null0) -> Discard;",
                     "DPDKInfo(8192, MBUF_CACHE_SIZE 128, RX_PTHRESH 8); FromDPDKDevice(net_null0) -> Discard;"):
            try:
                pktlab.Engine(conf)
                errs.append("")
            except EngineError as e:
                errs.append(str(e))
        out(size=pool["size"], cache=pool["cache_size"], room=pool["data_room"], moved=moved,
            errs=errs)
    """)
    assert (r["size"], r["cache"], r["room"]) == (8192, 128, 2304) and r["moved"] > 0
    assert "made already" in r["errs"][0] and "NB_MBUF 4096" in r["errs"][0]
    assert "RX_PTHRESH is not supported" in r["errs"][1]
