"""Generate the student versions into `release/` and prove they leak no solution or hidden test."""

import re
import shutil
import tempfile
from pathlib import Path

import nbformat

from autograder import COURSE_ROOT
from autograder.assignments import assignment_names, notebooks, read_merged
from autograder.nbgrader_setup import prepare_course

REGION = re.compile(r"### BEGIN (SOLUTION|HIDDEN TESTS)\n(.*?)### END \1", re.S)
MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")


def generate(assignments: list[str] | None = None, root: Path = COURSE_ROOT, source_root: Path = COURSE_ROOT) -> None:
    """Generate each assignment of `source_root` in a throwaway private course and copy the result to
    `<root>/release/` (so parallel runs never share a gradebook)."""
    for assignment in assignments or assignment_names(source_root):
        with tempfile.TemporaryDirectory(prefix=f"release-{assignment}-") as tmp:
            prepare_course(assignment, tmp, source_root)
            target = Path(root) / "release" / assignment
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(Path(tmp) / "release" / assignment, target)


def secret_lines(source_nb: nbformat.NotebookNode) -> set[str]:
    """Lines inside solution and hidden-test regions that appear nowhere else in the source notebook."""
    secret, public = set(), set()
    for cell in source_nb.cells:
        text = cell.source if cell.source.endswith("\n") else cell.source + "\n"
        inside = {line.strip() for match in REGION.finditer(text) for line in match.group(2).splitlines()}
        outside = {line.strip() for line in REGION.sub("", text).splitlines()}
        secret |= inside
        public |= outside
    return {line for line in secret - public if len(line) >= 8 and not line.startswith("#")}


def leaks(assignment: str, release_root: Path = COURSE_ROOT, source_root: Path = COURSE_ROOT) -> list[str]:
    """Problems in the release notebooks of `assignment`: region markers or secret lines left in them."""
    secrets = secret_lines(read_merged(notebooks(assignment, "source", source_root)))
    released = notebooks(assignment, "release", release_root)
    problems = []
    for path in released:
        where = assignment if len(released) == 1 else f"{assignment}/{path.name}"
        for i, cell in enumerate(nbformat.read(path, as_version=4).cells):
            problems += [f"{where} cell {i}: marker '{m}'" for m in MARKERS if m in cell.source]
            problems += [f"{where} cell {i}: secret line {line!r}"
                         for line in secrets if line in {x.strip() for x in cell.source.splitlines()}]
    return problems


def comparable(path: Path) -> list[tuple[str, str, dict | None]]:
    """A release notebook reduced to what matters for drift: cell types, sources and nbgrader metadata."""
    nb = nbformat.read(path, as_version=4)
    return [(c.cell_type, c.source, c.metadata.get("nbgrader")) for c in nb.cells]


def drift(assignments: list[str] | None = None) -> list[str]:
    """Assignments whose committed release differs from what nbgrader generates from source now."""
    assignments = assignments or assignment_names()

    def released(assignment, root):
        return [(p.name, comparable(p)) for p in notebooks(assignment, "release", root)]

    with tempfile.TemporaryDirectory(prefix="release-check-") as tmp:
        generate(assignments, tmp)
        return [a for a in assignments if not released(a, COURSE_ROOT) or released(a, tmp) != released(a, COURSE_ROOT)]
