"""`pktlab check`: unsupported classes and arguments, located, without running."""

import json
import subprocess
import sys
from pathlib import Path

from pktlab.cli.check import check_text

ROOT = Path(__file__).resolve().parent.parent

CONFIG = """\
// a router fragment with things pktlab lacks
src :: FromMemory
  -> c :: Counter
  -> CheckIPHeader(OFFSET zz)
  -> NoSuchClass(1)
  -> Discard;
c [1] -> th :: ToHostX;
elementclass Wrap { input -> Strip(LENGTH -3) -> output }
src2 :: FromMemory -> Wrap -> Discard;
"""


def pktlab(*args):
    return subprocess.run([sys.executable, "-m", "pktlab", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_problems_are_located_and_classified():
    probs = check_text(CONFIG, "r.click")
    got = [(str(p.loc), p.kind) for p in probs]
    assert got == [("r.click:4:20", "argument"), ("r.click:5:6", "class"),
                   ("r.click:7:16", "class"), ("r.click:8:36", "argument")], got
    assert "OFFSET" in probs[0].message and "'zz'" in probs[0].message
    assert probs[1].message == "unknown element class 'NoSuchClass'"
    assert probs[2].message == "unknown element class 'ToHostX'; did you mean 'ToHost'?"
    # the error inside the compound names the flat element and its keyword
    assert "Wrap" in probs[3].message and "LENGTH" in probs[3].message


def test_supported_config_has_no_problem():
    text = (ROOT / "examples" / "forward.click").read_text()
    assert check_text(text, "forward.click") == []


def test_cli_exit_status_and_caret(tmp_path):
    bad = tmp_path / "bad.click"
    bad.write_text(CONFIG)
    good = tmp_path / "good.click"
    good.write_text("FromMemory -> Counter -> Discard;\n")
    r = pktlab("check", str(good), str(bad))
    assert r.returncode == 1
    assert f"{good}: ok" in r.stdout
    assert f"{bad}:5:6: unknown element class 'NoSuchClass'" in r.stdout
    assert "      -> NoSuchClass(1)\n         ^" in r.stdout
    assert "classes pktlab lacks: NoSuchClass, ToHostX" in r.stderr
    r = pktlab("check", "--quiet", str(good))
    assert r.returncode == 0 and r.stdout == ""


def test_cli_json_and_unreadable(tmp_path):
    bad = tmp_path / "bad.click"
    bad.write_text("FromMemory -> Strip(LENGTH x) -> Discard;\n")
    r = pktlab("check", "--json", str(bad))
    assert r.returncode == 1
    rep = json.loads(r.stdout)
    assert [(p["loc"], p["kind"]) for p in rep[str(bad)]] == [(f"{bad}:1:21", "argument")]
    r = pktlab("check", str(tmp_path / "missing.click"))
    assert r.returncode == 2 and "missing.click" in r.stderr


def test_syntax_errors_reported_with_the_rest():
    probs = check_text("a :: Counter -> ;\nb :: Bogus;\n", "s.click")
    kinds = [p.kind for p in probs]
    assert "syntax" in kinds and all(p.loc is not None for p in probs)


def test_defines_are_substituted():
    text = "define($N x);\nFromMemory -> Strip($N) -> Discard;\n"
    assert [p.kind for p in check_text(text, "d.click")] == ["argument"]
    assert check_text(text, "d.click", {"N": "14"}) == []


def test_addressinfo_names_are_known_to_the_check():
    text = ("FromMemory -> EtherEncap(0x0800, lan, lan:eth)\n"
            "  -> EtherEncap(0x0800, lan, wan:eth) -> Discard;\n"
            "AddressInfo(lan 10.0.0.1 00:11:22:33:44:55, wan 10.0.0.2);\n")
    probs = check_text(text, "n.click")
    assert [(str(p.loc), p.kind) for p in probs] == [("n.click:2:6", "argument")]
    assert "'wan:eth'" in probs[0].message


def test_check_opens_no_device_and_creates_no_file(tmp_path):
    """The check configures each element in a dry engine: outputs are not
    created, no TUN device, packet socket or netmap port is opened, while the
    arguments are still checked."""
    out, text_out, arp_out = tmp_path / "out.pcap", tmp_path / "ip.txt", tmp_path / "arp.txt"
    text = f"""\
FromMemory -> ToDump({out});
FromMemory -> IPPrint(OUTFILE {text_out}) -> Discard;
FromMemory -> ARPPrint(OUTFILE {arp_out}) -> Discard;
KernelTun(10.213.0.1/24, DEVNAME lo) -> Discard;
FromDevice(pl-no-such-dev0) -> Discard;
FromMemory -> ToDevice(pl-no-such-dev1);
FromMemory -> ToHostSniffers(lo);
"""
    assert check_text(text, "dry.click") == []
    assert not out.exists() and not text_out.exists() and not arp_out.exists()
    # the arguments before the device are still read
    probs = check_text("KernelTun(10.213.0.1/33) -> Discard;\n", "bad.click")
    assert [(str(p.loc), p.kind) for p in probs] == [("bad.click:1:1", "argument")]
