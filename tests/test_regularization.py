"""Fast tests of notebook 06's logic: course.regularization and the L1 / early-stopping part of mlp.train."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course import mlp  # noqa: E402
from course import regularization as reg  # noqa: E402


def _tiny_problem(seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(12, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(int)
    return X, y, mlp.he_init([2, 5, 2], rng)


def _stop_rule(val_losses, patience):
    """The notebook's documented rule: (stop epoch, best epoch), 0-based, ties keep the first minimum."""
    best = 0
    for epoch in range(1, len(val_losses)):
        if val_losses[epoch] < val_losses[best]:
            best = epoch
        elif epoch - best >= patience:
            return epoch, best
    return len(val_losses) - 1, best


def test_train_l1_adds_lambda_sign_to_weights_only():
    X, y, params = _tiny_problem()
    params["W1"][0, 0] = 0.0  # sign(0) = 0: this weight gets no L1 push
    lr, lam = 0.1, 0.05
    new, _ = mlp.train(params, X, y, epochs=1, batch_size=len(X), lr=lr, l1=lam, seed=0)
    _, cache = mlp.forward(X, params, "relu")
    grads = mlp.backward(mlp.one_hot(y, 2), params, cache)
    for key in params:
        extra = lam * np.sign(params[key]) if key.startswith("W") else 0.0
        np.testing.assert_allclose(new[key], params[key] - lr * (grads[key] + extra), rtol=1e-12, atol=1e-14)


def test_train_defaults_unchanged_without_l1_or_patience():
    X, y, params = _tiny_problem(1)
    a, ha = mlp.train(params, X, y, epochs=5, lr=0.1, l2=0.01, X_val=X, y_val=y)
    b, hb = mlp.train(params, X, y, epochs=5, lr=0.1, l2=0.01, X_val=X, y_val=y, l1=0.0, patience=None)
    assert "best_epoch" not in ha and ha == hb
    for key in a:
        np.testing.assert_array_equal(a[key], b[key])


@pytest.mark.parametrize("patience", [1, 3, 20])
def test_train_early_stopping_follows_the_notebook_rule_and_restores_best(patience):
    split = reg.overfitting_data()
    _, full = reg.train_net(split, epochs=60)
    stop, best = _stop_rule(full["val_loss"], patience)
    params, history = reg.train_net(split, epochs=60, patience=patience)
    assert len(history["loss"]) == stop + 1
    assert history["best_epoch"] == best
    assert history["val_loss"] == full["val_loss"][:stop + 1]
    assert reg.evaluate(params, split["X_val"], split["y_val"])[0] == pytest.approx(full["val_loss"][best])


def test_train_patience_needs_validation_data():
    X, y, params = _tiny_problem()
    with pytest.raises(ValueError, match="validación"):
        mlp.train(params, X, y, patience=3)


def test_overfitting_data_is_a_disjoint_fixed_split():
    a, b = reg.overfitting_data(), reg.overfitting_data()
    assert [a[k].shape[0] for k in ("X_train", "X_val", "X_test")] == list(reg.SIZES)
    for key in a:
        np.testing.assert_array_equal(a[key], b[key])
    rows = np.vstack([a["X_train"], a["X_val"], a["X_test"]])
    assert len(np.unique(rows, axis=0)) == sum(reg.SIZES)
    assert set(np.unique(a["y_train"])) == {0, 1}


def test_every_regulariser_lowers_the_validation_loss_of_the_example():
    """The claim the notebook prints with numbers: each technique beats the unregularised network."""
    split = reg.overfitting_data()
    rows = reg.compare(split, {"none": {}, "l2": {"lam": 0.01}, "l1": {"l1": 0.003}, "dropout": {"dropout": 0.5},
                               "early": {"patience": 20}})
    base = rows[0]["pérdida val."]
    assert base > 1.0 and rows[0]["pérdida ent."] < 0.1  # the example really overfits
    for row in rows[1:]:
        assert row["pérdida val."] < 0.5 * base, row["nombre"]
    assert rows[2]["pesos ≈ 0"] > rows[1]["pesos ≈ 0"] > rows[0]["pesos ≈ 0"]  # L1 sparser than L2
    table = reg.format_table(rows)
    assert "pérdida val." in table and len(table.splitlines()) == 6


def test_small_weights_ignores_biases():
    params = {"W1": np.array([[0.0, 1.0]]), "b1": np.zeros(2)}
    assert reg.small_weights(params) == 0.5


def test_widget_update_draws_boundary_and_curves_with_stop_marks():
    split = reg.overfitting_data()
    fig, text, seconds = reg.widget_update(1e-3, 0.2, 10, split=split, epochs=40)
    try:
        assert len(fig.axes) == 2 and seconds > 0
        assert "Pérdida de validación" in text and "épocas" in text
        labels = [line.get_label() for line in fig.axes[1].get_lines()]
        assert any("parada temprana" in label for label in labels)
        assert any("mejor época" in label for label in labels)
        assert fig.axes[0].get_title().startswith("λ = 1.0e-03")
    finally:
        plt.close(fig)


def test_widget_update_reuses_axes_without_early_stopping():
    split = reg.overfitting_data()
    fig, axes = plt.subplots(1, 2)
    try:
        reg.widget_update(1e-5, 0.0, 0, split=split, axes=axes, epochs=20)
        reg.widget_update(1e-2, 0.0, 0, split=split, axes=axes, epochs=20)
        labels = [line.get_label() for line in axes[1].get_lines()]
        assert not any("parada temprana" in label for label in labels)
        assert len(axes[1].get_lines()) == 4  # two curves, the best-epoch line and star: nothing left over
    finally:
        plt.close(fig)


def test_comparison_figures_have_one_panel_per_model():
    split = reg.overfitting_data()
    rows = reg.compare(split, {"none": {}, "l1": {"l1": 0.003}}, epochs=10)
    fig = reg.plot_boundaries(rows, split, resolution=20)
    hist = reg.plot_weight_histograms(rows, bins=10)
    try:
        assert len(fig.axes) == 2 and "pérdida val." in fig.axes[1].get_title()
        assert [t.get_text() for t in hist.axes[0].get_legend().get_texts()] == ["none", "l1"]
    finally:
        plt.close(fig)
        plt.close(hist)
