"""pktlab: an interactive packet-processing lab.

Click configurations, parsed here, run in a native full-push engine (the
FastClick design) from notebooks and from the `pktlab` command line.

The package is layered, and each layer imports only the layers below it
(tests/test_layers.py keeps it so):

    cli/        the `pktlab` command line and the HTML run report
    notebook/   the faces in Jupyter: %%click magics, graph widget, controls, dashboards
    bench/      the paper's experiments as benchmarks (`pktlab bench NAME`)
    serve/      the ControlSocket server (`pktlab serve`): an engine for other processes
    telemetry/  the 10 Hz sampler, rates, the widget's live overlay (knows no plot)
    traffic/    packets in and out: scapy, the paper's flow generator, trace tests
    engine/     the engine API: Engine, Element, live change, element classes,
                statistics, DPDK, and RemoteEngine (the same API over ControlSocket);
                the only layer that touches the C engine
    lang/       the Click language: text to Graph and back
    graph.py    the graph model, pure data

This module is the public face. Its names are loaded on first use, so that
`import pktlab` stays cheap and works before the native engine is built
(the language tools need no engine). _build_native.py and
_build_frontend.py are build scripts (setup.py runs them), not modules.
"""

from __future__ import annotations

from importlib import import_module

__version__ = "0.1.0"

# name -> (module, attribute; None: the module itself)
_PUBLIC: dict[str, tuple[str, str | None]] = {
    "Engine": ("pktlab.engine", "Engine"),
    "RemoteEngine": ("pktlab.engine.remote", "RemoteEngine"),
    "connect": ("pktlab.engine.remote", "connect"),
    "Server": ("pktlab.serve", "Server"),
    "Element": ("pktlab.engine", "Element"),
    "EngineError": ("pktlab.engine", "EngineError"),
    "Change": ("pktlab.engine", "Change"),
    "element_classes": ("pktlab.engine", "element_classes"),
    "element_class": ("pktlab.engine", "element_class"),
    "dpdk": ("pktlab.engine.dpdk", None),
    "netmap": ("pktlab.engine.netmap", None),
    "parse": ("pktlab.lang", "parse"),
    "parse_file": ("pktlab.lang", "parse_file"),
    "unparse": ("pktlab.lang", "unparse"),
    "ConfigError": ("pktlab.lang", "ConfigError"),
    "Graph": ("pktlab.graph", "Graph"),
    "diff": ("pktlab.graph", "diff"),
    "GraphWidget": ("pktlab.notebook.widget", "GraphWidget"),
}


def __getattr__(name: str):
    if name not in _PUBLIC:
        raise AttributeError(f"module 'pktlab' has no attribute '{name}'")
    module, attr = _PUBLIC[name]
    mod = import_module(module)
    if module.startswith("pktlab.engine"):
        import_module("pktlab.telemetry")    # attaches eng.telemetry to every Engine
    value = mod if attr is None else getattr(mod, attr)
    globals()[name] = value
    return value


def __dir__():
    return sorted([*globals(), *_PUBLIC])


def load_ipython_extension(ipython):
    """`%load_ext pktlab`: the %%click and %pktlab magics (pktlab.notebook.magics)."""
    from .notebook.magics import load_ipython_extension as load

    load(ipython)


def unload_ipython_extension(ipython):
    from .notebook.magics import unload_ipython_extension as unload

    unload(ipython)


__all__ = [*_PUBLIC, "__version__"]
