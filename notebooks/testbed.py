"""The two-box test bed of notebooks/03-remote-engines.ipynb, on one machine.

    bed = Testbed.create()          # root: two network namespaces, a veth between them,
                                    # `pktlab serve` in each (a generator, a DUT)
    bed.gen_socket, bed.dut_socket  # UNIX sockets the notebook connects to (any user)
    bed.close()                     # stops both servers, deletes the namespaces

Each namespace stands for one box: the generator's engine sends on its end
of the veth, the device under test receives on the other. The servers listen
on UNIX sockets (they cross namespaces, being files) opened to everybody
(mode 0666 in a directory of the bed's own), so the notebook that drives them
may run as any user while the engines run as root. The generator's traffic
is pcap files replayed at their timestamps (FromDump TIMING: one file per
rate, made here once); a remote hotconfig may name them because the
generator is served with `--allow-file` for each.

`Testbed.load(path)` reads a bed someone else made (the tests make one
and run the notebook as the user `nobody`: PKTLAB_TESTBED names its
testbed.json).
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass, field

RATES = (10_000, 20_000, 40_000, 80_000, 160_000)   # packets/s offered, one trace each
SECONDS = 1.0                                         # of traffic per trace
FRAME = bytes.fromhex(                                # 60 bytes: Ethernet, IPv4, UDP
    "020000000002" "020000000001" "0800"
    "4500002e00010000401166bc0a0000010a000002"
    "03e807d0001aa3c3" + "78" * 18)


def _run(*cmd: str, check: bool = True) -> None:
    subprocess.run(cmd, check=check, capture_output=True, text=True)


def write_trace(path: str, rate: int, seconds: float = SECONDS) -> None:
    """A pcap of rate * seconds copies of FRAME, 1/rate seconds apart."""
    rec = struct.pack("<II", len(FRAME), len(FRAME)) + FRAME
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i in range(int(rate * seconds)):
            t = i * 1_000_000 // rate
            f.write(struct.pack("<II", t // 1_000_000, t % 1_000_000) + rec)


@dataclass
class Testbed:
    dir: str
    gen_ns: str
    dut_ns: str
    gen_if: str
    dut_if: str
    gen_socket: str
    dut_socket: str
    traces: dict[int, str]
    pids: list[int] = field(default_factory=list)
    owner: bool = False

    @property
    def gen_config(self) -> str:
        return (f"src :: FromDump({self.traces[RATES[0]]}, TIMING true, ACTIVE false)"
                f" -> c :: Counter -> out :: ToDevice({self.gen_if});")

    def dut_config(self, method: str = "LINUX") -> str:
        return f"in :: FromDevice({self.dut_if}, METHOD {method}) -> c :: Counter -> Discard;"

    @classmethod
    def create(cls, python: str = sys.executable) -> Testbed:
        if os.geteuid() != 0:
            raise PermissionError("the test bed creates network namespaces: run as root, or "
                                  "set PKTLAB_TESTBED to a testbed.json someone made")
        tag = uuid.uuid4().hex[:6]
        d = tempfile.mkdtemp(prefix=f"pktlab-bed-{tag}-")
        os.chmod(d, 0o755)
        bed = cls(d, f"plgen{tag}", f"pldut{tag}", f"plg{tag}", f"pld{tag}",
                  os.path.join(d, "gen.sock"), os.path.join(d, "dut.sock"),
                  {r: os.path.join(d, f"trace-{r}.pcap") for r in RATES}, owner=True)
        try:
            bed._namespaces()
            for r, path in bed.traces.items():
                write_trace(path, r)
            with open(os.path.join(d, "gen.click"), "w") as f:
                f.write(bed.gen_config + "\n")
            with open(os.path.join(d, "dut.click"), "w") as f:
                f.write(bed.dut_config() + "\n")
            allow = [a for p in bed.traces.values() for a in ("--allow-file", p)]
            bed._serve(python, bed.gen_ns, "gen.click", bed.gen_socket, "--stopped", *allow)
            bed._serve(python, bed.dut_ns, "dut.click", bed.dut_socket)
            with open(os.path.join(d, "testbed.json"), "w") as f:
                json.dump({**asdict(bed), "owner": False}, f)
            atexit.register(bed.close)          # a kernel that dies leaves nothing behind
        except BaseException:
            bed.close()
            raise
        return bed

    @classmethod
    def load(cls, path: str) -> Testbed:
        with open(path) as f:
            data = json.load(f)
        data["traces"] = {int(k): v for k, v in data["traces"].items()}
        return cls(**data)

    def _namespaces(self) -> None:
        _run("ip", "netns", "add", self.gen_ns)
        _run("ip", "netns", "add", self.dut_ns)
        _run("ip", "link", "add", self.gen_if, "type", "veth", "peer", "name", self.dut_if)
        for ns, dev in ((self.gen_ns, self.gen_if), (self.dut_ns, self.dut_if)):
            _run("ip", "link", "set", dev, "netns", ns)
            _run("ip", "netns", "exec", ns, "sysctl", "-qw",
                 f"net.ipv6.conf.{dev}.disable_ipv6=1", check=False)
            _run("ip", "netns", "exec", ns, "ip", "link", "set", dev, "up")

    def _serve(self, python: str, ns: str, config: str, sock: str, *options: str) -> None:
        log = open(os.path.join(self.dir, config + ".log"), "w")
        p = subprocess.Popen(["ip", "netns", "exec", ns, python, "-m", "pktlab", "serve",
                              config, "-u", sock, "--socket-mode", "0666", *options],
                             cwd=self.dir, stdout=log, stderr=subprocess.STDOUT)
        self.pids.append(p.pid)
        deadline = time.monotonic() + 60
        while not os.path.exists(sock):
            if p.poll() is not None or time.monotonic() > deadline:
                log.close()
                with open(log.name) as f:
                    raise RuntimeError(f"pktlab serve {config} did not start: {f.read()}")
            time.sleep(0.05)

    def close(self) -> None:
        """Stop the servers and delete the namespaces (if this bed made them)."""
        if not self.owner:
            return
        for pid in self.pids:
            try:
                os.kill(pid, 15)
            except ProcessLookupError:
                pass
        for pid in self.pids:
            for _ in range(100):
                try:
                    if os.waitpid(pid, os.WNOHANG)[0]:
                        break
                except ChildProcessError:
                    break
                time.sleep(0.05)
        self.pids = []
        _run("ip", "netns", "del", self.gen_ns, check=False)
        _run("ip", "netns", "del", self.dut_ns, check=False)
        shutil.rmtree(self.dir, ignore_errors=True)
        self.owner = False


def testbed() -> Testbed:
    """The bed PKTLAB_TESTBED names, or a new one (root)."""
    path = os.environ.get("PKTLAB_TESTBED")
    return Testbed.load(path) if path else Testbed.create()
