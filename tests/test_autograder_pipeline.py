"""The instructor workflow end to end on 00_bienvenida: import, grade (resumable, --force), export, report."""

import csv
import io
import os
import shutil
import tempfile
from pathlib import Path

import nbformat
import pytest

from autograder import mutants, results, sandbox
from autograder.assignments import notebook_path, solution_cells
from autograder.cli import main
from autograder.grade import Job, ReferenceFailed, run_batch
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


@pytest.mark.slow
def test_ctrl_c_in_a_batch_leaves_no_process_behind(tmp_path):
    """Ctrl-C while submissions are being graded (raised here by the first result's callback, two slow ones still
    running): every grading process, kernel and kernel factory of the batch is gone when the error comes out."""
    solution = solution_cells(nbformat.read(notebook_path(A, "source"), as_version=4))["weighted_sum"].source
    slow = "import time\ntime.sleep(120)\n" + solution
    jobs = []
    for student, replacements in (("ana", {}), ("blas", {"weighted_sum": slow}), ("carla", {"weighted_sum": slow})):
        folder = tmp_path / "submitted" / student / A
        folder.mkdir(parents=True)
        nbformat.write(mutants.submission(A, replacements), folder / f"{A}.ipynb")
        jobs.append(Job(A, student, folder))

    def interrupt(job, result, notebook):
        assert job.student == "ana"
        raise KeyboardInterrupt

    workdir = Path(tempfile.mkdtemp(prefix="ctrl-c-"))  # short: the sockets' paths live in it
    with pytest.raises(KeyboardInterrupt):
        run_batch(jobs, workers=3, on_done=interrupt, progress=None, workdir=workdir)
    assert sandbox.descendants(os.getpid()) == {os.getpid()}
    assert not list(workdir.iterdir()), "the batch's folder was not removed"
    workdir.rmdir()
