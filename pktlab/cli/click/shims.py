"""`pktlab shims DIR [--per-packet]`: Click's three commands as drop-ins.

Writes `click`, `click-flatten` and `click-buildtool` into DIR, each a small
shell script that runs this pktlab (the same Python, so the same virtual
environment) as `pktlab click`, `pktlab flatten` and `pktlab provides`.
Put DIR first on PATH and Click users' scripts, tools (npf) and Click's own
test suite call pktlab where they called Click:

    pktlab shims ~/.local/pktlab-click
    PATH=~/.local/pktlab-click:$PATH click -e 'InfiniteSource(LIMIT 3, STOP true) -> Print -> Discard'

`--per-packet` makes the `click` shim run every configuration in batches of
one packet (Click's execution model), for comparing the two modes.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys

COMMANDS = {
    "click": "click",
    "click-flatten": "flatten",
    "click-buildtool": "click-buildtool",
}


def script(command: str, extra: list[str]) -> str:
    args = " ".join(shlex.quote(a) for a in [sys.executable, "-m", "pktlab", command, *extra])
    return ("#!/bin/sh\n"
            f"# pktlab's drop-in for Click's {command!r} (written by `pktlab shims`)\n"
            f'exec {args} "$@"\n')


def write(directory: str, per_packet: bool = False) -> list[str]:
    """Write the three shims into `directory` (created if needed); their paths."""
    os.makedirs(directory, exist_ok=True)
    paths = []
    for name, command in COMMANDS.items():
        extra = ["--per-packet"] if per_packet and name == "click" else []
        path = os.path.join(directory, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(script(command, extra))
        os.chmod(path, 0o755)
        paths.append(path)
    return paths


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="pktlab shims",
                                description="Write click, click-flatten and click-buildtool "
                                            "drop-ins that run pktlab into DIR.")
    p.add_argument("dir")
    p.add_argument("--per-packet", action="store_true",
                   help="the click shim runs batches of one packet (Click's model)")
    args = p.parse_args(argv)
    for path in write(args.dir, args.per_packet):
        print(path)
    return 0
