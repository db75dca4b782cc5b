"""Funciones de activación de referencia, sus derivadas y los gráficos del cuaderno 03.

Todas actúan elemento a elemento sobre un arreglo `z` de cualquier forma y devuelven un arreglo
`float` de la misma forma, sin avisos numéricos para |z| grande. Convención del curso: en z = 0,
donde ReLU y Leaky ReLU no son derivables, se toma la derivada por la izquierda (rama z ≤ 0).

Estas referencias alimentan los gráficos y los widgets; las celdas de test del cuaderno no las
usan (cada test lleva su propia referencia escrita aparte).
"""

import math

import numpy as np

#: Umbral por debajo del cual consideramos que la derivada «casi no deja pasar gradiente».
FLAT = 0.01

_erf = np.vectorize(math.erf, otypes=[float])  # NumPy no trae erf y SciPy no está instalado


def _f(z):
    return np.asarray(z, dtype=float)


def step(z):
    """Escalón de Heaviside: 1 si z ≥ 0, 0 si no."""
    return (_f(z) >= 0).astype(float)


def step_grad(z):
    """Derivada del escalón: 0 en todas partes (en z = 0 no existe; devolvemos 0)."""
    return np.zeros_like(_f(z))


def sigmoid(z):
    """σ(z) = 1 / (1 + e^{-z}), estable: solo se evalúa e^{-|z|} ≤ 1."""
    z = _f(z)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_grad(z):
    """σ'(z) = σ(z)(1 − σ(z)) ≤ 1/4."""
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z):
    """tanh(z) = 2σ(2z) − 1, en (−1, 1)."""
    return np.tanh(_f(z))


def tanh_grad(z):
    """tanh'(z) = 1 − tanh(z)² ≤ 1."""
    t = np.tanh(_f(z))
    return 1.0 - t * t


def relu(z):
    """ReLU(z) = max(0, z)."""
    return np.maximum(_f(z), 0.0)


def relu_grad(z):
    """ReLU'(z) = 1 si z > 0, 0 si z ≤ 0."""
    return (_f(z) > 0).astype(float)


def leaky_relu(z, alpha=0.01):
    """Leaky ReLU: z si z > 0, alpha·z si z ≤ 0."""
    z = _f(z)
    return np.where(z > 0, z, alpha * z)


def leaky_relu_grad(z, alpha=0.01):
    """Derivada de Leaky ReLU: 1 si z > 0, alpha si z ≤ 0."""
    return np.where(_f(z) > 0, 1.0, float(alpha))


def elu(z, alpha=1.0):
    """ELU: z si z > 0, alpha·(e^z − 1) si z ≤ 0 (la exponencial solo ve valores ≤ 0)."""
    z = _f(z)
    return np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0.0)))


def elu_grad(z, alpha=1.0):
    """Derivada de ELU: 1 si z > 0, alpha·e^z si z ≤ 0."""
    z = _f(z)
    return np.where(z > 0, 1.0, alpha * np.exp(np.minimum(z, 0.0)))


def swish(z, beta=1.0):
    """Swish (SiLU si beta = 1): z·σ(beta·z)."""
    z = _f(z)
    return z * sigmoid(beta * z)


def swish_grad(z, beta=1.0):
    """Derivada de Swish: σ(βz) + βz·σ(βz)(1 − σ(βz))."""
    z = _f(z)
    s = sigmoid(beta * z)
    return s + beta * z * s * (1.0 - s)


def gelu(z):
    """GELU exacta: z·Φ(z) = ½ z (1 + erf(z/√2)), con `math.erf` vectorizada."""
    z = _f(z)
    return 0.5 * z * (1.0 + _erf(z / math.sqrt(2.0)))


def gelu_grad(z):
    """Derivada de GELU: Φ(z) + z·φ(z), con φ la densidad normal estándar."""
    z = _f(z)
    phi = np.exp(-0.5 * z * z) / math.sqrt(2.0 * math.pi)
    return 0.5 * (1.0 + _erf(z / math.sqrt(2.0))) + z * phi


def softmax(Z, axis=-1):
    """Softmax estable a lo largo de `axis`: resta el máximo antes de exponenciar."""
    Z = _f(Z)
    E = np.exp(Z - Z.max(axis=axis, keepdims=True))
    return E / E.sum(axis=axis, keepdims=True)


