"""Paquete del curso «Redes neuronales»: datos, comprobaciones, gráficos, widgets y la MLP de NumPy.

Los cuadernos importan de aquí lo que comparten (por ejemplo `from course import checks`), de modo
que cada cosa está escrita una sola vez. Este paquete nunca importa `autograder`.
"""

import os

#: Verdadero cuando nbgrader ejecuta el cuaderno (autograde o validate): las demos se acortan.
GRADING = bool(os.environ.get("NBGRADER_EXECUTION"))


def _short_not_implemented(shell, etype, value, tb, tb_offset=None) -> list[str]:
    """Muestra en una sola línea el `NotImplementedError` de un ejercicio sin hacer. Sigue siendo un error de
    la celda (*Run All* se detiene ahí); solo la traza es corta."""
    while tb.tb_next is not None:
        tb = tb.tb_next
    name = tb.tb_frame.f_code.co_name
    where = f"`{name}` todavía no está escrita" if not name.startswith("<") else "Esta parte todavía no está escrita"
    stb = [f"NotImplementedError: {where}: completa su celda (reemplaza `raise NotImplementedError()` por tu "
           "código), ejecútala y vuelve a ejecutar esta."]
    shell._showtraceback(etype, value, stb)  # el mismo mensaje de error que IPython, con la traza corta
    return stb


def _register_short_tracebacks() -> None:
    """En un kernel interactivo (nunca al corregir) muestra así los ejercicios sin hacer."""
    if GRADING:
        return
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None and hasattr(shell, "set_custom_exc"):
        shell.set_custom_exc((NotImplementedError,), _short_not_implemented)


_register_short_tracebacks()
