"""Configuration strings read and written by keyword, with the class's
parameter table (pktlab.engine.classes): which parameter each argument
sets, and the same string with some parameters set to other values.

    config_params("InfiniteSource", "64, BURST 8")    # {'LENGTH': '64', 'BURST': '8'}
    with_params("InfiniteSource", "64, BURST 8", {"BURST": "32"})   # '64, BURST 32'

The engine uses it to keep its graph true after a live parameter write, the
graph widget to edit parameters from forms.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..lang import args as largs
from .classes import Param, element_classes

__all__ = ["config_params", "with_params"]


def _params(cls: str) -> tuple[Param, ...]:
    c = element_classes().get(cls)
    return c.params if c is not None else ()


def _split(config: str) -> list[tuple[str | None, str]]:
    return [largs.split_keyword(a) for a in largs.split_args(config)]


def _assign(cls: str, config: str) -> list[list]:
    """[parameter name ('' if none), written with its keyword?, value text] per
    argument. Positional arguments take the names of the class's positional
    parameters in table order; an `args` parameter takes all the rest."""
    params = _params(cls)
    names = {p.name for p in params}
    positional = [p for p in params if p.positional]
    keyworded = {kw for kw, _ in _split(config) if kw in names}
    out: list[list] = []
    k = 0
    for kw, value in _split(config):
        if kw is not None and kw in names:
            out.append([kw, True, value])
            continue
        text = value if kw is None else f"{kw} {value}"
        while (k < len(positional) and positional[k].name in keyworded
               and positional[k].type != "args"):
            k += 1
        if k < len(positional):
            out.append([positional[k].name, False, text])
            if positional[k].type != "args":
                k += 1
        else:
            out.append(["", False, text])
    return out


def config_params(cls: str, config: str) -> dict[str, str]:
    """The parameters a configuration string sets, keyword -> value text
    ('' collects arguments no parameter takes)."""
    out: dict[str, str] = {}
    for name, _, value in _assign(cls, config):
        out[name] = f"{out[name]}, {value}" if name in out else value
    return out


def with_params(cls: str, config: str, values: Mapping[str, str]) -> str:
    """`config` with the given keywords set; an empty value removes the
    argument, leaving the default. Other arguments keep their text, form and
    order (positional ones after a removed positional argument get their
    keyword, so that they keep their meaning)."""
    params = {p.name: p for p in _params(cls)}
    out: list[str] = []
    done: set[str] = set()
    shifted = False
    for name, keyworded, value in _assign(cls, config):
        if name in values:
            if name in done:
                continue
            done.add(name)
            value = values[name].strip()
            if not value:
                shifted = shifted or not keyworded
                continue
        if name and (keyworded or (shifted and getattr(params.get(name), "type", "") != "args")):
            out.append(f"{name} {value}")
        else:
            out.append(value)
    for name, value in values.items():
        if name not in done and value.strip():
            args = getattr(params.get(name), "type", "") == "args"
            out.append(value.strip() if args else f"{name} {value.strip()}")
    return ", ".join(out)
