"""P1 — seconds to execute each source notebook as a student runs it and under grading (`NBGRADER_EXECUTION`)."""

import os
import time

import nbformat
from nbclient import NotebookClient

from autograder.assignments import assignment_names, notebook_path


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
    return rows, notes
