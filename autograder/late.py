"""Due dates and late penalties, configured in `<course root>/course.toml`:

```toml
timezone = "America/Montevideo"        # due dates without an offset and Moodle zip times are read in it
[due]
01_perceptron = "2026-04-10 23:59"
[extensions.01_perceptron]             # extra days per student (fractions allowed)
ana_perez = 2
[late]
percent_per_day = 10                   # of the raw score, per started day after the grace period
max_percent = 50                       # cap
grace_minutes = 15
```

The submission time is nbgrader's `timestamp.txt` in the submission folder (the exchange writes it; the Moodle
import writes it from the zip). `sync` stores due dates, extensions and times in nbgrader's gradebook
(`Assignment.duedate`, `SubmittedAssignment.extension` / `timestamp`), so formgrader shows them too."""

import datetime as dt
import math
import tomllib
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from nbgrader.utils import parse_utc

from autograder.model import Result

TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f %Z"  # nbgrader's (`timestamp.txt`)


@dataclass
class Policy:
    """The late-submission rule: `percent_per_day` of the raw score per started day late, at most `max_percent`,
    nothing within `grace_minutes`."""
    percent_per_day: float = 0.0
    max_percent: float = 100.0
    grace_minutes: float = 0.0

    def percent(self, seconds_late: float) -> float:
        """The penalty in % of the raw score for a submission `seconds_late` after its due date."""
        if seconds_late <= self.grace_minutes * 60:
            return 0.0
        return min(self.max_percent, self.percent_per_day * math.ceil(seconds_late / 86400))


def config(root: Path) -> dict:
    """`course.toml` of the course root, or `{}`."""
    path = Path(root) / "course.toml"
    return tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _zone(conf: dict) -> ZoneInfo:
    return ZoneInfo(conf.get("timezone", "UTC"))


def due_date(root: Path, assignment: str, student: str | None = None, conf: dict | None = None) -> dt.datetime | None:
    """The due date of `assignment` (UTC, naive like nbgrader's), plus `student`'s extension; None without one."""
    conf = config(root) if conf is None else conf
    due = conf.get("due", {}).get(assignment)
    if due is None:
        return None
    when = due if isinstance(due, dt.datetime) else dt.datetime.fromisoformat(str(due))
    if when.tzinfo is None:
        when = when.replace(tzinfo=_zone(conf))
    when = when.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return when + extension(conf, assignment, student)


def extension(conf: dict, assignment: str, student: str | None) -> dt.timedelta:
    return dt.timedelta(days=float(conf.get("extensions", {}).get(assignment, {}).get(student, 0)))


def zip_timestamp(root: Path, date_time: tuple) -> str:
    """nbgrader's `timestamp.txt` text for a zip entry's local `date_time`, read in the course's time zone."""
    local = dt.datetime(*date_time, tzinfo=_zone(config(root)))
    return local.astimezone(dt.timezone.utc).strftime(TIMESTAMP_FORMAT)


def submitted_at(root: Path, student: str, assignment: str) -> dt.datetime | None:
    """The submission time from `timestamp.txt` (UTC, naive), or None."""
    path = Path(root) / "submitted" / student / assignment / "timestamp.txt"
    try:
        return parse_utc(path.read_text(encoding="utf-8").strip()) if path.exists() else None
    except ValueError:
        return None


def annotate(root: Path, result: Result, conf: dict | None = None) -> Result:
    """Set `result.seconds_late` and `result.penalty` (points) from the course's due dates; return it."""
    conf = config(root) if conf is None else conf
    due = due_date(root, result.assignment, result.student, conf)
    when = submitted_at(root, result.student, result.assignment)
    late = max(0.0, (when - due).total_seconds()) if due is not None and when is not None else 0.0
    result.seconds_late = late
    result.penalty = round(result.score * Policy(**conf.get("late", {})).percent(late) / 100, 4)
    return result


def sync(root: Path, assignments: list[str]) -> None:
    """Store due dates, extensions and submission times in `<root>/gradebook.db` (nbgrader's own fields)."""
    from nbgrader.api import MissingEntry

    from autograder.nbgrader_setup import gradebook

    conf = config(root)
    if not conf.get("due") or not (Path(root) / "gradebook.db").exists():
        return
    with gradebook(root) as gb:
        for assignment in assignments:
            due = due_date(root, assignment, None, conf)
            if due is None:
                continue
            gb.update_or_create_assignment(assignment, duedate=due)
            for student in gb.students:
                try:
                    submission = gb.find_submission(assignment, student.id)
                except MissingEntry:
                    continue
                submission.extension = extension(conf, assignment, student.id) or None
                submission.timestamp = submitted_at(root, student.id, assignment)
            gb.db.commit()
