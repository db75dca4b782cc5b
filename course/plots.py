"""Gráficos del curso con un único estilo: figuras, fronteras de decisión y curvas de aprendizaje."""

import io

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator

#: Colores de las clases 0 y 1 (y de las curvas de entrenamiento y validación).
COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd")
STYLE = {
    "figure.dpi": 100,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "font.size": 10,
    "axes.titlesize": 10,
    "legend.fontsize": 9,
}
#: Ancho útil de la salida de una celda en JupyterLab (editor ≈ 966 px menos su margen izquierdo), en píxeles.
CELL_WIDTH_PX = 880


def fit_size(width: float, height: float, dpi: float = STYLE["figure.dpi"]) -> tuple[float, float]:
    """Tamaño `(ancho, alto)` en pulgadas que cabe en una celda: si `width` supera `CELL_WIDTH_PX` a `dpi`,
    se reducen ancho y alto en la misma proporción (así JupyterLab no encoge la imagen ni sus letras)."""
    limit = CELL_WIDTH_PX / dpi
    scale = min(1.0, limit / width)
    return width * scale, height * scale


def figure(ncols=1, nrows=1, width=4.5, height=4.0, **kwargs):
    """Crea una figura con el estilo del curso; devuelve `(fig, axes)`.

    `width` y `height` son los de cada panel; el total se ajusta al ancho de la celda con `fit_size`.

    El estilo se aplica de forma global (no con `plt.rc_context`): si la primera figura de la sesión se
    creara dentro de un contexto, el backend `inline` de Jupyter se activaría ahí y al salir se perdería
    la visualización automática de las figuras siguientes.
    """
    apply_style()
    return plt.subplots(nrows, ncols, figsize=fit_size(width * ncols, height * nrows), **kwargs)


def to_png(fig, dpi: float | None = None, compress_level: int | None = None) -> bytes:
    """La figura como PNG (bytes), sin recortar bordes (más rápido que `bbox_inches="tight"`), y la cierra
    (se puede volver a dibujar). `compress_level` 1 comprime más rápido (widgets que se actualizan a menudo)."""
    buffer = io.BytesIO()
    extra = {"pil_kwargs": {"compress_level": compress_level}} if compress_level is not None else {}
    fig.savefig(buffer, format="png", dpi=dpi, **extra)
    plt.close(fig)
    return buffer.getvalue()


def apply_style():
    """Aplica el estilo del curso a todas las figuras siguientes."""
    plt.rcParams.update(STYLE)


def grid_points(X, resolution=200, margin=0.5):
    """Cuadrícula que cubre los puntos X (m, 2): devuelve `(xx, yy, puntos (resolution², 2))`."""
    X = np.asarray(X, dtype=float)
    lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
    xx, yy = np.meshgrid(np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution))
    return xx, yy, np.column_stack([xx.ravel(), yy.ravel()])


def plot_points(ax, X, y, highlight=None):
    """Dibuja puntos 2-D coloreados por clase (0/1); `highlight` marca con un aro los índices dados."""
    X, y = np.asarray(X, dtype=float), np.asarray(y).ravel()
    for label in np.unique(y):
        mask = y == label
        ax.scatter(X[mask, 0], X[mask, 1], s=40, color=COLORS[int(label) % len(COLORS)],
                   edgecolor="k", label=f"clase {int(label)}", zorder=3)
    if highlight is not None and len(highlight):
        ax.scatter(X[highlight, 0], X[highlight, 1], s=180, facecolor="none", edgecolor="orange",
                   linewidth=2, label="mal clasificado", zorder=4)


def plot_decision_regions(ax, predict, X, y, resolution=150, margin=0.5):
    """Colorea las regiones de `predict(puntos) -> probabilidad o clase` y dibuja los puntos."""
    xx, yy, points = grid_points(X, resolution, margin)
    zz = np.asarray(predict(points), dtype=float).reshape(xx.shape)
    ax.contourf(xx, yy, zz, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.35)
    ax.contour(xx, yy, zz, levels=[0.5], colors="k", linewidths=1.5)
    plot_points(ax, X, y)
    ax.set_xlim(xx.min(), xx.max())
    ax.set_ylim(yy.min(), yy.max())


def plot_line_boundary(ax, w, b, limits=(-0.5, 1.5), **kwargs):
    """Dibuja la recta w1·x1 + w2·x2 + b = 0 dentro de `limits` (la frontera de una neurona)."""
    w1, w2 = float(w[0]), float(w[1])
    xs = np.linspace(*limits, 100)
    if abs(w2) > 1e-12:
        ax.plot(xs, -(w1 * xs + float(b)) / w2, **kwargs)
    elif abs(w1) > 1e-12:
        ax.axvline(-float(b) / w1, **kwargs)
    ax.set_xlim(*limits)
    ax.set_ylim(*limits)


def integer_xticks(ax) -> None:
    """Marcas enteras en el eje x (épocas, pasos, errores): nunca 2.5 épocas."""
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def plot_curves(ax, curves, xlabel="época", ylabel="pérdida", marker=None):
    """Dibuja varias curvas `{"entrenamiento": [...], "validación": [...]}` en el mismo eje."""
    for color, (label, values) in zip(COLORS, curves.items()):
        ax.plot(np.arange(len(values)), values, color=color, label=label, marker=marker)
    integer_xticks(ax)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend()
