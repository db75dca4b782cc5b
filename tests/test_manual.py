"""Manual grading on an assignment with a manually graded markdown answer (nbgrader's own cell kind): pending
until scored, scores from a CSV, kept when the autograded part is stored again, shown in feedback and export
(no kernel: the autograded part is stored as the grader stores it)."""

import csv
import shutil
import zipfile

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


def test_grade_table_shows_points_graded_by_hand_as_pending(course):
    from autograder.pipeline import grade_table

    root, _ = course
    header, *rows = grade_table(root, [A])
    blas = next(r for r in rows if r.startswith("blas"))  # never scored (9 > 2 points was refused)
    assert blas.split()[1:] == ["5/5", "+", "2", "a", "mano", "pendientes"]
    assert len(blas) == len(header)


def test_feedback_shows_pending_and_manual_comment(course):
    root, src = course
    blas, ana = results.load(root, "blas", A), results.load(root, "ana", A)
    blas_page = feedback.render(blas, None, A, None, src)
    assert "Estado:</b> pendiente de corrección manual" in blas_page
    assert "<td>0 / 2 (pendiente de corrección manual)</td>" in blas_page
    ana_page, = feedback.write(root, [ana], src)
    text = ana_page.read_text(encoding="utf-8")
    assert "corrección manual</b>: 1.5 / 2 — corregido por el profesorado" in text
    assert "Comentario:</b> Bien explicado." in text and "Multiplica cada entrada" in text
    assert "<tr><td>Ejercicio 1 · explica_suma</td><td>1.5 / 2</td></tr>" in text


def answered(notebook, text):
    """`notebook` with the manually graded answer cell appended, holding `text`."""
    notebook = nbformat.from_dict(nbformat.from_dict(notebook))
    cell = nbformat.v4.new_markdown_cell(text)
    cell.metadata["nbgrader"] = dict(ANSWER)
    notebook.cells.append(cell)
    return notebook


@pytest.mark.full
def test_end_to_end_and_same_scores_as_plain_nbgrader(course, tmp_path):
    """import -> grade (the reference proves an assignment with a manual cell) -> manual scores -> feedback ->
    export, and the autograded scores equal plain `nbgrader autograde` of the same file."""
    from autograder import lms, mutants, roster
    from autograder.importer import import_moodle
    from autograder.nbgrader_setup import api, prepare_course, read_scores
    from autograder.pipeline import grade

    _, src = course
    root, archive = tmp_path / "root", tmp_path / "moodle.zip"
    release = nbformat.read(src / "release" / A / f"{A}.ipynb", as_version=4)
    full = answered(mutants.submission(A), "Multiplica y suma.")
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("Blas Díaz_7_assignsubmission_file_/x.ipynb", nbformat.writes(answered(release, "No sé.")))
        z.writestr("Ana Pérez_8_assignsubmission_file_/y.ipynb", nbformat.writes(full))
    import_moodle(root, archive, A)
    blas, = grade(root, [A], ["blas_diaz"], workers=1, progress=None, source_root=src)  # proved by the reference
    assert blas.score == 0 and results.load(root, "blas_diaz", A).status == "pending manual"
    ana, = grade(root, [A], ["ana_perez"], workers=1, progress=None, source_root=src)
    assert ana.status == "pending manual" and ana.grades["explica_suma"] == [0.0, 2.0]
    assert all(s == m for gid, (s, m) in ana.grades.items() if gid != "explica_suma")  # every autograded point

    plain = tmp_path / "plain"
    prepare_course(A, plain, src)
    shutil.copytree(root / "submitted" / "ana_perez" / A, plain / "submitted" / "ana_perez" / A)
    assert api(plain).autograde(A, "ana_perez", force=True, create=True)["success"]
    assert {g: list(v) for g, v in read_scores(plain, A, "ana_perez").items()} == ana.grades

    scores = tmp_path / "manual.csv"
    scores.write_text(f"student,assignment,cell,score,comment\nana_perez,{A},explica_suma,2,Muy clara.\n")
    assert main(["manual", str(scores), "--root", str(root)]) == 0
    page = (root / "feedback" / "ana_perez" / A / f"{A}.html").read_text(encoding="utf-8")
    assert f"Puntuación:</b> {ana.max_score:g} / {ana.max_score:g}" in page and "Muy clara." in page
    sheet = tmp_path / "hoja.csv"
    sheet.write_bytes('"Identifier","Full name","Grade","Maximum Grade","Feedback comments"\n'
                      '"Participant 8","Ana Pérez","","7.00",""\n"Participant 7","Blas Díaz","","7.00",""\n'
                      .encode("utf-8-sig"))
    out, problems = lms.fill_moodle(root, A, sheet, tmp_path / "hoja_out.csv")
    rows = list(csv.reader(open(out, encoding="utf-8-sig")))
    assert rows[1][2] == "7.00" and rows[2][2] == "0.00" and "pendiente de corrección manual" in rows[2][4]
    assert roster.load(root)["ana_perez"][roster.participant_column(A)] == "8" and problems == []
