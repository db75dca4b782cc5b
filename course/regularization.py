"""Cuaderno 06 (regularización): el ejemplo de sobreajuste, la tabla de comparación y el widget.

El entrenamiento es el bucle de `course.mlp.fit` con las piezas de un `Kit`: la red y Adam que vienen
con el cuaderno (`red.py`, `optimizacion.py`) y TUS penalizaciones, dropout y parada temprana. Mientras
una de las tuyas que hace falta es todavía el esqueleto, lanza `NotImplementedError` (el cuaderno
muestra entonces qué completar).

El ejemplo: 200 puntos de las lunas con mucho ruido, de los que solo 30 son de entrenamiento
(70 de validación y 100 de prueba), y una red 2-64-64-2 con 4 482 parámetros (150 por ejemplo).
"""

import dataclasses
import math
import time
from collections.abc import Callable
from types import ModuleType

import numpy as np

from course import data, mlp, plots, tables

#: Tamaños de la red del ejemplo: 2 entradas, dos capas ocultas de 64 ReLU, 2 clases.
LAYERS = (2, 64, 64, 2)
#: Hiperparámetros del entrenamiento del ejemplo: Adam con η = 0.01, lote completo (30 puntos), 150 épocas.
EPOCHS, LEARNING_RATE, ACTIVATION = 150, 0.01, "relu"
#: Tamaños de la partición del ejemplo: entrenamiento, validación y prueba.
SIZES = (30, 70, 100)


def overfitting_data(seed=6, noise=0.35):
    """Lunas ruidosas partidas en 30 / 70 / 100 puntos (entrenamiento / validación / prueba).

    Devuelve un diccionario con "X_train" (30, 2), "y_train" (30,), "X_val" (70, 2), "y_val" (70,),
    "X_test" (100, 2) y "y_test" (100,); las etiquetas son enteros 0/1.
    """
    X, y = data.make_moons(n=sum(SIZES), noise=noise, seed=seed)
    order = np.random.default_rng(seed).permutation(len(X))
    X, y = X[order], y[order].astype(int)
    a, b = SIZES[0], SIZES[0] + SIZES[1]
    return {"X_train": X[:a], "y_train": y[:a], "X_val": X[a:b], "y_val": y[a:b],
            "X_test": X[b:], "y_test": y[b:]}


@dataclasses.dataclass(frozen=True)
class Kit:
    """Las piezas con que se entrena la red del ejemplo.

    `net` es el módulo de la red (`red.py`), `he_init` y `adam_step` los del cuaderno 05 que vienen con
    este cuaderno; el resto son tus funciones (None mientras no hagan falta).
    """

    net: ModuleType
    he_init: Callable
    adam_step: Callable
    l2_penalty_grad: Callable | None = None
    l1_penalty_grad: Callable | None = None
    dropout_forward: Callable | None = None
    dropout_backward: Callable | None = None
    early_stopping: Callable | None = None

    def using(self, **functions) -> "Kit":
        """El mismo kit con más funciones tuyas, p. ej. `kit.using(l2_penalty_grad=l2_penalty_grad)`."""
        return dataclasses.replace(self, **functions)


def train_net(kit: Kit, split, lam=0.0, l1=0.0, dropout=0.0, patience=None, epochs=None, seed=0):
    """Entrena la red del ejemplo con la regularización pedida; devuelve `(params, history)`.

    `lam` es el λ de L2 (λΣw², con tu `l2_penalty_grad`), `l1` el de L1 (λΣ|w|, con tu `l1_penalty_grad`),
    `dropout` la tasa de apagado de las capas ocultas (con tus `dropout_forward` y `dropout_backward`) y
    `patience` la paciencia de la parada temprana (con tu `early_stopping`; None = sin parada temprana).
    """
    rng = np.random.default_rng(seed)
    params = kit.he_init(list(LAYERS), rng)

    def penalty_grad(p):
        parts = ([kit.l2_penalty_grad(p, lam)] if lam else []) + ([kit.l1_penalty_grad(p, l1)] if l1 else [])
        return {k: sum(part[k] for part in parts) for k in p}

    drop = None
    if dropout:
        drop = (lambda A: kit.dropout_forward(A, dropout, rng),
                lambda dA, mask: kit.dropout_backward(dA, mask, dropout))
    return mlp.fit(kit.net, params, split["X_train"], split["y_train"],
                     lambda p, g, state: kit.adam_step(p, g, state, lr=LEARNING_RATE),
                     epochs=EPOCHS if epochs is None else int(epochs), activation=ACTIVATION,
                     validation=(split["X_val"], split["y_val"]),
                     penalty_grad=penalty_grad if lam or l1 else None, dropout=drop,
                     early_stopping=(kit.early_stopping, patience) if patience else None)


