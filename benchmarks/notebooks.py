"""P1 — seconds to execute each source notebook as a student runs it and under grading (`NBGRADER_EXECUTION`)."""

import json
import os
import time

import nbformat
from nbclient import NotebookClient

from autograder.assignments import assignment_names, notebook_path
from benchmarks import RESULTS


def execute_seconds(assignment, grading):
    """Run the source notebook top to bottom in a fresh kernel; seconds, kernel start included."""
    path = notebook_path(assignment, "source")
    notebook = nbformat.read(path, as_version=4)
    previous = os.environ.pop("NBGRADER_EXECUTION", None)
    if grading:
        os.environ["NBGRADER_EXECUTION"] = "autograde"  # the kernel inherits it, as under nbgrader
    try:
        start = time.perf_counter()
        NotebookClient(notebook, timeout=3600, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        return time.perf_counter() - start
    finally:
        os.environ.pop("NBGRADER_EXECUTION", None)
        if previous is not None:
            os.environ["NBGRADER_EXECUTION"] = previous


def measure(quick=False):
    assignments = assignment_names()[:2] if quick else assignment_names()
    rows, totals = [], {"normal": 0.0, "grading": 0.0}
    for assignment in assignments:
        row = {"cuaderno": assignment}
        for mode in (("grading",) if quick else ("normal", "grading")):
            seconds = execute_seconds(assignment, mode == "grading")
            totals[mode] += seconds
            row[f"{mode} (s)"] = round(seconds, 1)
        budget = 90 if assignment.startswith("07") else 20
        row["presupuesto al corregir (s)"] = budget
        row["dentro"] = "sí" if row["grading (s)"] <= budget else "NO"
        rows.append(row)
    notes = [f"total {mode}: {seconds:.1f} s" for mode, seconds in totals.items() if seconds]
    return rows, notes + [last_make_test()]


def last_make_test():
    """The wall time of the last `make test` on this checkout (the Makefile writes it), as a note."""
    try:
        run = json.loads((RESULTS / "make_test.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "make test: sin medir en esta copia (ejecuta `make test` y después este benchmark)"
    verdict = "en verde" if run["exit_status"] == 0 else f"FALLÓ (código {run['exit_status']})"
    within = "dentro" if run["seconds"] < 600 else "FUERA"
    return (f"última ejecución de make test ({run['date']}, tras la instalación): {run['seconds']} s, {verdict}; "
            f"objetivo < 600 s: {within}")
