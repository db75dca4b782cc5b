"""Where the class struggles: pass rate of every test cell and a histogram of scores per assignment."""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from autograder.results import table  # noqa: E402


def pass_rates(root: Path, assignment: str) -> dict[str, tuple[int, int]]:
    """`{grade_id: (passed, graded)}` over the submissions that were graded (not missing)."""
    rates = {}
    for results in table(root, [assignment]).values():
        r = results[assignment]
        if r.status == "missing":
            continue
        for gid, (score, points) in r.grades.items():
            passed, graded = rates.get(gid, (0, 0))
            rates[gid] = (passed + (score >= points), graded + 1)
    return rates


def histogram(root: Path, assignment: str, path: Path) -> Path:
    """Save a PNG histogram of the total scores of `assignment` (missing submissions left out)."""
    results = [row[assignment] for row in table(root, [assignment]).values()]
    scores = [r.score for r in results if r.status != "missing"]
    top = max((r.max_score for r in results), default=1) or 1
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.hist(scores, bins=min(20, max(5, int(top) + 1)), range=(0, top), color="#4477aa", edgecolor="white")
    ax.set(title=f"{assignment}: distribución de puntuaciones (n = {len(scores)})", xlabel="puntuación",
           ylabel="estudiantes")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def report(root: Path, assignments: list[str], folder: Path | None = None) -> tuple[list[str], list[Path]]:
    """Print the pass rates, write `reports/<assignment>_puntuaciones.png`; return the lines and paths."""
    folder = Path(folder or Path(root) / "reports")
    folder.mkdir(parents=True, exist_ok=True)
    lines, paths = [], []
    for assignment in assignments:
        lines.append(f"{assignment}")
        for gid, (passed, graded) in pass_rates(root, assignment).items():
            lines.append(f"  {gid:<40} {passed:>4}/{graded:<4} {100 * passed / max(graded, 1):5.1f} %")
        paths.append(histogram(root, assignment, folder / f"{assignment}_puntuaciones.png"))
    print("\n".join(lines))
    return lines, paths
