"""The route lookup elements against a Python longest-prefix match, and
route changes while the engine runs."""

from __future__ import annotations

import ipaddress
import random
import time

import pytest

from pktlab import Engine, EngineError

CLASSES = ["LinearIPLookup", "StaticIPLookup", "RadixIPLookup", "DirectIPLookup"]


def random_routes(rng, n):
    routes = {}
    while len(routes) < n:
        plen = rng.choice([0, 8, 12, 16, 20, 22, 24, 25, 27, 30, 32])
        net = ipaddress.IPv4Network((rng.getrandbits(32) & ~((1 << (32 - plen)) - 1)
                                     if plen else 0, plen))
        routes[net] = (rng.randrange(4), rng.choice([None, "192.168.0.1", "192.168.0.2"]))
    return routes


def reference(routes, addr):
    a = ipaddress.IPv4Address(addr)
    best = max((n for n in routes if a in n), key=lambda n: n.prefixlen, default=None)
    if best is None:
        return ""
    port, gw = routes[best]
    return f"{port} {gw}" if gw else f"{port}"


def spec(routes):
    return ", ".join(f"{n} {gw + ' ' if gw else ''}{port}" for n, (port, gw) in routes.items())


@pytest.mark.parametrize("cls", CLASSES)
def test_lookup_matches_longest_prefix_reference(cls):
    rng = random.Random(11)
    routes = random_routes(rng, 300)
    eng = Engine(f"s :: FromMemory -> rt :: {cls}({spec(routes)}) => "
                 "Discard, Discard, Discard, Discard")
    probes = [str(ipaddress.IPv4Address(rng.getrandbits(32))) for _ in range(300)]
    # addresses inside routes, at their edges
    for n in list(routes)[:150]:
        probes += [str(n.network_address), str(n.broadcast_address)]
    for a in probes:
        assert eng["rt"].read(f"lookup {a}") == reference(routes, a), a


@pytest.mark.parametrize("cls", ["LinearIPLookup", "RadixIPLookup", "DirectIPLookup"])
def test_routes_change_while_running(cls):
    eng = Engine(f"s :: InfiniteSource(DATA \\<45000014 00000000 40110000 0a000001 0a010203>,"
                 f" BURST 32) -> GetIPAddress(16) -> rt :: {cls}(10.0.0.0/8 0);"
                 "rt[0] -> a :: Counter -> Discard; rt[1] -> b :: Counter -> Discard")
    eng.start()
    try:
        deadline = time.monotonic() + 5
        while eng["a"].count == 0 and time.monotonic() < deadline:
            time.sleep(0.001)
        for i in range(20):                        # flip the route back and forth under load
            eng["rt"].write("set", f"10.1.0.0/16 {i % 2}")
        eng["rt"].write("set", "10.1.2.0/24 1")
        b0 = eng["b"].count
        deadline = time.monotonic() + 5
        while eng["b"].count <= b0 and time.monotonic() < deadline:
            time.sleep(0.001)
        assert eng["rt"].read("lookup 10.1.2.3") == "1"
        eng["rt"].write("remove", "10.1.2.0/24, 10.1.0.0/16")
        assert eng["rt"].read("lookup 10.1.2.3") == "0"
    finally:
        eng.stop()
    assert eng["b"].count > b0
    assert eng.pools()["in_use"] == 0


def test_route_handlers_report_errors_and_change_nothing():
    eng = Engine("s :: FromMemory -> rt :: RadixIPLookup(10.0.0.0/8 0) -> Discard")
    with pytest.raises(EngineError, match="conflict with existing route"):
        eng["rt"].write("add", "10.0.0.0/8 0")
    with pytest.raises(EngineError, match="bad ADDR/MASK"):
        eng["rt"].write("add", "11.0.0.0/8 0, 300.1.1.1/8 0")
    with pytest.raises(EngineError, match="route .12.0.0.0/8 - -1. not found"):
        eng["rt"].write("remove", "12.0.0.0/8")
    with pytest.raises(EngineError, match="not an IP address"):
        eng["rt"].read("lookup banana")
    assert eng["rt"].read("table") == "10.0.0.0/8\t-\t0\n"
    with pytest.raises(EngineError, match="prefix"):
        Engine("s :: FromMemory -> RadixIPLookup(10.0.0.0/255.0.255.0 0) -> Discard")
    with pytest.raises(EngineError, match="OUTPUT"):
        Engine("s :: FromMemory -> LinearIPLookup(10.0.0.0/8 x) -> Discard")
    # LinearIPLookup takes non-prefix masks, tried after every prefix
    eng = Engine("s :: FromMemory -> rt :: LinearIPLookup(10.0.0.0/255.0.255.0 1, 0.0.0.0/0 0)"
                 " => Discard, Discard")
    assert eng["rt"].read("lookup 10.7.0.9") == "1"
    assert eng["rt"].read("lookup 10.7.1.9") == "0"
