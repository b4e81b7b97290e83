"""Configuration-string helpers."""

import ipaddress

import pytest

from pktlab.lang.args import (
    parse_bandwidth,
    parse_bool,
    parse_data,
    parse_ether,
    parse_hex_data,
    parse_int,
    parse_ip_prefix,
    parse_ipv4,
    parse_real,
    parse_time,
    quote,
    split_args,
    split_keyword,
    unquote,
)


@pytest.mark.parametrize("config,args", [
    ("", []),
    ("   ", []),
    ("a, b, c", ["a", "b", "c"]),
    ("a, b,", ["a", "b"]),
    ("a,,b", ["a", "", "b"]),
    (",", [""]),
    ('"x, y" // ?', ['"x, y"']),
    ("  a /*?*/ b,  c, ", ["a b", "c"]),
    ("'a, b', \"c, \\\" d\"", ["'a, b'", '"c, \\" d"']),
    ("f(a, b), [1, 2], {x, y}, z", ["f(a, b)", "[1, 2]", "{x, y}", "z"]),
    ("\\<00 2c>, x", ["\\<00 2c>", "x"]),
    ("a) , b", ["a)", "b"]),
])
def test_split_args(config, args):
    assert split_args(config) == args


def test_split_keyword():
    assert split_keyword("LENGTH 64") == ("LENGTH", "64")
    assert split_keyword("DATA \"a b\"") == ("DATA", '"a b"')
    assert split_keyword("ACTIVE") == (None, "ACTIVE")
    assert split_keyword("length 64") == (None, "length 64")
    assert split_keyword("12/0800") == (None, "12/0800")


def test_quote_and_unquote():
    assert unquote('"\\n" abc /* 123 */ \'/* def */\'') == "\n abc /* def */"
    assert unquote('a"b"c') == "abc"
    assert unquote('"\\<48 65 6c6C 6f>!"') == "Hello!"
    assert unquote("\\<48656c6C 6f 2 /* finally */ 1>") == "Hello!"
    assert unquote('"\\x41\\101\\$\\,"') == "AA$,"
    for s in ["", "plain", 'with "quotes" and \\ and $x', "tab\tnl\ncr\r", "\x01\x7f", "héllo"]:
        assert unquote(quote(s)) == s


def test_bool_int_real():
    assert [parse_bool(s) for s in ["true", "yes", "1", "t", "y"]] == [True] * 5
    assert [parse_bool(s) for s in ["false", "no", "0", "f", "n"]] == [False] * 5
    assert parse_int("42") == 42 and parse_int("-0x1f") == -31 and parse_int("017") == 15
    assert parse_int("0b101") == 5 and parse_int("1_000_000") == 10**6 and parse_int(" 7 ") == 7
    assert parse_real("1.5") == 1.5 and parse_real("-2e3") == -2000.0 and parse_real(".5") == 0.5
    for bad, fn in [("maybe", parse_bool), ("TRUE", parse_bool), ("08", parse_int), ("1k", parse_int),
                    ("1__0", parse_int), ("0x", parse_int), ("1.2.3", parse_real), ("nan", parse_real)]:
        with pytest.raises(ValueError, match="expected"):
            fn(bad)


@pytest.mark.parametrize("text,seconds", [
    ("2", 2.0), ("2s", 2.0), ("2 sec", 2.0), ("1ms", 1e-3), ("3msec", 3e-3), ("10us", 1e-5),
    ("5ns", 5e-9), ("1m", 60.0), ("2min", 120.0), ("1.5h", 5400.0), ("1hr", 3600.0),
    ("1d", 86400.0), ("2 day", 172800.0), ("1e3ms", 1.0),
])
def test_parse_time(text, seconds):
    assert parse_time(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text,rate", [
    ("100", 100.0), ("10Gbps", 1.25e9), ("1.5MBps", 1.5e6), ("8kbps", 1e3), ("8Kbps", 1e3),
    ("64 bps", 8.0), ("1B/s", 1.0), ("16b/s", 2.0), ("800baud", 100.0), ("2 GBps", 2e9),
])
def test_parse_bandwidth_is_bytes_per_second(text, rate):
    assert parse_bandwidth(text) == pytest.approx(rate)


@pytest.mark.parametrize("bad", ["", "ms", "-1s", "1 parsec", "fast"])
def test_bad_times(bad):
    with pytest.raises(ValueError, match="expected a time"):
        parse_time(bad)


def test_addresses():
    assert parse_ipv4("10.0.0.1") == ipaddress.IPv4Address("10.0.0.1")
    mask8 = ipaddress.IPv4Address("255.0.0.0")
    assert parse_ip_prefix("10.0.0.0/8") == (ipaddress.IPv4Address("10.0.0.0"), mask8)
    assert parse_ip_prefix("10/8") == (ipaddress.IPv4Address("10.0.0.0"), mask8)
    assert parse_ip_prefix("10.1.2.3 255.0.0.0") == (ipaddress.IPv4Address("10.1.2.3"), mask8)
    assert parse_ip_prefix("18.26.4/255.255.255.0")[1] == ipaddress.IPv4Address("255.255.255.0")
    assert parse_ether("00:11:22:33:44:55") == bytes([0, 0x11, 0x22, 0x33, 0x44, 0x55])
    assert parse_ether("0-a0-c9-9c-fd-9c") == bytes([0, 0xa0, 0xc9, 0x9c, 0xfd, 0x9c])
    for bad, fn in [("10.0.0", parse_ipv4), ("256.0.0.1", parse_ipv4), ("10.0.0.0/33", parse_ip_prefix),
                    ("00:11:22:33:44", parse_ether), ("00:11-22:33:44:55", parse_ether)]:
        with pytest.raises(ValueError, match="expected"):
            fn(bad)


def test_data():
    assert parse_data('"ab\\<00 ff>"') == b"ab\x00\xff"
    assert parse_data("\\<0a 0b>") == b"\n\x0b"
    assert parse_data("'\\<0a>'") == b"\\<0a>"
    assert parse_data('"é"') == "é".encode()
    assert parse_hex_data("0a0b 0C") == b"\n\x0b\x0c"
    with pytest.raises(ValueError, match="even number"):
        parse_hex_data("abc")
