"""AggregateCounter (and AggregateIPFlows): Click's keywords, handlers, files and errors.
Expected files follow Click's elements/analysis/aggcounter.cc."""

import struct
import uuid

import pytest

from pktlab import Engine, EngineError


@pytest.fixture
def dump(tmp_path):
    def make(text):
        f = tmp_path / f"in-{uuid.uuid4().hex}.txt"
        f.write_text(text)
        return f
    return make


def counted(tmp_path, eng, handler="write_text_file"):
    out = tmp_path / f"out-{uuid.uuid4().hex}"
    eng["a"].write(handler, str(out))
    return out


AGGS = "!data aggregate ip_len\n1 100\n1 60\n0 40\n7 20\n1 20\n"


def test_packets_bytes_and_the_text_files(dump, tmp_path):
    src = dump(AGGS)
    eng = Engine(f"FromIPSummaryDump({src}, STOP true, ZERO true) -> a :: AggregateCounter"
                 " -> Discard")
    eng.run_inline()
    assert counted(tmp_path, eng).read_text() == \
        "!IPAggregate 1.0\n!num_nonzero 3\n0 1\n1 3\n7 1\n"
    assert eng["a"].read("nagg") == "3" and eng["a"].read("count") == "5"
    assert counted(tmp_path, eng, "write_ip_file").read_text().splitlines()[2:] == \
        ["!ip", "0.0.0.0 1", "0.0.0.1 3", "0.0.0.7 1"]
    assert counted(tmp_path, eng, "write_pdf_file").read_text().splitlines()[2:] == \
        ["0 0.2", "1 0.6", "7 0.2"]
    raw = counted(tmp_path, eng, "write_file").read_bytes()
    head, body = raw.split(b"!packed_le\n")
    assert head == b"!IPAggregate 1.0\n!num_nonzero 3\n"
    assert struct.unpack("<6I", body) == (0, 1, 1, 3, 7, 1)
    eng["a"].write("counts_pdf", "")       # counts 1, 3, 1 -> aggregate 1 twice, 3 once
    assert counted(tmp_path, eng).read_text().splitlines()[2:] == ["1 2", "3 1"]
    eng["a"].write("clear", "")
    assert eng["a"].read("nagg") == "0"

    eng = Engine(f"FromIPSummaryDump({src}, STOP true, ZERO true) -> "
                 "a :: AggregateCounter(BYTES true, BANNER '!x') -> Discard")
    eng.run_inline()
    assert counted(tmp_path, eng).read_text() == \
        "!IPAggregate 1.0\n!x\n!num_nonzero 3\n0 40\n1 180\n7 20\n"


def test_frozen_counts_only_known_aggregates_and_sends_the_rest_to_output_1(dump):
    src = dump(AGGS)
    eng = Engine(f"FromIPSummaryDump({src}, STOP true, ZERO true) -> "
                 "a :: AggregateCounter(AGGREGATE_FREEZE 1) -> yes :: Counter -> Discard; "
                 "a[1] -> no :: Counter -> Discard")
    eng.run_inline()
    assert eng["yes"].read("count") == "3" and eng["no"].read("count") == "2"
    assert eng["a"].read("freeze") == "true" and eng["a"].read("nagg") == "1"
    assert eng["a"].counters()["uncounted"] == 2


@pytest.mark.parametrize("config, message", [
    ("AGGREGATE_STOP 2, AGGREGATE_FREEZE 1", "mutually exclusive"),
    ("COUNT_CALL 5", "N HANDLER"),
    ("COUNT_STOP -1", "unsigned"),
])
def test_bad_keywords(config, message):
    with pytest.raises(EngineError, match=message):
        Engine(f"Idle -> a :: AggregateCounter({config}) -> Discard")


def test_bad_handler_values(dump, tmp_path):
    eng = Engine(f"FromIPSummaryDump({dump(AGGS)}, STOP true) -> a :: AggregateCounter"
                 " -> Discard")
    with pytest.raises(EngineError, match="expected true or false"):
        eng["a"].write("freeze", "maybe")
    with pytest.raises(EngineError, match="No such file"):
        eng["a"].write("write_text_file", str(tmp_path / "no" / "such" / "dir"))


def test_flows_get_numbers_and_directions_and_non_flows_leave_on_output_1(dump, tmp_path):
    src = dump("!data src sport dst dport proto\n1.0.0.1 5 2.0.0.2 6 U\n2.0.0.2 6 1.0.0.1 5 U\n"
               "1.0.0.1 5 2.0.0.2 7 T\n1.0.0.1 - 2.0.0.2 - I\n")
    out = tmp_path / f"out-{uuid.uuid4().hex}"
    eng = Engine(f"FromIPSummaryDump({src}, STOP true) -> SetTimestamp -> a :: AggregateIPFlows"
                 f" -> ToIPSummaryDump({out}, FIELDS aggregate link); a[1] -> no :: Counter"
                 " -> Discard")
    eng.run_inline()
    assert out.read_text().splitlines()[2:] == ["1 0", "1 1", "2 0"]
    assert eng["no"].read("count") == "1"
