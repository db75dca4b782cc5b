"""XOR con una red 2-2-1: los pesos de la clase, el espacio de entrada, el espacio oculto y el widget.

Notación del curso (vectores fila): `H = σ(X W1 + b1)` y `ŷ = σ(H W2 + b2)` con

* `X` (m, 2): una fila por ejemplo;
* `W1` (2, 2): `W1[i, j]` es el peso de la entrada `x_{i+1}` hacia la neurona oculta `h_{j+1}`,
  es decir, **cada columna de W1 es una neurona oculta**; `b1` (2,): un sesgo por neurona oculta;
* `W2` (2, 1): los pesos de `h1` y `h2` hacia la salida; `b2` (1,).

Las figuras que calculan la red usan las funciones del propio estudiante (`Network`): mientras alguna
está sin completar, dicen en una línea qué falta.
"""

from collections.abc import Callable
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np

from course import plots, widgets
from course.data import logic_gate

#: La red hecha a mano de la clase: h1 = σ(−6·x1 + 6·x2 + 3), h2 = σ(6·x1 − 6·x2 + 3),
#: ŷ = σ(−8·h1 − 8·h2 + 12). Tuplas (inmutables); `class_weights()` da copias en arreglos.
CLASS_WEIGHTS = {
    "W1": ((-6.0, 6.0),
           (6.0, -6.0)),
    "b1": (3.0, 3.0),
    "W2": ((-8.0,),
           (-8.0,)),
    "b2": (12.0,),
}
#: Salidas de la red de la clase para 00, 01, 10, 11, redondeadas a 4 decimales.
CLASS_OUTPUTS = (0.0376, 0.9740, 0.9740, 0.0376)

#: Los seis parámetros de la capa oculta que mueve el widget: (nombre, etiqueta, valor de la clase).
SLIDERS = (
    ("w11", "x₁ → h₁", -6.0),
    ("w21", "x₂ → h₁", 6.0),
    ("bias1", "sesgo h₁", 3.0),
    ("w12", "x₁ → h₂", 6.0),
    ("w22", "x₂ → h₂", -6.0),
    ("bias2", "sesgo h₂", 3.0),
)
SLIDER_RANGE = (-12.0, 12.0, 0.5)

INPUT_LIMITS = (-0.5, 1.5)
HIDDEN_LIMITS = (-0.08, 1.1)
LABELS = ("00", "01", "10", "11")
TICKS = (0.0, 0.5, 1.0)
NEURON_COLORS = (plots.COLORS[2], plots.COLORS[3])
NEEDS = "`sigmoid`, `dense_forward` y `xor_network` (ejercicios 1 a 3)"


@dataclass(frozen=True)
class Network:
    """Las funciones del estudiante con que se dibuja la red: `sigmoid(z)`, `dense_forward(X, W, b,
    activation)` y `xor_network(X, W1, b1, W2, b2)` (ejercicios 1 a 3 del cuaderno 02)."""

    sigmoid: Callable
    dense_forward: Callable
    xor_network: Callable

    def hidden(self, X, W1, b1):
        """La capa oculta, `H` (m, 2)."""
        return np.asarray(self.dense_forward(X, W1, b1, self.sigmoid), dtype=float)

    def output_neuron(self, H, W2, b2):
        """La neurona de salida vista sola, sobre puntos `H` (m, 2) del espacio oculto: ŷ (m,)."""
        return np.asarray(self.dense_forward(H, W2, b2, self.sigmoid), dtype=float)[:, 0]

    def output(self, X, W1, b1, W2, b2):
        """La salida de la red, ŷ (m,)."""
        return np.asarray(self.xor_network(X, W1, b1, W2, b2), dtype=float).reshape(len(X))


def class_weights():
    """Copias nuevas de los pesos de la clase: `{"W1": (2, 2), "b1": (2,), "W2": (2, 1), "b2": (1,)}`."""
    return {name: np.array(value, dtype=float) for name, value in CLASS_WEIGHTS.items()}


