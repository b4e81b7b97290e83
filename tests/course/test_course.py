"""The classroom course (notebooks/course/): every student notebook runs top
to bottom unanswered and each check says "not answered yet"; every teacher's
notebook runs with every check correct; wrong answers are told they are wrong
and why; the student versions are what the teacher's sources generate; reset
puts a student's notebook back."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import nbformat
import pytest

from pktlab.cli.main import main
from pktlab.engine import dpdk
from pktlab.notebook.course import authoring, basics, batching, grading, models, multicore, zerocopy

ROOT = Path(__file__).resolve().parents[2]
COURSE = ROOT / "notebooks" / "course"
needs_dpdk = pytest.mark.skipif(not dpdk.available(),
                                reason="pktlab was built without DPDK (libdpdk-dev missing)")
MODULES = {1: basics, 2: batching, 3: zerocopy, 4: models, 5: multicore}
SESSIONS = [pytest.param(t.name, n, marks=[needs_dpdk] if n in (2, 3) else [], id=t.stem)
            for n, t in enumerate(authoring.teachers(COURSE), 1)]


def _results(outputs) -> str:
    return "\n".join(o["data"]["text/plain"] for o in outputs
                     if o.output_type == "execute_result" and "text/plain" in o.get("data", {}))


def test_five_sessions_each_with_its_checks():
    assert [n for _, n in (p.values for p in SESSIONS)] == [1, 2, 3, 4, 5]
    for n, mod in MODULES.items():
        names = [f for f in mod.__all__ if f.startswith("exercise_")]
        assert len(names) == mod.EXERCISES >= 3
        assert all(getattr(mod, f).number.startswith(f"{n}.") for f in names)


def test_student_versions_are_generated_from_the_teachers(capsys):
    assert authoring.stale(COURSE) == [], "run 'pktlab course build'"
    for t in authoring.teachers(COURSE):
        teacher, student = (t.read_text(), (COURSE / t.name).read_text())
        assert authoring.BEGIN in teacher and authoring.BEGIN not in student
        assert '"solution"' in teacher and '"solution"' not in student
    assert main(["course", "build", "--check"]) == 0
    assert main(["course", "reset", "9"]) == 1
    assert "no course notebook '9'" in capsys.readouterr().err


@pytest.mark.parametrize("name, session", SESSIONS)
def test_student_notebook_runs_unanswered(run_notebook, name, session):
    started = time.monotonic()
    _, outputs = run_notebook(COURSE / name, timeout=120)
    text = _results(outputs)
    total = MODULES[session].EXERCISES
    assert text.count(f"{grading.BLANK} \u2014") == total, text
    assert f"session {session}: 0/{total} correct, 0 wrong, {total} not answered yet" in text
    print(f"{name} (student): {time.monotonic() - started:.0f} s")


@pytest.mark.parametrize("name, session", SESSIONS)
def test_teacher_notebook_passes_every_check(run_notebook, name, session):
    started = time.monotonic()
    _, outputs = run_notebook(COURSE / "teacher" / name, timeout=120)
    text = _results(outputs)
    total = MODULES[session].EXERCISES
    assert f"session {session}: {total}/{total} correct, 0 wrong, 0 not answered yet" in text, text
    print(f"{name} (teacher): {time.monotonic() - started:.0f} s")


WRONG = [
    (basics.exercise_1_1, "src :: InfiniteSource(LIMIT 100, STOP true) -> a :: Counter "
                          "-> b :: Counter -> Discard;", "Tee"),
    (basics.exercise_1_1, "src :: InfiniteSource(LIMIT 10, STOP true) -> t :: Tee(2); "
                          "t[0] -> a :: Counter -> Discard; t[1] -> b :: Counter -> Discard;",
     "LIMIT 100"),
    (basics.exercise_1_1, "src :: InfiniteSource -> t :: Tee(2); t[0] -> a :: Counter -> "
                          "Discard; t[1] -> b :: Counter -> Discard;", "never ends"),
    (basics.exercise_1_1, "src :: InfiniteSource(LIMIT 100, STOP true) -> a :: Countr;",
     "did you mean 'Counter'"),
    (basics.exercise_1_2, {"ip": 3, "arp": 2, "other": 1}, "'ip' counts 5, not 3"),
    (basics.exercise_1_2, [5, 2, 1], "keys"),
    (basics.exercise_1_3, "elementclass Dup { input -> [0]output; }", "does not run"),
    (basics.exercise_1_3, "elementclass Dup { input -> t :: Tee(2); t[0] -> [0]output; "
                          "t[1] -> Discard; Idle -> [1]output; }", "and d[1] 0"),
    (basics.exercise_1_4, "c.count", "read-only"),
    (batching.exercise_2_1, 3, "last one"),
    (batching.exercise_2_1, "four", "a number"),
    (batching.exercise_2_2, 0.25, "upside down"),
    (batching.exercise_2_3, lambda packets, burst: packets // burst, "calls(100, 32) gave 3"),
    (batching.exercise_2_3, 4, "function"),
    (batching.exercise_2_4, "a", "same per packet"),
    (zerocopy.exercise_3_1, "in :: FromMemory -> cl :: IPClassifier(udp, -); cl[0] -> out :: "
                            "ToMemory; cl[1] -> Discard;", "CheckIPHeader"),
    (zerocopy.exercise_3_1, "in :: FromMemory -> Classifier(12/0800, -) -> Strip(14) -> "
                            "CheckIPHeader -> cl :: IPClassifier(udp, -); cl[0] -> out :: "
                            "ToMemory; cl[1] -> Discard;", "Unstrip(14)"),
    pytest.param(zerocopy.exercise_3_2, (1, 1), "measured 0 and 1", marks=needs_dpdk),
    (zerocopy.exercise_3_3, 64, "larger share"),
    (models.exercise_4_1, "src :: FromMemory -> c :: Counter -> Discard;", "Queue"),
    (models.exercise_4_2, 250, "still in the queue"),
    (models.exercise_4_2, 0, "q dropped 240, not 0"),
    (models.exercise_4_3, "RoundRobinSched", "does not starve"),
    (models.exercise_4_4, "a", "notifier"),
    (multicore.exercise_5_1, [0], "not [0]"),
    (multicore.exercise_5_2, "s0 :: InfiniteSource -> p :: Pipeliner -> c :: Counter -> "
                             "Discard; s1 :: InfiniteSource -> p;", "no Pipeliner"),
    (multicore.exercise_5_3, "src :: InfiniteSource(BURST 32) -> k :: Counter -> mid :: Counter "
                             "-> d :: Discard;", "c lost its count"),
    (multicore.exercise_5_4, {"InfiniteSource.BURST", "InfiniteSource.LENGTH"},
     "cannot be written live"),
]


@pytest.mark.parametrize("check, answer, why", WRONG,
                         ids=[f"{(w.values if hasattr(w, 'values') else w)[0].number}-{i}"
                              for i, w in enumerate(WRONG)])
def test_a_wrong_answer_is_told_wrong_and_why(check, answer, why):
    r = check(answer)
    assert r.status == grading.WRONG and why in r.why, r
    assert str(r).startswith(f"\u2718 exercise {check.number}: wrong \u2014 ")
    assert "wrong" in r._repr_html_()


@pytest.mark.parametrize("check", [getattr(m, f) for m in MODULES.values()
                                   for f in m.__all__ if f.startswith("exercise_")],
                         ids=lambda c: c.number)
def test_a_blank_answer_is_not_answered_yet(check):
    for blank in (..., None, "  "):
        assert check(blank).status == grading.BLANK


def test_wrong_answers_in_a_student_notebook(run_notebook, tmp_path):
    """The student's notebook with wrong answers typed in: each check says wrong."""
    nb = nbformat.read(COURSE / "04-execution-models.ipynb", as_version=4)
    typed = {"answer_4_1": '"src :: FromMemory -> c :: Counter -> Discard;"',
             "answer_4_2": "250", "answer_4_3": '"RoundRobinSched"', "answer_4_4": '"c"'}
    for cell in nb.cells:
        for name, value in typed.items():
            cell.source = cell.source.replace(f"{name} = ...", f"{name} = {value}")
    path = tmp_path / "04-execution-models.ipynb"
    nbformat.write(nb, path)
    _, outputs = run_notebook(path, timeout=120)
    text = _results(outputs)
    assert text.count("wrong \u2014") == 4, text
    assert "session 4: 0/4 correct, 4 wrong, 0 not answered yet" in text


