"""El grafo de cómputo F(a, b) = (a·b + 1)(a·b + 2) del cuaderno 04, paso a paso.

Nodos (en orden topológico): las entradas `a` y `b`, `ab = a·b` (compartido), `p = ab + 1`,
`q = ab + 2` y la salida `F = p·q`. El nodo `ab` alimenta a `p` y a `q`: su derivada es la suma de
los dos caminos.

El widget del cuaderno recorre `N_STEPS` pasos: el paso 0 muestra solo las entradas; los pasos 1–4
calculan hacia adelante `ab`, `p`, `q`, `F`; el paso 5 parte de ∂F/∂F = 1 y los pasos 6–10 calculan
hacia atrás ∂F/∂p, ∂F/∂q, ∂F/∂ab, ∂F/∂a y ∂F/∂b. Los números salen de las funciones del
estudiante: los valores de su `graph_forward` (ejercicio 1) y ∂F/∂a, ∂F/∂b de su `graph_backward`
(ejercicio 2).
`reveal` dice qué se ve en cada paso, `figure_step` lo dibuja y `explorer` es el widget.
"""

from collections.abc import Callable

import numpy as np
from matplotlib.patches import Circle, FancyArrowPatch

from course import plots

NODES = ("a", "b", "ab", "p", "q", "F")
#: Aristas (origen, destino): el valor de `origen` entra en la operación de `destino`.
EDGES = (("a", "ab"), ("b", "ab"), ("ab", "p"), ("ab", "q"), ("p", "F"), ("q", "F"))
FORWARD_ORDER = ("ab", "p", "q", "F")
BACKWARD_ORDER = ("F", "p", "q", "ab", "a", "b")
#: Pasos del recorrido: 0 (entradas), 4 hacia adelante y 6 hacia atrás.
N_STEPS = 1 + len(FORWARD_ORDER) + len(BACKWARD_ORDER)
#: Primer paso que muestra ∂F/∂a (el resultado de `graph_backward`).
FIRST_INPUT_GRAD_STEP = 1 + len(FORWARD_ORDER) + BACKWARD_ORDER.index("a")

POSITIONS = {"a": (0.0, 1.0), "b": (0.0, -1.0), "ab": (1.6, 0.0), "p": (3.2, 1.0), "q": (3.2, -1.0),
             "F": (4.8, 0.0)}
OPERATION = {"a": "a", "b": "b", "ab": "×", "p": "+1", "q": "+2", "F": "×"}
VALUE_COLOR = "#1f77b4"
GRAD_COLOR = "#d62728"

Values = dict[str, float]


def local_derivatives(values: Values) -> dict[tuple[str, str], float]:
    """Derivada local de cada arista, ∂destino/∂origen, leída de los valores (la tabla del texto)."""
    return {("a", "ab"): values["b"], ("b", "ab"): values["a"], ("ab", "p"): 1.0, ("ab", "q"): 1.0,
            ("p", "F"): values["q"], ("q", "F"): values["p"]}


def _fmt(x):
    """Número corto para el dibujo y los textos (sin '-0')."""
    x = float(x)
    text = f"{x:.4g}"
    return "0" if text in ("-0", "0") else text


def _par(x):
    """Como `_fmt`, con paréntesis si es negativo (para escribir productos: 2·(−1))."""
    text = _fmt(x)
    return f"({text})" if text.startswith("-") else text


def _forward_text(node, v):
    formulas = {
        "ab": f"ab = a·b = {_par(v['a'])}·{_par(v['b'])} = {_fmt(v['ab'])}",
        "p": f"p = ab + 1 = {_par(v['ab'])} + 1 = {_fmt(v['p'])}",
        "q": f"q = ab + 2 = {_par(v['ab'])} + 2 = {_fmt(v['q'])}",
        "F": f"F = p·q = {_par(v['p'])}·{_par(v['q'])} = {_fmt(v['F'])}",
    }
    return "Hacia adelante: " + formulas[node]


def _backward_text(node, v, g):
    formulas = {
        "F": lambda: "se parte de ∂F/∂F = 1",
        "p": lambda: f"∂F/∂p = ∂F/∂F · q = 1·{_par(v['q'])} = {_fmt(g['p'])}",
        "q": lambda: f"∂F/∂q = ∂F/∂F · p = 1·{_par(v['p'])} = {_fmt(g['q'])}",
        "ab": lambda: (f"∂F/∂ab = ∂F/∂p·1 + ∂F/∂q·1 = {_par(g['p'])} + {_par(g['q'])} = {_fmt(g['ab'])}"
                       "  (dos caminos: se suman)"),
        "a": lambda: f"∂F/∂a = ∂F/∂ab · b = {_par(g['ab'])}·{_par(v['b'])} = {_fmt(g['a'])}",
        "b": lambda: f"∂F/∂b = ∂F/∂ab · a = {_par(g['ab'])}·{_par(v['a'])} = {_fmt(g['b'])}",
    }
    return "Hacia atrás: " + formulas[node]()


