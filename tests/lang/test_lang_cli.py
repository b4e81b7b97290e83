"""`pktlab flatten` (flatten_main) and the benchmark helper."""

import io
import sys

from pktlab.lang import parse
from pktlab.lang.bench import bench_parse, make_config
from pktlab.lang.flatten import flatten_main


def run(argv, capsys, stdin=None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = flatten_main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_flatten_prints_the_flat_configuration(tmp_path, capsys):
    f = tmp_path / "a.click"
    f.write_text("define($N 5)\nelementclass T { input -> Paint($N) -> output }\n"
                 "s :: S; s -> t :: T -> Discard;\n")
    code, out, err = run([str(f)], capsys)
    assert code == 0 and err == ""
    assert out == ("s :: S;\nDiscard@3 :: Discard;\nt/Paint@1 :: Paint(5);\n\n"
                   "s -> t/Paint@1\n    -> Discard@3;\n")
    code, out, _ = run([str(f), "N=7"], capsys)
    assert code == 0 and "t/Paint@1 :: Paint(7);" in out


def test_flatten_reports_errors_with_location(tmp_path, capsys):
    f = tmp_path / "bad.click"
    f.write_text("c :: Counter;\ncnt -> Discard;\n")
    code, out, err = run([str(f)], capsys)
    assert code == 1 and out == ""
    assert err == (f"{f}:2:1: undeclared element 'cnt'; did you mean 'c'?\n"
                   "    cnt -> Discard;\n    ^\n")


def test_flatten_usage_and_io_errors(tmp_path, capsys, monkeypatch):
    assert run([], capsys)[0] == 2
    assert run(["--help"], capsys)[0] == 0
    code, _, err = run([str(tmp_path / "missing.click")], capsys)
    assert code == 1 and "missing.click" in err
    code, _, err = run([str(tmp_path), "oops"], capsys)
    assert code == 2 and "NAME=VALUE" in err
    code, out, _ = run(["-"], capsys, stdin="a :: A;", monkeypatch=monkeypatch)
    assert code == 0 and out == "a :: A;\n"


def test_bench_parse_reports_timings():
    r = bench_parse(200)
    assert {"elements", "connections", "parse_s", "expand_s", "total_s", "unparse_s",
            "reparse_flat_s"} <= set(r)
    assert 150 <= r["elements"] <= 200 and all(r[k] >= 0 for k in r)
    assert len(parse(make_config(50)).elements) == 36
