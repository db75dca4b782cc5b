"""Reference solutions of notebook 01 (`heaviside`, `perceptron_predict`, `perceptron_update`), for the
tests and benchmarks of `course.perceptron`."""

import numpy as np


def heaviside(z):
    """1.0 where z >= 0, 0.0 where z < 0, same shape as z."""
    return (np.asarray(z) >= 0).astype(float)


def perceptron_predict(X, w, b):
    """step(X w + b) for one neuron (w (n,)) or k neurons (w (n, k))."""
    return heaviside(np.asarray(X, dtype=float) @ np.asarray(w, dtype=float) + b)


def perceptron_update(w, b, x, y, eta):
    """One application of the perceptron rule; new `(w, b)`, arguments untouched."""
    w = np.asarray(w, dtype=float)
    x = np.asarray(x, dtype=float)
    error = y - heaviside(x @ w + b)
    return w + eta * error * x, float(b + eta * error)
