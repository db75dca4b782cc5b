"""Moodle / Canvas round trip, roster and late penalties, on files in the formats the LMSs write (no kernel:
results are stored as the grader stores them)."""

import csv
import datetime as dt
import io
import json
import zipfile

import nbformat
import pytest

from autograder import late, lms, roster
from autograder.assignments import notebook_path
from autograder.cli import main
from autograder.importer import import_moodle
from autograder.model import Result
from autograder.results import register, result_path

A = "00_bienvenida"
NB = nbformat.writes(nbformat.read(notebook_path(A, "release"), as_version=4)).encode()
# Moodle 4.x "Download grading worksheet", English and Spanish interface (quoted, UTF-8 with BOM).
EN = ['"Identifier","Full name","Email address","Status","Grade","Maximum Grade","Grade can be changed",'
      '"Last modified (submission)","Last modified (grade)","Feedback comments"',
      '"Participant 101","Ana Pérez","ana@example.edu","Submitted for grading","","10.00","Yes",'
      '"Friday, 10 April 2026, 11:50 PM","-",""',
      '"Participant 102","Luis Gómez","luis1@example.edu","Submitted for grading","","10.00","Yes",'
      '"Friday, 10 April 2026, 10:00 PM","-",""',
      '"Participant 103","Luis Gómez","luis2@example.edu","Submitted for grading","","10.00","Yes",'
      '"Friday, 10 April 2026, 9:00 PM","-",""',
      '"Participant 104","Eva Ruiz","eva@example.edu","No submission","","10.00","Yes","-","-",""',
      '"Participant 999","Nadie","nadie@example.edu","No submission","","10.00","Yes","-","-",""']
ES = ['"Identificador","Nombre completo","Dirección de correo","Estado","Calificación","Calificación máxima",'
      '"La calificación puede ser cambiada","Última modificación (entrega)","Última modificación (calificación)",'
      '"Comentarios de retroalimentación"'] + [
      line.replace("Participant ", "Participante ").replace("10.00", "10,00") for line in EN[1:4]]