def reveal(values: Values, input_grads: tuple[float, float] | None, step: int) -> dict:
    """Qué muestra el paso `step` (se recorta a 0…N_STEPS−1) del recorrido del grafo.

    `values` tiene los seis nodos (`{"a", "b", "ab", "p", "q", "F"}`); `input_grads` es (∂F/∂a, ∂F/∂b),
    necesario solo desde el paso `FIRST_INPUT_GRAD_STEP`. Las derivadas de `p`, `q` y `ab` se leen de las
    derivadas locales, como en el texto. Devuelve un diccionario con:
    - "values": `{nodo: valor o None}` (None = todavía no calculado hacia adelante);
    - "grads": `{nodo: ∂F/∂nodo o None}` (None = todavía no calculado hacia atrás);
    - "current": el nodo calculado en este paso (None en el paso 0);
    - "phase": "entradas", "forward" o "backward";
    - "edges": aristas que usa el cálculo de este paso;
    - "text": la cuenta de este paso, en español, con los números.
    """
    step = int(min(max(int(step), 0), N_STEPS - 1))
    v = {n: float(values[n]) for n in NODES}
    n_forward = min(step, len(FORWARD_ORDER))
    n_backward = max(0, step - len(FORWARD_ORDER))
    g = {"F": 1.0, "p": v["q"], "q": v["p"]}
    g["ab"] = g["p"] + g["q"]
    if step >= FIRST_INPUT_GRAD_STEP:
        g["a"], g["b"] = (float(x) for x in input_grads)
    known = {"a", "b"} | set(FORWARD_ORDER[:n_forward])
    derived = set(BACKWARD_ORDER[:n_backward])
    result = {
        "values": {n: (v[n] if n in known else None) for n in NODES},
        "grads": {n: (g[n] if n in derived else None) for n in NODES},
        "current": None, "phase": "entradas", "edges": (),
        "text": (f"Paso 0: entradas a = {_fmt(v['a'])}, b = {_fmt(v['b'])}. "
                 "Avanza el paso para calcular hacia adelante."),
    }
    if n_backward:
        node = BACKWARD_ORDER[n_backward - 1]
        result.update(current=node, phase="backward", text=f"Paso {step}. " + _backward_text(node, v, g),
                      edges=tuple(e for e in EDGES if e[0] == node))
    elif n_forward:
        node = FORWARD_ORDER[n_forward - 1]
        result.update(current=node, phase="forward", text=f"Paso {step}. " + _forward_text(node, v),
                      edges=tuple(e for e in EDGES if e[1] == node))
    return result


def draw_graph(ax, values: Values, input_grads: tuple[float, float] | None, step: int) -> dict:
    """Dibuja en `ax` el grafo con lo revelado en el paso `step`; devuelve el resultado de `reveal`."""
    state = reveal(values, input_grads, step)
    local = local_derivatives(values)
    radius = 0.32
    for src, dst in EDGES:
        (x0, y0), (x1, y1) = POSITIONS[src], POSITIONS[dst]
        active = (src, dst) in state["edges"]
        color = "0.6"
        if active:
            color = GRAD_COLOR if state["phase"] == "backward" else VALUE_COLOR
        backward = active and state["phase"] == "backward"
        # Hacia atrás la flecha activa apunta al revés: la derivada viaja de destino a origen.
        ax.add_artist(FancyArrowPatch((x0, y0), (x1, y1), arrowstyle="<|-" if backward else "-|>",
                                      mutation_scale=14,
                                      shrinkA=radius * 72, shrinkB=radius * 72, lw=2.5 if active else 1.2,
                                      color=color, zorder=1))
        if backward:
            xm, ym = (x0 + x1) / 2, (y0 + y1) / 2
            ax.text(xm, ym + 0.12, f"∂{dst}/∂{src} = {_fmt(local[(src, dst)])}", color=GRAD_COLOR,
                    fontsize=8, ha="center", va="bottom",
                    bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.9), zorder=4)
    for node in NODES:
        x, y = POSITIONS[node]
        current = node == state["current"]
        edge = "k"
        if current:
            edge = GRAD_COLOR if state["phase"] == "backward" else VALUE_COLOR
        ax.add_artist(Circle((x, y), radius, facecolor="#fff6d5" if current else "white", edgecolor=edge,
                             lw=3 if current else 1.5, zorder=2))
        ax.text(x, y, OPERATION[node], ha="center", va="center", fontsize=13, fontweight="bold", zorder=3)
        value, grad = state["values"][node], state["grads"][node]
        if value is not None:
            ax.text(x, y + radius + 0.08, f"{node} = {_fmt(value)}", ha="center", va="bottom",
                    color=VALUE_COLOR, fontsize=10, fontweight="bold", zorder=3)
        if grad is not None:
            ax.text(x, y - radius - 0.08, f"∂F/∂{node} = {_fmt(grad)}", ha="center", va="top",
                    color=GRAD_COLOR, fontsize=10, fontweight="bold", zorder=3)
    ax.set_xlim(-0.7, 5.5)
    ax.set_ylim(-1.75, 1.85)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.text(-0.65, 1.85, state["text"], fontsize=10, va="bottom", ha="left")
    return state


