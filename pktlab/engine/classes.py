"""The element classes the engine provides, read from their C descriptors.

The descriptors' parameter tables are the single source of truth: this module
only reads them (for `pktlab elements`, help text and the widget's forms).
Each class's manual is `element_class(name).doc`. `check_element` asks the
engine itself whether a configuration string is valid for a class.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from . import _lib
from ._lib import ffi, lib, string

TYPE_NAMES = {
    lib.PL_T_INT: "int",
    lib.PL_T_UINT: "uint",
    lib.PL_T_BOOL: "bool",
    lib.PL_T_REAL: "real",
    lib.PL_T_STRING: "string",
    lib.PL_T_TIME: "time",
    lib.PL_T_BANDWIDTH: "bandwidth",
    lib.PL_T_IPV4: "ipv4",
    lib.PL_T_ETHER: "ether",
    lib.PL_T_DATA: "data",
    lib.PL_T_ARGS: "args",
}


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str | None
    min: float | None
    max: float | None
    doc: str
    positional: bool
    live: bool


@dataclass(frozen=True)
class Handler:
    name: str
    readable: bool
    writable: bool
    doc: str


@dataclass(frozen=True)
class ElementClass:
    name: str
    ports: str
    processing: str
    doc: str
    params: tuple[Param, ...]
    handlers: tuple[Handler, ...]
    counters: tuple[str, ...]
    drop_counters: tuple[str, ...]
    param_handlers: tuple[Handler, ...] = ()   # read with a parameter: "lookup ADDR"

    @property
    def synopsis(self) -> str:
        """First line of the manual: the call form, e.g. "Strip(LENGTH)"."""
        return self.doc.split("\n", 1)[0]

    @property
    def summary(self) -> str:
        """Second line of the manual: what the element does, in a few words."""
        lines = self.doc.split("\n")
        return lines[1] if len(lines) > 1 else ""

    def manual(self) -> str:
        """The class's manual page as text."""
        lines = [self.doc.rstrip(), "", f"Ports: {self.ports}   Processing: {self.processing}"]
        if self.params:
            lines += ["", "Keywords:"]
            for p in self.params:
                rng = ""
                if p.min is not None:
                    rng = f", {p.min:g}..{p.max:g}"
                default = "required" if p.default is None else f"default {p.default!r}"
                flags = (", positional" if p.positional else "") + (", live" if p.live else "")
                lines.append(f"  {p.name:<10} {p.type} ({default}{rng}{flags})  {p.doc}")
        if self.handlers:
            lines += ["", "Handlers:"]
            for h in self.handlers:
                mode = ("r" if h.readable else "") + ("w" if h.writable else "")
                lines.append(f"  {h.name:<12} {mode:<2}  {h.doc}")
        if self.counters:
            drops = set(self.drop_counters)
            lines += ["", "Counters: " + ", ".join(
                f"{c} (drop)" if c in drops else c for c in self.counters)]
        return "\n".join(lines)


def _load(i: int) -> ElementClass:
    params = []
    info = ffi.new("pl_param_info *")
    for k in range(lib.pl_class_nparams(i)):
        lib.pl_class_param(i, k, info)
        bounded = info.min <= info.max
        params.append(Param(
            name=string(info.name),
            type=TYPE_NAMES.get(info.type, "?"),
            default=string(getattr(info, "def")) if getattr(info, "def") != ffi.NULL else None,
            min=info.min if bounded else None,
            max=info.max if bounded else None,
            doc=string(info.doc),
            positional=bool(info.positional),
            live=bool(info.live),
        ))
    handlers = []
    hinfo = ffi.new("pl_handler_info *")
    for k in range(lib.pl_class_nhandlers(i)):
        lib.pl_class_handler(i, k, hinfo)
        handlers.append(Handler(string(hinfo.name), bool(hinfo.readable), bool(hinfo.writable),
                                string(hinfo.doc)))
    param_handlers = []
    for k in range(lib.pl_class_nparam_handlers(i)):
        lib.pl_class_param_handler(i, k, hinfo)
        param_handlers.append(Handler(string(hinfo.name), True, False, string(hinfo.doc)))
    counters = tuple(string(lib.pl_class_counter(i, k)) for k in range(lib.pl_class_ncounters(i)))
    return ElementClass(
        name=string(lib.pl_class_name(i)),
        ports=string(lib.pl_class_ports(i)),
        processing=string(lib.pl_class_processing(i)),
        doc=string(lib.pl_class_doc(i)),
        params=tuple(params),
        handlers=tuple(handlers),
        counters=counters,
        drop_counters=counters[: lib.pl_class_ndrops(i)],
        param_handlers=tuple(param_handlers),
    )


@cache
def element_classes() -> dict[str, ElementClass]:
    """Every element class, by Click name, sorted."""
    classes = [_load(i) for i in range(lib.pl_class_count())]
    return {c.name: c for c in sorted(classes, key=lambda c: c.name)}


def element_class(name: str) -> ElementClass:
    try:
        return element_classes()[name]
    except KeyError:
        import difflib

        near = difflib.get_close_matches(name, element_classes(), n=1)
        hint = f"; did you mean '{near[0]}'?" if near else ""
        raise KeyError(f"unknown element class '{name}'{hint}") from None


def define_addresses(handle, elements, locate=None) -> None:
    """Give the engine the names of every AddressInfo and PortInfo among
    `elements` (Element-like: name, cls, config) before any element is
    added, as Click configures them first."""
    err = _lib.new_error()
    for el in elements:
        define = {"AddressInfo": lib.pl_engine_define_addresses,
                  "PortInfo": lib.pl_engine_define_ports}.get(el.cls)
        if define is not None:
            _lib.check(define(handle, _lib.cstr(el.name, "element name", el),
                              _lib.cstr(el.config or "", "config", el), err), err, locate)


def check_element(name: str, cls: str, config: str,
                  addresses=()) -> None:
    """Configure the element alone in a scratch engine: raises EngineError
    (with element and keyword) for anything the engine rejects.

    addresses: the configuration's AddressInfo elements (Element-like),
    whose names the element's arguments may use."""
    opts = ffi.new("pl_engine_opts *")
    opts.threads = 1
    opts.dry = 1            # configure only: no device, socket or output file is opened
    err = _lib.new_error()
    handle = lib.pl_engine_new(opts, err)
    if handle == ffi.NULL:
        _lib.check(err.status or lib.PL_ERR_NOMEM, err)
    try:
        define_addresses(handle, addresses)
        _lib.check(lib.pl_engine_add(handle, _lib.cstr(name, "element name"),
                                     _lib.cstr(cls, "class"), _lib.cstr(config, "config"),
                                     0, 0, err), err)
    finally:
        lib.pl_engine_free(handle)
