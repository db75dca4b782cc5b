"""Wrong and alternative versions of the solution cells, one file per assignment: `NN_tema.py`.

Each file defines two dictionaries keyed by the solution cell's nbgrader `grade_id`:

    WRONG = {"heaviside": {"strict_inequality": "def heaviside(z):\\n    ...", ...}, ...}
    ALTERNATIVE = {"heaviside": {"np_where": "def heaviside(z):\\n    ...", ...}, ...}

Each value is the whole text of the cell as a student would submit it. Every wrong version must
lose points; every alternative must keep full marks (`python -m autograder check --mutants`).
"""

import importlib.util
from pathlib import Path

import nbformat

from autograder.assignments import notebook_path, solution_cells

HERE = Path(__file__).parent


class BrokenVersion(ValueError):
    """A wrong or alternative version that is not Python: an error of the check, never a kill."""


def compiled(assignment: str, kind: str, table: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """`table` (`{grade_id: {name: text}}`) after compiling every text; raise `BrokenVersion` naming the first
    version that does not compile."""
    for gid, versions in table.items():
        for name, text in versions.items():
            try:
                compile(text, f"<{assignment} {kind} {gid}/{name}>", "exec")
            except SyntaxError as exc:
                raise BrokenVersion(f"{assignment}: {kind} version {gid}/{name} does not compile: {exc}") from exc
    return table


def load(assignment: str) -> tuple[dict, dict]:
    """`(WRONG, ALTERNATIVE)` of an assignment, every version compiled; empty dictionaries when it has no
    mutants file."""
    path = HERE / f"{assignment}.py"
    if not path.exists():
        return {}, {}
    spec = importlib.util.spec_from_file_location(f"mutants_{assignment}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return (compiled(assignment, "wrong", getattr(module, "WRONG", {})),
            compiled(assignment, "alternative", getattr(module, "ALTERNATIVE", {})))


def submission(assignment: str, replacements: dict[str, str] | None = None) -> nbformat.NotebookNode:
    """A student-like submission: the release notebook with every solution cell filled from source,
    then the cells in `replacements` (`{grade_id: text}`) replaced."""
    source = solution_cells(nbformat.read(notebook_path(assignment, "source"), as_version=4))
    notebook = nbformat.read(notebook_path(assignment, "release"), as_version=4)
    texts = {gid: cell.source for gid, cell in source.items()} | dict(replacements or {})
    unknown = set(replacements or {}) - set(source)
    if unknown:
        raise KeyError(f"{assignment}: no solution cell with grade_id {sorted(unknown)}")
    for gid, cell in solution_cells(notebook).items():
        cell.source = texts[gid]
    return notebook


def variants(assignment: str, first_only: bool = False) -> dict[str, tuple]:
    """`{student_name: (kind, grade_id, name, notebook)}` for every wrong and alternative version.

    `first_only` (the quick check of `make test`): the first wrong version of each function, each in its
    own notebook, and the first alternative of every function together in one notebook."""
    wrong, alternative = load(assignment)
    result = {}
    for kind, table in (("wrong", wrong), ("alternative", alternative)):
        if first_only and kind == "alternative" and table:
            texts = {gid: next(iter(versions.values())) for gid, versions in table.items()}
            result["alternative--all--first"] = (kind, "all", "first", submission(assignment, texts))
            continue
        for gid, versions in table.items():
            for name, text in list(versions.items())[:1] if first_only else versions.items():
                result[f"{kind}--{gid}--{name}"] = (kind, gid, name, submission(assignment, {gid: text}))
    return result
