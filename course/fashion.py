"""Fashion-MNIST con Keras (cuaderno 07): galería, explorador de imágenes, matriz de confusión y curvas.

Las funciones de dibujo trabajan con arreglos de NumPy (imágenes, etiquetas, probabilidades), así que
se prueban sin TensorFlow. Keras solo se importa *dentro* de las funciones que lo necesitan
(`live_plot_callback`, `train_small_model`): importar este módulo nunca carga TensorFlow.
"""

import numpy as np

from course import plots
from course.data import CLASS_NAMES

#: Opciones del filtro del explorador de imágenes.
BROWSER_FILTERS = ("todas", "solo errores")


# --- Galería ------------------------------------------------------------------------------------

def plot_gallery(images, labels, n_rows=3, n_cols=8, predictions=None, class_names=CLASS_NAMES):
    """Cuadrícula con las primeras `n_rows·n_cols` imágenes (n, 28, 28) y su clase en español.

    `labels` (n,) son las clases verdaderas. Si se da `predictions` (n,), el título muestra la clase
    predicha y se pinta en rojo cuando no coincide con la verdadera. Devuelve `(fig, axes)`.
    """
    images = np.asarray(images)
    labels = np.asarray(labels).astype(int)
    fig, axes = plots.figure(n_cols, n_rows, width=1.25, height=1.5, squeeze=False)
    for k, ax in enumerate(axes.ravel()):
        ax.axis("off")
        if k >= len(images):
            continue
        ax.imshow(images[k], cmap="binary")
        if predictions is None:
            ax.set_title(class_names[labels[k]], fontsize=8)
        else:
            guess = int(np.asarray(predictions)[k])
            ok = guess == labels[k]
            text = class_names[guess] if ok else f"{class_names[guess]}\n(es {class_names[labels[k]]})"
            ax.set_title(text, fontsize=8, color="black" if ok else "#d62728")
    fig.tight_layout()
    return fig, axes


# --- Explorador de imágenes ---------------------------------------------------------------------

def browser_indices(y_true, predicted, only_errors=False):
    """Índices de las imágenes que muestra el explorador: todas o solo las mal clasificadas.

    `predicted` (m,) son las clases que predijo el modelo (las de tu `predict_classes`).
    """
    y_true = np.asarray(y_true).astype(int)
    if not only_errors:
        return np.arange(len(y_true))
    return np.flatnonzero(np.asarray(predicted).astype(int) != y_true)


def browser_item(images, y_true, probabilities, predicted, position, filter_name="todas"):
    """Lo que enseña el explorador para la posición `position` del filtro elegido.

    `probabilities` (m, 10) son las salidas softmax del modelo y `predicted` (m,) sus clases predichas.
    Devuelve un diccionario con `index` (índice en el conjunto de test), `image` (28, 28), `true`,
    `predicted` (clases enteras), `probabilities` (10,) y `count` (imágenes que pasan el filtro);
    `None` si el filtro no deja ninguna imagen. La posición se recorta al rango válido.
    """
    only_errors = filter_name == "solo errores"
    indices = browser_indices(y_true, predicted, only_errors)
    if len(indices) == 0:
        return None
    index = int(indices[int(np.clip(position, 0, len(indices) - 1))])
    return {"index": index, "image": np.asarray(images)[index], "true": int(np.asarray(y_true)[index]),
            "predicted": int(np.asarray(predicted)[index]), "probabilities": np.asarray(probabilities)[index],
            "count": len(indices)}


