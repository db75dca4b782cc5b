"""course.fashion: galería, explorador, matriz de confusión y curvas con datos falsos (rápidos);
el callback y el entrenamiento pequeño con Keras de verdad (marcados `slow`)."""

import subprocess
import sys

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course import fashion  # noqa: E402
from course.data import CLASS_NAMES  # noqa: E402
from conftest import stub



def fake_predictions(m=50, seed=0):
    """Imágenes, etiquetas y probabilidades falsas: acierta cuando i % 3 != 0."""
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, size=(m, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, size=m)
    probs = rng.random((m, 10)) * 0.5
    predicted = np.where(np.arange(m) % 3 == 0, (labels + 1) % 10, labels)
    probs[np.arange(m), predicted] = 2.0
    return images, labels, probs / probs.sum(axis=1, keepdims=True), predicted


def test_importing_fashion_does_not_load_tensorflow():
    code = "import sys, course.fashion; print(any(m.split('.')[0] in ('tensorflow', 'keras') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "False", out.stderr


def test_gallery_titles_are_spanish_class_names_and_errors_are_red():
    images, labels, _, predicted = fake_predictions(8)
    fig, axes = fashion.plot_gallery(images, labels, n_rows=2, n_cols=4)
    assert axes.shape == (2, 4)
    assert [ax.get_title() for ax in axes.ravel()] == [CLASS_NAMES[k] for k in labels]
    _, axes = fashion.plot_gallery(images, labels, n_rows=1, n_cols=4, predictions=predicted)
    first = axes.ravel()[0]  # índice 0: error
    assert "(es " + CLASS_NAMES[labels[0]] + ")" in first.get_title()
    assert matplotlib.colors.to_hex(first.title.get_color()) == "#d62728"


def test_gallery_with_fewer_images_than_cells():
    images, labels, _, _ = fake_predictions(3)
    _, axes = fashion.plot_gallery(images, labels, n_rows=1, n_cols=5)
    assert [bool(ax.images) for ax in axes.ravel()] == [True, True, True, False, False]


def test_browser_filters_all_and_only_errors():
    images, labels, probs, predicted = fake_predictions()
    np.testing.assert_array_equal(fashion.browser_indices(labels, predicted), np.arange(50))
    errors = fashion.browser_indices(labels, predicted, only_errors=True)
    np.testing.assert_array_equal(errors, np.flatnonzero(predicted != labels))
    assert set(errors) == set(range(0, 50, 3))


def test_browser_item_contents_and_position_clipping():
    images, labels, probs, predicted = fake_predictions()
    item = fashion.browser_item(images, labels, probs, predicted, 2, "solo errores")
    assert item["index"] == 6 and item["count"] == 17
    assert item["true"] == labels[6] and item["predicted"] == predicted[6] != labels[6]
    np.testing.assert_array_equal(item["image"], images[6])
    np.testing.assert_allclose(item["probabilities"], probs[6])
    assert fashion.browser_item(images, labels, probs, predicted, 10_000, "solo errores")["index"] == 48
    assert fashion.browser_item(images, labels, probs, predicted, -5)["index"] == 0


def test_browser_without_errors_says_so():
    images, labels, probs, _ = fake_predictions()
    perfect = np.eye(10)[labels]
    fig, item = fashion.draw_browser(images, labels, perfect, labels, 0, "solo errores")
    assert item is None
    assert "No hay imágenes" in fig.axes[0].texts[0].get_text()


def test_draw_browser_bars_and_colours():
    images, labels, probs, predicted = fake_predictions()
    fig, item = fashion.draw_browser(images, labels, probs, predicted, 0, "todas")
    fig.canvas.draw()
    bars = fig.axes[1].patches
    assert len(bars) == 10
    np.testing.assert_allclose([b.get_width() for b in bars], probs[0])
    assert matplotlib.colors.to_hex(bars[labels[0]].get_facecolor()) == "#2ca02c"
    assert matplotlib.colors.to_hex(bars[predicted[0]].get_facecolor()) == "#d62728"
    assert [t.get_text() for t in fig.axes[1].get_yticklabels()] == list(CLASS_NAMES)


def test_most_confused_ignores_diagonal_and_zeros():
    cm = np.array([[50, 3, 0], [9, 40, 1], [0, 0, 30]])
    assert fashion.most_confused(cm, k=5) == [(1, 0, 9), (0, 1, 3), (1, 2, 1)]
    assert fashion.most_confused(cm, k=1) == [(1, 0, 9)]


