"""Reference solutions of notebook 02 (`sigmoid`, `dense_forward`, `xor_network`), for the tests and
benchmarks of `course.xor`."""

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike


def sigmoid(z: ArrayLike) -> np.ndarray:
    """Stable logistic function: only e^{-|z|} <= 1 is evaluated."""
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def dense_forward(X: ArrayLike, W: ArrayLike, b: ArrayLike, activation: Callable[[np.ndarray], np.ndarray]
                  ) -> np.ndarray:
    """activation(X W + b)."""
    return activation(np.asarray(X, dtype=float) @ np.asarray(W, dtype=float) + np.asarray(b, dtype=float))


def xor_network(X: ArrayLike, W1: ArrayLike, b1: ArrayLike, W2: ArrayLike, b2: ArrayLike) -> np.ndarray:
    """sigmoid(sigmoid(X W1 + b1) W2 + b2) as an (m,) array."""
    return dense_forward(dense_forward(X, W1, b1, sigmoid), W2, b2, sigmoid)[:, 0]
