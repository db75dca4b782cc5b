"""Bring submissions into nbgrader's `submitted/<student>/<assignment>/<assignment>.ipynb`.

Two sources: a folder `<dir>/<student>/<assignment>/*.ipynb`, or Moodle's "Download all submissions"
zip of one assignment, whose entries are `<Full Name>_<number>_assignsubmission_file_/<file>.ipynb`
(the student id is the full name in lower case ASCII with `_`, e.g. `ana_perez`; the participant
number is appended only when two students share a name). The full name and participant number (Moodle numbers
the participants of each assignment) go into `roster.csv` (`autograder.roster`), and the newest file time of the folder into nbgrader's `timestamp.txt`
(the zip's times are the Moodle server's local time, read in the course's time zone, see `autograder.late`).
Non-notebook, unreadable, oversized or ambiguous files are reported and skipped; the import goes on.
"""

import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from autograder import late, roster

MAX_BYTES = 50 * 2**20
MOODLE_FOLDER = re.compile(r"^(?P<name>.+?)_(?P<number>\d+)_assignsubmission_[a-z]+_?$")


@dataclass
class ImportReport:
    """What an import stored (`submitted/<student>/<assignment>/<assignment>.ipynb` paths) and what it skipped
    (one line each: the file and why)."""
    stored: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def add(self, other: "ImportReport") -> None:
        self.stored += other.stored
        self.skipped += other.skipped

    def summary(self, root: Path) -> str:
        return "\n".join(self.skipped + [f"{len(self.stored)} submission(s) imported into {Path(root) / 'submitted'}"])


def student_id(name: str) -> str:
    """`'Ana Pérez-Gil'` -> `'ana_perez_gil'`."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_") or "sin_nombre"


def _store(root, student, assignment, files, where, timestamp: str | None = None) -> ImportReport:
    """Validate and write one student's notebook."""
    notebooks = {name: data for name, data in files.items() if name.lower().endswith(".ipynb")}
    report = ImportReport(skipped=[f"skipped {where}/{name}: not a notebook" for name in files if name not in notebooks])
    if len(notebooks) > 1:
        notebooks = {n: d for n, d in notebooks.items() if Path(n).name == f"{assignment}.ipynb"} or notebooks
    if len(notebooks) != 1:
        report.skipped.append(f"skipped {where}: {len(notebooks)} notebooks, expected one"
                              + (f" named {assignment}.ipynb" if notebooks else ""))
        return report
    name, data = next(iter(notebooks.items()))
    if len(data) > MAX_BYTES:
        report.skipped.append(f"skipped {where}/{name}: larger than {MAX_BYTES // 2**20} MB")
        return report
    try:
        notebook = nbformat.reads(data.decode("utf-8"), as_version=4)
        nbformat.validate(notebook)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is reported, never fatal
        report.skipped.append(f"skipped {where}/{name}: unreadable notebook ({type(exc).__name__})")
        return report
    target = Path(root) / "submitted" / student / assignment / f"{assignment}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    if timestamp:
        (target.parent / "timestamp.txt").write_text(timestamp, encoding="utf-8")
    report.stored.append(target)
    return report


def import_folder(root: Path, folder: Path, assignments: list[str] | None = None) -> ImportReport:
    """Import `<folder>/<student>/<assignment>/*.ipynb`."""
    report = ImportReport()
    for student_dir in sorted(p for p in Path(folder).iterdir() if p.is_dir()):
        for assignment_dir in sorted(p for p in student_dir.iterdir() if p.is_dir()):
            if assignments and assignment_dir.name not in assignments:
                continue
            files = {}
            for path in sorted(assignment_dir.iterdir()):
                if path.is_symlink() or not path.is_file():
                    report.skipped.append(f"skipped {path}: not a regular file")
                    continue
                try:
                    files[path.name] = path.read_bytes()
                except OSError as exc:
                    report.skipped.append(f"skipped {path}: {exc.strerror}")
            report.add(_store(root, student_id(student_dir.name), assignment_dir.name, files, str(assignment_dir)))
    return report


def import_moodle(root: Path, zip_path: Path, assignment: str) -> ImportReport:
    """Import a Moodle "Download all submissions" zip of `assignment`."""
    by_folder, times, report = {}, {}, ImportReport()
    with zipfile.ZipFile(zip_path) as archive:
        for info in archive.infolist():
            parts = Path(info.filename).parts
            if info.is_dir():
                continue
            match = MOODLE_FOLDER.match(parts[0]) if len(parts) >= 2 else None
            if not match:
                report.skipped.append(f"skipped {info.filename}: not in a Moodle submission folder")
                continue
            if info.file_size > MAX_BYTES:
                report.skipped.append(f"skipped {info.filename}: larger than {MAX_BYTES // 2**20} MB")
                continue
            key = (match["name"], match["number"])
            by_folder.setdefault(key, {})["/".join(parts[1:])] = archive.read(info)
            times[key] = max(times.get(key, info.date_time), info.date_time)
    names = [student_id(name) for name, _ in by_folder]
    column = roster.participant_column(assignment)
    known = {row[column]: s for s, row in roster.load(root).items() if row.get(column)}
    entries = {}
    for (name, number), files in sorted(by_folder.items()):
        student = known.get(number) or student_id(name)
        if number not in known and names.count(student) > 1:
            student = f"{student}_{number}"
        entries[student] = {"full name": name, column: number}
        stamp = late.zip_timestamp(root, times[(name, number)])
        report.add(_store(root, student, assignment, files, f"{name}_{number}", stamp))
    if entries:
        roster.update(root, entries)
    return report


def import_submissions(root: Path, source: Path, assignment: str | None = None) -> ImportReport:
    """Import from a folder or (with `assignment`) a Moodle zip."""
    if zipfile.is_zipfile(source):
        if not assignment:
            raise ValueError("a Moodle zip holds one assignment: give its name")
        return import_moodle(root, source, assignment)
    return import_folder(root, source, [assignment] if assignment else None)
