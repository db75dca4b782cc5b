"""Fast tests of course/backprop.py (the computation-graph figure and widget, fed with the student's functions)
and of notebook 04's solution and given cells."""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from autograder.reference import backprop as reference  # noqa: E402
from course import backprop  # noqa: E402
from course import widgets  # noqa: E402
from course.widgets import pending_message  # noqa: E402
from conftest import stub

NOTEBOOK = Path(__file__).resolve().parent.parent / "source" / "04_backprop" / "04_backprop.ipynb"
CLASS_GRADS = {"F": 1.0, "p": 4.0, "q": 3.0, "ab": 7.0, "a": 14.0, "b": 7.0}


def notebook_reference(*grade_ids):
    """Namespace with the notebook's given cells (03's functions, phi, dphi) and the given solution cells,
    markers stripped."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    namespace = {"np": np}
    for marker in ("def cross_entropy(", "def dphi("):
        exec(next(c.source for c in nb.cells if c.cell_type == "code" and marker in c.source), namespace)
    solutions = {c.metadata["nbgrader"]["grade_id"]: c.source for c in nb.cells
                 if c.metadata.get("nbgrader", {}).get("solution")}
    for gid in grade_ids:
        body = "\n".join(line for line in solutions[gid].splitlines()
                         if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION"))
        exec(body, namespace)
    return namespace


def values_of(a, b):
    return {"a": a, "b": b, **reference.graph_forward(a, b)}


def final_state(a, b):
    return backprop.reveal(values_of(a, b), reference.graph_backward(a, b), backprop.N_STEPS - 1)


def numeric_partials(a, b, h=1e-6):
    F = lambda u, v: (u * v + 1) * (u * v + 2)  # noqa: E731
    return (F(a + h, b) - F(a - h, b)) / (2 * h), (F(a, b + h) - F(a, b - h)) / (2 * h)



def test_class_example_values_and_derivatives():
    state = final_state(1.0, 2.0)
    assert state["values"] == {"a": 1.0, "b": 2.0, "ab": 2.0, "p": 3.0, "q": 4.0, "F": 12.0}
    assert state["grads"] == CLASS_GRADS


@pytest.mark.parametrize("a, b", [(0.0, 0.0), (1.5, -0.7), (-2.3, 0.4), (3.0, 3.0)])
def test_inner_derivatives_match_numerical_derivatives(a, b):
    grads = final_state(a, b)["grads"]
    da, db = numeric_partials(a, b)
    assert grads["ab"] * b == pytest.approx(da, rel=1e-6, abs=1e-6)
    assert grads["ab"] * a == pytest.approx(db, rel=1e-6, abs=1e-6)
    assert (grads["a"], grads["b"]) == pytest.approx((da, db), rel=1e-6, abs=1e-6)


def test_reveal_goes_forward_then_backward_node_by_node():
    seen_values, seen_grads = [], []
    for step in range(backprop.N_STEPS):
        input_grads = reference.graph_backward(1.0, 2.0) if step >= backprop.FIRST_INPUT_GRAD_STEP else None
        state = backprop.reveal(values_of(1.0, 2.0), input_grads, step)
        seen_values.append(sum(v is not None for v in state["values"].values()))
        seen_grads.append(sum(g is not None for g in state["grads"].values()))
        assert state["text"].startswith(f"Paso {step}")
    assert seen_values == [2, 3, 4, 5, 6, 6, 6, 6, 6, 6, 6]
    assert seen_grads == [0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6]
    assert backprop.reveal(values_of(1.0, 2.0), None, 0)["phase"] == "entradas"
    forward_F = backprop.reveal(values_of(1.0, 2.0), None, 4)
    assert forward_F["current"] == "F" and forward_F["phase"] == "forward"


def test_shared_node_step_sums_both_paths_and_names_its_edges():
    state = backprop.reveal(values_of(1.0, 2.0), None, 8)
    assert state["current"] == "ab" and state["phase"] == "backward"
    assert set(state["edges"]) == {("ab", "p"), ("ab", "q")}
    assert "4 + 3 = 7" in state["text"] and "dos caminos" in state["text"]
    forward_F = backprop.reveal(values_of(1.0, 2.0), None, 4)
    assert set(forward_F["edges"]) == {("p", "F"), ("q", "F")}
    assert "F = p·q = 3·4 = 12" in forward_F["text"]


def test_the_figure_shows_the_students_numbers_even_when_wrong():
    state = backprop.reveal(values_of(1.0, 2.0), (13.0, 7.0), backprop.FIRST_INPUT_GRAD_STEP)
    assert state["current"] == "a" and "7·2 = 13" in state["text"]
    wrong_forward = {**values_of(1.0, 2.0), "F": 11.0}
    assert "= 11" in backprop.reveal(wrong_forward, None, 4)["text"]


def test_negative_factors_are_written_with_parentheses():
    assert "1.5·(-0.7)" in backprop.reveal(values_of(1.5, -0.7), None, 1)["text"]


def test_step_is_clamped():
    assert backprop.reveal(values_of(1, 2), None, -5)["phase"] == "entradas"
    assert final_state(1, 2)["current"] == "b"
    assert backprop.reveal(values_of(1, 2), (14, 7), 99)["current"] == "b"


def test_figure_and_png_render():
    fig, state = backprop.figure_step(values_of(1.0, 2.0), None, 8)
    assert state["current"] == "ab"
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "∂F/∂ab = 7" in texts and "ab = 2" in texts
    plt.close(fig)


def explorer_parts(forward, backward):
    box = backprop.explorer(forward, backward)
    (a, b), (play, step), view = box.children[0].children, box.children[1].children, box.children[2]
    return a, b, step, view.children[0], view.children[1]


def test_explorer_draws_every_step_at_natural_size():
    a, b, step, message, image = explorer_parts(reference.graph_forward, reference.graph_backward)
    seen = {image.value}
    for value in range(1, backprop.N_STEPS):
        step.value = value
        seen.add(image.value)
    assert len(seen) == backprop.N_STEPS and message.value == ""
    assert image.layout.width == f"{widgets.png_size(image.value)[0]}px"
    assert plt.get_fignums() == []


def test_explorer_says_what_to_finish_while_a_function_is_a_stub():
    *_, step, message, image = explorer_parts(stub, stub)
    assert message.value == pending_message("`graph_forward` (ejercicio 1)") and image.value == b""
    *_, step, message, image = explorer_parts(reference.graph_forward, stub)
    for value in range(backprop.N_STEPS):
        step.value = value
        expected = "" if value < backprop.FIRST_INPUT_GRAD_STEP else pending_message("`graph_backward` (ejercicio 2)")
        assert message.value == expected
    assert plt.get_fignums() == []


def test_plot_relative_errors_draws_one_bar_per_entry():
    fig, ax = plt.subplots()
    backprop.plot_relative_errors(ax, {"W1": 1e-9, "b1": 0.0, "W2": 0.3})
    assert len(ax.patches) >= 3 and ax.get_yscale() == "log"
    plt.close(fig)


@pytest.mark.parametrize("a, b", [(1.0, 2.0), (-0.3, 2.5), (0.0, 4.0), (1e3, -2e-3)])
def test_notebook_graph_solutions_agree_with_the_reference(a, b):
    ns = notebook_reference("graph_forward", "graph_backward")
    assert ns["graph_forward"](a, b) == pytest.approx(reference.graph_forward(a, b))
    assert ns["graph_backward"](a, b) == pytest.approx(reference.graph_backward(a, b))


def test_notebook_gradient_tools():
    ns = notebook_reference("numerical_gradient", "relative_error")
    x = np.array([[0.3, -1.2], [2.0, 0.5]])
    before = x.copy()
    np.testing.assert_allclose(ns["numerical_gradient"](lambda v: np.sum(np.sin(v)), x), np.cos(x), rtol=1e-8)
    np.testing.assert_array_equal(x, before)
    assert ns["relative_error"](np.zeros(3), np.zeros(3)) == 0.0
    assert ns["relative_error"]([1.0, 2.0], [1.0, 3.0]) == pytest.approx(0.2)


def test_given_cell_functions():
    ns = notebook_reference()
    with np.errstate(all="raise", under="ignore"):
        np.testing.assert_allclose(ns["sigmoid"](np.array([-1000.0, 0.0, 1000.0])), [0.0, 0.5, 1.0])
    np.testing.assert_array_equal(ns["relu"](np.array([-2.0, 0.0, 3.0])), [0.0, 0.0, 3.0])
    Y = ns["one_hot"]([2, 0, 1], 3)
    np.testing.assert_array_equal(Y, np.eye(3)[[2, 0, 1]])
    Y_hat = np.array([[0.1, 0.2, 0.7], [0.5, 0.25, 0.25], [0.2, 0.6, 0.2]])
    assert ns["cross_entropy"](Y_hat, Y) == pytest.approx(-np.mean(np.log([0.7, 0.5, 0.6])))


@pytest.mark.parametrize("sizes, activation, m", [
    ([3, 2], "sigmoid", 4), ([4, 5, 3], "tanh", 1), ([2, 6, 4, 3], "relu", 7), ([5, 3, 4, 6, 2], "sigmoid", 3)])
def test_notebook_mlp_backward_matches_a_numerical_gradient(sizes, activation, m):
    ns = notebook_reference("mlp_forward", "mlp_backward")
    rng = np.random.default_rng(len(sizes) * 10 + m)
    params = {}
    for l, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        params[f"W{l}"] = rng.normal(size=(n_in, n_out))
        params[f"b{l}"] = rng.normal(size=n_out)
    X = rng.normal(size=(m, sizes[0]))
    Y = ns["one_hot"](rng.integers(0, sizes[-1], size=m), sizes[-1])
    Y_hat, cache = ns["mlp_forward"](X, params, activation)
    np.testing.assert_allclose(Y_hat.sum(axis=1), 1.0)
    grads = ns["mlp_backward"](Y, params, cache)
    assert set(grads) == set(params)
    h = 1e-6
    for key, value in params.items():
        for index in np.ndindex(value.shape):
            up, down = {**params, key: value.copy()}, {**params, key: value.copy()}
            up[key][index] += h
            down[key][index] -= h
            loss = [ns["cross_entropy"](ns["mlp_forward"](X, p, activation)[0], Y) for p in (up, down)]
            assert grads[key][index] == pytest.approx((loss[0] - loss[1]) / (2 * h), rel=1e-4, abs=1e-7)
