"""Feedback for students: one Spanish HTML page per submission.

The page shows the student's notebook AS SUBMITTED (their own outputs, produced without hidden tests), with
the grader's verdict attached to each test cell. Nothing the student's code printed or raised while graded
reaches the page, except the message of a failed test when it cannot carry a hidden test:
- a visible test: the message of its error, when the test ran before any hidden test in the graded run (no
  hidden text was in the kernel yet) or when the student's own notebook shows the same message;
- a hidden test: only a description string written literally in that hidden cell (the message starts with it).
"""

import ast
import functools
import html
import re
import shutil
from pathlib import Path

import nbformat
from latex2mathml.converter import convert as latex_to_mathml
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from autograder import COURSE_ROOT, integrity
from autograder.assignments import nbgrader, notebooks, parts, read_merged
from autograder.model import STATUS_ES, Result
from autograder.release import secret_lines

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
MATH = re.compile(r"\$\$(.+?)\$\$|(?<![\\$])\$(?!\s)(.+?)(?<![\s\\])\$", re.DOTALL)
EXERCISE = re.compile(r"^#+\s*(Ejercicio\s+\d+\w*)", re.MULTILINE)
OUTPUT_CHARS = 20_000  # characters kept per output of the submitted notebook
MESSAGE_CHARS = 1_000
MIN_DESCRIPTION = 8  # shorter string literals of a hidden cell are never shown
STYLE = """body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.4}
pre{background:#f6f6f6;padding:.6em;overflow-x:auto;white-space:pre-wrap}
.test{border-left:4px solid #999;padding-left:.8em;margin:1em 0}.ok{border-color:#2a2}.fail{border-color:#c22}
.msg{color:#a00}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .6em}"""


def hidden_descriptions(source_nb: nbformat.NotebookNode) -> dict[str, set[str]]:
    """`{grade_id: descriptions}` of the hidden test cells: the string literals written in each (not the
    pieces of f-strings), the only texts of a hidden test a student may ever see."""
    found = {}
    for gid, cell in integrity.grade_cells(source_nb).items():
        if "BEGIN HIDDEN TESTS" not in cell.source:
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            found[gid] = set()
            continue
        pieces = {id(v) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for v in node.values}
        found[gid] = {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)
                      and isinstance(node.value, str) and id(node) not in pieces
                      and len(node.value.strip()) >= MIN_DESCRIPTION}
    return found


def exercises(source_nb: nbformat.NotebookNode) -> dict[str, str]:
    """`{grade_id: label}` of the test cells: «Ejercicio 3 · perceptron_update», from the last «Ejercicio N»
    heading and the last solution cell above the test in the same notebook (the grade id when there is neither)."""
    labels, heading, function = {}, None, None
    starts = _starts(source_nb)
    for index, cell in enumerate(source_nb.cells):
        if index in starts:
            heading, function = None, None
        meta = nbgrader(cell)
        if cell.cell_type == "markdown" and (found := EXERCISE.findall(cell.source)):
            heading, function = found[-1], None
        if meta.get("solution") and meta.get("grade_id"):
            function = meta["grade_id"]
        if meta.get("grade") and meta.get("grade_id"):
            parts = [p for p in (heading, function) if p]
            labels[meta["grade_id"]] = " · ".join(parts) if parts else meta["grade_id"]
    return labels


@functools.lru_cache(maxsize=8192)  # the same cells and messages come back in every student's page
def markdown(text: str) -> str:
    """Markdown to HTML with `$…$` / `$$…$$` as MathML (rendered by the browser offline, no MathJax)."""
    formulas = []

    def keep(match):
        tex, block = match[1] if match[1] is not None else match[2], match[1] is not None
        try:
            formulas.append(latex_to_mathml(tex.strip(), display="block" if block else "inline"))
        except Exception:  # noqa: BLE001 - a formula latex2mathml cannot read is shown as its TeX
            formulas.append(f"<code>{html.escape(match[0])}</code>")
        return f"MATHFORMULA{len(formulas) - 1}X"

    page = markdown2html_mistune(MATH.sub(keep, text))
    return re.sub(r"MATHFORMULA(\d+)X", lambda m: formulas[int(m[1])], page)


def _text(value):
    return ANSI.sub("", "".join(value) if isinstance(value, list) else value)


def _pre(text):
    return f"<pre>{html.escape(_text(text))}</pre>"


def _outputs(cell):
    """The student's own outputs of a cell, as text and PNG images (never HTML or scripts)."""
    parts = []
    for out in cell.get("outputs", []):
        if out.output_type == "stream":
            parts.append(_pre(out.text))
        elif out.output_type in ("execute_result", "display_data"):
            data = out.get("data", {})
            if isinstance(data.get("image/png"), str) and data["image/png"]:
                parts.append(f'<img src="data:image/png;base64,{html.escape(data["image/png"].strip())}">')
            elif "text/plain" in data:
                parts.append(_pre(data["text/plain"]))
        elif out.output_type == "error":
            parts.append(_pre(f"{out.ename}: {out.evalue}"))
    return "".join(parts)


