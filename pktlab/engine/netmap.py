"""netmap from Python: whether pktlab was built with it and whether this host has it.

    from pktlab.engine import netmap     # also pktlab.netmap, after import pktlab
    netmap.available()        # built with netmap's headers and libnetmap (make netmap)
    netmap.loaded()           # /dev/netmap exists: the kernel module is loaded
    eng = pktlab.Engine("FromNetmapDevice(vale0:in) -> ToNetmapDevice(vale1:out);")

FromNetmapDevice and ToNetmapDevice need nothing else: no initialisation, no
arguments (unlike DPDK's EAL). Without the module their configuration fails,
saying so; docs/io.md says how to load it, and how `make test-netmap` runs
netmap in a QEMU guest on machines that load no modules.
"""

from __future__ import annotations

import os

from ._lib import lib

CLASSES = ("FromNetmapDevice", "ToNetmapDevice")
DEVICE = "/dev/netmap"


def available() -> bool:
    """True when pktlab was built with netmap."""
    return bool(lib.pl_netmap_available())


def loaded() -> bool:
    """True when the netmap kernel module is loaded (/dev/netmap exists)."""
    return os.path.exists(DEVICE)


def emulated() -> bool:
    """True inside `make test-netmap`'s QEMU guest (software emulation under
    TCG: rates there say nothing about hardware)."""
    return os.environ.get("PKTLAB_IN_GUEST") == "1"


def parameters() -> dict[str, str]:
    """The netmap module's parameters (/sys/module/netmap/parameters): ring and
    buffer sizes of the generic adapter and of the global memory region."""
    d = "/sys/module/netmap/parameters"
    out = {}
    if os.path.isdir(d):
        for name in sorted(os.listdir(d)):
            try:
                with open(os.path.join(d, name)) as f:
                    out[name] = f.read().strip()
            except OSError:
                pass
    return out


__all__ = ["available", "loaded", "emulated", "parameters", "CLASSES"]