def test_strip_solutions_and_its_errors():
    src = f"answer = ...\n{authoring.BEGIN}\nanswer = 42\n{authoring.END}\ncheck(answer)"
    assert authoring.strip_solutions(src) == "answer = ...\ncheck(answer)"
    with pytest.raises(ValueError, match="without ### END"):
        authoring.strip_solutions(f"{authoring.BEGIN}\nx = 1", "nb cell 3")
    with pytest.raises(ValueError, match="nb cell 3:1: ### END SOLUTION without"):
        authoring.strip_solutions(authoring.END, "nb cell 3")


def test_reset_puts_the_original_back_and_keeps_the_students_work(tmp_path):
    course = tmp_path / "course"
    (course / "teacher").mkdir(parents=True)
    for t in authoring.teachers(COURSE):
        (course / "teacher" / t.name).write_text(t.read_text())
    assert len(authoring.build(course)) == 5
    student = course / "01-click-basics.ipynb"
    original = student.read_text()
    nb = json.loads(original)
    nb["cells"][0]["source"] = "my notes"
    student.write_text(json.dumps(nb))
    assert authoring.stale(course) == ["01-click-basics.ipynb"]
    path, saved = authoring.reset("1", course)
    assert path == student and student.read_text() == original
    assert "my notes" in saved.read_text() and saved.parent == course / "backups"
    assert authoring.reset(str(student), course)[0] == student
    with pytest.raises(FileNotFoundError, match=re.escape("have: 01-click-basics.ipynb")):
        authoring.reset("9", course)
