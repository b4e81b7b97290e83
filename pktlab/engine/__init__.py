"""The engine API: a flat Click graph running in the native C engine.

    Engine        engine.py     load a graph, start/stop, run, handlers, apply()
    Element       element.py    a running element's handlers as attributes (eng["c"].count)
    Change        change.py     live changes (apply, live parameter writes) and their history
    classes       classes.py    the element classes, read from their C descriptors: each
                                class's manual, parameters, handlers and counters
    Stats         stats.py      numpy views of the statistics region (no copies)
    memio         memio.py      packets in and out through FromMemory / ToMemory
    dpdk          dpdk.py       the DPDK EAL, its mbuf pool and ports
    netmap        netmap.py     whether netmap is built in and loaded
    placement     placement.py  which CPUs pinned workers run on
    handlercall   handlercall.py  handlers named as Click names them ("c.count",
                                "ar.lookup 1.0.0.1", global "flatconfig", "stop")
    EngineError   errors.py     what the engine reports, located at the configuration
    accessors     accessors.py  how the layers above attach faces (eng.telemetry)
    RemoteEngine  remote.py     the same API for an engine `pktlab serve` runs elsewhere
                                (pktlab.connect), over Click's ControlSocket:
    csclient      csclient.py   a ControlSocket client (works with vanilla Click too)
    remote_stats  remote_stats.py  the telemetry stream's reader and the arrays it keeps
    remote_state  remote_state.py  what the stream keeps of the served engine: graph,
                                history, state
    wire          wire.py       the protocol's codes and pktlab's extension frames, written
                                once for the server (pktlab.serve) and the client
    _lib          _lib.py       the one module that imports the compiled engine
                                (pktlab.engine._native) and turns its status codes
                                into exceptions

May import pktlab.graph and pktlab.lang; never telemetry, traffic,
notebook, bench or cli.
"""

from __future__ import annotations

from .accessors import register_accessor
from .change import Change
from .classes import check_element, element_class, element_classes
from .element import Element
from .engine import Engine
from .errors import EngineError

__all__ = ["Change", "Element", "Engine", "EngineError", "check_element", "element_class",
           "element_classes", "register_accessor"]
