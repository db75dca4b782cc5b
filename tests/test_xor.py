"""Fast tests of course/xor.py: the class network's weights, the slider layout, the data behind the figures,
computed with reference versions of the student's functions."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from autograder.reference import xor as reference  # noqa: E402
from course import widgets, xor  # noqa: E402
from conftest import stub

NETWORK = xor.Network(reference.sigmoid, reference.dense_forward, reference.xor_network)




def test_class_weights_reproduce_the_four_outputs_to_4_decimals():
    w = xor.class_weights()
    assert w["W1"].shape == (2, 2) and w["b1"].shape == (2,)
    assert w["W2"].shape == (2, 1) and w["b2"].shape == (1,)
    info = xor.summary(NETWORK, w["W1"], w["b1"], w["W2"], w["b2"])
    assert info["y_hat"].shape == (4,)
    assert np.round(info["y_hat"], 4).tolist() == list(xor.CLASS_OUTPUTS) == [0.0376, 0.9740, 0.9740, 0.0376]


def test_class_weights_are_fresh_copies():
    first = xor.class_weights()
    first["W1"][0, 0] = 99.0
    assert xor.class_weights()["W1"][0, 0] == -6.0


def test_each_hidden_neuron_is_a_column_of_W1():
    # h1 = σ(−6·x1 + 6·x2 + 3): its weights are the first column.
    W1, b1 = xor.hidden_layer(**xor.class_slider_values())
    np.testing.assert_array_equal(W1, xor.class_weights()["W1"])
    np.testing.assert_array_equal(b1, xor.class_weights()["b1"])
    W1, b1 = xor.hidden_layer(w11=1, w21=2, bias1=3, w12=4, w22=5, bias2=6)
    np.testing.assert_array_equal(W1[:, 0], [1, 2])
    np.testing.assert_array_equal(W1[:, 1], [4, 5])
    np.testing.assert_array_equal(b1, [3, 6])


def test_hidden_space_makes_xor_separable():
    info = xor.summary(NETWORK, xor.class_weights()["W1"], xor.class_weights()["b1"])
    H = info["H"]
    np.testing.assert_allclose(H[0], H[3])  # 00 and 11 land on the same point
    np.testing.assert_allclose(H[1], H[2][::-1])  # 01 and 10 are mirror images
    side = H.sum(axis=1) < 1.5  # the output line −8·h1 − 8·h2 + 12 = 0
    assert side.tolist() == [False, True, True, False]
    assert info["errors"] == 0


def test_the_figures_use_the_students_functions():
    w = xor.class_weights()
    wrong = xor.Network(reference.sigmoid, reference.dense_forward,
                        lambda *args: 1 - reference.xor_network(*args))  # an XNOR instead of XOR
    assert xor.summary(wrong, w["W1"], w["b1"])["errors"] == 4
    hidden = NETWORK.output_neuron(xor.summary(NETWORK, w["W1"], w["b1"])["H"], w["W2"], w["b2"])
    np.testing.assert_allclose(hidden, xor.summary(NETWORK, w["W1"], w["b1"])["y_hat"])


def test_other_hidden_weights_can_break_the_network():
    W1, b1 = xor.hidden_layer(-6, 6, -3, 6, -6, 3)
    assert xor.summary(NETWORK, W1, b1)["errors"] > 0


def test_no_single_line_separates_xor():
    for w1, w2, b in xor.ATTEMPTS:
        assert xor.line_errors((w1, w2), b) >= 1
    rng = np.random.default_rng(0)
    for w1, w2, b in rng.normal(size=(500, 3)):
        assert xor.line_errors((w1, w2), b) >= 1


def test_draw_spaces_has_two_panels():
    w = xor.class_weights()
    fig = xor.draw_spaces(NETWORK, w["W1"], w["b1"])
    assert len(fig.axes) == 2
    assert [ax.get_xlabel() for ax in fig.axes] == ["x₁", "h₁"]
    assert "0.0376, 0.9740, 0.9740, 0.0376" in fig._suptitle.get_text()


def test_degenerate_weights_still_draw():
    # All-zero hidden weights: the neurons' "lines" do not exist and the output is constant.
    W1, b1 = xor.hidden_layer(0, 0, 0, 0, 0, 0)
    fig = xor.draw_spaces(NETWORK, W1, b1)
    assert len(fig.axes) == 2


def test_explorer_redraws_on_a_slider_and_restores_the_class_weights_in_one_drawing(monkeypatch):
    box = xor.explorer(NETWORK)
    reset, grid, view = box.children
    sliders = [s for column in grid.children for s in column.children]
    assert [s.description for s in sliders] == [label for _, label, _ in xor.SLIDERS]
    message, image, _ = view.children
    first = image.value
    sliders[0].value = 2.0
    assert image.value != first and message.value == ""
    sliders[3].value = -4.0
    drawn = []
    monkeypatch.setattr(xor, "draw_spaces", lambda *a: drawn.append(a) or plt.figure())
    reset.click()
    assert [s.value for s in sliders] == list(xor.class_slider_values().values())
    assert len(drawn) == 1


@pytest.mark.parametrize("broken", ["sigmoid", "dense_forward", "xor_network"])
def test_explorer_with_a_stub_says_what_to_finish_and_leaves_no_figure(broken):
    functions = {"sigmoid": reference.sigmoid, "dense_forward": reference.dense_forward,
                 "xor_network": reference.xor_network} | {broken: stub}
    message, image, _ = xor.explorer(xor.Network(**functions)).children[-1].children
    assert message.value == widgets.pending_message(xor.NEEDS) and image.value == b""
    assert plt.get_fignums() == []


def test_sliders_cover_the_six_hidden_parameters():
    names = [name for name, _, _ in xor.SLIDERS]
    assert names == ["w11", "w21", "bias1", "w12", "w22", "bias2"]
    low, high, step = xor.SLIDER_RANGE
    for _, _, value in xor.SLIDERS:
        assert low <= value <= high and float(value / step).is_integer()


def test_other_figures_draw():
    fig, axes = plt.subplots(1, 3)
    xor.plot_xor_attempts(axes)
    fig, ax = plt.subplots()
    xor.draw_network(ax, **xor.class_weights())
    assert len(ax.patches) == 5  # five neurons
    fig = xor.plot_soft_step(reference.sigmoid)
    lines = fig.axes[0].get_lines()
    assert len(lines) == 4
    np.testing.assert_allclose(lines[1].get_ydata(), reference.sigmoid(lines[1].get_xdata()))
