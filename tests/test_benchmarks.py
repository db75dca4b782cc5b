"""The benchmark scripts work: `python -m benchmarks.run --quick` prints and writes all six figures.

Only that they run and report: speed targets are read from `make bench`'s output, never asserted here.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.full
def test_quick_benchmarks_write_every_figure(tmp_path):
    result = subprocess.run([sys.executable, "-m", "benchmarks.run", "--quick", "--out", str(tmp_path)],
                            cwd=ROOT, capture_output=True, text=True, timeout=1200)
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads((tmp_path / "quick.json").read_text(encoding="utf-8"))
    assert sorted(report["figures"]) == ["P1", "P2", "P3", "P4", "P5", "P6"]
    assert all(figure["rows"] for figure in report["figures"].values())
    assert report["machine"]["cores"] >= 1 and "numpy" in report["machine"]["versions"]
    markdown = (tmp_path / "quick.md").read_text(encoding="utf-8")
    assert "## P5" in markdown and "| widget |" in markdown
