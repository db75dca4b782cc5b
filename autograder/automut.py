"""Automatic mutation analysis: single-point AST mutations of every solution, run against the notebook's own
tests (visible and hidden).

Each assignment's source notebook is executed once, cell by cell, in an IPython shell of a worker process
(`NBGRADER_EXECUTION` set, so demos are skipped as under grading). Before a solution cell runs, the worker
forks one child per mutation of that cell: the child runs the mutated cell and then every later cell, and
stops at the first test cell that raises (the mutation is killed by that test). A child that finishes every
cell is a survivor. Survivors reviewed as equivalent to the solution are listed, with the reason, in
`autograder/mutants/equivalent.py`; every other survivor is a test to strengthen.

Trusted code only: the mutations are of the instructor's own solutions, so nothing here is sandboxed.
"""

from __future__ import annotations

import ast
import copy
import importlib.util
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TextIO

import nbformat

from autograder.assignments import assignment_names, nbgrader, notebook_path

EQUIVALENT_FILE = Path(__file__).parent / "mutants" / "equivalent.py"
TENSORFLOW_ASSIGNMENTS = ("07_keras",)  # TensorFlow does not survive fork(): not analysed

_BINARY = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult, ast.Pow: ast.Mult,
           ast.MatMult: ast.Mult,
           ast.FloorDiv: ast.Div, ast.Mod: ast.FloorDiv}
_COMPARE = {ast.Lt: (ast.LtE, ast.Gt), ast.LtE: (ast.Lt,), ast.Gt: (ast.GtE, ast.Lt), ast.GtE: (ast.Gt,),
            ast.Eq: (ast.NotEq,), ast.NotEq: (ast.Eq,), ast.Is: (ast.IsNot,), ast.IsNot: (ast.Is,)}
_SYMBOL = {ast.MatMult: "@", ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**", ast.FloorDiv: "//",
           ast.Mod: "%", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=",
           ast.Is: "is", ast.IsNot: "is not", ast.And: "and", ast.Or: "or"}
_NUMPY_SWAPS = {"sum": "mean", "mean": "sum", "max": "min", "min": "max", "maximum": "minimum",
                "minimum": "maximum", "argmax": "argmin", "argmin": "argmax", "zeros": "ones", "ones": "zeros",
                "zeros_like": "ones_like", "ones_like": "zeros_like", "any": "all", "all": "any"}


@dataclass(frozen=True)
class Mutation:
    """One single-point change of a solution cell: `where` is `line:column` in the cell, `what` the change."""

    gid: str
    where: str
    what: str
    source: str
    line: str = ""  # the original line, for the report

    @property
    def key(self) -> str:
        """Stable name of the mutation in its cell (used by the equivalence list): «3:15 `>` → `>=`»."""
        return f"{self.where} {self.what}"


@dataclass
class MutantResult:
    """What the tests did to one mutation: `killed` (by `killed_by`), `survived`, `equivalent` (a survivor
    listed in the equivalence file, with its `reason`) or `stillborn` (the mutated cell itself raised)."""

    assignment: str
    gid: str
    key: str
    status: str
    killed_by: str = ""
    reason: str = ""
    line: str = ""


