"""Gráficos y widgets del cuaderno 03, dibujados con las activaciones del propio estudiante.

Los cuadernos pasan sus funciones en un diccionario `{"sigmoid": sigmoid, "sigmoid_grad": sigmoid_grad, ...}`
con los nombres de los ejercicios; cada figura usa solo las que necesita. Swish y GELU no tienen ejercicio
de derivada: su f' se dibuja con la derivada numérica (`centred_difference`). El escalón se dibuja tal cual,
sin función. Mientras una función sigue sin completar, las figuras dicen en una línea qué falta
(`course.widgets.demo`).
"""

import math

import numpy as np

from course import widgets

#: Umbral por debajo del cual consideramos que la derivada «casi no deja pasar gradiente».
FLAT = 0.01

#: Nombre visible → (función, su derivada o None si se dibuja la numérica, parámetros que usa, fórmula).
CURVES = {
    "escalón": (None, None, (), r"$1[z \geq 0]$"),
    "sigmoide": ("sigmoid", "sigmoid_grad", (), r"$1/(1+e^{-z})$"),
    "tanh": ("tanh", "tanh_grad", (), r"$\tanh z$"),
    "ReLU": ("relu", "relu_grad", (), r"$\max(0, z)$"),
    "Leaky ReLU": ("leaky_relu", "leaky_relu_grad", ("alpha",), r"$\max(\alpha z, z)$"),
    "ELU": ("elu", "elu_grad", ("alpha",), r"$z$ o $\alpha(e^z-1)$"),
    "Swish": ("swish", None, ("beta",), r"$z\,\sigma(\beta z)$"),
    "GELU": ("gelu", None, (), r"$z\,\Phi(z)$"),
}
NAMES = tuple(CURVES)
#: El número de ejercicio de cada función del cuaderno 03.
EXERCISES = {"sigmoid": 1, "sigmoid_grad": 2, "tanh": 3, "tanh_grad": 4, "relu": 5, "relu_grad": 6,
             "leaky_relu": 7, "leaky_relu_grad": 8, "elu": 9, "elu_grad": 10, "swish": 11, "gelu": 12}
#: Las cadenas de neuronas de `depth_gradients`: (nombre visible, función, derivada).
CHAINS = (("sigmoide", "sigmoid", "sigmoid_grad"), ("tanh", "tanh", "tanh_grad"), ("ReLU", "relu", "relu_grad"))
BOUND = r"cota $0.25^l$"


def needs(function_names) -> str:
    """Qué completar, en español: «`relu` y `relu_grad` (ejercicios 5 y 6)»."""
    names = [n for n in function_names if n]
    numbers = [str(EXERCISES[n]) for n in names]

    def join(items):
        return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " y " + items[-1]

    what = "ejercicio" if len(numbers) == 1 else "ejercicios"
    return f"{join([f'`{n}`' for n in names])} ({what} {join(numbers)})"


def centred_difference(f, z, h=1e-5):
    """Derivada numérica elemento a elemento (f(z + h) − f(z − h)) / 2h."""
    z = np.asarray(z, dtype=float)
    return (f(z + h) - f(z - h)) / (2.0 * h)


def flat_spans(z, mask):
    """Intervalos `[(z_ini, z_fin), ...]` donde `mask` es verdadero (z ordenado crecientemente)."""
    z, mask = np.asarray(z, dtype=float), np.asarray(mask, dtype=bool)
    spans, start = [], None
    for value, flag in zip(z, mask):
        if flag and start is None:
            start = value
        if not flag and start is not None:
            spans.append((start, previous))
            start = None
        previous = value
    if start is not None:
        spans.append((start, z[-1]))
    return spans


def _with_params(function, params, alpha, beta):
    """`function` como función de z sola, con los parámetros que usa (alpha o beta) ya fijados."""
    values = {"alpha": alpha, "beta": beta}
    return lambda z: function(z, **{p: values[p] for p in params})


