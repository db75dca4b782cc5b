"""Judging one finished submission from trusted files only: the child's report, the graded notebook, the
submitted notebook compared with the release."""

import json
from pathlib import Path

import nbformat

from autograder import integrity
from autograder.assignments import grade_cells, merge, parts, read_merged, split
from autograder.model import ChildReport, Job, Limits, Result

INTERRUPTED = ("CellTimeoutError", "KeyboardInterrupt")  # a cell stopped by nbgrader's per-cell timeout


def nbgrader_failure(log: str) -> tuple[str, str]:
    """`(status, reason)` of an autograde run that nbgrader reported as failed, from its log (the only place
    where nbgrader says why)."""
    if "Timeout waiting for" in log or "CellTimeoutError" in log or "timed out" in log:
        return "timeout", "the kernel did not answer within {cell_timeout} s; stopped"
    if "DeadKernel" in log or "Kernel died" in log or "kernel died" in log:
        return "crashed", "the kernel died (os._exit, segfault, out of memory, ...)"
    lines = [line for line in log.strip().splitlines() if line.strip()]
    return "crashed", "nbgrader failed: " + (lines[-1] if lines else "no log")


def read_report(path: Path) -> ChildReport:
    """The child's report, or an `error` report when it wrote none (it died)."""
    try:
        return ChildReport(**json.loads(Path(path).read_text()))
    except (OSError, ValueError, TypeError):
        return ChildReport("error", error="the grading process died")


def judge(job: Job, release: nbformat.NotebookNode, zero: dict, report: ChildReport | None,
          autograded: Path, limits: Limits, reference: bool = False) -> tuple[Result, nbformat.NotebookNode | None]:
    """The `Result` of a finished submission and its autograded notebooks `merge`d (or None). `release` is the
    assignment's release notebooks merged, `autograded` the folder nbgrader wrote the graded notebooks to.
    `report` is None when the submission was killed at the notebook timeout. The `reference` (the source
    notebooks) is not compared with the release. A submission without some of the notebooks is graded for those
    it has (the others score 0) and says which are missing."""
    result = Result(job.assignment, job.student, grades={gid: list(v) for gid, v in zero.items()})
    names = parts(release)
    notebook = None
    if report is None:
        result.flag("timeout", f"notebook ran longer than {limits.notebook_timeout} s; stopped")
    elif report.kind == "graded" and (graded := [Path(autograded) / n for n in names
                                                 if (Path(autograded) / n).exists()]):
        result.grades.update(report.grades)
        notebook = read_merged(graded)
        if any(o.get("ename") in INTERRUPTED for c in notebook.cells for o in c.get("outputs", [])):
            result.flag("timeout", f"a cell ran longer than {limits.cell_timeout} s and was interrupted")
    elif report.kind == "error":
        lines = [line for line in report.error.strip().splitlines() if line.strip()]
        result.flag("crashed", "nbgrader failed: " + (lines[-1] if lines else "no log"))
    else:
        status, reason = nbgrader_failure(report.log + report.error)
        result.flag(status, reason.format(cell_timeout=limits.cell_timeout))
    if reference:
        return result, notebook
    handed_in = [n for n in names if (Path(job.folder) / n).is_file()]
    if not handed_in:
        result.flag("missing", "no notebook in the submission folder")
        return result, notebook
    if len(handed_in) < len(names):
        result.reasons.append("missing notebook(s), graded without them: "
                              + ", ".join(n for n in names if n not in handed_in))
    try:
        submitted_nb = read_merged([Path(job.folder) / n for n in handed_in])
    except Exception as exc:  # noqa: BLE001 - an unreadable notebook is graded as nbgrader saw it
        result.flag("crashed", f"unreadable notebook: {exc}")
    else:
        release = merge({n: nb for n, nb in split(release).items() if n in handed_in})
        for reason in integrity.tampering(submitted_nb, release):
            result.flag("tampered", reason)
        for reason in integrity.suspicious(submitted_nb, release, assignment=job.assignment):
            result.flag("needs review", reason)
    if notebook is not None and integrity.truncate_outputs(notebook, limits.output_chars):
        result.reasons.append(f"outputs longer than {limits.output_chars} characters truncated")
    return result, notebook


def cell_errors(notebook: nbformat.NotebookNode | None) -> dict[str, str]:
    """`{grade_id: "Error: first line of its message"}` of the nbgrader cells that raised in a graded notebook."""
    errors = {}
    for gid, cell in grade_cells(notebook).items() if notebook is not None else ():
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                evalue = str(out.get("evalue") or "")
                errors[gid] = f"{out.get('ename')}: {evalue.splitlines()[0][:300] if evalue else ''}"
    return errors


def failing_tests(result: Result, notebook: nbformat.NotebookNode | None) -> list[str]:
    """`test: error` for each test cell below full marks (from the graded notebook), else the reasons."""
    errors = cell_errors(notebook)
    lost = [gid for gid, (score, top) in result.grades.items() if score < top]
    return [f"{gid}: {errors.get(gid, 'sin error registrado / no error recorded')}" for gid in lost] or result.reasons


class ReferenceFailed(RuntimeError):
    """An assignment's reference solution did not get full marks in the grading environment: none of that
    assignment's submissions was graded. `results` holds those of the other assignments."""

    def __init__(self, failures: dict, results: list):
        self.failures, self.results = failures, results
        lines = []
        for assignment, (result, notebook) in failures.items():
            lines.append(f"{assignment}: la solución de referencia obtiene {result.score:g}/{result.max_score:g} "
                         f"({result.status}) en este entorno de calificación; no se calificó ninguna entrega de "
                         f"{assignment}. / The reference solution gets {result.score:g}/{result.max_score:g} "
                         f"({result.status}) in this grading environment; no submission of {assignment} was graded.")
            lines += [f"  {line}" for line in failing_tests(result, notebook)]
        super().__init__("\n".join(lines))
