"""Bring submissions into nbgrader's `submitted/<student>/<assignment>/<assignment>.ipynb`.

Two sources: a folder `<dir>/<student>/<assignment>/*.ipynb`, or Moodle's "Download all submissions"
zip of one assignment, whose entries are `<Full Name>_<number>_assignsubmission_file_/<file>.ipynb`
(the student id is the full name in lower case ASCII with `_`, e.g. `ana_perez`; the participant
number is appended only when two students share a name). Non-notebook, unreadable, oversized or
ambiguous files are reported and skipped; the import goes on.
"""

import re
import unicodedata
import zipfile
from pathlib import Path

import nbformat

MAX_BYTES = 50 * 2**20
MOODLE_FOLDER = re.compile(r"^(?P<name>.+?)_(?P<number>\d+)_assignsubmission_[a-z]+_?$")


def student_id(name):
    """`'Ana Pérez-Gil'` -> `'ana_perez_gil'`."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_") or "sin_nombre"


def _store(root, student, assignment, files, where):
    """Validate and write one student's notebook; return a problem line or None."""
    notebooks = {name: data for name, data in files.items() if name.lower().endswith(".ipynb")}
    problems = [f"skipped {where}/{name}: not a notebook" for name in files if name not in notebooks]
    if len(notebooks) > 1:
        notebooks = {n: d for n, d in notebooks.items() if Path(n).name == f"{assignment}.ipynb"} or notebooks
    if len(notebooks) != 1:
        return problems + [f"skipped {where}: {len(notebooks)} notebooks, expected one"
                           + (f" named {assignment}.ipynb" if notebooks else "")]
    name, data = next(iter(notebooks.items()))
    if len(data) > MAX_BYTES:
        return problems + [f"skipped {where}/{name}: larger than {MAX_BYTES // 2**20} MB"]
    try:
        notebook = nbformat.reads(data.decode("utf-8"), as_version=4)
        nbformat.validate(notebook)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is reported, never fatal
        return problems + [f"skipped {where}/{name}: unreadable notebook ({type(exc).__name__})"]
    target = Path(root) / "submitted" / student / assignment / f"{assignment}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return problems


def import_folder(root, folder, assignments=None):
    """Import `<folder>/<student>/<assignment>/*.ipynb`; return `(imported, problem lines)`."""
    imported, problems = 0, []
    for student_dir in sorted(p for p in Path(folder).iterdir() if p.is_dir()):
        for assignment_dir in sorted(p for p in student_dir.iterdir() if p.is_dir()):
            if assignments and assignment_dir.name not in assignments:
                continue
            files = {}
            for path in sorted(assignment_dir.iterdir()):
                if path.is_symlink() or not path.is_file():
                    problems.append(f"skipped {path}: not a regular file")
                    continue
                try:
                    files[path.name] = path.read_bytes()
                except OSError as exc:
                    problems.append(f"skipped {path}: {exc.strerror}")
            lines = _store(root, student_id(student_dir.name), assignment_dir.name, files, str(assignment_dir))
            problems += lines or []
            imported += not any("expected one" in p or "unreadable" in p or "larger" in p for p in lines or [])
    return imported, problems


def import_moodle(root, zip_path, assignment):
    """Import a Moodle "Download all submissions" zip of `assignment`; return `(imported, problems)`."""
    by_folder, problems = {}, []
    with zipfile.ZipFile(zip_path) as archive:
        for info in archive.infolist():
            parts = Path(info.filename).parts
            if info.is_dir():
                continue
            match = MOODLE_FOLDER.match(parts[0]) if len(parts) >= 2 else None
            if not match:
                problems.append(f"skipped {info.filename}: not in a Moodle submission folder")
                continue
            if info.file_size > MAX_BYTES:
                problems.append(f"skipped {info.filename}: larger than {MAX_BYTES // 2**20} MB")
                continue
            by_folder.setdefault((match["name"], match["number"]), {})["/".join(parts[1:])] = archive.read(info)
    names = [student_id(name) for name, _ in by_folder]
    imported = 0
    for (name, number), files in sorted(by_folder.items()):
        student = student_id(name)
        if names.count(student) > 1:
            student = f"{student}_{number}"
        lines = _store(root, student, assignment, files, f"{name}_{number}")
        problems += lines or []
        imported += not any("expected one" in p or "unreadable" in p or "larger" in p for p in lines or [])
    return imported, problems


def import_submissions(root, source, assignment=None):
    """Import from a folder or (with `assignment`) a Moodle zip."""
    if zipfile.is_zipfile(source):
        if not assignment:
            raise ValueError("a Moodle zip holds one assignment: give its name")
        return import_moodle(root, source, assignment)
    return import_folder(root, source, [assignment] if assignment else None)
