"""The `pktlab` command line (main.py: run, bench, elements, flatten; serve.py:
serve and what run takes from Click's driver, -p/-u/-R/-h; control.py: read,
write, call) and the HTML report of a headless run (report.py, `pktlab run
--report`).

The top layer: may import every other one. Commands import what they need
when they run, so `pktlab flatten` works without the native engine.
"""

from __future__ import annotations

from .main import main

__all__ = ["main"]
