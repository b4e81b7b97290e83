"""Hypothesis over the engine's Python API (docs/robustness.md): whatever a
user writes into Engine() or into a handler, only pktlab's errors come back
(ConfigError, EngineError), and the engine keeps working afterwards."""

from __future__ import annotations

import os
from functools import cache

import pytest

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pktlab import Engine
from pktlab.engine.classes import element_classes
from pktlab.engine.errors import EngineError
from pktlab.lang import ConfigError

# `make fuzz-py` raises this for a campaign (PKTLAB_FUZZ_EXAMPLES per test); the default is the smoke.
EXAMPLES = int(os.environ.get("PKTLAB_FUZZ_EXAMPLES") or 300)

OURS = (ConfigError, EngineError)
# Not the DPDK classes: building one starts the process's only EAL, without
# the virtual devices later tests give it (the native harness fuzzes them,
# each run in its own process).
# Nor the classes that make TUN/TAP devices and set addresses and routes on
# them: this process runs in the host's network namespace (the native harness
# fuzzes them in a namespace of its own).
HOST_CONFIGURING = {"KernelTun", "KernelTap", "FromHost", "ToHost", "ToHostSniffers"}
CLASSES = sorted(c for c in element_classes() if "DPDK" not in c and c not in HOST_CONFIGURING)
WORDS = st.sampled_from(["0", "1", "-1", "65536", "4294967296", "99999999999999999999", "1e9",
                         "true", "false", "10.0.0.1", "10.0.0.0/8", "0.0.0.0/0", "255.255.255.255",
                         "00:01:02:03:04:05", "-", "ff", "\\<00>", "ACTIVE", "LIMIT", "BURST",
                         "x", "", " ", ",", "\"", "'", "(", ")", "\n", "é", "\x00", "\udcff",
                         "12/0800", "add", "10.0.0.0/8 0"])


@pytest.fixture(autouse=True, scope="module")
def _scratch_cwd(tmp_path_factory):
    """File elements (ToDump) create what the drawn names say: in a scratch
    directory, not the checkout."""
    here = os.getcwd()
    os.chdir(tmp_path_factory.mktemp("fuzz-api"))
    yield
    os.chdir(here)


# No value starts with '/' or climbs with '..': file names stay in the scratch directory.
VALUES = st.one_of(st.lists(WORDS, max_size=6).map(" ".join),
                   st.text(max_size=40)).filter(lambda v: "/" not in v[:1] and ".." not in v)


@cache
def _host(cls: str) -> str | None:
    """A configuration in which `cls` (default arguments) builds, or None
    (classes with required arguments: their writes are fuzzed by the native
    harness, native/fuzz)."""
    for text in (f"x :: {cls};", f"x :: {cls} -> Discard;", f"FromMemory -> x :: {cls};",
                 f"FromMemory -> x :: {cls} -> Discard;",
                 f"FromMemory -> x :: {cls} -> Discard; x[1] -> Discard;",
                 f"FromMemory -> q :: Queue -> x :: {cls} -> Discard;",
                 f"FromMemory -> x :: {cls} -> Unqueue -> Discard;"):
        try:
            Engine(text).close()
            return text
        except OURS:
            continue
    return None


def test_most_classes_have_a_host_graph():
    hosted = [c for c in CLASSES if _host(c) is not None]
    assert len(hosted) >= len(CLASSES) // 2, sorted(set(CLASSES) - set(hosted))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(cls=st.sampled_from(CLASSES), config=VALUES, data=st.data())
def test_engine_construction_raises_only_our_errors(cls, config, data):
    shape = data.draw(st.sampled_from(["x :: {c}({a});", "FromMemory -> x :: {c}({a}) -> Discard;",
                                       "FromMemory -> x :: {c}({a}) -> Discard; x[1] -> Discard;"]))
    try:
        Engine(shape.format(c=cls, a=config)).close()
    except OURS:
        pass


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(cls=st.sampled_from(CLASSES), value=VALUES, data=st.data())
def test_handler_writes_raise_only_our_errors(cls, value, data):
    text = _host(cls)
    if text is None:
        return
    writable = [h.name for h in element_classes()[cls].handlers if h.writable]
    if not writable:
        return
    handler = data.draw(st.sampled_from(writable))
    eng = Engine(text)
    try:
        try:
            eng["x"].write(handler, value)
        except OURS:
            pass
        for h in element_classes()[cls].handlers:       # still answers
            if h.readable:
                try:
                    eng["x"].read(h.name)
                except OURS:
                    pass
    finally:
        eng.close()
