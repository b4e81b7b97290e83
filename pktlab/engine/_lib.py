"""The one module that imports the compiled engine (pktlab.engine._native).

It turns the C API's status codes and error struct into Python exceptions;
everything else in pktlab goes through here.
"""

from __future__ import annotations

from ._native import ffi, lib  # noqa: F401  (re-exported for the engine package only)
from .errors import EngineError

_KIND = {
    lib.PL_ERR_CONFIG: "configuration",
    lib.PL_ERR_CLASS: "class",
    lib.PL_ERR_GRAPH: "graph",
    lib.PL_ERR_STATE: "state",
    lib.PL_ERR_NOMEM: "memory",
    lib.PL_ERR_HANDLER: "handler",
    lib.PL_ERR_SYSTEM: "system",
}


def cstr(text: str, what: str, element=None) -> bytes:
    """`text` as the engine takes strings: UTF-8 without NUL. Anything else
    is the caller's mistake, said as an EngineError (a lone surrogate from
    a decoded file name, a NUL from binary data), never a UnicodeError."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as e:
        bad = text[e.start:e.start + 1]
        data = None
        message = f"{what}: character U+{ord(bad):04X} cannot be encoded in UTF-8"
    except AttributeError:
        data = None
        message = f"{what}: expected a string, got {type(text).__name__}"
    else:
        message = f"{what}: contains a NUL character" if b"\0" in data else None
    if message is None:
        return data
    name = getattr(element, "name", None)
    raise EngineError(message, kind="configuration",
                      element=name if isinstance(name, str) and name.isprintable() else None,
                      loc=getattr(element, "loc", None))


def new_error():
    return ffi.new("pl_error *")


def string(p) -> str:
    return ffi.string(p).decode("utf-8", "replace") if p != ffi.NULL else ""


def check(rc: int, err, locate=None) -> None:
    """Raise EngineError for a non-zero status; `locate(element_name, kind)`
    maps an element to the configuration location the error points at, when
    the caller knows it (errors.locator)."""
    if rc == 0:
        return
    element = string(err.element)
    kind = _KIND.get(rc, "error")
    loc = None
    if locate is not None and element:
        loc = locate(element, kind)
    raise EngineError(
        string(err.message) or f"engine error {rc}",
        kind=kind,
        element=element or None,
        keyword=string(err.keyword) or None,
        loc=loc,
        line=err.line or None,
        col=err.col or None,
    )
