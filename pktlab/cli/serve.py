"""`pktlab serve CONFIG`, and what `pktlab run` takes from Click's driver:
`-p PORT` / `-u SOCKET` (serve the engine while it runs), `-R` (hotconfig),
`-h ELEMENT.HANDLER` (print handler values at exit, as Click prints them).

    pktlab serve router.click -p 7777                 # 127.0.0.1:7777, no token needed
    pktlab serve router.click -p 0.0.0.0:7777         # every interface: prints a token
    pktlab serve dpdk.click -u /run/pktlab.sock --socket-mode 0660 --socket-group users
    pktlab run count.click -h c.count -h 'q*.length'

`pktlab serve` starts the engine (unless --stopped) and serves it until
Ctrl-C, SIGTERM or a client's `write stop`; clients start and stop the engine
itself with the `running` handler (pktlab.connect(...).start()/stop()).
"""

from __future__ import annotations

import fnmatch
import os
import secrets
import signal
import sys


def add_server_options(p, *, run: bool = False) -> None:
    p.add_argument("-p", "--port", dest="ports", action="append", default=[],
                   metavar="[HOST:]PORT", help="listen for ControlSocket clients on TCP (host "
                   "127.0.0.1 unless given; any other host needs a token; PORT+ tries the "
                   "next ten ports too)")
    p.add_argument("-u", "--unix-socket", dest="sockets", action="append", default=[],
                   metavar="PATH", help="listen on a UNIX socket (mode 0600 unless --socket-mode)")
    p.add_argument("--token", default=None, help="clients must send 'AUTH TOKEN' first "
                   "(default: $PKTLAB_TOKEN; generated and printed for a non-loopback -p)")
    p.add_argument("--token-file", default=None, metavar="FILE",
                   help="read the token from FILE (keeps it out of the process list)")
    p.add_argument("--readonly", action="store_true", help="no handler writes, no LLRPCs")
    p.add_argument("--socket-mode", default="0600", metavar="OCTAL",
                   help="permissions of the UNIX sockets (default 0600)")
    p.add_argument("--socket-group", default=None, metavar="GROUP",
                   help="group of the UNIX sockets (with --socket-mode 0660)")
    p.add_argument("--allow-file", action="append", default=[], metavar="PATH",
                   help="a file that a remote hotconfig may name besides the configuration's own")
    p.add_argument("--port-file", default=None, metavar="FILE",
                   help="write the TCP port listened on to FILE once listening")
    p.add_argument("--verbose-server", dest="verbose_server", action="store_true",
                   help="print connections as they open and close")
    if run:
        p.add_argument("-R", "--allow-reconfigure", action="store_true",
                       help="offer the hotconfig handler to ControlSocket clients")
        p.add_argument("-h", "--handler", dest="handlers", action="append", default=[],
                       metavar="ELEMENT.H", help="print read handler ELEMENT.H's value at exit "
                       "(ELEMENT may be a class or a pattern, as Click's -h)")


def _token(args) -> str | None:
    if args.token_file:
        try:
            with open(args.token_file, encoding="utf-8") as f:
                return f.read().strip() or None
        except OSError as e:
            raise SystemExit(f"pktlab: --token-file: {e.strerror}: {args.token_file}") from None
    return args.token or os.environ.get("PKTLAB_TOKEN") or None


def start_server(eng, args, config_text: str, *, hotconfig: bool, on_stop=None,
                 default_port: str | None = None):
    """The Server that args ask for (None for none), started in the background."""
    from ..serve import Server
    from ..serve.listen import is_loopback, parse_tcp

    ports = list(args.ports) or ([] if args.sockets or default_port is None else [default_port])
    if not ports and not args.sockets:
        return None
    token = _token(args)
    try:
        exposed = [p for p in ports if not is_loopback(parse_tcp(p)[0])]
    except ValueError as e:
        raise SystemExit(f"pktlab: -p: {e}") from None
    if exposed and token is None:
        token = secrets.token_urlsafe(24)
        print(f"pktlab serve: {exposed[0]} is not the loopback: clients need the token "
              f"{token}", file=sys.stderr, flush=True)
    try:
        mode = int(args.socket_mode, 8)
        srv = Server(eng, tcp=ports, unix=args.sockets, token=token, readonly=args.readonly,
                     hotconfig=hotconfig, config_text=config_text, files=args.allow_file,
                     on_stop=on_stop, unix_mode=mode, unix_group=args.socket_group,
                     verbose=args.verbose_server)
    except (OSError, ValueError, KeyError) as e:
        raise SystemExit(f"pktlab serve: {e}") from None
    srv.start()
    for a in srv.addresses:
        where = f"{a[0]}:{a[1]}" if isinstance(a, tuple) else f"unix:{a}"
        print(f"pktlab serve: listening on {where}", file=sys.stderr, flush=True)
    if args.port_file and srv.port is not None:
        with open(args.port_file + ".tmp", "w") as f:
            f.write(f"{srv.port}\n")
        os.replace(args.port_file + ".tmp", args.port_file)
    return srv


