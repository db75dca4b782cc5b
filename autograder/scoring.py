"""Score notebooks through the real `nbgrader autograde`, each batch in a throwaway course directory."""

import shutil
import tempfile
from pathlib import Path

import nbformat

from autograder import COURSE_ROOT
from autograder.assignments import notebook_path
from autograder.nbgrader_setup import api, gradebook, run


def prepare_course(assignment, root):
    """Copy `source/<assignment>` into `root` and register it in a fresh gradebook there."""
    root = Path(root)
    shutil.copytree(COURSE_ROOT / "source" / assignment, root / "source" / assignment, dirs_exist_ok=True)
    run(api(root).generate_assignment(assignment, force=True, create=True), f"generate_assignment {assignment}")
    return root


def submit(root, assignment, student, notebook):
    """Put `notebook` (a path or an nbformat node) in `submitted/<student>/<assignment>/`."""
    folder = Path(root) / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{assignment}.ipynb"
    if isinstance(notebook, (str, Path)):
        shutil.copyfile(notebook, target)
    else:
        nbformat.write(notebook, target)
    return target


def read_scores(root, assignment, student):
    """`{grade_id: (score, max_score)}` of one autograded submission."""
    with gradebook(root) as gb:
        submission = gb.find_submission_notebook(assignment, assignment, student)
        return {g.name: (float(g.score or 0.0), float(g.max_score)) for g in submission.grades}


def grade_many(submissions, workers=None, limits=None, progress=None):
    """Grade `{assignment: {student: notebook}}` in one parallel batch through the grading pipeline;
    return `{assignment: {student: Result}}` (scores and status)."""
    from autograder.grade import Job, run_batch

    with tempfile.TemporaryDirectory(prefix="score-") as tmp:
        jobs = [Job(assignment, student, submit(tmp, assignment, student, notebook).parent)
                for assignment, students in submissions.items() for student, notebook in students.items()]
        results = run_batch(jobs, limits, workers, progress=progress)
    graded = {assignment: {} for assignment in submissions}
    for r in results:
        graded[r.assignment][r.student] = r
    return graded


def score_many(submissions, workers=None, limits=None, progress=None):
    """Like `grade_many`, but only the scores: `{assignment: {student: {grade_id: (score, max)}}}`."""
    return {a: {s: {gid: tuple(v) for gid, v in r.grades.items()} for s, r in students.items()}
            for a, students in grade_many(submissions, workers, limits, progress).items()}


def score_submissions(assignment, submissions, workdir=None):
    """Autograde `{student: notebook}` for `assignment`; return `{student: {grade_id: (score, max)}}`."""
    return score_many({assignment: submissions})[assignment]


def total(scores):
    """`(score, max_score)` summed over the grade cells of one submission."""
    return sum(s for s, _ in scores.values()), sum(m for _, m in scores.values())


def score_release_and_source(assignment):
    """Scores of the committed source (should be full) and release (should be 0) notebooks."""
    return score_submissions(assignment, {
        "source": notebook_path(assignment, "source"),
        "release": notebook_path(assignment, "release"),
    })
