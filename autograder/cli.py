"""Command line: `python -m autograder {release,check,import,grade,feedback,export,manual,report,demo,kit} ...`.

Grading commands work on a course root (default: this repository) holding `submitted/`, `autograded/`,
`feedback/`, `gradebook.db`, `grades.csv` and `reports/`; the assignments come from `source/` of this repository
or of the course given with `--source-root` (any nbgrader assignment: one or more notebooks and their files)."""

import argparse
import dataclasses
import logging
import sys
import warnings
from pathlib import Path

from autograder import COURSE_ROOT, release
from autograder.check import run_check
from autograder.model import Limits, default_workers


def cmd_release(args: argparse.Namespace) -> int:
    release.generate(args.assignments, args.source_root, args.source_root)
    problems = [p for a in (args.assignments or release.assignment_names(args.source_root))
                for p in release.leaks(a, args.source_root, args.source_root)]
    print("\n".join(problems) or "release/ generated; no solution or hidden-test text in it.")
    return 1 if problems else 0


def cmd_check(args: argparse.Namespace) -> int:
    from autograder.grade import ReferenceFailed
    from autograder.mutants import BrokenVersion

    if args.auto_mutants:
        from autograder.automut import analyse, summary

        results = analyse(args.assignments or None)
        print("\n".join(summary(results)))
        return 1 if any(r.status == "survived" for r in results) else 0
    try:
        outcomes = run_check(args.assignments, args.mutants, args.quick, args.source_root)
    except (ReferenceFailed, BrokenVersion) as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0 if outcomes and all(o.ok for o in outcomes) else 1


def cmd_import(args: argparse.Namespace) -> int:
    from autograder.importer import import_submissions

    print(import_submissions(args.root, args.source, args.assignment, args.source_root).summary(args.root))
    return 0


def add_limits(parser: argparse.ArgumentParser) -> None:
    """One option per `Limits` field (`--cell-timeout`, ...), its default and help taken from the dataclass."""
    for f in dataclasses.fields(Limits):
        unit = f.metadata["unit"]
        names = [f"--{f.name.replace('_', '-')}"] + ([f.metadata["flag"]] if f.metadata["flag"] else [])
        parser.add_argument(*names, dest=f.name, type=int, default=f.default // unit,
                            help=f"{f.metadata['help']} (default {f.default // unit})")


def limits_from(args: argparse.Namespace) -> Limits:
    """The `Limits` given on the command line (see `add_limits`)."""
    return Limits(**{f.name: getattr(args, f.name) * f.metadata["unit"] for f in dataclasses.fields(Limits)})


def cmd_grade(args: argparse.Namespace) -> int:
    from autograder.grade import ReferenceFailed
    from autograder.pipeline import grade, grade_table
    from autograder.results import graded_assignments

    try:
        grade(args.root, args.assignments, args.students, args.force, args.workers, limits_from(args),
              source_root=args.source_root)
    except ReferenceFailed as exc:
        print(exc, file=sys.stderr)
        return 1
    print("\n".join(grade_table(args.root, args.assignments or graded_assignments(args.root))))
    print(f"Feedback in {Path(args.root) / 'feedback'}, grades in {Path(args.root) / 'grades.csv'}")
    return 0


