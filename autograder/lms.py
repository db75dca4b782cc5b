"""Grades and feedback back to the LMS.

- Moodle: `fill_moodle` fills the assignment's «offline grading worksheet» (Moodle's *Download grading
  worksheet*): the identifier column is found by its values («Participant 123» / «Participante 123»), the grade,
  maximum-grade and feedback-comments columns by their header in English or Spanish; every other column, the
  row order, the quoting and the BOM stay as Moodle wrote them. `moodle_feedback_zip` builds the zip of feedback
  files Moodle imports (*Upload multiple feedback files in a zip*): `<Full Name>_<number>_assignsubmission_file_/`
  per student. Participant numbers come from `roster.csv` (written by the Moodle import).
- Canvas: `fill_canvas` fills one assignment's column of a Canvas gradebook export, rows matched by SIS id,
  login or name (from `roster.csv`).
- Anything else: `plain_csv` writes `<key>,<assignment>…` keyed by a roster column (e.g. `email`).

Every function writes a new file (never its input) and returns it with a list of problems (one line each)."""

import csv
import io
import re
import zipfile
from pathlib import Path

from autograder import roster
from autograder.importer import student_id
from autograder.model import STATUS_ES, Result
from autograder.results import table

PARTICIPANT = re.compile(r"^\s*(?:Participant|Participante)\s+(\d+)\s*$", re.IGNORECASE)
GRADE = {"grade", "calificación", "calificacion", "nota"}
MAX_GRADE = {"maximum grade", "calificación máxima", "calificacion maxima", "nota máxima"}
COMMENTS = {"feedback comments", "comentarios de retroalimentación", "comentarios de retroalimentacion",
            "comentarios", "retroalimentación", "comentarios de retroalimentación (feedback)"}


class WorksheetError(ValueError):
    """A worksheet that cannot be filled (not a CSV, no identifier or grade column)."""


def comment(result: Result) -> str:
    """The one-line comment for the LMS, in Spanish."""
    parts = [f"{result.final_score:g} / {result.max_score:g} puntos", STATUS_ES[result.status]]
    if result.penalty:
        parts.append(f"penalización por entrega tardía: −{result.penalty:g} (puntaje sin penalización "
                     f"{result.score:g})")
    return " · ".join(parts) + " · detalles en la página de retroalimentación"


def _new_file(source: Path, output: Path) -> Path:
    if Path(output).resolve() == Path(source).resolve():
        raise WorksheetError(f"{output}: would overwrite the input; choose another --output")
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    return Path(output)


def _read_csv(path: Path) -> tuple[list[list[str]], str, bool]:
    """Rows, line terminator and whether the file starts with a BOM."""
    data = Path(path).read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise WorksheetError(f"{path}: not UTF-8 ({exc.reason})") from exc
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        raise WorksheetError(f"{path}: empty")
    return rows, "\r\n" if b"\r\n" in data else "\n", data.startswith(b"\xef\xbb\xbf")


def _write_csv(path: Path, rows, terminator: str, bom: bool) -> None:
    with open(path, "w", newline="", encoding="utf-8-sig" if bom else "utf-8") as f:
        csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator=terminator).writerows(rows)


def _header_index(header: list[str], names: set[str]) -> int | None:
    found = [i for i, h in enumerate(header) if h.strip().casefold() in names]
    return found[0] if found else None


def _number(text: str) -> float | None:
    try:
        return float(text.strip().replace(",", "."))
    except ValueError:
        return None


def _results(root: Path, assignment: str) -> dict[str, Result]:
    return {student: row[assignment] for student, row in table(root, [assignment]).items()}


def fill_moodle(root: Path, assignment: str, worksheet: Path, output: Path) -> tuple[Path, list[str]]:
    """Write `output`: Moodle's grading worksheet of `assignment` with grade and comment of every graded
    student, scaled to the worksheet's maximum grade; return it and the problems."""
    output = _new_file(worksheet, output)
    rows, terminator, bom = _read_csv(worksheet)
    header, body = rows[0], rows[1:]
    ids = [i for i in range(len(header)) if any(PARTICIPANT.match(r[i]) for r in body if i < len(r))]
    if not ids:
        raise WorksheetError(f"{worksheet}: no column with «Participant N» / «Participante N» values")
    id_col, grade_col = ids[0], _header_index(header, GRADE)
    if grade_col is None:
        raise WorksheetError(f"{worksheet}: no grade column («Grade» / «Calificación») in {header}")
    max_col, comment_col = _header_index(header, MAX_GRADE), _header_index(header, COMMENTS)
    problems = [] if comment_col is not None else [
        f"{worksheet}: no feedback comments column (enable «Feedback comments» in the assignment); grades only"]
    column = roster.participant_column(assignment)
    by_number = {row[column]: s for s, row in roster.load(root).items() if row.get(column)}
    results = _results(root, assignment)
    seen = set()
    for line, row in enumerate(body, start=2):
        if len(row) != len(header):
            problems.append(f"line {line}: {len(row)} fields, the header has {len(header)}; left as it is")
            continue
        match = PARTICIPANT.match(row[id_col])
        if not match:
            problems.append(f"line {line}: identifier {row[id_col]!r} is not «Participant N»; left as it is")
            continue
        student = by_number.get(match[1])
        if student is None:
            problems.append(f"line {line}: {row[id_col]} is not in roster.csv (import this assignment's "
                            "Moodle zip first); left as it is")
            continue
        seen.add(student)
        result = results.get(student)
        if result is None or result.status == "missing":
            problems.append(f"line {line}: {row[id_col]} ({student}) has no graded submission; left as it is")
            continue
        top = _number(row[max_col]) if max_col is not None else None
        grade = result.final_score * top / result.max_score if top and result.max_score else result.final_score
        text = f"{grade:.2f}"
        row[grade_col] = text.replace(".", ",") if max_col is not None and "," in row[max_col] else text
        if comment_col is not None:
            row[comment_col] = comment(result)
    problems += [f"{student}: graded submission without a worksheet row" for student, r in sorted(results.items())
                 if r.status != "missing" and student not in seen]
    _write_csv(output, rows, terminator, bom)
    return output, problems


