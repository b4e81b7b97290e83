"""cffi (API mode) builder for pktlab.engine._native (the compiled engine).

The cdef is the public header itself, less its preprocessor lines: one
declaration of the C API, read by both the compiler and cffi. Every C file
under native/core and native/elements is compiled into the extension.
native/io (the I/O backends) too; with DPDK when pkg-config finds libdpdk
(PL_HAVE_DPDK, its cflags and libs), and with netmap when its headers and
libnetmap are built (PL_HAVE_NETMAP, `make netmap`), without them otherwise
(docs/io.md).
"""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

from cffi import FFI

ROOT = Path(__file__).resolve().parent.parent
NATIVE = ROOT / "native"
HEADER = NATIVE / "include" / "pktlab.h"


def _cdef_text() -> str:
    text = HEADER.read_text()
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


def _sources(absolute: bool = False) -> list[str]:
    files = sorted((NATIVE / "core").glob("*.c")) + sorted((NATIVE / "elements").glob("*/*.c"))
    files += sorted((NATIVE / "lib").glob("*.c"))
    files += sorted((NATIVE / "io").glob("*.c"))
    return [str(f) if absolute else os.path.relpath(f, ROOT) for f in files]


def _pkgconfig(*args: str) -> list[str] | None:
    """pkg-config's answer for libdpdk, or None when it is not installed."""
    import subprocess

    try:
        out = subprocess.run(["pkg-config", *args, "libdpdk"], capture_output=True, text=True,
                             check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return shlex.split(out)


def _dpdk() -> tuple[list[str], list[str]]:
    """Compile and link flags for DPDK (optional: PKTLAB_NO_DPDK=1 or no libdpdk-dev
    builds without it, and the DPDK elements then say so when configured)."""
    if os.environ.get("PKTLAB_NO_DPDK") or _pkgconfig("--exists") is None:
        return [], []
    # DPDK's headers need its -march (corei7 on Debian), its baseline anyway.
    cflags = _pkgconfig("--cflags") or []
    return ["-DPL_HAVE_DPDK", *cflags], _pkgconfig("--libs") or []


def _netmap() -> tuple[list[str], list[str]]:
    """Compile and link flags for netmap: its headers and libnetmap, as `make netmap`
    builds them in build/netmap from the source in ../shared/third_party, or another
    folder with include/net/netmap_user.h, include/libnetmap.h and lib/libnetmap.a
    (PKTLAB_NETMAP=DIR, e.g. a netmap installed on a real host). PKTLAB_NO_NETMAP=1,
    or no such folder, builds without netmap (the netmap elements then say so)."""
    if os.environ.get("PKTLAB_NO_NETMAP"):
        return [], []
    d = Path(os.environ.get("PKTLAB_NETMAP") or ROOT / "build" / "netmap")
    inc, lib = d / "include", d / "lib" / "libnetmap.a"
    if not ((inc / "net" / "netmap_user.h").exists() and (inc / "libnetmap.h").exists()
            and lib.exists()):
        return [], []
    return ["-DPL_HAVE_NETMAP", f"-I{inc}"], [str(lib)]


def _cflags() -> list[str]:
    flags = ["-std=c11", "-D_GNU_SOURCE", "-O3", "-fno-strict-aliasing", "-Wall", "-Wno-unused-parameter"]
    flags += _DPDK_CFLAGS + _NETMAP_CFLAGS
    flags += shlex.split(os.environ.get("PKTLAB_CFLAGS", ""))
    return flags


_DPDK_CFLAGS, _DPDK_LIBS = _dpdk()
_NETMAP_CFLAGS, _NETMAP_LIBS = _netmap()


# Paths relative to the checkout for pip's build; absolute for a build in
# another folder (__main__ below), where cffi compiles from that folder.
_ELSEWHERE = __name__ == "__main__" and len(__import__("sys").argv) > 1

ffibuilder = FFI()
ffibuilder.cdef(_cdef_text())
ffibuilder.set_source(
    "pktlab.engine._native",
    '#include "pktlab.h"',
    sources=_sources(_ELSEWHERE),
    include_dirs=[str(NATIVE / "include") if _ELSEWHERE else os.path.relpath(NATIVE / "include", ROOT)],
    extra_compile_args=_cflags(),
    libraries=["pthread", "m"],
    extra_link_args=_NETMAP_LIBS + _DPDK_LIBS + shlex.split(os.environ.get("PKTLAB_LDFLAGS", "")),
)

if __name__ == "__main__":
    # python pktlab/_build_native.py [TMPDIR]: the extension built under TMPDIR
    # (make test-asan-py builds its sanitizer copy so, with PKTLAB_CFLAGS/LDFLAGS).
    import sys

    out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    out.mkdir(parents=True, exist_ok=True)
    # cffi's build reads setup.cfg in the folder it builds in: compile in parallel.
    (out / "setup.cfg").write_text(f"[build_ext]\nparallel = {os.cpu_count() or 1}\n")
    ffibuilder.compile(tmpdir=str(out), verbose=False)
