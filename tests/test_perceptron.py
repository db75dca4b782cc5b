"""course.perceptron: notebook 01's explorer widget, driven by reference versions of the student's functions."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from autograder.reference.perceptron import perceptron_predict, perceptron_update  # noqa: E402
from course import perceptron, widgets  # noqa: E402
from conftest import stub



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
    view = perceptron.gate_view(perceptron_predict, gate, w1, w2, b)
    assert view["gate"] == gate.upper()
    assert view["wrong"].tolist() == wrong
    assert view["n_errors"] == len(wrong)
    assert view["X"].shape == (4, 2) and view["y_hat"].shape == (4,)
    assert (view["line"] is None) == (w1 == 0 and w2 == 0)


def test_gate_view_regions_are_the_students_predictions():
    calls = []

    def predict(X, w, b):
        calls.append(len(X))
        return perceptron_predict(X, w, b)

    view = perceptron.gate_view(predict, "OR", 1.0, 1.0, -0.5)
    assert calls == [4, perceptron.RESOLUTION ** 2]  # the four inputs, then the grid
    grid = np.linspace(*perceptron.LIMITS, perceptron.RESOLUTION)
    xx, yy = np.meshgrid(grid, grid)
    assert view["regions"].tolist() == ((xx + yy - 0.5) >= 0).astype(float).tolist()
    flipped = perceptron.gate_view(lambda X, w, b: 1 - perceptron_predict(X, w, b), "OR", 1.0, 1.0, -0.5)
    assert flipped["wrong"].tolist() == [0, 1, 2, 3]  # a wrong predict shows as wrong points


def test_draw_view_changes_with_the_sliders():
    def pixels(w1, w2, b):
        fig = perceptron.draw_view(perceptron.gate_view(perceptron_predict, "AND", w1, w2, b), note="paso 1")
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
    fig = perceptron.draw_view(perceptron.gate_view(perceptron_predict, "XOR", 0.0, 0.0, 0.0))  # no line
    plt.close(fig)


def test_draw_gates_one_panel_per_neuron():
    fig = perceptron.draw_gates(perceptron_predict, [("AND", 1.0, 1.0, -1.5), ("OR", 1.0, 1.0, -0.5)])
    assert [ax.get_title().splitlines()[0].split(":")[0] for ax in fig.axes] == ["AND", "OR"]
    plt.close(fig)


def test_step_button_advances_cyclically_and_applies_the_rule():
    trainer = perceptron.StepTrainer(perceptron_predict, perceptron_update, eta=0.2)
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
    trainer = perceptron.StepTrainer(perceptron_predict, perceptron_update)
    values = (0.5, -0.5, 0.0)
    errors = []
    for _ in range(200):
        *values, _ = trainer.step(gate, *values)
        errors.append(perceptron.gate_view(perceptron_predict, gate, *values)["n_errors"])
        assert max(abs(v) for v in values) <= 3.0  # stays inside the sliders' range
    assert (errors[-1] == 0) == converges
    if not converges:
        assert min(errors) >= 1


@pytest.mark.parametrize("predict, update", [(stub, perceptron_update), (perceptron_predict, stub)])
def test_step_button_with_a_stub_says_what_to_finish(predict, update):
    box = perceptron.explorer(predict, update)
    button, view = box.children[0].children[-1], box.children[1]
    button.click()
    assert view.children[0].value == widgets.pending_message(perceptron.NEEDS_STEP)


def test_explorer_draws_at_once_and_keeps_the_step_note():
    before = len(plt.get_fignums())
    box = perceptron.explorer(perceptron_predict, perceptron_update)
    controls, (message, image, _) = box.children[0].children, box.children[1].children
    assert image.value[:8] == b"\x89PNG\r\n\x1a\n" and message.value == ""   # drawn before it is shown
    first = image.value
    controls[-1].click()                                   # one training step: (0, 0) is misclassified
    assert controls[3].value == pytest.approx(-0.2) and image.value != first
    assert len(plt.get_fignums()) == before


def test_explorer_slider_moves_clear_the_note(monkeypatch):
    notes = []
    monkeypatch.setattr(perceptron, "draw_view", lambda view, note="": notes.append(note) or plt.figure())
    box = perceptron.explorer(perceptron_predict, perceptron_update)
    controls = box.children[0].children
    controls[-1].click()
    assert notes[-1].startswith("paso 1") and len(notes) == 2   # one redraw per press, with its note
    controls[1].value = 1.0
    assert notes[-1] == ""
