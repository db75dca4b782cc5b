"""Feedback for students: one Spanish HTML page per submission, built from the executed notebook.

Visible test cells show their source and the Spanish message of a failed check; hidden test cells
show only whether they passed and, when not, the message of the `CheckError` (never their source or
traceback lines). Any hidden-test or solution line that reaches an output is blanked out."""

import html
import shutil
import re
from pathlib import Path

import nbformat
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from autograder.assignments import notebook_path
from autograder.release import secret_lines

STATUS_ES = {
    "ok": "corregido",
    "needs review": "pendiente de revisión por el profesorado",
    "tampered": "se modificaron celdas bloqueadas: se corrigió con los tests originales",
    "timeout": "tiempo agotado: alguna celda tardó demasiado y se interrumpió",
    "crashed": "el kernel se detuvo (por ejemplo, por falta de memoria o `os._exit`): revisa tu cuaderno",
    "missing": "no se recibió ninguna entrega",
}
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
STYLE = """body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.4}
pre{background:#f6f6f6;padding:.6em;overflow-x:auto;white-space:pre-wrap}
.test{border-left:4px solid #999;padding-left:.8em;margin:1em 0}.ok{border-color:#2a2}.fail{border-color:#c22}
.msg{color:#a00}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .6em}"""


def _hidden_ids(assignment):
    source = nbformat.read(notebook_path(assignment, "source"), as_version=4)
    return source, {c.metadata["nbgrader"]["grade_id"] for c in source.cells
                    if "BEGIN HIDDEN TESTS" in c.source and c.metadata.get("nbgrader", {}).get("grade_id")}


class Redactor:
    """Blanks out lines of solutions and hidden tests wherever they appear."""

    def __init__(self, source_nb, own_code=""):
        mine = {line.strip() for line in own_code.splitlines()}
        hidden_markers = {"### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"}
        self.secrets = sorted((secret_lines(source_nb) - mine) | hidden_markers, key=len, reverse=True)

    def __call__(self, text):
        text = ANSI.sub("", text)
        for line in self.secrets:
            text = text.replace(line, "[oculto]")
        return text


def _pre(text, redact):
    return f"<pre>{html.escape(redact(text))}</pre>"


def _outputs(cell, redact):
    parts = []
    for out in cell.get("outputs", []):
        if out.output_type == "stream":
            parts.append(_pre(out.text, redact))
        elif out.output_type in ("execute_result", "display_data"):
            data = out.get("data", {})
            if "image/png" in data and data["image/png"]:
                parts.append(f'<img src="data:image/png;base64,{data["image/png"].strip()}">')
            elif "text/plain" in data:
                parts.append(_pre(data["text/plain"], redact))
        elif out.output_type == "error":
            parts.append(_pre("\n".join(out.traceback) or f"{out.ename}: {out.evalue}", redact))
    return "".join(parts)


def _error_message(cell, redact):
    """The Spanish message of a failed check (or the error's name and value), without traceback."""
    for out in cell.get("outputs", []):
        if out.output_type == "error":
            return redact(f"{out.evalue}" if out.ename in ("CheckError", "AssertionError") and out.evalue
                          else f"{out.ename}: {out.evalue}")
    return None


def render(result, notebook, assignment):
    """The HTML page of one submission (`notebook` is the executed notebook or None)."""
    source, hidden = _hidden_ids(assignment)
    own = "\n".join(c.source for c in (notebook.cells if notebook is not None else [])
                    if c.cell_type == "code" and not c.metadata.get("nbgrader", {}).get("locked"))
    redact = Redactor(source, own)  # a student's own lines are theirs to see
    title = f"Retroalimentación · {assignment} · {result.student}"
    body = [f"<h1>{html.escape(title)}</h1>",
            f"<p><b>Puntuación:</b> {result.score:g} / {result.max_score:g}<br>"
            f"<b>Estado:</b> {html.escape(STATUS_ES[result.status])}</p>",
            "<table><tr><th>Test</th><th>Puntos</th></tr>"]
    body += [f"<tr><td>{html.escape(gid)}</td><td>{s:g} / {m:g}</td></tr>" for gid, (s, m) in result.grades.items()]
    body.append("</table>")
    if notebook is None:
        body.append("<p>No hay cuaderno ejecutado que mostrar.</p>")
    for cell in notebook.cells if notebook is not None else []:
        meta = cell.metadata.get("nbgrader", {})
        gid = meta.get("grade_id")
        if cell.cell_type == "markdown":
            body.append(markdown2html_mistune(cell.source))
        elif meta.get("grade") and gid in result.grades:
            score, points = result.grades[gid]
            passed = score >= points
            kind = "Tests ocultos" if gid in hidden else "Test"
            body.append(f'<div class="test {"ok" if passed else "fail"}"><p><b>{kind} {html.escape(gid)}</b>: '
                        f'{score:g} / {points:g} — {"superado" if passed else "no superado"}</p>')
            if gid not in hidden:
                body.append(_pre(cell.source, redact))
            message = None if passed else _error_message(cell, redact)
            if message:
                body.append(f'<p class="msg">{html.escape(message)}</p>')
            body.append("</div>")
        elif cell.cell_type == "code":
            body.append(_pre(cell.source, redact) + _outputs(cell, redact))
    return (f'<!DOCTYPE html><html lang="es"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{STYLE}</style></head><body>{''.join(body)}</body></html>")


#: Copied next to each page: `nbgrader release_feedback` needs them (the secret names the page in the exchange,
#: so each student can fetch only their own feedback).
SUBMISSION_FILES = ("timestamp.txt", "submission_secret.txt")


def write(root, results):
    """Write `feedback/<student>/<assignment>/<assignment>.html` for each `Result`, with the submission's
    timestamp and secret beside it (ready for `nbgrader release_feedback`); return the paths."""
    paths = []
    for result in results:
        folder = Path(root) / "autograded" / result.student / result.assignment
        executed = folder / f"{result.assignment}.ipynb"
        notebook = nbformat.read(executed, as_version=4) if executed.exists() else None
        target = Path(root) / "feedback" / result.student / result.assignment / f"{result.assignment}.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render(result, notebook, result.assignment), encoding="utf-8")
        submitted = Path(root) / "submitted" / result.student / result.assignment
        for name in SUBMISSION_FILES:
            if (submitted / name).is_file():
                shutil.copyfile(submitted / name, target.parent / name)
        paths.append(target)
    return paths
