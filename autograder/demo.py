"""The instructor's main job on example data: release, import, grade, export, print the grade table."""

import logging
import shutil
import sys
import tempfile
from pathlib import Path

import nbformat

from autograder import mutants, release
from autograder.assignments import assignment_names, notebook_path
from autograder.grade import ReferenceFailed
from autograder.importer import import_folder
from autograder.pipeline import grade, grade_table

log = logging.getLogger(__name__)


def example_submissions(assignment: str) -> dict[str, Path | nbformat.NotebookNode]:
    """Three example students: the reference solution, an untouched release, and common mistakes."""
    wrong, _ = mutants.load(assignment)
    first_mistakes = {gid: next(iter(versions.values())) for gid, versions in wrong.items() if versions}
    return {
        "ana_referencia": mutants.submission(assignment),
        "blas_en_blanco": notebook_path(assignment, "release"),
        "carla_con_errores": mutants.submission(assignment, first_mistakes),
    }


def demo(assignments: list[str] | None = None, root: str | Path | None = None) -> int:
    """Regenerate release/, import the examples of every assignment into a fresh course root (a new
    temporary folder unless given), grade them, export grades.csv and print the grade table."""
    assignments = assignments or assignment_names()
    release.generate(assignments)
    root = Path(root or tempfile.mkdtemp(prefix="autograder-demo-"))
    with tempfile.TemporaryDirectory(prefix="entregas-") as inbox:
        for assignment in assignments:
            for student, notebook in example_submissions(assignment).items():
                target = Path(inbox) / student / assignment / f"{assignment}.ipynb"
                target.parent.mkdir(parents=True)
                if isinstance(notebook, Path):
                    shutil.copyfile(notebook, target)
                else:
                    nbformat.write(notebook, target)
        imported = import_folder(root, inbox)
    print(imported.summary(root), flush=True)

    try:
        grade(root, assignments, progress=sys.stdout)
    except ReferenceFailed as exc:
        log.error(exc)
        return 1
    print("\n" + "\n".join(grade_table(root, assignments)))
    print(f"\nFeedback: {root / 'feedback'}\nCSV: {root / 'grades.csv'}")
    return 0
