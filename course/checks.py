"""Comprobaciones para las celdas de test: comparan valores de forma robusta y fallan en español.

Cada función lanza `CheckError` (una `AssertionError`) con un mensaje que dice qué se comprobó,
qué se esperaba y qué se obtuvo. Nunca se usa el `==` de un objeto del estudiante: todo se
convierte antes a arreglos de `float` de NumPy.
"""

import copy
import warnings
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NoReturn

import numpy as np
from numpy.typing import ArrayLike

# Referencias tomadas al importar, para que un parche posterior de NumPy no cambie la comparación.
_isfinite = np.isfinite
_abs = np.abs
_asarray = np.asarray


class CheckError(AssertionError):
    """Fallo de una comprobación, con un mensaje en español para el estudiante."""


def _short(value, limit=300):
    """Texto corto que representa `value` para un mensaje."""
    if isinstance(value, np.ndarray):
        with np.printoptions(precision=6, threshold=20, edgeitems=3, suppress=True):
            text = np.array2string(value, separator=", ")
    else:
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _type_name(value):
    return type(value).__name__


def fail(message: str) -> NoReturn:
    """Lanza un `CheckError` con `message`."""
    raise CheckError(message)


def check_true(condition: object, message: str) -> None:
    """Falla con `message` si `condition` no es exactamente verdadera (sustituye a `assert`)."""
    if not (condition is True or (isinstance(condition, (bool, np.bool_)) and bool(condition))):
        fail(message)


def as_float_array(value: object, name: str = "el resultado") -> np.ndarray:
    """Convierte `value` en un arreglo `float64`; falla en español si no es numérico."""
    if value is None:
        fail(f"{name} es None. ¿Olvidaste el `return`?")
    if isinstance(value, (str, bytes, dict, set)):
        fail(f"{name} debería ser numérico, pero es de tipo {_type_name(value)}: {_short(value)}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            array = _asarray(value, dtype=np.float64)
    except Exception as exc:  # noqa: BLE001 - cualquier objeto raro debe dar un mensaje claro
        fail(f"{name} no se puede convertir en números (tipo {_type_name(value)}): {exc}")
    if array.dtype != np.float64:
        fail(f"{name} no es numérico (tipo {_type_name(value)}).")
    return array.copy()


def check_shape(value: object, shape: Sequence[int], name: str = "el resultado") -> np.ndarray:
    """Comprueba que `value` (convertido a arreglo) tenga la forma `shape`; devuelve el arreglo."""
    array = as_float_array(value, name)
    if tuple(array.shape) != tuple(shape):
        fail(f"{name} debería tener forma {tuple(shape)}, pero tiene forma {tuple(array.shape)}.")
    return array


def check_finite(value: object, name: str = "el resultado") -> np.ndarray:
    """Comprueba que no haya NaN ni infinitos; devuelve el arreglo."""
    array = as_float_array(value, name)
    bad = ~_isfinite(array)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0]) if array.ndim else ()
        fail(f"{name} contiene NaN o infinito (por ejemplo en la posición {where}): {_short(array)}")
    return array


def check_close(
    actual: object, expected: ArrayLike, name: str = "el resultado", rtol: float = 1e-6, atol: float = 1e-8
) -> np.ndarray:
    """Compara `actual` con `expected` elemento a elemento: forma, finitud y tolerancias.

    `expected` es un valor de referencia (escalar o arreglo). Se acepta `actual` de cualquier tipo
    convertible (lista, tupla, escalar de NumPy, arreglo de enteros...). Devuelve el arreglo.
    """
    expected = _asarray(expected, dtype=np.float64)
    array = check_finite(check_shape(actual, expected.shape, name), name)
    wrong = ~(_abs(array - expected) <= atol + rtol * _abs(expected))
    if wrong.any():
        if array.ndim == 0:
            fail(f"{name}: se esperaba {float(expected):.6g} y se obtuvo {float(array):.6g}.")
        index = tuple(int(i) for i in np.argwhere(wrong)[0])
        fail(
            f"{name}: {int(wrong.sum())} de {array.size} valores no coinciden. "
            f"Por ejemplo, en la posición {index} se esperaba {expected[index]:.6g} "
            f"y se obtuvo {array[index]:.6g}."
        )
    return array


