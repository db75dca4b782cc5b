"""course.perceptron: reference perceptron and the logic behind notebook 01's explorer widget."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course import perceptron  # noqa: E402


def test_step_is_one_at_zero_and_float():
    out = perceptron.step(np.array([-1e-12, 0.0, -0.0, 2.0]))
    assert out.dtype == float
    assert out.tolist() == [0.0, 1.0, 1.0, 1.0]
    assert float(perceptron.step(0)) == 1.0


def test_predict_one_and_several_outputs():
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    assert perceptron.predict(X, [1, 1], -1.5).tolist() == [0, 0, 0, 1]
    both = perceptron.predict(X, np.ones((2, 2)), np.array([-1.5, -0.5]))
    assert both.tolist() == [[0, 0], [0, 1], [0, 1], [1, 1]]


@pytest.mark.parametrize("y, expected_w, expected_b", [(0, [-0.5, -0.5], -0.5), (1, [0.0, 0.0], 0.0)])
def test_rule_step_at_z_zero(y, expected_w, expected_b):
    w = np.zeros(2)
    new_w, new_b, y_hat = perceptron.rule_step(w, 0.0, np.array([1.0, 1.0]), y, 0.5)
    assert y_hat == 1.0
    assert new_w.tolist() == expected_w and new_b == expected_b
    assert w.tolist() == [0.0, 0.0]  # no mutation


def test_boundary_line_solves_the_equation():
    xs, ys = perceptron.boundary_line([1.0, 2.0], -1.0)
    assert np.allclose(1.0 * xs + 2.0 * ys - 1.0, 0.0)
    xs, ys = perceptron.boundary_line([2.0, 0.0], -1.0)  # vertical: x1 = 0.5
    assert np.allclose(xs, 0.5)
    assert perceptron.boundary_line([0.0, 0.0], 1.0) is None


@pytest.mark.parametrize("gate, w1, w2, b, wrong", [
    ("AND", 1.0, 1.0, -1.5, []),
    ("OR", 1.0, 1.0, -0.5, []),
    ("AND", 1.0, 1.0, -0.5, [1, 2]),          # the OR neuron gets 01 and 10 wrong for AND
    ("XOR", 1.0, 1.0, -0.5, [3]),
    ("xor", 0.0, 0.0, 0.0, [0, 3]),           # everything predicted 1
])
def test_gate_view_counts_misclassified_points(gate, w1, w2, b, wrong):
    view = perceptron.gate_view(gate, w1, w2, b)
    assert view["gate"] == gate.upper()
    assert view["wrong"].tolist() == wrong
    assert view["n_errors"] == len(wrong)
    assert view["X"].shape == (4, 2) and view["y_hat"].shape == (4,)
    assert (view["line"] is None) == (w1 == 0 and w2 == 0)


def test_draw_view_changes_with_the_sliders():
    def pixels(w1, w2, b):
        fig = perceptron.draw_view(perceptron.gate_view("AND", w1, w2, b), note="paso 1")
        fig.canvas.draw()
        image = np.asarray(fig.canvas.buffer_rgba()).copy()
        title = fig.axes[0].get_title()
        plt.close(fig)
        return image, title

    a, title_a = pixels(1.0, 1.0, -1.5)
    b, title_b = pixels(1.0, 1.0, -0.5)
    assert a.shape == b.shape and not np.array_equal(a, b)
    assert "mal clasificados: 0 de 4" in title_a and "paso 1" in title_a
    assert "mal clasificados: 2 de 4" in title_b
    fig = perceptron.draw_view(perceptron.gate_view("XOR", 0.0, 0.0, 0.0))  # no line, no crash
    plt.close(fig)


def test_step_button_advances_cyclically_and_applies_the_rule():
    trainer = perceptron.StepTrainer(eta=0.2)
    w1, w2, b, note = trainer.step("AND", 0.5, -0.5, 0.0)  # example (0, 0), y = 0, z = 0 → ŷ = 1: error
    assert (w1, w2, b) == (0.5, -0.5, -0.2)
    assert trainer.index == 1 and "paso 1" in note and "w ← w − ηx" in note
    w1, w2, b, note = trainer.step("AND", w1, w2, b)     # example (0, 1): z = -0.7 → correct
    assert (w1, w2, b) == (0.5, -0.5, -0.2) and "acierto" in note
    trainer.step("AND", w1, w2, b)
    trainer.step("AND", w1, w2, b)
    assert trainer.index == 0 and trainer.steps == 4
    trainer.reset()
    assert trainer.index == 0 and trainer.steps == 0


@pytest.mark.parametrize("gate, converges", [("AND", True), ("OR", True), ("XOR", False)])
def test_pressing_the_button_trains_separable_gates_only(gate, converges):
    trainer = perceptron.StepTrainer()
    values = (0.5, -0.5, 0.0)
    errors = []
    for _ in range(200):
        *values, _ = trainer.step(gate, *values)
        errors.append(perceptron.gate_view(gate, *values)["n_errors"])
        assert max(abs(v) for v in values) <= 3.0  # stays inside the sliders' range
    assert (errors[-1] == 0) == converges
    if not converges:
        assert min(errors) >= 1


def test_render_displays_a_figure_and_closes_it(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    monkeypatch.setattr("IPython.display.Image", lambda data, format: data)
    before = len(plt.get_fignums())
    perceptron.render("OR", 0.3, 0.2, -0.1, note="hola")
    assert len(shown) == 1 and len(plt.get_fignums()) == before
    assert shown[0][:8] == b"\x89PNG\r\n\x1a\n"
