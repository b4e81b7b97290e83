"""`pktlab click [OPTIONS] [FILE] [NAME=VALUE...]`: Click's userlevel driver.

It reads a configuration (FILE, `-f FILE`, `-e EXPR`, or standard input),
installs it in the engine, reports errors to standard error in Click's
words, optionally writes the flat configuration (`-o FILE`), runs until the
configuration stops it (a source's `STOP true`, the `stop` handler), then
prints the `-h` handlers and exits with Click's status: 0, 1 for an error,
or the `-x` handler's value. A configuration that never stops runs until
SIGINT or SIGTERM, which stop it as cleanly as the configuration would.

pktlab's own additions: `--per-packet` (batches of one, Click's execution
model) and `--batch-rounds N` (task rounds between two looks at the log).
"""

from __future__ import annotations

import os
import resource
import signal
import sys
import time

from . import messages
from .handlers import exit_status, print_handlers
from .options import NONE, OPTIONAL, REQUIRED, Option, UsageError, is_define, parse

PROGRAM = "click"

OPTIONS = [
    Option("allow-reconfigure", "R", "reconfigure", NONE, negate=True),
    Option("clickpath", "C", "clickpath", REQUIRED),
    Option("expression", "e", "expression", REQUIRED),
    Option("file", "f", "file", REQUIRED),
    Option("handler", "h", "handler", REQUIRED),
    Option("help", None, "help"),
    Option("output", "o", "output", REQUIRED),
    Option("socket", None, "socket", REQUIRED),
    Option("port", "p", "port", REQUIRED),
    Option("quit", "q", "quit"),
    Option("simtime", None, "simtime", OPTIONAL),
    Option("simulation-time", None, "simtime", OPTIONAL),
    Option("threads", "j", "threads", REQUIRED),
    Option("affinity", "a", "affinity", OPTIONAL, negate=True),
    Option("cpu", None, "affinity", OPTIONAL, negate=True),
    Option("time", "t", "time"),
    Option("unix-socket", "u", "unix_socket", REQUIRED),
    Option("version", "v", "version"),
    Option("warnings", None, "warnings", NONE, negate=True),
    Option("exit-handler", "x", "exit_handler", REQUIRED),
    Option(None, "w", "no_warnings"),
    Option("per-packet", None, "per_packet"),
]

USAGE = """\
'Click' runs a Click router configuration at user level. It installs the
configuration, reporting any errors to standard error, and then generally runs
until interrupted. (pktlab's drop-in for Click's driver: the configuration runs
in pktlab's engine.)

Usage: click [OPTION]... [ROUTERFILE] [NAME=VALUE]...

Options:
  -f, --file FILE               Read router configuration from FILE.
  -e, --expression EXPR         Use EXPR as router configuration.
  -j, --threads N               Start N threads (default 1).
  -a, --affinity[=N]            Pin threads to CPUs starting at #N (default 0).
  -p, --port PORT               Listen for control connections on TCP port.
  -u, --unix-socket FILE        Listen for control connections on Unix socket.
  -R, --allow-reconfigure       Provide a writable 'hotconfig' handler.
  -h, --handler ELEMENT.H       Call ELEMENT's read handler H after running
                                driver and print result to standard output.
  -x, --exit-handler ELEMENT.H  Use handler ELEMENT.H value for exit status.
  -o, --output FILE             Write flat configuration to FILE.
  -q, --quit                    Do not run driver.
  -t, --time                    Print information on how long driver took.
  -w, --no-warnings             Do not print warnings.
      --simtime                 Run in simulation time.
  -C, --clickpath PATH          Use PATH for CLICKPATH.
      --per-packet              Batches of one packet (Click's own model).
      --help                    Print this message and exit.
  -v, --version                 Print version number and exit.
"""


def short_usage() -> None:
    sys.stderr.write(f"Usage: {PROGRAM} [OPTION]... [ROUTERFILE]\n"
                     f"Try '{PROGRAM} --help' for more information.\n")


