"""Lógica del explorador interactivo del cuaderno 01 y sus figuras, con las funciones del estudiante.

Notación del curso (vectores fila): una TLU calcula `ŷ = step(x·w + b)`; la regla de aprendizaje es
`w ← w + η (y − ŷ) x`, `b ← b + η (y − ŷ)`.

El explorador trabaja sobre las compuertas AND, OR y XOR (`course.data.logic_gate`): dadas las
posiciones de los deslizadores (w1, w2, b) calcula, con el `perceptron_predict` del estudiante, las
predicciones, los puntos mal clasificados y las regiones (`gate_view`), los dibuja (`draw_view`) y aplica
su `perceptron_update` a «el siguiente ejemplo» (`StepTrainer`), recorriendo los cuatro ejemplos en
orden cíclico 00, 01, 10, 11. Mientras esas funciones no están completas, el widget lo dice en una línea.
"""

import numpy as np

from course import data, plots, widgets

GATE_NAMES = ("AND", "OR", "XOR")
#: Límites de los ejes del explorador (las cuatro entradas están en {0, 1}²).
LIMITS = (-0.5, 1.5)
#: Tasa de aprendizaje del botón «Un paso de entrenamiento».
STEP_ETA = 0.2
#: Resolución de la cuadrícula con que se colorean las regiones ŷ = 0 / ŷ = 1.
RESOLUTION = 80
NEEDS_PREDICT = "`heaviside` y `perceptron_predict` (ejercicios 1 y 2)"
NEEDS_STEP = "`heaviside`, `perceptron_predict` y `perceptron_update` (ejercicios 1 a 3)"


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


def gate_view(predict, gate, w1, w2, b):
    """Todo lo que dibuja el explorador para unos valores de los deslizadores.

    `predict(X, w, b)` es el `perceptron_predict` del estudiante. Devuelve un diccionario con `X` (4, 2),
    `y` (4,), `w` (2,), `b`, `y_hat` (4,) predicciones, `wrong` (índices mal clasificados), `n_errors`,
    `line` (la frontera, ver `boundary_line`) y `regions` (RESOLUTION, RESOLUTION), las predicciones
    sobre una cuadrícula de `LIMITS`².
    """
    X, y = data.logic_gate(gate)
    w = np.array([w1, w2], dtype=float)
    y_hat = np.asarray(predict(X, w, float(b)), dtype=float)
    wrong = np.flatnonzero(y_hat != y)
    grid = np.linspace(*LIMITS, RESOLUTION)
    xx, yy = np.meshgrid(grid, grid)
    regions = np.asarray(predict(np.column_stack([xx.ravel(), yy.ravel()]), w, float(b)), dtype=float)
    return {"gate": str(gate).upper(), "X": X, "y": y, "w": w, "b": float(b), "y_hat": y_hat,
            "wrong": wrong, "n_errors": int(wrong.size), "line": boundary_line(w, b),
            "regions": regions.reshape(xx.shape)}


def draw_view(view, ax=None, note=""):
    """Dibuja un `gate_view`: semiplanos ŷ = 0 / ŷ = 1, frontera, vector w, puntos y errores.

    Sin fórmulas LaTeX (mathtext), que harían lenta cada actualización del widget. Devuelve la figura.
    `note` se escribe bajo el título (por ejemplo, el último paso aplicado).
    """
    if ax is None:
        fig, ax = plots.figure(width=4.4, height=4.6)
        fig.subplots_adjust(left=0.12, right=0.97, bottom=0.1, top=0.84)  # sitio para tres líneas de título
    else:
        fig = ax.figure
    w, b = view["w"], view["b"]
    grid = np.linspace(*LIMITS, view["regions"].shape[0])
    ax.contourf(grid, grid, view["regions"], levels=[-0.5, 0.5, 1.5], colors=[plots.COLORS[0], plots.COLORS[1]],
                alpha=0.15)
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


def draw_gates(predict, settings):
    """Una figura con un panel por neurona: `settings` es una lista de `(compuerta, w1, w2, b)`."""
    fig, axes = plots.figure(ncols=len(settings), width=5.0, height=4.6, squeeze=False)
    for ax, (gate, w1, w2, b) in zip(axes[0], settings):
        draw_view(gate_view(predict, gate, w1, w2, b), ax=ax)
    fig.tight_layout()
    return fig


class StepTrainer:
    """El botón «Un paso de entrenamiento»: aplica la regla al siguiente ejemplo (orden 00, 01, 10, 11).

    Usa `predict(X, w, b)` y `update(w, b, x, y, eta)`, el `perceptron_predict` y el `perceptron_update`
    del estudiante. `step(gate, w1, w2, b)` devuelve `(w1, w2, b, nota)` con los valores nuevos y una
    frase que explica el paso (o deja pasar el `NotImplementedError` de una función sin hacer).
    Cambiar de compuerta con `reset()` vuelve a empezar por el primer ejemplo.
    """

    def __init__(self, predict, update, eta=STEP_ETA):
        self.predict = predict
        self.update = update
        self.eta = eta
        self.index = 0
        self.steps = 0

    def reset(self):
        self.index = 0
        self.steps = 0

    def step(self, gate, w1, w2, b):
        X, y = data.logic_gate(gate)
        i = self.index
        w = np.array([w1, w2], dtype=float)
        y_hat = float(np.ravel(self.predict(X[i:i + 1], w, float(b)))[0])
        w, b_new = self.update(w, float(b), X[i], y[i], self.eta)
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


def explorer(predict, update, eta: float = STEP_ETA):
    """El explorador del cuaderno 01 (compuerta, w1, w2, b y el botón «Un paso de entrenamiento») sobre el
    `perceptron_predict` y el `perceptron_update` del estudiante; devuelve el widget a mostrar."""
    import ipywidgets

    gate = ipywidgets.Dropdown(options=GATE_NAMES, value="AND", description="Compuerta")
    sliders = [ipywidgets.FloatSlider(value=value, min=-3.0, max=3.0, step=0.05, description=name,
                                      readout_format=".2f")
               for name, value in (("w1", 0.5), ("w2", -0.5), ("b", 0.0))]
    button = ipywidgets.Button(description="Un paso de entrenamiento", icon="step-forward")
    widgets.fit(gate, *sliders, button)
    view = widgets.FigureView(NEEDS_PREDICT)
    trainer = StepTrainer(predict, update, eta=eta)
    state = {"note": "", "stepping": False}

    def redraw():
        values = [s.value for s in sliders]
        view.draw(lambda: draw_view(gate_view(predict, gate.value, *values), note=state["note"]))

    def on_slider(_):
        if state["stepping"]:  # el botón mueve tres deslizadores: se dibuja una sola vez, con su nota
            return
        state["note"] = ""     # un cambio a mano borra la explicación del último paso
        redraw()

    def on_gate(change):
        trainer.reset()        # con otra compuerta se empieza por el primer ejemplo
        on_slider(change)

    def on_step(_):
        try:
            *values, note = trainer.step(gate.value, *(s.value for s in sliders))
        except NotImplementedError:
            view.say(widgets.pending_message(NEEDS_STEP))
            return
        state["stepping"] = True
        try:
            for slider, value in zip(sliders, values):
                slider.value = value
        finally:
            state["stepping"] = False
        state["note"] = note
        redraw()

    for slider in sliders:
        slider.observe(on_slider, names="value")
    gate.observe(on_gate, names="value")
    button.on_click(on_step)
    redraw()               # la primera figura ya está completa antes de mostrar el widget
    return ipywidgets.HBox([ipywidgets.VBox([gate, *sliders, button]), view.box])
