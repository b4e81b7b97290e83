"""The interruptible inline run (Engine.run_inline), in steps the caller
can interrupt between."""

from __future__ import annotations

import time

from . import _lib
from ._lib import ffi, lib

STEP_US = 20_000     # run_inline returns to Python this often (Ctrl-C, signals)


def run_inline(engine, max_runs: int) -> None:
    """Engine.run_inline: in steps of STEP_US, so that a signal raised
    between two steps (KeyboardInterrupt) ends the run cleanly."""
    err = _lib.new_error()
    t0 = time.monotonic()
    with engine._lock:
        engine._check(lib.pl_engine_inline_begin(engine._h, err), err)
    ran = ffi.new("uint64_t *")
    total = 0
    try:
        while not lib.pl_engine_inline_step(engine._h, max_runs - total if max_runs else 0,
                                            STEP_US, ran):
            total += ran[0]
            if max_runs and total >= max_runs:
                break
    finally:
        lib.pl_engine_inline_end(engine._h)
        engine.elapsed += time.monotonic() - t0