def evaluate(kit: Kit, params, X, y):
    """Pérdida (entropía cruzada media) y exactitud de `params` sobre X (m, 2), y (m,)."""
    probs = kit.net.forward(X, params, ACTIVATION)[0]
    return kit.net.cross_entropy(probs, y), float(np.mean(probs.argmax(axis=1) == y))


def small_weights(params, tol=1e-2):
    """Fracción de los pesos W (no los sesgos) con |w| < tol: mide cuán dispersos (*sparse*) son los pesos."""
    weights = np.concatenate([params[k].ravel() for k in params if k.startswith("W")])
    return float(np.mean(np.abs(weights) < tol))


def compare(kit: Kit, split, configs, epochs=None):
    """Entrena una red por configuración `{nombre: kwargs de train_net}` y mide cada una.

    Devuelve una lista de filas (diccionarios) con "nombre", "pérdida ent.", "pérdida val.",
    "exactitud val.", "épocas" (las que se entrenaron) y "pesos ≈ 0" (fracción con |w| < 0.01).
    """
    rows = []
    for name, kwargs in configs.items():
        params, history = train_net(kit, split, epochs=epochs, **kwargs)
        train_loss, _ = evaluate(kit, params, split["X_train"], split["y_train"])
        val_loss, val_acc = evaluate(kit, params, split["X_val"], split["y_val"])
        rows.append({"nombre": name, "pérdida ent.": train_loss, "pérdida val.": val_loss,
                     "exactitud val.": val_acc, "épocas": len(history["loss"]),
                     "pesos ≈ 0": small_weights(params), "params": params, "history": history})
    return rows


#: La tabla de `compare`: encabezados cortos y anchos fijos (cabe en la celda sin partir palabras).
TABLE = tables.Table(tables.Column("configuración", 30), tables.Column("pérd. ent.", 10, ".3f"),
                     tables.Column("pérd. val.", 10, ".3f"), tables.Column("exact. val.", 11, ".1%"),
                     tables.Column("épocas", 6, "d"), tables.Column("pesos ≈ 0", 9, ".1%"))


def format_table(rows) -> str:
    """Texto de una tabla alineada con las filas de `compare` (sin los parámetros)."""
    keys = ("nombre", "pérdida ent.", "pérdida val.", "exactitud val.", "épocas", "pesos ≈ 0")
    return TABLE.format([[r[k] for k in keys] for r in rows])


def plot_training(kit: Kit, params, history, split, axes=None, title="", resolution=80):
    """Frontera de decisión (izquierda) y curvas de pérdida (derecha) de una red entrenada.

    En las curvas se marca la mejor época de validación y, si hubo parada temprana, la época en
    que se paró (`history["best_epoch"]`, que pone `mlp.fit` con parada temprana). Devuelve la figura.
    """
    if axes is None:
        fig, axes = plots.figure(ncols=2, width=4.8, height=3.8)
    fig = axes[0].figure
    for ax in axes:
        ax.clear()

    def prob_class_1(points):
        return kit.net.forward(points, params, ACTIVATION)[0][:, 1]

    plots.plot_decision_regions(axes[0], prob_class_1, split["X_train"], split["y_train"],
                                resolution=resolution, margin=0.8)
    for label in (0, 1):
        sel = split["y_val"] == label
        axes[0].scatter(*split["X_val"][sel].T, s=25, facecolor="none", edgecolor=plots.COLORS[label],
                        linewidth=1.2, zorder=2, label=f"validación {label}")
    axes[0].set_title(title or "Frontera de decisión", fontsize=9)
    axes[0].legend(loc="lower left", fontsize=7, ncol=2)

    curves = {"entrenamiento": history["loss"], "validación": history["val_loss"]}
    plots.plot_curves(axes[1], curves)
    stop = len(history["loss"]) - 1
    best = history.get("best_epoch", int(np.argmin(history["val_loss"])))
    axes[1].axvline(best, color="k", linestyle="--", linewidth=1)
    axes[1].plot([best], [history["val_loss"][best]], marker="*", markersize=14, color="k",
                 label=f"mejor época de validación ({best})")
    if "best_epoch" in history:
        axes[1].axvline(stop, color=plots.COLORS[3], linestyle=":", linewidth=1.5,
                        label=f"parada temprana (época {stop})")
    axes[1].set_xlim(-0.5, stop + max(1.0, 0.04 * stop))  # la línea de parada no queda sobre el borde
    axes[1].set_ylim(0, max(1.5, 1.05 * min(max(history["val_loss"]), 3.0)))
    axes[1].legend(fontsize=8)
    axes[1].set_title("Pérdida por época", fontsize=9)
    fig.tight_layout()
    return fig


