"""DPDK from Python: the EAL (once per process), its mbuf pool, its ports.

    from pktlab.engine import dpdk      # also pktlab.dpdk, after import pktlab
    dpdk.init("--vdev net_null0 --vdev net_null1")   # laptop defaults added
    dpdk.ports()                 # {0: 'net_null0', 1: 'net_null1'}
    eng = pktlab.Engine("FromDPDKDevice(net_null0) -> ToDPDKDevice(net_null1);")
    dpdk.mempool()               # {'size': 16384, 'in_use': 0, ...}

The defaults run without hugepages or a NIC: `--no-huge --no-pci -m 1024
--no-shconf --no-telemetry --file-prefix pktlab<pid> -l <first CPU>`; an option you give
replaces its default (-m 512 replaces -m 1024, -a PCI replaces --no-pci).
`init(args, defaults=False)` passes the arguments unchanged. DPDK allows one
EAL initialisation per process: to change the arguments, restart the process
(or the notebook kernel).

An Engine whose graph uses FromDPDKDevice/ToDPDKDevice initialises the EAL
itself when nobody did: with `Engine(..., dpdk="EAL ARGS")` or, without them,
with the defaults plus a `--vdev` for every PORT that names a virtual device
(`net_null0`, `net_ring0`, ...).
"""

from __future__ import annotations

import atexit
import os
import re
import shlex
from typing import Iterable

from . import _lib
from ._lib import ffi, lib
from .errors import EngineError

DEFAULT_MBUFS = 16384           # fits -m 512 and -m 1024 without hugepages
DEFAULT_CACHE = 256
DEFAULT_MEMORY_MB = 1024
JUMBO_MTU = 9216                # Engine's initialisation sizes mbufs for MTUs up to this
CLASSES = ("FromDPDKDevice", "ToDPDKDevice")

_VDEV = re.compile(r"^net_[a-z_]+[0-9]+$")
_used_args: list[str] | None = None

# A user option -> the default options it replaces.
_REPLACES = {
    "-m": ("-m",), "--socket-mem": ("-m", "--no-huge", "--no-shconf"),
    "--huge-dir": ("--no-huge", "--no-shconf"), "--in-memory": ("--no-huge", "--no-shconf"),
    "--telemetry": ("--no-telemetry",),
    "--file-prefix": ("--file-prefix",), "-l": ("-l",), "--lcores": ("-l",), "-c": ("-l",),
    "-a": ("--no-pci",), "--allow": ("--no-pci",), "-b": ("--no-pci",), "--block": ("--no-pci",),
}
_WITH_VALUE = {"-m", "--file-prefix", "-l", "--lcores", "-c", "--socket-mem", "--huge-dir",
               "-a", "--allow", "-b", "--block", "--vdev", "--log-level", "-n", "--proc-type"}


def available() -> bool:
    """True when pktlab was built with DPDK."""
    return bool(lib.pl_dpdk_available())


def initialized() -> bool:
    return bool(lib.pl_dpdk_initialized())


def default_args(vdevs: Iterable[str] = ()) -> list[str]:
    cpu = min(os.sched_getaffinity(0))
    args = ["--no-huge", "--no-pci", "-m", str(DEFAULT_MEMORY_MB), "--no-shconf",
            "--no-telemetry", "--file-prefix", f"pktlab{os.getpid()}", "-l", str(cpu)]
    for v in vdevs:
        args += ["--vdev", v]
    return args


def _split(args: list[str] | str | None) -> list[str]:
    if args is None:
        return []
    if isinstance(args, str):
        return shlex.split(args)
    return [str(a) for a in args]


def _options(args: list[str]) -> set[str]:
    return {a.split("=", 1)[0] for a in args if a.startswith("-")}


def eal_args(args: list[str] | str | None = None, vdevs: Iterable[str] = (),
             defaults: bool = True) -> list[str]:
    """The arguments init() gives the EAL: the defaults less those the user's
    options replace, then the user's, then a --vdev for each of `vdevs`."""
    user = _split(args) + [x for v in vdevs for x in ("--vdev", v)]
    if not defaults:
        return user
    drop = {d for opt in _options(user) for d in _REPLACES.get(opt, ())}
    base, out = default_args(), []
    i = 0
    while i < len(base):
        opt = base[i]
        n = 2 if opt in _WITH_VALUE else 1
        if opt not in drop:
            out += base[i:i + n]
        i += n
    return out + user


def _cleanup_runtime_dir() -> None:
    # --no-shconf leaves an empty /var/run/dpdk/<prefix>; remove ours.
    d = _lib.string(lib.pl_dpdk_runtime_dir())
    if d:
        try:
            os.rmdir(d)
        except OSError:
            pass


