"""Fast tests of the autograder's parts that need no kernel: import, tampering, scan, truncation, feedback."""

import os
import zipfile

import nbformat
import pytest
from conftest import edit

from autograder import feedback, integrity, mutants
from autograder.assignments import notebook_path
from autograder.model import Limits, Result
from autograder.importer import import_folder, import_moodle, student_id

A = "00_bienvenida"


@pytest.fixture
def release_nb():
    return nbformat.read(notebook_path(A, "release"), as_version=4)


def nb_bytes(notebook):
    return nbformat.writes(notebook).encode()


def test_student_id():
    assert student_id("Ana Pérez-Gil") == "ana_perez_gil"


def test_import_folder_skips_bad_files(tmp_path, release_nb):
    inbox, root = tmp_path / "in", tmp_path / "root"
    (inbox / "Ana" / A).mkdir(parents=True)
    (inbox / "Ana" / A / "mio.ipynb").write_bytes(nb_bytes(release_nb))
    (inbox / "Blas" / A).mkdir(parents=True)
    (inbox / "Blas" / A / f"{A}.ipynb").write_text("{no es json")
    (inbox / "Blas" / A / "notas.pdf").write_text("pdf")
    report = import_folder(root, inbox)
    assert report.stored == [root / "submitted" / "ana" / A / f"{A}.ipynb"] and report.stored[0].exists()
    assert not (root / "submitted" / "blas").exists()
    assert any("notas.pdf: not a notebook" in p for p in report.skipped)
    assert any("unreadable notebook" in p for p in report.skipped)


def test_import_moodle_zip(tmp_path, release_nb):
    archive = tmp_path / "moodle.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("Ana Pérez_101_assignsubmission_file_/cuaderno.ipynb", nb_bytes(release_nb))
        z.writestr("Luis Gómez_102_assignsubmission_file_/a.ipynb", nb_bytes(release_nb))
        z.writestr("Luis Gómez_103_assignsubmission_file_/b.ipynb", nb_bytes(release_nb))
        z.writestr("Eva Ruiz_104_assignsubmission_file_/foto.png", b"\x89PNG")
        z.writestr("suelto.ipynb", nb_bytes(release_nb))
    report = import_moodle(tmp_path / "root", archive, A)
    students = sorted(p.name for p in (tmp_path / "root" / "submitted").iterdir())
    assert students == ["ana_perez", "luis_gomez_102", "luis_gomez_103"]
    assert sorted(p.parent.parent.name for p in report.stored) == students
    assert any("foto.png" in p for p in report.skipped) and any("suelto.ipynb" in p for p in report.skipped)


def test_tampering(release_nb):
    assert integrity.tampering(release_nb, release_nb) == []
    assert integrity.tampering(mutants.submission(A), release_nb) == []
    cases = {
        "edited": edit(release_nb, "test_weighted_sum", lambda nb, c: setattr(c, "source", "pass")),
        "deleted": edit(release_nb, "test_weighted_sum_hidden", lambda nb, c: nb.cells.remove(c)),
        "stripped": edit(release_nb, "test_weighted_sum_hidden", lambda nb, c: c.metadata.pop("nbgrader")),
        "metadata": edit(release_nb, "test_weighted_sum", lambda nb, c: c.metadata.nbgrader.update(points=9)),
        "kernelspec": edit(release_nb, "md_1", lambda nb, c: nb.metadata.kernelspec.update(name="otro")),
    }
    for name, notebook in cases.items():
        assert integrity.tampering(notebook, release_nb), name


def test_suspicious_code_is_flagged_and_normal_code_is_not(release_nb):
    assert integrity.suspicious(mutants.submission(A), release_nb) == []
    for code in ("import sys\nsys.modules['x'] = 1", "checks.check_close = print", "np.allclose = max",
                 "open('../../../gradebook.db')", "import ctypes", "class A:\n    def __eq__(s, o): return True"):
        assert integrity.suspicious(mutants.submission(A, {"weighted_sum": code}), release_nb), code


def test_truncate_outputs():
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print('x' * 10**6)", outputs=[
        nbformat.v4.new_output("stream", name="stdout", text="x" * 10**6)])])
    assert integrity.truncate_outputs(notebook, 1000) == 1
    assert len(notebook.cells[0].outputs[0].text) < 1100


