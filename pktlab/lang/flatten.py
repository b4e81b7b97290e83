"""`pktlab flatten FILE [NAME=VALUE ...]`: print a configuration with its
compound elements expanded, as canonical Click text (like click-flatten)."""

from __future__ import annotations

import sys

from . import ConfigError, parse, parse_file, unparse

USAGE = """usage: pktlab flatten FILE [NAME=VALUE ...]

Expand FILE's compound elements and print the flat configuration.
NAME=VALUE overrides the file's define($NAME ...); FILE '-' reads stdin.
"""


def flatten_main(argv: list[str]) -> int:
    if argv and argv[0] in ("-h", "--help"):
        sys.stdout.write(USAGE)
        return 0
    if not argv:
        sys.stderr.write(USAGE)
        return 2
    path, defines = argv[0], {}
    for item in argv[1:]:
        name, sep, value = item.partition("=")
        if not sep or not name:
            sys.stderr.write(f"pktlab flatten: expected NAME=VALUE, got '{item}'\n")
            return 2
        defines[name] = value
    try:
        if path == "-":
            graph = parse(sys.stdin.read(), "<stdin>", defines)
        else:
            graph = parse_file(path, defines)
        text = unparse(graph)
    except ConfigError as e:
        sys.stderr.write(f"{e}\n")
        return 1
    except OSError as e:
        sys.stderr.write(f"pktlab flatten: {path}: {e.strerror or e}\n")
        return 1
    except ValueError as e:  # a graph that Click text cannot express
        sys.stderr.write(f"pktlab flatten: {e}\n")
        return 1
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":  # python -m pktlab.lang.flatten FILE
    sys.exit(flatten_main(sys.argv[1:]))