def init(args: list[str] | str | None = None, *, vdevs: Iterable[str] = (),
         mbufs: int = DEFAULT_MBUFS, cache: int = DEFAULT_CACHE, defaults: bool = True,
         pack: bool = True, mbuf_size: int = 0) -> list[str]:
    """Initialise DPDK's EAL and the shared mbuf pool (mbufs, per-thread cache,
    mbuf_size: DPDKInfo's NB_MBUF, MBUF_CACHE_SIZE and MBUF_SIZE, the data
    room with its 128 bytes of headroom; 0: DPDK's 2,176, frames up to 2,048
    bytes in one mbuf, longer ones in chains). pack=False keeps DPDK's own
    layout (each mbuf within one page; docs/io.md says why pktlab packs them).
    Returns the EAL arguments used."""
    global _used_args
    if not available():
        raise EngineError("pktlab was built without DPDK (install libdpdk-dev and rebuild: "
                          "make native)", kind="configuration", keyword="dpdk")
    argv = eal_args(args, vdevs, defaults)
    if initialized():
        raise EngineError(
            f"DPDK's EAL is already initialised in this process (with: {shlex.join(_used_args or [])});"
            " it can only be initialised once: restart the process or kernel to change its"
            " arguments", kind="state", keyword="dpdk")
    c_args = [ffi.new("char[]", a.encode()) for a in argv]
    c_argv = ffi.new("char *[]", c_args)
    err = _lib.new_error()
    rc = lib.pl_dpdk_init(len(argv), c_argv, mbufs, cache, int(pack), mbuf_size, err)
    if rc == 0 or initialized():
        _used_args = argv
        atexit.register(_cleanup_runtime_dir)
    _lib.check(rc, err)
    return argv


def used_args() -> list[str] | None:
    """The EAL arguments of this process's initialisation (None before)."""
    return list(_used_args) if _used_args is not None else None


def ports() -> dict[int, str]:
    """DPDK ports: index -> device name."""
    return {idx: name for idx, name, _ in _port_lines()}


def port_nodes() -> dict[str, int]:
    """DPDK ports: device name, and index as text -> NUMA node (-1: none
    known, as for virtual devices; empty before init)."""
    out = {}
    for idx, name, node in _port_lines():
        out[name] = out[str(idx)] = node
    return out


def _port_lines() -> list[tuple[int, str, int]]:
    buf = ffi.new("char[]", 65536)
    lib.pl_dpdk_ports(buf, 65536)
    out = []
    for line in _lib.string(buf).splitlines():
        idx, name, node = line.split("\t")
        out.append((int(idx), name, int(node)))
    return out


def mempool() -> dict[str, int]:
    """The shared mbuf pool: size, in_use (mbufs outside the pool and its
    caches), cache_size, priv_size (the pl_packet metadata), data_room, stride
    (bytes from one mbuf to the next) and packed (True when mbufs are packed
    across pages rather than kept within one page each; see docs/io.md)."""
    info = ffi.new("pl_dpdk_pool_info *")
    if lib.pl_dpdk_mempool(info) != 0:
        raise EngineError("DPDK is not initialised", kind="state", keyword="dpdk")
    out = {k: getattr(info, k) for k in ("size", "in_use", "cache_size", "priv_size",
                                         "data_room", "stride")}
    out["packed"] = bool(info.packed)
    return out


def add_vdev(devargs: str) -> None:
    """Create a virtual device after init (rte_dev_probe), e.g. "net_ring0"."""
    err = _lib.new_error()
    _lib.check(lib.pl_dpdk_probe(devargs.encode(), err), err)


def lcores() -> int:
    """Threads that have a DPDK lcore id (hence mempool caches): the EAL's,
    and each worker while it runs DPDK elements."""
    return int(lib.pl_dpdk_lcores())


def io_loop(src: int | str, dst: int | str, burst: int = 32, seconds: float = 1.0) -> int:
    """The benchmarks' reference: testpmd's io forwarding loop from port src
    to port dst (index or name, queue 0) on this thread and pktlab's mbuf
    pool, for `seconds`; returns packets sent. The ports must be started by
    an engine that is not running (``Engine(config)`` before ``start()``, or
    after ``stop()``): its workers would poll the same queues."""
    names = {name: idx for idx, name in ports().items()}

    def index(p):
        if isinstance(p, int):
            return p
        if p not in names:
            raise EngineError(f"no DPDK port {p!r}; ports: {', '.join(names) or 'none'}",
                              kind="config", keyword="port")
        return names[p]

    err = _lib.new_error()
    out = ffi.new("uint64_t *")
    _lib.check(lib.pl_dpdk_io_loop(index(src), index(dst), burst, seconds, out, err), err)
    return int(out[0])


