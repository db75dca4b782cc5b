"""Instructor steps on the hub that nbgrader's own commands don't cover with the course's autograder.

    python deploy/instructor.py release-feedback 01_perceptron     (run in the course folder)

`python -m autograder grade --root .` writes `feedback/<student>/<assignment>/<assignment>.html`, but
`nbgrader release_feedback` also needs the submission's `timestamp.txt` and `submission_secret.txt` next to
each page: the secret is what names the page in the exchange (a hash only that student's server can
compute), so each student fetches their own feedback only. This copies both files from `submitted/`,
then runs `nbgrader release_feedback`.
"""

import argparse
import shutil
import subprocess
import sys
from pathlib import Path


def release_feedback(assignment, root="."):
    root = Path(root).resolve()
    pages = sorted((root / "feedback").glob(f"*/{assignment}/*.html"))
    if not pages:
        sys.exit(f"no feedback pages under {root / 'feedback'}/*/{assignment}: grade first")
    for page in pages:
        student = page.parent.parent.name
        submitted = root / "submitted" / student / assignment
        for name in ("timestamp.txt", "submission_secret.txt"):
            if (submitted / name).exists():
                shutil.copyfile(submitted / name, page.parent / name)
    nbgrader = Path(sys.executable).parent / "nbgrader"
    return subprocess.run([str(nbgrader), "release_feedback", assignment], cwd=root, check=False).returncode


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("release-feedback", help="copy submission timestamps/secrets, then nbgrader release_feedback")
    p.add_argument("assignment")
    p.add_argument("--root", default=".", help="course folder (default: current folder)")
    args = parser.parse_args(argv)
    sys.exit(release_feedback(args.assignment, args.root))


if __name__ == "__main__":
    main()
