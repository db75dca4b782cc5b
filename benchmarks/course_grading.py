"""P6 — a whole course graded in one batch: 100 students × 8 assignments = 800 submissions, isolated.

Each student hands in each assignment complete (the reference, sometimes with the committed alternative
solutions), partial (some exercises left as released), blank (the release) or with mistakes (committed wrong
versions), drawn with a fixed seed. `python -m autograder grade` grades them in one batch with every core; the
grader's peak memory is reported, and a sample is graded again with plain `nbgrader autograde`, one command per
assignment, to prove the same scores. `students` scales the class down (the quick run, or a run on a busy
machine); the time for 800 is then extrapolated from the measured rate, and the note says so. Target (issue #27):
800 in < 15 min on 2 cores.
"""

import os
import random
import resource
import tempfile
import threading
import time
from pathlib import Path

import nbformat

from autograder import mutants, pipeline, sandbox
from autograder.model import default_workers
from autograder.assignments import assignment_names, notebook_path, solution_cells
from benchmarks.grading import grading_cpu, course_with, plain_serial

KINDS = (("completa", 0.55), ("parcial", 0.2), ("en blanco", 0.1), ("con errores", 0.15))
FULL_CLASS = 100


def submission(assignment: str, kind: str, rng: random.Random):
    """One student's notebook of `assignment` of the given kind."""
    if kind == "en blanco":
        return notebook_path(assignment, "release")
    wrong, alternative = mutants.load(assignment)
    if kind == "completa":
        chosen = [g for g in alternative if alternative[g] and rng.random() < 0.3]
        return mutants.submission(assignment, {g: rng.choice(list(alternative[g].values())) for g in chosen})
    if kind == "con errores" and wrong:
        chosen = rng.sample(sorted(g for g in wrong if wrong[g]), k=min(2, len(wrong)))
        return mutants.submission(assignment, {g: rng.choice(list(wrong[g].values())) for g in chosen})
    stubs = solution_cells(nbformat.read(notebook_path(assignment, "release"), as_version=4))
    left = rng.sample(sorted(stubs), k=max(1, len(stubs) // 2))
    return mutants.submission(assignment, {g: stubs[g].source for g in left})


def classroom(students: int, assignments: list[str], seed: int = 0) -> tuple[dict, dict]:
    """`({assignment: {student: notebook}}, {(assignment, student): kind})` for `students` students."""
    rng = random.Random(seed)
    submissions, kinds = {}, {}
    for assignment in assignments:
        submissions[assignment] = {}
        for i in range(students):
            kind = rng.choices([k for k, _ in KINDS], weights=[w for _, w in KINDS])[0]
            student = f"estudiante{i:03d}"
            submissions[assignment][student] = submission(assignment, kind, rng)
            kinds[assignment, student] = kind
    return submissions, kinds


class TreeMemory:
    """Samples, every `period` seconds, the resident memory of this process and all its descendants (kernel
    factories and kernels included; shared pages counted once per process, so an upper bound)."""

    def __init__(self, period: float = 1.0):
        self.period, self.peak, self.stop = period, 0, threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        while not self.stop.wait(self.period):
            total = 0
            for pid in sandbox.descendants(os.getpid()):
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS")), 0)
            self.peak = max(self.peak, total * 1024)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *_):
        self.stop.set()
        self.thread.join()


def measure(quick=False, students=None, sample=None):
    """P6's rows and notes; `students` per assignment (default 100; quick: 1, and only the first two
    assignments), `sample` submissions per assignment graded again with plain nbgrader (default 3, quick 1)."""
    students = students or (1 if quick else FULL_CLASS)
    sample = sample or (1 if quick else 3)
    names = assignment_names()
    submissions, kinds = classroom(students, names[:2] if quick else names)
    load = os.getloadavg()[0]
    n = sum(len(s) for s in submissions.values())
    workers = default_workers()
    with tempfile.TemporaryDirectory(prefix="bench-p6-") as root:
        course_with(submissions, root)
        start, cpu = time.perf_counter(), grading_cpu()
        with TreeMemory() as tree:
            done = pipeline.grade(root, list(submissions), force=True, workers=workers, progress=None)
        seconds, cpu = time.perf_counter() - start, grading_cpu() - cpu
    grader_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    rows = []
    for assignment in submissions:
        mine = [r for r in done if r.assignment == assignment]
        statuses = sorted({r.status for r in mine})
        rows.append({"tarea": assignment, "entregas": len(mine),
                     "s por entrega (en su proceso)": round(sum(r.seconds for r in mine) / max(len(mine), 1), 1),
                     "estados": " ".join(f"{s}={sum(r.status == s for r in mine)}" for s in statuses)})
    rate = n / seconds * 60
    whole = FULL_CLASS * len(names)
    # the same scores as plain nbgrader, on a sample of each assignment (every kind appears over the sample)
    rng = random.Random(1)
    picked = {a: {s: students_[s] for s in rng.sample(sorted(students_), k=min(sample, len(students_)))}
              for a, students_ in submissions.items()}
    plain = {}
    plain_serial(picked, plain)
    ours = {(r.assignment, r.student): r for r in done}
    differ = [f"{a}/{s} ({kinds[a, s]}): nbgrader {sum(v[0] for v in plain[a, s].values()):g}, "
              f"nuestro {ours[a, s].score:g} {ours[a, s].status}"
              for (a, s) in plain if {g: list(v) for g, v in plain[a, s].items()} != ours[a, s].grades]
    notes = [
        f"{students} estudiantes × {len(submissions)} tareas = {n} entregas ({', '.join(f'{k}: {sum(v == k for v in kinds.values())}' for k, _ in KINDS)}); "
        f"{workers} procesos, aislamiento {'activo' if sandbox.isolation()[0] else 'NO disponible'}; carga media "
        f"de la máquina (1 min) {load:.1f} al empezar y {os.getloadavg()[0]:.1f} al terminar",
        f"tiempo total {seconds:.0f} s = {rate:.1f} entregas/min; CPU {cpu / n:.2f} s por entrega",
        (f"medido a escala completa: {seconds / 60:.1f} min para {n}" if n >= whole else
         f"extrapolado (no medido) a {whole} entregas al mismo ritmo: {whole / rate:.1f} min"),
        "objetivo: 800 entregas en < 15 min con 2 núcleos",
        f"memoria máxima: el corrector {grader_rss / 2**20:.0f} MiB; todo el árbol de procesos (corrector, fábricas de "
        f"kernels, kernels; muestreado cada segundo, páginas compartidas contadas en cada proceso) "
        f"{tree.peak / 2**20:.0f} MiB",
        f"las mismas notas (por test) que nbgrader autograde en {len(plain) - len(differ)} de {len(plain)} entregas "
        f"de muestra" + ("; distintas: " + "; ".join(differ) if differ else ""),
    ]
    return rows, notes
