"""The course's two versions from one source, and reset.

The teacher's notebooks (notebooks/course/teacher/NN-name.ipynb) are the only
source. The student's (notebooks/course/NN-name.ipynb) are made from them,
with nbgrader's markers: in a code cell the lines from `### BEGIN SOLUTION`
to `### END SOLUTION` are removed (the line above them, `answer = ...`, is the
student's stub), and a cell tagged `solution` (a teacher's note, a worked
answer in prose) is left out whole. Outputs are cleared. nbgrader itself is
not used: its `generate_assignment` wants a course tree and a gradebook
database, and its stub raises NotImplementedError, where a student notebook
here must run top to bottom unanswered.

    build(dir)        write every student version; returns the paths written
    stale(dir)        the student versions that differ from what build would write
    reset(path)       a student's notebook back to the original (a backup kept)
"""

from __future__ import annotations

import copy
import shutil
import time
from pathlib import Path

import nbformat

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
TAG = "solution"
COURSE = Path(__file__).resolve().parents[3] / "notebooks" / "course"


def strip_solutions(source: str, where: str = "") -> str:
    out, inside = [], False
    for n, line in enumerate(source.splitlines(keepends=True), 1):
        mark = line.strip()
        if mark == BEGIN:
            if inside:
                raise ValueError(f"{where}:{n}: {BEGIN} inside a solution")
            inside = True
        elif mark == END:
            if not inside:
                raise ValueError(f"{where}:{n}: {END} without {BEGIN}")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise ValueError(f"{where}: {BEGIN} without {END}")
    return "".join(out).rstrip("\n")


def student_version(nb, name: str = "notebook"):
    """The student's notebook: solutions and solution cells out, outputs cleared."""
    nb = copy.deepcopy(nb)
    cells = []
    for i, cell in enumerate(nb.cells):
        if TAG in cell.get("metadata", {}).get("tags", []):
            continue
        if cell.cell_type == "code":
            cell.source = strip_solutions(cell.source, f"{name} cell {i}")
            cell.outputs = []
            cell.execution_count = None
        elif BEGIN in cell.source:
            raise ValueError(f"{name} cell {i}: solution markers in a {cell.cell_type} cell "
                             f"(tag the cell '{TAG}' instead)")
        cells.append(cell)
    nb.cells = cells
    nb.metadata["pktlab_course"] = {"version": "student", "source": f"teacher/{name}"}
    return nb


def teachers(course: Path = COURSE) -> list[Path]:
    return sorted((course / "teacher").glob("[0-9][0-9]-*.ipynb"))


def _render(teacher: Path) -> str:
    nb = nbformat.read(teacher, as_version=4)
    return nbformat.writes(student_version(nb, teacher.name)) + "\n"


def build(course: Path = COURSE) -> list[Path]:
    written = []
    for t in teachers(course):
        out = course / t.name
        out.write_text(_render(t))
        written.append(out)
    return written


def stale(course: Path = COURSE) -> list[str]:
    """Student versions missing or differing from their teacher's source."""
    bad = []
    for t in teachers(course):
        out = course / t.name
        if not out.exists() or out.read_text() != _render(t):
            bad.append(out.name)
    return bad


def find(which: str, course: Path = COURSE) -> Path:
    """A student notebook by path, file name or session number ('2')."""
    p = Path(which)
    if p.suffix == ".ipynb" and p.exists():
        return p.resolve()
    for t in teachers(course):
        if t.name == p.name or t.name.startswith(f"{int(which):02d}-" if which.isdigit() else "\0"):
            return course / t.name
    names = ", ".join(t.name for t in teachers(course))
    raise FileNotFoundError(f"no course notebook '{which}' (have: {names})")


def reset(which: str, course: Path = COURSE, backup: bool = True) -> tuple[Path, Path | None]:
    """Put a student's notebook back as it was handed out; the student's work
    is kept in backups/NAME-TIME.ipynb. Returns (notebook, backup or None)."""
    path = find(which, course)
    teacher = course / "teacher" / path.name
    if not teacher.exists():
        raise FileNotFoundError(f"{path}: no teacher's source {teacher}")
    saved = None
    if backup and path.exists():
        folder = path.parent / "backups"
        folder.mkdir(exist_ok=True)
        saved = folder / f"{path.stem}-{time.strftime('%Y%m%d-%H%M%S')}.ipynb"
        shutil.copy2(path, saved)
    path.write_text(_render(teacher))
    return path, saved
