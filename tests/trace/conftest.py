"""Collects tests/trace/**/*.toml: each trace runs batched and per-packet.

The format is pktlab.traffic.tracetest's (docs/traces.md). A failing trace writes
got/want pcaps and a decoded difference to test-artifacts/<trace>-<mode>/.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pytest_collect_file(parent, file_path):
    if file_path.suffix == ".toml" and file_path.parent.name != "__pycache__":
        return TraceFile.from_parent(parent, path=file_path)
    return None


class TraceFile(pytest.File):
    def collect(self):
        from pktlab.traffic.tracetest import load

        trace = load(self.path)
        if trace.data.get("skip"):
            return
        for mode in trace.data.get("modes", ("batched", "per_packet")):
            yield TraceItem.from_parent(self, name=mode, trace=trace)


class TraceItem(pytest.Item):
    def __init__(self, *, trace, **kw):
        super().__init__(**kw)
        self.trace = trace

    def runtest(self):
        from pktlab.traffic.tracetest import run_trace

        rel = self.trace.path.relative_to(Path(__file__).parent).with_suffix("")
        where = ARTIFACTS / f"{str(rel).replace('/', '-')}-{self.name}"
        run_trace(self.trace, per_packet=self.name == "per_packet", artifacts=where)

    def repr_failure(self, excinfo):
        from pktlab.traffic.tracetest import TraceFailure

        if isinstance(excinfo.value, (TraceFailure, ValueError)):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, 0, f"trace {self.trace.path.name} [{self.name}]"
