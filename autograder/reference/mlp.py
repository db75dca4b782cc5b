"""The full NumPy MLP on the instructor side (benchmark P4, tests/test_backprop_tf.py, the widget benchmark).

The network itself (03's activations, 04's forward/backward) is the file that ships with notebooks 05 and 06
(`source/05_sgd/red.py`), loaded from there so it exists once; 05's He initialisation and Adam are those that
ship with 06 (`source/06_regularizacion/optimizacion.py`). Added here: 05's remaining graded pieces (SGD,
momentum, mini-batches) in the forms `course.mlp.fit` and `course.sgd` take, and a float32-preserving,
in-place SGD step for timing.
"""

import importlib.util
from collections.abc import Callable, Iterator, Sequence
from types import ModuleType
from typing import Any

import numpy as np
from numpy.typing import DTypeLike

from autograder import COURSE_ROOT


def _load(name: str, relative: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, COURSE_ROOT / relative)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


net = _load("red", "source/05_sgd/red.py")
_given = _load("optimizacion", "source/06_regularizacion/optimizacion.py")
adam_step = _given.adam_step

Params = dict[str, np.ndarray]
Batches = Iterator[tuple[np.ndarray, np.ndarray]]


def he_init(layer_sizes: Sequence[int], rng: np.random.Generator, dtype: DTypeLike = np.float64) -> Params:
    """He initialisation (05's graded `he_init`) cast to `dtype`."""
    return {k: v.astype(dtype) for k, v in _given.he_init(list(layer_sizes), rng).items()}


def sgd_step(params: Params, grads: Params, lr: float) -> Params:
    """θ ← θ − η∇θ (05's graded `sgd_step`), new arrays."""
    return {k: params[k] - lr * grads[k] for k in params}


def momentum_step(params: Params, grads: Params, velocity: Params, lr: float, beta: float = 0.9
                  ) -> tuple[Params, Params]:
    """v ← βv − η∇θ, θ ← θ + v (05's graded `momentum_step`)."""
    new_velocity = {k: beta * velocity.get(k, 0.0) - lr * grads[k] for k in params}
    return {k: params[k] + new_velocity[k] for k in params}, new_velocity


def iterate_minibatches(X: np.ndarray, y: np.ndarray, batch_size: int, shuffle: bool = True,
                        rng: np.random.Generator | None = None) -> Batches:
    """One epoch of (X, y) in mini-batches (05's graded `iterate_minibatches`)."""
    order = (rng or np.random.default_rng()).permutation(len(X)) if shuffle else np.arange(len(X))
    for start in range(0, len(X), batch_size):
        idx = order[start:start + batch_size]
        yield X[idx], y[idx]


def sgd_in_place(lr: float) -> Callable[[Params, Params, Any], tuple[Params, Any]]:
    """A `course.mlp.fit` step for timing: θ += (−η)∇θ in the parameters' own arrays and dtype (it
    modifies the params it receives, so pass a fresh copy to `train`)."""
    def step(params, grads, state):
        for key in params:
            grads[key] *= params[key].dtype.type(-lr)
            params[key] += grads[key]
        return params, state
    return step


def minibatches(batch_size: int, seed: int = 0) -> Callable[[np.ndarray, np.ndarray], Batches]:
    """`course.mlp.fit`'s `batches`: shuffled mini-batches of `batch_size`, one generator for all epochs."""
    rng = np.random.default_rng(seed)
    return lambda X, Y: iterate_minibatches(X, Y, batch_size, True, rng)


# --- 06's graded pieces (for the widget benchmark) -----------------------------------------------

def l2_penalty_grad(params: Params, lam: float) -> Params:
    """2λW for the weights, zeros for the biases (06's graded `l2_penalty_grad`)."""
    return {k: 2 * lam * v if k.startswith("W") else np.zeros_like(v) for k, v in params.items()}


def dropout_forward(A: np.ndarray, rate: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Inverted dropout while training (06's graded `dropout_forward`): `(A · mask / (1 − rate), mask)`."""
    mask = (rng.random(A.shape) >= rate).astype(A.dtype)
    return A * mask / (1 - rate), mask


def dropout_backward(dA: np.ndarray, mask: np.ndarray, rate: float) -> np.ndarray:
    """dA · mask / (1 − rate) (06's graded `dropout_backward`)."""
    return dA * mask / (1 - rate)


def early_stopping(val_losses: Sequence[float], patience: int) -> tuple[int, int]:
    """(stop epoch, best epoch) with patience, ties keep the first minimum (06's graded `early_stopping`)."""
    best = 0
    for epoch, loss in enumerate(val_losses):
        if loss < val_losses[best]:
            best = epoch
        elif epoch - best >= patience:
            return epoch, best
    return len(val_losses) - 1, best