def worksheet(path, lines):
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8-sig"))
    return path


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A course root: the Moodle zip of three students (two named Luis Gómez) imported, graded 5, 3 and 2 (2 days late)."""
    tmp = tmp_path_factory.mktemp("lms")
    root, archive = tmp / "root", tmp / "moodle.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr(zipfile.ZipInfo("Ana Pérez_101_assignsubmission_file_/mio.ipynb", (2026, 4, 10, 23, 50, 0)), NB)
        z.writestr(zipfile.ZipInfo("Luis Gómez_102_assignsubmission_file_/a.ipynb", (2026, 4, 10, 22, 0, 0)), NB)
        z.writestr(zipfile.ZipInfo("Luis Gómez_103_assignsubmission_file_/b.ipynb", (2026, 4, 13, 9, 0, 0)), NB)
    root.mkdir()
    (root / "course.toml").write_text(f'timezone = "America/Montevideo"\n[due]\n{A} = "2026-04-11 00:00"\n'
                                      "[late]\npercent_per_day = 10\nmax_percent = 50\ngrace_minutes = 15\n")
    import_moodle(root, archive, A)
    register(root, [A])
    scores = {"ana_perez": 1.0, "luis_gomez_102": 0.6, "luis_gomez_103": 0.4}
    for student, fraction in scores.items():
        grades = {"test_weighted_sum": [fraction * 2, 2.0], "test_weighted_sum_hidden": [fraction * 3, 3.0]}
        path = result_path(root, student, A)
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps(Result(A, student, grades=grades).to_json()))
        page = root / "feedback" / student / A / f"{A}.html"
        page.parent.mkdir(parents=True)
        page.write_text(f"<p>{student}</p>")
    return root


def test_import_keeps_participant_numbers_and_times(course):
    rows = roster.load(course)
    column = roster.participant_column(A)
    assert {s: (r["full name"], r[column]) for s, r in rows.items()} == {
        "ana_perez": ("Ana Pérez", "101"), "luis_gomez_102": ("Luis Gómez", "102"),
        "luis_gomez_103": ("Luis Gómez", "103")}
    # 23:50 in Montevideo (UTC-3) is 02:50 UTC the next day, nbgrader's timestamp format
    stamp = (course / "submitted" / "ana_perez" / A / "timestamp.txt").read_text()
    assert stamp == "2026-04-11 02:50:00.000000 UTC"
    assert late.submitted_at(course, "ana_perez", A) == dt.datetime(2026, 4, 11, 2, 50)


def test_import_again_keeps_the_same_ids(course, tmp_path):
    """A second zip of the same assignment maps participant numbers to the ids the roster already has."""
    archive = tmp_path / "again.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr(zipfile.ZipInfo("Luis Gómez_103_assignsubmission_file_/b.ipynb", (2026, 4, 13, 9, 0, 0)), NB)
    report = import_moodle(course, archive, A)
    assert [p.parent.parent.name for p in report.stored] == ["luis_gomez_103"]


def test_late_penalty():
    policy = late.Policy(percent_per_day=10, max_percent=25, grace_minutes=15)
    assert [policy.percent(s) for s in (0, 14 * 60, 16 * 60, 86400, 86401, 10 * 86400)] == [0, 0, 10, 10, 20, 25]


def test_late_penalty_in_results_and_grades_csv(course):
    main(["export", "--root", str(course)])
    rows = {r["student"]: r for r in csv.DictReader(open(course / "grades.csv", encoding="utf-8"))}
    # Ana: on time (23:50 local, due 00:00); Luis 102 on time; Luis 103: 13 April 09:00 local, 2 days 9 h late -> 30 %
    assert rows["ana_perez"][f"{A} score"] == "5" and rows["ana_perez"][f"{A} late penalty"] == "0"
    assert rows["luis_gomez_102"][f"{A} score"] == "3"
    late_row = rows["luis_gomez_103"]
    assert (late_row[f"{A} raw score"], late_row[f"{A} late penalty"], late_row[f"{A} score"]) == ("2", "0.6", "1.4")


def test_extension_and_penalty_of_a_late_student(tmp_path):
    (tmp_path / "course.toml").write_text(f'[due]\n{A} = "2026-04-10T12:00:00+00:00"\n[late]\npercent_per_day = 10\n'
                                          f"[extensions.{A}]\nbea = 1\n")
    for student in ("bea", "car"):
        (tmp_path / "submitted" / student / A).mkdir(parents=True)
        (tmp_path / "submitted" / student / A / "timestamp.txt").write_text("2026-04-11 13:00:00.000000 UTC")
    results = {s: late.annotate(tmp_path, Result(A, s, grades={"t": [8.0, 10.0]})) for s in ("bea", "car")}
    assert results["bea"].penalty == pytest.approx(0.8) and results["bea"].final_score == pytest.approx(7.2)
    assert results["car"].penalty == pytest.approx(1.6) and results["car"].seconds_late == 25 * 3600


@pytest.mark.parametrize("lines", [EN, ES], ids=["english", "spanish"])
def test_fill_moodle_worksheet(course, tmp_path, lines):
    source = worksheet(tmp_path / "Calificaciones-tarea.csv", lines)
    before = source.read_bytes()
    out, problems = lms.fill_moodle(course, A, source, tmp_path / "out.csv")
    assert source.read_bytes() == before
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.decode("utf-8-sig").startswith('"Identifi')
    original, filled = (list(csv.reader(io.StringIO(lines_.decode("utf-8-sig")))) for lines_ in (before, data))
    assert filled[0] == original[0] and [r[0] for r in filled] == [r[0] for r in original]
    sep = "," if lines is ES else "."
    assert [r[4] for r in filled[1:4]] == [f"10{sep}00", f"6{sep}00", f"2{sep}80"]
    assert filled[1][9].startswith("5 / 5 puntos · corregido")
    for i in (1, 2, 3):  # every other column untouched
        assert filled[i][:4] + filled[i][5:9] == original[i][:4] + original[i][5:9]
    if lines is EN:
        assert filled[4:] == original[4:]
        assert any("Participant 104" in p and "not in roster" in p for p in problems)
        assert any("Participant 999" in p for p in problems)


def test_moodle_worksheet_problems(course, tmp_path):
    out, problems = lms.fill_moodle(course, A, worksheet(tmp_path / "w.csv", EN[:2]), tmp_path / "o.csv")
    assert {p for p in problems if "without a worksheet row" in p} == {
        "luis_gomez_102: graded submission without a worksheet row",
        "luis_gomez_103: graded submission without a worksheet row"}
    short = worksheet(tmp_path / "short.csv", EN[:2] + ['"Participant 102","Luis Gómez"'])
    _, problems = lms.fill_moodle(course, A, short, tmp_path / "o2.csv")
    assert any(p.startswith("line 3: 2 fields") for p in problems)
    for bad in (['"Name","Grade"', '"Ana","1"'], ['"Identifier","Puntos"', '"Participant 101","1"']):
        with pytest.raises(lms.WorksheetError):
            lms.fill_moodle(course, A, worksheet(tmp_path / "bad.csv", bad), tmp_path / "o3.csv")
    with pytest.raises(lms.WorksheetError, match="overwrite"):
        lms.fill_moodle(course, A, tmp_path / "w.csv", tmp_path / "w.csv")
    (tmp_path / "latin1.csv").write_bytes("\"Identificador\",\"Calificación\"\n".encode("latin-1"))
    with pytest.raises(lms.WorksheetError, match="UTF-8"):
        lms.fill_moodle(course, A, tmp_path / "latin1.csv", tmp_path / "o4.csv")


def test_moodle_feedback_zip(course, tmp_path):
    (course / "feedback" / "sin_numero" / A).mkdir(parents=True)
    (course / "feedback" / "sin_numero" / A / f"{A}.html").write_text("x")
    path, problems = lms.moodle_feedback_zip(course, A, tmp_path / "feedback.zip")
    names = sorted(zipfile.ZipFile(path).namelist())
    assert names == [f"Ana Pérez_101_assignsubmission_file_/{A}.html",
                     f"Luis Gómez_102_assignsubmission_file_/{A}.html",
                     f"Luis Gómez_103_assignsubmission_file_/{A}.html"]
    assert zipfile.ZipFile(path).read(names[2]) == b"<p>luis_gomez_103</p>"
    # Moodle's importer splits at "_": the participant number is the second field
    assert [n.split("_", 4)[1] for n in names] == ["101", "102", "103"]
    assert problems == [f"sin_numero: no Moodle participant number for {A} in roster.csv; left out"]


def test_cli_moodle_round_trip(course, tmp_path, capsys):
    source = worksheet(tmp_path / "hoja.csv", ES)
    assert main(["export", A, "--root", str(course), "--moodle", str(source),
                 "--moodle-feedback", str(tmp_path / "f.zip")]) == 0
    out = capsys.readouterr().out
    assert str(course / "exports" / f"{A}_hoja.csv") in out and (course / "exports" / f"{A}_hoja.csv").exists()


CANVAS = ['Student,ID,SIS User ID,SIS Login ID,Section,Tarea 00 (4711),Tarea 01 (4712),Current Score',
          '    Points Possible,,,,,5.00,10.00,(read only)',
          '"Pérez, Ana",11,A001,ana.perez,Sección 1,,7.00,70',
          '"Gómez, Luis",12,,luis.g2,Sección 1,,,0',
          '"Gómez, Luis",13,,,Sección 1,,,0',
          '"Otro, Alguien",14,Z9,otro,Sección 1,,,0']


def test_fill_canvas_gradebook(course, tmp_path):
    roster.update(course, {"ana_perez": {"sis id": "A001", "email": "ana@example.edu"},
                           "luis_gomez_103": {"login": "luis.g2"}})
    source = tmp_path / "canvas.csv"
    source.write_text("\n".join(CANVAS) + "\n", encoding="utf-8")
    out, problems = lms.fill_canvas(course, A, source, tmp_path / "canvas_out.csv", column="Tarea 00")
    rows = list(csv.reader(open(out, encoding="utf-8")))
    original = list(csv.reader(io.StringIO("\n".join(CANVAS))))
    assert [r[5] for r in rows] == ["Tarea 00 (4711)", "5.00", "5", "1.4", "", ""]
    assert [r[:5] + r[6:] for r in rows] == [r[:5] + r[6:] for r in original]
    assert any(p.startswith("line 5: ambiguous, matches luis_gomez_102, luis_gomez_103") for p in problems)
    assert any("Otro, Alguien" in p for p in problems)
    with pytest.raises(lms.WorksheetError, match="2 columns"):
        lms.fill_canvas(course, A, source, tmp_path / "x.csv", column="Tarea")


def test_plain_csv_by_email(course, tmp_path):
    roster.update(course, {"ana_perez": {"email": "ana@example.edu"}})
    out, problems = lms.plain_csv(course, [A], "email", tmp_path / "by_email.csv")
    assert list(csv.reader(open(out, encoding="utf-8"))) == [["email", A], ["ana@example.edu", "5"]]
    assert sorted(problems) == [f"luis_gomez_10{i}: no 'email' in roster.csv; left out" for i in (2, 3)]


def test_due_dates_go_into_nbgraders_gradebook(course):
    from autograder.nbgrader_setup import gradebook

    with gradebook(course) as gb:
        gb.update_or_create_student("luis_gomez_103")
        gb.add_submission(A, "luis_gomez_103")
    (course / "course.toml").write_text((course / "course.toml").read_text() + f"[extensions.{A}]\nluis_gomez_103 = 1\n")
    late.sync(course, [A])
    with gradebook(course) as gb:
        submission = gb.find_submission(A, "luis_gomez_103")
        assert gb.find_assignment(A).duedate == dt.datetime(2026, 4, 11, 3, 0)
        assert submission.timestamp == dt.datetime(2026, 4, 13, 12, 0)
        assert submission.extension == dt.timedelta(days=1)
        assert submission.total_seconds_late == (1 * 86400 + 9 * 3600)  # nbgrader's own count agrees