def jumbo_mbuf_size(graph) -> int:
    """The data room Engine's own initialisation gives mbufs so that frames of
    the largest MTU its DPDK elements ask for fit one mbuf (zero copy), for
    MTUs up to JUMBO_MTU; 0 (DPDK's default) otherwise: longer frames travel
    as chains, which a default pool of 64 KB mbufs could not hold in memory."""
    from ..lang.confstr import argvec

    mtu = 0
    for el in graph.elements.values():
        if el.cls in CLASSES:
            for arg in argvec(el.config or ""):
                word, _, rest = arg.partition(" ")
                if word == "MTU" and rest.strip().isdigit():
                    mtu = max(mtu, int(rest))
    if mtu + 18 <= 2048 or mtu > JUMBO_MTU:
        return 0
    return 128 + (mtu + 18 + 1023) // 1024 * 1024


def _port_of(config: str) -> str | None:
    from ..lang.confstr import argvec

    for i, arg in enumerate(argvec(config or "")):
        word, _, rest = arg.partition(" ")
        if word == "PORT":
            return rest.strip()
        if i == 0 and not word.isupper():
            return arg.strip()
    return None


def graph_vdevs(graph) -> list[str]:
    """Virtual devices (net_null0, ...) that a graph's DPDK elements name as PORT."""
    out: list[str] = []
    for el in graph.elements.values():
        if el.cls in CLASSES:
            port = _port_of(el.config)
            if port and _VDEV.match(port) and port not in out:
                out.append(port)
    return out


def info_pool(graph) -> dict | None:
    """DPDKInfo's pool in a graph (FastClick's NB_MBUF, first or by keyword;
    MBUF_CACHE_SIZE; MBUF_SIZE) as init()'s keywords; None without DPDKInfo.
    Values that are not integers are left to DPDKInfo's own configure()."""
    from ..lang.confstr import argvec

    infos = [el for el in graph.elements.values() if el.cls == "DPDKInfo"]
    if not infos:
        return None
    out = {"mbufs": DEFAULT_MBUFS, "cache": DEFAULT_CACHE, "mbuf_size": None, "name": infos[0].name}
    keys = {"NB_MBUF": "mbufs", "MBUF_CACHE_SIZE": "cache", "MBUF_SIZE": "mbuf_size"}
    for i, arg in enumerate(argvec(infos[0].config or "")):
        word, _, rest = arg.strip().partition(" ")
        if i == 0 and word.isdigit() and not rest:
            word, rest = "NB_MBUF", word
        if word in keys and rest.strip().isdigit():
            out[keys[word]] = int(rest)
    return out


def prepare(graph, args: list[str] | str | None = None) -> None:
    """Called by Engine: initialise the EAL if the graph needs it and nobody did,
    with DPDKInfo's pool when the graph has one."""
    uses = any(el.cls in CLASSES for el in graph.elements.values())
    pool = info_pool(graph)
    if args is None and not uses:
        return
    if not available():
        if uses:
            return          # the elements' configure() reports it, naming the element
        init(args)          # raises: built without DPDK
    if initialized():
        have = mempool()
        if pool and (have["size"], have["cache_size"]) != (pool["mbufs"], pool["cache"]):
            raise EngineError(
                f"{pool['name']} :: DPDKInfo: DPDK's mbuf pool was made already in this process "
                f"({have['size']} mbufs, cache {have['cache_size']}), not NB_MBUF "
                f"{pool['mbufs']}, MBUF_CACHE_SIZE {pool['cache']}: it is made once per "
                "process; restart the process or kernel", kind="state", keyword="NB_MBUF")
        if args is not None and eal_args(args) != _used_args:
            raise EngineError(
                f"DPDK's EAL is already initialised in this process (with: "
                f"{shlex.join(_used_args or [])}); it can only be initialised once: restart "
                "the process or kernel to use other EAL arguments", kind="state", keyword="dpdk")
        return
    kw = {"mbuf_size": jumbo_mbuf_size(graph)}
    if pool:
        kw = {"mbufs": pool["mbufs"], "cache": pool["cache"],
              "mbuf_size": kw["mbuf_size"] if pool["mbuf_size"] is None else pool["mbuf_size"]}
    if args is None:
        init(vdevs=graph_vdevs(graph), **kw)
    else:
        init(args, **kw)


__all__ = ["init", "available", "initialized", "ports", "port_nodes", "mempool", "add_vdev", "lcores", "io_loop", "eal_args",
           "default_args", "used_args", "prepare", "graph_vdevs", "info_pool", "jumbo_mbuf_size",
           "DEFAULT_MBUFS", "DEFAULT_CACHE", "JUMBO_MTU"]
