"""A course notebook in a real JupyterLab, as a student works it: run top to
bottom unanswered (each check says not answered yet, in its coloured box),
then an answer typed wrong and then right, each checked in the page."""

from __future__ import annotations

import re

from .conftest import ROOT, Lab

NOTEBOOK = ROOT / "notebooks" / "course" / "01-click-basics.ipynb"


def _cell_with(lab: Lab, text: str) -> int:
    return lab.page.evaluate(
        """(t) => window.jupyterapp.shell.currentWidget.content.widgets
             .findIndex(c => c.model.type === 'code' && c.model.sharedModel.getSource().includes(t))""",
        text)


def _answer(lab: Lab, index: int, source: str) -> str:
    lab.page.evaluate(
        """([i, s]) => window.jupyterapp.shell.currentWidget.content.widgets[i]
             .model.sharedModel.setSource(s)""", [index, source])
    return lab.run_cell(index)


def test_a_student_works_an_exercise(browser, jupyter_server):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    page.set_default_timeout(30_000)
    lab = Lab(page, jupyter_server)
    try:
        lab.open(jupyter_server.copy(NOTEBOOK, "course/01-click-basics.ipynb"))
        lab.run_all(timeout=120)
        assert lab.errors() == []
        boxes = page.locator(".jp-OutputArea-output",
                             has_text=re.compile(r"exercise 1\.\d: not answered yet"))
        assert boxes.count() == 4
        assert "0/4 correct" in page.locator(".jp-OutputArea-output").last.inner_text()

        i = _cell_with(lab, "answer_1_2 = ...")
        wrong = _answer(lab, i, 'answer_1_2 = {"ip": 3, "arp": 2, "other": 1}\n'
                                "check.exercise_1_2(answer_1_2)")
        assert "exercise 1.2: wrong" in wrong and "'ip' counts 5, not 3" in wrong
        right = _answer(lab, i, 'answer_1_2 = {"ip": 5, "arp": 2, "other": 1}\n'
                                "check.exercise_1_2(answer_1_2)")
        assert "exercise 1.2: correct" in right
        assert page.locator(".jp-OutputArea-output", has_text="exercise 1.2: correct").count() == 1
        last = _cell_with(lab, "check.summary()")
        assert "1/4 correct, 0 wrong, 3 not answered yet" in lab.run_cell(last)
    finally:
        try:
            lab.shutdown()
        finally:
            ctx.close()
