"""cffi (API mode) builder for pktlab._native.

The cdef is the public header itself, less its preprocessor lines: one
declaration of the C API, read by both the compiler and cffi. Every C file
under native/core and native/elements is compiled into the extension.
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


def _sources() -> list[str]:
    files = sorted((NATIVE / "core").glob("*.c")) + sorted((NATIVE / "elements").glob("*/*.c"))
    return [os.path.relpath(f, ROOT) for f in files]


def _cflags() -> list[str]:
    flags = ["-std=c11", "-D_GNU_SOURCE", "-O3", "-fno-strict-aliasing", "-Wall", "-Wno-unused-parameter"]
    flags += shlex.split(os.environ.get("PKTLAB_CFLAGS", ""))
    return flags


ffibuilder = FFI()
ffibuilder.cdef(_cdef_text())
ffibuilder.set_source(
    "pktlab._native",
    '#include "pktlab.h"',
    sources=_sources(),
    include_dirs=[os.path.relpath(NATIVE / "include", ROOT)],
    extra_compile_args=_cflags(),
    libraries=["pthread"],
)

if __name__ == "__main__":
    ffibuilder.compile(verbose=True)