def _error(cell):
    """`(ename, message)` of the first error output of a cell, or None."""
    for out in cell.get("outputs", []) if cell is not None else []:
        if out.output_type == "error":
            evalue = _text(out.get("evalue", ""))
            ename = out.get("ename", "")
            return ename, evalue if ename in ("CheckError", "AssertionError") and evalue else f"{ename}: {evalue}"
    return None


def _visible_message(gid, graded, submitted, before_hidden, secrets):
    """The message of a failed visible test, when it cannot carry hidden-test or solution text."""
    error = _error(graded.get(gid))
    if error is None:
        return None
    message = error[1]
    own = _error(submitted.get(gid))
    if not (gid in before_hidden or (own is not None and own[1] == message)):
        return None
    if any(line in message for line in secrets):
        return None
    return message if len(message) <= MESSAGE_CHARS else message[:MESSAGE_CHARS] + " …"


def _hidden_message(gid, graded, descriptions):
    """The longest description of the hidden cell that the failed check's message starts with, or None."""
    error = _error(graded.get(gid))
    if error is None or error[0] != "CheckError":
        return None
    return max((d for d in descriptions.get(gid, ()) if error[1].startswith(d)), key=len, default=None)


def render(result: Result, notebook: nbformat.NotebookNode | None, assignment: str,
           submitted: nbformat.NotebookNode | None = None, source_root: Path = COURSE_ROOT) -> str:
    """The HTML page of one submission: `submitted` is the student's notebook as handed in (None: only the
    sources of the graded `notebook`, without outputs); `notebook` (the autograded one, or None) only gives
    the failure messages allowed above. The assignment's source and release notebooks come from `source_root`."""
    source = read_merged(notebooks(assignment, "source", source_root))
    release = read_merged(notebooks(assignment, "release", source_root))
    descriptions = hidden_descriptions(source)
    labels = exercises(source)
    manual = {gid for gid, c in integrity.grade_cells(source).items()
              if nbgrader(c).get("task") or (nbgrader(c).get("grade") and nbgrader(c).get("solution"))}
    graded = integrity.grade_cells(notebook) if notebook is not None else {}
    before_hidden = _before_hidden(notebook, descriptions) if notebook is not None else set()
    if submitted is None and notebook is not None:
        submitted = nbformat.from_dict({"cells": [{**c, "outputs": []} if c.cell_type == "code" else c
                                                  for c in notebook.cells]})
    mine = integrity.grade_cells(submitted) if submitted is not None else {}
    own_lines = {line.strip() for c in (submitted.cells if submitted is not None else [])
                 for line in c.source.splitlines()}
    secrets = secret_lines(source) - own_lines
    given_markdown = {c.source.strip() for c in release.cells if c.cell_type == "markdown"}

    def verdict(gid, cell):
        score, points = result.grades[gid]
        passed = score >= points
        hidden = gid in descriptions
        if gid in manual:
            name, verdict_text = f"{labels.get(gid, gid)} — corrección manual", "corregido por el profesorado"
            passed = gid not in result.pending
            if not passed:
                verdict_text = STATUS_ES["pending manual"]
        else:
            name = f'{labels.get(gid, gid)} — {"tests ocultos" if hidden else "test visible"}'
            verdict_text = "superado" if passed else "no superado"
        shown_score = "…" if gid in result.pending else f"{score:g}"
        block = [f'<div class="test {"ok" if passed else "fail"}"><p><b>{html.escape(name)}</b>: '
                 f'{shown_score} / {points:g} — {verdict_text}</p>']
        if not hidden and cell is not None:
            block.append(_pre(cell.source))
        message = None if passed else (_hidden_message(gid, graded, descriptions) if hidden
                                       else _visible_message(gid, graded, mine, before_hidden, secrets))
        if message and gid not in manual:
            block.append(f'<p class="msg">{html.escape(message)}</p>')
        if result.comments.get(gid):
            block.append(f"<p><b>Comentario:</b> {html.escape(result.comments[gid])}</p>")
        return "".join(block) + "</div>"

    title = f"Retroalimentación · {assignment} · {result.student}"
    per_exercise = {}
    for gid, (s, m) in result.grades.items():
        total = per_exercise.setdefault(labels.get(gid, gid), [0.0, 0.0, False])
        total[0], total[1], total[2] = total[0] + s, total[1] + m, total[2] or gid in result.pending
    body = [f"<h1>{html.escape(title)}</h1>",
            f"<p><b>Puntuación:</b> {result.final_score:g} / {result.max_score:g}<br>"
            f"<b>Estado:</b> {html.escape(STATUS_ES[result.status])}</p>"]
    if result.penalty:
        days = result.seconds_late / 86400
        body.append(f'<p class="msg">Entrega tardía ({days:.1f} días después de la fecha límite): penalización de '
                    f"{result.penalty:g} puntos sobre {result.score:g}.</p>")
    body.append("<table><tr><th>Ejercicio</th><th>Puntos</th></tr>")
    body += [f"<tr><td>{html.escape(name)}</td><td>{s:g} / {m:g}"
             f"{' (' + STATUS_ES['pending manual'] + ')' if pending else ''}</td></tr>"
             for name, (s, m, pending) in per_exercise.items()]
    body.append("</table>")
    if submitted is None:
        body.append("<p>No hay cuaderno entregado que mostrar.</p>")
    elif parts(submitted) and (missing := [n for n in parts(release) if n not in parts(submitted)]):
        body.append(f'<p class="msg">No se recibió {"el cuaderno" if len(missing) == 1 else "los cuadernos"} '
                    f'{html.escape(", ".join(missing))}: sus ejercicios se calificaron con 0.</p>')
    starts = _starts(submitted) if len(parts(release)) > 1 else {}
    shown = set()
    for index, cell in enumerate(submitted.cells if submitted is not None else []):
        if index in starts:
            body.append(f"<h2>{html.escape(starts[index])}</h2>")
        gid = nbgrader(cell).get("grade_id")
        if nbgrader(cell).get("grade") and gid in result.grades and gid not in shown:
            shown.add(gid)
            body.append(verdict(gid, cell))
        elif cell.cell_type == "markdown":
            body.append(markdown(cell.source) if cell.source.strip() in given_markdown else _pre(cell.source))
        elif cell.cell_type == "code":
            body.append(_pre(cell.source) + _outputs(cell))
    body += [verdict(gid, None) for gid in result.grades if gid not in shown and submitted is not None]
    return (f'<!DOCTYPE html><html lang="es"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{STYLE}</style></head><body>{''.join(body)}</body></html>")


def _before_hidden(notebook: nbformat.NotebookNode, hidden: dict) -> set[str]:
    """Grade ids of the cells that ran before any `hidden` test cell in the same kernel (each notebook of an
    assignment runs in its own)."""
    starts, found, seen_hidden = _starts(notebook), set(), False
    for index, cell in enumerate(notebook.cells):
        seen_hidden = seen_hidden and index not in starts
        gid = nbgrader(cell).get("grade_id")
        if gid in hidden:
            seen_hidden = True
        elif gid and not seen_hidden:
            found.add(gid)
    return found


def _starts(notebook: nbformat.NotebookNode) -> dict[int, str]:
    """`{index of its first cell: file name}` of each notebook `merge`d into `notebook`."""
    starts, index = {}, 0
    for name, count in notebook.get("metadata", {}).get("autograder", {}).get("parts", []):
        starts.setdefault(index, name)
        index += count
    return starts


#: Copied next to each page: `nbgrader release_feedback` needs them (the secret names the page in the exchange,
#: so each student can fetch only their own feedback).
SUBMISSION_FILES = ("timestamp.txt", "submission_secret.txt")


def _read(paths: list[Path]) -> nbformat.NotebookNode | None:
    """The notebooks at `paths` that exist, `merge`d (None: none, or one unreadable: it shows no cells)."""
    try:
        return read_merged(found) if (found := [p for p in paths if p.exists()]) else None
    except Exception:  # noqa: BLE001 - an unreadable notebook shows no cells
        return None


def write(root: Path, results: list[Result], source_root: Path = COURSE_ROOT) -> list[Path]:
    """Write `feedback/<student>/<assignment>/<assignment>.html` for each `Result` (complete, as `results.load`
    or `results.save` give it), with the submission's timestamp and secret beside it (ready for
    `nbgrader release_feedback`); return the paths."""
    paths = []
    for result in results:
        names = [p.name for p in notebooks(result.assignment, "release", source_root)]
        graded = _read([Path(root) / "autograded" / result.student / result.assignment / n for n in names])
        folder = Path(root) / "submitted" / result.student / result.assignment
        submitted = _read([folder / n for n in names])
        if submitted is not None:
            integrity.truncate_outputs(submitted, OUTPUT_CHARS)
        target = Path(root) / "feedback" / result.student / result.assignment / f"{result.assignment}.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render(result, graded, result.assignment, submitted, source_root), encoding="utf-8")
        for name in SUBMISSION_FILES:
            if (folder / name).is_file():
                shutil.copyfile(folder / name, target.parent / name)
        paths.append(target)
    return paths