def class_slider_values():
    """`{nombre: valor}` de los seis deslizadores con los pesos de la clase."""
    return {name: value for name, _, value in SLIDERS}


def hidden_layer(w11, w21, bias1, w12, w22, bias2):
    """Los seis números de los deslizadores → `(W1 (2, 2), b1 (2,))`; la columna j es la neurona h_{j+1}."""
    W1 = np.array([[w11, w12],
                   [w21, w22]], dtype=float)
    return W1, np.array([bias1, bias2], dtype=float)


def _output_weights(W2, b2):
    weights = class_weights()
    W2 = weights["W2"] if W2 is None else np.asarray(W2, dtype=float)
    b2 = weights["b2"] if b2 is None else np.asarray(b2, dtype=float)
    return W2, b2


def summary(network, W1, b1, W2=None, b2=None):
    """Lo que muestran las figuras, como datos: puntos en el espacio oculto, salidas y aciertos.

    Devuelve `{"X": (4, 2), "y": (4,), "H": (4, 2), "y_hat": (4,), "errors": int}`; un punto es un
    error si `ŷ ≥ 0.5` no coincide con su etiqueta XOR. Sin W2 y b2, los de la clase.
    """
    W2, b2 = _output_weights(W2, b2)
    X, y = logic_gate("XOR")
    H = network.hidden(X, W1, b1)
    y_hat = network.output(X, W1, b1, W2, b2)
    errors = int(np.sum((y_hat >= 0.5) != (y == 1)))
    return {"X": X, "y": y, "H": H, "y_hat": y_hat, "errors": errors}


def _shade(ax, predict, limits, resolution):
    """Colorea [limits]² según `predict(puntos) → probabilidad` y marca la curva ŷ = 0.5."""
    xs = np.linspace(*limits, resolution)
    xx, yy = np.meshgrid(xs, xs)
    zz = predict(np.column_stack([xx.ravel(), yy.ravel()])).reshape(xx.shape)
    ax.imshow(zz, origin="lower", extent=(*limits, *limits), cmap="RdBu_r", vmin=0, vmax=1, alpha=0.35,
              aspect="auto", interpolation="bilinear")
    if zz.min() < 0.5 < zz.max():
        ax.contour(xx, yy, zz, levels=[0.5], colors="0.25", linewidths=1)


def _points(ax, P, y, labels=LABELS, right=None):
    """Puntos coloreados por clase con su nombre (00, 01…); los que coinciden comparten etiqueta."""
    P = np.asarray(P, dtype=float)
    plots.plot_points(ax, P, y)
    done = set()
    for i, (px, py) in enumerate(P):
        if i in done:
            continue
        same = [k for k in range(len(P)) if np.allclose(P[k], P[i], atol=0.08)]  # casi iguales: una etiqueta
        done.update(same)
        text = " y ".join(labels[k] for k in same)
        left = right is not None and px > right
        ax.annotate(text, (px, py), textcoords="offset points", xytext=(-7 if left else 7, 7),
                    ha="right" if left else "left", fontsize=9, zorder=5)


def plot_input_space(ax, network, W1, b1, W2=None, b2=None, resolution=60):
    """Espacio de entrada (x1, x2): la salida de la red coloreada, las rectas de h1 y h2 y los puntos XOR."""
    W2, b2 = _output_weights(W2, b2)
    W1, b1 = np.asarray(W1, dtype=float), np.asarray(b1, dtype=float)
    _shade(ax, lambda P: network.output(P, W1, b1, W2, b2), INPUT_LIMITS, resolution)
    for j, color in enumerate(NEURON_COLORS):
        plots.plot_line_boundary(ax, W1[:, j], b1[j], INPUT_LIMITS, color=color, linestyle="--",
                                 linewidth=2, label=f"frontera de h{'₁₂'[j]}")
    X, y = logic_gate("XOR")
    _points(ax, X, y)
    ax.set_xlim(*INPUT_LIMITS)
    ax.set_ylim(*INPUT_LIMITS)
    ax.set_xlabel("x₁")
    ax.set_ylabel("x₂")
    ax.set_title("Espacio de entrada (x₁, x₂)")
    ax.set_xticks(TICKS)
    ax.set_yticks(TICKS)
    ax.legend(handles=ax.get_lines()[:2], loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=2, fontsize=8)


