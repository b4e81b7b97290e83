"""`pktlab flatten [OPTIONS] [FILE] [NAME=VALUE...]`: Click's click-flatten.

Reads a configuration (FILE, `-f FILE`, `-e EXPR`, standard input), expands
its compound elements and writes the flat configuration (`-o FILE`, default
standard output). `--config` writes the configuration only (pktlab writes
no archives, so it is the same), `-c/--classes`, `-n/--names` and
`-d/--declarations` list the classes, element names or declarations,
sorted, one per line. `--expand-vars` is accepted: pktlab always expands
the configuration's variables. Needs no engine: only the language.
"""

from __future__ import annotations

import sys

from . import messages
from .options import NONE, REQUIRED, Option, UsageError, is_define, parse

PROGRAM = "click-flatten"

OPTIONS = [
    Option("classes", "c", "classes"),
    Option("clickpath", "C", "clickpath", REQUIRED),
    Option("config", None, "config"),
    Option("decls", "d", "declarations"),
    Option("declarations", "d", "declarations"),
    Option("elements", "n", "names"),
    Option("expand-vars", None, "expand_vars", NONE, negate=True),
    Option("expression", "e", "expression", REQUIRED),
    Option("file", "f", "file", REQUIRED),
    Option("help", None, "help"),
    Option("names", "n", "names"),
    Option("output", "o", "output", REQUIRED),
    Option("version", "v", "version"),
]

USAGE = """\
'Click-flatten' reads a Click configuration, flattens it (removing any
compound elements), and writes an equivalent configuration to the standard
output.

Usage: click-flatten [OPTION]... [ROUTERFILE] [NAME=VALUE]...

Options:
  -c, --classes             Output list of classes used by configuration.
  -n, --names               Output list of element names in flat config.
  -d, --declarations        Output list of declarations in flat config.
  -f, --file FILE           Read router configuration from FILE.
  -e, --expression EXPR     Use EXPR as router configuration.
      --config              Output configuration only (not an archive).
      --expand-vars         Expand global variables.
  -o, --output FILE         Write output configuration to FILE.
      --help                Print this message and exit.
  -v, --version             Print version number and exit.
"""


def _usage_error(message: str | None = None) -> int:
    if message:
        sys.stderr.write(f"{PROGRAM}: {message}\n")
    sys.stderr.write(f"Usage: {PROGRAM} [OPTION]... [ROUTERFILE]\n"
                     f"Try '{PROGRAM} --help' for more information.\n")
    return 1


def main(argv: list[str]) -> int:
    import os

    from ...lang import ConfigError, parse as parse_config, unparse

    try:
        parsed = parse(argv, OPTIONS)
    except UsageError as e:
        return _usage_error(str(e))
    source, is_expr, output, action, defines = None, False, None, "flatten", {}
    for p in parsed:
        if p.key == "" and is_define(p.value):
            name, _, value = p.value.partition("=")
            defines[name] = value
        elif p.key in ("", "file", "expression"):
            if source is not None:
                return _usage_error("router configuration specified twice")
            source, is_expr = p.value, p.key == "expression"
        elif p.key == "output":
            if output is not None:
                return _usage_error("--output file specified twice")
            output = p.value
        elif p.key in ("classes", "names", "declarations", "config"):
            action = p.key
        elif p.key == "clickpath":
            os.environ["CLICKPATH"] = p.value
        elif p.key == "help":
            sys.stdout.write(USAGE)
            return 0
        elif p.key == "version":
            from importlib.metadata import version

            __version__ = version("pktlab")
            sys.stdout.write(f"click-flatten (pktlab {__version__})\n")
            return 0
    if is_expr:
        text, where = source or "", "config"
    elif source in (None, "", "-"):
        text, where = sys.stdin.read(), "<stdin>"
    else:
        try:
            with open(source, encoding="utf-8", errors="surrogateescape") as f:
                text, where = f.read(), source
        except OSError as e:
            sys.stderr.write(f"{source}: {e.strerror or e}\n")
            return 1
    try:
        graph = parse_config(text, where, defines)
        flat = unparse(graph)
    except ConfigError as e:
        messages.report(messages.config_error_lines(e))
        return 1
    except ValueError as e:                  # a graph Click text cannot express
        sys.stderr.write(f"{PROGRAM}: {e}\n")
        return 1
    if action == "classes":
        body = "".join(f"{c}\n" for c in sorted({el.cls for el in graph.elements.values()}))
    elif action == "names":
        body = "".join(f"{n}\n" for n in sorted(graph.elements))
    elif action == "declarations":
        body = "".join(f"{d}\n" for d in sorted(f"{el.name} :: {el.cls}"
                                                for el in graph.elements.values()))
    else:
        body = flat
    if output in (None, "-"):
        sys.stdout.write(body)
        return 0
    try:
        with open(output, "w", encoding="utf-8") as f:
            f.write(body)
    except OSError as e:
        sys.stderr.write(f"{output}: {e.strerror or e}\n")
        return 1
    return 0
