"""The instructor's main job on an embedded default: release, grade example submissions, print grades."""

from autograder import mutants, release
from autograder.assignments import assignment_names, notebook_path
from autograder.scoring import score_submissions, total


def example_submissions(assignment):
    """Three example students: the reference solution, an untouched release, and common mistakes."""
    wrong, _ = mutants.load(assignment)
    first_mistakes = {gid: next(iter(versions.values())) for gid, versions in wrong.items() if versions}
    return {
        "ana_referencia": mutants.submission(assignment),
        "blas_en_blanco": notebook_path(assignment, "release"),
        "carla_con_errores": mutants.submission(assignment, first_mistakes),
    }


def demo(assignments=None):
    """Regenerate release/, grade the examples of every assignment and print a grade table."""
    assignments = assignments or assignment_names()
    release.generate(assignments)
    table = {}
    for assignment in assignments:
        print(f"Corrigiendo {assignment} ...", flush=True)
        for student, scores in score_submissions(assignment, example_submissions(assignment)).items():
            table.setdefault(student, {})[assignment] = total(scores)
    width = max(len(a) for a in assignments) + 2
    print("\n" + "estudiante".ljust(20) + "".join(a.rjust(width) for a in assignments))
    for student, row in table.items():
        print(student.ljust(20) + "".join(f"{row[a][0]:g}/{row[a][1]:g}".rjust(width) for a in assignments))
    return 0
