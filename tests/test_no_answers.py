"""The student package ships no answers (issue 19): no graded function can be had from `course/`.

Graded functions are the `def`s of the nbgrader solution cells of `source/*/*.ipynb`.

1. Behaviour: each source notebook runs as under grading (without its hidden tests), with every graded
   function wrapped so that each call made by a visible test cell also calls, with copies of the same
   arguments, every public function of every `course` module whose signature accepts them; one that
   returns the reference result in every such call reproduces the graded function, and the test fails
   naming the pair.
2. Delegation: the release notebook with each solution cell replaced by an import of a `course`
   function of a matching name, graded through the real pipeline, scores 0 like the release notebook.
"""

import ast
import contextlib
import copy
import functools
import importlib
import inspect
import io
import os
import pkgutil
import sys
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from IPython.display import display  # noqa: E402

import course  # noqa: E402
from autograder.assignments import assignment_names, notebook_path  # noqa: E402
from autograder.mutants import solution_cells  # noqa: E402

ASSIGNMENTS = assignment_names()

# Public functions of `course` that are not called with graded functions' arguments: they read or write
# the data set or Keras's cache (slow, and unrelated to any graded function) or train Keras models.
NOT_CALLED = {
    "course.data.find_fashion_mnist",
    "course.data.read_idx",
    "course.data.seed_keras_cache",
    "course.data.load_fashion_mnist",
    "course.data.fashion_mnist_subset",
    "course.fashion.live_plot_callback",
    "course.fashion.train_small_model",
}

# Names a student could reasonably try for a graded function besides the name-based matches (the pairs
# found by hand in issue 19).
SYNONYMS = {
    "heaviside": ("step",),
    "perceptron_update": ("rule_step",),
    "xor_network": ("forward",),
    "graph_forward": ("forward_values",),
    "graph_backward": ("backward_grads",),
}


def graded_functions(notebook):
    """`{grade_id: function name}` of the solution cells that define one function."""
    names = {}
    for gid, cell in solution_cells(notebook).items():
        if cell.cell_type != "code":  # a written answer, graded by hand
            continue
        defs = [node.name for node in ast.parse(cell.source).body if isinstance(node, ast.FunctionDef)]
        if defs:
            names[gid] = defs[0]
    return names


def course_functions():
    """`{"course.module.name": function}`: the public functions defined in each module of `course`."""
    found = {}
    for info in pkgutil.iter_modules(course.__path__):
        module = importlib.import_module(f"course.{info.name}")
        for name, obj in vars(module).items():
            if not name.startswith("_") and inspect.isfunction(obj) and obj.__module__ == module.__name__:
                found[f"{module.__name__}.{name}"] = obj
    return found


# --- 1. Behaviour ----------------------------------------------------------------------------------


def describe(value):
    """A comparable copy of a result: arrays for numbers, tuples for sequences, a summary for Keras models."""
    if hasattr(value, "count_params") and hasattr(value, "layers"):
        optimizer = getattr(value, "optimizer", None)
        rate = getattr(optimizer, "learning_rate", None)
        return ("keras model", tuple((type(layer).__name__, getattr(layer, "units", None),
                                      getattr(getattr(layer, "activation", None), "__name__", None))
                                     for layer in value.layers),
                type(optimizer).__name__, None if rate is None else float(np.asarray(rate)), str(value.loss))
    if isinstance(value, (list, tuple)) or inspect.isgenerator(value):
        return tuple(describe(v) for v in value)
    if isinstance(value, dict):
        return {k: describe(v) for k, v in value.items()}
    if isinstance(value, (np.ndarray, np.generic, int, float, bool)):
        return np.array(value)
    if isinstance(value, str):
        return value
    return ("opaque", object())  # matches nothing (None included: any function returns None)


def same(a, b):
    """True when two `describe`d values are equal (floats within rounding)."""
    if isinstance(a, np.ndarray) and isinstance(b, np.ndarray):
        if a.shape != b.shape:
            return False
        if a.dtype.kind in "biu" and b.dtype.kind in "biu":
            return bool(np.array_equal(a, b))
        try:
            return bool(np.allclose(a.astype(float), b.astype(float), rtol=1e-6, atol=1e-9, equal_nan=True))
        except (TypeError, ValueError):
            return False
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return type(a) is type(b) and not isinstance(a, np.ndarray) and a == b


def fresh(args):
    """A deep copy of call arguments, or the originals where they cannot be copied (Keras models)."""
    try:
        return copy.deepcopy(args)
    except Exception:  # noqa: BLE001
        return args


def call_quietly(function, args, kwargs):
    """`describe(function(*args, **kwargs))` on fresh copies of the arguments; None if it raises."""
    args, kwargs = fresh((args, kwargs))
    try:
        with np.errstate(all="ignore"):
            return describe(function(*args, **kwargs))
    except Exception:  # noqa: BLE001
        return None
    finally:
        plt.close("all")


def argument_lists(function, args, kwargs):
    """The ways to pass a call to `function` that its signature accepts: as made, and all positionally."""
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return []
    ways = [(args, kwargs)] + ([(args + tuple(kwargs.values()), {})] if kwargs else [])
    accepted = []
    for a, k in ways:
        try:
            signature.bind(*a, **k)
        except TypeError:
            continue
        accepted.append((a, k))
    return accepted


