"""The course's assignments: names and notebook paths in `source/` and `release/`."""

from pathlib import Path

from autograder import COURSE_ROOT


def assignment_names(root=COURSE_ROOT):
    """Assignment folders in `source/`, in course order (`00_bienvenida`, `01_perceptron`, ...)."""
    return sorted(p.name for p in (Path(root) / "source").iterdir() if p.is_dir() and p.name[:2].isdigit())


def notebook_path(assignment, folder="source", root=COURSE_ROOT):
    """The notebook of `assignment` in `folder` (`source`, `release`): `<folder>/<a>/<a>.ipynb`."""
    return Path(root) / folder / assignment / f"{assignment}.ipynb"
