"""Command-line options read the way Click's CLP library reads them.

Click's tools (click, click-flatten) parse their arguments with CLP, and
their users' scripts rely on its rules, which are not argparse's:

- short options bundle, and a value may follow in the same word:
  `-qo-` is `-q -o -`, `-qh c.program` is `-q -h c.program`, `-o/dev/null`;
- a long option may be abbreviated to any unambiguous prefix (`--sim`),
  takes its value after `=` or as the next word, and a negatable one also
  reads as `--no-NAME`;
- an optional value (`--simtime[=T]`) is only ever taken after `=`;
- `-` alone is an argument (standard input), and `--` ends the options.

parse() returns the options in order, so that "specified twice" checks and
repeated options (`-h a.x -h b.y`) behave as in Click.
"""

from __future__ import annotations

from dataclasses import dataclass

NONE, REQUIRED, OPTIONAL = 0, 1, 2


@dataclass(frozen=True)
class Option:
    long: str | None
    short: str | None
    key: str
    value: int = NONE           # NONE, REQUIRED or OPTIONAL
    negate: bool = False        # --no-LONG, or -SHORT with `short_negated`


@dataclass
class Parsed:
    key: str                    # Option.key, or "" for an argument that is no option
    value: str | None = None
    negated: bool = False
    spelled: str = ""           # as the user wrote the option, for messages


class UsageError(Exception):
    """A bad option; str() is CLP's message without the program name."""


def _find_long(table: list[Option], name: str) -> tuple[Option, bool]:
    """The option `--name` means, with whether it was negated (`--no-name`)."""
    candidates: list[tuple[Option, bool]] = []
    for negated, word in ((False, name), (True, name[3:] if name.startswith("no-") else None)):
        if word is None:
            continue
        exact = [o for o in table if o.long == word and (o.negate or not negated)]
        if exact:
            return exact[0], negated
        candidates += [(o, negated) for o in table
                       if o.long and o.long.startswith(word) and (o.negate or not negated)]
    keys = {(o.key, neg) for o, neg in candidates}
    if len(keys) == 1:
        return candidates[0]
    if not candidates:
        raise UsageError(f"unrecognized option '--{name}'")
    names = ", ".join(sorted({f"'--{o.long}'" for o, _ in candidates}))
    raise UsageError(f"option '--{name}' is ambiguous (could be {names})")


def parse(argv: list[str], table: list[Option]) -> list[Parsed]:
    """Read argv (without the program name) against the option table."""
    out: list[Parsed] = []
    shorts = {o.short: o for o in table if o.short}
    i = 0
    only_args = False
    while i < len(argv):
        arg = argv[i]
        i += 1
        if only_args or arg == "-" or not arg.startswith("-"):
            out.append(Parsed("", arg))
            continue
        if arg == "--":
            only_args = True
            continue
        if arg.startswith("--"):
            name, eq, value = arg[2:].partition("=")
            opt, negated = _find_long(table, name)
            if negated and eq:
                raise UsageError(f"'--no-{opt.long}' takes no value")
            if opt.value == NONE or negated:
                if eq:
                    raise UsageError(f"'--{opt.long}' takes no value")
                out.append(Parsed(opt.key, None, negated, f"--{opt.long}"))
            elif eq:
                out.append(Parsed(opt.key, value, False, f"--{opt.long}"))
            elif opt.value == OPTIONAL:
                out.append(Parsed(opt.key, None, False, f"--{opt.long}"))
            else:
                if i >= len(argv):
                    raise UsageError(f"'--{opt.long}' requires a value")
                out.append(Parsed(opt.key, argv[i], False, f"--{opt.long}"))
                i += 1
            continue
        k = 1
        while k < len(arg):
            c = arg[k]
            opt = shorts.get(c)
            if opt is None:
                raise UsageError(f"unrecognized option '-{c}'")
            k += 1
            if opt.value == NONE:
                out.append(Parsed(opt.key, None, False, f"-{c}"))
                continue
            rest = arg[k:]
            if rest:
                out.append(Parsed(opt.key, rest, False, f"-{c}"))
            elif opt.value == OPTIONAL:
                out.append(Parsed(opt.key, None, False, f"-{c}"))
            elif i < len(argv):
                out.append(Parsed(opt.key, argv[i], False, f"-{c}"))
                i += 1
            else:
                raise UsageError(f"'-{c}' requires a value")
            break
    return out


def is_define(arg: str) -> bool:
    """NAME=VALUE, as Click reads a word that is no option: letters, digits and
    underscores before the first '='."""
    name, eq, _ = arg.partition("=")
    return bool(eq) and bool(name) and all(c.isalnum() or c == "_" for c in name)