def figure_step(values: Values, input_grads: tuple[float, float] | None, step: int,
                width: float = 8.5, height: float = 4.6):
    """Figura nueva con el grafo en el paso `step`; devuelve `(fig, estado)` (estado = `reveal`)."""
    fig, ax = plots.figure(width=width, height=height)
    state = draw_graph(ax, values, input_grads, step)
    ax.text(-0.65, -1.72, "azul: valores hacia adelante · rojo: derivadas ∂F/∂nodo hacia atrás",
            fontsize=8, color="0.35", va="bottom")
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.02, top=0.9)
    return fig, state


def student_figure(a: float, b: float, step: int, graph_forward: Callable, graph_backward: Callable):
    """La figura del paso `step` con los números de las funciones del estudiante: los valores de
    `graph_forward(a, b)` y, desde el paso `FIRST_INPUT_GRAD_STEP`, (∂F/∂a, ∂F/∂b) de `graph_backward(a, b)`.
    Si la que hace falta es todavía un esqueleto, deja pasar su `NotImplementedError`."""
    values = {"a": a, "b": b, **graph_forward(a, b)}
    input_grads = graph_backward(a, b) if step >= FIRST_INPUT_GRAD_STEP else None
    return figure_step(values, input_grads, step)[0]


def explorer(graph_forward: Callable, graph_backward: Callable):
    """El widget del cuaderno 04: `a`, `b` y el paso (con un botón que los recorre); dibuja el grafo con las
    funciones del estudiante o dice cuál completar. Devuelve el widget."""
    import ipywidgets

    from course import widgets

    controls = {"a": ipywidgets.FloatSlider(value=1.0, min=-3.0, max=3.0, step=0.1, description="a"),
                "b": ipywidgets.FloatSlider(value=2.0, min=-3.0, max=3.0, step=0.1, description="b"),
                "step": ipywidgets.IntSlider(value=0, min=0, max=N_STEPS - 1, description="paso")}

    def needs(a, b, step):
        try:
            graph_forward(a, b)
        except NotImplementedError:
            return "`graph_forward` (ejercicio 1)"
        return "`graph_backward` (ejercicio 2)"

    panel = widgets.Panel(controls, lambda a, b, step: student_figure(a, b, step, graph_forward, graph_backward),
                          needs)
    play = ipywidgets.Play(value=0, min=0, max=N_STEPS - 1, interval=1200, description="reproducir")
    ipywidgets.jslink((play, "value"), (controls["step"], "value"))
    return ipywidgets.VBox([ipywidgets.HBox([controls["a"], controls["b"]]),
                            ipywidgets.HBox([play, controls["step"]]), panel.view.box])


# --- Gráfico de la comprobación de gradientes ------------------------------------------------

#: Umbrales orientativos del error relativo entre gradiente analítico y numérico.
THRESHOLDS = ((1e-7, "≤ 1e-7: correcto"), (1e-4, "≈ 1e-4: sospechoso (¿ReLU en un pliegue?)"),
              (1e-2, "> 1e-2: casi seguro un error"))


def plot_relative_errors(ax, errors: dict[str, float], title: str = "Comprobación de gradientes") -> None:
    """Barras en escala logarítmica de `{etiqueta: error relativo}` con las franjas de los umbrales."""
    labels = list(errors)
    values = np.maximum(np.asarray([float(errors[k]) for k in labels]), 1e-14)
    ax.axhspan(1e-17, 1e-7, color="#2ca02c", alpha=0.12, label=THRESHOLDS[0][1])
    ax.axhspan(1e-7, 1e-2, color="#ff7f0e", alpha=0.12, label="entre 1e-7 y 1e-2: revisar")
    ax.axhspan(1e-2, 10, color="#d62728", alpha=0.12, label=THRESHOLDS[2][1])
    colors = ["#2ca02c" if x <= 1e-7 else "#ff7f0e" if x <= 1e-2 else "#d62728" for x in values]
    ax.bar(np.arange(len(labels)), values, color=colors, edgecolor="k", zorder=3)
    ax.set_yscale("log")
    ax.set_ylim(1e-14, 10)
    ax.set_xticks(np.arange(len(labels)))
    ax.set_xticklabels(labels, rotation=45, ha="right", fontsize=8)
    ax.set_ylabel("error relativo (escala log)")
    ax.set_title(title)
    ax.legend(fontsize=7, loc="upper left")