def widget_update(kit: Kit, lam, rate, patience, split=None, axes=None, epochs=None):
    """Lo que hace el widget al presionar «Entrenar»: reentrena la red (con tus funciones) y redibuja.

    `lam` es el λ de L2 (el deslizador es logarítmico: λ = 1e-5 ya es casi sin regularizar), `rate`
    la tasa de dropout y `patience` la paciencia (0 = sin parada temprana). Devuelve
    `(fig, texto, segundos)`: la figura, un resumen en español y el tiempo de reentrenamiento.
    """
    split = split or overfitting_data()
    lam = float(lam)
    start = time.perf_counter()
    params, history = train_net(kit, split, lam=lam, dropout=rate, patience=int(patience) or None, epochs=epochs)
    seconds = time.perf_counter() - start
    val_loss, val_acc = evaluate(kit, params, split["X_val"], split["y_val"])
    title = f"λ = {lam:.1e}, dropout = {rate:.2f}, paciencia = {int(patience) or 'sin parada'}"
    fig = plot_training(kit, params, history, split, axes=axes, title=title)
    text = (f"Pérdida de validación de la red devuelta: {val_loss:.3f} (exactitud {val_acc:.1%}); "
            f"{len(history['loss'])} épocas entrenadas en {1000 * seconds:.0f} ms.")
    return fig, text, seconds


def plot_boundaries(kit: Kit, rows, split, resolution=80):
    """Una frontera de decisión por fila de `compare`, en fila, con su pérdida de validación."""
    ncols = math.ceil(len(rows) / 2)  # en dos filas: cada panel conserva un tamaño legible
    fig, axes = plots.figure(ncols=ncols, nrows=2 if len(rows) > 1 else 1, width=2.9, height=2.9, squeeze=False)
    for ax in axes.ravel()[len(rows):]:
        ax.set_visible(False)
    for ax, row in zip(axes.ravel(), rows):
        def prob_class_1(points, params=row["params"]):
            return kit.net.forward(points, params, ACTIVATION)[0][:, 1]

        plots.plot_decision_regions(ax, prob_class_1, split["X_train"], split["y_train"],
                                    resolution=resolution, margin=0.8)
        ax.set_title(f"{row['nombre']}\npérdida val. {row['pérdida val.']:.3f}", fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
    fig.tight_layout()
    return fig


def plot_weight_histograms(rows, bins=60):
    """Histograma de log10|w| de los pesos W de cada fila de `compare` (L1 acumula pesos diminutos)."""
    fig, ax = plots.figure(width=7.0, height=3.2)
    for color, row in zip(plots.COLORS, rows):
        weights = np.concatenate([row["params"][k].ravel() for k in row["params"] if k.startswith("W")])
        ax.hist(np.log10(np.abs(weights) + 1e-12), bins=bins, range=(-8, 1), histtype="step", linewidth=1.8,
                color=color, label=row["nombre"])
    ax.axvline(-2, color="k", linestyle=":", linewidth=1)
    ax.set_xlabel("log10 |w|  (a la izquierda de la línea punteada: |w| < 0.01)")
    ax.set_ylabel("número de pesos")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
