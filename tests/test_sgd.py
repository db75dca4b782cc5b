"""Fast tests of course/sgd.py (notebook 05's 2-D problem and widget, driven by the student's functions, here
the instructor reference) and of course/mlp.py's generic training loop."""

import io

import numpy as np
import pytest

from autograder.reference import mlp as ref
from course import mlp, sgd

STEPS = sgd.optimizers(ref.sgd_step, ref.momentum_step, ref.adam_step)


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


def _run(X, y, optimizer, lr, batch="all", epochs=3, seed=0, decay=0.0):
    return sgd.optimize(X, y, STEPS[optimizer], ref.iterate_minibatches, lr=lr, batch_size=batch, epochs=epochs,
                        seed=seed, decay=decay)


def _scalar_path(X, y, lr, batch, optimizer, epochs, seed, beta=0.9, decay=0.0):
    """Textbook updates written with Python numbers, on the same shuffles."""
    x, rng, m = X[:, 0], np.random.default_rng(seed), len(y)
    t0, t1 = sgd.THETA_START
    v0 = v1 = s0 = s1 = 0.0
    path, t = [(t0, t1)], 0
    for _ in range(epochs):
        order = rng.permutation(m) if batch < m else np.arange(m)
        for start in range(0, m, batch):
            idx = order[start:start + batch]
            r = t0 + t1 * x[idx] - y[idx]
            g0, g1 = r.mean(), (r * x[idx]).mean()
            eta = lr / (1 + decay * t) if decay else lr
            t += 1
            if optimizer == "momentum":
                v0, v1 = beta * v0 - eta * g0, beta * v1 - eta * g1
                t0, t1 = t0 + v0, t1 + v1
            elif optimizer == "adam":
                v0, v1 = 0.9 * v0 + 0.1 * g0, 0.9 * v1 + 0.1 * g1
                s0, s1 = 0.999 * s0 + 0.001 * g0 ** 2, 0.999 * s1 + 0.001 * g1 ** 2
                c1, c2 = 1 - 0.9 ** t, 1 - 0.999 ** t
                t0 -= eta * (v0 / c1) / (np.sqrt(s0 / c2) + 1e-8)
                t1 -= eta * (v1 / c1) / (np.sqrt(s1 / c2) + 1e-8)
            else:
                t0, t1 = t0 - eta * g0, t1 - eta * g1
            path.append((t0, t1))
    return np.array(path)


@pytest.mark.parametrize("optimizer,batch,lr", [("sgd", "all", 0.1), ("sgd", 1, 0.05), ("sgd", 7, 0.1),
                                                 ("momentum", 10, 0.05), ("adam", 10, 0.3)])
