"""Fast tests of course/sgd.py (notebook 05's 2-D problem and widget) and of course/mlp.py's
optimizers and float32 behaviour."""

import io

import numpy as np
import pytest

from course import mlp, sgd


@pytest.fixture(scope="module")
def regression():
    return sgd.make_regression(m=100, seed=0)


def test_make_regression_is_the_seed_problem(regression):
    X, y = regression
    assert X.shape == (100, 1) and y.shape == (100,)
    assert 0 <= X.min() and X.max() < 2
    theta = sgd.closed_form(X, y)
    assert abs(theta[0] - 4) < 0.5 and abs(theta[1] - 3) < 0.5


def test_mse_vectorised_matches_loop(regression):
    X, y = regression
    thetas = np.array([[0.0, 0.0], [4.0, 3.0], [-1.0, 2.5]])
    loop = [np.mean([(t[0] + t[1] * X[i, 0] - y[i]) ** 2 for i in range(len(y))]) for t in thetas]
    np.testing.assert_allclose(sgd.mse(thetas, X, y), loop)
    assert sgd.mse(thetas[1], X, y) == pytest.approx(loop[1])


def _reference_path(X, y, lr, batch, optimizer, epochs, seed, beta=0.9, decay=0.0):
    """Straightforward vector implementation using course.mlp's optimizers and minibatches."""
    Xb = sgd.add_bias(X)
    rng = np.random.default_rng(seed)
    params, state = {"theta": np.array(sgd.THETA_START)}, {}
    path, t = [params["theta"].copy()], 0
    m = len(y)
    for _ in range(epochs):
        batches = mlp.minibatches(m, batch, rng) if batch < m else [np.arange(m)]
        for idx in batches:
            grad = {"theta": Xb[idx].T @ (Xb[idx] @ params["theta"] - y[idx]) / len(idx)}
            eta = lr / (1 + decay * t) if decay else lr
            t += 1
            if optimizer == "momentum":
                params, state = mlp.momentum_step(params, grad, state, eta, beta)
            elif optimizer == "adam":
                params, state = mlp.adam_step(params, grad, state, eta)
            else:
                params = mlp.sgd_step(params, grad, eta)
            path.append(params["theta"].copy())
    return np.array(path)


@pytest.mark.parametrize("optimizer,batch,lr", [("sgd", "all", 0.1), ("sgd", 1, 0.05), ("sgd", 7, 0.1),
                                                 ("momentum", 10, 0.05), ("adam", 10, 0.3)])
