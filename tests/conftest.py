"""Shared pytest setup: quiet TensorFlow, a non-interactive Matplotlib backend, the venv's tools on PATH, and the
checkout's `autograder` (never installed) importable by subprocesses that run elsewhere (`python -m autograder`),
`edit` for the tests that change one nbgrader cell of a notebook (`from conftest import edit`), `stub` (a student
function not written yet) and every test's Matplotlib figures closed after it."""

import copy
import os
import sys

import pytest

from autograder.assignments import grade_cells

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("MPLBACKEND", "Agg")
_bin = os.path.dirname(sys.executable)
if _bin not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _bin + os.pathsep + os.environ.get("PATH", "")
_root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if _root not in os.environ.get("PYTHONPATH", "").split(os.pathsep):
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (_root, os.environ.get("PYTHONPATH")) if p)


def edit(notebook, grade_id, change):
    """A copy of `notebook` after `change(notebook, cell)` on its cell `grade_id`."""
    notebook = copy.deepcopy(notebook)
    change(notebook, grade_cells(notebook)[grade_id])
    return notebook


def stub(*args, **kwargs):
    """A student's function not written yet (nbgrader's stub)."""
    raise NotImplementedError()


def pytest_collection_modifyitems(items):
    """Browser and hub tests are `full` tests too: `make test` leaves them to `make test-full`."""
    for item in items:
        if item.get_closest_marker("browser") or item.get_closest_marker("hub"):
            item.add_marker(pytest.mark.full)


@pytest.fixture(autouse=True)
def close_figures():
    """Close the figures a test opened (Matplotlib keeps them otherwise)."""
    yield
    import matplotlib.pyplot as plt

    plt.close("all")
