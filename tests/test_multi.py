"""Any nbgrader assignment: a standard assignment `ps1` of two notebooks (`problem1.ipynb`, `problem2.ipynb`) with
an image and a data file next to them, autograded cells, a manually graded markdown answer, a manually graded
code answer and a task cell, in a throwaway course. Import (folder and Moodle zip), grading, manual scores,
feedback, export, report and check; the autograded scores equal plain `nbgrader autograde` of the same files."""

import base64
import csv
import shutil
import zipfile

import nbformat
import pytest

from autograder import assignments, feedback, results
from autograder.cli import main
from autograder.importer import import_folder
from autograder.model import Result
from autograder.release import leaks

A = "ps1"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


def _cell(kind, source, **meta):
    cell = (nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell)(source)
    if meta:
        cell.metadata["nbgrader"] = {"schema_version": 3, "grade": False, "solution": False, "locked": False, **meta}
    return cell


def _notebook(*cells):
    return nbformat.v4.new_notebook(cells=list(cells), metadata={"kernelspec": KERNELSPEC})


PROBLEM1 = _notebook(
    _cell("markdown", "# Problema 1\n\nLa suma de cuadrados es $\\sum_{i=1}^{n} i^2$.", locked=True,
          grade_id="intro1"),
    _cell("code", "def squares(n):\n    ### BEGIN SOLUTION\n    return [i * i for i in range(1, n + 1)]\n"
                  "    ### END SOLUTION", solution=True, grade_id="squares"),
    _cell("code", "assert squares(3) == [1, 4, 9]", grade=True, locked=True, points=1, grade_id="correct_squares"),
    _cell("code", "assert squares(1) == [1]\n### BEGIN HIDDEN TESTS\nassert squares(4) == [1, 4, 9, 16]\n"
                  "### END HIDDEN TESTS", grade=True, locked=True, points=2, grade_id="squares_hidden"),
    _cell("markdown", "Explica por qué la lista tiene `n` elementos.", locked=True, grade_id="pregunta"),
    _cell("markdown", "YOUR ANSWER HERE", grade=True, solution=True, points=2, grade_id="explicacion"),
)
PROBLEM2 = _notebook(
    _cell("markdown", "# Problema 2\n\n![logo](jupyter.png)", locked=True, grade_id="intro2"),
    _cell("code", "with open('datos.txt') as f:\n    valores = [float(x) for x in f.read().split()]",
          locked=True, grade_id="leer"),
    _cell("code", "def media(xs):\n    ### BEGIN SOLUTION\n    return sum(xs) / len(xs)\n    ### END SOLUTION",
          solution=True, grade_id="media"),
    _cell("code", "assert media(valores) == 2.0", grade=True, locked=True, points=3, grade_id="correct_media"),
    _cell("code", "def mediana(xs):\n    ### BEGIN SOLUTION\n    return sorted(xs)[len(xs) // 2]\n"
                  "    ### END SOLUTION", grade=True, solution=True, points=1, grade_id="mediana_manual"),
    _cell("markdown", "Grafica los valores y comenta la forma de la distribución.", task=True, locked=True,
          points=1, grade_id="tarea_grafico"),
)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """`src`: the instructor's course with `source/ps1` and its generated `release/ps1`."""
    from autograder.release import generate

    src = tmp_path_factory.mktemp("multi") / "src"
    folder = src / "source" / A
    folder.mkdir(parents=True)
    nbformat.write(PROBLEM1, folder / "problem1.ipynb")
    nbformat.write(PROBLEM2, folder / "problem2.ipynb")
    (folder / "jupyter.png").write_bytes(PNG)
    (folder / "datos.txt").write_text("1 2 3\n", encoding="utf-8")
    generate([A], src, src)
    return src


def _answer(release, answers: dict) -> nbformat.NotebookNode:
    """A copy of a release notebook with `{grade_id: source}` written into its cells."""
    notebook = nbformat.from_dict(release)
    for cell in notebook.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell.source = answers[gid]
    return notebook


