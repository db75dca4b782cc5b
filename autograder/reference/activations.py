"""Reference solutions of notebook 03's activations and derivatives, for the tests and benchmarks of
`course.activations`."""

import math

import numpy as np
from numpy.typing import ArrayLike

from autograder.reference.xor import sigmoid

_erf = np.vectorize(math.erf, otypes=[float])


def sigmoid_grad(z: ArrayLike) -> np.ndarray:
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z: ArrayLike) -> np.ndarray:
    return np.tanh(np.asarray(z, dtype=float))


def tanh_grad(z: ArrayLike) -> np.ndarray:
    return 1.0 - tanh(z) ** 2


def relu(z: ArrayLike) -> np.ndarray:
    return np.maximum(np.asarray(z, dtype=float), 0.0)


def relu_grad(z: ArrayLike) -> np.ndarray:
    return (np.asarray(z, dtype=float) > 0).astype(float)


def leaky_relu(z: ArrayLike, alpha: float = 0.01) -> np.ndarray:
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, alpha * z)


def leaky_relu_grad(z: ArrayLike, alpha: float = 0.01) -> np.ndarray:
    return np.where(np.asarray(z, dtype=float) > 0, 1.0, float(alpha))


def elu(z: ArrayLike, alpha: float = 1.0) -> np.ndarray:
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0.0)))


def elu_grad(z: ArrayLike, alpha: float = 1.0) -> np.ndarray:
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, 1.0, alpha * np.exp(np.minimum(z, 0.0)))


def swish(z: ArrayLike, beta: float = 1.0) -> np.ndarray:
    z = np.asarray(z, dtype=float)
    return z * sigmoid(beta * z)


def gelu(z: ArrayLike) -> np.ndarray:
    z = np.asarray(z, dtype=float)
    return 0.5 * z * (1.0 + _erf(z / math.sqrt(2.0)))


def softmax(Z: ArrayLike, axis: int = -1) -> np.ndarray:
    Z = np.asarray(Z, dtype=float)
    E = np.exp(Z - Z.max(axis=axis, keepdims=True))
    return E / E.sum(axis=axis, keepdims=True)


def softmax_jacobian(z: ArrayLike) -> np.ndarray:
    s = softmax(z)
    return np.diag(s) - np.outer(s, s)


#: The dictionary notebook 03 passes to the figures and widgets of `course.activations` (`mis_funciones`).
FUNCTIONS = {"sigmoid": sigmoid, "sigmoid_grad": sigmoid_grad, "tanh": tanh, "tanh_grad": tanh_grad,
             "relu": relu, "relu_grad": relu_grad, "leaky_relu": leaky_relu, "leaky_relu_grad": leaky_relu_grad,
             "elu": elu, "elu_grad": elu_grad, "swish": swish, "gelu": gelu}