def test_plot_confusion_matrix_labels_rows_true_and_normalises():
    cm = np.array([[8, 2], [1, 9]])
    ax = fashion.plot_confusion_matrix(cm, ("a", "b"))
    assert ax.get_ylabel() == "clase verdadera" and ax.get_xlabel() == "clase predicha"
    assert [t.get_text() for t in ax.texts] == ["8", "2", "1", "9"]
    ax = fashion.plot_confusion_matrix(cm, ("a", "b"), normalize=True)
    assert [t.get_text() for t in ax.texts] == ["0.80", "0.20", "0.10", "0.90"]


def test_plot_history_with_and_without_validation():
    history = {"loss": [1.0, 0.6, 0.4], "accuracy": [0.6, 0.7, 0.8], "val_loss": [0.9, 0.7, 0.6],
               "val_accuracy": [0.65, 0.72, 0.75]}
    axes = fashion.plot_history(history, title="prueba")
    assert [line.get_label() for line in axes[0].lines] == ["entrenamiento", "validación"]
    np.testing.assert_allclose(axes[1].lines[1].get_ydata(), history["val_accuracy"])
    assert axes[0].get_ylabel() == "pérdida" and axes[1].get_ylabel() == "exactitud"
    axes = fashion.plot_history({"loss": [1.0, 0.5], "accuracy": [0.5, 0.6]})
    assert [line.get_label() for line in axes[0].lines] == ["entrenamiento"]


def test_live_history_accumulates_epoch_logs_without_keras():
    live = fashion.LiveHistory(show=False)
    live.update({"loss": 1.0, "accuracy": 0.5, "val_loss": 1.1, "val_accuracy": 0.45})
    history = live.update({"loss": 0.7, "accuracy": 0.6, "val_loss": 0.8, "val_accuracy": 0.55})
    assert history == {"loss": [1.0, 0.7], "accuracy": [0.5, 0.6], "val_loss": [1.1, 0.8], "val_accuracy": [0.45, 0.55]}
    assert "época 2" in live.fig._suptitle.get_text()
    live.close()


def keras_exercises():
    """`build_model` y `compile_model` como los escribe el estudiante en el cuaderno 07 (para las pruebas)."""
    import keras

    def build_model(hidden=(300, 100), activation="relu"):
        layers = [keras.Input(shape=(28, 28)), keras.layers.Flatten()]
        layers += [keras.layers.Dense(units, activation=activation) for units in hidden]
        return keras.Sequential(layers + [keras.layers.Dense(10, activation="softmax")])

    def compile_model(model, learning_rate=0.01):
        model.compile(loss="sparse_categorical_crossentropy",
                      optimizer=keras.optimizers.SGD(learning_rate=learning_rate), metrics=["accuracy"])
        return model

    return build_model, compile_model


@pytest.mark.slow
def test_train_small_model_and_live_callback_with_keras():
    rng = np.random.default_rng(0)
    X = rng.random((300, 28, 28)).astype("float32")
    y = (X[:, :14].mean(axis=(1, 2)) > X[:, 14:].mean(axis=(1, 2))).astype(int)  # 2 clases aprendibles
    callback = fashion.live_plot_callback(show=False)
    model, history = fashion.train_small_model(*keras_exercises(), X[:200], y[:200], X[200:], y[200:], n_layers=1,
                                               units=16, optimizer="adam", learning_rate=0.01, epochs=3, n_train=200,
                                               initializer="he_normal", callbacks=[callback])
    assert set(history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert len(history["loss"]) == 3 and history["loss"][-1] < history["loss"][0]
    assert callback.live.history["val_accuracy"] == pytest.approx(history["val_accuracy"])
    assert model.count_params() == 784 * 16 + 16 + 16 * 10 + 10
    assert type(model.optimizer).__name__ == "Adam"


@pytest.mark.slow
def test_train_small_model_uses_the_students_functions():
    build_model, compile_model = keras_exercises()

    def stub(*args, **kwargs):
        raise NotImplementedError()

    X = np.zeros((4, 28, 28), dtype="float32")
    y = np.arange(4)
    for functions in ((stub, compile_model), (build_model, stub)):
        with pytest.raises(NotImplementedError):
            fashion.train_small_model(*functions, X, y, X, y, epochs=1, n_train=4)
