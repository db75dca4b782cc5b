"""The course's benchmarks (`python -m benchmarks.run`); each figure's results go to `RESULTS`."""

from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
