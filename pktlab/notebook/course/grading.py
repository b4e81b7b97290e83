"""What a check says: correct, wrong or not answered yet, and why.

Every check takes the student's answer and returns a Result; a blank answer
(`...`, the stub the student version carries) is "not answered yet", never
an exception, so a student notebook runs top to bottom before any work.
A check that cannot judge the answer (a configuration that does not parse,
an engine that refuses it) says so as "wrong", with the engine's own error.
"""

from __future__ import annotations

import functools
import html
from dataclasses import dataclass

CORRECT, WRONG, BLANK = "correct", "wrong", "not answered yet"
_MARK = {CORRECT: "\u2714", WRONG: "\u2718", BLANK: "\u2026"}
_COLOUR = {CORRECT: "#1b7f3b", WRONG: "#b42318", BLANK: "#6b6b6b"}

# session -> exercise -> the last result (what summary() reports)
_SCORES: dict[int, dict[str, Result]] = {}


@dataclass(frozen=True)
class Result:
    exercise: str
    status: str
    why: str

    @property
    def correct(self) -> bool:
        return self.status == CORRECT

    def __str__(self) -> str:
        return f"{_MARK[self.status]} exercise {self.exercise}: {self.status} \u2014 {self.why}"

    __repr__ = __str__

    def _repr_html_(self) -> str:
        c = _COLOUR[self.status]
        return (f'<div style="border-left:4px solid {c};padding:4px 8px;margin:2px 0">'
                f'<b style="color:{c}">{_MARK[self.status]} exercise {self.exercise}: '
                f'{self.status}</b> \u2014 {html.escape(self.why)}</div>')


class Wrong(Exception):
    """Raised inside a check: the answer is wrong, and the message says why."""


def blank(answer) -> bool:
    return answer is ... or answer is None or (isinstance(answer, str) and not answer.strip())


def exercise(number: str, ask: str = "fill in the answer"):
    """Make a check from a function that returns why the answer is right, or
    raises Wrong with why it is not. `ask` is what a blank answer is told."""
    session = int(number.split(".")[0])

    def wrap(fn):
        @functools.wraps(fn)
        def check(answer=..., *args, **kw) -> Result:
            if blank(answer):
                r = Result(number, BLANK, ask)
            else:
                try:
                    r = Result(number, CORRECT, fn(answer, *args, **kw))
                except Wrong as e:
                    r = Result(number, WRONG, str(e))
            _SCORES.setdefault(session, {})[number] = r
            return r

        check.number = number
        return check

    return wrap


def expect(ok: bool, why: str) -> None:
    if not ok:
        raise Wrong(why)


@dataclass(frozen=True)
class Score:
    session: int
    results: dict[str, Result]
    total: int

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.results.values())

    def __str__(self) -> str:
        unseen = self.total - len(self.results)
        return (f"session {self.session}: {self.count(CORRECT)}/{self.total} correct, "
                f"{self.count(WRONG)} wrong, {self.count(BLANK) + unseen} not answered yet")

    __repr__ = __str__


def summary(session: int, total: int) -> Score:
    return Score(session, dict(sorted(_SCORES.get(session, {}).items())), total)
