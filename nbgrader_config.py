"""nbgrader configuration for the course. The repository root is the nbgrader course directory."""

import os

c = get_config()  # noqa: F821 - provided by traitlets when nbgrader loads this file

HERE = os.path.dirname(os.path.abspath(__file__))

# Quiet TensorFlow before any kernel starts: its start-up logs go to stderr.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

c.CourseDirectory.course_id = "redes-neuronales"
c.CourseDirectory.root = os.environ.get("NBGRADER_COURSE_ROOT", HERE)

# The default /usr/local/share/nbgrader/exchange is not writable by a student: use a folder they own
# (JupyterHub deployments set NBGRADER_EXCHANGE to the shared exchange).
c.Exchange.root = os.environ.get("NBGRADER_EXCHANGE", os.path.join(os.path.expanduser("~"), ".nbgrader-exchange"))

# Seconds per cell; nbgrader has no per-notebook limit (the autograder adds one).
c.Execute.timeout = int(os.environ.get("NBGRADER_CELL_TIMEOUT", "120"))

# A deleted or de-metadata'd grade cell comes back from the gradebook and scores 0 instead of
# "needs manual grade" (which the CSV export shows as 0, like a blank submission).
c.OverwriteCells.add_missing_cells = True

# Anything on stderr (a Keras UserWarning, warnings.warn) would make nbgrader fail the cell:
# drop stderr streams before grading. Failed tests raise, so they still show as errors.
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = r"[\s\S]"

# Student version: Spanish stubs.
c.ClearSolutions.code_stub = {
    "python": '# TU CÓDIGO AQUÍ\nraise NotImplementedError("Completa esta función")',
}
c.ClearSolutions.text_stub = "ESCRIBE AQUÍ TU RESPUESTA"

# Feedback never shows hidden tests.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