class Settings:
    """What the command line asked for."""

    def __init__(self) -> None:
        self.source: str | None = None
        self.is_expr = False
        self.defines: dict[str, str] = {}
        self.output: str | None = None
        self.handlers: list[str] = []
        self.exit_handler: str | None = None
        self.quit = False
        self.time = False
        self.warnings = True
        self.threads = 1
        self.affinity: int | None = None
        self.simtime: float | None = None
        self.per_packet = False
        self.ports: list[str] = []
        self.unix_sockets: list[str] = []
        self.reconfigure = False


def read_settings(argv: list[str]) -> Settings | int:
    """The settings, or an exit status (usage error, --help, --version)."""
    s = Settings()
    try:
        parsed = parse(argv, OPTIONS)
    except UsageError as e:
        sys.stderr.write(f"{PROGRAM}: {e}\n")
        short_usage()
        return 1
    for p in parsed:
        if p.key == "" and is_define(p.value):
            name, _, value = p.value.partition("=")
            if name in s.defines:
                sys.stderr.write(f"parameter '{name}' multiply defined\n")
            s.defines[name] = value
        elif p.key in ("", "file", "expression"):
            if s.source is not None:
                sys.stderr.write("router configuration specified twice\n")
                short_usage()
                return 1
            s.source, s.is_expr = p.value, p.key == "expression"
        elif p.key == "output":
            if s.output is not None:
                sys.stderr.write("output file specified twice\n")
                short_usage()
                return 1
            s.output = p.value
        elif p.key == "handler":
            s.handlers.append(p.value)
        elif p.key == "exit_handler":
            if s.exit_handler is not None:
                sys.stderr.write("--exit-handler specified twice\n")
                short_usage()
                return 1
            s.exit_handler = p.value
        elif p.key in ("quit", "time", "per_packet"):
            setattr(s, p.key, True)
        elif p.key == "warnings":
            s.warnings = not p.negated
        elif p.key == "no_warnings":
            s.warnings = False
        elif p.key == "reconfigure":
            s.reconfigure = not p.negated
        elif p.key == "threads":
            try:
                s.threads = max(1, int(p.value))
            except ValueError:
                sys.stderr.write(f"{PROGRAM}: '{p.spelled}' expects an integer, not "
                                 f"'{p.value}'\n")
                short_usage()
                return 1
        elif p.key == "affinity":
            s.affinity = None if p.negated else int(p.value or 0)
        elif p.key == "simtime":
            s.simtime = float(p.value) if p.value else 1e9
        elif p.key == "port":
            s.ports.append(p.value)
        elif p.key == "unix_socket":
            s.unix_sockets.append(p.value)
        elif p.key == "clickpath":
            os.environ["CLICKPATH"] = p.value
        elif p.key == "socket":
            sys.stderr.write(f"{PROGRAM}: --socket is not supported by pktlab\n")
            return 1
        elif p.key == "help":
            sys.stdout.write(USAGE)
            return 0
        elif p.key == "version":
            from importlib.metadata import version

            __version__ = version("pktlab")
            sys.stdout.write(f"click (pktlab {__version__})\n")
            return 0
    return s


def _config_text(s: Settings) -> tuple[str, str] | None:
    """(text, landmark) of the configuration, or None after an error."""
    if s.is_expr:
        return s.source or "", "config"
    if s.source in (None, "", "-"):
        return sys.stdin.read(), "<stdin>"
    try:
        with open(s.source, encoding="utf-8", errors="surrogateescape") as f:
            return f.read(), s.source
    except OSError as e:
        sys.stderr.write(f"{s.source}: {e.strerror or e}\n")
        return None


def load(s: Settings):
    """Parse and install the configuration: (graph, engine), or None after errors."""
    from ...engine import Engine, EngineError, element_classes
    from ...lang import ConfigError, parse

    got = _config_text(s)
    if got is None:
        return None
    text, where = got
    try:
        graph = parse(text, where, s.defines, classes=set(element_classes()))
    except ConfigError as e:
        messages.report(messages.config_error_lines(e))
        return None
    try:
        sim = s.simtime is not None and s.threads == 1     # simulated time runs on one thread
        eng = Engine(graph, threads=s.threads, per_packet=s.per_packet,
                     pin=s.affinity is not None, first_cpu=s.affinity or 0,
                     simtime=sim, simtime_start=s.simtime if sim else 0.0)
    except EngineError as e:
        messages.report(messages.engine_error_lines(e, graph))
        return None
    messages.report(messages.element_message_lines(eng.messages(), graph, s.warnings))
    return graph, eng


