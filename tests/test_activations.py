"""Fast tests of course/activations.py (notebook 03's plots and widget logic), drawn with reference versions
of the student's activations."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from autograder.reference import activations as reference  # noqa: E402
from course import activations as act  # noqa: E402
from course import widgets  # noqa: E402
from conftest import stub

FUNCTIONS = reference.FUNCTIONS




def test_centred_difference_is_the_derivative():
    z = np.linspace(-3, 3, 41)
    np.testing.assert_allclose(act.centred_difference(np.sin, z), np.cos(z), atol=1e-9)


def test_curves_are_the_students_functions_and_derivatives():
    data = act.activation_curves("Leaky ReLU", FUNCTIONS, alpha=0.2)
    np.testing.assert_allclose(data["f"], reference.leaky_relu(data["z"], alpha=0.2))
    np.testing.assert_allclose(data["df"], reference.leaky_relu_grad(data["z"], alpha=0.2))
    data = act.activation_curves("Swish", FUNCTIONS, beta=1.7)  # no graded derivative: the numerical one
    s = reference.sigmoid(1.7 * data["z"])
    np.testing.assert_allclose(data["df"], s + 1.7 * data["z"] * s * (1 - s), atol=1e-8)
    wrong = FUNCTIONS | {"relu_grad": lambda z: np.ones_like(z)}
    assert act.activation_curves("ReLU", wrong)["df"].min() == 1.0


def test_step_needs_no_function():
    data = act.activation_curves("escalón")
    assert data["f"].tolist() == (data["z"] >= 0).astype(float).tolist()
    assert data["flat"].all()


def test_flat_spans_and_curves():
    z = np.arange(6.0)
    assert act.flat_spans(z, [1, 1, 0, 0, 1, 1]) == [(0.0, 1.0), (4.0, 5.0)]
    assert act.flat_spans(z, [0] * 6) == []
    data = act.activation_curves("sigmoide", FUNCTIONS)
    assert data["flat"].any() and not data["flat"][len(data["z"]) // 2]
    assert not act.activation_curves("Leaky ReLU", FUNCTIONS, alpha=0.02)["flat"].any()
    assert act.activation_curves("Leaky ReLU", FUNCTIONS, alpha=0.005)["flat"].any()
    with pytest.raises(ValueError):
        act.activation_curves("softplus", FUNCTIONS)


def test_needs_names_functions_and_exercises():
    assert act.needs(["relu", "relu_grad"]) == "`relu` y `relu_grad` (ejercicios 5 y 6)"
    assert act.needs(["gelu", None]) == "`gelu` (ejercicio 12)"
    assert act.needs(["sigmoid", "sigmoid_grad", "tanh"]) == "`sigmoid`, `sigmoid_grad` y `tanh` (ejercicios 1, 2 y 3)"


def test_depth_gradients_shrink_for_sigmoid_not_relu():
    data = act.depth_gradients(FUNCTIONS, 10)
    assert np.all(data["sigmoide"] <= data[act.BOUND] + 1e-15)
    assert data["sigmoide"][-1] < 0.25 ** 10
    np.testing.assert_allclose(data["ReLU"], 1.0)
    assert np.all(np.diff(data["tanh"]) < 0) and data["tanh"][-1] > data["sigmoide"][-1]
    only_sigmoid = act.depth_gradients({"sigmoid": reference.sigmoid, "sigmoid_grad": reference.sigmoid_grad}, 4)
    assert set(only_sigmoid) == {"capa", "sigmoide", act.BOUND}


@pytest.mark.parametrize("name", act.NAMES)
def test_widget_plots_draw(name):
    fig = act.plot_activation(name, FUNCTIONS, 0.1, 2.0)
    fig.canvas.draw()
    assert fig.axes and fig.axes[0].lines


def test_depth_and_gallery_figures():
    act.plot_depth(FUNCTIONS, 30).canvas.draw()
    act.plot_depth({"sigmoid": reference.sigmoid, "sigmoid_grad": reference.sigmoid_grad}, 10).canvas.draw()
    fig = act.plot_gallery(FUNCTIONS)
    assert len([ax for ax in fig.axes if ax.get_visible()]) == len(act.NAMES)


def shown(box):
    """(message, image, caption) of a course widget: its figure view is the last child."""
    return box.children[-1].children


def test_activation_explorer_redraws_and_names_what_each_choice_needs():
    box = act.activation_explorer(FUNCTIONS | {"relu_grad": stub})
    name, alpha, beta = box.children[0].children[0].children
    message, image, _ = shown(box)
    first = image.value
    assert first[:4] == b"\x89PNG" and message.value == ""
    name.value = "ELU"
    assert image.value != first and message.value == ""
    name.value = "ReLU"
    assert message.value == widgets.pending_message(act.needs(["relu", "relu_grad"]))
    name.value = "escalón"  # needs no function of the student
    assert message.value == "" and plt.get_fignums() == []


def test_depth_explorer_redraws_or_says_what_is_missing():
    box = act.depth_explorer(FUNCTIONS)
    (depth,) = box.children[0].children[0].children
    message, image, _ = shown(box)
    first = image.value
    depth.value = 3
    assert image.value != first and message.value == ""
    message, _, _ = shown(act.depth_explorer(FUNCTIONS | {"tanh_grad": stub}))
    assert message.value == widgets.pending_message(act.needs([n for chain in act.CHAINS for n in chain[1:]]))
    assert plt.get_fignums() == []


def test_importing_the_module_does_not_load_matplotlib():
    """Grading imports course.activations but draws nothing: Matplotlib must load only when plotting."""
    import subprocess
    import sys

    code = "import sys, course.activations; print('matplotlib.pyplot' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
