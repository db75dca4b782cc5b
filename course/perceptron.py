"""Perceptrón de referencia y lógica del explorador interactivo del cuaderno 01.

Notación del curso (vectores fila): una TLU calcula `ŷ = step(x·w + b)` con la función escalón
de Heaviside `step(z) = 1 si z ≥ 0, si no 0`; la regla de aprendizaje es
`w ← w + η (y − ŷ) x`, `b ← b + η (y − ŷ)`.

El explorador trabaja sobre las compuertas AND, OR y XOR (`course.data.logic_gate`): dadas las
posiciones de los deslizadores (w1, w2, b) calcula la frontera, las predicciones y los puntos mal
clasificados (`gate_view`), los dibuja (`draw_view`) y aplica la regla a «el siguiente ejemplo»
(`StepTrainer`), recorriendo los cuatro ejemplos en orden cíclico 00, 01, 10, 11. Nada de este
módulo usa las funciones que escribe el estudiante.
"""

import io

import matplotlib.pyplot as plt
import numpy as np

from course import data, plots

GATE_NAMES = ("AND", "OR", "XOR")
#: Límites de los ejes del explorador (las cuatro entradas están en {0, 1}²).
LIMITS = (-0.5, 1.5)
#: Tasa de aprendizaje del botón «Un paso de entrenamiento».
STEP_ETA = 0.2


def step(z):
    """Escalón de Heaviside de referencia: 1.0 donde z ≥ 0 y 0.0 donde z < 0 (misma forma que z)."""
    return (np.asarray(z, dtype=float) >= 0).astype(float)


def predict(X, w, b):
    """Predicciones 0/1 de una capa de TLUs: X (m, n), w (n,) o (n, k), b número o (k,)."""
    return step(np.asarray(X, dtype=float) @ np.asarray(w, dtype=float) + b)


def rule_step(w, b, x, y, eta):
    """Una aplicación de la regla del perceptrón a un ejemplo; devuelve `(w_nuevo, b_nuevo, ŷ)`."""
    w = np.asarray(w, dtype=float)
    x = np.asarray(x, dtype=float)
    y_hat = float(step(x @ w + b))
    error = float(y) - y_hat
    return w + eta * error * x, float(b) + eta * error, y_hat


def boundary_line(w, b, limits=LIMITS, n=50):
    """Puntos de la recta w1·x1 + w2·x2 + b = 0 dentro de `limits`: `(xs, ys)`, o None si w = 0."""
    w1, w2 = float(w[0]), float(w[1])
    if abs(w2) > 1e-12:
        xs = np.linspace(*limits, n)
        return xs, -(w1 * xs + float(b)) / w2
    if abs(w1) > 1e-12:
        ys = np.linspace(*limits, n)
        return np.full(n, -float(b) / w1), ys
    return None


def gate_view(gate, w1, w2, b):
    """Todo lo que dibuja el explorador para unos valores de los deslizadores.

    Devuelve un diccionario con `X` (4, 2), `y` (4,), `w` (2,), `b`, `y_hat` (4,) predicciones,
    `wrong` (índices mal clasificados), `n_errors` y `line` (la frontera, ver `boundary_line`).
    """
    X, y = data.logic_gate(gate)
    w = np.array([w1, w2], dtype=float)
    y_hat = predict(X, w, b)
    wrong = np.flatnonzero(y_hat != y)
    return {"gate": str(gate).upper(), "X": X, "y": y, "w": w, "b": float(b), "y_hat": y_hat,
            "wrong": wrong, "n_errors": int(wrong.size), "line": boundary_line(w, b)}


