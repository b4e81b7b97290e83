"""`pktlab click`, `pktlab flatten`, `pktlab provides`, `pktlab shims`: Click's
drop-ins, run as a user runs them (a subprocess, Click's options)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(*args, stdin=None, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "pktlab", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=60, input=stdin)


def test_handlers_after_the_run_and_bundled_options():
    r = run("click", "-e", "InfiniteSource(LIMIT 3, STOP true) -> c :: Counter -> Discard",
            "-h", "c.count")
    assert r.returncode == 0 and r.stdout == "3\n"
    r = run("click", "-qh", "c.count", "-e", "InfiniteSource(LIMIT 3) -> c :: Counter -> Discard")
    assert r.returncode == 0 and r.stdout == "0\n"          # -q: never ran
    r = run("click", "-q", "-e", "a :: Idle; b :: Idle; a -> b", "-h", "*.class", "-h", "list")
    assert r.stdout == "a.class:\nIdle\n\nb.class:\nIdle\n\nlist:\n2\na\nb\n\n"


def test_print_goes_to_stderr_and_defines():
    r = run("click", "-e", 'InfiniteSource("$X", LIMIT 2, STOP true) -> Print(p) -> Discard',
            "X=ab")
    assert r.returncode == 0
    assert r.stderr == "p:    2 | 6162\np:    2 | 6162\n"


def test_flat_configuration_to_stdout_and_stdin_config():
    r = run("click", "-qo-", stdin="a :: Idle -> Discard;")
    assert r.stdout == "a :: Idle;\nDiscard@2 :: Discard;\n\na -> Discard@2;\n"


def test_errors_in_clicks_words(tmp_path):
    (tmp_path / "Z").write_text("i::InfiniteSource -> Print -> d::Discard;\n"
                                "InfiniteSource -> p::Print;\n")
    r = run("click", "-q", "Z", cwd=tmp_path)
    assert r.returncode == 1
    assert r.stderr == "Z:2: 'p :: Print' output 0 unused\nRouter could not be initialized!\n"
    r = run("click", "-q", "-e", "m :: Message(\"hello\");")
    assert "config:1: While configuring 'm :: Message':\n  hello\n" in r.stderr
    r = run("click", "-e", "InfiniteSource(BURST many) -> Discard")
    assert r.returncode == 1 and "While configuring 'InfiniteSource@1 :: InfiniteSource'" in r.stderr
    r = run("click", "--no-such-option")
    assert r.returncode == 1 and "unrecognized option '--no-such-option'" in r.stderr


def test_exit_handler_and_count_call():
    r = run("click", "-e", "InfiniteSource(LIMIT 10, BURST 1, STOP true) -> "
            "c :: Counter(COUNT_CALL 4 stop)"
            " -> Discard", "-h", "c.count", "-x", "c.count")
    assert r.stdout == "4\n" and r.returncode == 4


def test_flatten_and_provides(tmp_path):
    r = run("flatten", "-e", "elementclass A { input -> Print -> output }\n"
            "Idle -> a :: A -> Discard", "-n")
    assert r.stdout == "Discard@3\nIdle@1\na/Print@1\n"
    assert run("provides", "Counter", "userlevel", "umultithread").returncode == 0
    assert run("provides", "Counter", "linuxmodule").returncode == 1
    assert run("provides", "NoSuchClass").returncode == 1


def test_shims_put_the_drop_ins_on_path(tmp_path):
    r = run("shims", str(tmp_path / "bin"))
    assert r.returncode == 0
    env = {"PATH": f"{tmp_path / 'bin'}:/usr/bin:/bin"}
    out = subprocess.run(["click", "-e", "InfiniteSource(LIMIT 2, STOP true) -> c :: Counter -> "
                          "Discard", "-h", "c.count"], env=env, capture_output=True, text=True,
                         timeout=60)
    assert out.stdout == "2\n"
    out = subprocess.run(["click-buildtool", "provides", "Counter"], env=env, timeout=60)
    assert out.returncode == 0
    out = subprocess.run(["click-flatten", "-e", "Idle -> Discard"], env=env, capture_output=True,
                         text=True, timeout=60)
    assert out.stdout.startswith("Idle@1 :: Idle;")


def test_control_socket_options(tmp_path):
    """-u serves Click's ControlSocket while the driver runs; -R offers hotconfig;
    a write to `stop` ends the driver, and -h then reads the final counts."""
    import time
    import uuid

    from pktlab.engine.csclient import ControlSocketClient

    sock = tmp_path / f"cs-{uuid.uuid4().hex[:8]}.sock"
    p = subprocess.Popen([sys.executable, "-m", "pktlab", "click", "-R", "-u", str(sock),
                          "-e", "InfiniteSource(LIMIT -1) -> c :: Counter -> Discard",
                          "-h", "c.count"], cwd=ROOT, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while not sock.exists():
            assert p.poll() is None and time.monotonic() < deadline, p.stderr.read()
            time.sleep(0.05)
        c = ControlSocketClient(f"unix:{sock}")
        while int(c.read("c.count")) == 0:
            assert time.monotonic() < deadline
            time.sleep(0.02)
        assert b"hotconfig" in c.read("handlers")
        c.write("stop", b"")
        c.close()
        out, err = p.communicate(timeout=30)
    finally:
        if p.poll() is None:
            p.kill()
    assert p.returncode == 0, err
    assert int(out) > 0
