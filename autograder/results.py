"""Grading results in the instructor's course root: the nbgrader gradebook (scores, for nbgrader's own
tools), `autograded/<student>/<assignment>/` (the executed notebooks and `autograder.json` with the status)
and the roster (every student with a folder in `submitted/` or a row in the gradebook)."""

import json
import os
import tempfile
from pathlib import Path

import nbformat
from nbgrader.api import MissingEntry

from autograder import COURSE_ROOT, late, manual
from autograder import roster as roster_file
from autograder.assignments import split
from autograder.model import Result
from autograder.nbgrader_setup import gradebook, max_scores, prepare_course


def result_path(root: Path, student: str, assignment: str) -> Path:
    return Path(root) / "autograded" / student / assignment / "autograder.json"


def register(root: Path, assignments: list[str], source_root: Path = COURSE_ROOT) -> None:
    """Put the assignments' metadata (cells, points) into `<root>/gradebook.db`, readable by root only."""
    db = Path(root).resolve() / "gradebook.db"
    for assignment in assignments:
        with tempfile.TemporaryDirectory(prefix=f"register-{assignment}-") as tmp:
            prepare_course(assignment, tmp, source_root, db)
    if db.exists():
        os.chmod(db, 0o600)


def save(root: Path, result: Result, notebook: nbformat.NotebookNode | None) -> Result:
    """Store one graded submission: executed notebook, status file, scores in the gradebook. Return `result`
    completed as `load` gives it (manual scores, late penalty), reading only this submission."""
    path = result_path(root, result.student, result.assignment)
    path.parent.mkdir(parents=True, exist_ok=True)
    for old in path.parent.glob("*.ipynb"):
        old.unlink()
    for name, part in (split(notebook) if notebook is not None else {}).items():
        nbformat.write(part, path.parent / name)  # nbgrader's layout: one file per notebook, for formgrader
    path.write_text(json.dumps(result.to_json(), indent=1, ensure_ascii=False), encoding="utf-8")
    with gradebook(root) as gb:
        gb.update_or_create_student(result.student)
        try:
            submission = gb.find_submission(result.assignment, result.student)
        except MissingEntry:
            submission = gb.add_submission(result.assignment, result.student)
        by_hand = manual.manual_ids(gb, result.assignment)
        for grade in (g for submitted in submission.notebooks for g in submitted.grades):
            grade.auto_score = result.grades.get(grade.name, [0.0])[0]
            manual.keep_on_regrade(grade, by_hand)
        gb.db.commit()
        manual.apply(root, result, manual.submission_scores(submission, by_hand))
    return late.annotate(root, result)


def load(root: Path, student: str, assignment: str) -> Result | None:
    """The stored `Result` of a submission (see `complete`), or None."""
    path = result_path(root, student, assignment)
    return complete(root, Result.from_json(json.loads(path.read_text(encoding="utf-8")))) if path.exists() else None


def complete(root: Path, result: Result) -> Result:
    """`result` with the gradebook's manual scores and the late penalty of `course.toml`."""
    return late.annotate(root, manual.apply(root, result))


def roster(root: Path) -> list[str]:
    """Every student id: folders in `submitted/`, students in the gradebook and in `roster.csv`."""
    students = {p.name for p in (Path(root) / "submitted").glob("*") if p.is_dir()} | set(roster_file.load(root))
    if (Path(root) / "gradebook.db").exists():
        with gradebook(root) as gb:
            students |= {s.id for s in gb.students}
    return sorted(students)


def table(root: Path, assignments: list[str]) -> dict[str, dict[str, Result]]:
    """`{student: {assignment: Result}}` for the whole roster; no submission means status `missing`."""
    rows = {}
    for assignment in assignments:
        zero = {gid: [0.0, m] for gid, m in max_scores(root, assignment).items()}
        for student in roster(root):
            result = load(root, student, assignment)
            if result is None:
                submitted = Path(root) / "submitted" / student / assignment
                result = Result(assignment, student, grades=dict(zero))
                result.flag("missing", "not graded yet" if submitted.exists() else "no submission")
            rows.setdefault(student, {})[assignment] = result
    return rows


def graded_assignments(root: Path) -> list[str]:
    """Assignments with at least one submission or graded result in `root`, in course order."""
    found = {p.name for p in Path(root).glob("submitted/*/*") if p.is_dir()}
    found |= {p.name for p in Path(root).glob("autograded/*/*") if p.is_dir()}
    return sorted(found)
