"""Manual grading, in nbgrader's own terms: cells that are both solution and grade cells (a written answer, code
or markdown) and task cells are graded by an instructor, in formgrader or with `python -m autograder manual
scores.csv`; both write `Grade.manual_score` and `Comment.manual_comment` in the course's gradebook. A manual
score also overrides an autograded one, as in formgrader. Until every manually graded cell of a submission has
a score, its status is `pending manual` («pendiente de corrección manual»). Regrading never touches them."""

import csv
import functools
from pathlib import Path

from nbgrader.api import Grade, Gradebook, MissingEntry, SubmittedAssignment

from autograder.model import Result
from autograder.nbgrader_setup import gradebook

FIELDS = ("student", "assignment", "cell", "score", "comment")


def manual_ids(gb: Gradebook, assignment: str) -> set[str]:
    """Grade ids of the manually graded cells of `assignment` registered in the gradebook `gb`."""
    found = set()
    for notebook in gb.find_assignment(assignment).notebooks:
        grades = {c.name for c in notebook.grade_cells}
        found |= (grades & {c.name for c in notebook.solution_cells}) | {c.name for c in notebook.task_cells}
    return found


def find_grade(gb: Gradebook, assignment: str, cell: str, student: str) -> tuple[str, Grade]:
    """`(notebook name, Grade)` of the grade or task cell `cell` in `student`'s submission of `assignment`, in
    whichever notebook holds it (nbgrader's `find_grade` needs the notebook and finds no task cell). Raises
    `MissingEntry`."""
    for notebook in gb.find_submission(assignment, student).notebooks:
        for grade in notebook.grades:
            if grade.name == cell:
                return notebook.name, grade
    raise MissingEntry()


def cells(root: Path, assignment: str) -> set[str]:
    """`manual_ids` of `assignment` in the gradebook of the course `root`."""
    with gradebook(root) as gb:
        return manual_ids(gb, assignment)


def _entry(grade: Grade, manual: set[str]) -> list | None:
    """`[manual score or None, max, comment]` of a cell graded by hand or an autograded cell with a manual score
    (the comment is filled in later); None for any other cell."""
    if grade.manual_score is None and grade.name not in manual:
        return None
    return [grade.manual_score, float(grade.max_score), ""]


@functools.lru_cache(maxsize=4)
def _snapshot(db: str, changed: int) -> tuple[dict, dict]:
    """From the gradebook `db` (as of its modification time `changed`): `{assignment: manual ids}` and
    `{(student, assignment): {grade_id: _entry}}`. One read per change of the gradebook, not one per result."""
    from nbgrader.api import Comment

    root = Path(db).parent
    with gradebook(root) as gb:
        manual = {a.name: manual_ids(gb, a.name) for a in gb.assignments if a.notebooks}
        scores = {}
        for grade in gb.db.query(Grade):
            assignment = grade.assignment.name
            if (entry := _entry(grade, manual.get(assignment, set()))) is not None:
                scores.setdefault((grade.student.id, assignment), {})[grade.name] = entry
        for comment in gb.db.query(Comment).filter(Comment.manual_comment.isnot(None)):
            entry = scores.get((comment.student.id, comment.assignment.name), {}).get(comment.name)
            if entry is not None:
                entry[2] = comment.manual_comment
    return manual, scores


def submission_scores(submission: SubmittedAssignment, manual: set[str]) -> dict:
    """`{grade_id: _entry}` of one submission (its gradebook open), `manual`
    being the assignment's `manual_ids`: what `apply` needs, without reading the whole gradebook."""
    scores = {}
    for notebook in submission.notebooks:
        for grade in notebook.grades:
            if (entry := _entry(grade, manual)) is not None:
                scores[grade.name] = entry
        for comment in notebook.comments:
            if comment.manual_comment is not None and comment.name in scores:
                scores[comment.name][2] = comment.manual_comment
    return scores


def apply(root: Path, result: Result, scores: dict | None = None) -> Result:
    """Put the manual scores and comments of the gradebook into `result`; flag `pending manual` when a
    manually graded cell has none yet. Return `result`. `scores` (`submission_scores`, when the caller has the
    submission open) spares reading the whole gradebook once per change (`_snapshot`, for many results)."""
    if scores is None:
        db = Path(root).resolve() / "gradebook.db"
        if not db.exists():
            return result
        scores = _snapshot(str(db), db.stat().st_mtime_ns)[1].get((result.student, result.assignment), {})
    pending = []
    for gid, (score, points, comment) in scores.items():
        if score is None:
            pending.append(gid)
        else:
            result.grades[gid] = [float(score), points]
        if comment:
            result.comments[gid] = comment
    result.pending = sorted(pending)
    reason = "manual grading pending: " + ", ".join(result.pending)
    if pending and reason not in result.reasons:  # applied again to a result it already completed
        result.flag("pending manual", reason)
    return result


def keep_on_regrade(grade: Grade, manual: set[str]) -> None:
    """After the autograder wrote `grade.auto_score`: a cell of `manual` without a manual score still needs one
    (the manual score itself is never touched)."""
    grade.needs_manual_grade = grade.manual_score is None and grade.name in manual


def import_scores(root: Path, path: Path) -> tuple[list[str], list[str]]:
    """Write the manual scores of a CSV (`student,assignment,cell,score,comment`) into the gradebook; return
    the `student/assignment` pairs changed and one line per row skipped."""
    changed, problems = [], []
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    if rows and not set(FIELDS[:4]) <= set(rows[0]):
        return [], [f"{path}: the header must be {','.join(FIELDS)}"]
    with gradebook(root) as gb:
        for line, row in enumerate(rows, start=2):
            student, assignment, cell = row["student"], row["assignment"], row["cell"]
            try:
                notebook, grade = find_grade(gb, assignment, cell, student)
            except MissingEntry:
                problems.append(f"line {line}: no graded submission {student}/{assignment} with cell {cell}")
                continue
            try:
                score = float(row["score"].replace(",", "."))
            except ValueError:
                problems.append(f"line {line}: score {row['score']!r} is not a number")
                continue
            if not 0 <= score <= grade.max_score:
                problems.append(f"line {line}: score {score:g} outside 0..{grade.max_score:g} for {cell}")
                continue
            grade.manual_score, grade.needs_manual_grade = score, False
            if row.get("comment"):
                try:
                    gb.find_comment(cell, notebook, assignment, student).manual_comment = row["comment"]
                except MissingEntry:
                    problems.append(f"line {line}: {cell} takes no comment; score written")
            changed.append(f"{student}/{assignment}")
        gb.db.commit()
    return sorted(set(changed)), problems
