"""The course's assignments: names, notebook paths in `source/` and `release/`, and their nbgrader cells."""

from pathlib import Path

from nbformat import NotebookNode

from autograder import COURSE_ROOT


def assignment_names(root: Path = COURSE_ROOT) -> list[str]:
    """Assignment folders in `source/`, in course order (`00_bienvenida`, `01_perceptron`, ...)."""
    return sorted(p.name for p in (Path(root) / "source").iterdir() if p.is_dir() and p.name[:2].isdigit())


def notebook_path(assignment: str, folder: str = "source", root: Path = COURSE_ROOT) -> Path:
    """The notebook of `assignment` in `folder` (`source`, `release`): `<folder>/<a>/<a>.ipynb`."""
    return Path(root) / folder / assignment / f"{assignment}.ipynb"


def nbgrader(cell: NotebookNode) -> dict:
    """The nbgrader metadata of a cell (`grade_id`, `solution`, `grade`, `locked`, `points`, ...), or `{}`."""
    return cell.metadata.get("nbgrader", {})


def grade_cells(notebook: NotebookNode, only: str | None = None) -> dict[str, NotebookNode]:
    """`{grade_id: cell}` of every cell with nbgrader metadata; with `only` (`solution`, `grade`, `locked`), of
    the cells where that flag is set."""
    return {nbgrader(c)["grade_id"]: c for c in notebook.cells
            if nbgrader(c).get("grade_id") and (only is None or nbgrader(c).get(only))}


def solution_cells(notebook: NotebookNode) -> dict[str, NotebookNode]:
    """`{grade_id: cell}` of the solution cells of a notebook."""
    return grade_cells(notebook, "solution")