def test_feedback_hides_hidden_tests_and_keeps_the_spanish_message():
    source = nbformat.read(notebook_path(A), as_version=4)
    executed = mutants.submission(A)
    for cell in executed.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid == "test_weighted_sum_hidden":
            cell.source = next(c.source for c in source.cells if c.metadata.get("nbgrader", {}).get("grade_id") == gid)
            cell.outputs = [nbformat.v4.new_output("error", ename="CheckError", evalue="weighted_sum con datos "
                                                   "aleatorios: se esperaba [1.0], se obtuvo [2.0]",
                                                   traceback=["Traceback", "checks.check_close(weighted_sum(X, w, -2.0)"])]
    result = Result(A, "ana", grades={"test_weighted_sum": [1.0, 1.0], "test_weighted_sum_hidden": [0.0, 1.0]})
    page = feedback.render(result, executed, A)
    assert "weighted_sum con datos aleatorios" in page  # a hidden test shows only the description written in it
    assert "se esperaba [1.0], se obtuvo [2.0]" not in page
    assert "BEGIN HIDDEN" not in page and "default_rng(0)" not in page and "Traceback" not in page
    assert "Puntuación:</b> 1 / 2" in page


def test_kernels_get_a_share_of_the_cores(tmp_path):
    from autograder import sandbox

    def kernel_env(limits):
        return sandbox.kernel_env(tmp_path / "batch", tmp_path / "kernel", tmp_path / "stage", sandbox.sandbox_uid(0),
                                  limits, False)

    env = kernel_env(Limits(threads=1))
    assert [env[k] for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "TF_NUM_INTRAOP_THREADS")] == ["1"] * 3
    assert env["AG_LIMIT_AS"] == str(Limits().memory)
    env = kernel_env(Limits())
    assert "TF_NUM_INTRAOP_THREADS" not in env or env["TF_NUM_INTRAOP_THREADS"] == os.environ.get("TF_NUM_INTRAOP_THREADS")


def test_every_limit_is_an_option_with_the_dataclass_default():
    import argparse

    from autograder.cli import add_limits, limits_from

    parser = argparse.ArgumentParser()
    add_limits(parser)
    assert limits_from(parser.parse_args([])) == Limits()
    given = limits_from(parser.parse_args(["--timeout", "90", "--memory", "512", "--processes", "64"]))
    assert (given.notebook_timeout, given.memory, given.processes) == (90, 512 * 2**20, 64)


def test_a_version_that_does_not_compile_is_an_error_of_the_check_naming_it():
    good = {"weighted_sum": {"ok": "def weighted_sum(X, w, b):\n    return X @ w + b\n"}}
    assert mutants.compiled(A, "wrong", good) == good
    with pytest.raises(mutants.BrokenVersion, match="wrong version weighted_sum/typo"):
        mutants.compiled(A, "wrong", {"weighted_sum": {"typo": "def weighted_sum(X, w, b)\n    return X @ w\n"}})


def test_a_wrong_version_is_killed_only_by_a_failing_test_cell():
    from autograder.check import Outcome

    killed = Outcome(A, "wrong--weighted_sum--x", "wrong", 1, 2, gid="weighted_sum", killed_by=("test_weighted_sum",))
    own = Outcome(A, "wrong--weighted_sum--y", "wrong", 0, 2, gid="weighted_sum", killed_by=("test_weighted_sum",),
                  own_error="NameError: name 'npp' is not defined")
    survived = Outcome(A, "wrong--weighted_sum--z", "wrong", 0, 2, status="timeout", gid="weighted_sum")
    assert [o.ok for o in (killed, own, survived)] == [True, False, False]


def test_points_graded_by_hand_are_pending_in_the_check_not_a_failure():
    from autograder.check import Outcome, summary

    source = Outcome("07_keras", "source", "source", 31, 31, manual=3)
    release = Outcome("07_keras", "release", "release", 0, 31, manual=3)
    short = Outcome("07_keras", "source", "source", 30, 31, manual=3)
    assert (source.ok, release.ok, short.ok) == (True, True, False)
    assert summary([source, release])[1].split() == ["07_keras", "31/31", "0/31", "0/0", "0/0", "+", "3", "by",
                                                     "hand", "(pending)"]
    assert "by hand" not in summary([Outcome(A, "source", "source", 2, 2), Outcome(A, "release", "release", 0, 2)])[1]
