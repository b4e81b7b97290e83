"""What travels between a ControlSocket server and its clients, on both sides.

Click's ControlSocket protocol 1.3 (elements/userlevel/controlsocket.cc):
the server greets with `Click::ControlSocket/1.3`, then answers each
command line with one or more message lines `CODE text` (all but the last
`CODE-text`), and for reads a `DATA n` line followed by n bytes. The codes
below are Click's.

pktlab adds an extension that a client negotiates after the greeting
(vanilla Click answers `501` to each of these commands, so a client can tell):

    AUTH TOKEN        required first on a server started with a token
    EXTENSIONS        lists the extensions: `200-pktlab/1`, `200-AUTH`, `200-STREAM ...`
    STREAM HZ         telemetry frames on this connection, HZ times a second (0: stop)

A frame is a line `FRAME KIND LENGTH` followed by LENGTH bytes; frames come
only between two responses, never inside one. Kinds:

    layout   JSON: the graph, the statistics layout (per element its first port
             and counter index), the engine's state; sent first, and again after
             every change of the graph or of the statistics region
    stats    binary (encode_stats): the statistics region's uint64 words that
             changed since the last frame this client received (the first frame
             after a layout holds every non-zero word), with the server's clock
    change   JSON: one live change (pktlab.engine.Change) the engine recorded
    state    JSON: running / done / uptime, when they change

Both the server (pktlab.serve) and the client (pktlab.engine.remote) use this
module, so the format is written down once.
"""

from __future__ import annotations

import json
import struct

import numpy as np

VERSION = "1.3"
GREETING = b"Click::ControlSocket/1.3\r\n"
EXTENSION = "pktlab/1"

OK = 200
OK_WARNING = 220
SYNTAX = 500
UNIMPLEMENTED = 501
NO_ELEMENT = 510
NO_HANDLER = 511
HANDLER_ERROR = 520
DATA_TOO_BIG = 521
LLRPC_ERROR = 522
PERMISSION = 530
NO_ROUTER = 540
UNSPECIFIED = 590

FRAME_KINDS = ("layout", "stats", "change", "state")

# stats frame: magic, seq, server time (s), layout id, flags, count, retired drops
_STATS = struct.Struct("<4sQdIIIQ")
_MAGIC = b"PLS1"
KEYFRAME = 1


def frame(kind: str, payload: bytes) -> bytes:
    return b"FRAME %s %d\r\n" % (kind.encode(), len(payload)) + payload


def json_frame(kind: str, obj) -> bytes:
    return frame(kind, json.dumps(obj, separators=(",", ":")).encode())


def encode_stats(seq: int, t: float, layout: int, idx: np.ndarray, vals: np.ndarray, *,
                 key: bool = False, retired: int = 0) -> bytes:
    """A stats payload: the words at `idx` (uint32) of the flat region are `vals`."""
    idx = np.ascontiguousarray(idx, dtype="<u4")
    vals = np.ascontiguousarray(vals, dtype="<u8")
    head = _STATS.pack(_MAGIC, seq, t, layout, KEYFRAME if key else 0, len(idx), retired)
    return head + idx.tobytes() + vals.tobytes()


def decode_stats(payload: bytes) -> tuple[dict, np.ndarray, np.ndarray]:
    """(header, idx, vals) of a stats payload; ValueError if it is not one."""
    if len(payload) < _STATS.size:
        raise ValueError("stats frame too short")
    magic, seq, t, layout, flags, n, retired = _STATS.unpack_from(payload)
    if magic != _MAGIC or len(payload) != _STATS.size + 12 * n:
        raise ValueError("not a pktlab stats frame")
    idx = np.frombuffer(payload, dtype="<u4", count=n, offset=_STATS.size)
    vals = np.frombuffer(payload, dtype="<u8", count=n, offset=_STATS.size + 4 * n)
    head = {"seq": seq, "t": t, "layout": layout, "key": bool(flags & KEYFRAME),
            "retired": retired}
    return head, idx, vals


def region_shapes(layout: dict) -> dict[str, tuple[int, ...]]:
    """Shapes of the three arrays a layout's flat region holds, in order."""
    T, P, B, C = layout["threads"], layout["nports"], layout["bins"], layout["ncounters"]
    return {"ports": (T, P, 4), "hist": (T, P, B), "counters": (T, C)}


def region_size(layout: dict) -> int:
    return sum(int(np.prod(s)) for s in region_shapes(layout).values())


__all__ = ["GREETING", "VERSION", "EXTENSION", "FRAME_KINDS", "frame", "json_frame",
           "encode_stats", "decode_stats", "region_shapes", "region_size"]
