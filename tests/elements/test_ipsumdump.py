"""FromIPSummaryDump, ToIPSummaryDump, IPPrint, ARPPrint and TimeSortedSched:
Click's text formats, for what Click's own suite leaves out (TCP options,
ICMP names, fragments, '!proto', CHECKSUM, errors). The expected lines follow
Click's sources (elements/analysis/ipsumdump_*.cc, ipprint.cc, arpprint.cc)."""

import uuid

import pytest

from pktlab import Engine, EngineError

DUMP_TCP_UDP = """!IPSummaryDump 1.3
!data ts src sport dst dport proto tcp_seq tcp_ack tcp_flags tcp_opt tcp_window payload
1.5 10.0.0.1 1234 10.0.0.2 80 T 1000 2000 SA mss1460;sackok;wscale7 512 "hi\\n"
!proto U
2 10.0.0.1 53 10.0.0.2 53 - - - - - - "xyz"
"""


def run(cfg):
    eng = Engine(cfg)
    eng.run_inline()
    return eng


@pytest.fixture
def files(tmp_path):
    def make(text):
        f = tmp_path / f"in-{uuid.uuid4().hex}.txt"
        f.write_text(text)
        return f, tmp_path / f"out-{uuid.uuid4().hex}.txt"
    return make


def test_tcp_udp_round_trip_and_ipprint(files):
    src, out = files(DUMP_TCP_UDP)
    eng = run(f"FromIPSummaryDump({src}, STOP true, CHECKSUM true) -> IPPrint(x, TTL true, ID true)"
              f" -> CheckIPHeader -> ToIPSummaryDump({out}, FIELDS ts src sport dport proto ip_len"
              " ip_ttl tcp_seq tcp_ack tcp_flags tcp_opt tcp_window payload_len payload udp_len)")
    assert eng.log().splitlines() == [
        "x: 1.500000: id 0 ttl 100 10.0.0.1.1234 > 10.0.0.2.80: S 1000:1004(4,55,55) ack 2000 win 512",
        "x: 2.000000: id 0 ttl 100 10.0.0.1.53 > 10.0.0.2.53: udp 11"]
    assert out.read_text().splitlines() == [
        "!IPSummaryDump 1.3",
        "!data timestamp ip_src sport dport ip_proto ip_len ip_ttl tcp_seq tcp_ack tcp_flags"
        " tcp_opt tcp_window payload_len payload udp_len",
        '1.500000 10.0.0.1 1234 80 T 55 100 1000 2000 SA mss1460;sackok;wscale7 512 3 "hi\\n" -',
        '2.000000 10.0.0.1 53 53 U 31 100 - - - - - 3 "xyz" 11']


def test_checksums_are_valid(files):
    src, out = files(DUMP_TCP_UDP)
    eng = run(f"FromIPSummaryDump({src}, STOP true, CHECKSUM true) -> CheckIPHeader"
              " -> c :: IPClassifier(tcp, udp); c[0] -> CheckTCPHeader -> t :: Counter -> Discard;"
              " c[1] -> CheckUDPHeader -> u :: Counter -> Discard;")
    assert eng["t"].read("count") == "1" and eng["u"].read("count") == "1"


def test_icmp_names_fragments_and_missing_fields(files):
    src, out = files("!data src dst proto icmp_type icmp_code ip_fragoff ip_id\n"
                     "1.0.0.1 1.0.0.2 I unreachable port . 7\n"
                     "1.0.0.1 1.0.0.2 I timeexceeded 0 ! 8\n"
                     "1.0.0.1 1.0.0.2 U - - 64+ 9\n")
    eng = run(f"FromIPSummaryDump({src}, STOP true) -> IPPrint -> ToIPSummaryDump({out}, FIELDS src"
              " proto icmp_type_name icmp_code_name icmp_type ip_frag ip_fragoff ip_id sport)")
    assert eng.log().splitlines() == [
        "0.000000: 1.0.0.1 > 1.0.0.2: icmp unreachable port truncated-icmp",
        "0.000000: 1.0.0.1 > 1.0.0.2: icmp timeexceeded transit",
        "0.000000: 1.0.0.1 > 1.0.0.2: udp (frag 9:0@64+)"]
    assert out.read_text().splitlines()[2:] == [
        "1.0.0.1 I unreachable port 3 . 0 7 -",
        "1.0.0.1 I timeexceeded transit 11 ! 0! 8 -",
        "1.0.0.1 U - - - f 64+ 9 -"]


def test_header_lines_and_stdout_name(files):
    src, out = files("!data src\n1.2.3.4\n")
    run(f'FromIPSummaryDump({src}, STOP true) -> ToIPSummaryDump({out}, BANNER "me \\"x\\"",'
        " FIELDS src)")
    assert out.read_text() == '!IPSummaryDump 1.3\n!creator "me \\"x\\""\n!data ip_src\n1.2.3.4\n'
    run(f"FromIPSummaryDump({src}, STOP true) -> ToIPSummaryDump({out}, HEADER false)")
    assert out.read_text() == "0.000000 1.2.3.4\n"


