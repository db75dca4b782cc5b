"""Cross-check of the course's backpropagation against TensorFlow's automatic differentiation.

Both the reference `mlp_forward`/`mlp_backward` of notebook 04 (taken from the source notebook's
solution cells) and the network that ships with notebooks 05 and 06 (`source/05_sgd/red.py`, loaded by
`autograder.reference.mlp`) are compared with
`tf.GradientTape` on random float64 networks of several depths, batch sizes and activations, so the
course's reference is checked by an engine nobody here wrote. Runs in CI (`make test`), never at
grading time: notebooks 01–06 do not import TensorFlow.
"""

import numpy as np
import pytest
from test_backprop import notebook_reference  # the same extraction of the notebook's solution cells

from autograder.reference.mlp import net

pytestmark = pytest.mark.slow

# (layer sizes, hidden activation, batch size): 0 to 3 hidden layers, non-square, batch 1 and > 1
CONFIGS = [
    ([4, 3], "sigmoid", 1),
    ([3, 5, 2], "sigmoid", 8),
    ([6, 4, 3], "tanh", 1),
    ([2, 7, 5, 4], "tanh", 16),
    ([5, 3, 6, 2], "relu", 9),
    ([4, 8, 6, 5, 3], "relu", 1),
    ([3, 6, 4, 7, 2], "sigmoid", 12),
    ([7, 5, 9, 3, 10], "tanh", 5),
]


@pytest.fixture(scope="module")
def tf():
    tensorflow = pytest.importorskip("tensorflow")
    return tensorflow


@pytest.fixture(scope="module")
def notebook_mlp():
    """The notebook's reference mlp_forward/mlp_backward, with the helper cell they need (phi, dphi)."""
    namespace = notebook_reference("mlp_forward", "mlp_backward")
    return namespace["mlp_forward"], namespace["mlp_backward"]


def random_problem(sizes, m, seed):
    rng = np.random.default_rng(seed)
    params = {}
    for l, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        params[f"W{l}"] = rng.normal(scale=1.0, size=(n_in, n_out))
        params[f"b{l}"] = rng.normal(scale=0.5, size=n_out)
    X = rng.normal(size=(m, sizes[0]))
    Y = net.one_hot(rng.integers(0, sizes[-1], size=m), sizes[-1])
    return params, X, Y


def tensorflow_reference(tf, params, X, Y, activation):
    """Probabilities, mean cross-entropy and its gradients computed by TensorFlow (float64)."""
    functions = {"sigmoid": tf.math.sigmoid, "tanh": tf.math.tanh, "relu": tf.nn.relu}
    variables = {k: tf.Variable(v, dtype=tf.float64) for k, v in params.items()}
    L = len(params) // 2
    with tf.GradientTape() as tape:
        A = tf.constant(X, dtype=tf.float64)
        for l in range(1, L + 1):
            Z = tf.matmul(A, variables[f"W{l}"]) + variables[f"b{l}"]
            A = functions[activation](Z) if l < L else Z
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=tf.constant(Y), logits=A))
    grads = tape.gradient(loss, variables)
    return tf.nn.softmax(A).numpy(), float(loss.numpy()), {k: g.numpy() for k, g in grads.items()}


def check_against_tensorflow(forward, backward, tf, sizes, activation, m, seed):
    params, X, Y = random_problem(sizes, m, seed)
    probs_tf, loss_tf, grads_tf = tensorflow_reference(tf, params, X, Y, activation)
    Y_hat, cache = forward(X, params, activation)
    np.testing.assert_allclose(Y_hat, probs_tf, rtol=1e-10, atol=1e-13)
    assert net.cross_entropy(Y_hat, Y) == pytest.approx(loss_tf, rel=1e-10)
    grads = backward(Y, params, cache)
    assert set(grads) == set(params)
    for key in params:
        assert np.shape(grads[key]) == params[key].shape, key
        np.testing.assert_allclose(grads[key], grads_tf[key], rtol=1e-8, atol=1e-12, err_msg=key)


@pytest.mark.parametrize("sizes, activation, m", CONFIGS)
def test_notebook_reference_backprop_matches_gradient_tape(tf, notebook_mlp, sizes, activation, m):
    forward, backward = notebook_mlp
    check_against_tensorflow(forward, backward, tf, sizes, activation, m, seed=len(sizes) * 100 + m)


@pytest.mark.parametrize("sizes, activation, m", CONFIGS)
def test_shipped_network_backprop_matches_gradient_tape(tf, sizes, activation, m):
    """The network that ships with notebooks 05–06 (red.py)."""
    check_against_tensorflow(net.forward, net.backward, tf, sizes, activation, m, seed=len(sizes) * 100 + m + 1)