def _folder_name(full_name: str) -> str:
    """A full name as a Moodle folder prefix: Moodle splits the folder at `_`, so none may remain."""
    return re.sub(r"[_/\\]+", " ", full_name).strip() or "Estudiante"


def moodle_feedback_zip(root: Path, assignment: str, output: Path) -> tuple[Path, list[str]]:
    """Zip `feedback/<student>/<assignment>/*.html` as Moodle's feedback files of `assignment`."""
    column, problems = roster.participant_column(assignment), []
    people = roster.load(root)
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for student in sorted(p.name for p in (Path(root) / "feedback").glob("*") if p.is_dir()):
            pages = sorted((Path(root) / "feedback" / student / assignment).glob("*.html"))
            if not pages:
                continue
            number = people.get(student, {}).get(column)
            if not number:
                problems.append(f"{student}: no Moodle participant number for {assignment} in roster.csv; left out")
                continue
            name = _folder_name(people[student].get("full name") or student)
            for page in pages:
                archive.write(page, f"{name}_{number}_assignsubmission_file_/{page.name}")
    return Path(output), problems


def _key(text: str) -> str:
    """Comparable form of an id or a name: no accents or case, words sorted (Canvas writes «Pérez, Ana»)."""
    return " ".join(sorted(student_id(text).split("_")))


def fill_canvas(root: Path, assignment: str, gradebook: Path, output: Path,
                column: str | None = None) -> tuple[Path, list[str]]:
    """Write `output`: a Canvas gradebook export with `assignment`'s column (header starting with `column`,
    default the assignment name; Canvas writes `Name (id)`) filled with the final scores."""
    output = _new_file(gradebook, output)
    rows, terminator, bom = _read_csv(gradebook)
    header = rows[0]
    wanted = column or assignment
    cols = [i for i, h in enumerate(header) if h.strip().startswith(wanted)]
    if len(cols) != 1:
        raise WorksheetError(f"{gradebook}: {len(cols)} columns start with {wanted!r} (give --column)")
    col = cols[0]
    keys = {name: _header_index(header, {name}) for name in ("sis user id", "sis login id", "student")}
    if all(i is None for i in keys.values()):
        raise WorksheetError(f"{gradebook}: no «Student», «SIS User ID» or «SIS Login ID» column")
    people = roster.load(root)
    index = {}  # (kind, value) -> students
    for student, row in people.items():
        for kind, value in (("sis user id", row.get("sis id")), ("sis login id", row.get("login")),
                            ("student", row.get("full name"))):
            if value:
                index.setdefault((kind, _key(value)), set()).add(student)
    results, problems, seen = _results(root, assignment), [], set()
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != len(header) or not any(row):
            continue
        found = set()
        for kind, i in keys.items():  # the most specific identifier that matches wins
            if i is not None and row[i].strip() and (kind, _key(row[i])) in index:
                found = index[(kind, _key(row[i]))]
                break
        if not found:
            if keys["student"] is not None and row[keys["student"]].strip() and "Points Possible" not in row[0]:
                problems.append(f"line {line}: {row[keys['student']]} not in roster.csv; left as it is")
            continue
        if len(found) > 1:
            problems.append(f"line {line}: ambiguous, matches {', '.join(sorted(found))}; left as it is")
            continue
        student = next(iter(found))
        seen.add(student)
        result = results.get(student)
        if result is None or result.status == "missing":
            continue
        row[col] = f"{result.final_score:g}"
    problems += [f"{s}: graded submission without a gradebook row" for s, r in sorted(results.items())
                 if r.status != "missing" and s not in seen]
    _write_csv(output, rows, terminator, bom)
    return output, problems


def plain_csv(root: Path, assignments: list[str], key: str, output: Path) -> tuple[Path, list[str]]:
    """`<key>,<assignment>…` with the final score per assignment, one row per student with that roster column."""
    people, problems = roster.load(root), []
    rows = table(root, assignments)
    with open(output, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow([key] + list(assignments))
        for student, results in rows.items():
            value = people.get(student, {}).get(key, "")
            if not value:
                problems.append(f"{student}: no {key!r} in roster.csv; left out")
                continue
            writer.writerow([value] + [f"{results[a].final_score:g}" for a in assignments])
    return Path(output), problems