def _variants(node: ast.AST) -> Iterator[tuple[str, Callable[[ast.AST], ast.AST]]]:
    """`(description, apply)` for every single-point change of `node`; `apply` returns the replacement node."""
    if isinstance(node, (ast.BinOp, ast.AugAssign)) and type(node.op) in _BINARY:
        new = _BINARY[type(node.op)]
        yield f"`{_SYMBOL[type(node.op)]}` → `{_SYMBOL[new]}`", lambda n: _with(n, op=new())
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        symbol = _SYMBOL[type(node.op)]
        yield f"`a {symbol} b` → `a`", lambda n: n.left
        if isinstance(node.op, (ast.Add, ast.Mult)):
            yield f"`a {symbol} b` → `b`", lambda n: n.right
    if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _COMPARE:
        for new in _COMPARE[type(node.ops[0])]:
            yield (f"`{_SYMBOL[type(node.ops[0])]}` → `{_SYMBOL[new]}`",
                   lambda n, new=new: _with(n, ops=[new()]))
    elif isinstance(node, ast.BoolOp):
        new = ast.Or if isinstance(node.op, ast.And) else ast.And
        yield f"`{_SYMBOL[type(node.op)]}` → `{_SYMBOL[new]}`", lambda n: _with(n, op=new())
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.Not)):
        yield f"`{'-' if isinstance(node.op, ast.USub) else 'not '}` dropped", lambda n: n.operand
    elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
        yield f"`{node.value}` → `{not node.value}`", lambda n: ast.Constant(not n.value)
    elif isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        new = node.value + 1 if isinstance(node.value, int) else (node.value * 2 if node.value else 1.0)
        yield f"`{node.value!r}` → `{new!r}`", lambda n: ast.Constant(new)
    elif isinstance(node, ast.Attribute) and node.attr == "T" and isinstance(node.ctx, ast.Load):
        yield "`.T` dropped", lambda n: n.value
    elif isinstance(node, ast.Attribute) and node.attr in _NUMPY_SWAPS and isinstance(node.ctx, ast.Load):
        new = _NUMPY_SWAPS[node.attr]
        yield f"`{node.attr}` → `{new}`", lambda n: _with(n, attr=new)
    elif isinstance(node, ast.keyword) and node.arg == "axis" and isinstance(node.value, ast.Constant) \
            and node.value.value in (0, 1, -1):
        new = {0: 1, 1: 0, -1: 0}[node.value.value]
        yield f"`axis={node.value.value}` → `axis={new}`", lambda n: _with(n, value=ast.Constant(new))
    elif isinstance(node, ast.keyword) and node.arg == "keepdims" and isinstance(node.value, ast.Constant):
        yield "`keepdims` flipped", lambda n: _with(n, value=ast.Constant(not n.value.value))


def _with(node: ast.AST, **fields) -> ast.AST:
    """A shallow copy of `node` with `fields` replaced."""
    new = copy.copy(node)
    for name, value in fields.items():
        setattr(new, name, value)
    return new


def _solution_lines(text: str) -> range:
    """The lines (1-based) between `### BEGIN SOLUTION` and `### END SOLUTION`, or every line of the cell."""
    lines = text.splitlines()
    begin = [i for i, line in enumerate(lines, 1) if "BEGIN SOLUTION" in line]
    end = [i for i, line in enumerate(lines, 1) if "END SOLUTION" in line]
    return range(begin[0] + 1, end[0]) if begin and end else range(1, len(lines) + 1)


def _docstrings(tree: ast.AST) -> set[int]:
    """`id()` of every docstring node, which no mutation touches."""
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body \
                and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant):
            ids.add(id(node.body[0].value))
    return ids


def mutations(gid: str, text: str) -> list[Mutation]:
    """Every single-point mutation of the solution part of a cell, as the whole mutated cell's source."""
    tree = ast.parse(text)
    wanted = _solution_lines(text)
    skip = _docstrings(tree)
    result = []
    for index, node in enumerate(ast.walk(tree)):
        line = getattr(node, "lineno", None) or getattr(getattr(node, "value", None), "lineno", None)
        if line not in wanted or id(node) in skip:
            continue
        for what, apply in _variants(node):
            mutated = copy.deepcopy(tree)
            _replace(mutated, index, apply)
            source = ast.unparse(ast.fix_missing_locations(mutated))
            col = getattr(node, "col_offset", getattr(getattr(node, "value", None), "col_offset", 0))
            where = f"{line}:{col}"
            twins = sum(m.where == where and m.what == what for m in result)
            result.append(Mutation(gid, f"{where}#{twins + 1}" if twins else where, what, source,
                                   text.splitlines()[line - 1].strip()))
    return result


def _replace(tree: ast.AST, index: int, apply: Callable[[ast.AST], ast.AST]) -> None:
    """Replace the `index`-th node of `ast.walk(tree)` by `apply(node)` in its parent."""
    target = list(ast.walk(tree))[index]
    for parent in ast.walk(tree):
        for field, value in ast.iter_fields(parent):
            if value is target:
                setattr(parent, field, apply(target))
                return
            if isinstance(value, list) and any(v is target for v in value):
                value[[i for i, v in enumerate(value) if v is target][0]] = apply(target)
                return


