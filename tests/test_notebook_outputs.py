"""What a student sees after running each solved source notebook top to bottom (as in JupyterLab, not under
nbgrader): no figure wider than a cell, nothing on stderr, no widget description cut by its width, and the
short one-line message for an exercise not written yet."""

import base64
import os

import nbformat
import pytest
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextPath
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from autograder.assignments import assignment_names, notebook_path
from course import plots, widgets

#: 07 trains Keras on all of Fashion-MNIST when not graded (≈ 15 min on 2 cores): only with COURSE_LONG_TESTS=1.
NOTEBOOKS = [pytest.param(a, marks=pytest.mark.skipif(a.startswith("07") and not os.environ.get("COURSE_LONG_TESTS"),
                                                       reason="set COURSE_LONG_TESTS=1: trains on all of Fashion-MNIST"))
             for a in assignment_names() if a != "00_bienvenida"]
#: JupyterLab writes widget labels in a 13 px sans-serif font; DejaVu Sans is a wide stand-in.
LABEL_FONT = FontProperties(family="DejaVu Sans", size=13)
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def executed(path, source=None, allow_errors=None):
    """The notebook at `path` (or built from `source` cells) after running it in a fresh kernel."""
    nb = nbformat.read(path, as_version=4) if source is None else nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(s) for s in source])
    env = {k: v for k, v in os.environ.items() if k != "NBGRADER_EXECUTION"}
    os.environ.pop("NBGRADER_EXECUTION", None)
    client = NotebookClient(nb, timeout=900, kernel_name="python3", allow_errors=source is not None if allow_errors is None else allow_errors,
                            store_widget_state=True, resources={"metadata": {"path": str(path.parent)}})
    os.environ.clear()
    os.environ.update(env)
    return client.execute()


def label_px(text):
    return TextPath((0, 0), text, prop=LABEL_FONT).get_extents().width


@pytest.mark.full
@pytest.mark.parametrize("assignment", NOTEBOOKS)
def test_solved_notebook_reads_well_at_cell_width(assignment):
    nb = executed(notebook_path(assignment))
    wide, stderr = [], []
    for i, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("name") == "stderr":
                stderr.append(f"cell {i}: {output['text'][:200]}")
            png = output.get("data", {}).get("image/png")
            if png and widgets.png_size(base64.b64decode(png))[0] > plots.CELL_WIDTH_PX:
                wide.append(f"cell {i}: {widgets.png_size(base64.b64decode(png))}")
    cut = []
    models = {k: m["state"] for k, m in nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {}).items()}
    for state in models.values():
        if not state.get("description") or "style" not in state:
            continue
        layout_width = models[state["layout"].removeprefix("IPY_MODEL_")].get("width") or ""
        if state["_model_name"] == "ButtonModel":   # the text and its icon fill the whole button
            width, room = layout_width or "148px", label_px(state["description"]) + (20 if state.get("icon") else 0)
        else:                                        # the label has its description width (default 80 px)
            width = models[state["style"].removeprefix("IPY_MODEL_")].get("description_width") or "80px"
            room = label_px(state["description"])
            if "Slider" in state["_model_name"] and layout_width.endswith("px") and width.endswith("px"):
                if float(layout_width[:-2]) - float(width[:-2]) < 200:
                    cut.append(f"{state['description']!r}: slider track and readout under 200 px")
        if width.endswith("px") and room > float(width[:-2]):
            cut.append(f"{state['description']!r} in {width}")
    assert (wide, stderr, cut) == ([], [], [])


def test_unfinished_exercise_says_so_in_one_line(tmp_path):
    nb = executed(tmp_path / "x.ipynb", ["import course", "def relu(z):\n    raise NotImplementedError()",
                                         "relu(1)", "print('después')"])
    error = nb.cells[2].outputs[0]
    assert error.output_type == "error" and error.ename == "NotImplementedError"
    assert len(error.traceback) == 1 and "`relu` todavía no está escrita" in error.traceback[0]
    with pytest.raises(CellExecutionError):   # still an error for the kernel: Run All stops there
        executed(tmp_path / "x.ipynb", ["import course", "raise NotImplementedError()"], allow_errors=False)
