"""`click -h ELEMENT.HANDLER` and `-x ELEMENT.HANDLER`, as Click's driver does them.

After the run, each `-h` names a handler to read and print:

- `HANDLER` alone is a global handler (`config`, `flatconfig`, `list`, ...);
- `NAME.HANDLER` reads element NAME's handler; a NAME with `*`, `?` or `[`
  is a pattern over element names, and a NAME that is no element is taken
  as a class (`Counter.count`: every Counter);
- with several `-h`, or a pattern or class, each value is preceded by
  `NAME.HANDLER:` and followed by a blank line; a value that does not end
  in a newline gets one.

`-x` reads one handler and makes its value the exit status (an integer, or
a boolean: true is 0).
"""

from __future__ import annotations

import fnmatch
import sys

from ...engine import EngineError


def _err(message: str) -> None:
    sys.stderr.write(message + "\n")


def _has_readable(eng, name: str, handler: str) -> bool:
    try:
        mode = eng[name].handlers().get(handler)
    except EngineError:
        return False
    return mode is not None and "r" in mode


def _read(eng, element: str | None, handler: str) -> str:
    return eng.read_handler(handler if element is None else f"{element}.{handler}")


def _print_one(eng, element: str | None, handler: str, print_name: bool) -> bool:
    full = handler if element is None else f"{element}.{handler}"
    try:
        value = _read(eng, element, handler)
    except EngineError as e:
        msg = e.message
        if "write-only" in msg:
            _err(f"'{full}' is a write handler")
        else:
            _err(f"no '{full}' handler")
        return False
    out = sys.stdout
    if print_name:
        out.write(f"{full}:\n")
    if value and not value.endswith("\n"):
        value += "\n"
    out.write(value)
    if print_name:
        out.write("\n")
    return True


def _elements_for(eng, pattern: str, handler: str) -> tuple[list[str], bool] | None:
    """The elements `pattern` names, and whether their names are printed."""
    if pattern in eng:
        return [pattern], False
    is_pattern = any(c in pattern for c in "?*[")
    matched = []
    any_match = False
    for name in eng.elements:
        hit = (fnmatch.fnmatchcase(name, pattern) if is_pattern
               else eng.graph.elements[name].cls == pattern)
        if hit:
            any_match = True
            if _has_readable(eng, name, handler):
                matched.append(name)
    if not any_match:
        _err(f"no element matching '{pattern}'" if is_pattern else f"no element '{pattern}'")
        return None
    return matched, True


def print_handlers(eng, specs: list[str]) -> bool:
    """Read and print every `-h` handler; False if any could not be read."""
    ok = True
    several = len(specs) > 1
    for spec in specs:
        element, dot, handler = spec.partition(".")
        if not dot:
            ok &= _print_one(eng, None, spec, several)
            continue
        found = _elements_for(eng, element, handler)
        if found is None:
            ok = False
            continue
        names, by_pattern = found
        for name in names:
            ok &= _print_one(eng, name, handler, several or by_pattern)
    sys.stdout.flush()
    return ok


def exit_status(eng, spec: str) -> int:
    """Click's `-x`: the handler's value as the exit status."""
    try:
        text = eng.read_handler(spec).strip()
    except EngineError as e:
        _err(e.message)
        return 255
    try:
        return int(text, 0) & 0xFF
    except ValueError:
        pass
    if text.lower() in ("true", "yes", "1"):
        return 0
    if text.lower() in ("false", "no", "0"):
        return 1
    _err("exit handler value should be integer")
    return 255