def _released(src, name):
    return nbformat.read(src / "release" / A / name, as_version=4)


def test_notebooks_of_an_assignment_and_of_the_course(course):
    assert [p.name for p in assignments.notebooks(A, "release", course)] == ["problem1.ipynb", "problem2.ipynb"]
    assert (course / "release" / A / "jupyter.png").exists() and (course / "release" / A / "datos.txt").exists()
    assert [p.name for p in assignments.notebooks("01_perceptron")] == ["01_perceptron.ipynb"]
    merged = assignments.read_merged(assignments.notebooks(A, "source", course))
    assert assignments.parts(merged) == ["problem1.ipynb", "problem2.ipynb"]
    again = assignments.split(merged)
    assert [len(nb.cells) for nb in again.values()] == [len(PROBLEM1.cells), len(PROBLEM2.cells)]


def test_release_of_another_course_checks_every_notebook(course, tmp_path, capsys):
    src = tmp_path / "src"
    shutil.copytree(course / "source", src / "source")
    assert main(["release", A, "--source-root", str(src)]) == 0
    assert "no solution or hidden-test text" in capsys.readouterr().out
    assert sorted(p.name for p in (src / "release" / A).iterdir()) == [
        "datos.txt", "jupyter.png", "problem1.ipynb", "problem2.ipynb"]
    leaked = nbformat.read(src / "release" / A / "problem2.ipynb", as_version=4)
    leaked.cells[2].source = "def media(xs):\n    return sum(xs) / len(xs)"  # the solution line, released
    nbformat.write(leaked, src / "release" / A / "problem2.ipynb")
    assert leaks(A, src, src) == ["ps1/problem2.ipynb cell 2: secret line 'return sum(xs) / len(xs)'"]


def test_folder_import_keeps_the_assignments_notebooks_and_names_the_missing(course, tmp_path):
    inbox, root = tmp_path / "inbox", tmp_path / "root"
    for student, files in {"Ana": ["problem1.ipynb", "Problem2.ipynb", "borrador.ipynb", "jupyter.png"],
                           "Blas": ["problem1.ipynb"], "Ceci": ["otro.ipynb"]}.items():
        (inbox / student / A).mkdir(parents=True)
        for name in files:
            data = nbformat.writes(_released(course, "problem1.ipynb")) if name.endswith(".ipynb") else "x"
            (inbox / student / A / name).write_text(data, encoding="utf-8")
    report = import_folder(root, inbox, source_root=course)
    assert sorted(p.relative_to(root).as_posix() for p in report.stored) == [
        "submitted/ana/ps1/problem1.ipynb", "submitted/ana/ps1/problem2.ipynb", "submitted/blas/ps1/problem1.ipynb"]
    text = "\n".join(report.skipped)
    assert "Blas/ps1: missing problem2.ipynb; graded without it" in text
    assert "borrador.ipynb: not one of the notebooks problem1.ipynb, problem2.ipynb" in text
    assert "Ceci/ps1: otro.ipynb: not one of the notebooks" in text and "jupyter.png: not a notebook" in text


def test_a_one_notebook_course_assignment_imports_as_before(tmp_path):
    from autograder.assignments import notebook_path

    inbox, root = tmp_path / "inbox", tmp_path / "root"
    (inbox / "Ana" / "01_perceptron").mkdir(parents=True)
    shutil.copyfile(notebook_path("01_perceptron", "release"), inbox / "Ana" / "01_perceptron" / "mio.ipynb")
    report = import_folder(root, inbox)
    assert [p.relative_to(root).as_posix() for p in report.stored] == [
        "submitted/ana/01_perceptron/01_perceptron.ipynb"] and report.skipped == []