def activation_curves(name: str, functions=None, alpha=0.01, beta=1.0, limit=6.0, n=601) -> dict:
    """Datos del gráfico de una activación: `{"z", "f", "df", "flat"}` (arreglos (n,)).

    `functions` son las funciones del estudiante por nombre (ver el docstring del módulo); el escalón no
    necesita ninguna. `flat` marca dónde |f'(z)| < 0.01: ahí casi no pasa gradiente.
    """
    if name not in CURVES:
        raise ValueError(f"Activación desconocida: {name!r}. Opciones: {', '.join(NAMES)}")
    z = np.linspace(-limit, limit, n)
    f_name, df_name, params, _ = CURVES[name]
    if f_name is None:  # el escalón: 0 a la izquierda, 1 desde z = 0, derivada nula
        f, d = np.where(z < 0, 0.0, 1.0), np.zeros(n)
    else:
        f_of_z = _with_params(functions[f_name], params, alpha, beta)
        f = np.asarray(f_of_z(z), dtype=float)
        if df_name is None:
            d = centred_difference(f_of_z, z)
        else:
            d = np.asarray(_with_params(functions[df_name], params, alpha, beta)(z), dtype=float)
    return {"z": z, "f": f, "df": d, "flat": np.abs(d) < FLAT}


def _figure(**kwargs):
    """`(fig, ax)` con el estilo del curso; Matplotlib se importa al dibujar la primera figura."""
    from course import plots

    return plots.figure(**kwargs)


def plot_activation(name, functions=None, alpha=0.01, beta=1.0, ax=None, limit=6.0, legend=True):
    """Dibuja f (línea continua) y f' (discontinua) juntas y sombrea donde |f'| < 0.01; devuelve la figura."""
    from course.plots import COLORS

    data = activation_curves(name, functions, alpha, beta, limit)
    if ax is None:
        fig, ax = _figure(width=6.0, height=3.8)
    else:
        fig = ax.figure
    for i, (start, end) in enumerate(flat_spans(data["z"], data["flat"])):
        ax.axvspan(start, end, color="0.6", alpha=0.25, lw=0, label=None if i else "|f'| < 0.01")
    if name == "escalón":  # sin la recta vertical que uniría las dos ramas
        left = data["z"] < 0
        ax.plot(data["z"][left], data["f"][left], color=COLORS[0], lw=2, label="f(z)")
        ax.plot(data["z"][~left], data["f"][~left], color=COLORS[0], lw=2)
    else:
        ax.plot(data["z"], data["f"], color=COLORS[0], lw=2, label="f(z)")
    numeric = CURVES[name][0] is not None and CURVES[name][1] is None
    ax.plot(data["z"], data["df"], color=COLORS[1], lw=2, ls="--", label="f'(z) numérica" if numeric else "f'(z)")
    ax.axhline(0, color="k", lw=0.6)
    ax.axvline(0, color="k", lw=0.6)
    params = CURVES[name][2]
    extra = ", ".join(f"{p} = {v:g}" for p, v in (("alpha", alpha), ("beta", beta)) if p in params)
    ax.set_title(f"{name}: {CURVES[name][3]}" + (f"  ({extra})" if extra else ""))
    ax.set_xlabel("z")
    ax.set_ylim(-1.6, 3.2)
    ax.set_xlim(-limit, limit)
    if legend:
        ax.legend(loc="upper left", fontsize=8)
    return fig


def activation_explorer(functions):
    """El widget de activaciones del cuaderno 03: elige una función y mueve `alpha` (Leaky ReLU, ELU) y
    `beta` (Swish); dibuja f y f' con las funciones del estudiante (`functions`) o dice cuál completar."""
    import ipywidgets

    controls = {
        "name": ipywidgets.Dropdown(options=NAMES, value="sigmoide", description="Función"),
        "alpha": ipywidgets.FloatSlider(value=0.01, min=0.0, max=1.0, step=0.005, readout_format=".3f",
                                        description="alpha (Leaky ReLU, ELU)"),
        "beta": ipywidgets.FloatSlider(value=1.0, min=0.0, max=5.0, step=0.1, description="beta (Swish)"),
    }
    return widgets.panel(controls, lambda name, alpha, beta: plot_activation(name, functions, alpha, beta),
                         lambda name, alpha, beta: needs(CURVES[name][:2]), columns=1)


