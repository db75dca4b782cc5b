"""Assignments: names, their notebooks in `source/`, `release/` or a submission folder, and their nbgrader cells.

An assignment is any nbgrader assignment: one or more notebooks in `<folder>/<assignment>/`, with extra files
(data, images) next to them. The course's own assignments have one notebook named after the folder. Code that
handles an assignment as a whole works on its notebooks `merge`d into one (grade ids are unique within an
assignment, see `nbgrader_setup.max_scores`) and `split`s it again to store one file per notebook.
"""

from pathlib import Path

import nbformat
from nbformat import NotebookNode

from autograder import COURSE_ROOT


def assignment_names(root: Path = COURSE_ROOT) -> list[str]:
    """Assignment folders in `source/`, in course order (`00_bienvenida`, `01_perceptron`, ...)."""
    return sorted(p.name for p in (Path(root) / "source").iterdir() if p.is_dir() and p.name[:2].isdigit())


def notebook_path(assignment: str, folder: str = "source", root: Path = COURSE_ROOT) -> Path:
    """The notebook of one of the course's own (one-notebook) assignments in `folder` (`source`, `release`):
    `<folder>/<a>/<a>.ipynb`. Any assignment: `notebooks`."""
    return Path(root) / folder / assignment / f"{assignment}.ipynb"


def notebooks(assignment: str, folder: str = "source", root: Path = COURSE_ROOT) -> list[Path]:
    """The notebooks of `assignment` in `<root>/<folder>/<assignment>/` (`folder`: `source`, `release`,
    `submitted/<student>`, ...), sorted by name: the notebooks nbgrader grades (not those in subfolders)."""
    return sorted(p for p in (Path(root) / folder / assignment).glob("*.ipynb") if p.is_file())


def merge(parts: dict[str, NotebookNode]) -> NotebookNode:
    """`{notebook file name: notebook}` as one notebook: the cells in that order, the first one's metadata, and
    the parts in `metadata.autograder.parts` (`[[name, number of cells], ...]`, for `split`)."""
    first = next(iter(parts.values()), None)
    merged = nbformat.v4.new_notebook(metadata=dict(first.metadata) if first is not None else {})
    merged.metadata["autograder"] = {"parts": [[name, len(nb.cells)] for name, nb in parts.items()]}
    merged.cells = [cell for nb in parts.values() for cell in nb.cells]
    return merged


def read_merged(paths: list[Path]) -> NotebookNode:
    """The notebooks at `paths` `merge`d, in that order (unreadable ones raise, as `nbformat.read`)."""
    return merge({Path(p).name: nbformat.read(p, as_version=4) for p in paths})


def parts(notebook: NotebookNode) -> list[str]:
    """The file names of the notebooks `merge`d into `notebook` (`[]` for a notebook not merged)."""
    return [name for name, _ in notebook.get("metadata", {}).get("autograder", {}).get("parts", [])]


def split(notebook: NotebookNode) -> dict[str, NotebookNode]:
    """`{file name: notebook}` of a `merge`d notebook, each with the merged metadata (minus the parts)."""
    metadata = {k: v for k, v in notebook.metadata.items() if k != "autograder"}
    found, start = {}, 0
    for name, count in notebook.metadata["autograder"]["parts"]:
        found[name] = nbformat.v4.new_notebook(metadata=dict(metadata), cells=notebook.cells[start:start + count])
        start += count
    return found


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
