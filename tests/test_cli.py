"""The command line, run as a user runs it."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def pktlab(*args, check=True):
    return subprocess.run([sys.executable, "-m", "pktlab", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=check)


def test_run_json_report():
    r = pktlab("run", "examples/forward.click", "--duration", "0.3", "--json")
    rep = json.loads(r.stdout)
    assert rep["settings"]["threads"] == 1
    # the engine's own elapsed time, read after the stop: never compared with a
    # wall-clock bound (a loaded machine shifts when the run is seen to start)
    assert rep["settings"]["duration_requested"] == 0.3 and rep["settings"]["duration"] > 0
    el = rep["elements"]
    assert el["c"]["class"] == "Counter"
    assert el["c"]["inputs"] == el["c"]["outputs"] == el["sink"]["inputs"]
    assert el["sink"]["drops"] == {"count": el["sink"]["inputs"][0]}
    assert el["src"]["outputs"][0] == el["sink"]["inputs"][0] > 0
    assert rep["pools"]["in_use"] == 0


def test_run_with_define_and_live_view():
    r = pktlab("run", "examples/forward.click", "BURST=4", "--duration", "0.5",
               "--interval", "0.2")
    assert "Mpps:" in r.stderr
    assert "sink" in r.stdout and "Discard" in r.stdout


def test_run_reports_config_errors(tmp_path):
    bad = tmp_path / "bad.click"
    bad.write_text("src :: InfiniteSource\n  -> c :: Countr -> Discard;\n")
    r = pktlab("run", str(bad), "--duration", "0.1", check=False)
    assert r.returncode == 1
    assert f"{bad}:2:" in r.stderr and "Countr" in r.stderr and "Traceback" not in r.stderr


def test_elements_lists_and_documents():
    r = pktlab("elements")
    names = [line.split()[0] for line in r.stdout.splitlines() if line.strip()]
    for cls in ("InfiniteSource", "Counter", "Discard", "Null"):
        assert cls in names
    man = pktlab("elements", "InfiniteSource").stdout
    assert "BURST" in man and "Handlers:" in man and "count" in man
    r = pktlab("elements", "Countr", check=False)
    assert r.returncode == 1 and "did you mean 'Counter'" in r.stderr


def test_bench_forward_json():
    r = pktlab("bench", "forward", "--duration", "0.05", "--repeat", "1", "--json")
    res = json.loads(r.stdout)
    assert set(res["burst"]) == {"1", "4", "32", "256"}
    assert all(v["mpps"] > 0 for v in res["burst"].values())
    assert res["per_packet"]["mpps"] > 0 and res["batch_vs_per_packet_at_32"] > 0
    assert "ns_per_packet_per_element" in res["nulls"]
    assert res["settings"]["duration"] == 0.05


def test_bench_sizes_json():
    """Every figure of `pktlab bench sizes` is there, DPDK's 9,000-byte
    forwarding included (speeds are reported, not asserted)."""
    r = pktlab("bench", "sizes", "--duration", "0.05", "--repeat", "1", "--json")
    res = json.loads(r.stdout)
    for kind in ("clones", "copy", "grow"):
        assert set(res[kind]) == {"64", "1500", "9000"}
        assert all(v["mpps"] > 0 and v["gbps"] > 0 for v in res[kind].values())
    assert all(res["dpdk"][k]["mpps_cpu"] > 0 for k in ("64", "1500", "9000", "64_default_mbufs"))
    from pktlab.bench.sizes import format_sizes

    assert "9000 B" in format_sizes(res) and "grow (slow push)" in format_sizes(res)


def test_bench_threads_json():
    """Every figure of `pktlab bench threads` is there (speeds are reported, not asserted);
    the DPDK part runs the two TX queue decisions it compares."""
    r = pktlab("bench", "threads", "--duration", "0.1", "--repeat", "1", "--json")
    res = json.loads(r.stdout)
    assert res["forward"]["1"]["mpps"] > 0 and res["forward"]["2"]["mpps"] > 0
    assert all(res["models"][k]["mpps"] > 0 for k in ("full_push_1core", "pipeliner_2cores",
                                                        "queue_1core"))
    assert res["router"]["1"]["mpps"] > 0 and res["router"]["2"]["mpps"] > 0
    d = res["dpdk"]
    assert d["1_thread"]["mpps"] > 0
    assert "threads->queues 0->0 1->1," in d["2_threads_multiqueue"]["device"]
    assert "threads->queues 0->0* 1->0* (* locked" in d["2_threads_locked"]["device"]


def test_bad_arguments_are_refused_before_anything_runs(tmp_path):
    for args, says in ((["--threads", "0"], "argument --threads: must be at least 1"),
                       (["--threads", "-1"], "argument --threads: must be at least 1"),
                       (["--duration", "-1"], "argument --duration: must be 0 or more seconds"),
                       (["--interval", "0"], "argument --interval: must be more than 0 seconds"),
                       (["--report", str(tmp_path / "no" / "r.html")], "no folder")):
        r = pktlab("run", "examples/forward.click", "--duration", "0.1", *args, check=False)
        assert r.returncode == 2 and says in r.stderr and "Traceback" not in r.stderr, (args, r)


def test_an_empty_configuration_is_refused(tmp_path):
    empty = tmp_path / "empty.click"
    empty.write_text("// nothing here\n")
    r = pktlab("run", str(empty), check=False)
    assert r.returncode == 1 and "no elements" in r.stderr, r


def test_print_lines_arrive_while_it_runs_and_losses_are_said(tmp_path):
    cfg = tmp_path / "p.click"
    cfg.write_text("InfiniteSource(LENGTH 60, LIMIT 3000, BURST 1, STOP true) -> Print(x) -> Discard;")
    r = pktlab("run", str(cfg), "--json", "--duration", "5")
    rep = json.loads(r.stdout)
    lines = rep["log"].count("x:")
    # every line is either in the log or counted as lost, and a loss is said
    assert lines + rep["log_lost"] >= 3000, (lines, rep["log_lost"])
    if rep["log_lost"]:
        assert "log line" in rep["log"] and "lost" in rep["log"]
