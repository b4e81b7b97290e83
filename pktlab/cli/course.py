"""`pktlab course`: the classroom course's student versions and reset.

    pktlab course build             # notebooks/course/NN-*.ipynb from teacher/NN-*.ipynb
    pktlab course build --check     # exit 1 when a student version differs from its source
    pktlab course reset 2           # session 2's notebook as handed out (the old one kept
                                    # in notebooks/course/backups/)
"""

from __future__ import annotations

import sys


def _course(args) -> int:
    from ..notebook.course import authoring

    if args.action == "build":
        if args.check:
            bad = authoring.stale()
            for name in bad:
                print(f"pktlab course: {name} differs from teacher/{name} "
                      f"(run 'pktlab course build')", file=sys.stderr)
            return 1 if bad else 0
        for path in authoring.build():
            print(f"wrote {path}")
        return 0
    if not args.notebooks:
        print("pktlab course reset: name a session (1-5) or a notebook", file=sys.stderr)
        return 2
    for which in args.notebooks:
        try:
            path, saved = authoring.reset(which)
        except (FileNotFoundError, ValueError) as e:
            print(f"pktlab course reset: {e}", file=sys.stderr)
            return 1
        print(f"reset {path}" + (f" (your version kept as {saved})" if saved else ""))
    return 0


def add_course_command(sub) -> None:
    c = sub.add_parser("course", help="the classroom course: student versions, reset")
    c.add_argument("action", choices=("build", "reset"))
    c.add_argument("notebooks", nargs="*", help="reset: session numbers or notebook paths")
    c.add_argument("--check", action="store_true",
                   help="build: only say whether the student versions are up to date")
    c.set_defaults(fn=_course)