def logsumexp(Z, axis=-1):
    """log Σ e^{z_j} estable: m + log Σ e^{z_j − m} con m = max z_j."""
    Z = _f(Z)
    m = Z.max(axis=axis, keepdims=True)
    return np.squeeze(m, axis=axis) + np.log(np.exp(Z - m).sum(axis=axis))


def softmax_jacobian(z):
    """Jacobiano (k, k) de softmax en un vector z (k,): J = diag(s) − s sᵀ."""
    s = softmax(_f(z))
    return np.diag(s) - np.outer(s, s)


def centred_difference(f, z, h=1e-5):
    """Derivada numérica elemento a elemento (f(z + h) − f(z − h)) / 2h."""
    z = _f(z)
    return (f(z + h) - f(z - h)) / (2.0 * h)


# nombre visible: (f(z, alpha, beta), f'(z, alpha, beta), parámetros que usa, fórmula)
ACTIVATIONS = {
    "escalón": (lambda z, a, b: step(z), lambda z, a, b: step_grad(z), (), r"$1[z \geq 0]$"),
    "sigmoide": (lambda z, a, b: sigmoid(z), lambda z, a, b: sigmoid_grad(z), (), r"$1/(1+e^{-z})$"),
    "tanh": (lambda z, a, b: tanh(z), lambda z, a, b: tanh_grad(z), (), r"$\tanh z$"),
    "ReLU": (lambda z, a, b: relu(z), lambda z, a, b: relu_grad(z), (), r"$\max(0, z)$"),
    "Leaky ReLU": (lambda z, a, b: leaky_relu(z, a), lambda z, a, b: leaky_relu_grad(z, a), ("alpha",),
                   r"$\max(\alpha z, z)$"),
    "ELU": (lambda z, a, b: elu(z, a), lambda z, a, b: elu_grad(z, a), ("alpha",),
            r"$z$ o $\alpha(e^z-1)$"),
    "Swish": (lambda z, a, b: swish(z, b), lambda z, a, b: swish_grad(z, b), ("beta",),
              r"$z\,\sigma(\beta z)$"),
    "GELU": (lambda z, a, b: gelu(z), lambda z, a, b: gelu_grad(z), (), r"$z\,\Phi(z)$"),
}
NAMES = tuple(ACTIVATIONS)


def _pyplot():
    """`matplotlib.pyplot`, importado solo al dibujar (corregir no necesita Matplotlib)."""
    import matplotlib.pyplot as plt

    return plt


def _figure(**kwargs):
    """`(fig, ax)` con el estilo del curso; Matplotlib se importa al dibujar la primera figura
    (corregir no necesita Matplotlib)."""
    from course import plots

    return plots.figure(**kwargs)


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


def activation_curves(name, alpha=0.01, beta=1.0, limit=6.0, n=601):
    """Datos del gráfico de una activación: `{"z", "f", "df", "flat"}` (arreglos (n,)).

    `flat` marca dónde |f'(z)| < 0.01: ahí casi no pasa gradiente.
    """
    if name not in ACTIVATIONS:
        raise ValueError(f"Activación desconocida: {name!r}. Opciones: {', '.join(NAMES)}")
    f, df, _, _ = ACTIVATIONS[name]
    z = np.linspace(-limit, limit, n)
    d = df(z, alpha, beta)
    return {"z": z, "f": f(z, alpha, beta), "df": d, "flat": np.abs(d) < FLAT}


def plot_activation(name, alpha=0.01, beta=1.0, ax=None, limit=6.0, legend=True):
    """Dibuja f (línea continua) y f' (discontinua) juntas y sombrea donde |f'| < 0.01; devuelve la figura."""
    from course.plots import COLORS

    data = activation_curves(name, alpha, beta, limit)
    if ax is None:
        fig, ax = _figure(width=6.0, height=3.8)
    else:
        fig = ax.figure
    for i, (start, end) in enumerate(flat_spans(data["z"], data["flat"])):
        ax.axvspan(start, end, color="0.6", alpha=0.25, lw=0, label=None if i else "|f'| < 0.01")
    ax.plot(data["z"], data["f"], color=COLORS[0], lw=2, label="f(z)")
    ax.plot(data["z"], data["df"], color=COLORS[1], lw=2, ls="--", label="f'(z)")
    ax.axhline(0, color="k", lw=0.6)
    ax.axvline(0, color="k", lw=0.6)
    params = ACTIVATIONS[name][2]
    extra = ", ".join(f"{p} = {v:g}" for p, v in (("alpha", alpha), ("beta", beta)) if p in params)
    ax.set_title(f"{name}: {ACTIVATIONS[name][3]}" + (f"  ({extra})" if extra else ""))
    ax.set_xlabel("z")
    ax.set_ylim(-1.6, 3.2)
    ax.set_xlim(-limit, limit)
    if legend:
        ax.legend(loc="upper left", fontsize=8)
    return fig