def test_parse_errors_are_logged_once_and_counted():
    eng = run('FromIPSummaryDump(DATA "!data src\n1.2.3.4\nnot-an-address\nalso-bad\n5.6.7.8",'
              " STOP true) -> c :: Counter -> Discard")
    assert eng.log().strip() == "DATA:3: packet parse error"
    assert eng["c"].read("count") == "2"
    assert eng["FromIPSummaryDump@1"].counters()["parse_errors"] == 2


@pytest.mark.parametrize("fields, message", [
    ("src bogus", "FIELDS: unknown content type 'bogus'"),
    ("payload_md5", "FIELDS: field 'payload_md5' is not supported by pktlab"),
])
def test_bad_fields_name_the_field(fields, message):
    with pytest.raises(EngineError, match=message):
        Engine(f'FromIPSummaryDump(DATA "!data src", STOP true) -> ToIPSummaryDump(/dev/null,'
               f" FIELDS {fields})")


def test_binary_and_multipacket_are_refused():
    with pytest.raises(EngineError, match="BINARY: pktlab writes the text format only"):
        Engine("Idle -> ToIPSummaryDump(/dev/null, BINARY true)")
    with pytest.raises(EngineError, match="MULTIPACKET: not supported"):
        Engine('FromIPSummaryDump(DATA "!data src", MULTIPACKET true) -> Discard')
    with pytest.raises(EngineError, match="FILENAME and DATA conflict"):
        Engine('FromIPSummaryDump(/dev/null, DATA "!data src") -> Discard')


def test_ip_options_round_trip(files):
    src, out = files("!data src ip_opt\n1.0.0.1 lsrr{1.0.0.2,^1.0.0.3}\n1.0.0.2 nop;130=1:2\n"
                     "1.0.0.3 .\n")
    run(f"FromIPSummaryDump({src}, STOP true) -> ToIPSummaryDump({out}, FIELDS src ip_hl ip_opt)")
    assert out.read_text().splitlines()[2:] == [
        "1.0.0.1 32 lsrr{1.0.0.2^1.0.0.3}", "1.0.0.2 28 130=1:2", "1.0.0.3 20 ."]


def test_arpprint_query_and_reply(files):
    src, _ = files("!data ts ip_dst\n0.25 1.0.0.5\n")
    eng = run(f"FromIPSummaryDump({src}, STOP true) -> q :: ARPQuerier(1.0.0.1, 2:1:1:1:1:1)"
              " -> Discard; q[1] -> ARPPrint(a, ETHER true)"
              " -> ARPResponder(1.0.0.5 2:0:0:0:0:5) -> ARPPrint(b, TIMESTAMP false) -> Discard;"
              " Idle -> [1] q;")
    assert eng.log().splitlines() == [
        "a: 0.250000: 02-01-01-01-01-01 > FF-FF-FF-FF-FF-FF: arp who-has 1.0.0.5 tell 1.0.0.1",
        "b: arp reply 1.0.0.5 is-at 02-00-00-00-00-05"]


@pytest.mark.parametrize("per_packet", [False, True])
def test_time_sorted_sched_merges_pulled_dumps(files, per_packet):
    a, out = files("!data ts\n0.1\n0.5\n0.9\n")
    b, _ = files("!data ts\n0.2\n0.3\n1.5\n")
    eng = Engine(f"a :: FromIPSummaryDump({a}); b :: FromIPSummaryDump({b});"
                 f" a -> t :: TimeSortedSched(STOP true) -> ToIPSummaryDump({out}, FIELDS ts);"
                 " b -> [1] t;", per_packet=per_packet)
    eng.run_inline()
    assert out.read_text().split()[4:] == ["0.100000", "0.200000", "0.300000", "0.500000",
                                           "0.900000", "1.500000"]
    assert eng["t"].read("well_ordered") == "true"


@pytest.mark.parametrize("per_packet", [False, True])
def test_timing_survives_a_run_in_steps(files, per_packet):
    """TIMING in simulated time, run in short steps as `pktlab click` runs it
    (each step a start and a stop of the engine): the packet that waits for
    its time keeps its timer across steps, so all 40 one-second gaps are
    waited out (it used to stop after about 32 packets, the timer lost at a
    step's end)."""
    lines = "".join(f"{i}.5 10.0.0.1 10.0.0.{i}\n" for i in range(1, 41))
    src, out = files("!data timestamp src dst\n" + lines)
    eng = Engine(f"FromIPSummaryDump({src}, STOP true, TIMING true) -> c :: Counter"
                 f" -> ToIPSummaryDump({out}, FIELDS timestamp ip_dst)",
                 simtime=True, per_packet=per_packet)
    for _ in range(400):
        eng.run_inline(64)
        if eng.done:
            break
    assert eng.done and eng["c"].read("count") == "40"
    got = [line for line in out.read_text().splitlines() if not line.startswith("!")]
    assert got == [f"{i}.500000 10.0.0.{i}" for i in range(1, 41)]