def test_feedback_page_of_a_submission_missing_a_notebook(course, tmp_path):
    """No kernel: a stored result of a student who handed in problem1 only."""
    root = tmp_path / "root"
    folder = root / "submitted" / "blas" / A
    folder.mkdir(parents=True)
    nbformat.write(_answer(_released(course, "problem1.ipynb"), {"explicacion": "Porque va de 1 a n."}),
                   folder / "problem1.ipynb")
    results.register(root, [A], course)
    grades = {"correct_squares": [1.0, 1.0], "squares_hidden": [0.0, 2.0], "explicacion": [0.0, 2.0],
              "correct_media": [0.0, 3.0], "mediana_manual": [0.0, 1.0], "tarea_grafico": [0.0, 1.0]}
    results.save(root, Result(A, "blas", grades=grades, reasons=["missing notebook(s), graded without them: "
                                                                  "problem2.ipynb"]), None)
    page, = feedback.write(root, [results.load(root, "blas", A)], course)
    text = page.read_text(encoding="utf-8")
    assert "No se recibió el cuaderno problem2.ipynb: sus ejercicios se calificaron con 0." in text
    assert "<h2>problem1.ipynb</h2>" in text and "Porque va de 1 a n." in text
    assert "<math" in text and "pendiente de corrección manual" in text


def test_a_hidden_test_hides_messages_only_in_its_own_notebook(course):
    """Each notebook runs in its own kernel: problem1's hidden test was never in problem2's."""
    merged = assignments.read_merged(assignments.notebooks(A, "source", course))
    hidden = feedback.hidden_descriptions(merged)
    assert set(hidden) == {"squares_hidden"}
    assert feedback._before_hidden(merged, hidden) == {"intro1", "squares", "correct_squares", "intro2", "leer",
                                                       "media", "correct_media", "mediana_manual", "tarea_grafico"}


def test_grade_ids_repeated_across_notebooks_are_refused(course, tmp_path):
    """Scores are keyed by grade id: two notebooks of one assignment may not share one."""
    from autograder.nbgrader_setup import max_scores

    src, root = tmp_path / "src", tmp_path / "root"
    shutil.copytree(course / "source", src / "source")
    nbformat.write(PROBLEM1, src / "source" / A / "problem2.ipynb")
    root.mkdir()
    results.register(root, [A], src)
    with pytest.raises(ValueError, match="unique within the assignment.*problem2: correct_squares"):
        max_scores(root, A)


def _moodle_zip(course, path):
    """Ana hands in both notebooks (right answers) and the image; Blas only problem1 (one hidden test fails)."""
    p1, p2 = _released(course, "problem1.ipynb"), _released(course, "problem2.ipynb")
    ana = {"problem1.ipynb": _answer(p1, {"squares": "def squares(n):\n    return [i ** 2 for i in range(1, n + 1)]",
                                          "explicacion": "Porque `range(1, n + 1)` tiene n números."}),
           "problem2.ipynb": _answer(p2, {"media": "def media(xs):\n    return sum(xs) / len(xs)",
                                          "mediana_manual": "def mediana(xs):\n    return sorted(xs)[1]"})}
    blas = _answer(p1, {"squares": "def squares(n):\n    return [1, 4, 9][:n]", "explicacion": "No sé."})
    with zipfile.ZipFile(path, "w") as z:
        for name, notebook in ana.items():
            z.writestr(f"Ana Pérez_8_assignsubmission_file_/{name}", nbformat.writes(notebook))
        z.writestr("Ana Pérez_8_assignsubmission_file_/jupyter.png", PNG)
        z.writestr("Blas Díaz_7_assignsubmission_file_/problem1.ipynb", nbformat.writes(blas))
    return path