def show_activation(name="sigmoide", alpha=0.01, beta=1.0):
    """Lógica del widget de activaciones: dibuja la figura y la muestra (no devuelve nada)."""
    plot_activation(name, alpha, beta)
    _pyplot().show()


def plot_gallery(names=NAMES, alphas=None, beta=1.0):
    """Todas las activaciones en una rejilla, cada una con f, f' y la zona |f'| < 0.01 sombreada.

    `alphas` da el alpha de cada activación que lo usa (por defecto 0.1 en Leaky ReLU, para que
    se vea la pendiente, y 1.0 en ELU).
    """
    alphas = {"Leaky ReLU": 0.1, "ELU": 1.0} | dict(alphas or {})
    ncols = 4
    nrows = math.ceil(len(names) / ncols)
    fig, axes = _figure(ncols=ncols, nrows=nrows, width=3.4, height=2.8, squeeze=False)
    for ax, name in zip(axes.ravel(), names):
        plot_activation(name, alphas.get(name, 0.01), beta, ax=ax, legend=name == names[0])
        ax.title.set_fontsize(9)
    for ax in axes.ravel()[len(names):]:
        ax.set_visible(False)
    fig.tight_layout()
    return fig


def depth_gradients(depth, x0=0.5):
    """Derivada da_l/da_0 a través de una cadena de l = 1..depth neuronas (peso 1, sesgo 0).

    Cada capa hace a_l = φ(a_{l−1}), así que da_l/da_0 = Π φ'(z_i) (regla de la cadena).
    Devuelve `{"capa": (depth,), "sigmoide": (depth,), "tanh": (depth,), "ReLU": (depth,),
    "cota 0.25^l": (depth,)}`.
    """
    layers = np.arange(1, int(depth) + 1)
    result = {"capa": layers}
    for name, f, df in (("sigmoide", sigmoid, sigmoid_grad), ("tanh", tanh, tanh_grad), ("ReLU", relu, relu_grad)):
        a, product, values = float(x0), 1.0, []
        for _ in layers:
            product *= float(df(a))
            a = float(f(a))
            values.append(product)
        result[name] = np.array(values)
    result["cota 0.25^l"] = 0.25 ** layers.astype(float)
    return result


def plot_depth(depth=10, ax=None):
    """Gráfico (escala logarítmica) de cómo encoge el gradiente con la profundidad; devuelve la figura."""
    from matplotlib.ticker import LogLocator, NullLocator

    from course.plots import COLORS

    data = depth_gradients(depth)
    if ax is None:
        fig, ax = _figure(width=6.0, height=3.8)
    else:
        fig = ax.figure
    styles = {"sigmoide": dict(color=COLORS[0], marker="o"), "tanh": dict(color=COLORS[2], marker="s"),
              "ReLU": dict(color=COLORS[1], marker="^"), "cota 0.25^l": dict(color="0.4", ls=":")}
    for name, style in styles.items():
        ax.semilogy(data["capa"], data[name], label=name, ms=4, **style)
    ax.set_ylim(min(1e-3, data["sigmoide"][-1], data["cota 0.25^l"][-1]) / 100, 10)
    ax.set_xlim(0.5, max(int(depth), 2) + 0.5)
    ax.yaxis.set_major_locator(LogLocator(numticks=8))
    ax.yaxis.set_minor_locator(NullLocator())  # sin marcas menores: el dibujo tarda la mitad
    ax.set_xlabel("número de capas l")
    ax.set_ylabel("|da_l / da_0|  (escala log)")
    last = int(depth)
    ax.set_title(f"{last} capas: sigmoide {data['sigmoide'][-1]:.1e}, tanh {data['tanh'][-1]:.2f}, "
                 f"ReLU {data['ReLU'][-1]:g}", fontsize=9)
    ax.legend(loc="lower left", fontsize=8)
    return fig


def show_depth(depth=10):
    """Lógica del widget de profundidad: dibuja y muestra la figura (no devuelve nada)."""
    plot_depth(depth)
    _pyplot().show()
