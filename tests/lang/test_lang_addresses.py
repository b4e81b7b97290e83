"""AddressInfo names in the Python language layer (pktlab.lang.addresses)."""

from ipaddress import IPv4Address as A
from ipaddress import IPv6Address as A6

import pytest

from pktlab.lang import parse
from pktlab.lang.addresses import AddressTable
from pktlab.lang.args import parse_ether, parse_ip_prefix, parse_ipv4

CONFIG = """
AddressInfo(lan 10.0.1.1/24 00:11:22:33:44:55 fe80::1/64, up 10.0.2.254, net6 2001:db8::/32);
elementclass C { AddressInfo(lan 192.168.0.1); input -> Null -> output };
c :: C;
FromMemory -> c -> Discard;
"""


@pytest.fixture
def table():
    return AddressTable.from_graph(parse(CONFIG), devices=False)


def test_kinds(table):
    assert parse_ipv4("lan", names=table) == A("10.0.1.1")
    assert parse_ipv4("lan:IP", names=table) == A("10.0.1.1")
    assert parse_ip_prefix("lan", names=table) == (A("10.0.1.1"), A("255.255.255.0"))
    assert parse_ip_prefix("lan:net", names=table) == (A("10.0.1.1"), A("255.255.255.0"))
    assert parse_ip_prefix("up", names=table) == (A("10.0.2.254"), A("255.255.255.255"))
    assert parse_ether("lan:eth", names=table) == bytes.fromhex("001122334455")
    assert table.ip("lan:bcast") == A("10.0.1.255")
    assert table.ip("lan:gw") == A("10.0.1.1")
    assert table.ip6("lan:ip6") == A6("fe80::1")
    assert table.ip6_prefix("net6") == (A6("2001:db8::"), 32)
    assert table.ip6("net6") is None          # no host bits: a prefix only


def test_scopes(table):
    assert parse_ipv4("lan", names=table, context="c/Null@1") == A("192.168.0.1")
    assert parse_ipv4("up", names=table, context="c/Null@1") == A("10.0.2.254")
    assert parse_ipv4("lan", names=table, context="Discard@4") == A("10.0.1.1")


def test_errors(table):
    with pytest.raises(ValueError, match="expected an IPv4 address"):
        parse_ipv4("nowhere", names=table)
    with pytest.raises(ValueError, match="expected an Ethernet address"):
        parse_ether("up:eth", names=table)
    with pytest.raises(ValueError, match="expected an IPv4 address"):
        parse_ipv4("lan")                      # no table: literals only
    with pytest.raises(ValueError, match="not a recognizable address"):
        AddressTable.from_graph(parse("AddressInfo(x 300.1.1.1);"))
    with pytest.raises(ValueError, match="expected 'NAME"):
        AddressTable().define("ai", "x")


def test_host_devices():
    t = AddressTable()
    assert t.ip("lo") == A("127.0.0.1")
    assert t.prefix("lo:net") == (A("127.0.0.1"), A("255.0.0.0"))
    assert t.ether("lo") is None               # loopback has no Ethernet address
