"""The static scan of student code (`integrity.suspicious`): what it flags, what it never flags."""

import ast
import inspect

import nbformat
import pytest

from autograder import integrity, mutants
from autograder.assignments import assignment_names, notebook_path
from course import checks

A = "00_bienvenida"
RELEASE = nbformat.read(notebook_path(A, "release"), as_version=4)


def scan(code, assignment=A):
    """Reasons for a submission of `assignment` whose first solution cell is `code`."""
    release = RELEASE if assignment == A else nbformat.read(notebook_path(assignment, "release"), as_version=4)
    gid = next(iter(mutants.solution_cells(release)))
    return integrity.suspicious(mutants.submission(assignment, {gid: code}), release, assignment=assignment)


@pytest.mark.parametrize("assignment", assignment_names())
def test_no_solution_or_alternative_is_flagged(assignment):
    release = nbformat.read(notebook_path(assignment, "release"), as_version=4)
    filled = mutants.submission(assignment)
    assert integrity.suspicious(filled, release, assignment=assignment) == []
    cells = mutants.solution_cells(filled)
    _, alternatives = mutants.load(assignment)
    flagged = {}
    for gid, versions in alternatives.items():
        for name, text in versions.items():
            original, cells[gid].source = cells[gid].source, text
            if reasons := integrity.suspicious(filled, release, assignment=assignment):
                flagged[f"{gid}/{name}"] = reasons
            cells[gid].source = original
    assert flagged == {}


ATTACKS = {
    "get_ipython().ast_transformers.append(Empty())": "name get_ipython",
    "get_ipython().input_transformers_cleanup.append(lambda lines: ['pass\\n'])": "name get_ipython",
    "ip = get_ipython()\nip.run_cell = lambda *a, **k: None": "name get_ipython",
    "b = globals()['__builtins__']\ng = getattr(b, 'get_' + 'ipy' + 'thon')()": "name globals",
    "g = getattr(__builtins__, 'get_' + 'ipython')": "name __builtins__",
    "().__class__.__base__.__subclasses__()": "dunder attribute .__class__",
    "import IPython\nIPython.get_ipython()": "import IPython",
    "from IPython import get_ipython": "import IPython.get_ipython",
    "from sys import modules": "import sys.modules",
    "import sys\nsys._getframe(1).f_globals": "attribute ._getframe",
    "import sys\nsys.settrace(None)": "attribute .settrace",
    "import sys\nsys.excepthook = print": "sys.excepthook",
    "%time x = 1": "magic or shell escape %time",
    "!ls": "magic or shell escape !ls",
    "files = !ls /": "magic or shell escape !ls /",
    "%%capture\nprint(1)": "magic or shell escape %%capture",
    "eval('1')": "name eval",
    "exec('x = 1')": "name exec",
    "compile('1', 'x', 'eval')": "name compile",
    "__import__('os')": "name __import__",
    "locals()": "name locals",
    "vars(np)['allclose'] = max": "name vars",
    "setattr(np, 'allclose', max)": "name setattr",
    "delattr(checks, 'check_close')": "name delattr",
    "open('notas.txt').read()": "name open",
    "breakpoint()": "name breakpoint",
    "input()": "name input",
    "def f():\n    try:\n        1 / 0\n    except Exception as e:\n        return e.__traceback__.tb_frame.f_back":
        "frame/code attribute .tb_frame",
    "def f():\n    yield 1\ng = f()\ng.gi_frame.f_globals": "frame/code attribute .gi_frame",
    "f = lambda: 0\nf.__code__.co_consts": "frame/code attribute .co_consts",
    "np.os.system('ls')": "attribute .os",
    "checks.np.sys.modules": "attribute .sys",
    "np.allclose = lambda *a, **k: True": "patches np.allclose (module numpy)",
    "np.testing.assert_allclose = print": "patches np.testing.assert_allclose (module numpy)",
    "checks.check_close = lambda *a, **k: None": "patches checks.check_close (module course.checks)",
    "import course.checks\ncourse.checks.check_close = print": "patches course.checks.check_close (module course)",
    "del checks.check_close": "patches checks.check_close (module course.checks)",
    "checks = None": "rebinds checks",
    "import math as np": "rebinds np",
    "isinstance = lambda *a: True": "rebinds isinstance",
    "def float(x):\n    return 0.0": "rebinds float",
    "class Always:\n    def __eq__(self, other):\n        return True": "defines __eq__",
    "print(In[-1])": "IPython history In",
    "x = _ih[-1]": "IPython history _ih",
    "import os\nos.fork()": "import os",
    "import subprocess": "import subprocess",
    "import ctypes": "import ctypes",
    "import importlib": "import importlib",
    "import signal": "import signal",
    "from . import helper": "import .helper",
    "import keras": "import keras",
    "from course.perceptron import step as weighted_sum": "imports the graded function weighted_sum from course",
    "x = np.load('../../../gradebook.db')": "string '../../../gradebook.db'",
    "x = np.loadtxt('/etc/passwd')": "string '/etc/passwd'",
    "def f(:\n    pass": "does not parse",
    "x = 1\0": "does not parse",
}