def plot_hidden_space(ax, network, W1, b1, W2=None, b2=None, resolution=60, info=None):
    """Espacio oculto (h1, h2): dónde caen los cuatro puntos y la recta de la neurona de salida."""
    W2, b2 = _output_weights(W2, b2)
    info = summary(network, W1, b1, W2, b2) if info is None else info
    _shade(ax, lambda P: network.output_neuron(P, W2, b2), HIDDEN_LIMITS, resolution)
    plots.plot_line_boundary(ax, W2[:, 0], b2[0], HIDDEN_LIMITS, color="k", linewidth=1.5,
                             label="frontera de la salida")
    _points(ax, info["H"], info["y"], right=0.8)
    ax.set_xlim(*HIDDEN_LIMITS)
    ax.set_ylim(*HIDDEN_LIMITS)
    ax.set_xlabel("h₁")
    ax.set_ylabel("h₂")
    ax.set_title("Espacio oculto (h₁, h₂)")
    ax.set_xticks(TICKS)
    ax.set_yticks(TICKS)
    ax.legend(handles=ax.get_lines()[:1], loc="upper center", bbox_to_anchor=(0.5, -0.13), fontsize=8)


def draw_spaces(network, W1, b1, W2=None, b2=None, resolution=60):
    """Figura con el espacio de entrada y el espacio oculto lado a lado; devuelve `fig`."""
    info = summary(network, W1, b1, W2, b2)
    fig, (left, right) = plots.figure(ncols=2, width=4.4, height=4.6)
    plot_input_space(left, network, W1, b1, W2, b2, resolution)
    plot_hidden_space(right, network, W1, b1, W2, b2, resolution, info=info)
    fig.suptitle("ŷ para 00, 01, 10, 11 = " + ", ".join(f"{v:.4f}" for v in info["y_hat"])
                 + f"   (errores: {info['errors']} de 4)", fontsize=10)
    fig.subplots_adjust(left=0.08, right=0.98, bottom=0.2, top=0.86, wspace=0.25)  # leyendas debajo
    return fig


def explorer(network):
    """El widget del cuaderno 02: los seis deslizadores de la capa oculta (h₁ a la izquierda, h₂ a la
    derecha), el botón que restaura los pesos de la clase y los dos espacios dibujados con las funciones del
    estudiante (`network`); mientras falte alguna, una línea dice qué completar. Devuelve el widget."""
    import ipywidgets

    low, high, step = SLIDER_RANGE
    controls = {name: ipywidgets.FloatSlider(value=value, min=low, max=high, step=step, description=label)
                for name, label, value in SLIDERS}
    panel = widgets.Panel(controls, lambda **values: draw_spaces(network, *hidden_layer(**values)), NEEDS)
    reset = ipywidgets.Button(description="Restaurar los pesos de la clase", icon="undo")
    widgets.fit(reset)
    reset.on_click(lambda _: panel.set(**class_slider_values()))
    return ipywidgets.VBox([reset, widgets.in_columns(list(controls.values())), panel.view.box])


# Rectas (w1, w2, b) que intentan separar XOR: ninguna lo consigue.
ATTEMPTS = ((1.0, 1.0, -0.5), (-1.0, 1.0, -0.5), (1.0, 0.0, -0.5))


def line_errors(w, b):
    """Errores en XOR de la recta w·x + b = 0, con la mejor de sus dos orientaciones."""
    X, y = logic_gate("XOR")
    above = (X @ np.asarray(w, dtype=float) + b >= 0).astype(float)
    return int(min(np.sum(above != y), np.sum((1 - above) != y)))


