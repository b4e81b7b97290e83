"""The IPython extension: `%load_ext pktlab`, then

    %%click fwd [--threads N] [--dpdk "EAL ARGS"] [--define X=Y] [--hz 10] [--no-cycles]
    src :: InfiniteSource(LENGTH 64, BURST 32) -> c :: Counter -> Discard;

    %%click dut --remote HOST:PORT [--token T]     (or unix:/path; an empty cell just attaches)

parses the cell, starts an Engine bound to `fwd` in the notebook's namespace
and shows its views: live tuning controls and the telemetry dashboard (and,
once it exists, the graph widget: see `add_view`). Running the cell again
changes the running engine live (`Engine.apply`) when the engine supports it,
and otherwise stops it and starts the new configuration; the plots keep
their history and mark the change. With --remote the engine is one that
`pktlab serve` runs elsewhere (pktlab.connect): the cell's configuration,
if any, is applied to it live, and the same views show it. `%pktlab list`, `%pktlab stop NAME`,
`%pktlab start NAME`.

Mistakes in the cell are shown as FILE:LINE:COL with the line and a caret,
not as a Python traceback; line numbers count the `%%click` line as line 1,
as the editor does.
"""

from __future__ import annotations

import argparse
import inspect
import keyword
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field

SESSIONS: dict[str, Session] = {}
# View factories: fn(session) -> a displayable or None, shown in order under
# the cell: the graph widget, the tuning controls, the dashboard (registered
# below), then any that other code adds with add_view.
VIEWS: list[Callable] = []


def add_view(factory: Callable, first: bool = False) -> None:
    """Show factory(session)'s result under every %%click cell."""
    if factory not in VIEWS:
        VIEWS.insert(0, factory) if first else VIEWS.append(factory)


class CellError(Exception):
    """A configuration mistake: IPython shows the text, not a traceback."""

    def __init__(self, text: str):
        super().__init__(text)
        self.text = text

    def _render_traceback_(self):
        return self.text.splitlines()


@dataclass
class Session:
    """One %%click NAME: its engine and the views shown for it."""

    name: str
    text: str
    options: dict
    engine: object
    sampler: object
    dashboard: object = None
    controls: object = None
    changes: list = field(default_factory=list)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="%%click", add_help=False, exit_on_error=False)
    p.add_argument("name")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--dpdk", default=None, metavar="EAL ARGS")
    p.add_argument("--define", "-D", action="append", default=[], metavar="X=Y")
    p.add_argument("--hz", type=float, default=10.0, help="telemetry sampling rate")
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
    except (argparse.ArgumentError, ValueError) as e:
        raise UsageError(f"%%click: {e}\nusage: %%click NAME [--threads N] [--dpdk \"EAL ARGS\"] "
                         "[--define X=Y] [--hz HZ] [--no-cycles] [--no-views] [--remote ADDRESS]") from None
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


def _caret(text: str, line: int, col: int) -> str:
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        return ""
    src = lines[line - 1]
    pad = "".join(c if c == "\t" else " " for c in src[: max(col - 1, 0)])
    return f"\n    {src}\n    {pad}^"


def _error_text(e: Exception, text: str) -> str:
    """ConfigError already carries carets; EngineError gets one from its loc."""
    from ..engine import EngineError

    if isinstance(e, EngineError):
        loc = e.loc
        line, col = (loc.line, loc.col) if loc is not None else (e.line, e.col)
        return str(e) + (_caret(text, line, col or 1) if line else "")
    return str(e)


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
            raise CellError(_error_text(e, text) + "\n(the served engine is unchanged)") from None
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
        raise CellError(_error_text(e, text)) from None


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
        from .widget import cell_view
    except ImportError:                    # the `lab` extra is not installed
        return None
    return cell_view(session)


def controls_view(session: Session):
    from .controls import Controls

    session.controls = Controls(session.engine, sampler=session.sampler)
    return session.controls.box


def dashboard_view(session: Session):
    from .plots import Dashboard

    if session.dashboard is not None:
        session.dashboard.detach()       # the earlier output keeps its last picture
    session.dashboard = Dashboard(session.sampler, title=f"{session.name}")
    return session.dashboard.widget()


add_view(widget_view)
add_view(controls_view)
add_view(dashboard_view)


def run_cell(shell, line: str, cell: str):
    """%%click: start (or change) the engine NAME and show its views."""
    from IPython.display import display

    from ..engine import EngineError
    from ..engine.accessors import attach
    from ..telemetry import Sampler

    args = parse_line(line)
    text, graph = build(args.name, cell, args)
    opts = {"threads": args.threads, "dpdk": args.dpdk, "cycles": args.cycles,
            "remote": args.remote, "timestamps": args.timestamps}
    old = SESSIONS.get(args.name)
    if old is not None and old.options == opts and old.engine.running and \
            hasattr(old.engine, "apply"):
        if graph.elements or not args.remote:       # an empty --remote cell only attaches
            try:
                change = old.engine.apply(graph)   # marks the plots through Engine.on_change
            except EngineError as e:
                raise CellError(_error_text(e, text) + "\n(the running engine is unchanged)") \
                    from None
            old.text = text
            old.changes.append(change)
        session = old
    else:
        eng = new_engine(graph, text, args)
        if old is not None:
            # a remote engine goes on serving others: only this client goes
            old.engine.close() if getattr(old.engine, "remote", False) else old.engine.stop()
            old.sampler.attach(eng, label="restart")
            sampler = old.sampler
        else:
            sampler = Sampler(eng, hz=args.hz)
        attach(eng, "telemetry", sampler)
        try:
            eng.start()
        except EngineError as e:
            raise CellError(_error_text(e, text)) from None
        sampler.start()
        session = Session(args.name, text, opts, eng, sampler)
        if old is not None:
            session.changes = old.changes
            if old.dashboard is not None:
                old.dashboard.detach()
        SESSIONS[args.name] = session
    shell.user_ns[args.name] = session.engine
    if args.views:
        views = _views(session)
        if views:
            display(*views)
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
        elif not s.engine.running:
            s.engine.start()
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
        s.engine.stop()
        s.sampler.stop()
    SESSIONS.clear()


__all__ = ["CellError", "SESSIONS", "Session", "add_view", "load_ipython_extension",
           "run_cell", "line_magic"]
