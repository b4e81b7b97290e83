"""`pktlab bench remote`: what serving an engine over ControlSocket costs.

One engine, InfiniteSource(LENGTH 64, BURST 32) -> Counter -> Discard on one
pinned worker, served on 127.0.0.1 from this process (pktlab.serve.Server);
the clients run in processes of their own, as they would on other boxes.

- handler round trip: `READ c.count` and its reply, one after another, from
  one client (median and p99), against the round trip of a bare asyncio TCP
  echo server measured by the same client in the same run;
- telemetry streaming: the engine's packets/s (and per CPU second of its
  worker) with 3 clients connected, their streams at 10 Hz switched off and
  on in alternate windows (3 x repeat pairs of duration/2 s), median of the
  pairs' ratios; the server's own CPU time for the stream, and the clients'
  (they read and decode every frame; on a machine with few cores they
  compete with the worker);
- many clients: 100 connections at once, each calling 20 handlers, all
  answered, and the engine's rate meanwhile against the same reference.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time

from ..engine import Engine
from ..serve import Server
from .telemetry import _cpu_ns

CHAIN = "src :: InfiniteSource(LENGTH 64, BURST 32) -> c :: Counter -> d :: Discard;"

_RTT = r"""
import json, socket, statistics, sys, time
port, echo, n = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])

def rtts(p, msg, done):
    s = socket.create_connection(("127.0.0.1", p))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    buf = s.recv(100) if p == port else b""
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        s.sendall(msg)
        buf = b""
        while not done(buf):
            buf += s.recv(65536)
        out.append(time.perf_counter() - t0)
    s.close()
    return out

def read_done(b):
    i = b.find(b"DATA ")
    if i < 0:
        return False
    j = b.find(b"\r\n", i)
    return j >= 0 and len(b) >= j + 2 + int(b[i + 5:j])

srv = rtts(port, b"READ c.count\r\n", read_done)
ref = rtts(echo, b"READ c.count\r\n", lambda b: len(b) >= 14)
print(json.dumps({"server": srv, "echo": ref}))
"""

_ECHO = r"""
import asyncio, sys
async def main():
    async def handle(r, w):
        while data := await r.read(65536):
            w.write(data)
        w.close()
    srv = await asyncio.start_server(handle, "127.0.0.1", 0)
    print(srv.sockets[0].getsockname()[1], flush=True)
    await srv.serve_forever()
asyncio.run(main())
"""

_STREAMERS = r"""
import sys, threading
from pktlab.engine import wire
from pktlab.engine.csclient import ControlSocketClient
clients = [ControlSocketClient(sys.argv[1]) for _ in range(int(sys.argv[2]))]
frames = [0]

def read(c):
    while True:
        line = c.readline()
        if line.startswith(b"FRAME "):
            _, kind, n = line.split()
            payload = c.read_exact(int(n))
            if kind == b"stats":
                wire.decode_stats(payload)
            frames[0] += 1

for c in clients:
    threading.Thread(target=read, args=(c,), daemon=True).start()
print("ready", flush=True)
for cmd in sys.stdin:
    for c in clients:
        c.sock.sendall(b"STREAM 10\r\n" if cmd.strip() == "on" else b"STREAM 0\r\n")
    print(frames[0], flush=True)
"""

_MANY = r"""
import json, sys, threading, time
from pktlab.engine.csclient import ControlSocketClient
addr, n, calls = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
clients = [ControlSocketClient(addr) for _ in range(n)]
ok, errors = [0] * n, []
def work(i):
    try:
        for _ in range(calls):
            int(clients[i].read("c.count"))
            ok[i] += 1
    except Exception as e:
        errors.append(repr(e))
threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
t0 = time.perf_counter()
for t in threads: t.start()
for t in threads: t.join()
dt = time.perf_counter() - t0
print(json.dumps({"connected": len(clients), "answered": sum(ok), "errors": errors[:5], "s": dt}))
"""


def _py(code: str, *args, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", code, *map(str, args)], text=True,
                            stdout=subprocess.PIPE, **kw)


def _window(eng, workers, duration: float) -> tuple[float, float]:
    c = eng["c"]
    n0, t0, w0 = c.count, time.perf_counter(), _cpu_ns(workers)
    time.sleep(duration)
    n1, t1, w1 = c.count, time.perf_counter(), _cpu_ns(workers)
    return (n1 - n0) / (t1 - t0), ((n1 - n0) / ((w1 - w0) / 1e9) if w1 > w0 else 0.0)


def _proc_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) a process used so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _ratio(pairs) -> float:
    r = [a / b for a, b in pairs if b]
    return statistics.median(r) if r else 0.0


def bench_remote(duration: float = 1.0, repeat: int = 3, rtts: int = 2000, clients: int = 3,
                 many: int = 100) -> dict:
    eng = Engine(CHAIN, threads=1, pin=True)
    before = {int(t) for t in os.listdir("/proc/self/task")}
    eng.start()
    workers = {int(t) for t in os.listdir("/proc/self/task")} - before
    srv = Server(eng, config_text=CHAIN).start()
    try:
        time.sleep(0.3)
        # 1. the handler round trip, and a bare TCP echo's from the same client
        echo = _py(_ECHO)
        echo_port = int(echo.stdout.readline())
        out = _py(_RTT, srv.port, echo_port, rtts).communicate(timeout=300)[0]
        echo.kill()
        t = json.loads(out)
        q = {k: statistics.quantiles(v, n=100) for k, v in t.items()}
        rtt = {k: {"median_us": statistics.median(v) * 1e6, "p99_us": q[k][98] * 1e6}
               for k, v in t.items()}
        # 2. the engine with and without 3 clients streaming, windows interleaved
        alone, streamed, frames, busy, client_cpu = [], [], 0, 0.0, 0.0
        p = _py(_STREAMERS, srv.address, clients, stdin=subprocess.PIPE)
        assert p.stdout.readline().strip() == "ready"

        def say(cmd):
            p.stdin.write(cmd + "\n")
            p.stdin.flush()
            p.stdout.readline()

        for _ in range(3 * repeat):
            say("off")
            time.sleep(0.2)
            alone.append(_window(eng, workers, duration / 2))
            say("on")
            time.sleep(0.2)
            b0, k0, u0 = srv.publisher.busy_s, srv.publisher.collects, _proc_cpu_s(p.pid)
            streamed.append(_window(eng, workers, duration / 2))
            client_cpu += _proc_cpu_s(p.pid) - u0
            busy += srv.publisher.busy_s - b0
            frames += srv.publisher.collects - k0
        p.stdin.close()
        p.wait(30)
        span = 3 * repeat * duration / 2
        # 3. many clients at once
        ref = _window(eng, workers, duration)
        p = _py(_MANY, srv.address, many, 20)
        time.sleep(0.1)
        during = _window(eng, workers, min(duration, 0.5))
        m = json.loads(p.communicate(timeout=300)[0])
    finally:
        srv.close()
        eng.stop()
    return {
        "benchmark": "remote", "config": CHAIN, "threads": 1,
        "settings": {"duration": duration, "repeat": repeat, "rtts": rtts, "clients": clients,
                     "many": many},
        "rtt": rtt, "rtt_ratio": rtt["server"]["median_us"] / rtt["echo"]["median_us"],
        "mpps_alone": statistics.median(a for a, _ in alone) / 1e6,
        "mpps_streamed": statistics.median(s for s, _ in streamed) / 1e6,
        "stream_ratio": _ratio((s[0], a[0]) for s, a in zip(streamed, alone)),
        "stream_cpu_ratio": _ratio((s[1], a[1]) for s, a in zip(streamed, alone)),
        "collect_us": busy / frames * 1e6 if frames else 0.0,
        "collects_per_s": frames / span,
        "server_core_share": busy / span,
        "clients_core_share": client_cpu / span,
        "many": m, "many_ratio": during[0] / ref[0] if ref[0] else 0.0,
    }


def format_remote(r: dict) -> str:
    s, e = r["rtt"]["server"], r["rtt"]["echo"]
    m = r["many"]
    return "\n".join([
        "remote: an engine served over ControlSocket on 127.0.0.1, clients in other processes",
        f"  {r['config']}",
        "",
        f"  handler round trip (READ c.count): median {s['median_us']:.0f} us, "
        f"p99 {s['p99_us']:.0f} us",
        f"  bare asyncio TCP echo, same client:  median {e['median_us']:.0f} us, "
        f"p99 {e['p99_us']:.0f} us   (ratio {r['rtt_ratio']:.2f})",
        "",
        f"  streams off               {r['mpps_alone']:8.2f} Mpps",
        f"  {r['settings']['clients']} clients at 10 Hz       {r['mpps_streamed']:8.2f} Mpps"
        f"   ratio {r['stream_ratio']:.4f} (per worker CPU second {r['stream_cpu_ratio']:.4f})",
        f"  server: {r['collects_per_s']:.0f} region copies/s, {r['collect_us']:.0f} us of CPU each "
        f"(the copy and every due client's delta): {100 * r['server_core_share']:.2f}% of a core",
        f"  the {r['settings']['clients']} clients (one process, this machine, decoding frames): "
        f"{100 * r['clients_core_share']:.1f}% of a core, taken from the cores the worker runs on",
        "",
        f"  {m['connected']} clients at once: {m['answered']} of "
        f"{m['connected'] * 20} calls answered in {m['s']:.2f} s"
        f"{', errors: ' + '; '.join(m['errors']) if m['errors'] else ''};"
        f" engine meanwhile at {r['many_ratio']:.3f} of its rate",
        f"  (streaming: median of {3 * r['settings']['repeat']} pairs of windows of "
        f"{r['settings']['duration'] / 2:g} s, off and on in turn)",
    ])


__all__ = ["bench_remote", "format_remote"]
