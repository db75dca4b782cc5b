"""The class list of a course root, `roster.csv`: one row per student with the ids the LMSs know.

Columns: `student` (the grader's id, folder name in `submitted/`), `full name`, `email`, `sis id`, `login`
(Canvas), and `participant <assignment>` per assignment imported from Moodle (Moodle numbers the participants
of each assignment separately: «Participant 123» in that assignment's worksheet and feedback zip). The import fills it; the
instructor may add e-mails or other ids by hand (columns not listed here are kept)."""

import csv
from pathlib import Path

FIELDS = ("student", "full name", "email", "sis id", "login")


def participant_column(assignment: str) -> str:
    """The roster column of Moodle's participant numbers in `assignment`."""
    return f"participant {assignment}"


def path(root: Path) -> Path:
    return Path(root) / "roster.csv"


def load(root: Path) -> dict[str, dict[str, str]]:
    """`{student: row}` of `roster.csv` (empty when there is none)."""
    if not path(root).exists():
        return {}
    with open(path(root), newline="", encoding="utf-8-sig") as f:
        return {row["student"]: {k: (v or "") for k, v in row.items() if k} for row in csv.DictReader(f)
                if row.get("student")}


def update(root: Path, entries: dict[str, dict[str, str]]) -> Path:
    """Merge `{student: {column: value}}` into `roster.csv` (non-empty values win) and write it back."""
    rows = load(root)
    for student, values in entries.items():
        row = rows.setdefault(student, {"student": student})
        row.update({k: v for k, v in values.items() if v})
    columns = list(FIELDS) + sorted({k for row in rows.values() for k in row} - set(FIELDS))
    with open(path(root), "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, columns, restval="")
        writer.writeheader()
        writer.writerows(rows[s] for s in sorted(rows))
    return path(root)
