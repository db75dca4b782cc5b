"""The instructor's `grade` command: grade what is in `submitted/`, then feedback and export."""

import logging
import sys
import time
from pathlib import Path

import nbformat

from autograder import COURSE_ROOT, feedback, results
from autograder.export import export
from autograder.grade import Job, Limits, ReferenceFailed, Result, run_batch
from autograder.model import digest

log = logging.getLogger(__name__)


def pending(root: Path, assignments: list[str], students: list[str] | None = None, force: bool = False) -> list[Job]:
    """Jobs for the submissions in `<root>/submitted/` not graded yet (or changed since; all with `force`)."""
    jobs = []
    for assignment in assignments:
        for folder in sorted(Path(root).glob(f"submitted/*/{assignment}")):
            student = folder.parent.name
            if students and student not in students:
                continue
            done = results.load(root, student, assignment)
            if force or done is None or done.digest != digest(folder):
                jobs.append(Job(assignment, student, folder))
    return jobs


def store(root: Path, result: Result, notebook: nbformat.NotebookNode | None, source_root: Path) -> None:
    """Store one graded submission and write its feedback page, while the others are still being graded."""
    feedback.write(root, [results.save(root, result, notebook)], source_root)


def grade(root: Path, assignments: list[str] | None = None, students: list[str] | None = None, force: bool = False,
          workers: int | None = None, limits: Limits | None = None, progress=sys.stderr, data=None,
          source_root: Path = COURSE_ROOT, stages=None) -> list[Result]:
    """Grade the submissions in the course root `root`, write feedback for each as it is graded, export
    `grades.csv`; return the new `Result`s. Raises `ReferenceFailed` (after feedback and export of the rest)
    when an assignment's reference solution does not get full marks here; `data` lists where to look for
    Fashion-MNIST (see `run_batch`); the assignments come from `source_root`; `stages` (a `grade.Stages`)
    collects the time of each stage of grading."""
    assignments = assignments or results.graded_assignments(root)
    began = time.monotonic()
    results.register(root, assignments, source_root)
    if stages:
        stages.add("register in the course gradebook (once per batch)", time.monotonic() - began)
    jobs = pending(root, assignments, students, force)
    skipped = sum(1 for a in assignments for _ in Path(root).glob(f"submitted/*/{a}")) - len(jobs)
    if skipped > 0:
        log.info("%d submission(s) already graded and unchanged: skipped (--force regrades).", skipped)
    failed = None
    try:
        done = run_batch(jobs, limits, workers,
                         on_done=lambda job, result, nb: store(root, result, nb, source_root),
                         progress=progress, hide=[root], data=data, source_root=source_root,
                         stages=stages) if jobs else []
    except ReferenceFailed as exc:
        failed, done = exc, exc.results
    began = time.monotonic()
    export(root, assignments)
    if stages:
        stages.add("export (once per batch)", time.monotonic() - began)
    if failed:
        raise failed
    return done


def grade_table(root: Path, assignments: list[str]) -> list[str]:
    """Lines of a table: student, then `score/max status` per assignment (`score/max + N a mano pendientes`
    while cells graded by hand have no score)."""
    def cell(r: Result) -> str:
        if not r.pending:
            return f"{r.score:g}/{r.max_score:g} {r.status}"
        text = f"{r.score:g}/{r.max_score - r.pending_points:g} + {r.pending_points:g} a mano pendientes"
        return text if r.status == "pending manual" else f"{text} {r.status}"

    rows = {student: [cell(row[a]) for a in assignments] for student, row in results.table(root, assignments).items()}
    widths = [max([len(a)] + [len(row[j]) for row in rows.values()]) + 2 for j, a in enumerate(assignments)]
    lines = ["estudiante".ljust(24) + "".join(a.rjust(w) for a, w in zip(assignments, widths))]
    for student, row in rows.items():
        lines.append(student.ljust(24) + "".join(text.rjust(w) for text, w in zip(row, widths)))
    return lines
