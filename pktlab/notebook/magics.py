"""The IPython extension: `%load_ext pktlab`, then

    %%click fwd [--threads N] [--dpdk "EAL ARGS"] [--define X=Y] [--hz 10] [--no-cycles]
    src :: InfiniteSource(LENGTH 64, BURST 32) -> c :: Counter -> Discard;

    %%click dut --remote HOST:PORT [--token T]     (or unix:/path; an empty cell just attaches)

parses the cell, starts an Engine bound to `fwd` in the notebook's namespace
and shows its views: the graph widget, live tuning controls, the engine's
log and the telemetry dashboard (`add_view` adds more). Running the cell
again changes the running engine live (`Engine.apply`) when the engine
supports it, and otherwise stops it and starts the new configuration; the
plots keep their history and mark the change. Each name has one Session
(pktlab.notebook.session): a re-run replaces its views, and every view
follows the engine whoever changes it. With --remote the engine is one that
`pktlab serve` runs elsewhere (pktlab.connect): the cell's configuration, if
any, is applied to it live, and the same views show it. `%pktlab list`,
`%pktlab stop NAME`,`%pktlab start NAME`.

Mistakes in the cell are shown as FILE:LINE:COL with the line and a caret
under the offending token, not as a Python traceback; line numbers count the
`%%click` line as line 1, as the editor does. A failed re-run leaves the
running engine and its views as they were, under the error.
"""

from __future__ import annotations

import argparse
import inspect
import keyword
import shlex
import sys
from collections.abc import Callable

from .cellerrors import CellError, error_text
from .session import Session

SESSIONS: dict[str, Session] = {}
# View factories: fn(session) -> a displayable or None, shown in order under
# the cell: the graph widget, the tuning controls, the dashboard (registered
# below), then any that other code adds with add_view.
VIEWS: list[Callable] = []


def add_view(factory: Callable, first: bool = False) -> None:
    """Show factory(session)'s result under every %%click cell."""
    if factory not in VIEWS:
        VIEWS.insert(0, factory) if first else VIEWS.append(factory)


def _positive(kind, what: str):
    def check(text: str):
        try:
            v = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {what}, got '{text}'") from None
        if not v > 0:
            raise argparse.ArgumentTypeError(f"must be more than 0, got {text}")
        return v
    return check


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="%%click", add_help=False, exit_on_error=False)
    p.add_argument("name")
    p.add_argument("--threads", type=_positive(int, "a whole number"), default=1)
    p.add_argument("--dpdk", default=None, metavar="EAL ARGS")
    p.add_argument("--define", "-D", action="append", default=[], metavar="X=Y")
    p.add_argument("--hz", type=_positive(float, "a rate in Hz"), default=10.0,
                   help="telemetry sampling rate")
    p.add_argument("--no-cycles", dest="cycles", action="store_false",
                   help="do not count cycles per element")
    p.add_argument("--timestamps", action="store_true",
                   help="stamp packets at receive/generation, for LatencyHistogram")
    p.add_argument("--no-views", dest="views", action="store_false",
                   help="start the engine without showing controls and plots")
    p.add_argument("--remote", default=None, metavar="ADDRESS",
                   help="drive the engine `pktlab serve` runs at HOST:PORT or unix:PATH")
    p.add_argument("--token", default=None, help="the remote server's token")
    return p


def parse_line(line: str) -> argparse.Namespace:
    from IPython.core.error import UsageError

    try:
        args = _parser().parse_args(shlex.split(line))
    except (argparse.ArgumentError, argparse.ArgumentTypeError, ValueError) as e:
        raise UsageError(f"%%click: {e}\nusage: %%click NAME [--threads N] [--dpdk \"EAL ARGS\"] "
                         "[--define X=Y] [--hz HZ] [--no-cycles] [--no-views] "
                         "[--remote ADDRESS]") from None
    except SystemExit:
        raise UsageError("usage: %%click NAME [--threads N] [--dpdk \"EAL ARGS\"] "
                         "[--define X=Y] [--hz HZ] [--no-cycles] [--no-views]") from None
    if not args.name.isidentifier() or keyword.iskeyword(args.name):
        raise UsageError(f"%%click: '{args.name}' is not a Python name")
    defines = {}
    for d in args.define:
        k, sep, v = d.partition("=")
        if not sep or not k:
            raise UsageError(f"%%click: --define expects X=Y, got '{d}'")
        defines[k.lstrip("$")] = v
    args.defines = defines
    return args


def build(name: str, cell: str, args):
    """Parse the cell (numbered as in the editor: the %%click line is line 1)."""
    from ..lang import ConfigError, parse

    text = "\n" + cell
    try:
        return text, parse(text, f"<click {name}>", defines=args.defines)
    except ConfigError as e:
        raise CellError(str(e)) from None


