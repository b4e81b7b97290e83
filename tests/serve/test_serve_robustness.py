"""What clients do wrong never stops the engine or the other clients: many
clients at once, a client that never reads, one that disconnects in the
middle of a command or of the stream, one that announces gigabytes."""

from __future__ import annotations

import socket
import threading
import time

from conftest import talk
from replies import parse_replies

CHAIN = "src :: InfiniteSource(LENGTH 64, BURST 32) -> c :: Counter -> d :: Discard;"


def connect(port: int) -> socket.socket:
    s = socket.create_connection(("127.0.0.1", port))
    s.settimeout(10)
    assert s.recv(26) == b"Click::ControlSocket/1.3\r\n"
    return s


def read_reply(s: socket.socket) -> bytes:
    buf = b""
    while b"\r\nDATA " not in buf or not buf.endswith(b"\n") and len(buf) < 10:
        buf += s.recv(4096)
        head, sep, rest = buf.partition(b"\r\nDATA ")
        if sep and b"\r\n" in rest:
            n, _, data = rest.partition(b"\r\n")
            if len(data) >= int(n):
                return data[:int(n)]
        if buf.startswith(b"5"):
            return buf
    return buf


def test_a_hundred_clients_at_once(served):
    eng, srv = served(CHAIN, max_clients=200)
    socks = [connect(srv.port) for _ in range(100)]
    try:
        for s in socks:
            s.sendall(b"read c.count\r\n")
        counts = [int(read_reply(s)) for s in socks]
        assert all(n > 0 for n in counts)
        assert len(srv.clients) == 100
    finally:
        for s in socks:
            s.close()


def test_clients_over_the_limit_are_told_and_closed(served):
    eng, srv = served(CHAIN, max_clients=3)
    socks = [connect(srv.port) for _ in range(3)]
    try:
        got = talk(srv.port, [b"read c.count\r\n"])
        assert got == b"Click::ControlSocket/1.3\r\n530 Too many connections\r\n"
    finally:
        for s in socks:
            s.close()


def test_a_client_that_never_reads_stops_nobody(served):
    """It asks for megabytes of replies and reads none: the server stops reading
    it once its buffer is full; the engine and every other client go on."""
    eng, srv = served(CHAIN)
    slow = connect(srv.port)
    slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    slow.setblocking(False)
    sent = 0
    try:
        for _ in range(20000):
            try:
                sent += slow.send(b"read flatconfig\r\nread handlers\r\n" * 50)
            except BlockingIOError:
                break
        n0 = eng["c"].count
        t0 = time.monotonic()
        for _ in range(20):
            got = parse_replies(talk(srv.port, [b"read c.count\r\n"], wait=0.05))
            assert got[0][0] == 200
        assert time.monotonic() - t0 < 10
        assert eng["c"].count > n0
        # Python's own calls need the engine lock: nobody holds it for the slow client.
        t0 = time.monotonic()
        eng.apply(CHAIN.replace("BURST 32", "BURST 16"))
        assert time.monotonic() - t0 < 5
    finally:
        slow.close()


def test_disconnects_in_the_middle(served):
    eng, srv = served(CHAIN)
    for piece in (b"writedata src.burst 100\r\n12", b"readuntil c.count END\r\nabc\r\n",
                  b"read c.co", b"STREAM 50\r\n", b"llrpc c#C004C003 4\r\n\0\0"):
        s = connect(srv.port)
        s.sendall(piece)
        time.sleep(0.05)
        s.close()
    s = connect(srv.port)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\1\0\0\0\0\0\0\0")   # RST, not FIN
    s.sendall(b"STREAM 100\r\n")
    time.sleep(0.1)
    s.close()
    time.sleep(0.2)
    assert eng.running and not srv.stopped
    assert parse_replies(talk(srv.port, [b"read c.count\r\n"]))[0][0] == 200
    assert len(srv.subscribers) == 0


def test_gigabytes_announced_are_refused_without_buffering(served):
    eng, srv = served(CHAIN, max_data=1 << 20)
    s = connect(srv.port)
    s.sendall(b"writedata hotconfig 2000000000\r\n" + b"x" * 100000)
    s.shutdown(socket.SHUT_WR)
    got = b""
    while True:
        d = s.recv(4096)
        if not d:
            break
        got += d
    assert got == b"521 Data too large for write handler 'hotconfig'\r\n"
    got = talk(srv.port, [b"readdata c.count 99999999999\r\nread c.name\r\n"])
    assert parse_replies(got)[0][1] == [b"Syntax error in 'READDATA'"]


def test_a_stream_subscriber_that_never_reads(served):
    """Its frames are skipped while its buffer is full (its next frame carries
    everything it missed); the server's memory for it stays bounded."""
    chain = "src :: InfiniteSource(LENGTH 64, BURST 32)" + "".join(
        f" -> n{i} :: Null" for i in range(150)) + " -> d :: Discard;"
    eng, srv = served(chain)
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect(("127.0.0.1", srv.port))
    s.sendall(b"STREAM 100\r\n")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        time.sleep(0.2)
        subs = list(srv.subscribers.items())
        if subs and subs[0][1].skipped > 5:
            break
    client, sub = subs[0]
    assert sub.skipped > 5
    assert client.transport.get_write_buffer_size() < 2 << 20
    ok = parse_replies(talk(srv.port, [b"read d.count\r\n"]))
    assert ok[0][0] == 200 and eng.running
    s.close()


def test_server_threads_are_not_engine_workers(served):
    eng, srv = served(CHAIN)
    names = {t.name for t in threading.enumerate()}
    assert "pktlab-serve" in names
    talk(srv.port, [b"write c.reset\r\n"])            # writes run on the control thread
    assert any(n.startswith("pktlab-control") for n in {t.name for t in threading.enumerate()})
