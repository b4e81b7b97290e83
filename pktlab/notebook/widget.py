"""The graph widget: a Click graph drawn, edited and applied in the notebook.

    w = pktlab.GraphWidget(eng)             # an Engine, a Graph, or Click text
    w                                       # shows it; edit it in the notebook
    w.graph, w.to_click()                   # the edited graph and its Click text
    w.apply()                               # same as the Apply button

Python holds the truth: the traits below are the graph; the view (an
anywidget ESM bundle built from labextension/) only draws them and proposes
edits as messages, which GraphEditor checks and applies. With a running engine,
"Apply" hands the edited graph to `Engine.apply` (a live change); without one,
edits only change the graph. The output bundle also carries the graph as
`application/vnd.pktlab.graph+json`: a saved notebook shows it without a kernel.
"""

from __future__ import annotations

import weakref

import anywidget
import traitlets as t

from .editing import EditError, GraphEditor, ParamErrors, config_params
from .following import rebase
from .frontend import BUNDLE, CSS, ESM
from ..engine import EngineError
from ..graph import Connection, Graph, diff
from .graphview import MIME, class_table, graph_html, port_counts, view_json
from .pullview import pull_edges
from ..telemetry.overlay import LiveOverlay

__all__ = ["GraphWidget", "run_file", "stop_all"]

_ENGINES: weakref.WeakSet = weakref.WeakSet()


def _resolve(source, engine):
    from ..engine import Engine
    from ..engine.remote import RemoteEngine

    if isinstance(source, (Engine, RemoteEngine)):
        return source.graph, source
    if isinstance(source, Graph):
        return source, engine
    if isinstance(source, str):
        from ..lang import parse

        return parse(source), engine
    if source is None:
        return (engine.graph if engine is not None else Graph()), engine
    raise TypeError(f"GraphWidget needs an Engine, a Graph or Click text, not {type(source)}")