def draw_view(view, ax=None, note=""):
    """Dibuja un `gate_view`: semiplanos ŷ = 0 / ŷ = 1, frontera, vector w, puntos y errores.

    Sin fórmulas LaTeX (mathtext), que harían lenta cada actualización del widget. Devuelve la figura. `note` se escribe bajo el título (por ejemplo, el último paso aplicado).
    """
    if ax is None:
        fig, ax = plots.figure(width=4.4, height=4.6)
        fig.subplots_adjust(left=0.12, right=0.97, bottom=0.1, top=0.84)  # sitio para tres líneas de título
    else:
        fig = ax.figure
    w, b = view["w"], view["b"]
    grid = np.linspace(*LIMITS, 80)
    xx, yy = np.meshgrid(grid, grid)
    zz = predict(np.column_stack([xx.ravel(), yy.ravel()]), w, b).reshape(xx.shape)
    ax.contourf(xx, yy, zz, levels=[-0.5, 0.5, 1.5], colors=[plots.COLORS[0], plots.COLORS[1]], alpha=0.15)
    if view["line"] is not None:
        ax.plot(*view["line"], color="k", linewidth=1.5, label="frontera")
        norm = float(np.hypot(*w))
        foot = -b * w / norm**2  # el punto de la recta más cercano al origen
        if np.all(np.abs(foot) < 3):
            arrow = 0.35 * w / norm
            ax.annotate("", xy=foot + arrow, xytext=foot,
                        arrowprops={"arrowstyle": "->", "color": "k", "linewidth": 1.2})
            ax.text(*(foot + 1.15 * arrow), "w", fontsize=11, fontstyle="italic")
    plots.plot_points(ax, view["X"], view["y"], highlight=view["wrong"])
    ax.set_xlim(*LIMITS)
    ax.set_ylim(*LIMITS)
    ax.set_aspect("equal")
    ax.set_xticks([0, 1])  # pocas marcas y sin leyenda: cada redibujado cuesta menos
    ax.set_yticks([0, 1])
    ax.set_xlabel("x₁")
    ax.set_ylabel("x₂")
    title = (f"{view['gate']}:  w = ({w[0]:.2f}, {w[1]:.2f}),  b = {b:.2f}\n"
             f"mal clasificados: {view['n_errors']} de {len(view['y'])}")
    ax.set_title(title + (f"\n{note}" if note else ""), fontsize=9)
    return fig


class StepTrainer:
    """El botón «Un paso de entrenamiento»: aplica la regla al siguiente ejemplo (orden 00, 01, 10, 11).

    `step(gate, w1, w2, b)` devuelve `(w1, w2, b, nota)` con los valores nuevos y una frase que explica
    el paso. Cambiar de compuerta con `reset()` vuelve a empezar por el primer ejemplo.
    """

    def __init__(self, eta=STEP_ETA):
        self.eta = eta
        self.index = 0
        self.steps = 0

    def reset(self):
        self.index = 0
        self.steps = 0

    def step(self, gate, w1, w2, b):
        X, y = data.logic_gate(gate)
        i = self.index
        w, b_new, y_hat = rule_step([w1, w2], b, X[i], y[i], self.eta)
        self.index = (i + 1) % len(y)
        self.steps += 1
        x_text = f"({X[i, 0]:g}, {X[i, 1]:g})"
        if y_hat == y[i]:
            what = "acierto: nada cambia"
        elif y[i] == 1:
            what = "w ← w + ηx, b ← b + η"
        else:
            what = "w ← w − ηx, b ← b − η"
        note = f"paso {self.steps} · x = {x_text}, y = {y[i]:g}, ŷ = {y_hat:g} → {what}"
        return float(w[0]), float(w[1]), float(b_new), note


def show(fig):
    """Muestra `fig` como PNG en la salida actual (por ejemplo dentro de un `Output`) y la cierra.

    Se guarda sin `bbox_inches="tight"` (lo que haría `display(fig)`), que obliga a dibujar dos veces.
    """
    from IPython.display import Image, display

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    display(Image(data=buffer.getvalue(), format="png"))


def render(gate, w1, w2, b, note=""):
    """Calcula y dibuja el estado del explorador y lo muestra: lo que hace cada actualización."""
    show(draw_view(gate_view(gate, w1, w2, b), note=note))
