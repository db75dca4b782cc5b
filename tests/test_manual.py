"""Manual grading on an assignment with a manually graded markdown answer (nbgrader's own cell kind): pending
until scored, scores from a CSV, kept when the autograded part is stored again, shown in feedback and export
(no kernel: the autograded part is stored as the grader stores it)."""

import csv
import shutil

import nbformat
import pytest

from autograder import feedback, manual, results
from autograder.cli import main
from autograder.model import Result
from autograder.nbgrader_setup import gradebook

A = "00_bienvenida"
ANSWER = {"grade": True, "solution": True, "locked": False, "points": 2, "grade_id": "explica_suma",
          "schema_version": 3}


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A source root whose 00 has one more cell, «explica_suma» (2 points, graded by hand), and a course root
    with two graded students."""
    from autograder import COURSE_ROOT

    tmp = tmp_path_factory.mktemp("manual")
    src, root = tmp / "src", tmp / "root"
    for folder in ("source", "release"):
        shutil.copytree(COURSE_ROOT / folder / A, src / folder / A)
    path = src / "source" / A / f"{A}.ipynb"
    notebook = nbformat.read(path, as_version=4)
    cell = nbformat.v4.new_markdown_cell("Explica con tus palabras qué calcula `weighted_sum`.")
    cell.metadata["nbgrader"] = ANSWER
    notebook.cells.append(cell)
    nbformat.write(notebook, path)
    cell.source = "Multiplica cada entrada por su peso y suma."
    (root / "submitted" / "ana" / A).mkdir(parents=True)
    nbformat.write(notebook, root / "submitted" / "ana" / A / f"{A}.ipynb")
    results.register(root, [A], src)
    for student in ("ana", "blas"):
        grades = {"test_weighted_sum": [2.0, 2.0], "test_weighted_sum_hidden": [3.0, 3.0], "explica_suma": [0.0, 2.0]}
        results.save(root, Result(A, student, grades=grades), None)
    return root, src


def test_manual_cells_are_read_from_the_gradebook(course):
    with gradebook(course[0]) as gb:
        assert manual.manual_ids(gb, A) == {"explica_suma"}


def test_pending_until_scored_then_kept_when_regraded(course, tmp_path):
    root, src = course
    assert results.load(root, "ana", A).status == "pending manual"
    scores = tmp_path / "scores.csv"
    scores.write_text("student,assignment,cell,score,comment\nana,00_bienvenida,explica_suma,1.5,Bien explicado.\n"
                      "ana,00_bienvenida,no_existe,1,\nblas,00_bienvenida,explica_suma,9,\n", encoding="utf-8")
    assert main(["manual", str(scores), "--root", str(root)]) == 1  # two rows reported
    ana = results.load(root, "ana", A)
    assert ana.status == "ok" and ana.grades["explica_suma"] == [1.5, 2.0] and ana.score == 6.5
    assert ana.comments == {"explica_suma": "Bien explicado."}
    assert results.load(root, "blas", A).status == "pending manual"  # 9 > 2 points: refused
    # the autograded part stored again (a regrade) keeps the manual score
    results.save(root, Result(A, "ana", grades={"test_weighted_sum": [0.0, 2.0], "test_weighted_sum_hidden": [3.0, 3.0],
                                                "explica_suma": [0.0, 2.0]}), None)
    ana = results.load(root, "ana", A)
    assert ana.grades["explica_suma"] == [1.5, 2.0] and ana.score == 4.5 and ana.status == "ok"
    rows = {r["student"]: r for r in csv.DictReader(open(root / "grades.csv", encoding="utf-8"))}
    assert rows["blas"][f"{A} status"] == "pending manual"


def test_feedback_shows_pending_and_manual_comment(course):
    root, src = course
    blas, ana = results.load(root, "blas", A), results.load(root, "ana", A)
    blas_page = feedback.render(blas, None, A, None, src)
    assert "Estado:</b> pendiente de corrección manual" in blas_page
    ana_page, = feedback.write(root, [ana], src)
    text = ana_page.read_text(encoding="utf-8")
    assert "corrección manual</b>: 1.5 / 2 — corregido por el profesorado" in text
    assert "Comentario:</b> Bien explicado." in text and "Multiplica cada entrada" in text
    assert "<tr><td>Ejercicio 1 · explica_suma</td><td>1.5 / 2</td></tr>" in text