def remote_engine(graph, text: str, args):
    """Connect to the served engine; apply the cell's graph to it if it has one."""
    from ..engine import EngineError
    from ..engine.remote import connect

    try:
        eng = connect(args.remote, token=args.token, hz=args.hz)
    except (EngineError, OSError) as e:
        raise CellError(f"%%click --remote {args.remote}: {e}") from None
    if graph.elements and graph != eng.graph:
        try:
            eng.apply(graph)
        except EngineError as e:
            eng.close()
            raise CellError(error_text(e, text, graph) + "\n(the served engine is unchanged)") \
                from None
    return eng


def new_engine(graph, text: str, args):
    from ..engine import Engine, EngineError

    if getattr(args, "remote", None):
        return remote_engine(graph, text, args)
    kw = {"threads": args.threads, "cycles": args.cycles}
    if args.timestamps:
        kw["timestamps"] = True
    if args.dpdk is not None:
        params = inspect.signature(Engine).parameters
        key = next((k for k in ("dpdk", "eal") if k in params), None)
        if key is None:
            raise CellError("--dpdk: this pktlab's Engine takes no DPDK arguments yet "
                            "(built without DPDK support)")
        kw[key] = args.dpdk
    try:
        return Engine(graph, **kw)
    except EngineError as e:
        raise CellError(error_text(e, text, graph)) from None


def _views(session: Session) -> list:
    out = []
    for f in VIEWS:
        v = f(session)
        if v is not None:
            out.append(v)
    return out


def widget_view(session: Session):
    """The graph widget (pktlab.notebook.widget), where anywidget is installed."""
    try:
        from .widget import GraphWidget
    except ImportError:                    # the `lab` extra is not installed
        return None
    session.graph_widget = GraphWidget(session.engine)
    return session.graph_widget


def controls_view(session: Session):
    from .controls import Controls

    session.controls = Controls(session.engine, sampler=session.sampler, follow=False)
    return session.controls.box


def log_view(session: Session):
    from .logview import LogView

    session.log = LogView(session.engine)
    return session.log.widget


def dashboard_view(session: Session):
    from .plots import Dashboard

    session.dashboard = Dashboard(session.sampler, title=f"{session.name}", subscribe=False)
    return session.dashboard.widget()


add_view(widget_view)
add_view(controls_view)
add_view(log_view)
add_view(dashboard_view)


def _origin(shell, line: str, cell: str) -> tuple[str | None, str]:
    """(the front end's id of the cell being run, its source): from the
    execute request, where the front end sends them (JupyterLab does)."""
    parent = getattr(shell, "parent_header", None) or {}
    cell_id = (parent.get("metadata") or {}).get("cellId")
    code = (parent.get("content") or {}).get("code")
    if not isinstance(code, str) or not code.lstrip().startswith("%%click") or \
            code.partition("\n")[2].rstrip() != cell.rstrip():
        code = f"%%click {line}\n{cell}".rstrip("\n")
    return cell_id, code


def _failed(old: Session, e: CellError, cell_id) -> CellError:
    """A re-run failed: the running engine and its faces stay. In their own
    cell (whose output the front end cleared) the error comes first, then
    the faces again."""
    state = "running" if old.engine.running else "stopped"
    if old.runs and old.cell_id == cell_id:
        print(e.text, file=sys.stderr)
        old.show_again()
        return CellError(f"%%click {old.name}: not changed (the error is above); the engine "
                         f"is {state} as before, shown above")
    return CellError(e.text + f"\n(%%click {old.name}: not changed; the engine is {state} as "
                     "before)")


def _change(old: Session, graph, text: str):
    """Re-run: change the running engine live (nothing if the text means
    what runs)."""
    from ..engine import EngineError
    from ..graph import diff

    d = diff(old.engine.graph, graph)
    if d.empty() and not d.renamed:
        return None
    old.in_cell = True
    try:
        change = old.engine.apply(graph)   # marks the plots through Engine.on_change
    except EngineError as e:
        raise CellError(error_text(e, text, graph)) from None
    finally:
        old.in_cell = False
    old.changes.append(change)
    return change


