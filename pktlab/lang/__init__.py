"""The Click configuration language: text in, flat Graph out, and back.

    parse(text)        -> Graph   (compound elements expanded, as Click does)
    parse_file(path)   -> Graph
    unparse(graph)     -> str     (canonical Click text; parse(unparse(g)) == g)

Every mistake in a configuration is reported at once in one ConfigError,
each with FILE:LINE:COLUMN, the source line and a caret. The parser does not
know the engine's element classes: unknown classes are the engine's to
report. Pass `classes` to get Click's exact reading of undeclared names.
See docs/language.md.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Collection, Mapping

from ..graph import Graph, Loc
from .errors import ConfigError, Diagnostic, Reporter, TooManyErrors
from .expand import Expander, ExpansionAborted
from .parser import PROVIDED_PACKAGES, Parser
from .sources import SourceError, first_surrogate, printable, read_source
from .unparse import unparse
from .variables import ExpansionTooLarge, VarEnv, expand

__all__ = ["PROVIDED_PACKAGES", "ConfigError", "parse", "parse_file", "unparse"]

_NAME = re.compile(r"[A-Za-z0-9_]+")


def parse(text: str, filename: str = "<config>", defines: Mapping[str, str] | None = None, *,
          classes: Collection[str] | None = None, open_library=None) -> Graph:
    """Parse Click text and expand it into a flat Graph.

    defines: parameter values that override the file's top-level `define`s
    (names without '$'), like `click file.click NAME=value`.
    classes: the element classes that exist; when given, undeclared names
    are read exactly as Click reads them and unknown classes are errors.
    open_library: path -> text, used instead of opening the file for each
    require(library ...) (a PermissionError it raises becomes the error);
    the ControlSocket server passes one that allows only known files.
    """
    overrides = {}
    for key, value in (defines or {}).items():
        name = key.removeprefix("$")
        if not _NAME.fullmatch(name):
            raise ConfigError(f"bad parameter name '{printable(key)}'")
        overrides[name] = str(value)
        bad = first_surrogate(overrides[name])
        if bad:
            raise ConfigError(f"parameter '{name}': character U+{ord(bad[2]):04X} (a lone "
                              "surrogate) cannot be encoded in UTF-8")
    bad = first_surrogate(text)
    if bad:
        line, col, ch = bad
        source = printable(text.replace("\r\n", "\n").replace("\r", "\n").split("\n")[line - 1])
        raise ConfigError([Diagnostic(Loc(filename, line, col),
                                      f"character U+{ord(ch):04X} (a lone surrogate) cannot be "
                                      "encoded in UTF-8; was the text decoded from bytes that "
                                      "are not UTF-8?", source)])
    reporter = Reporter()
    parser = Parser(reporter, classes)
    parser.open_library = open_library
    graph = Graph()
    # The expansion makes millions of small objects and no cycles: the cyclic
    # collector's passes over them were most of the time of a 2^15-element
    # configuration (35 s), so it waits until the graph is built.
    collecting = gc.isenabled()
    gc.disable()
    try:
        top = parser.parse(text, filename)
        env = VarEnv()
        for name, value in overrides.items():
            env.define(name, value)
        for name, value in top.defines.items():
            if name not in overrides:
                try:
                    env.define(name, expand(value, env))
                except ExpansionTooLarge as e:
                    reporter.error(None, f"parameter '${name}': {e}")
        expander = Expander(reporter)
        expander.run(top, env)
        graph = expander.graph(parser.requirements)
    except (TooManyErrors, ExpansionAborted):
        pass
    finally:
        if collecting:
            gc.enable()
    reporter.raise_if_any()
    return graph


def parse_file(path, defines: Mapping[str, str] | None = None, *,
               classes: Collection[str] | None = None) -> Graph:
    """parse() the file at `path`; errors name the file."""
    try:
        text = read_source(path, regular_only=False)
    except SourceError as e:
        raise ConfigError(str(e)) from None
    return parse(text, str(path), defines, classes=classes)
