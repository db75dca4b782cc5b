"""Prove the course: source full marks, release zero, wrong versions lose points in a test cell, alternatives
keep them (all of the autograded points: cells graded by hand are reported as pending)."""

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from autograder import COURSE_ROOT, mutants
from autograder.assignments import assignment_names
from autograder.judge import cell_errors
from autograder.scoring import grade_many


@dataclass
class Outcome:
    assignment: str
    name: str
    kind: str  # source, release, wrong, alternative
    score: float
    max_score: float
    status: str = "ok"  # the grading status (crashed, timeout, ...): shown next to a failure
    gid: str = ""  # the solution cell a wrong or alternative version replaces ("all": every one)
    killed_by: tuple = ()  # the test cells that lost points with an error in the graded notebook
    own_error: str = ""  # the error of the replaced solution cell itself (a wrong version proves nothing then)
    manual: float = 0.0  # points of cells graded by hand: pending, not in `score` / `max_score`

    @property
    def ok(self) -> bool:
        if self.kind in ("source", "alternative"):
            return self.max_score > 0 and self.score == self.max_score
        if self.kind == "release":
            return self.score == 0
        return bool(self.killed_by) and not self.own_error


def _submissions(assignment, with_mutants, first_only, with_wrong=True, source_root=COURSE_ROOT):
    """`{student: notebook or folder of notebooks}` and `{student: (kind, grade_id)}` to grade for one
    assignment (the mutants: the course's own assignments only)."""
    submissions = {kind: Path(source_root) / kind / assignment for kind in ("source", "release")}
    kinds = {"source": ("source", ""), "release": ("release", "")}
    if with_mutants:
        for student, (kind, gid, _, notebook) in mutants.variants(assignment, first_only).items():
            if kind == "wrong" and not with_wrong:
                continue
            submissions[student] = notebook
            kinds[student] = (kind, gid)
    return submissions, kinds


def check_many(assignments: list[str], with_mutants: bool = False, first_only: bool = False,
               workers: int | None = None, progress: TextIO | None = None, wrong_in: set[str] | None = None,
               source_root: Path = COURSE_ROOT) -> list[Outcome]:
    """Grade source, release and (optionally) the mutants of several assignments of `source_root` in one
    parallel batch through the grading pipeline; a list of `Outcome`. `wrong_in`: the assignments whose wrong
    versions are graded (default: all); the others get only their alternatives."""
    prepared = {a: _submissions(a, with_mutants, first_only, wrong_in is None or a in wrong_in, source_root)
                for a in assignments}
    errors = {}

    def keep_errors(job, result, notebook):
        errors[job.assignment, job.student] = cell_errors(notebook)

    graded = grade_many({a: subs for a, (subs, _) in prepared.items()}, workers=workers, progress=progress,
                        on_done=keep_errors, source_root=source_root)
    outcomes = []
    for a, (_, kinds) in prepared.items():
        for student, r in graded[a].items():
            kind, gid = kinds[student]
            failed = errors.get((a, student), {})
            killed_by = tuple(t for t, (score, top) in r.grades.items() if score < top and t in failed)
            outcomes.append(Outcome(a, student, kind, r.score, r.max_score - r.pending_points, r.status, gid,
                                    killed_by, failed.get(gid, ""), r.pending_points))
    return outcomes


def summary(outcomes: list[Outcome]) -> list[str]:
    """Lines of a per-assignment table, the test that killed each wrong version, then the failures by name."""
    lines = [f"{'assignment':<22}{'source':>8}{'release':>9}{'killed':>10}{'accepted':>10}"]
    for assignment in dict.fromkeys(o.assignment for o in outcomes):
        rows = [o for o in outcomes if o.assignment == assignment]

        def count(kind):
            group = [o for o in rows if o.kind == kind]
            return f"{sum(o.ok for o in group)}/{len(group)}"

        source = next(o for o in rows if o.kind == "source")
        release = next(o for o in rows if o.kind == "release")
        lines.append(f"{assignment:<22}{source.score:>4.0f}/{source.max_score:<3.0f}{release.score:>5.0f}/"
                     f"{release.max_score:<3.0f}{count('wrong'):>10}{count('alternative'):>10}"
                     + (f"  + {source.manual:g} by hand (pending)" if source.manual else ""))
    lines += [f"killed {o.assignment}: {o.name} by {', '.join(o.killed_by)}"
              for o in outcomes if o.kind == "wrong" and o.ok]
    for o in outcomes:
        if not o.ok:
            what = {"source": "source notebook is not full marks", "release": "release notebook scores points",
                    "wrong": "wrong version survived", "alternative": "alternative version rejected"}[o.kind]
            if o.kind == "wrong" and o.own_error:
                what = f"wrong version fails in its own cell ({o.own_error}), not in a test"
            how = f", {o.status}" if o.status in ("timeout", "crashed") else ""
            lines.append(f"FAIL {o.assignment}: {o.name}: {what} ({o.score:g}/{o.max_score:g}{how})")
    return lines


def run_check(assignments: list[str] | None = None, with_mutants: bool = False,
              first_only: bool = False, source_root: Path = COURSE_ROOT) -> list[Outcome]:
    """Check the given assignments of `source_root` (default: all); print the table; return the outcomes."""
    outcomes = check_many(assignments or assignment_names(source_root), with_mutants, first_only, progress=sys.stderr,
                          source_root=source_root)
    print("\n".join(summary(outcomes)))
    return outcomes