def plot_gallery(functions, names=NAMES, alphas=None, beta=1.0):
    """Todas las activaciones en una cuadrícula, cada una con f, f' y la zona |f'| < 0.01 sombreada.

    `alphas` da el alpha de cada activación que lo usa (por defecto 0.1 en Leaky ReLU, para que
    se vea la pendiente, y 1.0 en ELU).
    """
    alphas = {"Leaky ReLU": 0.1, "ELU": 1.0} | dict(alphas or {})
    ncols = 4
    nrows = math.ceil(len(names) / ncols)
    fig, axes = _figure(ncols=ncols, nrows=nrows, width=3.4, height=2.8, squeeze=False)
    for ax, name in zip(axes.ravel(), names):
        plot_activation(name, functions, alphas.get(name, 0.01), beta, ax=ax, legend=name == names[0])
        ax.title.set_fontsize(9)
    for ax in axes.ravel()[len(names):]:
        ax.set_visible(False)
    fig.tight_layout()
    return fig


def depth_gradients(functions, depth: int, x0=0.5) -> dict:
    """Derivada da_l/da_0 a través de una cadena de l = 1..depth neuronas (peso 1, sesgo 0).

    Cada capa hace a_l = φ(a_{l−1}), así que da_l/da_0 = Π φ'(a_{i−1}) (regla de la cadena). Usa las
    cadenas de `CHAINS` cuyas dos funciones están en `functions`. Devuelve `{"capa": (depth,),
    BOUND: (depth,)}` y, por cada cadena, `{"sigmoide": (depth,), ...}`.
    """
    layers = np.arange(1, int(depth) + 1)
    result = {"capa": layers}
    for name, f_name, df_name in CHAINS:
        if f_name not in functions or df_name not in functions:
            continue
        f, df = functions[f_name], functions[df_name]
        a, product, values = float(x0), 1.0, []
        for _ in layers:
            product *= float(df(np.array(a)))
            a = float(f(np.array(a)))
            values.append(product)
        result[name] = np.array(values)
    result[BOUND] = 0.25 ** layers.astype(float)
    return result


def plot_depth(functions, depth=10, ax=None):
    """Gráfico (escala logarítmica) de cómo encoge el gradiente con la profundidad; devuelve la figura."""
    from matplotlib.ticker import LogLocator, NullLocator

    from course.plots import COLORS

    data = depth_gradients(functions, depth)
    if ax is None:
        fig, ax = _figure(width=6.0, height=3.8)
    else:
        fig = ax.figure
    styles = {"sigmoide": dict(color=COLORS[0], marker="o"), "tanh": dict(color=COLORS[2], marker="s"),
              "ReLU": dict(color=COLORS[1], marker="^"), BOUND: dict(color="0.4", ls=":")}
    curves = [name for name in styles if name in data]
    for name in curves:
        ax.semilogy(data["capa"], data[name], label=name, ms=4, **styles[name])
    lowest = min(float(data[name][-1]) for name in curves if data[name][-1] > 0)
    ax.set_ylim(min(1e-3, lowest) / 100, 10)
    ax.set_xlim(0.5, max(int(depth), 2) + 0.5)
    ax.yaxis.set_major_locator(LogLocator(numticks=8))
    ax.yaxis.set_minor_locator(NullLocator())  # sin marcas menores: el dibujo tarda la mitad
    ax.set_xlabel("número de capas l")
    ax.set_ylabel("|da_l / da_0|  (escala log)")
    last = ", ".join(f"{name} {data[name][-1]:.2g}" for name in curves if name != BOUND)
    ax.set_title(f"{int(depth)} capas: {last}", fontsize=9)
    ax.legend(loc="lower left", fontsize=8)
    return fig


def depth_explorer(functions):
    """El widget de profundidad del cuaderno 03: el número de capas y cómo encoge el gradiente, con las
    funciones del estudiante (`functions`) o una línea que dice cuáles completar."""
    import ipywidgets

    controls = {"depth": ipywidgets.IntSlider(value=10, min=1, max=30, description="capas")}
    return widgets.panel(controls, lambda depth: plot_depth(functions, depth),
                         needs([name for chain in CHAINS for name in chain[1:]]), columns=1)