def draw_browser(images, y_true, probabilities, predicted, position=0, filter_name="todas",
                 class_names=CLASS_NAMES):
    """Dibuja la imagen elegida y un diagrama de barras con las 10 probabilidades; devuelve `(fig, item)`.

    La barra de la clase verdadera es verde; la de la predicha, roja si es un error.
    """
    item = browser_item(images, y_true, probabilities, predicted, position, filter_name)
    fig, (ax_img, ax_bar) = plots.figure(2, 1, width=3.6, height=3.2, gridspec_kw={"width_ratios": [1, 1.6]})
    if item is None:
        ax_img.axis("off")
        ax_bar.axis("off")
        ax_img.text(0.5, 0.5, "No hay imágenes con este filtro.", ha="center", va="center")
        return fig, item
    ax_img.imshow(item["image"], cmap="binary")
    ax_img.axis("off")
    ok = item["true"] == item["predicted"]
    ax_img.set_title(f"test n.º {item['index']}\nverdadera: {class_names[item['true']]}",
                     fontsize=9, color="black" if ok else "#d62728")
    colors = ["#b0b0b0"] * len(class_names)
    colors[item["predicted"]] = "#d62728"
    colors[item["true"]] = "#2ca02c"
    ax_bar.barh(np.arange(len(class_names)), item["probabilities"], color=colors)
    ax_bar.set_yticks(np.arange(len(class_names)), class_names, fontsize=8)
    ax_bar.invert_yaxis()
    ax_bar.set_xlim(0, 1)
    ax_bar.set_xlabel("probabilidad predicha")
    verdict = "acierto" if ok else f"error: predice {class_names[item['predicted']]}"
    ax_bar.set_title(f"{verdict} ({item['count']} imágenes en «{filter_name}»)", fontsize=9)
    fig.subplots_adjust(left=0.02, right=0.97, bottom=0.16, top=0.84, wspace=0.5)  # fijo: más rápido que tight_layout
    return fig, item


# --- Matriz de confusión --------------------------------------------------------------------------

