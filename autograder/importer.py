"""Bring submissions into nbgrader's `submitted/<student>/<assignment>/<notebook>.ipynb`.

Two sources: a folder `<dir>/<student>/<assignment>/*.ipynb`, or Moodle's "Download all submissions"
zip of one assignment, whose entries are `<Full Name>_<number>_assignsubmission_file_/<file>.ipynb`
(the student id is the full name in lower case ASCII with `_`, e.g. `ana_perez`; the participant
number is appended only when two students share a name). The full name and participant number (Moodle numbers
the participants of each assignment) go into `roster.csv` (`autograder.roster`), and the newest file time of the folder into nbgrader's `timestamp.txt`
(the zip's times are the Moodle server's local time, read in the course's time zone, see `autograder.late`).
The notebooks kept are the assignment's (`assignments.notebooks` of `source/`): with one, any single notebook
handed in, stored under its name; with several, each found by its file name, the missing ones reported (the
submission is graded without them). Non-notebook, unreadable, oversized or ambiguous files are reported and
skipped; the import goes on.
"""

import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from autograder import COURSE_ROOT, late, roster
from autograder.assignments import notebooks

MAX_BYTES = 50 * 2**20
MOODLE_FOLDER = re.compile(r"^(?P<name>.+?)_(?P<number>\d+)_assignsubmission_[a-z]+_?$")


@dataclass
class ImportReport:
    """What an import stored (`submitted/<student>/<assignment>/<notebook>.ipynb` paths) and what it skipped
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


def expected_notebooks(assignment: str, source_root: Path = COURSE_ROOT) -> list[str]:
    """The file names of the notebooks of `assignment` (`<assignment>.ipynb` for one not in `source/`)."""
    return [p.name for p in notebooks(assignment, "source", source_root)] or [f"{assignment}.ipynb"]


def _pick(notebooks: dict[str, bytes], expected: list[str]) -> tuple[dict[str, tuple[str, bytes]], list[str]]:
    """`{expected name: (file, data)}` of the handed-in notebooks, and one line per notebook left out. With one
    expected notebook, any single notebook is it; else each is found by its file name (case aside)."""
    if len(expected) == 1 and len(notebooks) > 1:
        notebooks = {n: d for n, d in notebooks.items() if Path(n).name == expected[0]} or notebooks
    if len(expected) == 1:
        if len(notebooks) == 1:
            return {expected[0]: next(iter(notebooks.items()))}, []
        return {}, [f"{len(notebooks)} notebooks, expected one" + (f" named {expected[0]}" if notebooks else "")]
    by_name = {name.casefold(): name for name in expected}
    found, left = {}, []
    for file, data in notebooks.items():
        name = by_name.get(Path(file).name.casefold())
        if name is None or name in found:
            left.append(f"{file}: not one of the notebooks {', '.join(expected)}"
                        + (" (another file has its name)" if name else ""))
        else:
            found[name] = (file, data)
    return found, left


def _store(root, student, assignment, files, where, timestamp: str | None = None,
           source_root: Path = COURSE_ROOT) -> ImportReport:
    """Validate and write one student's notebooks (those of the assignment found; the missing ones reported)."""
    notebooks = {name: data for name, data in files.items() if name.lower().endswith(".ipynb")}
    report = ImportReport(skipped=[f"skipped {where}/{name}: not a notebook" for name in files if name not in notebooks])
    expected = expected_notebooks(assignment, source_root)
    picked, left = _pick(notebooks, expected)
    if not picked:
        report.skipped += [f"skipped {where}: {line}" for line in left] or [f"skipped {where}: no notebook"]
        return report
    report.skipped += [f"skipped {where}/{line}" for line in left]
    valid = {}
    for name, (file, data) in picked.items():
        if len(data) > MAX_BYTES:
            report.skipped.append(f"skipped {where}/{file}: larger than {MAX_BYTES // 2**20} MB")
            continue
        try:
            nbformat.validate(nbformat.reads(data.decode("utf-8"), as_version=4))
        except Exception as exc:  # noqa: BLE001 - any unreadable file is reported, never fatal
            report.skipped.append(f"skipped {where}/{file}: unreadable notebook ({type(exc).__name__})")
            continue
        valid[name] = data
    if not valid:
        return report
    if missing := [name for name in expected if name not in valid]:
        report.skipped.append(f"{where}: missing {', '.join(missing)}; graded without it")
    folder = Path(root) / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.ipynb"):  # a new hand-in replaces the old one as a whole
        old.unlink()
    for name, data in valid.items():
        (folder / name).write_bytes(data)
        report.stored.append(folder / name)
    if timestamp:
        (folder / "timestamp.txt").write_text(timestamp, encoding="utf-8")
    return report


def import_folder(root: Path, folder: Path, assignments: list[str] | None = None,
                  source_root: Path = COURSE_ROOT) -> ImportReport:
    """Import `<folder>/<student>/<assignment>/*.ipynb` (the assignments' notebooks are those of `source_root`)."""
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
            report.add(_store(root, student_id(student_dir.name), assignment_dir.name, files, str(assignment_dir),
                              source_root=source_root))
    return report


def import_moodle(root: Path, zip_path: Path, assignment: str, source_root: Path = COURSE_ROOT) -> ImportReport:
    """Import a Moodle "Download all submissions" zip of `assignment` (its notebooks: those of `source_root`)."""
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
        report.add(_store(root, student, assignment, files, f"{name}_{number}", stamp, source_root))
    if entries:
        roster.update(root, entries)
    return report


def import_submissions(root: Path, source: Path, assignment: str | None = None,
                       source_root: Path = COURSE_ROOT) -> ImportReport:
    """Import from a folder or (with `assignment`) a Moodle zip."""
    if zipfile.is_zipfile(source):
        if not assignment:
            raise ValueError("a Moodle zip holds one assignment: give its name")
        return import_moodle(root, source, assignment, source_root)
    return import_folder(root, source, [assignment] if assignment else None, source_root)
