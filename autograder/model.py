"""The grader's data model: what is graded (`Job`), under which limits (`Limits`), and what came out (`Result`,
with one of `STATUSES`)."""

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

#: Every status, from least to most serious (a submission's status is the most serious that applies), with the
#: Spanish label students see on their feedback page.
STATUS_ES = {
    "ok": "corregido",
    "pending manual": "pendiente de corrección manual",
    "needs review": "pendiente de revisión por el profesorado",
    "tampered": "se modificaron celdas bloqueadas: se corrigió con los tests originales",
    "timeout": "tiempo agotado: alguna celda tardó demasiado y se interrumpió",
    "crashed": "el kernel se detuvo (por ejemplo, por falta de memoria o `os._exit`): revisa tu cuaderno",
    "missing": "no se recibió ninguna entrega",
}
STATUSES = tuple(STATUS_ES)
#: The student id under which an assignment's source notebook is graded to prove the grading environment.
REFERENCE = "reference"


def default_workers() -> int:
    """Submissions graded at a time by default: one more than the cores, so that while one waits (its kernel
    starting, its gradebook written) the cores still compute. P6, 64 submissions on 2 cores: 127 s with 2,
    113 s with 3, 112 s with 4."""
    return (os.cpu_count() or 1) + 1


def _limit(default: int, help_text: str, unit: int = 1, flag: str | None = None):
    """A `Limits` field; `unit` scales the command-line value (MiB -> bytes), `flag` is an older option name."""
    return field(default=default, metadata={"help": help_text, "unit": unit, "flag": flag})


@dataclass
class Limits:
    """Per-submission limits (seconds, bytes, characters); each is an option of `grade` (see `cli`)."""
    cell_timeout: int = _limit(60, "seconds per cell (nbgrader interrupts the cell, later cells still run)")
    notebook_timeout: int = _limit(600, "seconds per notebook (the whole process tree is killed)", flag="--timeout")
    # TensorFlow (07) reserves about 3.3 GiB of address space and keeps about 1.5–1.9 GiB resident.
    memory: int = _limit(6 * 2**30, "MiB of address space per kernel", unit=2**20)
    processes: int = _limit(256, "processes per kernel (with isolation)")
    file_size: int = _limit(100 * 2**20, "MiB per file the kernel writes", unit=2**20)
    output_chars: int = _limit(20_000, "characters kept per output in the stored notebook", flag="--output-limit")
    threads: int = _limit(0, "BLAS / TensorFlow threads per kernel (0: the machine's cores ÷ workers)")


@dataclass
class Job:
    """One submission to grade."""
    assignment: str
    student: str
    folder: Path  # holds the submitted notebooks of the assignment (and any files the student handed in)


@dataclass
class Result:
    """The grade of one submission: status, reasons and `{grade_id: [score, max]}`."""
    assignment: str
    student: str
    status: str = "ok"
    reasons: list = field(default_factory=list)
    grades: dict = field(default_factory=dict)  # grade_id -> [score, max]
    seconds: float = 0.0
    digest: str = ""
    seconds_late: float = 0.0  # after the due date and extension (`autograder.late`, never stored)
    penalty: float = 0.0  # late penalty in points, deducted from `score`
    comments: dict = field(default_factory=dict)  # grade_id -> the instructor's comment (`autograder.manual`)
    pending: list = field(default_factory=list)  # manually graded cells without a score yet

    @property
    def score(self) -> float:
        return sum(s for s, _ in self.grades.values())

    @property
    def final_score(self) -> float:
        """The score after the late penalty."""
        return max(0.0, self.score - self.penalty)

    @property
    def max_score(self) -> float:
        return sum(m for _, m in self.grades.values())

    @property
    def pending_points(self) -> float:
        """Points of the manually graded cells without a score yet (part of `max_score`)."""
        return sum(self.grades[gid][1] for gid in self.pending if gid in self.grades)

    @property
    def full_marks(self) -> bool:
        """Every test passed and nothing went wrong: proof that this environment can grade the assignment (cells
        still to be graded by hand left out)."""
        auto = [v for gid, v in self.grades.items() if gid not in self.pending]
        return self.status == "ok" and sum(m for _, m in auto) > 0 and sum(s for s, _ in auto) == sum(m for _, m in auto)

    def flag(self, status: str, reason: str) -> None:
        self.reasons.append(reason)
        if STATUSES.index(status) > STATUSES.index(self.status):
            self.status = status

    def to_json(self) -> dict:
        return {"assignment": self.assignment, "student": self.student, "status": self.status,
                "score": self.score, "max_score": self.max_score, "reasons": self.reasons,
                "grades": self.grades, "seconds": round(self.seconds, 2), "digest": self.digest}

    @classmethod
    def from_json(cls, data: dict) -> "Result":
        return cls(data["assignment"], data["student"], data["status"], data["reasons"],
                   {k: list(v) for k, v in data["grades"].items()}, data.get("seconds", 0.0), data.get("digest", ""))


def digest(folder: Path) -> str:
    """sha256 of the files of a submission folder (to know whether it changed since it was graded)."""
    h = hashlib.sha256()
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file():
            h.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


@dataclass
class ChildReport:
    """What a grading child process reports to the grader (its `result.json`). `kind`: `graded` (autograde
    succeeded; `grades` read from the private gradebook), `nbgrader failed` (autograde reported no success;
    `log` and `error` are nbgrader's) or `error` (the grading process itself raised; `error` is the traceback)."""
    kind: str
    grades: dict = field(default_factory=dict)
    log: str = ""
    error: str = ""
