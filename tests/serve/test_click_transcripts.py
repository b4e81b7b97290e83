"""pktlab serve answers as vanilla Click's ControlSocket does, byte for byte.

data/click-transcripts.json holds what `click -p PORT oracle.click` (Click
9197a594, built on this machine image) sent for twelve command scripts:
every command and alias, every refusal and its code, DATA forms, CR/LF/CRLF
and lines split across packets, QUIT with arguments, the end of input in
the middle of a command, HELP, LLRPCs, bytes Click prints as ^X and \\ooo.
The same scripts, sent the same way to pktlab serving the same configuration,
must get the same bytes.
"""

from __future__ import annotations

import json

import pytest

from conftest import DATA, talk

TRANSCRIPTS = json.loads((DATA / "click-transcripts.json").read_text())


@pytest.fixture(scope="module")
def oracle_server():
    from pktlab.engine import Engine
    from pktlab.serve import Server

    eng = Engine(TRANSCRIPTS["config"])
    eng.start()
    srv = Server(eng, config_text=TRANSCRIPTS["config"]).start()
    yield srv
    srv.close()
    eng.stop()


@pytest.mark.parametrize("case", TRANSCRIPTS["scenarios"], ids=lambda c: c["name"])
def test_same_bytes_as_click(oracle_server, case):
    chunks = [None if c is None else c.encode("latin-1") for c in case["chunks"]]
    got = talk(oracle_server.port, chunks).decode("latin-1")
    assert got == case["expect"]


def test_a_bad_data_length_gets_the_line_click_meant(oracle_server):
    """Click answers `READDATA h x` with "500-Syntax error in '%s'": a format string
    passed as the continuation flag, a continuation line that never ends (a client
    then takes the next reply for this one). pktlab sends the final line it meant."""
    got = talk(oracle_server.port, [b"readdata c.count x\nread c.name\n"])
    assert got == (b"Click::ControlSocket/1.3\r\n500 Syntax error in 'READDATA'\r\n"
                   b"200 Read handler 'c.name' OK\r\nDATA 1\r\nc")
