"""The feedback page shows the notebook as submitted with the grader's verdicts, and no hidden test in any
encoding: built here from hand-made autograded notebooks (no kernel, no nbgrader)."""

import base64
import binascii
import copy
import re

import nbformat

from autograder import feedback, integrity, mutants
from autograder.assignments import notebook_path
from autograder.grade import Result
from autograder.release import secret_lines

A = "01_perceptron"
SOURCE = nbformat.read(notebook_path(A), as_version=4)
HIDDEN = {gid: c.source for gid, c in integrity.grade_cells(SOURCE).items() if "BEGIN HIDDEN TESTS" in c.source}
HOOK = ("import base64\nseen = []\n\ndef spy(info):\n"
        "    print(base64.b64encode(seen[-1].encode()).decode() if seen else '')\n"
        "    seen.append(info.raw_cell)\n\nget_ipython().events.register('pre_run_cell', spy)\n"
        "print('mi salida propia')\n")
VISIBLE_MESSAGE = "heaviside(0.0): se esperaba 1 y se obtuvo 0."


def b64(text):
    return base64.b64encode(text.encode()).decode()


def error(evalue, ename="CheckError"):
    return nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=["Traceback", evalue])


def submission():
    """The student's notebook: the spying hook in the first solution cell, run at home (own outputs)."""
    notebook = mutants.submission(A, {"heaviside": HOOK})
    integrity.grade_cells(notebook)["heaviside"].outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="mi salida propia\n")]
    return notebook


def autograded(submitted, errors):
    """The graded run: hidden tests restored, every later cell printing the previous source in base64,
    and `errors` (`{grade_id: output}`) in the test cells."""
    notebook = copy.deepcopy(submitted)
    previous = ""
    for cell in notebook.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in HIDDEN:
            cell.source = HIDDEN[gid]
        if cell.cell_type == "code":
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=b64(previous) + "\n")]
            cell.outputs += [errors[gid]] if gid in errors else []
            previous = cell.source
    return notebook


def result(failed):
    graded = {gid: [0.0 if gid in failed else 1.0, 1.0] for gid, c in integrity.grade_cells(SOURCE).items()
              if c.metadata["nbgrader"].get("grade")}
    return Result(A, "ana", status="needs review", grades=graded)


def decoded_candidates(page):
    """Every run of base64-looking text in the page, decoded (what a student could decode)."""
    found = []
    for run in re.findall(r"[A-Za-z0-9+/=]{12,}", page):
        for cut in range(4):
            try:
                found.append(base64.b64decode(run[cut:] + "=" * (-len(run[cut:]) % 4)).decode("utf-8", "ignore"))
            except (binascii.Error, ValueError):
                pass
    return found


def assert_no_hidden_test(page, submitted):
    """No solution or hidden-test line the student did not write, raw or decoded from base64."""
    secrets = secret_lines(SOURCE) - {line.strip() for c in submitted.cells for line in c.source.splitlines()}
    for text in [page] + decoded_candidates(page):
        leaked = [line for line in secrets if line in text]
        assert not leaked, leaked
    for source in HIDDEN.values():
        assert b64(source)[:40] not in page and "BEGIN HIDDEN" not in page


def test_spying_hook_and_exceptions_carrying_hidden_tests_never_reach_the_page():
    submitted = submission()
    hidden = HIDDEN["test_heaviside_hidden"]
    errors = {"test_heaviside": error(VISIBLE_MESSAGE),
              "test_heaviside_hidden": error(hidden),
              "test_perceptron_predict": error(hidden + "\n" + b64(hidden)),  # after a hidden test ran
              "test_perceptron_predict_hidden": error(b64(hidden), "ValueError"),
              "test_perceptron_update_hidden": error("perceptron_update con n = 3: " + hidden)}
    page = feedback.render(result(errors), autograded(submitted, errors), A, submitted)
    assert VISIBLE_MESSAGE in page  # a visible test run before any hidden test keeps its Spanish message
    assert "mi salida propia" in page  # the student's own outputs, from the notebook they handed in
    assert "perceptron_update con n = 3" in page  # a hidden test shows only a description written in it
    assert page.count("no superado") == len(errors)
    assert_no_hidden_test(page, submitted)


