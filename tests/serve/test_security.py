"""Who may drive a served engine, and what it may make the engine open.

The loopback by default; any other address needs a token, sent with AUTH
before any command; UNIX sockets carry file permissions (checked here as
the user `nobody`); READONLY refuses every write; a new configuration from
the network may only name the files and devices the served one names."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, talk
from replies import parse_replies

CHAIN = "src :: InfiniteSource(LENGTH 64, BURST 32) -> c :: Counter -> d :: Discard;"
GREETING = b"Click::ControlSocket/1.3\r\n"


def test_other_addresses_need_a_token(served):
    from pktlab.engine import Engine
    from pktlab.serve import Server

    with pytest.raises(ValueError, match="needs a token"):
        Server(Engine(CHAIN), tcp=["0.0.0.0:0"])
    eng, srv = served(CHAIN, tcp=["127.0.0.1:0"])          # the loopback: none needed
    assert parse_replies(talk(srv.port, [b"read c.name\r\n"]))[0][0] == 200


def test_auth_before_any_command(served):
    eng, srv = served(CHAIN, tcp=["0.0.0.0:0"], token="s3cret-token")
    assert talk(srv.port, [b"read c.count\r\nread c.count\r\n"]) == GREETING + (
        b"530 Permission denied: this server needs 'AUTH <token>' before any command\r\n")
    assert talk(srv.port, [b"AUTH wrong\r\nread c.count\r\n"]) == \
        GREETING + b"530 Authentication failed\r\n"
    got = parse_replies(talk(srv.port, [b"AUTH s3cret-token\r\nread c.name\r\n"]))
    assert got[0][:2] == (200, [b"Authenticated"]) and got[1][2] == b"c"
    assert talk(srv.port, [b"quit\r\n"]) == GREETING + b"200 Goodbye!\r\n"


def test_remote_engine_with_and_without_the_token(served):
    import pktlab
    from pktlab.engine.csclient import ControlSocketError

    eng, srv = served(CHAIN, tcp=["0.0.0.0:0"], token="tok")
    with pytest.raises(ControlSocketError) as e:
        pktlab.connect(f"127.0.0.1:{srv.port}")
    assert e.value.code == 530
    r = pktlab.connect(f"127.0.0.1:{srv.port}", token="tok")
    assert r["c"].count > 0
    r.close()


def test_serve_prints_a_token_for_other_addresses(serve_process, tmp_path):
    cfg = tmp_path / "fwd.click"
    cfg.write_text(CHAIN)
    p, port = serve_process(cfg, "-p", "0.0.0.0:0")
    p.terminate()
    err = p.communicate(timeout=10)[1]
    assert "clients need the token" in err
    token = err.split("clients need the token ")[1].split()[0]
    assert len(token) >= 24


def test_readonly(served):
    import pktlab
    from pktlab.engine import EngineError

    eng, srv = served(CHAIN, readonly=True)
    r = pktlab.connect(srv.address)
    assert r["src"].burst == 32
    with pytest.raises(EngineError, match="Permission denied"):
        r["src"].burst = 4
    with pytest.raises(EngineError):
        r.apply(CHAIN.replace("32", "8"))
    with pytest.raises(EngineError):
        r.stop()
    assert eng.running and eng["src"].burst == 32
    r.close()


def test_a_remote_change_names_only_the_served_files(served, tmp_path):
    import pktlab
    from pktlab.engine import EngineError

    trace, other, lib = tmp_path / "in.pcap", tmp_path / "secret.pcap", tmp_path / "lib.click"
    trace.write_bytes(bytes.fromhex("d4c3b2a1020004000000000000000000ffff000001000000"))  # pcap, empty
    other.write_bytes(trace.read_bytes())
    lib.write_text("elementclass X { input -> output }\n")
    config = f"f :: FromDump({trace}, STOP false) -> c :: Counter -> Discard;"
    eng, srv = served(config, files=[str(tmp_path / "allowed.pcap")])
    r = pktlab.connect(srv.address)
    for bad in (f"f :: FromDump({other}) -> Discard;",
                "f :: FromDump(/etc/shadow) -> Discard;",
                f"f :: FromDump({trace}) -> ToDump(/etc/passwd);",
                "FromDevice(lo) -> Discard;",
                f"require(library {lib}); f :: FromDump({trace}) -> Discard;"):
        with pytest.raises(EngineError) as e:
            r.apply(bad)
        assert "served configuration" in str(e.value), bad
    with pytest.raises(EngineError, match="served configuration"):
        r["f"].write("config", f"{other}")
    r.apply(f"f :: FromDump({trace}, STOP false) -> c :: Counter -> n :: Null -> Discard;")
    r.apply(f"f :: FromDump({trace}, STOP false) -> c :: Counter -> "
            f"ToDump({tmp_path / 'allowed.pcap'});")
    assert "n" not in r.elements and (tmp_path / "allowed.pcap").exists()
    assert not any("shadow" in str(c.label) for c in eng.history)
    r.close()


needs_nobody = pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"),
                                  reason="needs root and setpriv to act as the user nobody")

AS_NOBODY = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]


def as_nobody(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([*AS_NOBODY, sys.executable, "-c", code], cwd="/", capture_output=True,
                          text=True, timeout=60, env={"PATH": "/usr/bin:/bin",
                                                      "PYTHONPATH": str(ROOT)})


@pytest.fixture
def open_dir():
    """A directory every user can enter (pytest's tmp_path is root's only)."""
    import tempfile

    d = tempfile.mkdtemp(prefix="pktlab-sock-")
    os.chmod(d, 0o755)
    yield __import__("pathlib").Path(d)
    shutil.rmtree(d, ignore_errors=True)


@needs_nobody
def test_unix_socket_permissions(served, open_dir):
    tmp_path = open_dir
    closed, shared, group = (str(tmp_path / n) for n in ("closed.sock", "open.sock", "grp.sock"))
    served(CHAIN, tcp=[], unix=[closed])
    served(CHAIN, tcp=[], unix=[shared], unix_mode=0o666)
    served(CHAIN, tcp=[], unix=[group], unix_mode=0o660, unix_group="nogroup")
    assert oct(os.stat(closed).st_mode & 0o777) == "0o600"
    code = ("import os, pktlab\nfrom pktlab.engine.csclient import ControlSocketClient\n"
            "assert os.geteuid() != 0\n"
            "for p in {paths!r}:\n"
            "    try:\n"
            "        print(p.rsplit('/', 1)[1], ControlSocketClient('unix:' + p).read('c.name'))\n"
            "    except ConnectionError as e:\n"
            "        print(p.rsplit('/', 1)[1], 'refused', 'Permission denied' in str(e))\n")
    out = as_nobody(code.format(paths=[closed, shared, group]))
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[:3] == ["closed.sock refused True", "open.sock b'c'",
                                          "grp.sock b'c'"]
