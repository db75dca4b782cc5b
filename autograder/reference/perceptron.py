"""Reference solutions of notebook 01 (`heaviside`, `perceptron_predict`, `perceptron_update`), for the
tests and benchmarks of `course.perceptron`."""

import numpy as np
from numpy.typing import ArrayLike


def heaviside(z: ArrayLike) -> np.ndarray:
    """1.0 where z >= 0, 0.0 where z < 0, same shape as z."""
    return (np.asarray(z) >= 0).astype(float)


def perceptron_predict(X: ArrayLike, w: ArrayLike, b: ArrayLike) -> np.ndarray:
    """step(X w + b) for one neuron (w (n,)) or k neurons (w (n, k))."""
    return heaviside(np.asarray(X, dtype=float) @ np.asarray(w, dtype=float) + b)


def perceptron_update(w: ArrayLike, b: float, x: ArrayLike, y: float, eta: float) -> tuple[np.ndarray, float]:
    """One application of the perceptron rule; new `(w, b)`, arguments untouched."""
    w = np.asarray(w, dtype=float)
    x = np.asarray(x, dtype=float)
    error = y - heaviside(x @ w + b)
    return w + eta * error * x, float(b + eta * error)