class GraphWidget(anywidget.AnyWidget):
    """An editable Click graph, with live numbers when an engine runs it."""

    _esm = ESM                  # a loader: the bundle is imported once per page (frontend.py)
    _css = CSS

    elements = t.List(t.Dict(), help="Elements in engine order: {name, class, config}.").tag(
        sync=True)
    connections = t.List(t.List(), help="Connections: [src, sport, dst, dport].").tag(sync=True)
    parameters = t.Dict(help="Per element, the parameters its configuration sets: "
                        "{element: {KEYWORD: value text}}.").tag(sync=True)
    positions = t.Dict(help="Element positions a user gave, {element: [x, y]}; the others "
                       "are laid out automatically.").tag(sync=True)
    ports = t.Dict(help="Ports to draw per element: {element: [inputs, outputs]}.").tag(sync=True)
    pull = t.List(t.Unicode(), help="'src:sport' of every pull edge (dashed).").tag(sync=True)
    classes = t.Dict(help="The element classes (palette and parameter forms), from the "
                     "engine's descriptors.").tag(sync=True)
    errors = t.Dict(help="Rejected parameter values: {element: {KEYWORD: message}}.").tag(
        sync=True)
    live = t.Dict(help="Live numbers: {'edges': {'src:port': pps}, 'elements': {name: "
                  "{pps, batch, load, drops, dropping}}}.").tag(sync=True)
    pending = t.Dict(help="Edits not yet applied to the engine: {count, summary}.").tag(sync=True)
    status = t.Dict(help="The last message for the user: {kind, text, changed, seq}.").tag(
        sync=True)
    engine_state = t.Unicode("none", help="'none', 'running' or 'stopped'.").tag(sync=True)
    cell = t.Dict(help="The %%click cell that keeps in step with the engine (set by its "
                  "session): {id, ran (its text as it ran), text (its text for the engine's "
                  "graph now), seq, force}; the JupyterLab extension writes `text` into the "
                  "cell while the cell still holds `ran`.").tag(sync=True)
    cell_state = t.Unicode("", help="'' (in step), 'updated', 'edited' (the cell changed since "
                           "it ran: Update overwrites it), 'unsupported' (no JupyterLab "
                           "extension: the text can be copied)").tag(sync=True)
    retired = t.Unicode("", help="Why this widget no longer follows an engine (a newer run of "
                        "its cell replaced it); the view shows it and takes no edits.").tag(
        sync=True)
    can_undo = t.Bool(False, help="An edit can be undone.").tag(sync=True)
    can_redo = t.Bool(False, help="An undone edit can be redone.").tag(sync=True)

    def __init__(self, source=None, *, engine=None, positions=None, live_hz: float = 5.0,
                 **kwargs):
        graph, eng = _resolve(source, engine)
        self._editor = GraphEditor(graph, positions)
        self._syncing = True
        self._seq = 0
        self.engine = eng
        self._applied = eng.graph.copy() if eng is not None else None
        if eng is not None:
            _ENGINES.add(eng)
        # The whole state goes with the comm's opening message: no update can
        # race the front end's model creation.
        super().__init__(classes=class_table(), **self._state(), **kwargs)
        self._syncing = False
        self.on_msg(self._on_msg)
        self.observe(self._from_python, names=["elements", "connections"])
        self.observe(self._params_from_python, names=["parameters"])
        self.observe(self._on_positions, names=["positions"])
        self._overlay = LiveOverlay(lambda: self.engine, self._publish_live, live_hz)
        self._applying = False
        self.on_cell = None          # fn(result, seq): the session hears how the cell went

    # ---- the graph --------------------------------------------------------

    @property
    def graph(self) -> Graph:
        """The edited graph (a copy)."""
        return self._editor.graph.copy()

    @graph.setter
    def graph(self, graph: Graph) -> None:
        self._editor.reset(graph)
        self._sync()

    def to_click(self) -> str:
        """The edited graph as Click text."""
        from ..lang import unparse

        return unparse(self._editor.graph)

    @property
    def editor(self) -> GraphEditor:
        """The edit operations (add, remove, connect, insert, set_params, undo, ...);
        call `refresh()` after using them directly."""
        return self._editor

    def refresh(self) -> None:
        self._sync()

    def _state(self) -> dict:
        g = self._editor.graph
        return {
            "elements": [{"name": e.name, "class": e.cls, "config": e.config}
                         for e in g.elements.values()],
            "connections": [[c.src, c.sport, c.dst, c.dport] for c in g.connections],
            "ports": port_counts(g),
            "pull": pull_edges(g, self.engine),
            "parameters": {n: config_params(e.cls, e.config) for n, e in g.elements.items()},
            "positions": {n: list(p) for n, p in self._editor.positions.items()},
            "can_undo": self._editor.can_undo,
            "can_redo": self._editor.can_redo,
            "pending": self._pending(),
            "engine_state": ("none" if self.engine is None else
                             "running" if self.engine.running else "stopped"),
        }

    def _sync(self) -> None:
        self._syncing = True
        try:
            with self.hold_sync():
                for name, value in self._state().items():
                    setattr(self, name, value)
        finally:
            self._syncing = False

    def _pending(self) -> dict:
        if self._applied is None:
            return {}
        d = diff(self._applied, self._editor.graph)
        parts = [f"{label}: {', '.join(names)}" for label, names in (
            ("added", d.added), ("removed", d.removed), ("reconfigured", d.reconfigured),
            ("reclassed", d.reclassed)) if names]
        if d.connections_added or d.connections_removed:
            parts.append(f"connections +{len(d.connections_added)} "
                         f"-{len(d.connections_removed)}")
        count = (len(d.added) + len(d.removed) + len(d.reconfigured) + len(d.reclassed)
                 + len(d.connections_added) + len(d.connections_removed))
        return {"count": count, "summary": "; ".join(parts)}

    def _say(self, kind: str, text: str, changed: list[str] | None = None) -> None:
        self._seq += 1
        self.status = {"kind": kind, "text": text, "changed": changed or [], "seq": self._seq}

    # ---- edits from Python ------------------------------------------------

    def _from_python(self, change) -> None:
        if self._syncing:
            return
        try:
            g = Graph.from_json({"elements": self.elements, "connections": self.connections})
        except ValueError as e:
            self._say("error", str(e))
            self._sync()
            return
        self._editor.reset(g)
        self._sync()

    def _params_from_python(self, change) -> None:
        if self._syncing:
            return
        for name, values in (change["new"] or {}).items():
            if (change["old"] or {}).get(name) != values and name in self._editor.graph:
                current = self._editor.params(name)
                gone = {k: "" for k in current if k and k not in values}
                self._handle({"op": "set_params", "name": name, "values": {**gone, **values}})
        self._sync()

    def _on_positions(self, change) -> None:
        if self._syncing:
            return
        for name, p in (change["new"] or {}).items():
            if name in self._editor.graph and isinstance(p, (list, tuple)) and len(p) == 2:
                self._editor.move(name, p[0], p[1])

    # ---- edits from the view ----------------------------------------------

    def _on_msg(self, _widget, content, _buffers) -> None:
        if isinstance(content, dict) and content.get("op") == "bundle":   # frontend.py
            self.send({"op": "bundle", "text": BUNDLE})
        elif isinstance(content, dict) and "op" in content:
            self._handle(content)

    def _handle(self, msg: dict) -> None:
        op = msg.get("op")
        ed = self._editor
        try:
            if op == "add":
                name = ed.add(str(msg["cls"]), at=msg.get("at"))
                self._say("info", f"added {name} :: {msg['cls']}", [name])
            elif op == "remove":
                ed.remove(str(msg["name"]))
                self._say("info", f"removed {msg['name']}")
            elif op == "connect":
                c = ed.connect(str(msg["src"]), int(msg["sport"]), str(msg["dst"]),
                               int(msg["dport"]))
                self._say("info", f"connected {c}")
            elif op == "disconnect":
                ed.disconnect(*_conn(msg["edge"]))
                self._say("info", f"disconnected {Connection(*_conn(msg['edge']))}")
            elif op == "insert":
                name = ed.insert(str(msg["cls"]), Connection(*_conn(msg["edge"])),
                                 at=msg.get("at"))
                self._say("info", f"inserted {name} :: {msg['cls']}", [name])
            elif op == "set_params":
                name = str(msg["name"])
                config = ed.set_params(name, {str(k): str(v)
                                              for k, v in dict(msg["values"]).items()})
                self._clear_errors(name)
                self._say("info", f"{name}: {config or '(defaults)'}", [name])
            elif op in ("undo", "redo"):
                getattr(ed, op)()
                self._say("info", f"{op} done")
            elif op == "apply":
                self.apply()
                return
            elif op == "cell_synced":
                self.cell_state = str(msg.get("result", ""))
                if self.on_cell is not None:
                    self.on_cell(self.cell_state, msg.get("seq"))
                return
            elif op == "cell_update":
                if self.cell:
                    self.cell = {**self.cell, "force": True, "seq": self.cell.get("seq", 0) + 1}
                return
            else:
                self._say("error", f"unknown operation {op!r}")
                return
        except ParamErrors as e:
            self.errors = {**self.errors, e.element: e.errors}
            self._say("error", str(e))
            return
        except (EditError, KeyError, TypeError, ValueError) as e:
            self._say("error", str(e.args[0]) if isinstance(e, KeyError) else str(e))
            return
        self._sync()

    def _clear_errors(self, name: str) -> None:
        if name in self.errors:
            self.errors = {k: v for k, v in self.errors.items() if k != name}

    # ---- applying to the engine -------------------------------------------

    def apply(self):
        """Send the edited graph to the engine (a live change); returns the
        GraphDiff applied, or None if there was nothing to do or it failed
        (the engine is then unchanged and the widget says why)."""
        if self.retired:
            self._say("error", f"not applied: {self.retired}")
            return None
        if self.engine is None:
            self._say("error", "no engine: edits change the graph only")
            return None
        new = self._editor.graph.copy()
        d = diff(self._applied, new)
        if d.empty():
            self._say("info", "nothing to apply")
            return None
        try:
            self._applying = True
            self.engine.apply(new)
        except (EngineError, ValueError) as e:
            element = getattr(e, "element", None)
            if element:
                self.errors = {**self.errors, element: {getattr(e, "keyword", None) or "":
                                                        getattr(e, "message", str(e))}}
            self._say("error", f"not applied, the engine is unchanged: {e}")
            return None
        finally:
            self._applying = False
        self._applied = new
        summary = self._pending_summary(d)
        self._sync()
        self._say("applied", f"applied live: {summary}", d.added + d.reconfigured + d.reclassed)
        return d

    @staticmethod
    def _pending_summary(d) -> str:
        parts = [f"{label} {', '.join(names)}" for label, names in (
            ("added", d.added), ("removed", d.removed), ("reconfigured", d.reconfigured),
            ("swapped", d.reclassed)) if names]
        if d.connections_added or d.connections_removed:
            parts.append(f"{len(d.connections_added)} connection(s) added, "
                         f"{len(d.connections_removed)} removed")
        return "; ".join(parts)

    # ---- following the engine ---------------------------------------------

    def follow(self, change=None) -> None:
        """Show the engine as it runs after a change made elsewhere (code, a
        slider, a re-run, a remote client); edits not applied yet are kept
        where they do not touch what changed (pktlab.notebook.following)."""
        if self._applying or self.engine is None or self.retired:
            return
        running = self.engine.graph.copy()
        d = getattr(change, "diff", None) or diff(self._applied or running, running)
        graph, positions, aside = rebase(self._applied, self._editor.graph, running,
                                         self._editor.positions, d.renamed)
        if aside:
            self._editor.reset(graph, positions)
            self._say("info", "the engine changed elsewhere; edits not applied were set aside "
                      "(Undo brings them back)")
        else:
            self._editor.graph, self._editor.positions = graph, positions
        self._applied = running
        self._sync()

    def _publish_live(self, live: dict) -> None:
        self.live = live
        state = "none" if self.engine is None else "running" if self.engine.running else "stopped"
        if state != self.engine_state:
            self.engine_state = state

    # ---- display ------------------------------------------------------------

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        data, metadata = bundle if isinstance(bundle, tuple) else (bundle or {}, {})
        data = dict(data)
        data[MIME] = view_json(self._editor.graph, self._editor.positions, pull=self.pull)
        data["text/html"] = graph_html(self._editor.graph)
        return data, metadata

    def close(self) -> None:
        overlay = getattr(self, "_overlay", None)
        if overlay is not None:
            overlay.close()
        layout = getattr(self, "layout", None)
        super().close()
        if layout is not None and layout.comm is not None:
            layout.close()


def _conn(edge) -> tuple[str, int, str, int]:
    return str(edge[0]), int(edge[1]), str(edge[2]), int(edge[3])


def run_file(path, threads: int = 1, defines: dict[str, str] | None = None) -> GraphWidget:
    """Run a .click file in a new engine and return its widget (the palette's
    "Run Click Configuration" command calls this in a console)."""
    from ..engine import Engine
    from ..lang import parse_file

    eng = Engine(parse_file(path, defines=defines), threads=threads)
    _ENGINES.add(eng)
    eng.start()
    return GraphWidget(eng)


def stop_all() -> int:
    """Stop every engine a widget of this kernel knows; returns how many ran."""
    running = [eng for eng in list(_ENGINES) if eng.running]
    for eng in running:
        eng.stop()
    return len(running)