def test_hidden_test_message_is_only_its_description():
    submitted = submission()
    message = "heaviside de un vector de ceros: se esperaba [1, 1, 1] y se obtuvo [0, 0, 0]."
    errors = {"test_heaviside_hidden": error(message)}
    page = feedback.render(result(errors), autograded(submitted, errors), A, submitted)
    assert "heaviside de un vector de ceros" in page and "se esperaba [1, 1, 1]" not in page
    errors = {"test_heaviside_hidden": error("se esperaba [1, 1, 1] y se obtuvo [0, 0, 0].")}
    page = feedback.render(result(errors), autograded(submitted, errors), A, submitted)
    assert "se esperaba" not in page and "no superado" in page


def test_visible_test_after_a_hidden_one_shows_only_what_the_student_saw():
    submitted = submission()
    message = "perceptron_predict(X, w, b): se esperaba [0, 1] y se obtuvo [1, 1]."
    errors = {"test_perceptron_predict": error(message)}
    page = feedback.render(result(errors), autograded(submitted, errors), A, submitted)
    assert message not in page and "no superado" in page
    integrity.grade_cells(submitted)["test_perceptron_predict"].outputs = [error(message)]
    page = feedback.render(result(errors), autograded(submitted, errors), A, submitted)
    assert message in page


def test_student_markdown_is_escaped_and_given_markdown_rendered():
    submitted = submission()
    submitted.cells.insert(1, nbformat.v4.new_markdown_cell("<script>alert(1)</script>"))
    page = feedback.render(result({}), autograded(submitted, {}), A, submitted)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<h1" in page.split("</table>", 1)[1]  # the notebook's own title, as HTML


def test_write_reads_the_submitted_notebook(tmp_path):
    submitted = submission()
    errors = {"test_heaviside": error(VISIBLE_MESSAGE), "test_heaviside_hidden": error(HIDDEN["test_heaviside_hidden"])}
    for folder, notebook in (("submitted", submitted), ("autograded", autograded(submitted, errors))):
        (tmp_path / folder / "ana" / A).mkdir(parents=True)
        nbformat.write(notebook, tmp_path / folder / "ana" / A / f"{A}.ipynb")
    (tmp_path / "submitted" / "ana" / A / "timestamp.txt").write_text("2026-01-01 00:00:00")
    [path] = feedback.write(tmp_path, [result(errors)])
    page = path.read_text(encoding="utf-8")
    assert "mi salida propia" in page and VISIBLE_MESSAGE in page and (path.parent / "timestamp.txt").exists()
    assert_no_hidden_test(page, submitted)
    assert feedback.STATUS_ES["needs review"] in page


def test_tests_named_by_exercise_with_score_per_exercise_and_formulas_as_mathml():
    submitted = submission()
    errors = {"test_perceptron_update_hidden": error("x")}
    page = feedback.render(result(errors), autograded(submitted, errors), A, submitted)
    assert "Ejercicio 3 · perceptron_update — tests ocultos</b>: 0 / 1 — no superado" in page
    assert "Ejercicio 1 · heaviside — test visible</b>: 1 / 1 — superado" in page
    assert "<tr><td>Ejercicio 3 · perceptron_update</td><td>1 / 2</td></tr>" in page
    assert "test_heaviside_hidden" not in page.split("</table>", 1)[0]  # the table names exercises, not grade ids
    assert "<math" in page and "mathjax" not in page.lower() and "$$" not in page
    assert "corregido" not in page and "pendiente de revisión por el profesorado" in page


def test_formula_latex2mathml_cannot_read_is_shown_as_tex():
    page = feedback.markdown("Costo $\\frac{1}{2}$ y $\\notacommand{$ y $x^2$")
    assert page.count("<math") == 2 and "notacommand" in page


def test_late_penalty_on_the_page():
    late_result = result({})
    late_result.penalty, late_result.seconds_late = 2.0, 1.5 * 86400
    page = feedback.render(late_result, autograded(submission(), {}), A, submission())
    score = late_result.score
    assert f"Puntuación:</b> {score - 2:g} / {late_result.max_score:g}" in page
    assert f"Entrega tardía (1.5 días después de la fecha límite): penalización de 2 puntos sobre {score:g}" in page
