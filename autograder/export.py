"""Export grades as a CSV: one row per student, per assignment the score after the late penalty, max, status,
the raw score and the penalty. For Moodle, Canvas or a CSV keyed by a roster column see `autograder.lms`."""

import csv
from pathlib import Path

from autograder.results import table

COLUMNS = ("score", "max", "status", "raw score", "late penalty")


def export(root: Path, assignments: list[str], path: Path | None = None) -> Path:
    """Write `<root>/grades.csv` (or `path`); return its path. A crash or a missing submission shows in
    the status column (one of `model.STATUSES`)."""
    path = Path(path or Path(root) / "grades.csv")
    rows = table(root, assignments)
    header = ["student"] + [f"{a} {col}" for a in assignments for col in COLUMNS] + ["total", "total max"]
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        for student, results in rows.items():
            line = [student]
            for a in assignments:
                r = results[a]
                line += [f"{r.final_score:g}", f"{r.max_score:g}", r.status, f"{r.score:g}", f"{r.penalty:g}"]
            line += [f"{sum(r.final_score for r in results.values()):g}",
                     f"{sum(r.max_score for r in results.values()):g}"]
            writer.writerow(line)
    return path