def print_handlers(space, specs: list[str], out=sys.stdout, err=sys.stderr) -> int:
    """Click's -h: read each ELEMENT.HANDLER (ELEMENT: a name, a class, or a
    glob pattern) and print it; names are printed when there is more than
    one value. Returns 1 if any failed, as Click's driver exits."""
    failed = False
    print_names = len(specs) > 1

    def show(element, hname, named):
        nonlocal failed
        h = space.handler(element, hname)
        full = hname if element is None else f"{element}.{hname}"
        if h is None or not h.visible:
            err.write(f"no '{full}' handler\n")
            failed = True
            return
        if not h.readable:
            err.write(f"'{full}' is a write handler\n")
            failed = True
            return
        if named:
            out.write(f"{full}:\n")
        try:
            value = h.read(b"", None).decode("utf-8", "replace")
        except Exception as e:                     # a handler error, reported as Click does
            err.write(f"{full}: {e}\n")
            failed = True
            return
        if "%" not in h.flags and value and not value.endswith("\n"):
            value += "\n"
        out.write(value)
        if named:
            out.write("\n")

    for spec in specs:
        ename, dot, hname = spec.partition(".")
        if not dot:
            show(None, spec, print_names)
            continue
        if space.find(ename) is not None:
            show(ename, hname, print_names)
            continue
        pattern = any(c in ename for c in "?*[")
        matched = [n for n in space.names()
                   if (fnmatch.fnmatchcase(n, ename) if pattern else _is_class(space, n, ename))]
        if not matched:
            err.write(f"no element {'matching ' if pattern else ''}'{ename}'\n")
            failed = True
            continue
        for n in matched:
            h = space.handler(n, hname)
            if h is not None and h.readable:
                show(n, hname, True)
    out.flush()
    return 1 if failed else 0


def _is_class(space, name: str, cls: str) -> bool:
    el = space.engine.graph.elements.get(name)
    return el is not None and el.cls == cls


def cmd_serve(args) -> int:
    from ..engine import Engine, EngineError

    graph = args.load(args.config, args.parse_defines(args.defines))
    with open(args.config, encoding="utf-8", errors="replace") as f:
        text = f.read()
    try:
        eng = Engine(graph, threads=args.threads, cycles=args.cycles, pin=args.pin,
                     dpdk=args.dpdk, timestamps=args.timestamps)
    except EngineError as e:
        print(f"{e}", file=sys.stderr)
        return 1
    if not args.stopped:
        try:
            eng.start()
        except EngineError as e:
            print(f"{e}", file=sys.stderr)
            return 1
    srv = start_server(eng, args, text, hotconfig=not args.no_hotconfig,
                       default_port="127.0.0.1:7777")
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: srv.close())
    try:
        while not srv.wait(0.2):
            pass
    finally:
        srv.close()
        eng.stop()
    return 0


def add_serve_command(sub, load, parse_defines) -> None:
    """`pktlab serve`; load(path, defines) -> Graph and parse_defines(list) -> dict
    are pktlab run's (pktlab.cli.main), so both read configurations alike."""
    s = sub.add_parser("serve", help="serve a configuration's engine over Click's ControlSocket")
    s.add_argument("config")
    s.add_argument("defines", nargs="*", metavar="NAME=VALUE", help="override define()s")
    s.add_argument("--threads", type=int, default=1)
    s.add_argument("--cycles", action="store_true", help="count cycles per element")
    s.add_argument("--timestamps", action="store_true",
                   help="stamp packets at receive/generation (LatencyHistogram)")
    s.add_argument("--pin", action="store_true", help="pin worker threads")
    s.add_argument("--dpdk", metavar="EAL_ARGS", default=None, help="DPDK EAL arguments")
    s.add_argument("--stopped", action="store_true",
                   help="load the configuration, serve it, but do not start the engine")
    s.add_argument("--no-hotconfig", action="store_true",
                   help="refuse new configurations (the hotconfig handler)")
    add_server_options(s)
    s.set_defaults(fn=cmd_serve, load=load, parse_defines=parse_defines)


__all__ = ["add_serve_command", "add_server_options", "cmd_serve", "print_handlers",
           "start_server"]