def comparing(function, candidates, matches, active):
    """`function`, which on each call made while `active["now"]` also calls every candidate (and
    `function` itself, as "itself") that accepts the arguments, and appends to `matches[where]` whether
    it gave the same result."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        if not active["now"]:
            return function(*args, **kwargs)
        before = fresh((args, kwargs))
        result = function(*args, **kwargs)
        if inspect.isgenerator(result):  # compare the items; the test cell gets the same items back
            items = list(result)
            expected, result = describe(items), iter(items)
        else:
            expected = describe(result)
        active["now"] = False  # calls made by the reference itself are not compared again
        try:
            for where, candidate in {"itself": function, **candidates}.items():
                matches.setdefault(where, []).append(any(same(call_quietly(candidate, a, k), expected)
                                                         for a, k in argument_lists(candidate, *before)))
        finally:
            active["now"] = True
        return result

    return wrapper


@contextlib.contextmanager
def grading_mode():
    """`course.GRADING` as under nbgrader (demos off, training shortened), quiet, figures closed."""
    saved = course.GRADING
    course.GRADING = True
    try:
        with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        course.GRADING = saved
        plt.close("all")


@contextlib.contextmanager
def assignment_folder(folder):
    """Run as the notebook does: from its folder, able to import the files that ship with the assignment."""
    shipped = {path.stem for path in folder.glob("*.py")}
    saved = os.getcwd()
    os.chdir(folder)
    sys.path.insert(0, str(folder))
    try:
        yield
    finally:
        sys.path.remove(str(folder))
        os.chdir(saved)
        for name in shipped:
            sys.modules.pop(name, None)


def run_visible_tests(assignment, candidates):
    """`{graded function: {where: reproduced}}`. Runs the source notebook as under grading, without its
    hidden tests, each graded function wrapped by `comparing` (active in the visible test cells only);
    `reproduced` is True when the candidate gave the reference result in every compared call."""
    notebook = nbformat.read(notebook_path(assignment), as_version=4)
    names = graded_functions(notebook)
    namespace = {"__name__": "__main__", "display": display}  # `display` is a builtin in a notebook
    matches = {name: {} for name in names.values()}
    active = {"now": False}
    with grading_mode(), assignment_folder(notebook_path(assignment).parent):
        for cell in notebook.cells:
            meta = cell.metadata.get("nbgrader", {})
            if cell.cell_type != "code" or "BEGIN HIDDEN TESTS" in cell.source:
                continue
            active["now"] = bool(meta.get("grade"))
            exec(cell.source, namespace)  # noqa: S102
            active["now"] = False
            if meta.get("solution") and meta["grade_id"] in names:
                name = names[meta["grade_id"]]
                namespace[name] = comparing(namespace[name], candidates, matches[name], active)
            plt.close("all")
    return {name: {where: all(found) for where, found in by_candidate.items()}
            for name, by_candidate in matches.items()}


def candidates_in_course():
    """The course functions the behaviour test calls (all public ones but `NOT_CALLED`)."""
    return {where: f for where, f in course_functions().items() if where not in NOT_CALLED}


def never(*args, **kwargs):
    """A candidate that reproduces nothing (the behaviour test's own check)."""
    return "no"


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_no_course_function_reproduces_a_graded_function(assignment):
    reproduced = run_visible_tests(assignment, {**candidates_in_course(), "never": never})
    # The check can fail: each graded function is called by its visible tests and reproduces itself.
    unchecked = [name for name, found in reproduced.items() if not found.get("itself") or found["never"]]
    assert unchecked == [], f"{assignment}: graded functions whose visible tests cannot be replayed: {unchecked}"
    pairs = [(name, where) for name, found in reproduced.items() for where, ok in found.items()
             if ok and where not in ("itself", "never")]
    assert pairs == [], f"{assignment}: course functions that give a graded function's answers: {pairs}"


# --- 2. Delegation -----------------------------------------------------------------------------------


def delegation_candidates(name, functions):
    """Course functions a student could import as graded `name`: the same name, a name that `name` ends or
    starts with or that ends or starts with `name` (whole words: `predict` for `perceptron_predict`,
    `minibatches` for `iterate_minibatches`), or one of its `SYNONYMS`."""
    found = []
    for where in functions:
        attr = where.rsplit(".", 1)[1]
        if (attr == name or attr in SYNONYMS.get(name, ()) or name.endswith("_" + attr)
                or name.startswith(attr + "_") or attr.endswith("_" + name) or attr.startswith(name + "_")):
            found.append(where)
    return found


def delegation_notebooks(assignment):
    """`{student: notebook}`: the release notebook with each solution cell replaced by the import of a
    candidate (`from course.m import f as name`); the i-th notebook takes each function's i-th candidate
    (its last one when it has fewer), so every candidate is imported in some notebook. Solution cells of
    functions without a candidate keep the release stub."""
    names = graded_functions(nbformat.read(notebook_path(assignment), as_version=4))
    options = {gid: delegation_candidates(name, course_functions()) for gid, name in names.items()}
    notebooks = {}
    for i in range(max(map(len, options.values()), default=0)):
        notebook = nbformat.read(notebook_path(assignment, "release"), as_version=4)
        for gid, cell in solution_cells(notebook).items():
            if options.get(gid):
                module, attr = options[gid][min(i, len(options[gid]) - 1)].rsplit(".", 1)
                cell.source = f"from {module} import {attr}" + ("" if attr == names[gid] else f" as {names[gid]}")
        notebooks[f"delegation-{i}"] = notebook
    return notebooks


@pytest.fixture(scope="module")
def delegated():
    """Every assignment's delegation notebooks, graded in one parallel batch through the pipeline."""
    from autograder.scoring import grade_many

    return grade_many({a: delegation_notebooks(a) for a in ASSIGNMENTS})


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_importing_course_functions_scores_nothing(assignment, delegated):
    scored = {student: f"{r.score:g}/{r.max_score:g} {r.status}" for student, r in delegated[assignment].items()
              if r.score > 0}
    assert scored == {}, f"{assignment}: solution cells replaced by course imports score points: {scored}"
