"""The instructor workflow end to end on 00_bienvenida: import, grade (resumable, --force), export, report."""

import csv
import io

import nbformat
import pytest

from autograder import mutants
from autograder.assignments import notebook_path
from autograder.cli import main
from autograder.importer import import_folder
from autograder.pipeline import grade
from autograder.report import report

A = "00_bienvenida"


@pytest.mark.slow
def test_import_grade_resume_force_export_report(tmp_path):
    inbox, root = tmp_path / "entregas", tmp_path / "curso"
    for student, notebook in (("Ana", mutants.submission(A)),
                              ("Blas", nbformat.read(notebook_path(A, "release"), as_version=4))):
        (inbox / student / A).mkdir(parents=True)
        nbformat.write(notebook, inbox / student / A / f"{A}.ipynb")
    assert import_folder(root, inbox) == (2, [])
    (root / "submitted" / "dora").mkdir()  # in the roster, no submission

    log = io.StringIO()
    first = grade(root, [A], workers=2, progress=log)
    assert {(r.student, r.score, r.status) for r in first} == {("ana", 2, "ok"), ("blas", 0, "ok")}
    assert grade(root, [A], progress=log) == []  # resumable: nothing changed
    nbformat.write(mutants.submission(A), root / "submitted" / "blas" / A / f"{A}.ipynb")
    assert [(r.student, r.score) for r in grade(root, [A], progress=log)] == [("blas", 2)]
    assert [r.student for r in grade(root, [A], students=["ana"], force=True, progress=log)] == ["ana"]

    assert main(["export", A, "--root", str(root)]) == 0
    rows = {row["student"]: row for row in csv.DictReader(open(root / "grades.csv", encoding="utf-8"))}
    assert rows["ana"][f"{A} score"] == "2" and rows["ana"][f"{A} status"] == "ok"
    assert rows["dora"][f"{A} score"] == "0" and rows["dora"][f"{A} status"] == "missing"
    assert rows["blas"][f"{A} max"] == "2"
    assert (root / "feedback" / "blas" / A / f"{A}.html").exists()

    lines, paths = report(root, [A])
    assert any("test_weighted_sum_hidden" in line and "2/2" in line for line in lines)
    assert paths[0].read_bytes()[:4] == b"\x89PNG"
