"""Command line: `python -m autograder {release,check,demo} ...`."""

import argparse
import sys
import warnings

from autograder import release
from autograder.check import run_check


def cmd_release(args):
    release.generate(args.assignments)
    problems = [p for a in (args.assignments or release.assignment_names()) for p in release.leaks(a)]
    print("\n".join(problems) or "release/ generated; no solution or hidden-test text in it.")
    return 1 if problems else 0


def cmd_check(args):
    outcomes = run_check(args.assignments, args.mutants, args.quick)
    return 0 if outcomes and all(o.ok for o in outcomes) else 1


def cmd_demo(args):
    from autograder.demo import demo

    return demo(args.assignments)


def main(argv=None):
    warnings.filterwarnings("ignore")  # SQLAlchemy's SAWarning noise from nbgrader's gradebook
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for name, func, help_text in (
        ("release", cmd_release, "generate release/ from source/ and check it for leaks"),
        ("check", cmd_check, "source full marks, release 0, mutants lose points, alternatives keep them"),
        ("demo", cmd_demo, "release, then grade example submissions and print the grade table"),
    ):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("assignments", nargs="*", help="assignment names (default: all)")
        p.set_defaults(func=func)
        if name == "check":
            p.add_argument("--mutants", action="store_true", help="also grade every wrong/alternative version")
            p.add_argument("--quick", action="store_true", help="with --mutants: only the first of each kind")
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