@pytest.mark.full
def test_end_to_end_and_same_scores_as_plain_nbgrader(course, tmp_path, capsys):
    """`python -m autograder` import (Moodle zip) -> grade -> manual -> feedback -> export -> report -> check, and
    every cell's autograded score equals plain `nbgrader autograde` of the same files."""
    from autograder.check import check_many
    from autograder.nbgrader_setup import api, prepare_course, read_scores
    from autograder.report import pass_rates

    root = tmp_path / "root"
    cli = ["--root", str(root), "--source-root", str(course)]
    assert main(["import", str(_moodle_zip(course, tmp_path / "moodle.zip")), A, *cli]) == 0
    assert "Blas Díaz_7: missing problem2.ipynb; graded without it" in capsys.readouterr().out
    assert main(["grade", A, "--workers", "2", *cli]) == 0
    ana, blas = results.load(root, "ana_perez", A), results.load(root, "blas_diaz", A)
    assert ana.status == blas.status == "pending manual", (ana.reasons, blas.reasons)
    assert sorted(ana.pending) == ["explicacion", "mediana_manual", "tarea_grafico"]
    assert {g: s for g, (s, _) in ana.grades.items()} == {
        "correct_squares": 1, "squares_hidden": 2, "explicacion": 0, "correct_media": 3, "mediana_manual": 0,
        "tarea_grafico": 0}
    assert blas.grades["correct_squares"] == [1.0, 1.0] and blas.grades["squares_hidden"] == [0.0, 2.0]
    assert blas.grades["correct_media"] == [0.0, 3.0]
    assert "missing notebook(s), graded without them: problem2.ipynb" in blas.reasons
    assert sorted(p.name for p in (root / "autograded" / "ana_perez" / A).glob("*.ipynb")) == [
        "problem1.ipynb", "problem2.ipynb"]

    plain = tmp_path / "plain"  # the same files graded by nbgrader alone
    prepare_course(A, plain, course)
    for student, graded in (("ana_perez", ana), ("blas_diaz", blas)):
        shutil.copytree(root / "submitted" / student / A, plain / "submitted" / student / A)
        assert api(plain).autograde(A, student, force=True, create=True)["success"]
        assert {g: list(v) for g, v in read_scores(plain, A, student).items()} == graded.grades

    scores = tmp_path / "manual.csv"
    scores.write_text("student,assignment,cell,score,comment\n"
                      f"ana_perez,{A},explicacion,2,Muy clara.\nana_perez,{A},mediana_manual,0.5,Falta un caso.\n"
                      f"ana_perez,{A},tarea_grafico,1,\nblas_diaz,{A},explicacion,0,\n", encoding="utf-8")
    assert main(["manual", str(scores), *cli]) == 0
    ana = results.load(root, "ana_perez", A)
    assert ana.status == "ok" and ana.score == 9.5 and ana.comments["mediana_manual"] == "Falta un caso."
    assert main(["feedback", A, *cli]) == 0
    text = (root / "feedback" / "ana_perez" / A / f"{A}.html").read_text(encoding="utf-8")
    assert "<h2>problem2.ipynb</h2>" in text and "Falta un caso." in text and "9.5 / 10" in text
    blas_page = (root / "feedback" / "blas_diaz" / A / f"{A}.html").read_text(encoding="utf-8")
    assert "No se recibió el cuaderno problem2.ipynb" in blas_page
    assert main(["export", A, "--root", str(root)]) == 0
    rows = {r["student"]: r for r in csv.DictReader(open(root / "grades.csv", encoding="utf-8"))}
    assert rows["ana_perez"][f"{A} score"] == "9.5" and rows["blas_diaz"][f"{A} status"] == "pending manual"
    assert main(["report", A, "--root", str(root)]) == 0 and (root / "reports" / f"{A}_puntuaciones.png").exists()
    assert pass_rates(root, A)["correct_media"] == (1, 2)

    outcomes = {o.kind: o for o in check_many([A], workers=2, source_root=course)}
    assert outcomes["release"].score == 0 and outcomes["release"].ok
    source = outcomes["source"]  # 4 points are graded by hand: pending, outside the autograded 6
    assert (source.score, source.max_score, source.manual, source.ok) == (6, 6, 4, True)
