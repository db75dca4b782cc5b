"""Benchmarks of the course: `python -m benchmarks.run [--quick] [--only P1 P4 ...]` (or `make bench`).

Prints each figure as it is measured and writes `benchmarks/results/latest.json` and `latest.md`, with the
machine's cores and library versions. Never part of the tests' pass/fail: `make test` only runs `--quick` once
to prove the scripts work.
"""

import argparse
import json
import warnings
import os
import platform
import sys
import time
from importlib import metadata
from pathlib import Path

from benchmarks import RESULTS

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # TensorFlow's start-up logs (P3, P4), as in `make bench`
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
FIGURES = {
    "P1": ("benchmarks.notebooks", "Ejecución de los cuadernos"),
    "P2": ("benchmarks.grading", "Rendimiento de la corrección"),
    "P3": ("benchmarks.fashion", "Fashion-MNIST con Keras"),
    "P4": ("benchmarks.mlp_speed", "MLP de NumPy frente a Keras"),
    "P5": ("benchmarks.widgets", "Tiempo de actualización de los widgets"),
    "P6": ("benchmarks.course_grading", "Un curso completo: 100 estudiantes × 8 tareas"),
}


def machine():
    """Cores, Python and the versions of the libraries that matter."""
    versions = {}
    for name in ("numpy", "matplotlib", "tensorflow-cpu", "tensorflow", "keras", "nbgrader", "ipywidgets"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return {"cores": os.cpu_count(), "python": platform.python_version(), "machine": platform.machine(),
            "versions": versions, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}


def markdown(report):
    """The report as Markdown: one table per figure."""
    info = report["machine"]
    lines = [f"# Benchmarks ({'quick' if report['quick'] else 'full'})", "",
             f"{info['date']} · {info['cores']} cores · Python {info['python']} · "
             + ", ".join(f"{k} {v}" for k, v in info["versions"].items()), ""]
    for key, figure in sorted(report["figures"].items()):
        when = f" ({figure['date']})" if figure.get("date") else ""
        lines += [f"## {key} — {figure['title']}{when}", ""]
        rows = figure["rows"]
        if rows:
            columns = list(rows[0])
            lines += ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
            lines += ["| " + " | ".join(str(row.get(c, "")) for c in columns) + " |" for row in rows]
        lines += [""] + [f"- {note}" for note in figure.get("notes", [])] + [""]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: proves the scripts work")
    parser.add_argument("--only", nargs="*", choices=sorted(FIGURES), help="figures to run (default: all)")
    parser.add_argument("--out", default=str(RESULTS), help="folder for latest.json and latest.md")
    parser.add_argument("--students", type=int, help="P6: students per assignment (default 100, quick 2); "
                        "fewer than 100 extrapolates the time for the whole class")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")  # SQLAlchemy's SAWarning noise from nbgrader's gradebook
    out = Path(args.out)
    name = "quick" if args.quick else "latest"
    previous = out / f"{name}.json"
    figures = json.loads(previous.read_text(encoding="utf-8"))["figures"] if args.only and previous.exists() else {}
    report = {"quick": args.quick, "machine": machine(), "figures": figures}  # --only keeps the other figures
    for key in args.only or sorted(FIGURES):
        module_name, title = FIGURES[key]
        module = __import__(module_name, fromlist=["measure"])
        print(f"== {key} — {title}", flush=True)
        start = time.perf_counter()
        rows, notes = module.measure(quick=args.quick, **({"students": args.students} if key == "P6" else {}))
        report["figures"][key] = {"title": title, "rows": rows, "notes": notes, "date": report["machine"]["date"],
                                  "seconds": round(time.perf_counter() - start, 1)}
        for row in rows:
            print("   " + "  ".join(f"{k}={v}" for k, v in row.items()), flush=True)
        for note in notes:
            print("   * " + note, flush=True)
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.json").write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    (out / f"{name}.md").write_text(markdown(report), encoding="utf-8")
    print(f"Escrito {out / (name + '.md')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
