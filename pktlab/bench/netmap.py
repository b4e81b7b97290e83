"""`pktlab bench netmap`: the netmap rows of the I/O benchmark.

Forwarding between two netmap pipes, the paper's §4 setting on netmap:
netmap's own `bridge` (the reference, measured in the same run), the engine
with zero copy (buffers swapped between the RX and TX rings) and the engine
in COPY mode (the paper's Fig. 9 baseline), all driven by the same probe
(tests/netmap/nmprobe.c: one netmap port sending, one receiving), 60-byte
frames. The figures that carry the claims are ratios of one run: the engine
against `bridge`, and zero copy against COPY.

Where /dev/netmap exists the rows are measured here. Otherwise, in a pktlab
checkout with the netmap source (../shared/third_party), the benchmark boots
`make test-netmap`'s QEMU guest and measures them there; under TCG (software
emulation) the result says `emulated` and only its ratios mean anything.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / "build" / "netmap" / "bin"
GUEST = ROOT / "tests" / "netmap" / "guest.sh"
MARK = "PKTLAB-BENCH-NETMAP "


class NetmapBenchError(RuntimeError):
    pass


def _probe(*args) -> subprocess.Popen:
    exe = BIN / "nmprobe"
    if not exe.exists():
        raise NetmapBenchError(f"{exe} is missing: `make test-netmap` builds it")
    return subprocess.Popen([str(exe), *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _result(p: subprocess.Popen, timeout: float) -> dict:
    out, err = p.communicate(timeout=timeout)
    if p.returncode:
        raise NetmapBenchError(f"{' '.join(p.args)}: exit {p.returncode}: {err.strip()}")
    return json.loads(out.strip().splitlines()[-1])


def _through(t: str, n: int) -> float:
    """Packets per second from the probe sending on p{1 to the one receiving on p{2."""
    rx = _probe("rx", f"vale{t}:p{{2", n, 3000)
    time.sleep(0.5)                       # registered before anything is sent
    t0 = time.monotonic()
    tx = _probe("tx", f"vale{t}:p{{1", n, 60)
    got = _result(rx, 600)["received"]
    dt = time.monotonic() - t0
    _result(tx, 60)
    return got / dt


def _engine(n: int, copy: bool) -> dict:
    from pktlab.engine import Engine

    t = uuid.uuid4().hex[:6]
    eng = Engine(f"fd :: FromNetmapDevice(vale{t}:p}}1, BURST 32, COPY {str(copy).lower()})"
                        f" -> td :: ToNetmapDevice(vale{t}:p}}2, BURST 32, BLOCKING true);")
    eng.start()
    try:
        pps = _through(t, n)
    finally:
        eng.stop()
    fd, td = eng["fd"], eng["td"]
    row = {"pps": pps, "received": fd.count, "sent": td.count, "copies": fd.copies + td.copies}
    eng.close()
    return row


def _bridge(n: int) -> dict:
    exe = BIN / "bridge"
    if not exe.exists():
        raise NetmapBenchError(f"{exe} is missing: `make netmap` builds it")
    t = uuid.uuid4().hex[:6]
    b = subprocess.Popen([str(exe), "-i", f"vale{t}:p}}1", "-i", f"vale{t}:p}}2", "-w", "1"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(2)                         # bridge waits -w 1 s for the link
    try:
        return {"pps": _through(t, n)}
    finally:
        b.terminate()
        b.wait()


def measure(packets: int = 200_000, repeat: int = 1) -> dict:
    """The rows, measured on this host (needs /dev/netmap). Medians of `repeat`."""
    from pktlab.engine import netmap

    if not netmap.available():
        raise NetmapBenchError("pktlab was built without netmap (make native builds it from "
                               "the netmap source; docs/io.md)")
    if not netmap.loaded():
        raise NetmapBenchError("/dev/netmap does not exist: the netmap module is not loaded")

    def med(rows: list[dict]) -> dict:
        rows = sorted(rows, key=lambda r: r["pps"])
        return rows[len(rows) // 2]

    bridge = med([_bridge(packets) for _ in range(repeat)])
    zc = med([_engine(packets, False) for _ in range(repeat)])
    cp = med([_engine(packets, True) for _ in range(repeat)])
    return {"benchmark": "netmap", "frame": 60, "packets": packets, "repeat": repeat,
            "emulated": netmap.emulated(), "where": "guest" if netmap.emulated() else "host",
            "bridge": bridge, "zero_copy": zc, "copy": cp,
            "ratio_engine_bridge": zc["pps"] / bridge["pps"],
            "ratio_zero_copy_copy": zc["pps"] / cp["pps"]}


def in_guest(packets: int, repeat: int, timeout: int = 600) -> dict:
    """The rows measured in make test-netmap's QEMU guest (booted for it)."""
    if not GUEST.exists():
        raise NetmapBenchError("no /dev/netmap here and no test guest: `pktlab bench netmap` "
                               "boots tests/netmap/guest.sh, which only a pktlab checkout has")
    cmd = f".venv/bin/python -m pktlab.bench.netmap --here {packets} {repeat}"
    env = dict(os.environ, GUEST_CMD=cmd, GUEST_TIMEOUT=str(timeout))
    p = subprocess.run(["bash", str(GUEST)], cwd=ROOT, env=env, capture_output=True, text=True,
                       timeout=timeout + 600)
    for line in p.stdout.splitlines():
        if line.startswith(MARK):
            return json.loads(line[len(MARK):])
    tail = "\n".join((p.stdout + p.stderr).strip().splitlines()[-15:])
    raise NetmapBenchError(f"the guest gave no result (exit {p.returncode}):\n{tail}")


def bench_netmap(duration: float = 1.0, repeat: int = 3) -> dict:
    """`pktlab bench netmap`: here where /dev/netmap exists, else in the guest.
    duration scales the packets per measurement (200,000 per second asked)."""
    from pktlab.engine import netmap

    packets = max(20_000, int(200_000 * duration))
    if netmap.available() and netmap.loaded():
        return measure(packets, repeat)
    return in_guest(packets, repeat)


def format_netmap(r: dict) -> str:
    kind = "emulated (TCG: only the ratios mean anything)" if r["emulated"] else "native"
    lines = [f"netmap: pipe -> engine -> pipe, {r['frame']}-byte frames, {r['packets']} per run, "
             f"medians of {r['repeat']}, {kind}", "",
             "                           kpps   copies"]
    for name, key in (("netmap bridge", "bridge"), ("engine, zero copy", "zero_copy"),
                      ("engine, COPY", "copy")):
        row = r[key]
        lines.append(f"  {name:<22} {row['pps'] / 1e3:8.1f}   {row.get('copies', '-')}")
    lines += ["", f"  engine / bridge (zero copy)   {r['ratio_engine_bridge']:.2f}",
              f"  zero copy / COPY              {r['ratio_zero_copy_copy']:.2f}"]
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--here":
        print(MARK + json.dumps(measure(int(sys.argv[2]), int(sys.argv[3]))), flush=True)
    else:
        print(format_netmap(bench_netmap()))
