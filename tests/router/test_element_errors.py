"""Bad configurations of the router elements name the element and keyword."""

from __future__ import annotations

import pytest

from pktlab import Engine, EngineError


@pytest.mark.parametrize("config, words", [
    ("IPClassifier(tcp port)", ["pattern 0", "expected a value"]),
    ("IPClassifier(src port 80 or)", ["expected a primitive"]),
    ("IPClassifier(frobnicate)", ["unknown word 'frobnicate'"]),
    ("IPClassifier(ip[3:3] 5)", ["LEN in [POS:LEN]"]),
    ("IPClassifier(tcp opt bogus)", ["bad value 'bogus'"]),
    ("IPClassifier(udp and not)", ["expected a primitive at end"]),
    ("IPClassifier(ip ttl > )", ["expected a value"]),
    ("IPFilter(permit tcp)", ["action must be allow, deny, drop"]),
    ("IPFilter(allow)", ["no pattern"]),
    ("ICMPError(10.0.0.1, flood)", ["TYPE", "not an ICMP error type"]),
    ("ICMPError(10.0.0.1, 8)", ["not an error type"]),
    ("ICMPError(10.0.0.1, unreachable, sideways)", ["CODE"]),
    ("CheckIPHeader(INTERFACES 10.0.0.1/99)", ["INTERFACES"]),
    ("CheckIPHeader(BADSRC 10.0.0.300)", ["BADSRC"]),
    ("ARPResponder(10.0.0.1)", ["argument 0: missing ETH"]),
    ("ARPResponder(10.0.0.1 0:1:2:3:4:5 0:1:2:3:4:6)", ["argument 0: more than one ETH"]),
    ("ARPQuerier(10.0.0.1/40, 00:01:02:03:04:05)", ["IP", "expected IP address or prefix"]),
    ("ARPQuerier(10.0.0.1, 00:01:02:03:04:05, TABLE nosuch)", ["TABLE", "not an ARPTable"]),
    ("ARPTable(CAPACITY_SLIM_FACTOR 0)", ["CAPACITY_SLIM_FACTOR cannot be zero"]),
    ("IP6NDSolicitor(10.0.0.1, 00:01:02:03:04:05)", ["IP", "not an IPv6 address"]),
    ("IP6NDSolicitor(fe80::1, 00:01:02:03:04)", ["ETH"]),
    ("PortInfo(foo bar)", ["expected 'NAME PORT/PROTO'"]),
    ("EtherVLANEncap(0x0800, 1:1:1:1:1:1, 2:2:2:2:2:2, ANNOX)", ["VLAN_TCI"]),
    ("StripEtherVLANHeader(4096)", ["NATIVE_VLAN"]),
    ("ARPQuerier(10.0.0.1, 00:01:02:03:04:05, STATIC 10.0.0.2)", ["STATIC"]),
    ("EtherEncap(0x0800, 1:2:3:4:5:6)", ["missing required argument DST"]),
    ("IPFragmenter(4)", ["MTU"]),
])
def test_bad_configuration_is_reported(config, words):
    with pytest.raises(EngineError) as exc:
        Engine(f"s :: FromMemory -> x :: {config} -> Discard")
    msg = str(exc.value)
    assert "x" in msg
    for w in words:
        assert w in msg, msg


def test_ipclassifier_program_is_shared_and_printable():
    eng = Engine("s :: FromMemory -> c :: IPClassifier(tcp port 80, tcp port 443, -)"
                 " => Discard, Discard, Discard")
    prog = eng["c"].program
    assert "start: step" in prog
    # the protocol test is compiled once per pattern, not once per port side
    assert prog.count("ip[9:1] & 0xff == 0x6") <= 2
