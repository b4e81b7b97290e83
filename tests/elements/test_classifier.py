"""Classifier: Click's pattern syntax, compiled once; checked against a
reference written from the manual."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pktlab import EngineError


# ---- reference semantics --------------------------------------------------

def ref_clause(tok):
    """(negated, [(offset, value, mask)] for the bytes the mask looks at)."""
    neg = tok.startswith("!")
    off, _, rest = tok.lstrip("!").partition("/")
    val, _, msk = rest.partition("%")
    checks = []
    for i in range(len(val) // 2):
        v, m = 0, 0
        for k, ch in enumerate(val[2 * i:2 * i + 2]):
            nib_m = 0 if ch == "?" else 15
            if msk:
                nib_m &= int(msk[2 * i + k], 16)
            nib_v = 0 if ch == "?" else int(ch, 16)
            v, m = v << 4 | (nib_v & nib_m), m << 4 | nib_m
        if m:
            checks.append((int(off) + i, v, m))
    return neg, checks


def ref_classify(pkt, patterns):
    for i, pat in enumerate(patterns):
        ok = True
        for tok in pat.split():
            if tok == "-":
                continue
            neg, checks = ref_clause(tok)
            if not checks:
                ok = not neg
            elif any(o >= len(pkt) for o, _, _ in checks):
                ok = False                      # too short: fails, negated or not
            else:
                ok = all(pkt[o] & m == v for o, v, m in checks) != neg
            if not ok:
                break
        if ok:
            return i
    return None


def classify(kit, patterns, pkts, burst=32, connect=None):
    n = len(patterns) if connect is None else connect
    outs = "".join(f"c[{i}] -> o{i} :: ToMemory(100000);" for i in range(n))
    eng = kit.run(f"src :: FromMemory(BURST {burst}, STOP true) ->"
                  f" c :: Classifier({', '.join(patterns)}); {outs}", pkts)
    return eng, [kit.drain(eng, f"o{i}") for i in range(n)]


def expected(pkts, patterns, n):
    got = [[] for _ in range(n)]
    for p in pkts:
        k = ref_classify(p, patterns)
        if k is not None and k < n:
            got[k].append(p)
    return got


# ---- behaviour --------------------------------------------------------------

ARP = "12/0806 20/0001"
IP = "12/0800"


@pytest.mark.parametrize("burst", [1, 32])
def test_arp_ip_other(kit, burst):
    arp_req = kit.ether(etype=0x0806, payload=bytes(6) + b"\x00\x01" + bytes(20))
    arp_rep = kit.ether(etype=0x0806, payload=bytes(6) + b"\x00\x02" + bytes(20))
    ip = kit.ether(payload=kit.ipv4(payload=bytes(8)))
    v6 = kit.ether(etype=0x86DD, payload=bytes(40))
    pkts = [arp_req, ip, arp_rep, v6, ip, arp_req] * 10
    eng, outs = classify(kit, [ARP, IP, "-"], pkts, burst)
    assert outs == [[arp_req, arp_req] * 10, [ip, ip] * 10, [arp_rep, v6] * 10]
    assert eng["c"].counters() == {"no_match": 0, "unconnected": 0}
    assert eng["c"].read("ocounts") == "20,20,20"
    assert kit.conserved(eng, 60)


def test_sub_batches_per_output(kit):
    a, b = kit.ether(etype=0x0800), kit.ether(etype=0x0806)
    eng, outs = classify(kit, [IP, "-"], [a, b] * 16, burst=32)
    # One batch of 32 in, one sub-batch of 16 out of each port.
    assert eng.stats().input_hist("o0")[16] == 1 and eng.stats().input_hist("o1")[16] == 1


def test_no_match_dropped_and_counted(kit):
    pkts = [kit.ether(etype=t) for t in (0x0800, 0x0806, 0x86DD, 0x0800)]
    eng, outs = classify(kit, [IP], pkts)
    assert outs == [[pkts[0], pkts[3]]]
    assert eng["c"].counters() == {"no_match": 2, "unconnected": 0}
    assert kit.conserved(eng, 4)


def test_unconnected_output_drops(kit):
    pkts = [kit.ether(etype=t) for t in (0x0800, 0x0806, 0x86DD)]
    eng, outs = classify(kit, [IP, "12/0806", "-"], pkts, connect=1)
    assert outs == [[pkts[0]]]
    assert eng["c"].counters() == {"no_match": 0, "unconnected": 2}
    assert kit.conserved(eng, 3)


def test_masks_wildcards_negation(kit):
    pats = ["0/f0%f0", "0/?1", "!0/02", "-"]
    pkts = [b"\xf3", b"\x31", b"\x05", b"\x02", b""]
    eng, outs = classify(kit, pats, pkts)
    # b"" is too short for every clause, "!0/02" included: only '-' matches it.
    assert outs == [[b"\xf3"], [b"\x31"], [b"\x05"], [b"\x02", b""]]


def test_multi_clause_and_long_values(kit):
    dst = "ffffffffffff"
    pats = [f"0/{dst} 12/0806", f"0/{dst}0000000000011234", f"!0/{dst}0000000000011234 12/0800"]
    bcast_arp = bytes.fromhex(dst) + bytes(6) + b"\x08\x06"
    long_hit = bytes.fromhex(dst + "0000000000011234")
    other_ip = bytes(12) + b"\x08\x00"
    long_miss_ip = bytes.fromhex(dst + "0000000000011200")
    eng, outs = classify(kit, pats, [bcast_arp, long_hit, other_ip, long_miss_ip])
    assert outs == [[bcast_arp], [long_hit], [other_ip]]
    assert eng["c"].counters()["no_match"] == 1


def test_clause_ending_at_packet_end(kit):
    # The last byte a clause needs is the packet's last byte (partial load).
    pkts = [bytes(59) + b"\xff", bytes(59), bytes(60)]
    eng, outs = classify(kit, ["58/??ff", "58/0000", "-"], pkts)
    assert outs == [[pkts[0]], [pkts[2]], [pkts[1]]]


def test_zero_patterns(kit):
    eng = kit.run("src :: FromMemory(STOP true) -> c :: Classifier;", [b"a", b"b"])
    assert eng["c"].counters() == {"no_match": 2, "unconnected": 0}
    assert eng.pools()["in_use"] == 0


def test_program_handler_skips_known_failures(kit):
    eng = kit.make_engine("FromMemory -> c :: Classifier(12/0800 23/06, 12/0800 23/11, 12/0806, -);"
                          "c[0] -> Discard; c[1] -> Discard; c[2] -> Discard; c[3] -> Discard;")
    prog = eng["c"].read("program").splitlines()
    assert prog[-1] == "start: step 0"
    # Step 0 (12/0800) failing skips pattern 1, which tests 12/0800 as well.
    assert prog[0].startswith("  0  12/08000000") and "no->step 4" in prog[0]
    assert "yes->[0]" in prog[1] and "no->step 2" in prog[1]
    assert len(prog) == 6


@pytest.mark.parametrize("pattern,why", [
    ("12/080", "even number of hex digits"),
    ("12/08zz", "hex digits or '?'"),
    ("12", "expected OFFSET/VALUE"),
    ("x/08", "expected OFFSET/VALUE"),
    ("12/0800%ff", "as many hex digits as VALUE"),
    ("12/0800%ffgg", "MASK must be hex digits"),
    ("", "empty pattern"),
    ("12/" + "00" * 129, "longer than 128 bytes"),
])
def test_bad_patterns_name_element_and_pattern(kit, pattern, why):
    with pytest.raises(EngineError) as ei:
        kit.make_engine(f"FromMemory -> c :: Classifier(-, {pattern}) -> Discard;")
    e = ei.value
    assert e.element == "c" and e.keyword == "PATTERN" and why in str(e)
    assert "pattern 1 '" in str(e)


def test_more_outputs_than_patterns(kit):
    with pytest.raises(EngineError, match="2 outputs connected, but 1 pattern") as ei:
        kit.make_engine("FromMemory -> c :: Classifier(-); c[0] -> Discard; c[1] -> Discard;")
    assert ei.value.element == "c"


# ---- property: the compiled program agrees with the reference ----------------

BYTES = [0x00, 0x08, 0x06, 0xFF, 0x45, 0x11]


@st.composite
def clauses(draw):
    n = draw(st.integers(1, 11))
    val = "".join(draw(st.sampled_from([f"{b:02x}" for b in BYTES] + ["??", "0?", "?8"]))
                  for _ in range(n))
    tok = f"{draw(st.integers(0, 24))}/{val}"
    if draw(st.booleans()):
        tok += "%" + "".join(draw(st.sampled_from(["ff", "0f", "f0", "00", "ff", "ff"]))
                             for _ in range(n))
    return ("!" if draw(st.integers(0, 3)) == 0 else "") + tok


patterns_st = st.lists(
    st.one_of(st.just("-"), st.lists(clauses(), min_size=1, max_size=3).map(" ".join)),
    min_size=1, max_size=5)
raw_st = st.binary(min_size=0, max_size=40).map(lambda b: bytes(BYTES[x % len(BYTES)] for x in b))


def imprint(pkt, pattern):
    """pkt with the literal bytes of pattern's plain clauses written in: a
    packet that matches it, or nearly (so that most branches are taken)."""
    p = bytearray(pkt)
    for tok in pattern.split():
        if tok == "-" or tok.startswith("!"):
            continue
        off, _, rest = tok.partition("/")
        val = rest.partition("%")[0]
        for i in range(len(val) // 2):
            o, byte = int(off) + i, val[2 * i:2 * i + 2]
            if o < len(p) and "?" not in byte:
                p[o] = int(byte, 16)
    return bytes(p)


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(patterns=patterns_st, data=st.data(), burst=st.sampled_from([1, 3, 32]))
def test_matches_reference(kit, patterns, data, burst):
    pkts = [data.draw(raw_st) for _ in range(data.draw(st.integers(1, 40)))]
    pkts = [imprint(p, data.draw(st.sampled_from(patterns))) if data.draw(st.booleans()) else p
            for p in pkts]
    eng, outs = classify(kit, patterns, pkts, burst)
    assert outs == expected(pkts, patterns, len(patterns))
    nomatch = sum(ref_classify(p, patterns) is None for p in pkts)
    assert eng["c"].counters()["no_match"] == nomatch
    assert kit.conserved(eng, len(pkts))