@pytest.mark.parametrize("code", list(ATTACKS))
def test_each_forbidden_construct_is_flagged(code):
    reasons = scan(code)
    assert any(ATTACKS[code] in r for r in reasons), reasons
    assert all(r.startswith("weighted_sum, line ") for r in reasons), reasons


def test_a_hit_names_the_cell_and_line():
    assert scan("x = 1\n\ny = eval('2')") == ["weighted_sum, line 3: name eval"]
    notebook = mutants.submission(A)
    notebook.cells.append(nbformat.v4.new_code_cell("import os"))
    new_cell = f"cell {len(notebook.cells) - 1}"
    assert integrity.suspicious(notebook, RELEASE, assignment=A) == [f"{new_cell}, line 1: import os"]


def test_allowed_code_is_not_flagged():
    for code in ("import numpy as np\nfrom course import checks\nimport math, random, itertools, functools",
                 "import sys, warnings\nprint('x', file=sys.stderr)\nwarnings.warn('ojo')",
                 "import matplotlib.pyplot as plt\nfrom IPython.display import display\nimport ipywidgets as w",
                 "class Capa:\n    def __init__(self):\n        super().__init__()\n    def __repr__(self):\n"
                 "        return type(self).__name__",
                 "def f(values):\n    total = 0\n    for v in values:\n        total += v\n    return total\n"
                 "sum_ = f([1])",
                 "x = 1 if __name__ == '__main__' else 2\nfor _ in range(3):\n    pass"):
        assert scan(code) == [], code
    assert scan("import keras\nimport tensorflow as tf", "07_keras") == []


def test_unparsable_code_is_reported_not_raised():
    reasons = scan("def weighted_sum(X, w, b)\n    return X @ w + b\n")
    assert len(reasons) == 1 and "line 1: does not parse (SyntaxError" in reasons[0]
    assert "does not parse (RecursionError" in scan("x = " + "+".join(["1"] * 30_000))[0]


def renamed(function, name):
    """The source of `function` with its name, arguments and local variables renamed (a disguised copy)."""
    tree = ast.parse(inspect.getsource(function))
    func = tree.body[0]
    local = {a.arg for a in ast.walk(func) if isinstance(a, ast.arg)}
    local |= {n.id for n in ast.walk(func) if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)}
    for node in ast.walk(func):
        if isinstance(node, ast.arg):
            node.arg = "mi_" + node.arg
        elif isinstance(node, ast.Name) and node.id in local:
            node.id = "mi_" + node.id
        elif isinstance(node, ast.Name) and node.id == func.name:  # a recursive call
            node.id = name
    func.name = name
    func.body = func.body[1:]  # without its docstring
    return ast.unparse(tree)


def test_a_renamed_copy_of_a_course_function_is_flagged():
    code = renamed(checks.check_unchanged, "weighted_sum")
    assert "mi_before" in code
    reasons = scan(code)
    assert any("copied from course.checks.check_unchanged (def weighted_sum)" in r for r in reasons), reasons


def test_a_copy_of_an_earlier_assignment_is_flagged_and_short_functions_never():
    release = nbformat.read(notebook_path("04_backprop", "release"), as_version=4)
    given = [c.source for c in release.cells if c.cell_type == "code" and "def " in c.source
             and not c.metadata.get("nbgrader", {}).get("solution")]
    origins = integrity.references("05_sgd")
    earlier = {fp: origin for fp, origin in origins.items() if origin.startswith("04_backprop.")}
    assert earlier, "04_backprop gives no function big enough to compare"
    fp, origin = next(iter(earlier.items()))
    source = next(s for s in given if f"def {origin.split('.')[-1]}(" in s)
    assert any(f"copied from {origin}" in r for r in scan(source, "05_sgd"))
    assert not any("copied" in r for r in scan(source, "04_backprop"))  # the assignment's own given code
    assert scan("def weighted_sum(X, w, b):\n    X = np.asarray(X)\n    return X @ w + b\n") == []
