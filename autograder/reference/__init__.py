"""Instructor-side reference implementations of graded functions (never shipped to students)."""
