"""The ControlSocket server: a pktlab engine served to other processes and hosts.

    protocol.py   Click's ControlSocket 1.3 without I/O, the input half: Parser (bytes
                  in, one command out, Click's rules and error codes)
    session.py    the output half: Session (commands against a HandlerSpace, Click's
                  replies); with protocol.py what the `pktlab click` driver reuses
    messages.py   Click's reply lines (codes, continuations, DATA, printable text)
    handlers.py   EngineHandlers: Click's global and per-element handlers over an
                  Engine (hotconfig as pktlab's live change)
    clickfmt.py   Click's text formats: flatconfig, ports, icounts, handlers
    files.py      the files and devices a remote configuration may name
    stream.py     the telemetry stream: sparse deltas of the statistics region, layouts,
                  changes (pktlab.engine.wire is the format)
    server.py     Server: one asyncio loop, one control thread for every engine call,
                  the stream's clock
    connection.py one client: its commands in order, flow control, AUTH/EXTENSIONS/STREAM
    listen.py     TCP (loopback by default) and UNIX (mode 0600) listening sockets

`pktlab serve` and `pktlab run -p` (pktlab.cli) use it; pktlab.connect()
(pktlab.engine.remote) is its client. May import pktlab.engine, pktlab.lang
and pktlab.graph; never telemetry, traffic, notebook, bench or cli.
"""

from __future__ import annotations

from .server import Server, serve

__all__ = ["Server", "serve"]
