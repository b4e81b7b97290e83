"""Click's own ControlSocket tests, as Click runs them (`nc` and a CSIN file,
expectations with {{regex}} parts, clicktest's way), against `pktlab run -p`.

Adapted from test/userlevel/uhotswap-01 and ControlSocket-llrpc-01 of Click's
suite (/work/shared/third_party/click-tests-*): the same commands and the
same expected replies, on pktlab elements (Paint where Click's test has a
Switch; a Counter's LLRPCs where it has the Switch's); where the engine's
own error text differs from Click's, the line says what pktlab says.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT

pytestmark = pytest.mark.skipif(shutil.which("nc") is None,
                                reason="needs nc (Debian netcat-openbsd; make setup installs it)")


def clicktest_match(expected: str, got: str) -> None:
    """clicktest's rule: line by line, {{...}} is a regular expression."""
    exp = expected.strip("\n").split("\n")
    out = got.replace("\r\n", "\n").rstrip("\n").split("\n")
    for i, (e, g) in enumerate(zip(exp, out)):
        parts = re.split(r"\{\{(.*?)\}\}", e)
        rx = "".join(re.escape(p) if k % 2 == 0 else p for k, p in enumerate(parts))
        assert re.fullmatch(rx, g), f"line {i + 1}: expected {e!r}, got {g!r}\n{got}"
    assert len(exp) == len(out), f"expected {len(exp)} lines, got {len(out)}:\n{got}"


def run_script(tmp_path, config: str, csin: bytes, *run_options) -> str:
    (tmp_path / "CONFIG").write_text(config)
    (tmp_path / "CSIN").write_bytes(csin)
    script = f"""
        msleep () {{ sleep $(echo "scale=3; $1/1000" | bc 2>/dev/null || echo 0.01); }}
        (while [ ! -s PORT ]; do sleep 0.01; done && {{ cat CSIN; sleep 0.3; }} | nc localhost `cat PORT` >CSOUT) &
        {sys.executable} -m pktlab run CONFIG --quiet --duration 30 -p 41900+ --port-file PORT {' '.join(run_options)}
        wait
    """
    subprocess.run(["bash", "-c", script], cwd=tmp_path, check=True, timeout=60,
                   env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
                   capture_output=True)
    return (tmp_path / "CSOUT").read_bytes().decode("latin-1")


def test_uhotswap(tmp_path):
    csin = b"""read s.config
write hotconfig Idle -> s :: Paint(1) -> Discard;
read s.config
write hotconfig Print
read s.config
write hotconfig Pofdskaofjdsajfdsa
read s.config
write stop true
"""
    got = run_script(tmp_path, "Idle -> s :: Paint(0) -> Discard;\n", csin, "-R")
    clicktest_match("""
Click::ControlSocket/1.{{\\d+}}
200 Read handler{{.*}}
DATA 1
0200 Write handler{{.*}}
200 Read handler{{.*}}
DATA 1
1520-Write handler{{.*}}error:
520-{{.*}}Print' input 0 unused
520 Router could not be initialized!
200 Read handler{{.*}}
DATA 1
1520-Write handler{{.*}}error:
520 {{.*}}undeclared element{{.*}}
200 Read handler{{.*}}
DATA 1
1200 Write handler{{.*}}
""", got)


def test_without_R_there_is_no_hotconfig(tmp_path):
    got = run_script(tmp_path, "Idle -> s :: Paint(0) -> Discard;\n",
                     b"write hotconfig Idle -> Discard;\nwrite stop true\n")
    clicktest_match("""
Click::ControlSocket/1.{{\\d+}}
511 No handler named 'hotconfig'
200 Write handler 'stop' OK
""", got)


def test_llrpc(tmp_path):
    # GET_COUNT (key 0: packets) and GET_RATE on a Counter; GET_SWITCH, which a
    # Counter does not implement, is EINVAL as on any Click element without it.
    csin = (b"read c.count\nllrpc c#C004C003 4\n\0\0\0\0llrpc c#4004C005\n"
            b"llrpc c#C004C001 4\n\0\0\0\0read c.count\nwrite stop true\n")
    got = run_script(tmp_path, "InfiniteSource(LIMIT 3, STOP false) -> c :: Counter -> Discard;\n",
                     csin)
    # the rate's 4 bytes may hold a newline (a rate of 10 is 0a 00 00 00): name them
    got = re.sub(r"(LLRPC 'c#C004C001' OK\r\nDATA 4\r\n)....", r"\1RATE", got, flags=re.S)
    clicktest_match("""
Click::ControlSocket/1.{{\\d+}}
200 Read handler{{.*}}
DATA 1
3200 LLRPC{{.*}}
DATA 4
\x03\x00\x00\x00522 LLRPC 'c#4004C005' error: Invalid argument
200 LLRPC{{.*}}
DATA 4
RATE200 Read handler{{.*}}
DATA 1
3200 Write handler{{.*}}
""", got)


def test_no_file_beyond_the_configuration(tmp_path):
    """Click's privatehandler-01 checks that no handler reads a file: neither a
    new configuration (FromDump of a file the served one does not name) nor a
    library may bring a file's contents back."""
    (tmp_path / "SCARY").write_text("This is a scary file!\n")
    csin = (b"write hotconfig FromDump(SCARY) -> Discard;\n"
            b"write hotconfig require(library SCARY); Idle -> Discard;\n"
            b"read hotconfig\nwrite stop true\n")
    got = run_script(tmp_path, "Idle -> c :: Counter -> Discard;\n", csin, "-R")
    assert "This is a scary file" not in got
    clicktest_match("""
Click::ControlSocket/1.{{\\d+}}
520-Write handler 'hotconfig' error:
520 FromDump@1 :: FromDump: the served configuration names no file '{{.*}}/SCARY'{{.*}}
520-Write handler 'hotconfig' error:
520 hotconfig:1:9: library 'SCARY' is not one the served configuration requires
530 Handler 'hotconfig' write-only
200 Write handler 'stop' OK
""", got)