def test_optimize_follows_the_textbook_updates(regression, optimizer, batch, lr):
    X, y = regression
    result = _run(X, y, optimizer, lr, batch, epochs=3, seed=4)
    expected = _scalar_path(X, y, lr, len(y) if batch == "all" else batch, optimizer, 3, seed=4)
    np.testing.assert_allclose(result["path"], expected, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(result["loss"], sgd.mse(expected, X, y))
    assert result["steps_per_epoch"] == (1 if batch == "all" else -(-len(y) // batch))
    np.testing.assert_allclose(result["epoch"][-1], 3.0)


def test_optimize_with_decay(regression):
    X, y = regression
    result = _run(X, y, "sgd", 0.1, 1, epochs=2, seed=1, decay=0.01)
    np.testing.assert_allclose(result["path"], _scalar_path(X, y, 0.1, 1, "sgd", 2, 1, decay=0.01), atol=1e-9)


def test_gd_converges_and_large_rate_diverges(regression):
    X, y = regression
    good = _run(X, y, "sgd", 0.5, epochs=500)
    np.testing.assert_allclose(good["path"][-1], sgd.closed_form(X, y), atol=1e-4)
    assert not good["diverged"]
    assert _run(X, y, "sgd", 1.2, epochs=500)["diverged"]


def test_gd_path_is_the_students_gd_after_k_steps(regression):
    X, y = regression

    def gd(X, y, eta, n_iter):  # the course's batch GD from θ = 0
        Xb, theta = sgd.add_bias(X), np.zeros(2)
        for _ in range(n_iter):
            theta = theta - eta * Xb.T @ (Xb @ theta - y) / len(y)
        return theta, []

    run = sgd.gd_path(gd, X, y, 0.5, 10)
    assert run["path"].shape == (11, 2)
    np.testing.assert_array_equal(run["path"][0], [0.0, 0.0])
    np.testing.assert_allclose(run["path"][-1], gd(X, y, 0.5, 10)[0])
    assert not run["diverged"] and sgd.gd_path(gd, X, y, 0.9, 40)["diverged"]


def test_optimize_is_deterministic_for_a_seed(regression):
    X, y = regression
    a, b, c = (_run(X, y, "sgd", 0.05, 5, epochs=2, seed=s)["path"] for s in (3, 3, 4))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_a_stub_reaches_the_notebook_as_not_implemented(regression):
    def stub(*args):
        raise NotImplementedError()

    X, y = regression
    with pytest.raises(NotImplementedError):
        sgd.optimize(X, y, sgd.optimizers(stub)["sgd"], ref.iterate_minibatches)
    with pytest.raises(NotImplementedError):
        sgd.optimize(X, y, STEPS["sgd"], stub)

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
    explorer = sgd.Explorer(STEPS, ref.iterate_minibatches, X, y)
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


def test_constant_std_init_and_activation_scale():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((300, 128)).astype(np.float32)
    sizes = [128] * 8
    he = sgd.activation_stds(ref.he_init(sizes, np.random.default_rng(0)), X)
    big = sgd.activation_stds(sgd.constant_std_init(sizes, 1.0, np.random.default_rng(0)), X)
    zeros = sgd.activation_stds(sgd.constant_std_init(sizes, 0.0, np.random.default_rng(0)), X)
    assert len(he) == 6
    assert 0.3 < he[-1] / he[0] < 3
    assert big[-1] / big[0] > 1e4
    assert zeros == [0.0] * 6


def test_epoch_flops_and_matmul_rate():
    assert sgd.epoch_flops(55_000, [784, 300, 100, 10]) == 6 * 266_200 * 55_000
    assert sgd.matmul_gflops(n=256, repeats=1) > 0
    assert sgd.matmul_gflops(shape=(4, 8, 3), repeats=1) > 0


# --- course/mlp.py ------------------------------------------------------------------------------

def _problem(seed=0, dtype=np.float64):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(40, 6)).astype(dtype)
    y = rng.integers(0, 3, 40)
    return X, y, ref.he_init([6, 5, 3], rng, dtype=dtype)


def test_train_one_full_batch_step_is_forward_backward_step():
    X, y, params = _problem()
    before = {k: v.copy() for k, v in params.items()}
    new, history = mlp.fit(ref.net, params, X, y, sgd.with_rate(STEPS["sgd"], 0.1), epochs=1)
    probs, cache = ref.net.forward(X, params)
    grads = ref.net.backward(ref.net.one_hot(y, 3), params, cache)
    for key in params:
        np.testing.assert_allclose(new[key], params[key] - 0.1 * grads[key], rtol=1e-12)
        np.testing.assert_array_equal(params[key], before[key])
    assert history["loss"] == [pytest.approx(ref.net.cross_entropy(probs, y))]


def test_train_float32_stays_float32_and_learns():
    X, y, params = _problem(1, np.float32)
    rng = np.random.default_rng(0)
    new, history = mlp.fit(ref.net, params, X, y, sgd.with_rate(STEPS["momentum"], 0.05), epochs=30,
                             batches=lambda X, Y: ref.iterate_minibatches(X, Y, 8, True, rng), validation=(X, y))
    assert {v.dtype for v in new.values()} == {np.dtype(np.float32)}
    assert history["loss"][-1] < 0.5 * history["loss"][0]
    assert len(history["val_loss"]) == len(history["val_accuracy"]) == 30


def test_train_adds_the_penalty_gradient():
    X, y, params = _problem(2)
    lam = 0.3
    penalty = lambda p: {k: 2 * lam * v for k, v in p.items()}  # noqa: E731
    new, _ = mlp.fit(ref.net, params, X, y, sgd.with_rate(STEPS["sgd"], 0.1), epochs=1, penalty_grad=penalty)
    grads = ref.net.backward(ref.net.one_hot(y, 3), params, ref.net.forward(X, params)[1])
    for key in params:
        np.testing.assert_allclose(new[key], params[key] - 0.1 * (grads[key] + 2 * lam * params[key]), rtol=1e-12)


def test_train_early_stopping_needs_validation():
    X, y, params = _problem()
    with pytest.raises(ValueError):
        mlp.fit(ref.net, params, X, y, sgd.with_rate(STEPS["sgd"], 0.1), early_stopping=(lambda v, p: (0, 0), 2))


@pytest.mark.parametrize("assignment", ["06_regularizacion", "07_keras"])
def test_the_network_is_written_once_and_ships_as_a_file_with_05_06_and_07(tmp_path, assignment):
    """06's and 07's red.py link to 05's in source/; nbgrader's release and the grader's private course get the file."""
    from autograder import COURSE_ROOT
    from autograder.nbgrader_setup import prepare_course

    source = COURSE_ROOT / "source" / "05_sgd" / "red.py"
    assert (COURSE_ROOT / "source" / assignment / "red.py").resolve() == source.resolve()
    released = COURSE_ROOT / "release" / assignment / "red.py"
    assert not released.is_symlink() and released.read_bytes() == source.read_bytes()
    private = prepare_course(assignment, tmp_path) / "source" / assignment / "red.py"
    assert not private.is_symlink() and private.read_bytes() == source.read_bytes()