def cmd_feedback(args: argparse.Namespace) -> int:
    from autograder import feedback, results

    assignments = args.assignments or results.graded_assignments(args.root)
    done = [r for a in assignments for s in results.roster(args.root) if (r := results.load(args.root, s, a))]
    print(f"{len(feedback.write(args.root, done, args.source_root))} feedback page(s) in {Path(args.root) / 'feedback'}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from autograder import late, lms
    from autograder.export import export
    from autograder.results import graded_assignments

    assignments = args.assignments or graded_assignments(args.root)
    late.sync(args.root, assignments)
    lms_wanted = [o for o in ("moodle", "moodle_feedback", "canvas") if getattr(args, o)]
    if not lms_wanted and not args.key:
        print(export(args.root, assignments, args.output))
        return 0
    if lms_wanted and len(assignments) != 1:
        print("Moodle and Canvas files hold one assignment: name it, e.g. `export 01_perceptron --moodle ...`",
              file=sys.stderr)
        return 2
    exports = Path(args.root) / "exports"
    done = []
    try:
        if args.moodle:
            out = args.output or exports / f"{assignments[0]}_{Path(args.moodle).name}"
            done.append(lms.fill_moodle(args.root, assignments[0], args.moodle, out))
        if args.moodle_feedback:
            done.append(lms.moodle_feedback_zip(args.root, assignments[0], args.moodle_feedback))
        if args.canvas:
            out = args.output or exports / f"{assignments[0]}_{Path(args.canvas).name}"
            done.append(lms.fill_canvas(args.root, assignments[0], args.canvas, out, args.column))
        if args.key:
            done.append(lms.plain_csv(args.root, assignments, args.key,
                                      args.output or exports / f"grades_by_{args.key.replace(' ', '_')}.csv"))
    except lms.WorksheetError as exc:
        print(exc, file=sys.stderr)
        return 1
    for path, problems in done:
        print("\n".join(problems + [str(path)]))
    return 0


def cmd_manual(args: argparse.Namespace) -> int:
    from autograder import feedback, manual, results
    from autograder.export import export

    changed, problems = manual.import_scores(args.root, args.scores)
    done = [r for pair in changed if (r := results.load(args.root, *pair.split("/")))]
    feedback.write(args.root, done, args.source_root)
    export(args.root, results.graded_assignments(args.root))
    print("\n".join(problems + [f"manual scores of {len(changed)} submission(s); feedback and grades.csv rewritten"]))
    return 1 if problems else 0


def cmd_report(args: argparse.Namespace) -> int:
    from autograder.report import report
    from autograder.results import graded_assignments

    _, paths = report(args.root, args.assignments or graded_assignments(args.root))
    print("\n".join(str(p) for p in paths))
    return 0


def cmd_kit(args: argparse.Namespace) -> int:
    from autograder.kit import build, problems

    path = build(args.assignments, Path(args.root) / "dist")
    found = problems(path)
    print("\n".join(found) or f"{path}: {path.stat().st_size // 1024} KiB, no solution, hidden test or instructor file.")
    return 1 if found else 0


def cmd_demo(args: argparse.Namespace) -> int:
    from autograder.demo import demo

    return demo(args.assignments)


COMMANDS = (
    ("release", cmd_release, "generate release/ from source/ and check it for leaks"),
    ("check", cmd_check, "source full marks, release 0, mutants lose points, alternatives keep them"),
    ("import", cmd_import, "copy submissions from a folder or a Moodle zip into submitted/"),
    ("grade", cmd_grade, "autograde submitted/ in parallel and isolated, then feedback and export"),
    ("feedback", cmd_feedback, "write the Spanish feedback pages again"),
    ("export", cmd_export, "write grades.csv, or fill a Moodle worksheet / feedback zip, a Canvas gradebook"),
    ("manual", cmd_manual, "write manual scores and comments from a CSV (student,assignment,cell,score,comment)"),
    ("report", cmd_report, "pass rate per test and a score histogram per assignment"),
    ("kit", cmd_kit, "student kit <root>/dist/redes-neuronales-estudiante-<version>.zip (no answers), scanned"),
    ("demo", cmd_demo, "release, import example submissions, grade, export, print the grade table"),
)


def main(argv: list[str] | None = None) -> int:
    warnings.filterwarnings("ignore")  # SQLAlchemy's SAWarning noise from nbgrader's gradebook
    logging.basicConfig(format="%(message)s", stream=sys.stderr)  # other libraries: warnings only
    logging.getLogger("autograder").setLevel(logging.INFO)  # the grader's own progress notes
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for name, func, help_text in COMMANDS:
        p = sub.add_parser(name, help=help_text)
        p.set_defaults(func=func)
        if name == "manual":
            p.add_argument("scores", help="CSV with the columns student,assignment,cell,score,comment")
        elif name == "import":
            p.add_argument("source", help="a folder <student>/<assignment>/*.ipynb or a Moodle zip")
            p.add_argument("assignment", nargs="?", help="the assignment (required for a Moodle zip)")
        else:
            p.add_argument("assignments", nargs="*", help="assignment names (default: all)")
        if name not in ("release", "check", "demo"):
            p.add_argument("--root", default=str(COURSE_ROOT), help="course root (default: this repository)")
        if name in ("release", "check", "import", "grade", "feedback", "manual"):
            p.add_argument("--source-root", type=Path, default=COURSE_ROOT,
                           help="the course whose source/ (and release/) hold the assignments (default: this repository)")
        if name == "check":
            p.add_argument("--mutants", action="store_true", help="also grade every wrong/alternative version")
            p.add_argument("--auto-mutants", action="store_true", help="automatic mutation analysis of every solution (NumPy assignments): single-point AST mutations run against the notebook's tests; exit 1 on a survivor not listed in autograder/mutants/equivalent.py")
            p.add_argument("--quick", action="store_true", help="with --mutants: the first wrong version of each function, all first alternatives in one notebook")
        if name == "grade":
            p.add_argument("--students", nargs="+", help="only these student ids")
            p.add_argument("--force", action="store_true", help="regrade submissions already graded")
            p.add_argument("--workers", type=int, default=default_workers(),
                           help=f"parallel submissions (default: cores + 1 = {default_workers()})")
            add_limits(p)
        if name == "export":
            p.add_argument("--output", help="CSV path (default: <root>/grades.csv; LMS files: <root>/exports/)")
            p.add_argument("--moodle", metavar="WORKSHEET", help="fill Moodle's offline grading worksheet (a copy)")
            p.add_argument("--moodle-feedback", metavar="ZIP", help="write Moodle's feedback-files zip")
            p.add_argument("--canvas", metavar="GRADEBOOK", help="fill a Canvas gradebook export (a copy)")
            p.add_argument("--column", help="with --canvas: the header the assignment's column starts with")
            p.add_argument("--key", metavar="COLUMN", help="a CSV of final scores keyed by this roster.csv column")
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
