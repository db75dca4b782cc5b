"""Tablas de texto angostas: caben en la salida de una celda sin partir palabras ni números.

Cada columna tiene un encabezado corto, un ancho fijo y un formato; la primera se alinea a la
izquierda y las demás a la derecha. Con anchos fijos, las filas se pueden imprimir a medida que se
calculan (por ejemplo, una por prueba de una búsqueda de hiperparámetros).
"""

from dataclasses import dataclass

#: Caracteres que caben en una línea de la salida de una celda de JupyterLab (letra de ancho fijo de 13 px).
LINE_CHARS = 100
#: Espacios entre dos columnas.
GAP = 2


@dataclass(frozen=True)
class Column:
    """Una columna: `header` (corto), `width` en caracteres y `spec`, el formato de sus valores (`".3f"`)."""

    header: str
    width: int
    spec: str = ""


class Table:
    """Una tabla de columnas fijas: `header()` y `row(*valores)` devuelven una línea cada una."""

    def __init__(self, *columns: Column):
        self.columns = [Column(c.header, max(c.width, len(c.header)), c.spec) for c in columns]
        if len(self.header()) > LINE_CHARS:
            raise ValueError(f"la tabla mide {len(self.header())} caracteres; caben {LINE_CHARS}")

    def _line(self, cells: list[str]) -> str:
        first, *rest = zip(self.columns, cells)
        parts = [f"{first[1]:<{first[0].width}}"] + [f"{cell:>{column.width}}" for column, cell in rest]
        return (" " * GAP).join(parts).rstrip()

    def header(self) -> str:
        """La línea de encabezados."""
        return self._line([c.header for c in self.columns])

    def row(self, *values) -> str:
        """Una fila con los valores en el orden de las columnas (un texto más largo que su columna la
        ensancha solo en esa fila)."""
        return self._line([format(value, column.spec) for column, value in zip(self.columns, values)])

    def format(self, rows) -> str:
        """La tabla entera: encabezados y una línea por fila (cada fila, una secuencia de valores)."""
        return "\n".join([self.header(), *(self.row(*values) for values in rows)])
