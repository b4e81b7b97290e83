"""Fill a trace's expected outputs from vanilla Click (the oracle).

    python tests/trace/click_oracle.py --click /tmp/click/userlevel/click tests/trace/ip/x.toml ...

A trace whose `oracle = true` is written as Click text with FromMemory
sources and ToMemory sinks. This script evaluates its inputs (the same
scapy expressions the runner reads), writes each source's packets to a pcap,
runs Click on the same text with every `FromMemory` replaced by
`FromDump(FILE, STOP true)` and every `ToMemory` by `ToDump(FILE)`, reads
what each ToDump wrote, and rewrites the trace's [output] section as exact
bytes (`hexpkt(...)`), and the description's last line as the Click command
that produced them. The tests never run Click: they compare with what this
wrote (CI has no Click). Build Click (kohler/click, commit 9197a594) with
`./configure --disable-linuxmodule --enable-etherswitch && make`.

The pcaps are written with link type Ethernet whatever they hold, so that
Click's FromDump sets no header annotation and passes malformed packets on,
as FromMemory does; the configurations mark the IP header themselves
(MarkIPHeader, CheckIPHeader), as they must in both engines.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

ORIGIN = "Expected: vanilla Click 9197a594, "


def _click_text(config: str, tmp: Path) -> tuple[str, list[str], list[str]]:
    """Click's version of the configuration, the sources and the sinks."""
    srcs: list[str] = []
    sinks: list[str] = []

    def repl(m):
        name, cls = m.group(1), m.group(2)
        if cls == "FromMemory":
            srcs.append(name)
            return f"{name} :: FromDump({tmp / (name + '.in.pcap')}, STOP true)"
        sinks.append(name)
        return f"{name} :: ToDump({tmp / (name + '.out.pcap')})"

    text = re.sub(r"(\w+)\s*::\s*(FromMemory|ToMemory)(\([^)]*\))?", repl, config)
    return text, srcs, sinks


def _write_pcap(path: Path, frames: list[bytes]) -> None:
    import struct

    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, b in enumerate(frames):
            f.write(struct.pack("<IIII", 1000 + i, 0, len(b), len(b)))
            f.write(b)


def _read_pcap(path: Path) -> list[bytes]:
    from pktlab.traffic.packets import read_pcap

    return read_pcap(path) if path.exists() and path.stat().st_size > 24 else []


def _hex(b: bytes) -> str:
    h = b.hex()
    return "hexpkt('" + " ".join(h[i:i + 8] for i in range(0, len(h), 8)) + "')"


def _toml_str(s: str) -> str:
    if "\n" in s:
        return '"""\n' + s.replace("\\", "\\\\").replace('"""', '\\"""') + '"""'
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, str):
        return _toml_str(v)
    if isinstance(v, list):
        if not v:
            return "[]"
        return "[\n" + "".join(f"    {_toml_value(x)},\n" for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(type(v))


def dump(data: dict) -> str:
    """The trace as TOML, keys in the order docs/traces.md gives them."""
    out = []
    order = ["description", "oracle", "config", "outputs", "layer", "modes", "verify_checksums",
             "batched_order", "defines", "skip", "input"]
    for k in order:
        if k in data and not isinstance(data[k], dict):
            out.append(f"{k} = {_toml_value(data[k])}")
    for k in ("input", "output", "counters", "handlers"):
        if isinstance(data.get(k), dict):
            out.append(f"\n[{k}]")
            for kk, vv in data[k].items():
                key = kk if re.fullmatch(r"\w+", kk) else _toml_str(kk)
                out.append(f"{key} = {_toml_value(vv)}")
    for el, hs in data.get("write", {}).items():
        out.append(f"\n[write.{el}]")
        for kk, vv in hs.items():
            out.append(f"{kk} = {_toml_value(vv)}")
    return "\n".join(out) + "\n"


def run(trace_path: Path, click: str) -> None:
    from pktlab.traffic.packets import to_bytes
    from pktlab.traffic.tracetest import load

    trace = load(trace_path)
    data = dict(trace.data)
    inputs = trace.inputs()
    with tempfile.TemporaryDirectory(prefix="elements-oracle-") as td:
        tmp = Path(td)
        text, srcs, sinks = _click_text(data["config"], tmp)
        if not isinstance(inputs, dict):
            inputs = {srcs[0]: inputs}
        for name in srcs:
            _write_pcap(tmp / f"{name}.in.pcap", [to_bytes(p) for p in inputs.get(name, [])])
        r = subprocess.run([click, "-e", text], capture_output=True, text=True, timeout=60)
        if r.returncode:
            raise SystemExit(f"{trace_path}: click failed (status {r.returncode}):\n{r.stderr}")
        outputs = {name: [_hex(b) for b in _read_pcap(tmp / f"{name}.out.pcap")]
                   for name in sinks}
    shown = re.sub(r"FromDump\([^,]*/(\w+)\.in\.pcap, STOP true\)", r"FromDump(\1.pcap, STOP true)",
                   text)
    shown = re.sub(r"ToDump\([^)]*/(\w+)\.out\.pcap\)", r"ToDump(\1.pcap)", shown)
    shown = " ".join(shown.split())
    desc = data.get("description", "").split("\n" + ORIGIN)[0].rstrip()
    data["description"] = f"{desc}\n{ORIGIN}click -e '{shown}'"
    data["output"] = {k: v for k, v in outputs.items() if v}
    trace_path.write_text(dump(data))
    print(f"{trace_path}: " + ", ".join(f"{k}: {len(v)}" for k, v in outputs.items()))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--click", default="click")
    ap.add_argument("traces", nargs="+", type=Path)
    a = ap.parse_args(argv)
    for t in a.traces:
        run(t, a.click)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
