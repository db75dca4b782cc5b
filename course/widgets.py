"""Demos y widgets construidos sobre las funciones del propio estudiante.

Los cuadernos pasan sus funciones (por ejemplo `relu`) a las figuras y widgets de `course/`. Mientras una de
ellas es todavía el esqueleto (`raise NotImplementedError()`), `demo` muestra una sola línea en español que
dice qué completar, en lugar de una traza de error. Al corregir (nbgrader) las demos no se ejecutan.
"""

from collections.abc import Callable
from typing import TypeVar

import course

T = TypeVar("T")


def pending_message(needs: str) -> str:
    """La línea que ve quien aún no completó `needs` (p. ej. «`relu` (ejercicio 5)»)."""
    return f"ⓘ Completa {needs} para ver esta parte."


def demo(action: Callable[[], T], needs: str) -> T | None:
    """Ejecuta `action` (una figura, un widget, una tabla que usa funciones del estudiante) y devuelve su resultado.

    Si alguna de esas funciones todavía lanza `NotImplementedError`, imprime `pending_message(needs)`, cierra
    las figuras a medio dibujar y devuelve None. Al corregir con nbgrader no hace nada (las demos no puntúan)."""
    if course.GRADING:
        return None
    import matplotlib.pyplot as plt

    before = set(plt.get_fignums())
    try:
        return action()
    except NotImplementedError:
        for number in set(plt.get_fignums()) - before:
            plt.close(number)
        print(pending_message(needs))
        return None