def _restart(old: Session | None, args, graph, text: str, opts: dict) -> Session:
    """A new engine (first run, other options, or a stopped engine)."""
    from ..engine import EngineError
    from ..engine.accessors import attach
    from ..telemetry import Sampler

    eng = new_engine(graph, text, args)
    remote = old is not None and getattr(old.engine, "remote", False)
    was_running = old is not None and not remote and old.engine.running
    if old is not None:
        # a remote engine goes on serving others: only this client goes
        old.engine.close() if remote else old.engine.stop()
    try:
        eng.start()
    except EngineError as e:
        if was_running:
            old.engine.start()             # as it was: the error is the new one's
        raise CellError(error_text(e, text, graph)) from None
    if old is not None:
        old.retire(old.replaced_note())
        old.sampler.attach(eng, label="restart")
        sampler = old.sampler
    else:
        sampler = Sampler(eng, hz=args.hz)
    attach(eng, "telemetry", sampler)
    sampler.start()
    session = old if old is not None else Session(args.name, text, opts, None, sampler)
    session.options = opts
    session.bind(eng)
    session.listen()
    return session


def run_cell(shell, line: str, cell: str):
    """%%click: start (or change) the engine NAME and show its views."""
    args = parse_line(line)
    cell_id, code = _origin(shell, line, cell)
    opts = {"threads": args.threads, "dpdk": args.dpdk, "cycles": args.cycles,
            "remote": args.remote, "timestamps": args.timestamps}
    old = SESSIONS.get(args.name)
    try:
        text, graph = build(args.name, cell, args)
        if old is not None and old.options == opts and old.engine.running and \
                hasattr(old.engine, "apply"):
            if graph.elements or not args.remote:   # an empty --remote cell only attaches
                _change(old, graph, text)
            old.retire(old.replaced_note())
            session = old
        else:
            session = _restart(old, args, graph, text, opts)
    except CellError as e:
        if old is None:
            raise
        raise _failed(old, e, cell_id) from None
    session.text, session.cell_id, session.code = text, cell_id, code
    attached = args.remote and not graph.elements      # what the served engine runs
    session.defines = dict(args.defines)
    session.ran = (session.engine.graph if attached else graph).copy()
    SESSIONS[args.name] = session
    shell.user_ns[args.name] = session.engine
    if args.views:
        session.show(_views(session))
    return None


def line_magic(shell, line: str):
    """%pktlab list | stop NAME... | start NAME..."""
    from IPython.core.error import UsageError

    words = shlex.split(line)
    if not words or words[0] == "list":
        return list_sessions()
    cmd, names = words[0], words[1:]
    if cmd not in ("stop", "start"):
        raise UsageError("usage: %pktlab list | %pktlab stop [NAME...] | %pktlab start NAME...")
    if cmd == "stop" and not names:
        names = list(SESSIONS)
    for n in names:
        s = SESSIONS.get(n)
        if s is None:
            have = ", ".join(SESSIONS) or "none"
            raise UsageError(f"%pktlab {cmd}: no engine named '{n}' (running: {have})")
        if cmd == "stop":
            s.engine.stop()
            s.sampler.sample()             # final counts for the plots
            if s.log is not None:
                s.log.pump()
        elif not s.engine.running:
            from ..engine import EngineError

            try:
                s.engine.start()
            except EngineError as e:       # e.g. its DPDK port is another running engine's
                raise UsageError(f"%pktlab start {n}: {e}") from None
            s.sampler.start()
    return None


def list_sessions():
    """The %%click engines: name, state, threads, elements, packets/s now."""
    rows = []
    for name, s in SESSIONS.items():
        snap = s.sampler.snapshot()
        pps = max((e["pps"] for e in snap["elements"].values()), default=0.0) \
            if s.engine.running else 0.0
        rows.append(f"{name:<16} {'running' if s.engine.running else 'stopped':<8} "
                    f"{s.options['threads']:>2} thread(s) {len(s.engine.elements):>4} elements "
                    f"{pps / 1e6:10.2f} Mpps")
    print("\n".join(rows) if rows else "no %%click engines")


def load_ipython_extension(ipython) -> None:
    from IPython.core.magic import Magics, cell_magic, line_magic as _line, magics_class

    @magics_class
    class PktlabMagics(Magics):
        @cell_magic("click")
        def click(self, line, cell):
            """%%click NAME [--threads N] [--dpdk "EAL ARGS"] [--define X=Y]: run the cell's
            Click configuration as engine NAME (re-run: change it live)."""
            return run_cell(self.shell, line, cell)

        @_line("pktlab")
        def pktlab(self, line):
            """%pktlab list | stop [NAME...] | start NAME..."""
            return line_magic(self.shell, line)

    ipython.register_magics(PktlabMagics)


def unload_ipython_extension(ipython) -> None:
    for s in SESSIONS.values():
        s.close()
    SESSIONS.clear()


__all__ = ["CellError", "SESSIONS", "Session", "add_view", "load_ipython_extension",
           "run_cell", "line_magic"]
