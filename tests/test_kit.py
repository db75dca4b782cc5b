"""The student kit (`python -m autograder kit`): only `course` in the wheel, no answers anywhere, and it works.

The `full` test installs the kit into a fresh venv: the kit's wheel with `pip --no-index --no-deps`, third-party
packages borrowed from the running venv through a `.pth` (symlinks to everything except this project), so
nothing is downloaded. It then runs every release notebook top to bottom with that venv's kernel, from
outside the repository. Allowed errors, each caused by an unfinished exercise:
  - `NotImplementedError` (a stub, called directly or through a demo/test);
  - `NameError` for a name that a solution cell defines (the stub raised before defining it), or that an
    earlier cell failing for one of these reasons would have defined;
  - `CheckError`/`AssertionError` in a test cell (nbgrader grade cell) checking a stub's result.
Any other error (ImportError, TypeError, FileNotFoundError...) fails.
"""

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograder.assignments import assignment_names, notebook_path
from course.data import find_fashion_mnist
from autograder.kit import INSTRUCTOR_LAB_PLUGINS, build, build_wheel, disable_commands, problems

ROOT = Path(__file__).resolve().parent.parent
THIRD_PARTY_EXCLUDED = re.compile(r"^(course|autograder|benchmarks|tests|redes_neuronales.*|__editable__.*|.*\.pth)$")

RUN = r"""
import json, sys, nbformat
from pathlib import Path
from nbclient import NotebookClient
out = {}
for path in map(Path, sys.argv[1:]):
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    out[path.stem] = [[i, o.ename, o.evalue[:200]] for i, c in enumerate(nb.cells) if c.cell_type == "code"
                      for o in c.outputs if o.output_type == "error"]
print(json.dumps(out))
"""


def test_wheel_holds_only_course(tmp_path):
    wheel = build_wheel(tmp_path)
    names = zipfile.ZipFile(wheel).namelist()
    assert any(n.startswith("course/") for n in names)
    assert [n for n in names if not n.startswith(("course/", "redes_neuronales-"))] == []


def defined_names(source):
    """Names a cell defines (functions, classes, assigned names); none for a cell with IPython syntax."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    return ({n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
            | {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)})


def stub_errors_only(assignment, nb, errors):
    """The errors of an executed notebook that no stub explains (see the module docstring); a cell that failed
    because of a stub leaves its names undefined too, so a later NameError of those is explained."""
    source = nbformat.read(notebook_path(assignment, "source"), as_version=4)
    undefined = set().union(*(defined_names(c.source) for c in source.cells
                              if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")))
    unexplained = []
    for i, ename, evalue in errors:
        grade = nb.cells[i].metadata.get("nbgrader", {})
        missing = re.search(r"name '(\w+)' is not defined", evalue)
        if (ename == "NotImplementedError" or (ename == "NameError" and missing and missing.group(1) in undefined)
                or (ename in ("CheckError", "AssertionError") and grade.get("grade") and not grade.get("solution"))):
            undefined |= defined_names(nb.cells[i].source)
        else:
            unexplained.append((assignment, i, ename, evalue))
    return unexplained


def kit_env(home):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(HOME=str(home), KERAS_HOME=str(home / ".keras"), MPLCONFIGDIR=str(home / "mpl"), MPLBACKEND="Agg",
               JUPYTER_PLATFORM_DIRS="1")
    try:  # the data this checkout finds (outside it, the kit's course looks only in the standard places)
        env["FASHION_MNIST_DIR"] = env.get("FASHION_MNIST_DIR") or str(find_fashion_mnist())
    except FileNotFoundError:
        pass  # Keras downloads it
    return env


@pytest.mark.full
def test_student_kit_is_safe_and_works(tmp_path):
    kit = build(dist=tmp_path / "dist")
    leaked = problems(kit)  # asserted last, so that one run reports everything
    unpacked = tmp_path / "alumno"
    zipfile.ZipFile(kit).extractall(unpacked)
    (folder,) = unpacked.iterdir()
    assert sorted(p.name for p in (folder / "release").iterdir()) == assignment_names()

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    borrowed = tmp_path / "third-party"
    borrowed.mkdir()
    for source in {Path(p) for p in sys.path if p.endswith("site-packages") and Path(p).is_dir()}:
        for entry in source.iterdir():
            if not THIRD_PARTY_EXCLUDED.match(entry.name) and not (borrowed / entry.name).exists():
                (borrowed / entry.name).symlink_to(entry)
    (site / "third-party.pth").write_text(f"{borrowed}\n")
    # What pip installs next to the packages: Jupyter's data (lab extensions) and config (server extensions).
    (venv / "share").mkdir(exist_ok=True)
    (venv / "share" / "jupyter").symlink_to(Path(sys.prefix) / "share" / "jupyter")
    shutil.copytree(Path(sys.prefix) / "etc" / "jupyter", venv / "etc" / "jupyter")
    env = kit_env(tmp_path / "home")
    (wheel,) = folder.glob("redes_neuronales-*.whl")
    subprocess.run([python, "-m", "pip", "install", "--quiet", "--no-index", "--no-deps", str(wheel)],
                   cwd=folder, env=env, check=True)

    where = subprocess.run([python, "-c", "import course, importlib.util as u; "
                            "print(course.__file__, u.find_spec('autograder'))"],
                           cwd=folder, env=env, capture_output=True, text=True, check=True).stdout.split()
    assert Path(where[0]).is_relative_to(site) and where[1] == "None", where

    # The LEEME's commands hide the instructor extensions and keep the student's, run by modules so that they
    # configure this venv (`jupyter` would find the test venv's scripts on PATH).
    modules = {"labextension": ["jupyterlab.labextensions"], "server": ["jupyter_server.extension.serverextension"]}
    for command in disable_commands():
        args = command[2:] if command[1] == "labextension" else command[3:]
        subprocess.run([python, "-m", *modules[command[1]], *args], cwd=folder, env=env, check=True,
                       capture_output=True)
    lab = subprocess.run([python, "-m", "jupyterlab.labextensions", "list"], cwd=folder, env=env,
                         capture_output=True, text=True)
    listing = lab.stdout + lab.stderr
    assert all(plugin in listing for plugin in INSTRUCTOR_LAB_PLUGINS), listing
    server = subprocess.run([python, "-m", "jupyter_server.extension.serverextension", "list"], cwd=folder, env=env,
                            capture_output=True, text=True)
    listing = re.sub(r"\x1b\[[0-9;]*m", "", server.stdout + server.stderr)
    assert re.search(r"formgrader\s+disabled", listing) and re.search(r"assignment_list\s+enabled", listing), listing

    notebooks = sorted((folder / "release").glob("*/*.ipynb"))
    run = subprocess.run([python, "-c", RUN, *map(str, notebooks)], cwd=folder, env=env, capture_output=True,
                         text=True, timeout=3600)
    assert run.returncode == 0, run.stderr[-3000:]
    errors = json.loads(run.stdout.strip().splitlines()[-1])
    assert sorted(errors) == assignment_names()
    unexpected = []
    for assignment, found in errors.items():
        nb = nbformat.read(folder / "release" / assignment / f"{assignment}.ipynb", as_version=4)
        unexpected += stub_errors_only(assignment, nb, found)
    print({a: sorted({e[1] for e in found}) for a, found in errors.items()})
    assert unexpected == []
    assert leaked == []
