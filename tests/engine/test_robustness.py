"""Regression tests for the crashes and hangs of issue #15 (docs/robustness.md):
each failed (a segfault, an abort, a hang or the wrong exception) before its fix.
Hangs run in a child process with a timeout, so that a regression fails the
test instead of stopping the suite."""

from __future__ import annotations

import gc
import os
import signal
import struct
import subprocess
import sys
import textwrap
import uuid

import pytest

from pktlab import Engine
from pktlab.engine.errors import EngineError
from pktlab.telemetry.sampler import Sampler
from pktlab.traffic.packets import feed


def _csum(b: bytes) -> int:
    s = sum(struct.unpack(f"!{len(b) // 2}H", b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ip_packet(options: bytes = b"", payload: bytes = b"x" * 8, total: int | None = None) -> bytes:
    """An IPv4 UDP-ish datagram with `options` (padded to 4 bytes); total: the
    length field (default: the real length); valid header checksum."""
    options += b"\0" * (-len(options) % 4)
    hl = 20 + len(options)
    length = hl + len(payload) if total is None else total
    hdr = struct.pack("!BBHHHBBH4s4s", 0x40 | hl // 4, 0, length, 1, 0, 64, 17, 0,
                      bytes([10, 0, 0, 1]), bytes([10, 0, 1, 2])) + options
    hdr = hdr[:10] + struct.pack("!H", _csum(hdr)) + hdr[12:]
    return hdr + payload


def _conserved(eng: Engine, fed: int) -> None:
    assert eng.stats().total_drops() == fed
    assert eng.pools()["in_use"] == 0


@pytest.mark.parametrize("option", [b"\x07\x07\x00\x00\x00\x00\x00",     # Record Route, pointer 0
                                    b"\x44\x08\x00\x00\x00\x00\x00\x00",  # Timestamp, pointer 0
                                    b"\x07\x02"])                          # RR without a pointer
def test_ipgwoptions_bad_pointer_is_a_parameter_problem(option):
    eng = Engine("src :: FromMemory(STOP true) -> CheckIPHeader -> g :: IPGWOptions(10.9.9.9);"
                 "g[0] -> ok :: ToMemory; g[1] -> bad :: ToMemory;")
    feed(eng, "src", [ip_packet(option)])
    eng.run_inline()
    assert eng["ok"].count == 0 and eng["bad"].count == 1
    _conserved(eng, 1)


def test_arpresponder_bad_address_after_a_good_one_is_an_error():
    with pytest.raises(EngineError, match="bad"):
        Engine("FromMemory -> ARPResponder(10.0.0.1 bad 00:01:02:03:04:05) -> Discard;")
    with pytest.raises(EngineError):
        Engine("FromMemory -> ARPResponder(10.0.0.1 10.0.0.2 bad 00:01:02:03:04:05) -> Discard;")


@pytest.mark.parametrize("total", [0, 10, 19])
def test_ipfragmenter_length_below_header_is_dropped(total):
    eng = Engine("src :: FromMemory(STOP true) -> f :: IPFragmenter(576) -> out :: ToMemory;")
    feed(eng, "src", [ip_packet(payload=b"y" * 1000, total=total) for _ in range(3)])
    eng.run_inline()
    assert eng["out"].count == 0
    assert sum(eng["f"].counters().values()) == 3
    _conserved(eng, 3)


def test_stats_views_outlive_the_engine():
    # A graph whose statistics region is large enough to be its own mapping:
    # freed under a view, reading it segfaulted.
    chain = " -> ".join(f"n{i} :: Null" for i in range(200))
    eng = Engine(f"src :: FromMemory(STOP true) -> c :: Counter -> {chain} -> Discard;")
    feed(eng, "src", [b"z" * 60] * 4)
    eng.run_inline()
    st = eng.stats()
    ports, hist, counters = st.ports, st.hist, st.counters
    before = ports.copy(), hist.copy(), counters.copy()
    del eng, st
    gc.collect()
    assert (ports == before[0]).all() and (hist == before[1]).all()
    assert (counters == before[2]).all() and ports.sum() > 0


def test_element_handle_after_its_removal_fails():
    eng = Engine("src :: FromMemory(STOP true) -> a :: Counter -> b :: Counter -> Discard;")
    a = eng["a"]
    eng.apply("src :: FromMemory(STOP true) -> b :: Counter -> Discard;")
    with pytest.raises(EngineError, match="gone"):
        a.read("count")
    with pytest.raises(AttributeError, match="gone"):
        a.count  # noqa: B018
    b = eng["b"]
    feed(eng, "src", [b"z" * 60] * 2)
    eng.run_inline()
    assert b.count == 2


def test_snapshot_right_after_apply_that_grows_the_statistics():
    eng = Engine("src :: FromMemory(STOP true) -> c :: Counter -> Discard;")
    s = Sampler(eng)
    s.sample()
    chain = " -> ".join(f"n{i} :: Null" for i in range(300))
    eng.apply(f"src :: FromMemory(STOP true) -> c :: Counter -> {chain} -> d :: Discard;")
    snap = s.snapshot(window=None)
    assert "n299" in snap["elements"]
    s.sample()
    assert "n299" in s.snapshot(window=None)["elements"]


@pytest.mark.parametrize("text", ["src :: FromMemory -> Discard; // \udcff",
                                  "src :: FromMemory -> Print(\"\ud800\") -> Discard;"])
def test_lone_surrogate_is_a_config_error(text):
    from pktlab.lang import ConfigError
    with pytest.raises(ConfigError, match="surrogate"):
        Engine(text)


def _child(code: str, *, sigint_after: float | None = None, timeout: float = 20):
    """Run `code` in a fresh interpreter; SIGINT it after sigint_after s."""
    p = subprocess.Popen([sys.executable, "-c", textwrap.dedent(code)], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    if sigint_after is not None:
        try:
            p.wait(sigint_after)
        except subprocess.TimeoutExpired:
            p.send_signal(signal.SIGINT)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        p.communicate()
        pytest.fail(f"hung for more than {timeout} s")
    return p.returncode, out, err


def test_run_inline_without_a_stopping_source_stops_on_ctrl_c():
    rc, out, err = _child("""
        from pktlab import Engine
        eng = Engine("InfiniteSource(LENGTH 64) -> c :: Counter -> Discard;")
        print("ready", flush=True)
        try:
            eng.run_inline()
        except KeyboardInterrupt:
            print("interrupted", eng["c"].count > 0, eng.pools()["in_use"], flush=True)
    """, sigint_after=3)
    assert "interrupted True 0" in out, err


@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / f"fifo-{uuid.uuid4().hex}"
    os.mkfifo(path)
    return path


def test_fromdump_on_a_fifo_nobody_writes_is_an_error(fifo):
    rc, out, err = _child(f"""
        from pktlab import Engine
        from pktlab.engine.errors import EngineError
        try:
            Engine("FromDump({fifo}) -> Discard;")
        except EngineError as e:
            print("error:", e)
    """)
    assert "error:" in out and "FIFO" in out, err


@pytest.mark.parametrize("target", ["fifo", "/dev/zero", "/dev/null"])
def test_require_library_of_a_non_regular_file_is_a_config_error(fifo, target):
    path = fifo if target == "fifo" else target
    rc, out, err = _child(f"""
        from pktlab.lang import parse, ConfigError
        try:
            parse("require(library {path}); Idle -> Discard;")
        except ConfigError as e:
            print("error:", e)
    """)
    assert "error:" in out and "not a configuration file" in out, err


def test_fromdump_on_a_device_is_an_error():
    with pytest.raises(EngineError, match="device"):
        Engine("FromDump(/dev/zero) -> Discard;")


@pytest.mark.parametrize("config", ["AdjustTimestamp(1e60)", "AdjustTimestamp(-1e60)",
                                    "TimeFilter(START_AFTER 1e30)"])
def test_times_beyond_int64_nanoseconds_are_errors(config):
    # found by the element fuzzer (UBSan: double to int64 out of range)
    with pytest.raises(EngineError, match="more than|within"):
        Engine(f"FromMemory -> {config} -> Discard;")
