"""pktlab: an interactive packet-processing lab.

Click configurations, parsed here, run in a native full-push engine (the
FastClick design) from notebooks and from the `pktlab` command line.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import EngineError  # noqa: E402


def load_ipython_extension(ipython):
    """`%load_ext pktlab`: the %%click and %pktlab magics (pktlab.magics)."""
    from .magics import load_ipython_extension as load

    load(ipython)


def unload_ipython_extension(ipython):
    from .magics import unload_ipython_extension as unload

    unload(ipython)


def __getattr__(name):
    # Lazy: `import pktlab` stays cheap and works before the native build
    # exists (the language tools need no engine).
    if name in ("Engine", "Element"):
        from . import engine

        return getattr(engine, name)
    if name in ("parse", "parse_file", "unparse", "ConfigError"):
        from . import lang

        return getattr(lang, name)
    if name in ("Graph", "diff"):
        from . import graph

        return getattr(graph, name)
    if name in ("element_classes", "element_class"):
        from . import classes

        return getattr(classes, name)
    raise AttributeError(f"module 'pktlab' has no attribute '{name}'")


__all__ = ["Engine", "Element", "EngineError", "ConfigError", "Graph", "parse", "parse_file",
           "unparse", "diff", "element_classes", "element_class", "__version__"]
