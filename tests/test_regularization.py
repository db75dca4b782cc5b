"""Fast tests of notebook 06's logic: course.regularization (with the course's answers in the kit) and the loop it drives."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from autograder.reference import mlp as ref  # noqa: E402
from course import regularization as reg  # noqa: E402
from course import tables  # noqa: E402


def _l1_grad(params, lam):
    return {k: lam * np.sign(v) if k.startswith("W") else np.zeros_like(v) for k, v in params.items()}


def _stop_rule(val_losses, patience):
    """The notebook's documented rule: (stop epoch, best epoch), 0-based, ties keep the first minimum."""
    best = 0
    for epoch in range(1, len(val_losses)):
        if val_losses[epoch] < val_losses[best]:
            best = epoch
        elif epoch - best >= patience:
            return epoch, best
    return len(val_losses) - 1, best


#: The example's kit with the course's answers in place of the student's functions.
KIT = reg.Kit(ref.net, ref.he_init, ref.adam_step, ref.l2_penalty_grad, _l1_grad, ref.dropout_forward,
              ref.dropout_backward, ref.early_stopping)


def test_l1_adds_lambda_sign_to_weights_only():
    split = reg.overfitting_data()
    params0 = ref.he_init(list(reg.LAYERS), np.random.default_rng(0))
    l1_only = KIT.using(adam_step=lambda p, g, s, lr: ({k: p[k] - lr * g[k] for k in p}, s))
    new, _ = reg.train_net(l1_only, split, l1=0.05, epochs=1)
    grads = ref.net.backward(ref.net.one_hot(split["y_train"], 2), params0,
                             ref.net.forward(split["X_train"], params0)[1])
    for key in params0:
        extra = 0.05 * np.sign(params0[key]) if key.startswith("W") else 0.0
        np.testing.assert_allclose(new[key], params0[key] - reg.LEARNING_RATE * (grads[key] + extra), rtol=1e-12)


@pytest.mark.parametrize("patience", [1, 3, 20])
def test_early_stopping_follows_the_notebook_rule_and_restores_best(patience):
    split = reg.overfitting_data()
    _, full = reg.train_net(KIT, split, epochs=60)
    stop, best = _stop_rule(full["val_loss"], patience)
    params, history = reg.train_net(KIT, split, epochs=60, patience=patience)
    assert len(history["loss"]) == stop + 1
    assert history["best_epoch"] == best
    assert history["val_loss"] == full["val_loss"][:stop + 1]
    assert reg.evaluate(KIT, params, split["X_val"], split["y_val"])[0] == pytest.approx(full["val_loss"][best])


def test_a_missing_student_function_is_not_implemented():
    def stub(*args):
        raise NotImplementedError()

    with pytest.raises(NotImplementedError):
        reg.train_net(KIT.using(l2_penalty_grad=stub), reg.overfitting_data(), lam=0.01, epochs=1)


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
    rows = reg.compare(KIT, split, {"none": {}, "l2": {"lam": 0.01}, "l1": {"l1": 0.003}, "dropout": {"dropout": 0.5},
                               "early": {"patience": 20}})
    base = rows[0]["pérdida val."]
    assert base > 1.0 and rows[0]["pérdida ent."] < 0.1  # the example really overfits
    for row in rows[1:]:
        assert row["pérdida val."] < 0.5 * base, row["nombre"]
    assert rows[2]["pesos ≈ 0"] > rows[1]["pesos ≈ 0"] > rows[0]["pesos ≈ 0"]  # L1 sparser than L2
    table = reg.format_table(rows)
    lines = table.splitlines()
    assert "pérd. val." in lines[0] and len(lines) == 6
    assert max(map(len, lines)) <= tables.LINE_CHARS and len({line.index("%") for line in lines[1:]}) == 1


def test_small_weights_ignores_biases():
    params = {"W1": np.array([[0.0, 1.0]]), "b1": np.zeros(2)}
    assert reg.small_weights(params) == 0.5


def test_widget_update_draws_boundary_and_curves_with_stop_marks():
    split = reg.overfitting_data()
    fig, text, seconds = reg.widget_update(KIT, 1e-3, 0.2, 10, split=split, epochs=40)
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
        reg.widget_update(KIT, 1e-5, 0.0, 0, split=split, axes=axes, epochs=20)
        reg.widget_update(KIT, 1e-2, 0.0, 0, split=split, axes=axes, epochs=20)
        labels = [line.get_label() for line in axes[1].get_lines()]
        assert not any("parada temprana" in label for label in labels)
        assert len(axes[1].get_lines()) == 4  # two curves, the best-epoch line and star: nothing left over
    finally:
        plt.close(fig)


def test_comparison_figures_have_one_panel_per_model():
    split = reg.overfitting_data()
    rows = reg.compare(KIT, split, {"none": {}, "l1": {"l1": 0.003}}, epochs=10)
    fig = reg.plot_boundaries(KIT, rows, split, resolution=20)
    hist = reg.plot_weight_histograms(rows, bins=10)
    try:
        assert len(fig.axes) == 2 and "pérdida val." in fig.axes[1].get_title()
        assert [t.get_text() for t in hist.axes[0].get_legend().get_texts()] == ["none", "l1"]
    finally:
        plt.close(fig)
        plt.close(hist)
