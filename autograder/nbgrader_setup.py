"""nbgrader's Python API configured from the course's `nbgrader_config.py`, for any course root."""

import logging
import os
import sys
from pathlib import Path

from nbgrader.api import Gradebook
from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from traitlets.config.loader import PyFileConfigLoader

from autograder import COURSE_ROOT

# nbgrader runs `alembic` and kernels start `python`: both must come from this environment.
_BIN = os.path.dirname(sys.executable)
if _BIN not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _BIN + os.pathsep + os.environ.get("PATH", "")


def load_config(root=COURSE_ROOT, **overrides):
    """The course config with `CourseDirectory.root = root`; `overrides` are `"Class.trait": value`."""
    config = PyFileConfigLoader("nbgrader_config.py", path=str(COURSE_ROOT)).load_config()
    config.CourseDirectory.root = str(Path(root).resolve())
    for dotted, value in overrides.items():
        section, trait = dotted.split(".")
        setattr(config[section], trait, value)
    return config


def api(root=COURSE_ROOT, **overrides):
    """An `NbGraderAPI` on `root`, quiet unless something goes wrong."""
    config = load_config(root, **overrides)
    config.NbGraderAPI.log_level = logging.WARNING
    coursedir = CourseDirectory(config=config)
    return NbGraderAPI(coursedir=coursedir, config=config)


def gradebook(root=COURSE_ROOT):
    """The gradebook of the course at `root` (use as a context manager)."""
    config = load_config(root)
    return Gradebook(f"sqlite:///{Path(root).resolve() / 'gradebook.db'}", course_id=config.CourseDirectory.course_id)


def run(result, what):
    """Raise with nbgrader's own log when an API call did not succeed."""
    if not result.get("success"):
        raise RuntimeError(f"nbgrader {what} failed:\n{result.get('error') or ''}\n{result.get('log') or ''}")
    return result
