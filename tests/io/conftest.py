"""Fixtures of the I/O tests: veth pairs in a network namespace the fixture
creates and deletes. Helpers the tests import are in iohelpers.py."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import uuid

import pytest


# ---- veth pairs in a namespace the test owns ----

def _can_netns() -> str | None:
    if os.geteuid() != 0:
        return "needs root (network namespaces and veth pairs)"
    if not shutil.which("ip"):
        return "needs iproute2 (ip)"
    return None


def _ip(*args, check=True):
    return subprocess.run(["ip", *args], capture_output=True, text=True, check=check)


@contextlib.contextmanager
def make_veth(mtu: int | None = None):
    """A veth pair: `host` here, `peer` inside namespace `ns`, with an MTU
    when given. Deleted after."""
    why = _can_netns()
    if why:
        pytest.skip(why)
    tag = uuid.uuid4().hex[:6]
    ns, host, peer = f"pltest{tag}", f"plh{tag}", f"plp{tag}"
    _ip("netns", "add", ns)
    try:
        _ip("link", "add", host, "type", "veth", "peer", "name", peer)
        _ip("link", "set", peer, "netns", ns)
        if mtu:
            _ip("link", "set", host, "mtu", str(mtu))
            _ip("netns", "exec", ns, "ip", "link", "set", peer, "mtu", str(mtu))
        _ip("link", "set", host, "up")
        _ip("netns", "exec", ns, "ip", "link", "set", peer, "up")
        # No IPv6 chatter (router solicitations, MLD) on the test link.
        for cmd in (["sysctl", "-qw", f"net.ipv6.conf.{host}.disable_ipv6=1"],):
            subprocess.run(cmd, capture_output=True)
        subprocess.run(["ip", "netns", "exec", ns, "sysctl", "-qw",
                        f"net.ipv6.conf.{peer}.disable_ipv6=1"], capture_output=True)
        yield type("Veth", (), {"ns": ns, "host": host, "peer": peer})
    finally:
        _ip("link", "del", host, check=False)
        _ip("netns", "del", ns, check=False)


@pytest.fixture
def veth():
    with make_veth() as v:
        yield v


@pytest.fixture
def jumbo_veths():
    """Two veth pairs with MTU 9000: frames come in on a.host, leave on b.host."""
    with make_veth(9000) as a, make_veth(9000) as b:
        yield a, b