def plot_confusion_matrix(cm, class_names=CLASS_NAMES, ax=None, normalize=False):
    """Dibuja una matriz de confusión (filas = clase verdadera, columnas = clase predicha).

    Con `normalize=True` cada fila se divide por su total (la diagonal es el recall de cada clase).
    Devuelve el eje.
    """
    cm = np.asarray(cm, dtype=float)
    own_figure = ax is None
    if own_figure:
        _, ax = plots.figure(width=6.5, height=5.8)
    shown = cm / np.maximum(cm.sum(axis=1, keepdims=True), 1) if normalize else cm
    image = ax.imshow(shown, cmap="Blues")
    ax.grid(False)
    n = len(cm)
    names = list(class_names)[:n]
    ax.set_xticks(np.arange(n), names, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(np.arange(n), names, fontsize=8)
    ax.set_xlabel("clase predicha")
    ax.set_ylabel("clase verdadera")
    limit = shown.max() / 2 if shown.size else 0
    for i in range(n):
        for j in range(n):
            text = f"{shown[i, j]:.2f}" if normalize else f"{int(cm[i, j])}"
            ax.text(j, i, text, ha="center", va="center", fontsize=7,
                    color="white" if shown[i, j] > limit else "black")
    ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
    if own_figure:
        ax.figure.tight_layout()
    return ax


def most_confused(cm, k=5):
    """Los `k` pares (verdadera, predicha, cuántas) fuera de la diagonal con más errores, de mayor a menor."""
    cm = np.asarray(cm)
    off = cm.astype(float).copy()
    np.fill_diagonal(off, -1)
    order = np.argsort(off, axis=None, kind="stable")[::-1][:k]
    pairs = [(int(i), int(j), int(cm[i, j])) for i, j in zip(*np.unravel_index(order, cm.shape))]
    return [p for p in pairs if p[2] > 0]


# --- Curvas de aprendizaje ------------------------------------------------------------------------

def plot_history(history, axes=None, title=None):
    """Curvas de pérdida y exactitud a partir de un diccionario `history` de Keras.

    `history` es `model.fit(...).history`: {"loss": [...], "accuracy": [...], "val_loss": [...],
    "val_accuracy": [...]} (las claves de validación son opcionales). Devuelve los dos ejes.
    """
    if axes is None:
        _, axes = plots.figure(2, 1, width=4.5, height=3.3)
    for ax, key, label in zip(axes, ("loss", "accuracy"), ("pérdida", "exactitud")):
        curves = {"entrenamiento": history.get(key, [])}
        if f"val_{key}" in history:
            curves["validación"] = history[f"val_{key}"]
        ax.clear()
        plots.plot_curves(ax, curves, xlabel="época", ylabel=label, marker="o" if len(curves["entrenamiento"]) < 15 else None)
    if title:
        axes[0].figure.suptitle(title)
    axes[0].figure.tight_layout()
    return axes


class LiveHistory:
    """Acumula los `logs` de cada época y redibuja las curvas en una figura que se actualiza en su sitio.

    No depende de Keras: `update(logs)` recibe un diccionario como el que Keras pasa a `on_epoch_end`.
    `display` es la función que muestra la figura (por defecto, la de IPython con `display_id`).
    """

    def __init__(self, title="Progreso del entrenamiento", show=True):
        self.history = {}
        self.title = title
        self.show = show
        self.fig, self.axes = plots.figure(2, 1, width=4.5, height=3.3)
        self.handle = None

    def update(self, logs):
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(float(value))
        plot_history(self.history, self.axes, title=f"{self.title} — época {len(self.history.get('loss', []))}")
        if self.show:
            from IPython.display import display

            if self.handle is None:
                self.handle = display(self.fig, display_id=True)
            else:
                self.handle.update(self.fig)
        return self.history

    def close(self):
        import matplotlib.pyplot as plt

        plt.close(self.fig)


def live_plot_callback(title="Progreso del entrenamiento", show=True):
    """Callback de Keras que dibuja las curvas al final de cada época (importa Keras al llamarla)."""
    import keras

    class LivePlot(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.live = LiveHistory(title, show)

        def on_epoch_end(self, epoch, logs=None):
            self.live.update(logs)

        def on_train_end(self, logs=None):
            self.live.close()  # la última versión ya está mostrada; así no se dibuja dos veces

    return LivePlot()


# --- Panel de hiperparámetros ------------------------------------------------------------------------

OPTIMIZERS = ("sgd", "adam", "rmsprop")


def train_small_model(build_model, compile_model, X_train, y_train, X_valid, y_valid, n_layers=2, units=100,
                      activation="relu", optimizer="sgd", learning_rate=0.01, epochs=5, batch_size=32, n_train=5000,
                      initializer="glorot_uniform", seed=42, callbacks=()):
    """Entrena, con **tus** `build_model` y `compile_model`, una red pequeña sobre las `n_train` primeras imágenes.

    La red es `build_model(hidden=(units,) * n_layers, activation=activation)`; si `initializer` no es el
    de Keras por omisión, los pesos de sus capas ocultas se vuelven a sortear con él. Se compila con
    `compile_model(model, learning_rate)` y, si `optimizer` no es "sgd", se cambia solo el optimizador
    (la pérdida es la de tu `compile_model`). X: (m, 28, 28) ya escaladas a [0, 1]; y: (m,) clases
    enteras. Devuelve `(model, history)` donde `history` es el diccionario de `fit`.
    """
    import keras

    keras.utils.set_random_seed(seed)
    model = build_model(hidden=(int(units),) * int(n_layers), activation=activation)
    if initializer != "glorot_uniform":
        draw = keras.initializers.get(initializer)
        dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
        for layer in dense[:-1]:
            layer.kernel.assign(draw(layer.kernel.shape))
    model = compile_model(model, learning_rate=float(learning_rate))
    if optimizer != "sgd":
        opt = {"adam": keras.optimizers.Adam, "rmsprop": keras.optimizers.RMSprop}[optimizer]
        model.compile(loss=model.loss, optimizer=opt(learning_rate=float(learning_rate)), metrics=["accuracy"])
    history = model.fit(X_train[:n_train], y_train[:n_train], epochs=int(epochs), batch_size=int(batch_size),
                        validation_data=(X_valid, y_valid), verbose=0, callbacks=list(callbacks))
    return model, history.history


def print_history(history: dict, every: int = 5) -> None:
    """Resumen corto de `history.history` (en lugar del registro de Keras, una línea por época): una fila
    cada `every` épocas y la última, con columnas de ancho fijo."""
    keys = [k for k in ("loss", "accuracy", "val_loss", "val_accuracy") if k in history]
    n = len(history[keys[0]]) if keys else 0
    print("época " + " ".join(f"{k:>12}" for k in keys))
    for epoch in sorted({*range(every - 1, n, every), n - 1} - {-1}):
        print(f"{epoch + 1:5d} " + " ".join(f"{history[k][epoch]:12.4f}" for k in keys))
