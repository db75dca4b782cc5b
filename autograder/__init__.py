"""Instructor-only grading pipeline for the course, on top of nbgrader 0.9 (never shipped to students)."""

from pathlib import Path

#: The repository root, which is also the nbgrader course directory.
COURSE_ROOT = Path(__file__).resolve().parent.parent
