"""Benchmark (not a test): `grade`'s pipeline with 1 and N workers vs plain serial `nbgrader autograde`,
on the same synthetic submissions (the reference solution and the mutants, repeated up to N per assignment).

    python -m autograder.bench [assignments ...] [--n 8] [--workers 1 2]
"""

import argparse
import itertools
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autograder import COURSE_ROOT, mutants
from autograder.assignments import assignment_names
from autograder.grade import Job, Limits, run_batch
from autograder.scoring import prepare_course, submit


def synthetic(assignment, n):
    """`n` submissions: the reference solution and every mutant, cycled."""
    pool = [mutants.submission(assignment)] + [v[3] for v in mutants.variants(assignment).values()]
    return {f"s{i:03d}": nb for i, nb in zip(range(n), itertools.cycle(pool))}


def plain_serial(assignment, submissions, cell_timeout):
    """Seconds for one `nbgrader autograde <assignment>` over all students (serial, TCP, no limits)."""
    with tempfile.TemporaryDirectory(prefix="bench-plain-") as tmp:
        prepare_course(assignment, tmp)
        shutil.copyfile(COURSE_ROOT / "nbgrader_config.py", Path(tmp) / "nbgrader_config.py")
        for student, nb in submissions.items():
            submit(tmp, assignment, student, nb)
        env = dict(os.environ, NBGRADER_COURSE_ROOT=tmp, NBGRADER_CELL_TIMEOUT=str(cell_timeout))
        start = time.monotonic()
        subprocess.run([str(Path(sys.executable).parent / "nbgrader"), "autograde", assignment, "--force"],
                       cwd=tmp, env=env, capture_output=True, check=False)
        return time.monotonic() - start


def ours(assignment, submissions, workers, cell_timeout):
    """Seconds for `run_batch` (the `grade` pipeline, isolated when possible) with `workers`."""
    with tempfile.TemporaryDirectory(prefix="bench-ours-") as tmp:
        jobs = [Job(assignment, s, submit(tmp, assignment, s, nb).parent) for s, nb in submissions.items()]
        start = time.monotonic()
        results = run_batch(jobs, Limits(cell_timeout=cell_timeout), workers, progress=None)
        elapsed = time.monotonic() - start
    bad = [r.student for r in results if r.status in ("crashed", "timeout")]
    return elapsed, bad


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("assignments", nargs="*")
    parser.add_argument("--n", type=int, default=8, help="submissions per assignment")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, os.cpu_count() or 1])
    parser.add_argument("--cell-timeout", type=int, default=120)
    args = parser.parse_args(argv)
    print(f"{'assignment':<20}{'n':>4}{'plain s/nb':>12}" + "".join(f"{f'w={w} s/nb':>12}" for w in args.workers)
          + f"{'speed-up':>10}", flush=True)
    for assignment in args.assignments or assignment_names():
        subs = synthetic(assignment, args.n)
        plain = plain_serial(assignment, subs, args.cell_timeout)
        times = [ours(assignment, subs, w, args.cell_timeout) for w in args.workers]
        line = f"{assignment:<20}{args.n:>4}{plain / args.n:>12.2f}" + "".join(f"{t / args.n:>12.2f}" for t, _ in times)
        line += f"{plain / times[-1][0]:>9.2f}x"
        problems = sorted({s for _, bad in times for s in bad})
        print(line + (f"  (timeout/crashed: {problems})" if problems else ""), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
