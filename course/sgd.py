"""Descenso por gradiente en un problema de 2 parámetros (cuaderno 05): caminos, curvas y widget.

El problema es la regresión lineal del libro de Géron: `x ~ 2·U(0, 1)`, `y = 4 + 3x + ruido`, con
`θ = (θ0, θ1)` = (sesgo, pendiente). Se minimiza `L(θ) = (1/2m)·‖X_b θ − y‖²` (la mitad del MSE),
cuyo gradiente es `(1/m)·X_bᵀ(X_b θ − y)`; las curvas muestran el MSE `(1/m)·‖X_b θ − y‖²`.

Los caminos de θ se calculan con TUS funciones del cuaderno (los pasos de los optimizadores y el recorrido
en mini-batches), que el cuaderno pasa como argumentos: aquí solo están el problema, las figuras y el widget.
"""

import math
import time
from collections.abc import Callable

import matplotlib.pyplot as plt
import numpy as np

from course import plots

#: Optimizadores del widget: nombre visible → (clave interna, tamaño de lote fijo o None).
OPTIMIZERS = {
    "GD (lote completo)": ("sgd", "all"),
    "SGD (un ejemplo)": ("sgd", 1),
    "mini-batch": ("sgd", None),
    "momentum": ("momentum", None),
    "Adam": ("adam", None),
}
#: Ventana de los contornos (θ0, θ1) y punto de partida de todos los caminos.
LIMITS = ((-1.0, 9.0), (-2.0, 8.0))
THETA_START = (0.0, 7.0)


def make_regression(m=100, seed=0):
    """Datos de la regresión lineal: `X (m, 1)` con x en [0, 2) e `y (m,)` = 4 + 3x + N(0, 1)."""
    rng = np.random.default_rng(seed)
    X = 2 * rng.random((m, 1))
    y = 4 + 3 * X[:, 0] + rng.standard_normal(m)
    return X, y


def add_bias(X):
    """Añade la columna de unos delante: `X (m, n)` → `X_b (m, n + 1)`."""
    X = np.asarray(X, dtype=float)
    return np.column_stack([np.ones(len(X)), X])


def mse(theta, X, y):
    """MSE `(1/m)·‖X_b θ − y‖²` para un θ (2,) o para muchos a la vez, θ (k, 2) → (k,)."""
    Xb = add_bias(X)
    theta = np.asarray(theta, dtype=float)
    residuals = Xb @ np.atleast_2d(theta).T - np.asarray(y, dtype=float)[:, None]
    values = np.mean(residuals ** 2, axis=0)
    return values if theta.ndim == 2 else float(values[0])


def closed_form(X, y):
    """Solución exacta de mínimos cuadrados (la ecuación normal, resuelta con `lstsq`)."""
    return np.linalg.lstsq(add_bias(X), np.asarray(y, dtype=float), rcond=None)[0]


def schedule(kind, eta0, t, decay=0.01, drop_every=200, factor=0.5):
    """Tasa de aprendizaje en la iteración `t` (número o arreglo).

    kind: "constante" (η0), "inversa" (η0 / (1 + decay·t)), "exponencial" (η0·e^(−decay·t))
    o "escalones" (η0·factor^⌊t / drop_every⌋).
    """
    t = np.asarray(t, dtype=float)
    if kind == "constante":
        return eta0 + 0 * t
    if kind == "inversa":
        return eta0 / (1 + decay * t)
    if kind == "exponencial":
        return eta0 * np.exp(-decay * t)
    if kind == "escalones":
        return eta0 * factor ** np.floor(t / drop_every)
    raise ValueError(f"Programa de tasa desconocido: {kind!r}.")


def gd_path(gd_linear_regression: Callable, X, y, eta, n_iter):
    """El camino de TU descenso por gradiente por lotes: θ tras k = 0, 1, …, n_iter pasos (desde θ = 0).

    Devuelve un diccionario como el de `optimize` (una actualización por época).
    """
    path = np.array([gd_linear_regression(X, y, eta, k)[0] for k in range(n_iter + 1)], dtype=float)
    with np.errstate(over="ignore", invalid="ignore"):
        loss = mse(path, X, y)
    return {"path": path, "loss": loss, "epoch": np.arange(len(path), dtype=float), "steps_per_epoch": 1,
            "diverged": bool(not np.isfinite(loss[-1]) or loss[-1] > loss[0])}


