"""The student kit: `python -m autograder kit [NN_tema ...]` writes
`dist/redes-neuronales-estudiante-<version>[-NN...].zip`, everything a student needs and nothing else:

    redes-neuronales-estudiante-<version>/
        LEEME.md                        how to install, work and submit (Spanish)
        requirements.txt, environment.yml
        redes_neuronales-<version>-py3-none-any.whl     the `course` package only
        release/NN_tema/...             the student notebooks with the files of their folders

Reference code of an earlier assignment ships in a later assignment's folder (shared design of issue #19),
so during the term hand out the kit of the open assignment (`kit 05_sgd`); the full kit (all notebooks) once
the assignments whose reference ships later are closed.
`problems()` scans a kit (and the wheel inside it) for solution lines, hidden-test text and instructor files.
"""

import io
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from pathlib import Path

import nbformat

from autograder import COURSE_ROOT
from autograder.assignments import assignment_names, notebook_path
from autograder.mutants import load as load_mutants
from autograder.release import MARKERS, secret_lines

DIST = COURSE_ROOT / "dist"
#: nbgrader 0.9's instructor parts, switched off in a student's JupyterLab (assignment list and Validate stay).
INSTRUCTOR_LAB_PLUGINS = ("@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment",
                          "@jupyter/nbgrader:course-list")
INSTRUCTOR_SERVER_EXTENSIONS = ("nbgrader.server_extensions.formgrader", "nbgrader.server_extensions.course_list")
#: Never in a kit: the build artefacts and instructor folders of a checkout.
NOT_COPIED = (".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", "node_modules", ".work", "artifacts",
              "submitted", "autograded", "feedback", "gradebook.db", ".ipynb_checkpoints", ".pytest_cache")
#: Idioms solutions share with any NumPy code (input conversion, seeded generators, loops): not evidence.
IDIOM = re.compile(r"= np\.asarray\(|default_rng\(|^for .* in range\(")
FORBIDDEN_PATH = re.compile(r"(^|/)(autograder|mutants|source|tests)(/|$)|nbgrader_config\.py$")


