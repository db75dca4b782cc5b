"""Prove the course: source full marks, release zero, wrong versions lose points, alternatives keep them."""

import sys
from dataclasses import dataclass

from autograder import mutants
from autograder.assignments import assignment_names, notebook_path
from autograder.scoring import grade_many


@dataclass
class Outcome:
    assignment: str
    name: str
    kind: str  # source, release, wrong, alternative
    score: float
    max_score: float
    status: str = "ok"  # the grading status (crashed, timeout, ...): shown next to a failure

    @property
    def ok(self):
        if self.kind in ("source", "alternative"):
            return self.max_score > 0 and self.score == self.max_score
        if self.kind == "release":
            return self.score == 0
        return self.score < self.max_score


def _submissions(assignment, with_mutants, first_only):
    """`{student: notebook}` and `{student: kind}` to grade for one assignment."""
    submissions = {"source": notebook_path(assignment, "source"), "release": notebook_path(assignment, "release")}
    kinds = {"source": "source", "release": "release"}
    if with_mutants:
        for student, (kind, _, _, notebook) in mutants.variants(assignment, first_only).items():
            submissions[student] = notebook
            kinds[student] = kind
    return submissions, kinds


def check_many(assignments, with_mutants=False, first_only=False, workers=None, progress=None):
    """Grade source, release and (optionally) the mutants of several assignments in one parallel batch
    through the grading pipeline; a list of `Outcome`."""
    prepared = {a: _submissions(a, with_mutants, first_only) for a in assignments}
    graded = grade_many({a: subs for a, (subs, _) in prepared.items()}, workers=workers, progress=progress)
    return [Outcome(a, student, kinds[student], r.score, r.max_score, r.status)
            for a, (_, kinds) in prepared.items() for student, r in graded[a].items()]


def summary(outcomes):
    """Lines of a per-assignment table, then the failures by name."""
    lines = [f"{'assignment':<22}{'source':>8}{'release':>9}{'killed':>10}{'accepted':>10}"]
    for assignment in dict.fromkeys(o.assignment for o in outcomes):
        rows = [o for o in outcomes if o.assignment == assignment]

        def count(kind):
            group = [o for o in rows if o.kind == kind]
            return f"{sum(o.ok for o in group)}/{len(group)}"

        source = next(o for o in rows if o.kind == "source")
        release = next(o for o in rows if o.kind == "release")
        lines.append(f"{assignment:<22}{source.score:>4.0f}/{source.max_score:<3.0f}{release.score:>5.0f}/"
                     f"{release.max_score:<3.0f}{count('wrong'):>10}{count('alternative'):>10}")
    for o in outcomes:
        if not o.ok:
            what = {"source": "source notebook is not full marks", "release": "release notebook scores points",
                    "wrong": "wrong version survived", "alternative": "alternative version rejected"}[o.kind]
            how = f", {o.status}" if o.status in ("timeout", "crashed") else ""
            lines.append(f"FAIL {o.assignment}: {o.name}: {what} ({o.score:g}/{o.max_score:g}{how})")
    return lines


def run_check(assignments=None, with_mutants=False, first_only=False):
    """Check the given assignments (default: all); print the table; return the outcomes."""
    outcomes = check_many(assignments or assignment_names(), with_mutants, first_only, progress=sys.stderr)
    print("\n".join(summary(outcomes)))
    return outcomes
