"""`pktlab read | write | call ADDRESS HANDLER [VALUE...]`: one handler call on a
served engine (pktlab serve, pktlab run -p, or vanilla Click's `click -p`).

    pktlab read 127.0.0.1:7777 c.count            # 48211776
    pktlab write 127.0.0.1:7777 src.burst 4
    pktlab write unix:/run/pktlab.sock hotconfig - < new.click
    pktlab call 127.0.0.1:7777 rt.lookup 10.0.0.1 # a read with a parameter (or a write)

ADDRESS is HOST:PORT, PORT (on 127.0.0.1) or unix:PATH; the token comes from
--token or $PKTLAB_TOKEN. A read prints the value (with a newline if it has
none, as Click's -h); a refused call prints the server's code and message on
stderr and exits 1.
"""

from __future__ import annotations

import sys


def cmd_control(args) -> int:
    from ..engine.csclient import ControlSocketClient, ControlSocketError

    value = " ".join(args.value)
    if value == "-":
        value = sys.stdin.read()
    try:
        with ControlSocketClient(args.address, args.token, timeout=args.timeout) as c:
            op = args.command
            if op == "call":
                op = "read" if c.check(args.handler) else "write"
            if op == "read":
                out = c.read(args.handler, value or None).decode("utf-8", "replace")
                sys.stdout.write(out if not out or out.endswith("\n") else out + "\n")
            else:
                for w in c.write(args.handler, value):
                    print(f"pktlab {args.command}: warning: {w}", file=sys.stderr)
    except ControlSocketError as e:
        print(f"pktlab {args.command}: {e.code} " + "\n".join(e.lines), file=sys.stderr)
        return 1
    except (OSError, ValueError) as e:
        print(f"pktlab {args.command}: {e}", file=sys.stderr)
        return 1
    return 0


def add_control_commands(sub) -> None:
    for name, what in (("read", "call a read handler of a served engine and print its value"),
                       ("write", "call a write handler of a served engine"),
                       ("call", "call a handler: a read (with VALUE as its parameter) if it "
                                "is readable, else a write")):
        c = sub.add_parser(name, help=what)
        c.add_argument("address", metavar="ADDRESS", help="HOST:PORT, PORT or unix:PATH")
        c.add_argument("handler", metavar="HANDLER", help="ELEMENT.HANDLER or a global handler")
        c.add_argument("value", nargs="*", metavar="VALUE",
                       help="the value written, or the read's parameter ('-': standard input)")
        c.add_argument("--token", default=None, help="the server's token ($PKTLAB_TOKEN)")
        c.add_argument("--timeout", type=float, default=10.0, help="seconds to wait (default 10)")
        c.set_defaults(fn=cmd_control)


__all__ = ["add_control_commands", "cmd_control"]
