"""The instructor workflow end to end on 00_bienvenida: import, grade (resumable, --force), export, report."""

import csv
import io
import shutil

import nbformat
import pytest

from autograder import mutants, results, sandbox
from autograder.assignments import notebook_path
from autograder.cli import main
from autograder.grade import ReferenceFailed
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
    imported = import_folder(root, inbox)
    assert (len(imported.stored), imported.skipped) == (2, [])
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


@pytest.mark.slow
@pytest.mark.skipif(not sandbox.isolation()[0], reason="only the sandbox can hide the data set from the kernel")
def test_hidden_data_refuses_instead_of_zeroing(tmp_path):
    a = "07_keras"  # its hidden tests read Fashion-MNIST
    folder = tmp_path / "curso" / "submitted" / "blas" / a
    folder.mkdir(parents=True)
    shutil.copyfile(notebook_path(a, "release"), folder / f"{a}.ipynb")
    (tmp_path / "vacia").mkdir()
    with pytest.raises(ReferenceFailed) as failed:
        grade(tmp_path / "curso", [a], workers=2, progress=io.StringIO(), data=[tmp_path / "vacia"])
    assert list(failed.value.failures) == [a]
    assert "FileNotFoundError" in str(failed.value) and "no submission of 07_keras was graded" in str(failed.value)
    assert results.load(tmp_path / "curso", "blas", a) is None