def _write_flat(s: Settings, eng) -> bool:
    text = eng.read_handler("flatconfig")
    if s.output == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return True
    try:
        with open(s.output, "w", encoding="utf-8") as f:
            f.write(text)
    except OSError as e:
        sys.stderr.write(f"{s.output}: {e.strerror or e}\n")
        return False
    return True


def _flush_log(eng) -> None:
    text = eng.log()                    # what the ring kept before log_to()
    if text:
        sys.stderr.write(text)
        sys.stderr.flush()


def _flush_out(eng) -> None:
    text = eng.output()                 # Script's print: Click's stdout
    if text:
        sys.stdout.write(text)
        sys.stdout.flush()


def serve(s: Settings, eng, text: str, stop: dict):
    """Click's ControlSocket for -p/-u (pktlab.serve; -R offers hotconfig), or None."""
    if not s.ports and not s.unix_sockets:
        return None
    import argparse

    from ..serve import start_server

    args = argparse.Namespace(ports=s.ports, sockets=s.unix_sockets, token=None,
                              token_file=None, readonly=False, socket_mode="0600",
                              socket_group=None, allow_file=[], port_file=None,
                              verbose_server=False)
    return start_server(eng, args, text, hotconfig=s.reconfigure,
                        on_stop=lambda: stop.update(now=True))


def run(eng, rounds: int = 64, stop: dict | None = None, threaded: bool = False) -> None:
    """Run until the configuration stops the driver, or a signal does; threaded
    (workers, as under a ControlSocket whose calls come from other threads)
    or inline on this one."""
    stop = stop if stop is not None else {"now": False}

    def on_signal(signum, frame):
        stop["now"] = True

    old = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    _flush_log(eng)
    sys.stderr.flush()
    eng.log_to(sys.stderr.fileno())       # Print's lines go to stderr as they come, as Click's
    try:
        if eng.threads == 1 and not threaded:
            while not stop["now"]:
                eng.run_inline(rounds)
                _flush_out(eng)
                if eng.done:
                    break
                if not eng.live_tasks:
                    time.sleep(0.02)        # nothing to run: Click waits, as here
        else:
            eng.start()
            while not stop["now"] and not eng.done:
                time.sleep(0.005)
                _flush_out(eng)
            eng.stop()
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)
        eng.log_to(None)
        _flush_out(eng)


def _report_time(before: resource.struct_rusage, t0: float) -> None:
    after = resource.getrusage(resource.RUSAGE_SELF)
    wall = time.monotonic() - t0
    sys.stdout.write(f"{after.ru_utime - before.ru_utime:.3f}u "
                     f"{after.ru_stime - before.ru_stime:.3f}s "
                     f"{int(wall // 60)}:{wall % 60:05.2f}\n")


def main(argv: list[str]) -> int:
    s = read_settings(argv)
    if isinstance(s, int):
        return s
    loaded = load(s)
    if loaded is None:
        return 1
    graph, eng = loaded
    status = 0
    if s.output is not None and not _write_flat(s, eng):
        status = 1
    before = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.monotonic()
    stop = {"now": False}
    srv = None
    if not s.quit:
        got = _config_text(s)
        srv = serve(s, eng, got[0] if got else "", stop)
    try:
        if not s.quit and (graph.elements or srv is not None):
            run(eng, stop=stop, threaded=srv is not None)
    finally:
        if srv is not None:
            srv.close()
    if not s.quit and not graph.elements and srv is None and s.warnings:
        where = "config" if s.is_expr else (s.source if s.source not in (None, "", "-")
                                            else "<stdin>")
        sys.stderr.write(f"warning: {where}: configuration has no elements, exiting\n")
    if s.time:
        _report_time(before, t0)
    if s.handlers and not print_handlers(eng, s.handlers):
        status = 1
    if s.exit_handler:
        status = exit_status(eng, s.exit_handler)
    sys.stdout.flush()
    return status