def with_rate(step: Callable, lr: float) -> Callable:
    """Un optimizador de `optimizers` con la tasa fija, en la forma de `course.mlp.fit`: `paso(params, grads, estado)`."""
    return lambda params, grads, state: step(params, grads, state, lr)


def optimizers(sgd_step: Callable, momentum_step: Callable | None = None, adam_step: Callable | None = None,
               beta: float = 0.9) -> dict:
    """Tus optimizadores con una misma forma, `paso(params, grads, estado, lr) → (params, estado)`.

    Recibe tu `sgd_step` y, si ya los tienes, `momentum_step` (con `beta`) y `adam_step`; devuelve un
    diccionario con las claves "sgd", "momentum" y "adam" de los que recibió.
    """
    steps = {"sgd": lambda params, grads, state, lr: (sgd_step(params, grads, lr), state)}
    if momentum_step is not None:
        steps["momentum"] = lambda params, grads, state, lr: momentum_step(params, grads, state, lr, beta)
    if adam_step is not None:
        steps["adam"] = lambda params, grads, state, lr: adam_step(params, grads, state, lr)
    return steps


def optimize(X, y, step: Callable, batches: Callable, lr=0.1, batch_size="all", epochs=20, decay=0.0,
             theta0=THETA_START, seed=0):
    """Entrena θ = (θ0, θ1) de la regresión lineal 1-D con mini-batches y devuelve un diccionario.

    X (m, 1), y (m,). `step(params, grads, estado, lr)` es un optimizador de `optimizers` (con tus funciones)
    y `batches` tu `iterate_minibatches`, que recorre cada época (barajada con `seed`, salvo con el lote
    completo). `batch_size` es un entero o "all" (descenso por gradiente por lotes). `decay > 0` usa la tasa
    η_t = η / (1 + decay·t). El gradiente de cada lote es (1/B)·X_bᵀ(X_b θ − y).

    Devuelve {"path": (k + 1, 2) los θ visitados, "loss": (k + 1,) su MSE sobre todos los datos,
    "epoch": (k + 1,) la época (fraccionaria) de cada punto, "steps_per_epoch": int, "diverged": bool}.
    """
    Xb = add_bias(X)
    y = np.asarray(y, dtype=float).reshape(-1)
    m = len(y)
    batch = m if batch_size in ("all", None) else max(1, min(int(batch_size), m))
    steps_per_epoch = math.ceil(m / batch)
    rng = np.random.default_rng(seed)
    params, state = {"theta": np.array(theta0, dtype=float)}, {}
    path = [params["theta"]]
    diverged = False
    t = 0
    for _ in range(int(epochs)):
        for X_batch, y_batch in batches(Xb, y, batch, batch < m, rng):
            theta = params["theta"]
            grads = {"theta": X_batch.T @ (X_batch @ theta - y_batch) / len(y_batch)}
            params, state = step(params, grads, state, lr / (1 + decay * t) if decay else lr)
            t += 1
            path.append(np.asarray(params["theta"], dtype=float))
            if not np.all(np.abs(path[-1]) < 1e6):
                diverged = True
                break
        if diverged:
            break
    path = np.array(path)
    with np.errstate(over="ignore", invalid="ignore"):
        loss = mse(path, X, y)
    return {"path": path, "loss": loss, "epoch": np.arange(len(path)) / steps_per_epoch,
            "steps_per_epoch": steps_per_epoch, "diverged": diverged}


_GRID_CACHE = {}


def loss_grid(X, y, limits=LIMITS, resolution=80):
    """Cuadrícula `(T0, T1, MSE)` de la superficie de pérdida, guardada en caché para el widget."""
    key = (id(X), id(y), limits, resolution)
    if key not in _GRID_CACHE:
        t0 = np.linspace(*limits[0], resolution)
        t1 = np.linspace(*limits[1], resolution)
        T0, T1 = np.meshgrid(t0, t1)
        Z = mse(np.column_stack([T0.ravel(), T1.ravel()]), X, y).reshape(T0.shape)
        _GRID_CACHE.clear()
        _GRID_CACHE[key] = (T0, T1, Z)
    return _GRID_CACHE[key]


