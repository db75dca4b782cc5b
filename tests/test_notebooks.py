"""Every assignment: source full marks, release 0, release in sync with source, mutants caught."""

import json
import re

import pytest

from autograder import release
from autograder.assignments import assignment_names, notebook_path
from autograder.check import check_many

ASSIGNMENTS = assignment_names()
#: Their wrong versions take ~25 s each to grade: graded by `make test-full` (and every version by CI's
#: `check --mutants`), not by `make test`.
TENSORFLOW = [a for a in ASSIGNMENTS if a.startswith("07")]


def test_course_has_assignments():
    assert "00_bienvenida" in ASSIGNMENTS


@pytest.fixture(scope="module")
def checked():
    """Every assignment's source, release, first alternatives and (NumPy assignments) first wrong versions,
    graded in one parallel batch (the full set runs in `python -m autograder check --mutants`)."""
    numpy_only = set(ASSIGNMENTS) - set(TENSORFLOW)
    return check_many(ASSIGNMENTS, with_mutants=True, first_only=True, wrong_in=numpy_only)


def _failures(outcomes, assignment, kinds_expected):
    outcomes = [o for o in outcomes if o.assignment == assignment]
    kinds = {o.kind for o in outcomes}
    assert {"source", "release"} <= kinds
    if assignment != "00_bienvenida" or "wrong" in kinds:
        assert kinds_expected <= kinds, f"{assignment} has no mutants file"
    return [f"{o.kind} {o.name}: {o.score:g}/{o.max_score:g} {o.status}" for o in outcomes if not o.ok]


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_grades_through_nbgrader(assignment, checked):
    """Source full marks, release 0, the first alternative keeps full marks and (NumPy assignments) the first
    wrong version of each function loses points in a test cell."""
    expected = {"alternative"} if assignment in TENSORFLOW else {"wrong", "alternative"}
    failures = _failures(checked, assignment, expected)
    assert not failures, failures


@pytest.mark.full
@pytest.mark.parametrize("assignment", TENSORFLOW)
def test_tensorflow_wrong_versions_lose_points(assignment):
    outcomes = check_many([assignment], with_mutants=True, first_only=True)
    failures = _failures(outcomes, assignment, {"wrong", "alternative"})
    assert not failures, failures


@pytest.mark.slow
def test_release_is_generated_from_source_now():
    assert release.drift(ASSIGNMENTS) == []


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_leaks_no_solution_or_hidden_test(assignment):
    assert release.leaks(assignment) == []


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_graded_function_has_wrong_and_alternative_versions(assignment):
    from autograder import mutants
    from autograder.mutants import solution_cells
    import nbformat

    wrong, alternative = mutants.load(assignment)
    for gid, cell in solution_cells(nbformat.read(notebook_path(assignment), as_version=4)).items():
        if cell.cell_type != "code":  # a written answer, graded by hand
            continue
        assert len(wrong.get(gid, {})) >= 3, f"{assignment}/{gid}: fewer than 3 wrong versions"
        assert len(alternative.get(gid, {})) >= 1, f"{assignment}/{gid}: no alternative version"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_source_notebook_is_committed_without_outputs(assignment):
    cells = json.loads(notebook_path(assignment).read_text(encoding="utf-8"))["cells"]
    dirty = [i for i, c in enumerate(cells) if c["cell_type"] == "code" and (c["outputs"] or c["execution_count"])]
    assert dirty == [], f"cells with outputs: {dirty}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_only_notebook_07_imports_tensorflow(assignment):
    text = notebook_path(assignment).read_text(encoding="utf-8")
    uses_tf = re.search(r"\b(import|from)\s+(tensorflow|keras)\b", text) is not None
    assert uses_tf == assignment.startswith("07"), f"{assignment}: TensorFlow import = {uses_tf}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_tests_use_spanish_checks_not_bare_asserts(assignment):
    import nbformat

    nb = nbformat.read(notebook_path(assignment), as_version=4)
    graded = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code"]
    assert graded, f"{assignment} has no graded test cell"
    for cell in graded:
        assert not re.search(r"^\s*assert\b", cell.source, re.M), f"bare assert in {cell.metadata['nbgrader']['grade_id']}"
        assert "checks." in cell.source, f"{cell.metadata['nbgrader']['grade_id']} does not use course.checks"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_hidden_test_cells_never_claim_success(assignment):
    """In the student version a hidden-test cell has lost its checks: it must not print «¡Bien!» anyway."""
    import nbformat

    source = nbformat.read(notebook_path(assignment), as_version=4)
    release_nb = nbformat.read(notebook_path(assignment, "release"), as_version=4)
    hidden = {c.metadata["nbgrader"]["grade_id"] for c in source.cells if "BEGIN HIDDEN TESTS" in c.source}
    for cell in release_nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") in hidden:
            code = [line.strip() for line in cell.source.splitlines() if line.strip() and not line.strip().startswith("#")]
            assert code != ["checks.passed()"], f"{cell.metadata['nbgrader']['grade_id']} prints success with no check"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_written_answers_keep_model_answer_and_rubric_out_of_the_release(assignment):
    """A markdown answer graded by hand: in the source, a model answer and the instructor's rubric between the
    solution markers and nothing outside them; in the release, only nbgrader's stub."""
    import nbformat
    from autograder.assignments import solution_cells

    stub = "ESCRIBE AQUÍ TU RESPUESTA"
    source = solution_cells(nbformat.read(notebook_path(assignment), as_version=4))
    release_cells = solution_cells(nbformat.read(notebook_path(assignment, "release"), as_version=4))
    for gid, cell in source.items():
        if cell.cell_type != "markdown":
            continue
        lines = cell.source.strip().splitlines()
        assert lines[0] == "### BEGIN SOLUTION" and lines[-1] == "### END SOLUTION", f"{gid}: not one solution region"
        assert "Respuesta modelo" in cell.source and "Pauta de corrección" in cell.source, f"{gid}: no model answer or rubric"
        assert cell.metadata["nbgrader"]["grade"] and cell.metadata["nbgrader"]["points"] > 0, f"{gid}: not graded"
        assert release_cells[gid].source == stub, f"{gid}: the release shows more than the stub"
