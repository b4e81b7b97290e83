"""Click's read_command, write_command, check_command and llrpc_command.

    session = Session(space, readonly=False, ctx=...)
    session.execute(call)        # a pktlab.serve.protocol.Call -> reply bytes

The output half of the ControlSocket protocol, over any HandlerSpace
(pktlab.serve.handlers.EngineHandlers for a pktlab engine; the `pktlab
click` driver can bring its own): handler names resolved as Click does
(`elem.h`, `N.h` for the N-th element, `h` or `.h` for globals), Click's
codes and texts for every refusal, READONLY, LLRPCs checked for size and
direction before the element sees them.
"""

from __future__ import annotations

import os

from ..engine import wire
from .messages import as_bytes, data, message, transfer
from .protocol import Call, click_int

LLRPC_IN, LLRPC_OUT, LLRPC_FLAT = 0x80000000, 0x40000000, 0x00004000   # network format


class HandlerError(Exception):
    """A handler call failed: `messages` are Click's error lines; `code`
    overrides the default (520 for writes, 590 for reads)."""

    def __init__(self, messages, code: int | None = None):
        self.messages = [messages] if isinstance(messages, (str, bytes)) else list(messages)
        self.code = code
        super().__init__("; ".join(as_bytes(m).decode("utf-8", "replace") for m in self.messages))


class Session:
    """The output side: Click's read_command, write_command, check_command and
    llrpc_command over a HandlerSpace.

    A HandlerSpace has: find(name) -> element key or None; nth(i) -> key of
    the i-th element (from 1) or None; handler(key or None, name) -> a handler
    with .readable, .writable, .visible, .read(param, ctx) -> bytes and
    .write(data, ctx) -> warnings (raising HandlerError); llrpc(key, command,
    data) -> (status, bytes), a negative status being -errno.
    """

    def __init__(self, space, *, readonly: bool = False, ctx=None):
        self.space = space
        self.readonly = readonly
        self.ctx = ctx

    def _resolve(self, full: bytes):
        name = full
        dot = name.find(b".")
        if dot == 0 or (dot == 1 and name[:1] == b"0"):
            name = name[dot + 1:]
        dot = name.find(b".")
        key = None
        if dot >= 0:
            ename = name[:dot]
            key = self.space.find(ename.decode("latin-1"))
            if key is None:
                num = click_int(ename)
                if num is not None and num > 0:
                    key = self.space.nth(num)
            if key is None:
                return None, message(wire.NO_ELEMENT, b"No element named '%s'" % ename)
            hname = name[dot + 1:]
        else:
            hname = name
        h = self.space.handler(key, hname.decode("latin-1"))
        if h is None or not getattr(h, "visible", True):
            return None, message(wire.NO_HANDLER, b"No handler named '%s'" % full)
        return h, b""

    def execute(self, call: Call) -> bytes:
        op = call.op
        if op == "read":
            return self.read(call.name, call.data)
        if op == "write":
            return self.write(call.name, call.data)
        if op in ("checkread", "checkwrite"):
            return self.check(call.name, op == "checkwrite")
        if op == "llrpc":
            return self.llrpc(call.name, call.data)
        return message(wire.UNIMPLEMENTED, b"Command '%s' unimplemented" % call.words[0].upper())

    def read(self, name: bytes, param: bytes) -> bytes:
        h, err = self._resolve(name)
        if h is None:
            return err
        if not h.readable:
            return message(wire.PERMISSION, b"Handler '%s' write-only" % name)
        try:
            out = h.read(param, self.ctx)
        except HandlerError as e:
            return transfer(e.code or wire.UNSPECIFIED, b"Read handler '%s' error" % name,
                            e.messages)
        return message(wire.OK, b"Read handler '%s' OK" % name) + data(as_bytes(out))

    def write(self, name: bytes, value: bytes) -> bytes:
        h, err = self._resolve(name)
        if h is None:
            return err
        if not h.writable:
            return message(wire.PERMISSION, b"Handler '%s' read-only" % name)
        if self.readonly:
            return message(wire.PERMISSION, b"Permission denied for '%s'" % name)
        try:
            warnings = h.write(value, self.ctx) or []
        except HandlerError as e:
            code = e.code or wire.HANDLER_ERROR
            head = b"Write handler '%s' error" % name if code == wire.HANDLER_ERROR else b""
            return transfer(code, head, e.messages)
        if warnings:
            return transfer(wire.OK_WARNING, b"Write handler '%s' OK with warnings" % name,
                            warnings)
        return message(wire.OK, b"Write handler '%s' OK" % name)

    def check(self, name: bytes, write: bool) -> bytes:
        h, err = self._resolve(name)
        if h is None:
            return err
        visible = getattr(h, "visible", True)
        ok = visible and (h.writable if write else h.readable)
        if write and self.readonly and ok:
            return message(wire.PERMISSION, b"Permission denied for '%s'" % name)
        if ok:
            return message(wire.OK, b"%s handler '%s' OK" % (b"Write" if write else b"Read", name))
        if visible:
            return message(wire.NO_HANDLER, b"Handler '%s' %s" % (
                name, b"not writable" if write else b"not readable"))
        return message(wire.NO_HANDLER, b"No %s handler named '%s'" % (
            b"write" if write else b"read", name))

    def llrpc(self, name: bytes, value: bytes) -> bytes:
        octo = name.find(b"#")
        command = click_int(name[octo + 1:], base=16, signed=False) if octo >= 0 else None
        if command is None:
            return message(wire.SYNTAX, b"Syntax error in LLRPC name '%s'" % name)
        h, err = self._resolve(name[:octo] + b".name")
        if h is None:
            return err
        key = getattr(h, "element", None)
        size = command >> 16 & 0xFFF
        if not size or not command & (LLRPC_IN | LLRPC_OUT) or not command & LLRPC_FLAT:
            return message(wire.UNIMPLEMENTED, b"Cannot call LLRPC '%s' remotely" % name)
        if self.readonly:
            return message(wire.PERMISSION, b"Permission denied for '%s'" % name)
        if command & LLRPC_IN and len(value) != size:
            return message(wire.LLRPC_ERROR, b"LLRPC '%s' requires %d bytes input data"
                           % (name, size))
        if not command & LLRPC_IN:
            value = bytes(size)
        try:
            status, out = self.space.llrpc(key, command, value)
        except HandlerError as e:
            return transfer(wire.LLRPC_ERROR, b"LLRPC '%s' error" % name, e.messages)
        if status < 0:
            return message(wire.LLRPC_ERROR, b"LLRPC '%s' error: %s"
                           % (name, os.strerror(-status).encode()))
        out = out if command & LLRPC_OUT else b""
        return message(wire.OK, b"LLRPC '%s' OK" % name) + data(out)


__all__ = ["HandlerError", "Session"]