def load_equivalent() -> dict[str, dict[str, dict[str, str]]]:
    """`{assignment: {grade_id: {mutation key: reason}}}` from `autograder/mutants/equivalent.py`."""
    if not EQUIVALENT_FILE.exists():
        return {}
    spec = importlib.util.spec_from_file_location("mutants_equivalent", EQUIVALENT_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.EQUIVALENT


# ---- the worker: one assignment, one process, one fork per mutation ----

def _run_cell(shell, text: str) -> bool:
    """Run one cell in the shell; True when it raised."""
    return not shell.run_cell(text, store_history=False, silent=True).success


def _child(shell, cells: list, start: int, mutation: Mutation, write_fd: int) -> None:
    """In a forked child: the mutated cell, then every later cell; write the outcome as JSON and exit."""
    outcome = {"status": "survived", "killed_by": ""}
    if _run_cell(shell, mutation.source):
        outcome = {"status": "stillborn", "killed_by": ""}
    else:
        for cell in cells[start + 1:]:
            meta = nbgrader(cell)
            if _run_cell(shell, cell.source) and meta.get("grade") and not meta.get("solution"):
                outcome = {"status": "killed", "killed_by": meta.get("grade_id", "?")}
                break
    os.write(write_fd, json.dumps(outcome).encode())
    os._exit(0)


def _result(assignment: str, m: Mutation, data: dict | None) -> MutantResult:
    """The `MutantResult` of a child's JSON outcome (`None`: the child died, which a test run counts as lost)."""
    if data is None:
        return MutantResult(assignment, m.gid, m.key, "killed", "crash", line=m.line)
    return MutantResult(assignment, m.gid, m.key, data["status"], data["killed_by"], line=m.line)


def _analyse_here(assignment: str, notebook: Path, jobs: int, timeout: float) -> list[MutantResult]:
    """In a worker process: execute `notebook` once, in a copy of its folder, and fork each mutation."""
    from IPython.core.interactiveshell import InteractiveShell

    cells = [c for c in nbformat.read(notebook, as_version=4).cells if c.cell_type == "code"]
    workdir = Path(tempfile.mkdtemp(prefix=f"automut-{assignment}-"))
    shutil.copytree(notebook.parent, workdir, dirs_exist_ok=True)
    os.chdir(workdir)
    shell = InteractiveShell.instance()
    results: list[MutantResult] = []
    try:
        for index, cell in enumerate(cells):
            meta = nbgrader(cell)
            if meta.get("solution") and meta.get("grade_id"):
                pending = mutations(meta["grade_id"], cell.source)
                while pending:
                    children = {}
                    for m in pending[:jobs]:
                        read_fd, write_fd = os.pipe()
                        pid = os.fork()
                        if pid == 0:
                            os.close(read_fd)
                            _child(shell, cells, index, m, write_fd)
                        os.close(write_fd)
                        children[pid] = (read_fd, m)
                    pending = pending[jobs:]
                    _wait(children, results, assignment, timeout)
            _run_cell(shell, cell.source)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return results


def _wait(children: dict[int, tuple[int, Mutation]], results: list, assignment: str, timeout: float) -> None:
    """Read every child's outcome (pid → (pipe, mutation)); after `timeout` seconds the rest are killed and count
    as killed by the time limit (a cell timeout loses points under grading too)."""
    deadline = time.monotonic() + timeout
    data = {fd: b"" for fd, _ in children.values()}
    owner = {fd: (pid, m) for pid, (fd, m) in children.items()}
    while owner:
        ready, _, _ = select.select(list(owner), [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            for fd, (pid, m) in owner.items():
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                os.close(fd)
                results.append(MutantResult(assignment, m.gid, m.key, "killed", "time limit", line=m.line))
            return
        for fd in ready:
            chunk = os.read(fd, 65536)
            if chunk:
                data[fd] += chunk
                continue
            pid, m = owner.pop(fd)
            os.waitpid(pid, 0)
            os.close(fd)
            results.append(_result(assignment, m, json.loads(data[fd]) if data[fd] else None))


def _worker_main(assignment: str, notebook: str, jobs: int, timeout: float, output: str) -> None:
    """Entry point of a worker process: analyse one notebook, write the results as JSON to `output`."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    results = _analyse_here(assignment, Path(notebook), jobs, timeout)
    Path(output).write_text(json.dumps([asdict(r) for r in results]))


# ---- the driver ----

def analyse_notebook(notebook: Path, assignment: str, jobs: int | None = None, timeout: float = 60.0
                     ) -> list[MutantResult]:
    """Mutation analysis of one instructor notebook (solution and test cells with nbgrader metadata), in a
    worker process with `NBGRADER_EXECUTION` set and one BLAS thread per child, `jobs` children at a time;
    a child still running after `timeout` seconds is killed and its mutation counts as killed."""
    env = os.environ | {"NBGRADER_EXECUTION": "autograde", "MPLBACKEND": "Agg", "OPENBLAS_NUM_THREADS": "1",
                        "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
                        "PYTHONPATH": os.pathsep.join(filter(None, [str(Path(__file__).parent.parent),
                                                                    os.environ.get("PYTHONPATH")]))}
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run([sys.executable, "-c", "import sys; from autograder.automut import _worker_main; "
                        "_worker_main(sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), sys.argv[5])",
                        assignment, str(notebook), str(jobs or os.cpu_count() or 1), str(timeout), out.name], env=env, check=True)
        return [MutantResult(**r) for r in json.loads(Path(out.name).read_text())]


def analyse(assignments: list[str] | None = None, jobs: int | None = None, progress: TextIO | None = sys.stderr
            ) -> list[MutantResult]:
    """Mutation analysis of the given assignments (default: every NumPy one), `jobs` children at a time;
    survivors listed in the equivalence file become `equivalent`."""
    names = assignments or [a for a in assignment_names() if a not in TENSORFLOW_ASSIGNMENTS]
    refused = [a for a in names if a in TENSORFLOW_ASSIGNMENTS]
    if refused:
        raise ValueError(f"automatic mutation analysis cannot fork TensorFlow: {', '.join(refused)}")
    equivalent = load_equivalent()
    results: list[MutantResult] = []
    for assignment in names:
        start = time.monotonic()
        found = analyse_notebook(notebook_path(assignment, "source"), assignment, jobs)
        reviewed = equivalent.get(assignment, {})
        for r in found:
            reason = reviewed.get(r.gid, {}).get(r.key)
            if r.status == "survived" and reason:
                r.status, r.reason = "equivalent", reason
        results += found
        if progress:
            print(f"{assignment}: {len(found)} mutations in {time.monotonic() - start:.0f} s", file=progress)
    return results


def summary(results: list[MutantResult]) -> list[str]:
    """A table per function (killed / equivalent / survived / total) and one line per survivor."""
    lines = [f"{'assignment':<20}{'function':<28}{'killed':>8}{'equiv.':>8}{'survived':>10}{'total':>7}"]
    groups: dict[tuple[str, str], list[MutantResult]] = {}
    for r in results:
        if r.status != "stillborn":
            groups.setdefault((r.assignment, r.gid), []).append(r)
    for (assignment, gid), rows in groups.items():
        count = {s: sum(r.status == s for r in rows) for s in ("killed", "equivalent", "survived")}
        lines.append(f"{assignment:<20}{gid:<28}{count['killed']:>8}{count['equivalent']:>8}"
                     f"{count['survived']:>10}{len(rows):>7}")
    counted = [r for r in results if r.status != "stillborn"]
    killed = sum(r.status == "killed" for r in counted)
    equivalent = sum(r.status == "equivalent" for r in counted)
    lines.append(f"{'total':<48}{killed:>8}{equivalent:>8}{len(counted) - killed - equivalent:>10}"
                 f"{len(counted):>7}")
    lines += [f"SURVIVED {r.assignment} {r.gid}: {r.key}    in: {r.line}" for r in results if r.status == "survived"]
    return lines
