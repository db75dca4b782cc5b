"""Project layout rules: course never imports autograder or TensorFlow; one dependency list."""

import pkgutil
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

import course

ROOT = Path(__file__).resolve().parent.parent


def course_modules():
    return sorted(f"course.{m.name}" for m in pkgutil.iter_modules(course.__path__))


def test_course_does_not_mention_autograder():
    offenders = [p.name for p in (ROOT / "course").rglob("*.py")
                 if re.search(r"^\s*(import|from)\s+autograder\b", p.read_text(encoding="utf-8"), re.M)]
    assert offenders == []


def test_importing_course_loads_neither_autograder_nor_tensorflow():
    code = ("import sys, importlib\n"
            f"for name in {course_modules()!r}: importlib.import_module(name)\n"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('autograder', 'tensorflow', 'keras'))\n"
            "print(' '.join(bad))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"importing course loaded: {result.stdout.strip()}"


def test_environment_yml_installs_the_project_itself():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert pip_section == ["-e .[dev]"], "environment.yml must install the project, not keep its own list"
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    assert sorted(d.split("=")[0] for d in conda) == ["pip", "python"]
    python = next(d for d in conda if d.startswith("python"))
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    minimum = project["requires-python"].removeprefix(">=")
    assert tuple(map(int, python.split("=")[1].split("."))) >= tuple(map(int, minimum.split(".")))


def test_pyproject_declares_the_stack():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    deps = " ".join(project["dependencies"])
    for name in ("jupyterlab", "notebook", "nbgrader", "ipywidgets", "numpy", "matplotlib", "tensorflow", "keras"):
        assert name in deps, name
    for name in ("pytest", "playwright", "jupyterhub"):  # never in a student's install
        assert name not in deps and name in " ".join(sum(project["optional-dependencies"].values(), [])), name


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme
    assert re.search(r"^\s*make test\b", ci, re.M)