def plot_contours(ax, X, y, limits=LIMITS):
    """Contornos (niveles logarítmicos) del MSE en el plano (θ0, θ1) y el mínimo exacto (estrella)."""
    T0, T1, Z = loss_grid(X, y, limits)
    levels = np.geomspace(Z.min() * 1.05, Z.max(), 12)
    ax.contour(T0, T1, Z, levels=levels, cmap="viridis", linewidths=0.8)
    best = closed_form(X, y)
    ax.plot(*best, marker="*", markersize=15, markerfacecolor="none", markeredgecolor="k", markeredgewidth=1.5,
            linestyle="none", label="mínimo", zorder=5)
    ax.set_xlim(*limits[0])
    ax.set_ylim(*limits[1])
    ax.set_xlabel(r"$\theta_0$ (sesgo)")
    ax.set_ylabel(r"$\theta_1$ (pendiente)")


def plot_path(ax, path, label=None, color=None, marker="o", start=True):
    """Dibuja un camino de θ (k, 2): línea con puntos pequeños y, si `start`, el inicio en cuadrado."""
    path = np.asarray(path, dtype=float)
    few = len(path) <= 60
    ax.plot(path[:, 0], path[:, 1], color=color, lw=1.2 if few else 0.7, label=label,
            marker=marker if few else None, markersize=3, alpha=0.9)
    if start:
        ax.plot(path[0, 0], path[0, 1], marker="s", color="k", markersize=5)


def plot_loss(ax, result, label=None, color=None):
    """Curva del MSE frente a las épocas (eje y logarítmico); una cruz si divergió."""
    loss = np.where(np.isfinite(result["loss"]), result["loss"], np.nan)
    ax.semilogy(result["epoch"], loss, color=color, label=label, lw=1)
    if result["diverged"]:
        ax.plot(result["epoch"][-1], np.nanmax(loss), marker="x", color="r", markersize=10)
    plots.integer_xticks(ax)
    ax.set_xlabel("época")
    ax.set_ylabel("MSE (todos los datos)")


class Explorer:
    """La figura del widget (contornos + camino, curva de pérdida), creada una vez.

    `steps` son los optimizadores de `optimizers` y `batches` tu `iterate_minibatches`.
    `update(lr, batch_size, optimizer, epochs)` vuelve a entrenar y solo cambia los datos de las
    líneas, así que redibujar es rápido; devuelve el resultado de `optimize`.
    """

    def __init__(self, steps: dict, batches: Callable, X, y):
        self.steps, self.batches, self.X, self.y = steps, batches, X, y
        self.fig, (self.ax_path, self.ax_loss) = plots.figure(ncols=2, width=4.8, height=4.0)
        plot_contours(self.ax_path, X, y)
        (self.path_line,) = self.ax_path.plot([], [], color=plots.COLORS[1], lw=1, marker="o", markersize=3)
        (self.start,) = self.ax_path.plot(*THETA_START, marker="s", color="k", markersize=5)
        (self.loss_line,) = self.ax_loss.semilogy([1], [1], color=plots.COLORS[0], lw=1)
        plots.integer_xticks(self.ax_loss)
        self.ax_loss.set_xlabel("época")
        self.ax_loss.set_ylabel("MSE (todos los datos)")
        self.fig.subplots_adjust(left=0.09, right=0.98, bottom=0.13, top=0.9, wspace=0.3)
        plt.close(self.fig)  # se muestra con display(explorer.fig), no al final de la celda

    def draw(self, **values):
        """`update(**values)` y devuelve la figura (la función de dibujo de `widgets.panel`)."""
        self.update(**values)
        return self.fig

    def update(self, lr=0.1, batch_size=10, optimizer="mini-batch", epochs=20):
        key, fixed_batch = OPTIMIZERS[optimizer]
        batch = fixed_batch if fixed_batch is not None else batch_size
        result = optimize(self.X, self.y, self.steps[key], self.batches, lr=lr, batch_size=batch, epochs=epochs)
        path = result["path"]
        self.path_line.set_data(path[:, 0], path[:, 1])
        self.path_line.set_marker("o" if len(path) <= 60 else "")
        self.path_line.set_linewidth(1.2 if len(path) <= 60 else 0.6)
        self.ax_path.set_title(f"{optimizer}: {len(path) - 1} actualizaciones "
                               f"({result['steps_per_epoch']} por época)", fontsize=9)
        loss = np.where(np.isfinite(result["loss"]), result["loss"], np.nan)
        self.loss_line.set_data(result["epoch"], loss)
        finite = loss[np.isfinite(loss)]
        top = min(float(finite.max()), 1e12) if finite.size else 10.0
        self.ax_loss.set_xlim(0, max(float(result["epoch"][-1]), 1e-3))
        self.ax_loss.set_ylim(0.5, max(top * 2, 10.0))
        final = result["loss"][-1]
        status = "¡diverge!" if result["diverged"] or not np.isfinite(final) else f"MSE final {final:.3f}"
        self.ax_loss.set_title(f"η = {lr:.3g}: {status}", fontsize=9)
        return result