def project() -> dict:
    """The `[project]` table of pyproject.toml."""
    return tomllib.loads((COURSE_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def disable_commands() -> list[list[str]]:
    """Commands that hide nbgrader's instructor extensions in the environment they run in (LEEME, tests)."""
    return [["jupyter", "labextension", "disable", "--level=sys_prefix", *INSTRUCTOR_LAB_PLUGINS],
            *[["jupyter", "server", "extension", "disable", "--sys-prefix", ext] for ext in INSTRUCTOR_SERVER_EXTENSIONS]]


def build_wheel(out_dir: Path) -> Path:
    """Build the project's wheel from a clean copy of the checkout (a stale `build/` would add old packages)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kit-wheel-") as tmp:
        src = Path(tmp) / "src"
        shutil.copytree(COURSE_ROOT, src, ignore=shutil.ignore_patterns(*NOT_COPIED), symlinks=True)
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                        "--wheel-dir", str(out_dir), str(src)], check=True)
    return next(out_dir.glob(f"redes_neuronales-{project()['version']}-*.whl"))


def requirements(wheel_name: str) -> str:
    """requirements.txt: the student dependencies of pyproject.toml, then the kit's own wheel."""
    return ("# Instala con:  pip install -r requirements.txt   (desde la carpeta del kit)\n"
            + "\n".join(project()["dependencies"]) + f"\n./{wheel_name}\n")


ENVIRONMENT = """\
# Ambiente de conda del curso:  conda env create -f environment.yml   (desde la carpeta del kit)
name: redes-neuronales
channels:
  - conda-forge
dependencies:
  - python=3.11
  - pip
  - pip:
      - -r requirements.txt
"""

LEEME = """\
# Redes neuronales — kit del estudiante (versión {version})

Este kit tiene todo lo que necesitas para trabajar los cuadernos del curso en tu computadora:

- `release/`: un cuaderno por tarea ({first} … {last}), cada uno en su carpeta con los archivos que usa;
- `{wheel}`: el paquete `course` (gráficas, widgets y comprobaciones que usan los cuadernos);
- `requirements.txt` y `environment.yml`: las bibliotecas necesarias (JupyterLab, NumPy, Matplotlib, Keras…).

## 1. Instalación

Necesitas Python 3.11 o más reciente. Abre una terminal **en la carpeta de este kit** y elige una opción.

**Con pip** (en un ambiente virtual):

```bash
python -m venv .venv
source .venv/bin/activate          # en Windows: .venv\\Scripts\\activate
pip install -r requirements.txt
```

**Con conda**:

```bash
conda env create -f environment.yml
conda activate redes-neuronales
```

Después, en los dos casos, oculta las herramientas del profesor de nbgrader (la lista de tareas y el botón
*Validate* siguen disponibles):

```bash
{disable}
```

**En Google Colab** (sin instalar nada): sube el cuaderno (`Archivo → Subir cuaderno`) y, en el panel
*Archivos* de la izquierda, sube `{wheel}` y los demás archivos de la carpeta de la tarea. Agrega esta
celda al principio del cuaderno y ejecútala:

```python
try:
    import course
except ModuleNotFoundError:
    %pip install -q --no-deps /content/{wheel}
    import course
```

Colab ya trae NumPy, Matplotlib, ipywidgets y TensorFlow. **Borra esa celda antes de entregar.**

## 2. Abrir los cuadernos

```bash
jupyter lab release/
```

Se abre JupyterLab en tu navegador. Haz doble clic en la carpeta de la tarea y luego en su cuaderno `.ipynb`.

## 3. Trabajar celda por celda

- Lee el texto y ejecuta cada celda en orden (presiona `Shift + Enter`).
- Completa las celdas marcadas con `# TU CÓDIGO AQUÍ`: borra la línea `raise NotImplementedError(...)` y
  escribe tu solución.
- Ejecuta la celda de prueba que está debajo: si algo falla, el mensaje te explica en español qué se
  esperaba y qué obtuviste. Al calificar se usan además otras pruebas que no ves.
- Mientras una función todavía no está completa, las gráficas y widgets que la usan te dicen qué te falta.

## 4. Antes de entregar

En el menú **Kernel → Reiniciar y ejecutar todo** (*Restart Kernel and Run All Cells*): el cuaderno debe
correr de principio a fin sin errores. Guarda (`Ctrl + S`).

## 5. Entregar

- **En el JupyterHub del curso**: en la pestaña *Assignments* (menú *Nbgrader → Assignment List*) presiona
  *Submit* junto a la tarea. Puedes entregar varias veces; se califica la última entrega.
- **En Moodle**: sube el archivo `.ipynb` de la tarea (sin cambiarle el nombre) en la actividad de la tarea.
  Si trabajaste en Colab, descárgalo con `Archivo → Descargar → Descargar .ipynb`.
"""


def build(assignments: list[str] | None = None, dist: Path = DIST) -> Path:
    """Write the student kit of `assignments` (default: all) into `dist` and return its path."""
    version = project()["version"]
    unknown = set(assignments or ()) - set(assignment_names())
    if unknown:
        raise SystemExit(f"unknown assignment(s): {', '.join(sorted(unknown))}")
    name = f"redes-neuronales-estudiante-{version}" + "".join(f"-{a[:2]}" for a in sorted(assignments or ()))
    assignments = sorted(assignments or assignment_names())
    with tempfile.TemporaryDirectory(prefix="kit-") as tmp:
        root = Path(tmp) / name
        wheel = build_wheel(root)
        for assignment in assignments:
            shutil.copytree(COURSE_ROOT / "release" / assignment, root / "release" / assignment,
                            ignore=shutil.ignore_patterns(*NOT_COPIED))
        (root / "requirements.txt").write_text(requirements(wheel.name), encoding="utf-8")
        (root / "environment.yml").write_text(ENVIRONMENT, encoding="utf-8")
        (root / "LEEME.md").write_text(LEEME.format(
            version=version, first=assignments[0], last=assignments[-1], wheel=wheel.name,
            disable="\n".join(" ".join(c) for c in disable_commands())), encoding="utf-8")
        Path(dist).mkdir(parents=True, exist_ok=True)
        target = Path(dist) / f"{name}.zip"
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as kit:
            for path in sorted(root.rglob("*")):
                kit.write(path, path.relative_to(tmp))
    return target


def _code_lines(name: str, data: bytes) -> set[str]:
    """The stripped lines of a file (of the cell sources for a notebook)."""
    text = data.decode("utf-8", errors="replace")
    if name.endswith(".ipynb"):
        text = "\n".join(cell.source for cell in nbformat.reads(text, as_version=4).cells)
    return {line.strip() for line in text.splitlines()}


def _alternative_lines(assignment: str) -> set[str]:
    """Lines of the committed alternative solutions that the release notebook does not show."""
    public = _code_lines(".ipynb", notebook_path(assignment, "release").read_bytes())
    texts = [t for versions in load_mutants(assignment)[1].values() for t in versions.values()]
    return {line.strip() for t in texts for line in t.splitlines()
            if not line.strip().startswith("#")} - public


def distinctive(lines: set[str]) -> set[str]:
    """The lines that identify a solution outside its notebook: a computation (a call) of 20+ characters that
    is no common idiom. Short lines (`return grads`, `params = {}`) also occur in any honest code."""
    return {line for line in lines if len(line) >= 20 and "(" in line and not IDIOM.search(line)}


def _files(kit: zipfile.ZipFile):
    """`(name, bytes)` of every file of the kit, the files inside its wheels included (`kit.zip!a/b.py`)."""
    for info in kit.infolist():
        if info.is_dir():
            continue
        data = kit.read(info)
        yield info.filename, data
        if info.filename.endswith(".whl"):
            with zipfile.ZipFile(io.BytesIO(data)) as wheel:
                for inner in wheel.infolist():
                    yield f"{info.filename}!{inner.filename}", wheel.read(inner)


def problems(kit_path: Path) -> list[str]:
    """Everything a student must not get, found in the kit: instructor files, region markers, a solution
    line, hidden-test line or alternative solution of an assignment. The one exception is by design:
    a line of assignment A inside the folder of a LATER assignment of the kit (its given reference code)."""
    names = assignment_names()
    secrets = {a: distinctive(secret_lines(nbformat.read(notebook_path(a, "source"), as_version=4))
                              | _alternative_lines(a)) for a in names}
    found = []
    with zipfile.ZipFile(kit_path) as kit:
        for name, data in _files(kit):
            inner = name.split("/", 1)[-1]
            if FORBIDDEN_PATH.search(inner.replace("!", "/")):
                found.append(f"{name}: instructor file")
                continue
            if not name.endswith((".py", ".ipynb", ".md", ".txt", ".yml", ".json", ".csv", "METADATA", "RECORD")):
                continue
            text = data.decode("utf-8", errors="replace")
            found += [f"{name}: marker '{m}'" for m in MARKERS if m in text]
            folder = re.match(r"release/(\d\d_[^/]+)/", inner)
            lines = _code_lines(name, data)
            for assignment, secret in secrets.items():
                if folder and assignment < folder.group(1):
                    continue  # an earlier assignment's reference, shipped with this later one
                found += [f"{name}: {assignment} solution/hidden line {line!r}" for line in sorted(secret & lines)]
    return found

