"""The protocol's input half: any split of the bytes gives the same replies;
lines and DATA lengths are bounded; the commands Click knows and pktlab's
extension commands are told apart."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pktlab.serve.handlers import Context, EngineHandlers
from pktlab.serve.messages import printable
from pktlab.serve.protocol import Call, Parser, Reply, click_int
from pktlab.serve.session import Session
from replies import parse_replies


@pytest.fixture(scope="module")
def session_factory():
    from pktlab.engine import Engine

    eng = Engine("src :: InfiniteSource(LIMIT 100, STOP true) -> c :: Counter -> Discard;"
                 " rt :: RadixIPLookup(10.0.0.0/8 0) -> Discard; Idle -> rt;")
    eng.run_inline(max_runs=1000)
    space = EngineHandlers(eng)
    return lambda **kw: Session(space, ctx=Context(), **kw)


def run(session, chunks, eof=True, **parser_kw) -> bytes:
    """The replies (greeting first) a server sends for these chunks."""
    p = Parser(**parser_kw)
    out = [b"Click::ControlSocket/1.3\r\n"]

    def pump():
        while True:
            item = p.next()
            if item is None:
                return True
            if isinstance(item, Reply):
                out.append(item.data)
                if item.close:
                    return False
            elif isinstance(item, Call) and item.op in ("auth", "extensions", "stream"):
                out.append(b"<%s>" % item.op.encode())
            else:
                out.append(session.execute(item))

    for c in chunks:
        p.feed(c)
        if not pump():
            return b"".join(out)
    if eof:
        p.eof()
        pump()
    return b"".join(out)


# (no write that changes the engine: every run must find it as the first did)
COMMANDS = [b"read c.count", b"READ c.name", b"get rt.lookup 10.1.2.3", b"read rt.lookup",
            b"readdata rt.lookup 8\r\n10.0.0.1", b"write c.count", b"writedata c.count 2\nab",
            b"readuntil c.count END\nx\nEND", b"writeuntil c.count\nfoo\n", b"checkread c.count",
            b"checkwrite c.count", b"llrpc c#C004C003 4\n\0\0\0\0", b"llrpc c#4004C005",
            b"read nosuch.h", b"foo", b"", b"help", b"read c.count extra", b"readdata c.count x",
            b"EXTENSIONS", b"stream 10", b"read 2.class", b"read c.ports", b"read handlers",
            b"read c.\xff", b"readdata c.count 99999999999999"]
ENDS = [b"\n", b"\r\n", b"\r"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(COMMANDS), st.sampled_from(ENDS)), max_size=12),
       st.lists(st.integers(1, 40), max_size=30), st.booleans())
def test_any_split_gives_the_same_replies(session_factory, cmds, cuts, quit_at_end):
    data = b"".join(c + e for c, e in cmds) + (b"quit\n" if quit_at_end else b"")
    whole = run(session_factory(), [data])
    chunks, pos = [], 0
    for n in cuts:
        chunks.append(data[pos:pos + n])
        pos += n
    chunks.append(data[pos:])
    assert run(session_factory(), chunks) == whole
    parse_replies(whole.replace(b"<auth>", b"").replace(b"<extensions>", b"")
                  .replace(b"<stream>", b""))


def test_click_int_reads_as_click_intarg():
    assert [click_int(x) for x in (b"10", b"0x10", b"010", b"0b11", b"+5", b"-5", b"1_000")] == \
        [10, 16, 8, 3, 5, -5, 1000]
    for bad in (b"", b"x", b"0x", b"1_", b"1__0", b"++5", b"08", b"2147483648", b" 5"):
        assert click_int(bad) is None, bad
    assert click_int(b"ffffffff", base=16, signed=False) == 0xFFFFFFFF
    assert click_int(b"0x40044006", base=16, signed=False) == 0x40044006


def test_printable_as_click_string_printable():
    assert printable(b"a\x01b\x7f\xff ") == b"a^Ab\\177\\377 "


def test_a_line_over_the_limit_closes(session_factory):
    out = run(session_factory(), [b"read " + b"x" * 2000], eof=False, max_line=1000)
    assert out.endswith(b"500 Line too long\r\n")


def test_huge_data_is_thrown_away_and_refused(session_factory):
    """A DATA length over the limit: the bytes are read and dropped, the reply is
    521, and the commands after them run (nothing is buffered meanwhile)."""
    p = Parser(max_data=1000)
    p.feed(b"writedata c.reset 5000\n" + b"z" * 3000)
    assert p.next() is None and p.pending == 0
    p.feed(b"z" * 2000 + b"read c.name\n")
    r = p.next()
    assert isinstance(r, Reply) and r.data == b"521 Data too large for write handler 'c.reset'\r\n"
    c = p.next()
    assert isinstance(c, Call) and (c.op, c.name) == ("read", b"c.name")


def test_readuntil_without_end_is_bounded(session_factory):
    p = Parser(max_data=1000)
    p.feed(b"readuntil c.count END\n" + b"line\n" * 300)
    r = p.next()
    assert isinstance(r, Reply) and r.close and r.data.startswith(b"521 ")


def test_locked_refuses_all_but_auth_and_quit():
    p = Parser(locked=True)
    p.feed(b"AUTH secret\r\n")
    c = p.next()
    assert isinstance(c, Call) and (c.op, c.name) == ("auth", b"secret")
    p.feed(b"read c.count\r\n")
    r = p.next()
    assert isinstance(r, Reply) and r.close and r.data.startswith(b"530 ")
    p2 = Parser(locked=True)
    p2.feed(b"x" * 2000)
    r = p2.next()
    assert isinstance(r, Reply) and r.close          # no long line before AUTH


def test_readonly_refuses_writes_and_llrpcs(session_factory):
    s = session_factory(readonly=True)
    out = run(s, [b"write c.reset\ncheckwrite c.reset\nllrpc c#C004C003 4\n\0\0\0\0"
                  b"checkwrite c.count\nread c.count\n"])
    replies = parse_replies(out)
    assert [(code, t[0]) for code, t, _ in replies] == [
        (530, b"Permission denied for 'c.reset'"), (530, b"Permission denied for 'c.reset'"),
        (530, b"Permission denied for 'c#C004C003'"), (511, b"Handler 'c.count' not writable"),
        (200, b"Read handler 'c.count' OK")]