def check_equal(actual: object, expected: ArrayLike, name: str = "el resultado") -> np.ndarray:
    """Compara valores discretos (enteros, etiquetas 0/1...) exactamente, tras convertir a float."""
    return check_close(actual, expected, name, rtol=0.0, atol=0.0)


def check_scalar(actual: object, name: str = "el resultado") -> float:
    """Comprueba que `actual` sea un único número finito y lo devuelve como `float`."""
    array = check_finite(actual, name)
    if array.size != 1:
        fail(f"{name} debería ser un único número, pero tiene forma {tuple(array.shape)}.")
    return float(array.reshape(()))


def check_int(actual: object, expected: int, name: str = "el resultado") -> int:
    """Comprueba que `actual` sea un entero (int o entero de NumPy) igual a `expected`."""
    if isinstance(actual, (bool, np.bool_)) or not isinstance(actual, (int, np.integer)):
        fail(f"{name} debería ser un entero, pero es de tipo {_type_name(actual)}: {_short(actual)}")
    if int(actual) != int(expected):
        fail(f"{name}: se esperaba {int(expected)} y se obtuvo {int(actual)}.")
    return int(actual)


def check_dtype_kind(actual: object, kinds: str, name: str = "el resultado") -> np.ndarray:
    """Comprueba el tipo de los elementos: `kinds` es una cadena de `dtype.kind` ('f', 'iu', 'b'...)."""
    array = np.asarray(actual)
    if array.dtype.kind not in kinds:
        names = {"f": "reales (float)", "i": "enteros", "u": "enteros sin signo", "b": "booleanos"}
        wanted = " o ".join(names.get(k, k) for k in kinds)
        fail(f"{name} debería contener valores {wanted}, pero su tipo es {array.dtype}.")
    return array


def check_tuple(actual: object, length: int, name: str = "el resultado") -> tuple:
    """Comprueba que `actual` sea una tupla o lista de `length` elementos y la devuelve como tupla."""
    if not isinstance(actual, (tuple, list)):
        fail(f"{name} debería ser una tupla de {length} elementos, pero es de tipo {_type_name(actual)}.")
    if len(actual) != length:
        fail(f"{name} debería tener {length} elementos, pero tiene {len(actual)}.")
    return tuple(actual)


def check_keys(actual: object, keys: Iterable[Any], name: str = "el resultado") -> dict:
    """Comprueba que `actual` sea un diccionario con exactamente las claves `keys`."""
    if not isinstance(actual, dict):
        fail(f"{name} debería ser un diccionario, pero es de tipo {_type_name(actual)}.")
    got, wanted = sorted(map(str, actual)), sorted(map(str, keys))
    if got != wanted:
        fail(f"{name} debería tener las claves {wanted}, pero tiene {got}.")
    return actual


def snapshot(*values: Any) -> tuple:
    """Copia profunda de las entradas, para comprobar luego con `check_unchanged` que no se modificaron."""
    return copy.deepcopy(values)


def check_unchanged(before: tuple, after: tuple, name: str = "la entrada") -> None:
    """Comprueba que una entrada no cambió (compara una copia tomada con `snapshot`)."""
    for old, new in zip(before, after):
        if isinstance(old, dict):
            for key in old:
                check_unchanged((old[key],), (new[key],), f"{name}[{key!r}]")
            continue
        same = np.array_equal(_asarray(old, dtype=np.float64), _asarray(new, dtype=np.float64), equal_nan=True)
        if not same:
            fail(f"Tu función modificó {name}; debe devolver valores nuevos sin cambiar sus argumentos.")


def call_quietly(function: Callable[..., Any], *args: Any, name: str | None = None, **kwargs: Any) -> Any:
    """Llama a `function` y falla si desborda (`exp(1000)`), divide por cero, produce NaN o emite
    cualquier aviso. El subdesbordamiento (`exp(-1000)` → 0) es inofensivo y se acepta."""
    label = name or getattr(function, "__name__", "la función")
    with warnings.catch_warnings(), np.errstate(all="raise", under="ignore"):
        warnings.simplefilter("error")
        try:
            return function(*args, **kwargs)
        except (FloatingPointError, RuntimeWarning) as exc:
            fail(f"{label} produjo un aviso numérico ({exc}); usa una fórmula estable.")


def passed(message: str = "¡Bien! Todas las comprobaciones de esta celda pasaron.") -> None:
    """Mensaje final de una celda de test que pasó."""
    print(message)
