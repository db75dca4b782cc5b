"""Fast tests of course/backprop.py (the computation-graph widget) and of notebook 04's reference code."""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course import backprop, mlp  # noqa: E402

NOTEBOOK = Path(__file__).resolve().parent.parent / "source" / "04_backprop" / "04_backprop.ipynb"


def notebook_reference(*grade_ids):
    """Namespace with the notebook's helper cell (phi, dphi) and the given solution cells, markers stripped."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    namespace = {"np": np, "sigmoid": mlp.sigmoid, "relu": mlp.relu}
    helper = next(c for c in nb.cells if c.cell_type == "code" and "def dphi(" in c.source)
    exec(helper.source, namespace)
    solutions = {c.metadata["nbgrader"]["grade_id"]: c.source for c in nb.cells
                 if c.metadata.get("nbgrader", {}).get("solution")}
    for gid in grade_ids:
        body = "\n".join(line for line in solutions[gid].splitlines()
                         if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION"))
        exec(body, namespace)
    return namespace


def numeric_partials(a, b, h=1e-6):
    F = lambda u, v: (u * v + 1) * (u * v + 2)  # noqa: E731
    return (F(a + h, b) - F(a - h, b)) / (2 * h), (F(a, b + h) - F(a, b - h)) / (2 * h)


def test_seed_example_values_and_derivatives():
    assert backprop.forward_values(1, 2) == {"a": 1.0, "b": 2.0, "ab": 2.0, "p": 3.0, "q": 4.0, "F": 12.0}
    assert backprop.backward_grads(1, 2) == {"F": 1.0, "p": 4.0, "q": 3.0, "ab": 7.0, "a": 14.0, "b": 7.0}


@pytest.mark.parametrize("a, b", [(0.0, 0.0), (1.5, -0.7), (-2.3, 0.4), (3.0, 3.0)])
def test_backward_grads_match_numerical_derivatives(a, b):
    grads = backprop.backward_grads(a, b)
    da, db = numeric_partials(a, b)
    assert grads["a"] == pytest.approx(da, rel=1e-6, abs=1e-6)
    assert grads["b"] == pytest.approx(db, rel=1e-6, abs=1e-6)
    assert grads["ab"] == pytest.approx(2 * a * b + 3)


def test_reveal_goes_forward_then_backward_node_by_node():
    seen_values, seen_grads = [], []
    for step in range(backprop.N_STEPS):
        state = backprop.reveal(1.0, 2.0, step)
        seen_values.append(sum(v is not None for v in state["values"].values()))
        seen_grads.append(sum(g is not None for g in state["grads"].values()))
        assert state["text"].startswith(f"Paso {step}")
    assert seen_values == [2, 3, 4, 5, 6, 6, 6, 6, 6, 6, 6]
    assert seen_grads == [0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6]
    assert backprop.reveal(1.0, 2.0, 0)["phase"] == "entradas"
    assert backprop.reveal(1.0, 2.0, 4)["current"] == "F" and backprop.reveal(1.0, 2.0, 4)["phase"] == "forward"
    final = backprop.reveal(1.0, 2.0, backprop.N_STEPS - 1)
    assert final["grads"] == backprop.backward_grads(1.0, 2.0)
    assert final["values"] == backprop.forward_values(1.0, 2.0)


def test_shared_node_step_sums_both_paths_and_names_its_edges():
    state = backprop.reveal(1.0, 2.0, 8)
    assert state["current"] == "ab" and state["phase"] == "backward"
    assert set(state["edges"]) == {("ab", "p"), ("ab", "q")}
    assert "4 + 3 = 7" in state["text"] and "dos caminos" in state["text"]
    forward_F = backprop.reveal(1.0, 2.0, 4)
    assert set(forward_F["edges"]) == {("p", "F"), ("q", "F")}
    assert "F = p·q = 3·4 = 12" in forward_F["text"]


def test_negative_factors_are_written_with_parentheses():
    assert "1.5·(-0.7)" in backprop.reveal(1.5, -0.7, 1)["text"]


def test_step_is_clamped():
    assert backprop.reveal(1, 2, -5)["phase"] == "entradas"
    assert backprop.reveal(1, 2, 99)["current"] == "b"


def test_figure_and_png_render():
    fig, state = backprop.figure_step(1.0, 2.0, 8)
    assert state["current"] == "ab"
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "∂F/∂ab = 7" in texts and "ab = 2" in texts
    plt.close(fig)
    backprop.render_png(1.0, 2.0, 0)  # warm-up
    for step in range(backprop.N_STEPS):
        assert backprop.render_png(0.5, -1.2, step)[:8] == b"\x89PNG\r\n\x1a\n"
    assert plt.get_fignums() == []


def test_plot_relative_errors_draws_one_bar_per_entry():
    fig, ax = plt.subplots()
    backprop.plot_relative_errors(ax, {"W1": 1e-9, "b1": 0.0, "W2": 0.3})
    assert len(ax.patches) >= 3 and ax.get_yscale() == "log"
    plt.close(fig)


def test_notebook_graph_solutions_agree_with_the_widget_logic():
    ns = notebook_reference("graph_forward", "graph_backward")
    for a, b in [(1.0, 2.0), (-0.3, 2.5), (0.0, 4.0)]:
        values = backprop.forward_values(a, b)
        assert ns["graph_forward"](a, b) == pytest.approx({k: values[k] for k in ("ab", "p", "q", "F")})
        grads = backprop.backward_grads(a, b)
        assert ns["graph_backward"](a, b) == pytest.approx((grads["a"], grads["b"]))


@pytest.mark.parametrize("sizes, activation, m", [
    ([3, 2], "sigmoid", 4), ([4, 5, 3], "tanh", 1), ([2, 6, 4, 3], "relu", 7), ([5, 3, 4, 6, 2], "sigmoid", 3)])
def test_notebook_mlp_is_the_same_code_as_course_mlp(sizes, activation, m):
    ns = notebook_reference("mlp_forward", "mlp_backward")
    rng = np.random.default_rng(len(sizes) * 10 + m)
    params = {}
    for l, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        params[f"W{l}"] = rng.normal(size=(n_in, n_out))
        params[f"b{l}"] = rng.normal(size=n_out)
    X = rng.normal(size=(m, sizes[0]))
    Y = mlp.one_hot(rng.integers(0, sizes[-1], size=m), sizes[-1])
    Y_hat, cache = ns["mlp_forward"](X, params, activation)
    Y_ref, cache_ref = mlp.forward(X, params, activation)
    np.testing.assert_allclose(Y_hat, Y_ref, rtol=1e-12, atol=1e-15)
    assert set(cache_ref) <= set(cache) | {"activation"}
    grads, grads_ref = ns["mlp_backward"](Y, params, cache), mlp.backward(Y, params, cache_ref)
    assert set(grads) == set(params)
    for key in params:
        np.testing.assert_allclose(grads[key], grads_ref[key], rtol=1e-10, atol=1e-14)
