"""Paquete del curso «Redes neuronales»: datos, comprobaciones, gráficos, widgets y la MLP de NumPy.

Los cuadernos importan de aquí lo que comparten (por ejemplo `from course import checks`), de modo
que cada cosa está escrita una sola vez. Este paquete nunca importa `autograder`.
"""

import os

#: Verdadero cuando nbgrader ejecuta el cuaderno (autograde o validate): las demos se acortan.
GRADING = bool(os.environ.get("NBGRADER_EXECUTION"))
