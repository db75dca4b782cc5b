"""Automatic mutation analysis (`python -m autograder check --auto-mutants`): the mutation operators, a toy
notebook whose weak test lets a mutation survive, and a real assignment where every mutation is killed."""

import nbformat
import pytest

from autograder import automut
from autograder.automut import MutantResult, analyse_notebook, mutations, summary


SOLUTION = '''def f(x, w):
    """Docstring: 1 + 2 is never mutated."""
    ### BEGIN SOLUTION
    return np.sum(x * w, axis=0) + 1.5 if x[0] > 0 else -x.T[0]
    ### END SOLUTION
'''


def test_mutations_are_single_point_changes_of_the_solution_region():
    found = {m.what for m in mutations("f", SOLUTION)}
    assert {"`*` → `/`", "`a * b` → `a`", "`+` → `-`", "`a + b` → `b`", "`sum` → `mean`", "`axis=0` → `axis=1`",
            "`1.5` → `3.0`", "`>` → `>=`", "`>` → `<`", "`-` dropped", "`.T` dropped"} <= found
    for m in mutations("f", SOLUTION):
        assert m.source != SOLUTION and "1 + 2 is never mutated" in m.source
        compile(m.source, m.key, "exec")
    assert len({m.key for m in mutations("f", SOLUTION)}) == len(mutations("f", SOLUTION))


def _notebook(path, test: str):
    nb = nbformat.v4.new_notebook()
    meta = lambda gid, **flags: {"nbgrader": {"grade_id": gid, "schema_version": 3, "locked": False,
                                              "solution": False, "grade": False, **flags}}
    nb.cells = [nbformat.v4.new_code_cell("import numpy as np"),
                nbformat.v4.new_code_cell("def add_one(x):\n    ### BEGIN SOLUTION\n    return x + 1\n"
                                          "    ### END SOLUTION\n", metadata=meta("add_one", solution=True)),
                nbformat.v4.new_code_cell(test, metadata=meta("test_add_one", grade=True, points=1))]
    nbformat.write(nb, path)
    return path


@pytest.mark.slow
def test_a_weak_test_leaves_survivors_and_a_strong_one_kills_all(tmp_path):
    weak = analyse_notebook(_notebook(tmp_path / "weak.ipynb", "assert add_one(0) == 1"), "toy", jobs=2)
    assert {(r.key.split(" ", 1)[1], r.status) for r in weak} == {
        ("`+` → `-`", "killed"), ("`a + b` → `a`", "killed"), ("`a + b` → `b`", "survived"),
        ("`1` → `2`", "killed")}
    assert all(r.killed_by == "test_add_one" for r in weak if r.status == "killed")
    assert any(line.startswith("SURVIVED toy add_one") for line in summary(weak))
    strong = analyse_notebook(_notebook(tmp_path / "strong.ipynb", "assert add_one(2) == 3"), "toy", jobs=2)
    assert [r.status for r in strong] == ["killed"] * 4


@pytest.mark.slow
def test_an_endless_mutation_counts_as_killed_by_the_time_limit(tmp_path):
    path = _notebook(tmp_path / "loop.ipynb", "assert add_one(7) == 6")
    notebook = nbformat.read(path, as_version=4)
    notebook.cells[1].source = ("def add_one(x):\n    ### BEGIN SOLUTION\n    while x > 5:\n        x = x - 1\n"
                                "    return x + 1\n    ### END SOLUTION\n")
    nbformat.write(notebook, path)
    results = {r.key.split(" ", 1)[1]: r for r in analyse_notebook(path, "toy", jobs=2, timeout=3)}
    assert results["`-` → `+`"].status == "killed" and results["`-` → `+`"].killed_by == "time limit"
    assert results["`5` → `6`"].status == "killed" and results["`5` → `6`"].killed_by == "test_add_one"


def test_every_mutation_of_the_welcome_assignment_is_killed():
    results = automut.analyse(["00_bienvenida"], jobs=2, progress=None)
    assert results and all(r.status == "killed" for r in results), summary(results)


def test_reviewed_equivalents_name_real_solution_cells():
    import autograder.assignments as a

    for assignment, functions in automut.load_equivalent().items():
        cells = a.solution_cells(nbformat.read(a.notebook_path(assignment), as_version=4))
        for gid, reviewed in functions.items():
            keys = {m.key for m in mutations(gid, cells[gid].source)}
            assert set(reviewed) <= keys, f"{assignment}/{gid}: stale keys {set(reviewed) - keys}"
            assert all(reason.strip() for reason in reviewed.values())


def test_tensorflow_assignments_are_refused():
    with pytest.raises(ValueError, match="TensorFlow"):
        automut.analyse(["07_keras"], progress=None)
