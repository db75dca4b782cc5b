"""P2 — grading throughput: `python -m autograder grade` (parallel, isolated) vs plain serial `nbgrader autograde`.

The same synthetic submissions (reference, blank release, first wrong version of each assignment) are graded by
both, in one run on this machine, with 1, 2 and all cores for ours. Target: ≥ 2.5× on 2 cores (issue #27).
"""

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autograder import COURSE_ROOT, pipeline
from autograder.assignments import assignment_names
from autograder.demo import example_submissions
from autograder.grade import Stages
from autograder.model import default_workers
from autograder.nbgrader_setup import prepare_course, read_scores
from autograder.scoring import submit


def synthetic(assignment, copies):
    """`copies` × the demo's example students (reference, blank release, common mistakes) of one assignment."""
    return {f"{student}{i}": nb for i in range(copies) for student, nb in example_submissions(assignment).items()}


def course_with(submissions, root):
    """A course root holding every assignment and the submissions `{assignment: {student: notebook}}`."""
    for assignment, students in submissions.items():
        prepare_course(assignment, root)
        for student, notebook in students.items():
            submit(root, assignment, student, notebook)
    return root


def grading_cpu() -> float:
    """CPU seconds (user + system) so far of this process (the grader's parent: judging, storing, feedback)
    and of its finished children and their descendants (nbgrader, kernel factories, kernels)."""
    return sum(u.ru_utime + u.ru_stime for u in (resource.getrusage(resource.RUSAGE_SELF),
                                                  resource.getrusage(resource.RUSAGE_CHILDREN)))


def plain_serial(submissions, scores=None):
    """`(seconds, CPU seconds)` for plain `nbgrader autograde <assignment> --force` (serial, one command per
    assignment); `scores`, a dict, receives `{(assignment, student): {grade_id: (score, max)}}`."""
    with tempfile.TemporaryDirectory(prefix="bench-plain-") as root:
        course_with(submissions, root)
        shutil.copyfile(COURSE_ROOT / "nbgrader_config.py", Path(root) / "nbgrader_config.py")
        env = dict(os.environ, NBGRADER_COURSE_ROOT=root)
        nbgrader = Path(sys.executable).parent / "nbgrader"
        start, cpu = time.perf_counter(), grading_cpu()
        for assignment in submissions:
            subprocess.run([str(nbgrader), "autograde", assignment, "--force"], cwd=root, env=env,
                           capture_output=True, check=False)
        seconds, cpu = time.perf_counter() - start, grading_cpu() - cpu
        if scores is not None:
            for assignment, students in submissions.items():
                for student in students:
                    scores[assignment, student] = read_scores(root, assignment, student)
        return seconds, cpu


def ours(submissions, workers, stages=None):
    """`(seconds, CPU seconds)` for `python -m autograder grade` with `workers` processes; `stages` collects the
    breakdown."""
    with tempfile.TemporaryDirectory(prefix="bench-ours-") as root:
        course_with(submissions, root)
        start, cpu = time.perf_counter(), grading_cpu()
        pipeline.grade(root, list(submissions), force=True, workers=workers, progress=None, stages=stages)
        return time.perf_counter() - start, grading_cpu() - cpu


def breakdown(stages: Stages, seconds: float) -> list[str]:
    """Lines: seconds per submission of each stage (serial run), largest first, and what no stage accounts for."""
    n = max(stages.submissions, 1)
    lines = [f"desglose por entrega con 1 proceso ({stages.submissions} corridas del kernel, incluidas las "
             f"referencias; {seconds / n:.2f} s por corrida):"]
    for stage, total in sorted(stages.seconds.items(), key=lambda item: -item[1]):
        lines.append(f"  {stage}: {total / n:.3f} s")
    counted = sum(v for k, v in stages.seconds.items() if not k.startswith(" "))
    lines.append(f"  sin asignar: {(seconds - counted) / n:.3f} s")
    return lines


def measure(quick=False, assignments=None, copies=None):
    """P2's rows and notes; `assignments` and `copies` (× reference/blank/wrong) size a smaller run."""
    assignments = assignments or (assignment_names()[:1] if quick else assignment_names())
    submissions = {a: synthetic(a, copies or (1 if quick else 2)) for a in assignments}
    n = sum(len(s) for s in submissions.values())
    plain, cpu = plain_serial(submissions)
    rows = [{"corrector": "nbgrader autograde en serie", "procesos": 1, "entregas": n, "segundos": round(plain, 1),
             "entregas/min": round(n / plain * 60, 1), "aceleración": 1.0, "CPU s/entrega": round(cpu / n, 2)}]
    stages = Stages()
    for workers in sorted({1, 2, os.cpu_count() or 1, default_workers()}):
        seconds, cpu = ours(submissions, workers, stages if workers == 1 else None)
        if workers == 1:
            serial = seconds
        rows.append({"corrector": "python -m autograder grade", "procesos": workers, "entregas": n,
                     "segundos": round(seconds, 1), "entregas/min": round(n / seconds * 60, 1),
                     "aceleración": round(plain / seconds, 2), "CPU s/entrega": round(cpu / n, 2)})
    notes = [f"{len(assignments)} tareas × {n // len(assignments)} entregas (referencia, en blanco, con errores)",
             "objetivo: aceleración ≥ 2.5 en 2 núcleos (por omisión, grade usa núcleos + 1 procesos)",
             "CPU s/entrega: tiempo de CPU de todos los procesos de la corrección (menos sensible a la carga de la "
             "máquina que los segundos)", *breakdown(stages, serial)]
    return rows, notes