def gradient_spread(X, y, theta, batch_sizes, n_draws=300, seed=0):
    """Ruido del gradiente de un mini-batch: para cada tamaño B, la distancia media entre el gradiente
    de un lote aleatorio de B ejemplos y el gradiente de todos los datos. Devuelve un arreglo (len(batch_sizes),)."""
    rng = np.random.default_rng(seed)
    Xb = add_bias(X)
    y = np.asarray(y, dtype=float)
    residual = Xb @ np.asarray(theta, dtype=float) - y
    per_example = Xb * residual[:, None]  # gradiente de cada ejemplo (m, 2)
    full = per_example.mean(axis=0)
    spread = []
    for b in batch_sizes:
        idx = np.array([rng.choice(len(y), size=b, replace=False) for _ in range(n_draws)])
        spread.append(float(np.linalg.norm(per_example[idx].mean(axis=1) - full, axis=1).mean()))
    return np.array(spread)


# --- Inicialización de una red profunda ----------------------------------------------------------

def constant_std_init(layer_sizes, std, rng, dtype=np.float32):
    """Pesos normales de media 0 y la MISMA desviación estándar `std` en todas las capas; sesgos cero.

    Sirve para comparar con He: `std = 0` (todo ceros) o `std = 1` (demasiado grandes).
    """
    params = {}
    for l, (n_in, n_out) in enumerate(zip(layer_sizes[:-1], layer_sizes[1:]), start=1):
        params[f"W{l}"] = (rng.standard_normal((n_in, n_out)) * std).astype(dtype)
        params[f"b{l}"] = np.zeros(n_out, dtype=dtype)
    return params


def activation_stds(params, X):
    """Desviación estándar de las activaciones ReLU de cada capa oculta al propagar X (lista)."""
    A = np.asarray(X)
    stds = []
    n = sum(1 for key in params if key.startswith("W"))
    for l in range(1, n):
        A = np.maximum(A @ params[f"W{l}"] + params[f"b{l}"], 0)
        stds.append(float(A.std()))
    return stds


# --- Barra de progreso y rendimiento --------------------------------------------------------------

def progress_bar(total, description="Entrenando"):
    """Barra de progreso de ipywidgets (o de texto si no hay) para `course.mlp.fit(progress=...)`.

    Devuelve la función `progress(epoch, history)` que avanza la barra y muestra la pérdida.
    """
    try:
        import ipywidgets as widgets
        from IPython.display import display

        bar = widgets.IntProgress(value=0, min=0, max=total, description=description)
        label = widgets.Label(value="")
        display(widgets.HBox([bar, label]))

        def progress(epoch, history):
            bar.value = epoch + 1
            label.value = f"época {epoch + 1}/{total} · pérdida {history['loss'][-1]:.4f}"
    except ImportError:  # pragma: no cover - sin ipywidgets
        def progress(epoch, history):
            done = int(20 * (epoch + 1) / total)
            print(f"\r[{'#' * done}{'.' * (20 - done)}] época {epoch + 1}/{total} "
                  f"pérdida {history['loss'][-1]:.4f}", end="", flush=True)
    return progress


def matmul_gflops(n=2048, repeats=3, dtype=np.float32, shape=None):
    """Velocidad de un producto de matrices en GFLOP/s, el mejor de `repeats`: por defecto uno grande
    (n × n)·(n × n); con `shape = (m, k, p)`, el de (m × k)·(k × p)."""
    m, k, p = shape or (n, n, n)
    rng = np.random.default_rng(0)
    a = rng.standard_normal((m, k)).astype(dtype)
    b = rng.standard_normal((k, p)).astype(dtype)
    a @ b  # calentamiento
    best = math.inf
    for _ in range(repeats):
        start = time.perf_counter()
        a @ b
        best = min(best, time.perf_counter() - start)
    return 2 * m * k * p / best / 1e9


def epoch_flops(n_examples, layer_sizes):
    """FLOP de una época de entrenamiento: ≈ 6 · (número de pesos) · (número de ejemplos)
    (2 en la pasada hacia delante y 4 en la de vuelta, por cada multiplicación-suma)."""
    weights = sum(a * b for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))
    return 6 * weights * n_examples