def plot_xor_attempts(axes):
    """Dibuja en cada eje de `axes` los cuatro puntos XOR y una recta de `ATTEMPTS` con sus errores."""
    X, y = logic_gate("XOR")
    for ax, (w1, w2, b) in zip(np.ravel(axes), ATTEMPTS):
        plots.plot_line_boundary(ax, (w1, w2), b, INPUT_LIMITS, color="k", linewidth=2)
        _points(ax, X, y)
        ax.set_xlabel("x₁")
        ax.set_ylabel("x₂")
        ax.set_title(f"{w1:g}·x₁ + {w2:g}·x₂ {b:+g} = 0 → {line_errors((w1, w2), b)} error(es)", fontsize=9)


def plot_soft_step(sigmoid, slopes=(1, 3, 10)):
    """La `sigmoid` del estudiante, σ(k·z), para varias pendientes k junto al escalón; devuelve la figura."""
    z = np.linspace(-6, 6, 400)
    curves = [np.asarray(sigmoid(k * z), dtype=float) for k in slopes]  # antes de abrir la figura
    fig, ax = plots.figure(width=6, height=3.5)
    ax.plot([-6, 0, 0, 6], [0, 0, 1, 1], color="k", linewidth=1, linestyle=":", label="escalón")
    for color, k, curve in zip(plots.COLORS, slopes, curves):
        ax.plot(z, curve, color=color, label=f"σ({k}·z)" if k != 1 else "σ(z)")
    ax.set_xlabel("z")
    ax.set_ylabel("salida")
    ax.set_title("La sigmoide: un escalón suave")
    ax.legend()
    return fig


def draw_network(ax, W1, b1, W2, b2):
    """Diagrama de la red 2-2-1: neuronas (con su sesgo dentro) y cada peso sobre su flecha."""
    W1, b1 = np.asarray(W1, dtype=float), np.asarray(b1, dtype=float)
    W2, b2 = np.asarray(W2, dtype=float), np.asarray(b2, dtype=float)
    inputs, hidden, output = [(0.0, 0.8), (0.0, 0.2)], [(1.0, 0.8), (1.0, 0.2)], (2.0, 0.5)
    edges = [(inputs[i], hidden[j], W1[i, j], 0.3 if i == j else 0.7) for i in range(2) for j in range(2)]
    edges += [(hidden[j], output, W2[j, 0], 0.5) for j in range(2)]
    for (x0, y0), (x1, y1), weight, t in edges:
        ax.annotate("", (x1 - 0.12, y1 + (y0 - y1) * 0.12), (x0 + 0.12, y0),
                    arrowprops={"arrowstyle": "->", "color": "0.4"})
        ax.text(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t, f"{weight:g}", ha="center", va="center",
                fontsize=10, bbox={"boxstyle": "round", "fc": "white", "ec": "0.7"})
    nodes = [(p, f"$x_{i + 1}$", None) for i, p in enumerate(inputs)]
    nodes += [(p, f"$h_{j + 1}$", b1[j]) for j, p in enumerate(hidden)]
    nodes += [(output, r"$\hat y$", b2[0])]
    for (x, y), name, bias in nodes:
        ax.add_patch(plt.Circle((x, y), 0.11, fc="#f2f2f2", ec="k", zorder=3))
        ax.text(x, y + (0.025 if bias is not None else 0), name, ha="center", va="center", fontsize=12, zorder=4)
        if bias is not None:
            ax.text(x, y - 0.05, f"b={bias:g}", ha="center", va="center", fontsize=8, zorder=4)
    for x, text in ((0, "capa de entrada"), (1, "capa oculta"), (2, "capa de salida")):
        ax.text(x, -0.05, text, ha="center", fontsize=9, color="0.3")
    ax.set_xlim(-0.3, 2.3)
    ax.set_ylim(-0.12, 0.95)
    ax.set_aspect("equal")
    ax.axis("off")
