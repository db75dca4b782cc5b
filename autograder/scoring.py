"""Score notebooks through the grading pipeline, each batch in a throwaway course directory."""

import shutil
import tempfile
from pathlib import Path
from typing import Callable, TextIO

import nbformat

from autograder import COURSE_ROOT
from autograder.grade import Job, Limits, Result, run_batch


def submit(root: Path, assignment: str, student: str, notebook: str | Path | nbformat.NotebookNode) -> Path:
    """Put `notebook` (a path or an nbformat node, stored as `<assignment>.ipynb`; or a folder, whose notebooks
    are copied: an assignment of several notebooks) in `submitted/<student>/<assignment>/`; return the first."""
    folder = Path(root) / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(notebook, (str, Path)) and Path(notebook).is_dir():
        copied = [shutil.copyfile(p, folder / p.name) for p in sorted(Path(notebook).glob("*.ipynb"))]
        return Path(copied[0])
    target = folder / f"{assignment}.ipynb"
    if isinstance(notebook, (str, Path)):
        shutil.copyfile(notebook, target)
    else:
        nbformat.write(notebook, target)
    return target


def grade_many(submissions: dict, workers: int | None = None, limits: Limits | None = None,
               progress: TextIO | None = None, on_done: Callable | None = None,
               source_root: Path = COURSE_ROOT) -> dict[str, dict[str, Result]]:
    """Grade `{assignment: {student: notebook}}` (see `submit`) in one parallel batch through the grading
    pipeline; return `{assignment: {student: Result}}` (scores and status). `on_done` and `source_root` as in
    `run_batch`."""
    with tempfile.TemporaryDirectory(prefix="score-") as tmp:
        jobs = [Job(assignment, student, submit(tmp, assignment, student, notebook).parent)
                for assignment, students in submissions.items() for student, notebook in students.items()]
        results = run_batch(jobs, limits, workers, on_done=on_done, progress=progress, source_root=source_root)
    graded = {assignment: {} for assignment in submissions}
    for r in results:
        graded[r.assignment][r.student] = r
    return graded
