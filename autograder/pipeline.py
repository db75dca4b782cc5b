"""The instructor's `grade` command: grade what is in `submitted/`, then feedback and export."""

import sys
from pathlib import Path

from autograder import feedback, results
from autograder.export import export
from autograder.grade import Job, ReferenceFailed, digest, run_batch


def pending(root, assignments, students=None, force=False):
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


def grade(root, assignments=None, students=None, force=False, workers=None, limits=None, progress=sys.stderr,
          data=None):
    """Grade, write feedback for what was graded, export `grades.csv`; return the new `Result`s. Raises
    `ReferenceFailed` (after feedback and export of the rest) when an assignment's reference solution does not
    get full marks here; `data` lists where to look for Fashion-MNIST (see `run_batch`)."""
    assignments = assignments or results.graded_assignments(root)
    results.register(root, assignments)
    jobs = pending(root, assignments, students, force)
    skipped = sum(1 for a in assignments for _ in Path(root).glob(f"submitted/*/{a}")) - len(jobs)
    if progress and skipped > 0:
        print(f"{skipped} submission(s) already graded and unchanged: skipped (--force regrades).",
              file=progress)
    failed = None
    try:
        done = run_batch(jobs, limits, workers, on_done=lambda job, result, nb: results.save(root, result, nb),
                         progress=progress, hide=[root], data=data) if jobs else []
    except ReferenceFailed as exc:
        failed, done = exc, exc.results
    feedback.write(root, done)
    export(root, assignments)
    if failed:
        raise failed
    return done


def grade_table(root, assignments):
    """Lines of a table: student, then `score/max status` per assignment."""
    rows = results.table(root, assignments)
    width = max([len(a) for a in assignments] + [22]) + 2
    lines = ["estudiante".ljust(24) + "".join(a.rjust(width) for a in assignments)]
    for student, row in rows.items():
        cells = [f"{row[a].score:g}/{row[a].max_score:g} {row[a].status}".rjust(width) for a in assignments]
        lines.append(student.ljust(24) + "".join(cells))
    return lines
