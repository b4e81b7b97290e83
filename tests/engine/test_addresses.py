"""AddressInfo names in the engine's argument readers (native/core/addrinfo.c)."""

import pytest

from pktlab import Engine
from pktlab.engine import EngineError

ROUTES = "rt :: LinearIPLookup({routes}) -> Discard; rt[1] -> Discard; rt[2] -> Discard;"


def table(text: str) -> list[str]:
    eng = Engine(text)
    try:
        return eng.read_handler("rt.table").splitlines()
    finally:
        eng.close()


def test_names_kinds_and_declaration_order():
    # AddressInfo after its users: Click configures it first, so does pktlab
    got = table("FromMemory -> " + ROUTES.format(
        routes="lan 0, lan:net 1, lan:bcast 0, 0.0.0.0/0 lan:gw 1, up 2")
        + "AddressInfo(lan 10.0.1.1/24, up 192.168.0.0/16 0:1:2:3:4:5);")
    # a bare name in a route is the name's address as a /32, or its prefix
    # when it has no address (Click's IPPrefixArg(true))
    assert got == ["10.0.1.1/32\t-\t0", "10.0.1.0/24\t-\t1",
                   "10.0.1.255/32\t-\t0", "0.0.0.0/0\t10.0.1.1\t1", "192.168.0.0/16\t-\t2"]


def test_names_are_local_to_compounds():
    text = """
    AddressInfo(h 10.0.0.1);
    elementclass R { AddressInfo(h 10.9.9.9);
                     input -> rt :: LinearIPLookup(h 0, g 0) -> output };
    elementclass S { input -> rt :: LinearIPLookup(h 0) -> output };
    AddressInfo(g 10.0.0.2);
    FromMemory -> r :: R -> s :: S -> Discard;
    """
    eng = Engine(text)
    try:
        assert eng.read_handler("r/rt.table").splitlines() == ["10.9.9.9/32\t-\t0",
                                                              "10.0.0.2/32\t-\t0"]
        assert eng.read_handler("s/rt.table").splitlines() == ["10.0.0.1/32\t-\t0"]
    finally:
        eng.close()


def test_host_device_names():
    # the loopback device of this host: its IPv4 address and prefix
    got = table("FromMemory -> " + ROUTES.format(routes="lo:ip 0, lo:net 1"))
    assert got == ["127.0.0.1/32\t-\t0", "127.0.0.0/8\t-\t1"]


def test_ethernet_names_and_wrong_kind():
    eng = Engine("AddressInfo(m 00:11:22:33:44:55, i 10.0.0.1);"
                 "FromMemory -> e :: EtherEncap(0x0800, m, m:eth) -> Discard;")
    assert eng.read_handler("e.src") == "00-11-22-33-44-55"     # Click's EtherAddress unparse
    eng.close()
    with pytest.raises(EngineError) as ei:
        Engine("AddressInfo(i 10.0.0.1); FromMemory -> EtherEncap(0x0800, i, i:eth) -> Discard;")
    assert "expected an Ethernet address" in str(ei.value) and "'i'" in str(ei.value)


def test_bad_addressinfo_is_located():
    with pytest.raises(EngineError) as ei:
        Engine("Idle -> Discard;\nai :: AddressInfo(x 10.0.0.300);")
    assert "'10.0.0.300' is not a recognizable address" in str(ei.value)
    assert ei.value.element == "ai" and ei.value.loc.line == 2
    with pytest.raises(EngineError, match="expected 'NAME"):
        Engine("AddressInfo(lonely);")


def test_names_in_handler_writes_and_live_change():
    eng = Engine("AddressInfo(n 10.5.0.0/16); FromMemory -> rt :: LinearIPLookup() -> Discard;")
    try:
        eng.write_handler("rt.add", "n:net 0")
        assert eng.read_handler("rt.table").splitlines() == ["10.5.0.0/16\t-\t0"]
        eng.apply_text("AddressInfo(n 10.6.0.0/16, m 10.7.0.1);"
                       "FromMemory -> rt :: LinearIPLookup(n 0, m 0) -> Discard;")
        assert eng.read_handler("rt.table").splitlines() == ["10.6.0.0/16\t-\t0",
                                                            "10.7.0.1/32\t-\t0"]
    finally:
        eng.close()


def test_ipv6_entries_accepted():
    eng = Engine("AddressInfo(v6 fe80::1/64 2001:db8::/32, both 10.0.0.1 ::1);")
    eng.close()


def test_ipv6_route_names_address_first():
    # a bare name in an IPv6 route is its address as a /128, else its prefix
    # (Click's IP6PrefixArg(true); vanilla Click prints the same table)
    eng = Engine("AddressInfo(n 2001:db8::1/64, p 2001:db8:5::/48);"
                 "rt :: LookupIP6Route(n 0, n:ip6net 1, p 2); Idle -> rt;"
                 "rt[0] -> Discard; rt[1] -> Discard; rt[2] -> Discard;")
    try:
        assert eng.read_handler("rt.table").splitlines() == [
            "2001:db8::1/128\t::\t0", "2001:db8::/64\t::\t1", "2001:db8:5::/48\t::\t2"]
    finally:
        eng.close()
