"""Fast tests of course/activations.py (notebook 03's reference activations, plots and widget logic)."""

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course import activations as act  # noqa: E402

Z = np.random.default_rng(0).uniform(-5, 5, size=400)
Z = Z[np.abs(Z) > 1e-3]  # away from the kinks at 0
FAR = np.array([-1000.0, -745.0, -50.0, 50.0, 745.0, 1000.0])

PAIRS = {
    "sigmoid": (act.sigmoid, act.sigmoid_grad),
    "tanh": (act.tanh, act.tanh_grad),
    "relu": (act.relu, act.relu_grad),
    "leaky_relu": (lambda z: act.leaky_relu(z, 0.2), lambda z: act.leaky_relu_grad(z, 0.2)),
    "elu": (lambda z: act.elu(z, 1.5), lambda z: act.elu_grad(z, 1.5)),
    "swish": (lambda z: act.swish(z, 1.7), lambda z: act.swish_grad(z, 1.7)),
    "gelu": (act.gelu, act.gelu_grad),
    "step": (act.step, act.step_grad),
}


@pytest.mark.parametrize("name", PAIRS)
def test_derivative_matches_centred_differences(name):
    f, df = PAIRS[name]
    numeric = act.centred_difference(f, Z)
    np.testing.assert_allclose(df(Z), numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name", PAIRS)
def test_stable_and_shape_preserving(name):
    f, df = PAIRS[name]
    with np.errstate(all="raise", under="ignore"):
        for g in (f, df):
            out = g(FAR.reshape(2, 3))
            assert out.shape == (2, 3) and np.all(np.isfinite(out))
            assert np.shape(g(np.array(0.5))) == ()


def test_closed_forms():
    np.testing.assert_allclose(act.sigmoid(Z), 1 / (1 + np.exp(-Z)))
    np.testing.assert_allclose(act.tanh(Z), 2 * act.sigmoid(2 * Z) - 1, atol=1e-14)
    np.testing.assert_allclose(act.elu(Z), np.where(Z > 0, Z, np.exp(np.minimum(Z, 0)) - 1))
    exact = [0.5 * v * (1 + math.erf(v / math.sqrt(2))) for v in Z]
    np.testing.assert_allclose(act.gelu(Z), exact, rtol=1e-15)
    assert act.sigmoid_grad(0.0) == 0.25 and act.relu_grad(0.0) == 0.0
    assert act.leaky_relu_grad(0.0, 0.3) == 0.3 and act.elu_grad(0.0, 2.0) == 2.0


def test_softmax_axis_stability_and_logsumexp():
    rng = np.random.default_rng(1)
    Z2 = rng.normal(size=(3, 5))
    np.testing.assert_allclose(act.softmax(Z2).sum(axis=1), 1.0)
    np.testing.assert_allclose(act.softmax(Z2, axis=0).sum(axis=0), 1.0)
    np.testing.assert_allclose(act.softmax(Z2, axis=0), act.softmax(Z2.T).T)
    with np.errstate(all="raise", under="ignore"):
        np.testing.assert_allclose(act.softmax(np.array([1000.0, 1001.0])), act.softmax(np.array([0.0, 1.0])))
        np.testing.assert_allclose(act.logsumexp(np.array([1000.0, 1000.0])), 1000 + np.log(2))
    np.testing.assert_allclose(act.logsumexp(Z2, axis=0), np.log(np.exp(Z2).sum(axis=0)))


def test_softmax_jacobian_matches_numerical_jacobian():
    z = np.random.default_rng(2).normal(size=6)
    h = 1e-6
    numeric = np.column_stack([(act.softmax(z + h * e) - act.softmax(z - h * e)) / (2 * h) for e in np.eye(6)])
    J = act.softmax_jacobian(z)
    np.testing.assert_allclose(J, numeric, atol=1e-9)
    np.testing.assert_allclose(J, J.T)
    np.testing.assert_allclose(J.sum(axis=1), 0.0, atol=1e-15)


def test_flat_spans_and_curves():
    z = np.arange(6.0)
    assert act.flat_spans(z, [1, 1, 0, 0, 1, 1]) == [(0.0, 1.0), (4.0, 5.0)]
    assert act.flat_spans(z, [0] * 6) == []
    data = act.activation_curves("sigmoide")
    assert data["flat"].any() and not data["flat"][len(data["z"]) // 2]
    assert act.activation_curves("escalón")["flat"].all()
    assert not act.activation_curves("Leaky ReLU", alpha=0.02)["flat"].any()
    assert act.activation_curves("Leaky ReLU", alpha=0.005)["flat"].any()
    with pytest.raises(ValueError):
        act.activation_curves("softplus")


def test_depth_gradients_shrink_for_sigmoid_not_relu():
    data = act.depth_gradients(10)
    assert np.all(data["sigmoide"] <= data["cota 0.25^l"] + 1e-15)
    assert data["sigmoide"][-1] < 0.25 ** 10
    np.testing.assert_allclose(data["ReLU"], 1.0)
    assert np.all(np.diff(data["tanh"]) < 0) and data["tanh"][-1] > data["sigmoide"][-1]


@pytest.mark.parametrize("name", act.NAMES)
def test_widget_plots_draw(name):
    fig = act.plot_activation(name, 0.1, 2.0)
    fig.canvas.draw()
    assert fig.axes and fig.axes[0].lines
    plt.close("all")


def test_depth_and_gallery_figures():
    act.plot_depth(30).canvas.draw()
    fig = act.plot_gallery()
    assert len([ax for ax in fig.axes if ax.get_visible()]) == len(act.NAMES)
    plt.close("all")


def test_importing_the_module_does_not_load_matplotlib():
    """Grading imports course.activations but draws nothing: Matplotlib must load only when plotting."""
    import subprocess
    import sys

    code = "import sys, course.activations; print('matplotlib.pyplot' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
