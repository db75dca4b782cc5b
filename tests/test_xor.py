"""Fast tests of course/xor.py: the seed's weights, the slider layout, the data behind the figures."""


import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course import xor  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_seed_reproduces_the_four_outputs_to_4_decimals():
    w = xor.seed_weights()
    assert w["W1"].shape == (2, 2) and w["b1"].shape == (2,)
    assert w["W2"].shape == (2, 1) and w["b2"].shape == (1,)
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    _, y_hat = xor.forward(X, **w)
    assert y_hat.shape == (4,)
    assert np.round(y_hat, 4).tolist() == list(xor.SEED_OUTPUTS) == [0.0376, 0.9740, 0.9740, 0.0376]


def test_seed_weights_are_fresh_copies():
    first = xor.seed_weights()
    first["W1"][0, 0] = 99.0
    assert xor.seed_weights()["W1"][0, 0] == -6.0


def test_each_hidden_neuron_is_a_column_of_W1():
    # h1 = σ(−6·x1 + 6·x2 + 3): its weights are the first column.
    W1, b1 = xor.hidden_layer(**xor.seed_slider_values())
    np.testing.assert_array_equal(W1, xor.seed_weights()["W1"])
    np.testing.assert_array_equal(b1, xor.seed_weights()["b1"])
    W1, b1 = xor.hidden_layer(w11=1, w21=2, bias1=3, w12=4, w22=5, bias2=6)
    np.testing.assert_array_equal(W1[:, 0], [1, 2])
    np.testing.assert_array_equal(W1[:, 1], [4, 5])
    np.testing.assert_array_equal(b1, [3, 6])


def test_hidden_space_makes_xor_separable():
    info = xor.summary(xor.seed_weights()["W1"], xor.seed_weights()["b1"])
    H = info["H"]
    np.testing.assert_allclose(H[0], H[3])  # 00 and 11 land on the same point
    np.testing.assert_allclose(H[1], H[2][::-1])  # 01 and 10 are mirror images
    side = H.sum(axis=1) < 1.5  # the output line −8·h1 − 8·h2 + 12 = 0
    assert side.tolist() == [False, True, True, False]
    assert info["errors"] == 0


def test_other_hidden_weights_can_break_the_network():
    W1, b1 = xor.hidden_layer(-6, 6, -3, 6, -6, 3)
    assert xor.summary(W1, b1)["errors"] > 0


def test_no_single_line_separates_xor():
    for w1, w2, b in xor.ATTEMPTS:
        assert xor.line_errors((w1, w2), b) >= 1
    rng = np.random.default_rng(0)
    for w1, w2, b in rng.normal(size=(500, 3)):
        assert xor.line_errors((w1, w2), b) >= 1


def test_draw_spaces_has_two_panels():
    w = xor.seed_weights()
    xor.draw_spaces(w["W1"], w["b1"])  # warm-up (fonts, caches)
    plt.close("all")
    fig = xor.draw_spaces(w["W1"], w["b1"])
    assert len(fig.axes) == 2
    assert [ax.get_xlabel() for ax in fig.axes] == ["x₁", "h₁"]
    assert "0.0376, 0.9740, 0.9740, 0.0376" in fig._suptitle.get_text()


def test_degenerate_weights_still_draw():
    # All-zero hidden weights: the neurons' "lines" do not exist and the output is constant.
    W1, b1 = xor.hidden_layer(0, 0, 0, 0, 0, 0)
    fig = xor.draw_spaces(W1, b1)
    assert len(fig.axes) == 2


def test_widget_callback_returns_nothing():
    assert xor.show(**xor.seed_slider_values()) is None


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
    xor.draw_network(ax, **xor.seed_weights())
    assert len(ax.patches) == 5  # five neurons
    fig, ax = plt.subplots()
    xor.plot_soft_step(ax)
    assert len(ax.get_lines()) == 4
