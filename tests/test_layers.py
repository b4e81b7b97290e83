"""The Python package keeps its layers (pktlab/__init__.py, DESIGN.md §3).

Read from the source with `ast`: every import in every module, at the top
or inside a function (a lazy import that hides a circle is still a circle),
must point at a layer below the importing one or inside its own layer, and
no chain of imports may come back to where it started.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parent.parent / "pktlab"

# Lower rank = lower layer. A module may import its own layer and lower ranks;
# two layers of the same rank (telemetry and traffic; bench and notebook) do
# not know each other.
RANK = {"graph": 0, "lang": 1, "engine": 2, "telemetry": 3, "traffic": 3, "serve": 3,
        "bench": 4, "notebook": 4, "cli": 5, "": 6}
MAX_LINES = 400


def _modules() -> dict[str, Path]:
    out = {}
    for f in sorted(PKG.rglob("*.py")):
        rel = f.relative_to(PKG.parent).with_suffix("")
        if rel.name.startswith("_build_"):
            continue                        # build scripts run by setup.py, not modules
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = f
    return out


MODULES = _modules()
EXTENSIONS = {"pktlab.engine._native"}     # compiled (cffi): imports nothing of ours


def _package_of(name: str, path: Path) -> str:
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def _resolve(base: str, name: str) -> str | None:
    """`name` if it is a pktlab module, else the nearest enclosing one."""
    while name and name not in MODULES and name not in EXTENSIONS:
        name = name.rpartition(".")[0]
    return name if name.startswith("pktlab") else None


def imports_of(name: str) -> set[str]:
    """The pktlab modules `name` imports, anywhere in its source."""
    path = MODULES[name]
    tree = ast.parse(path.read_text(), str(path))
    package = _package_of(name, path)
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("pktlab"):
                    found.add(_resolve(package, a.name))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if not mod.startswith("pktlab"):
                continue
            for a in node.names:
                sub = f"{mod}.{a.name}"
                found.add(sub if sub in MODULES or sub in EXTENSIONS else _resolve(package, mod))
        elif (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", ""))
              == "import_module" and node.args and isinstance(node.args[0], ast.Constant)
              and str(node.args[0].value).startswith("pktlab")):
            found.add(_resolve(package, node.args[0].value))
    found.discard(None)
    found.discard(name)
    return found


GRAPH = {m: imports_of(m) for m in MODULES}


def layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in RANK else ""


def test_every_module_has_a_layer():
    unknown = [m for m in MODULES if m not in ("pktlab", "pktlab.__main__") and layer(m) == ""]
    assert not unknown, f"modules outside every layer (add them to one): {unknown}"


def test_imports_point_down():
    wrong = []
    for m, targets in GRAPH.items():
        for t in targets:
            a, b = layer(m), layer(t)
            if a != b and RANK[b] >= RANK[a]:
                wrong.append(f"{m} imports {t} ({a or 'pktlab'} -> {b or 'pktlab'})")
    assert not wrong, "imports that point up or sideways:\n" + "\n".join(sorted(wrong))


def _cycles() -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in GRAPH.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in GRAPH:
        if v not in index:
            visit(v)
    return out


def test_no_import_circles():
    assert not _cycles(), f"import circles: {_cycles()}"


def test_the_checks_see_a_circle_and_an_upward_import():
    """The analysis itself: a circle and an upward import planted in the graph are found."""
    saved = {k: set(v) for k, v in GRAPH.items()}
    try:
        GRAPH["pktlab.graph"].add("pktlab.lang")        # lang imports graph: now a circle
        assert any("pktlab.graph" in c and "pktlab.lang" in c for c in _cycles())
        with pytest.raises(AssertionError, match="pktlab.graph imports pktlab.lang"):
            test_imports_point_down()
    finally:
        GRAPH.clear()
        GRAPH.update(saved)


def test_lazy_imports_are_seen():
    # engine.engine imports the telemetry sampler nowhere, not even in a function:
    assert all(layer(t) in ("engine", "lang", "graph", "")
               for t in GRAPH["pktlab.engine.engine"])
    # ... and a function-level import is found where there is one (cli.main -> bench).
    assert "pktlab.bench" in GRAPH["pktlab.cli.main"]


def test_each_layer_says_what_it_holds_and_may_import():
    for pkg in ("lang", "engine", "telemetry", "traffic", "serve", "notebook", "bench", "cli"):
        doc = ast.get_docstring(ast.parse((PKG / pkg / "__init__.py").read_text())) or ""
        assert len(doc.split()) > 15, f"pktlab/{pkg}/__init__.py needs a paragraph"


def test_modules_stay_small():
    big = {m: n for m, p in MODULES.items() if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert not big, f"split these along their seams (over {MAX_LINES} lines): {big}"


def test_import_pktlab_loads_no_engine():
    """`import pktlab` stays cheap: no numpy, no cffi, no compiled engine until used."""
    code = ("import sys, pktlab; heavy = [m for m in ('numpy', 'cffi', 'pktlab.engine', "
            "'pktlab.engine._native', 'scapy', 'IPython') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_public_names_resolve():
    import pktlab
    from pktlab.engine import Engine

    assert pktlab.Engine is Engine
    assert pktlab.parse("Idle -> Discard;").elements
    assert pktlab.dpdk.__name__ == "pktlab.engine.dpdk"
    eng = pktlab.Engine("InfiniteSource(LIMIT 5, STOP true) -> c :: Counter -> Discard;")
    try:
        assert eng.telemetry is eng.telemetry         # the accessor the telemetry layer attached
    finally:
        eng.telemetry.stop()
