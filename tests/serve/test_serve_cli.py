"""`pktlab serve`, `pktlab read|write|call`, `pktlab run -p / -u / -h`, as a
user types them."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from conftest import ROOT, pktlab, talk, wait_for
from replies import parse_replies

FWD = "src :: InfiniteSource(LENGTH 64, BURST 32) -> c :: Counter -> d :: Discard;\n"
COUNT = "src :: InfiniteSource(LIMIT 5, STOP true) -> c :: Counter -> c2 :: Counter -> Discard;\n"


def test_serve_read_write_call(serve_process, tmp_path):
    cfg = tmp_path / "fwd.click"
    cfg.write_text(FWD)
    p, port = serve_process(cfg)
    addr = f"127.0.0.1:{port}"
    assert int(pktlab("read", addr, "c.count").stdout) > 0
    assert pktlab("write", addr, "src.burst", "4").stdout == ""
    assert pktlab("read", addr, "src.burst").stdout == "4\n"
    assert pktlab("call", addr, "c.reset").returncode == 0                  # a write-only handler
    r = pktlab("read", addr, "c.nosuch", check=False)
    assert r.returncode == 1 and "511 No handler named 'c.nosuch'" in r.stderr
    new = FWD.replace("-> d ::", "-> n :: Null -> d ::")
    assert pktlab("write", addr, "hotconfig", "-", input=new).returncode == 0
    assert "n\n" in pktlab("read", addr, "list").stdout
    assert pktlab("read", addr, "flatconfig").stdout.endswith("src -> c\n    -> n\n    -> d;\n")
    got = parse_replies(talk(port, [b"write stop\r\n"]))
    assert got == [(200, [b"Write handler 'stop' OK"], None)]
    assert p.wait(10) == 0                                   # Click's `stop`: the server ends


def test_serve_unix_socket_and_sigterm(serve_process, tmp_path):
    cfg = tmp_path / "fwd.click"
    cfg.write_text(FWD)
    sock = tmp_path / "fwd.sock"
    p, _ = serve_process(cfg, "-u", str(sock), "--stopped")
    deadline = time.monotonic() + 30
    while not sock.exists():
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert oct(sock.stat().st_mode & 0o777) == "0o600"
    assert pktlab("read", f"unix:{sock}", "running").stdout == "false\n"
    pktlab("write", f"unix:{sock}", "running", "true")
    assert int(pktlab("read", f"unix:{sock}", "c.count").stdout) > 0
    p.send_signal(signal.SIGTERM)
    assert p.wait(10) == 0 and not sock.exists()


def test_run_h_prints_as_click(tmp_path):
    cfg = tmp_path / "count.click"
    cfg.write_text(COUNT)
    r = pktlab("run", str(cfg), "-h", "c.count")
    assert r.stdout == "5\n"
    r = pktlab("run", str(cfg), "-h", "c*.count", "-h", "c.foo", "-h", "c.reset", "-h", "x.count",
               check=False)
    assert r.returncode == 1
    assert r.stdout == "c.count:\n5\n\nc2.count:\n5\n\n"
    assert "no 'c.foo' handler\n'c.reset' is a write handler\nno element 'x'\n" in r.stderr
    r = pktlab("run", str(cfg), "-h", "Counter.count", "-h", "c.config", "-h", "list")
    assert r.stdout == ("c.count:\n5\n\nc2.count:\n5\n\nc.config:\n\nlist:\n4\nsrc\nc\nc2\n"
                        "Discard@4\n\n")
    assert "--help" in pktlab("run", "--help").stdout


def test_run_p_serves_while_it_runs_and_write_stop_ends_it(tmp_path):
    cfg = tmp_path / "fwd.click"
    cfg.write_text(FWD)
    port_file = tmp_path / "port"
    p = subprocess.Popen([sys.executable, "-m", "pktlab", "run", str(cfg), "--quiet", "-p", "0",
                          "--port-file", str(port_file), "-h", "c.count", "-R"], cwd=ROOT,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        port = int(wait_for(port_file))
        got = parse_replies(talk(port, [b"CHECKWRITE hotconfig\r\nread c.count\r\n"
                                        b"write stop true\r\n"]))
        assert [g[0] for g in got] == [200, 200, 200]
        out, err = p.communicate(timeout=20)
    finally:
        p.kill()
    assert p.returncode == 0 and int(out) >= int(got[1][2])


def test_bad_addresses_and_tokens_are_told(tmp_path):
    cfg = tmp_path / "fwd.click"
    cfg.write_text(FWD)
    r = pktlab("serve", str(cfg), "-p", "nohost:port", check=False)
    assert r.returncode != 0 and "expected PORT or HOST:PORT" in r.stderr
    r = pktlab("read", "127.0.0.1:1", "c.count", check=False)
    assert r.returncode == 1 and "cannot connect to 127.0.0.1:1" in r.stderr


def test_bench_remote_reports_every_figure():
    """`pktlab bench remote`, short: every figure is there (times are not asserted)."""
    import json

    r = pktlab("bench", "remote", "--duration", "0.2", "--repeat", "1", "--json", timeout=300)
    rep = json.loads(r.stdout)
    assert rep["rtt"]["server"]["median_us"] > 0 and rep["rtt"]["echo"]["median_us"] > 0
    assert rep["mpps_alone"] > 0 and rep["mpps_streamed"] > 0 and rep["stream_ratio"] > 0
    assert rep["collects_per_s"] > 0
    assert rep["many"]["connected"] == 100 and rep["many"]["answered"] == 2000
    assert rep["many"]["errors"] == []