def test_optimize_matches_the_course_optimizers(regression, optimizer, batch, lr):
    X, y = regression
    result = sgd.optimize(X, y, lr=lr, batch_size=batch, optimizer=optimizer, epochs=3, seed=4)
    expected = _reference_path(X, y, lr, len(y) if batch == "all" else batch, optimizer, 3, seed=4)
    np.testing.assert_allclose(result["path"], expected, rtol=1e-9, atol=1e-9)
    assert result["loss"].shape == (len(expected),)
    np.testing.assert_allclose(result["loss"], sgd.mse(expected, X, y))
    assert result["steps_per_epoch"] == (1 if batch == "all" else -(-len(y) // batch))
    np.testing.assert_allclose(result["epoch"][-1], 3.0)


def test_optimize_with_decay_matches_reference(regression):
    X, y = regression
    result = sgd.optimize(X, y, lr=0.1, batch_size=1, epochs=2, seed=1, decay=0.01)
    np.testing.assert_allclose(result["path"], _reference_path(X, y, 0.1, 1, "sgd", 2, 1, decay=0.01), atol=1e-9)


def test_gd_converges_and_large_rate_diverges(regression):
    X, y = regression
    good = sgd.optimize(X, y, lr=0.5, batch_size="all", epochs=500)
    np.testing.assert_allclose(good["path"][-1], sgd.closed_form(X, y), atol=1e-4)
    assert not good["diverged"]
    bad = sgd.optimize(X, y, lr=1.2, batch_size="all", epochs=500)
    assert bad["diverged"] and len(bad["path"]) < 500


def test_optimize_is_deterministic_for_a_seed(regression):
    X, y = regression
    a = sgd.optimize(X, y, lr=0.05, batch_size=5, epochs=2, seed=3)["path"]
    b = sgd.optimize(X, y, lr=0.05, batch_size=5, epochs=2, seed=3)["path"]
    c = sgd.optimize(X, y, lr=0.05, batch_size=5, epochs=2, seed=4)["path"]
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_schedules():
    t = np.array([0, 100, 250])
    np.testing.assert_allclose(sgd.schedule("constante", 0.1, t), [0.1, 0.1, 0.1])
    np.testing.assert_allclose(sgd.schedule("inversa", 0.1, t, decay=0.01), [0.1, 0.05, 0.1 / 3.5])
    np.testing.assert_allclose(sgd.schedule("exponencial", 0.1, t, decay=0.01), 0.1 * np.exp(-t / 100))
    np.testing.assert_allclose(sgd.schedule("escalones", 0.1, t, drop_every=100), [0.1, 0.05, 0.025])
    with pytest.raises(ValueError):
        sgd.schedule("otra", 0.1, t)


def test_gradient_noise_falls_with_batch_size(regression):
    X, y = regression
    spread = sgd.gradient_spread(X, y, [0.0, 0.0], [1, 4, 16, 64])
    assert np.all(np.diff(spread) < 0)
    assert spread[0] / spread[2] == pytest.approx(4, rel=0.3)


def test_explorer_updates_for_every_optimizer(regression):
    X, y = regression
    explorer = sgd.Explorer(X, y)
    explorer.fig.savefig(io.BytesIO(), format="png")
    for name in sgd.OPTIMIZERS:
        result = explorer.update(0.1, 10, name, 20)
        explorer.fig.savefig(io.BytesIO(), format="png")
        assert np.isfinite(result["loss"][-1])
    steps = {name: len(explorer.update(0.1, 10, name, 2)["path"]) - 1 for name in sgd.OPTIMIZERS}
    assert steps == {"GD (lote completo)": 2, "SGD (un ejemplo)": 200, "mini-batch": 20, "momentum": 20,
                     "Adam": 20}
    diverged = explorer.update(1.5, 10, "GD (lote completo)", 50)
    assert diverged["diverged"]
    explorer.fig.savefig(io.BytesIO(), format="png")


def test_init_params_and_activation_scale():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((300, 128)).astype(np.float32)
    sizes = [128] * 8
    he = sgd.activation_stds(sgd.init_params(sizes, "he", np.random.default_rng(0)), X)
    big = sgd.activation_stds(sgd.init_params(sizes, "grande", np.random.default_rng(0)), X)
    zeros = sgd.activation_stds(sgd.init_params(sizes, "ceros", np.random.default_rng(0)), X)
    assert len(he) == 6
    assert 0.3 < he[-1] / he[0] < 3
    assert big[-1] / big[0] > 1e4
    assert zeros == [0.0] * 6


def test_epoch_flops_and_matmul_rate():
    assert sgd.epoch_flops(55_000, [784, 300, 100, 10]) == 6 * 266_200 * 55_000
    assert sgd.matmul_gflops(n=256, repeats=1) > 0
    assert sgd.matmul_gflops(shape=(4, 8, 3), repeats=1) > 0


# --- course/mlp.py ------------------------------------------------------------------------------

def _params(dtype, seed=0):
    return mlp.he_init([6, 5, 3], np.random.default_rng(seed), dtype=dtype)


def _grads(params, seed=1):
    rng = np.random.default_rng(seed)
    return {k: rng.standard_normal(v.shape).astype(v.dtype) for k, v in params.items()}


@pytest.mark.parametrize("lr", [0.1, np.float64(0.1), np.float32(0.1)])
def test_optimizers_keep_float32_and_do_not_mutate(lr):
    params = _params(np.float32)
    grads = _grads(params)
    before = {k: v.copy() for k, v in params.items()}
    new = mlp.sgd_step(params, grads, lr)
    assert all(v.dtype == np.float32 for v in new.values())
    new, velocity = mlp.momentum_step(params, grads, {}, lr)
    new, velocity = mlp.momentum_step(new, grads, velocity, lr)
    assert all(v.dtype == np.float32 for v in (*new.values(), *velocity.values()))
    new, state = mlp.adam_step(params, grads, {}, lr)
    new, state = mlp.adam_step(new, grads, state, lr)
    assert all(v.dtype == np.float32 for v in (*new.values(), *state["m"].values(), *state["v"].values()))
    for k in params:
        np.testing.assert_array_equal(params[k], before[k])


def test_optimizers_match_textbook_formulas():
    params = _params(np.float64)
    lr, beta, b1, b2, eps = 0.05, 0.8, 0.9, 0.99, 1e-8
    new = mlp.sgd_step(params, _grads(params, 1), lr)
    for k in params:
        np.testing.assert_allclose(new[k], params[k] - lr * _grads(params, 1)[k])
    p, v = dict(params), {}
    ref_p, ref_v = {k: x.copy() for k, x in params.items()}, {k: 0.0 for k in params}
    for step in range(3):
        g = _grads(params, step)
        p, v = mlp.momentum_step(p, g, v, lr, beta)
        for k in params:
            ref_v[k] = beta * ref_v[k] - lr * g[k]
            ref_p[k] = ref_p[k] + ref_v[k]
            np.testing.assert_allclose(p[k], ref_p[k])
            np.testing.assert_allclose(v[k], ref_v[k])
    p, state = dict(params), {}
    ref_p = {k: x.copy() for k, x in params.items()}
    m1 = {k: 0.0 for k in params}
    m2 = {k: 0.0 for k in params}
    for t in range(1, 4):
        g = _grads(params, 10 + t)
        p, state = mlp.adam_step(p, g, state, lr, b1, b2, eps)
        assert state["t"] == t
        for k in params:
            m1[k] = b1 * m1[k] + (1 - b1) * g[k]
            m2[k] = b2 * m2[k] + (1 - b2) * g[k] ** 2
            ref_p[k] = ref_p[k] - lr * (m1[k] / (1 - b1 ** t)) / (np.sqrt(m2[k] / (1 - b2 ** t)) + eps)
            np.testing.assert_allclose(p[k], ref_p[k], rtol=1e-10)


def test_forward_adds_bias_without_touching_inputs():
    params = _params(np.float32)
    params["b1"] = np.arange(5, dtype=np.float32)
    X = np.random.default_rng(0).random((4, 6)).astype(np.float32)
    before = {k: v.copy() for k, v in params.items()}
    Y_hat, cache = mlp.forward(X, params, "relu")
    assert Y_hat.dtype == np.float32
    np.testing.assert_allclose(cache["Z1"], X @ before["W1"] + before["b1"], rtol=1e-6)
    for k in params:
        np.testing.assert_array_equal(params[k], before[k])
    # float64 bias on float32 activations: still correct (falls back to a new array)
    params64 = dict(params, b1=params["b1"].astype(np.float64))
    _, cache = mlp.forward(X, params64, "relu")
    np.testing.assert_allclose(cache["Z1"], X @ before["W1"] + before["b1"], rtol=1e-6)


def test_one_hot_dtype():
    assert mlp.one_hot([0, 2], 3).dtype == np.float64
    Y = mlp.one_hot([0, 2], 3, dtype=np.float32)
    assert Y.dtype == np.float32
    np.testing.assert_array_equal(Y, [[1, 0, 0], [0, 0, 1]])


def test_train_float32_stays_float32_and_learns():
    rng = np.random.default_rng(0)
    X = rng.random((200, 6), dtype=np.float32)
    y = (X[:, 0] > X[:, 1]).astype(int) + 2 * (X[:, 2] > 0.5)
    for optimizer, lr in [("sgd", np.float64(0.5)), ("momentum", 0.1), ("adam", 0.01)]:
        params0 = mlp.he_init([6, 5, 4], np.random.default_rng(0), dtype=np.float32)
        params, history = mlp.train(params0, X, y, epochs=15, batch_size=16, lr=lr, optimizer=optimizer)
        assert all(v.dtype == np.float32 for v in params.values()), optimizer
        assert history["loss"][-1] < history["loss"][0], optimizer


def test_train_matches_one_manual_step_and_leaves_the_caller_params_alone():
    rng = np.random.default_rng(1)
    X = rng.random((12, 3))
    y = rng.integers(0, 3, 12)
    params0 = mlp.he_init([3, 4, 3], np.random.default_rng(0))
    before = {k: v.copy() for k, v in params0.items()}
    params, history = mlp.train(params0, X, y, epochs=1, batch_size=12, lr=0.3, seed=0)
    probs, cache = mlp.forward(X, before, "relu")
    expected = mlp.sgd_step(before, mlp.backward(mlp.one_hot(y, 3), before, cache), 0.3)
    for key in before:
        np.testing.assert_array_equal(params0[key], before[key])  # the caller's arrays are untouched
        np.testing.assert_allclose(params[key], expected[key], rtol=1e-12)
    # One full batch: the epoch's loss is the loss before its only step (as Keras's `fit` reports it).
    assert history["loss"] == [pytest.approx(mlp.cross_entropy(probs, y))]
