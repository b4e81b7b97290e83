"""`pktlab provides [OPTIONS] REQ...`: `click-buildtool provides`, answered for pktlab.

Exits 0 when pktlab provides every requirement, 1 otherwise. A requirement
is an element class, or a feature of the installation, answered truthfully:

    userlevel     the driver runs at user level (pktlab click)       yes
    umultithread  several threads at user level (click -j N)          yes
    int64         64-bit integers                                      yes
    pcap          pcap files (FromDump, ToDump)                        yes
    dpdk          DPDK elements (FromDPDKDevice, ...)       when built with it
    linuxmodule, bsdmodule, ns, smpclick                              no

Options as click-buildtool's: `-q/--query` prints every provision, `-l/--print`
prints 1 or 0 instead of answering by the exit status, `-r/--provide REQ`
adds a provision, and `-` reads more requirements from standard input.
(`click-buildtool` shims call this for `provides` and refuse anything else.)
"""

from __future__ import annotations

import sys

FEATURES_ALWAYS = ("userlevel", "umultithread", "int64", "pcap")

USAGE = """\
'Click-buildtool provides' exits with status 0 if the Click installation
provides all requirement(s) in REQ arguments, and status 1 otherwise.
(pktlab answers for its own engine: element classes and features.)

Usage: click-buildtool provides [OPTIONS] [REQ...]

Options:
  -q, --query              Print provisions to standard output.
  -r, --provide REQ        Provide requirement(s) in REQ.
  -l, --print              Print 0 (REQs not provided) or 1 (REQs provided).
  -h, --help               Print this message and exit.
"""


def provisions() -> set[str]:
    from ...engine import element_classes
    from ...engine.dpdk import available

    out = set(element_classes()) | set(FEATURES_ALWAYS)
    if available():
        out.add("dpdk")
    return out


def main(argv: list[str]) -> int:
    query = print_it = False
    extra: list[str] = []
    reqs: list[str] = []
    i = 0
    while i < len(argv):
        a = argv[i]
        i += 1
        if a in ("-q", "--query") or (a.startswith("--qu") and "--query".startswith(a)):
            query = True
        elif a in ("-l", "--print") or (a.startswith("--pri") and "--print".startswith(a)):
            print_it = True
        elif a in ("-r", "--provide"):
            if i >= len(argv):
                sys.stderr.write(USAGE)
                return 1
            extra += argv[i].split()
            i += 1
        elif a.startswith("-r") and len(a) > 2:
            extra += a[2:].split()
        elif a.startswith("--provide="):
            extra += a.partition("=")[2].split()
        elif a in ("-h", "--help"):
            sys.stderr.write(USAGE)
            return 0
        elif a == "-":
            reqs += sys.stdin.read().split()
        elif a.startswith("-"):
            sys.stderr.write(USAGE)
            return 1
        else:
            reqs += a.split()
    have = provisions() | set(extra)
    if query:
        sys.stdout.write("".join(f"{p}\n" for p in sorted(have)))
    ok = all(r in have for r in reqs)
    if print_it:
        sys.stdout.write("1\n" if ok else "0\n")
        return 0
    return 0 if ok else 1


def buildtool_main(argv: list[str]) -> int:
    """A `click-buildtool` drop-in: only its `provides` command exists in pktlab."""
    if argv and argv[0] == "provides":
        return main(argv[1:])
    what = argv[0] if argv else "(none)"
    sys.stderr.write(f"click-buildtool: pktlab provides only 'click-buildtool provides' "
                     f"(asked for '{what}')\n")
    return 1
