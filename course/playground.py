"""Cuaderno 06 (final): un *playground* como el de TensorFlow, sobre la red NumPy del curso.

Eliges el conjunto de datos (círculo, XOR, lunas, espiral, gaussianas), las capas ocultas y sus neuronas,
la activación, la tasa de aprendizaje, el λ de L2, la tasa de dropout y el tamaño del lote, y la red se
entrena de a poco mientras se vuelven a dibujar la frontera de decisión, las pérdidas de entrenamiento y de prueba
y la salida de cada neurona oculta sobre el plano.

`Playground` no sabe calcular nada por sí mismo: entrena con las piezas de un `course.regularization.Kit`
(la red de `red.py`, He y Adam de `optimizacion.py` y TUS `l2_penalty_grad`, `dropout_forward` y
`dropout_backward`), con el bucle de `course.mlp.fit`. La lógica (entrenar, pausar, dar un paso, dibujar)
se prueba sin navegador; `widget` solo arma los controles.
"""

import dataclasses
from collections.abc import Callable

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator

from course import data, mlp, plots
from course.regularization import Kit

#: Puntos de cada conjunto (la mitad para entrenar y la otra mitad para la prueba).
N_POINTS = 300
#: Cada tic de «Entrenar» (uno cada `INTERVAL_MS` ms) entrena hasta `EPOCHS_PER_TICK` épocas, o menos si el
#: lote es chico: las que quepan en `STEPS_PER_TICK` pasos de Adam (al menos una).
EPOCHS_PER_TICK, STEPS_PER_TICK, INTERVAL_MS = 5, 75, 250
#: Resolución de la cuadrícula de la frontera y de los mapas de las neuronas ocultas.
BOUNDARY_RESOLUTION, UNIT_RESOLUTION = 60, 24
#: Tamaño de la figura (pulgadas, a 100 puntos por pulgada): el PNG mide a lo sumo 1100 × 380 píxeles.
FIGURE_SIZE = (11.0, 3.8)


def make_xor(n=N_POINTS, noise=0.1, seed=0):
    """Cuatro cuadrantes: clase 1 donde x1·x2 < 0 (como la compuerta XOR). X (n, 2) en [-1, 1]², y (n,)."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(n, 2))
    X += np.sign(X) * 0.05  # un pequeño pasillo entre cuadrantes
    y = (X[:, 0] * X[:, 1] < 0).astype(float)
    return X + rng.normal(scale=noise, size=X.shape), y


def make_spiral(n=N_POINTS, noise=0.1, seed=0):
    """Dos espirales entrelazadas (una vuelta y media cada una): X (n, 2), y (n,) con clases 0/1."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    t = rng.uniform(0.05, 1, size=n)
    angle = 3 * np.pi * t + np.pi * y
    X = np.column_stack([t * np.cos(angle), t * np.sin(angle)])
    return X + rng.normal(scale=noise * 0.5, size=X.shape), y.astype(float)


def make_gaussians(n=N_POINTS, noise=0.1, seed=0):
    """Dos nubes gaussianas centradas en (−0.5, −0.5) y (0.5, 0.5): X (n, 2), y (n,) con clases 0/1."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    X = (y[:, None] - 0.5) + rng.normal(scale=0.25 + noise, size=(n, 2))
    return X, y.astype(float)


#: Los conjuntos del playground: nombre → generador `(n, noise, seed) → (X, y)`.
DATASETS: dict[str, Callable] = {
    "círculo": lambda n, noise, seed: data.make_circles(n, noise=noise, seed=seed),
    "XOR": make_xor,
    "lunas": lambda n, noise, seed: data.make_moons(n, noise=noise, seed=seed),
    "espiral": make_spiral,
    "gaussianas": make_gaussians,
}


@dataclasses.dataclass
class Settings:
    """Lo que eligen los controles. Cambiar uno de `RESTART` reinicia la red; el resto no."""

    dataset: str = "círculo"
    layers: int = 1
    neurons: int = 4
    activation: str = "tanh"
    learning_rate: float = 0.03
    lam: float = 0.0
    dropout: float = 0.0
    batch_size: int = 10
    noise: float = 0.1


RESTART = ("dataset", "layers", "neurons", "activation", "noise")


class Playground:
    """Una red pequeña que se entrena por tics, se pausa, da pasos de una época y se dibuja.

    `kit` trae la red, `he_init`, `adam_step` y tus `l2_penalty_grad`, `dropout_forward`, `dropout_backward`
    (las dos últimas solo hacen falta con dropout > 0; la primera, con λ > 0).
    """

    def __init__(self, kit: Kit, settings: Settings | None = None, seed: int = 0):
        self.kit, self.seed = kit, seed
        self.settings = settings or Settings()
        self.playing = False
        self.fig = self.axes = self.artists = None
        self.restart()

    # --- modelo --------------------------------------------------------------------------------
    def restart(self):
        """Datos y pesos nuevos (misma semilla): la época vuelve a 0 y las curvas se borran."""
        s = self.settings
        X, y = DATASETS[s.dataset](N_POINTS, s.noise, self.seed)
        half = len(X) // 2
        self.X_train, self.y_train = X[:half], y[:half].astype(int)
        self.X_test, self.y_test = X[half:], y[half:].astype(int)
        self.rng = np.random.default_rng(self.seed)
        self.params = self.kit.he_init([2] + [s.neurons] * s.layers + [2], self.rng)
        self.optimizer_state: dict = {}
        self.epoch = 0
        self.history = {"train": [], "test": []}
        self.artists = None  # la figura se rearma en el próximo dibujo
        self.record()

    def configure(self, **changes):
        """Cambia ajustes (nombres de `Settings`); reinicia si cambia la arquitectura, los datos o el ruido."""
        unknown = set(changes) - {f.name for f in dataclasses.fields(Settings)}
        if unknown:
            raise ValueError(f"Ajustes desconocidos: {', '.join(sorted(unknown))}.")
        restart = any(changes[k] != getattr(self.settings, k) for k in changes if k in RESTART)
        self.settings = dataclasses.replace(self.settings, **changes)
        if restart:
            self.restart()

    def loss(self, X, y):
        """Entropía cruzada media de la red actual sobre (X, y), sin dropout."""
        return self.kit.net.cross_entropy(self.kit.net.forward(X, self.params, self.settings.activation)[0], y)

    def record(self):
        """Añade a las curvas las pérdidas de entrenamiento y de prueba de la red actual."""
        self.history["train"].append(self.loss(self.X_train, self.y_train))
        self.history["test"].append(self.loss(self.X_test, self.y_test))

    def train(self, epochs: int = 1):
        """Entrena `epochs` épocas en mini-batches barajados, con Adam y la regularización elegida."""
        s, kit = self.settings, self.kit

        def batches(X, Y):
            order = self.rng.permutation(len(X))
            return ((X[i], Y[i]) for i in np.array_split(order, max(1, len(X) // s.batch_size)))

        def step(params, grads, _):
            params, self.optimizer_state = kit.adam_step(params, grads, self.optimizer_state, lr=s.learning_rate)
            return params, None

        drop = None
        if s.dropout:
            drop = (lambda A: kit.dropout_forward(A, s.dropout, self.rng),
                    lambda dA, mask: kit.dropout_backward(dA, mask, s.dropout))
        for _ in range(epochs):
            self.params, _ = mlp.fit(kit.net, self.params, self.X_train, self.y_train, step, epochs=1,
                                       batches=batches, activation=s.activation, dropout=drop,
                                       penalty_grad=(lambda p: kit.l2_penalty_grad(p, s.lam)) if s.lam else None)
            self.epoch += 1
            self.record()

    # --- controles: Entrenar / Pausar / Paso ---------------------------------------------------
    def toggle(self) -> bool:
        """«Entrenar» ↔ «Pausar»; devuelve si queda entrenando."""
        self.playing = not self.playing
        return self.playing

    def epochs_per_tick(self) -> int:
        """Épocas de un tic: hasta `EPOCHS_PER_TICK`, sin pasar de `STEPS_PER_TICK` pasos (al menos una)."""
        steps_per_epoch = max(1, len(self.X_train) // self.settings.batch_size)
        return max(1, min(EPOCHS_PER_TICK, STEPS_PER_TICK // steps_per_epoch))

    def tick(self) -> bool:
        """Lo que hace cada tic del reloj: si está entrenando, `epochs_per_tick()` épocas; devuelve si entrenó."""
        if self.playing:
            self.train(self.epochs_per_tick())
        return self.playing

    def step(self):
        """«Paso»: una época, esté o no en pausa."""
        self.train(1)

    # --- dibujo --------------------------------------------------------------------------------
    def hidden_maps(self, resolution=UNIT_RESOLUTION):
        """Salida de cada neurona oculta sobre la cuadrícula: lista por capa de arreglos (neuronas, res, res)."""
        _, _, points = plots.grid_points(self.X_train, resolution, margin=0.5)
        cache = self.kit.net.forward(points, self.params, self.settings.activation)[1]
        return [cache[f"H{l}"].T.reshape(-1, resolution, resolution)[:, ::-1] for l in range(1, self.settings.layers + 1)]

    def mosaic(self, resolution=UNIT_RESOLUTION):
        """Los mapas de `hidden_maps` en una sola imagen: una columna por capa, una fila por neurona.

        Cada mapa se escala a [0, 1] por separado (se ve su forma, no su magnitud); NaN en los bordes."""
        maps = self.hidden_maps(resolution)
        gap = resolution // 6
        cell = resolution + gap
        image = np.full((cell * self.settings.neurons - gap, cell * len(maps) - gap), np.nan)
        for col, layer in enumerate(maps):
            lo = layer.min(axis=(1, 2), keepdims=True)
            span = np.maximum(layer.max(axis=(1, 2), keepdims=True) - lo, 1e-12)
            for row, unit in enumerate((layer - lo) / span):
                image[row * cell: row * cell + resolution, col * cell: col * cell + resolution] = unit
        return image

    def probabilities(self, points):
        """Probabilidad de la clase 1 que da la red actual en cada punto (m, 2)."""
        return self.kit.net.forward(points, self.params, self.settings.activation)[0][:, 1]

    def layout(self):
        """Arma los tres paneles (frontera, pérdidas, neuronas ocultas) con artistas que `draw` actualiza.

        Se rehace solo al reiniciar: en cada tic se cambian los datos de los artistas, sin borrar ejes."""
        if self.fig is None:
            self.fig, self.axes = plots.figure(ncols=3, width=FIGURE_SIZE[0] / 3, height=FIGURE_SIZE[1],
                                               gridspec_kw={"width_ratios": (1.0, 1.1, 0.8)})
            self.fig.subplots_adjust(left=0.05, right=0.99, bottom=0.14, top=0.88, wspace=0.3)
            plt.close(self.fig)  # la muestra el widget como PNG; así Jupyter no la muestra otra vez debajo
        ax_boundary, ax_loss, ax_units = self.axes
        for ax in self.axes:
            ax.clear()
        s = self.settings
        xx, yy, self.grid = plots.grid_points(self.X_train, BOUNDARY_RESOLUTION, margin=0.5)
        extent = (xx.min(), xx.max(), yy.min(), yy.max())
        # El estilo de plots.plot_decision_regions (franjas de 0.1, RdBu_r, contorno negro en 0.5) con imshow,
        # que se actualiza sin rehacer el eje.
        background = ax_boundary.imshow(np.zeros(xx.shape), extent=extent, origin="lower", cmap="RdBu_r",
                                        vmin=0, vmax=1, alpha=0.35, aspect="auto", interpolation="bilinear")
        plots.plot_points(ax_boundary, self.X_train, self.y_train)
        ax_boundary.set_xlim(extent[:2])
        ax_boundary.set_ylim(extent[2:])
        ax_boundary.set_xticks([])  # sin números en los ejes: menos texto que componer en cada tic
        ax_boundary.set_yticks([])
        lines = [ax_loss.plot([], [], color=color, label=label)[0]
                 for color, label in zip(plots.COLORS, ("entrenamiento", "prueba"))]
        ax_loss.set_xlabel("época")
        ax_loss.set_ylabel("pérdida")
        ax_loss.xaxis.set_major_locator(MaxNLocator(4, integer=True))
        ax_loss.yaxis.set_major_locator(MaxNLocator(4))
        ax_loss.legend(fontsize=8, loc="upper right")
        units = ax_units.imshow(self.mosaic(), cmap="RdBu_r", vmin=0, vmax=1, interpolation="nearest")
        ax_units.set_xticks(np.arange(s.layers) * (UNIT_RESOLUTION + UNIT_RESOLUTION // 6) + UNIT_RESOLUTION / 2,
                            [f"capa {l}" for l in range(1, s.layers + 1)], fontsize=8)
        ax_units.set_yticks([])
        ax_units.grid(False)
        ax_units.set_title(f"Neuronas ocultas ({s.activation})", fontsize=9)
        self.artists = {"background": background, "contour": None, "lines": lines, "units": units}

    def draw(self):
        """Dibuja de nuevo la figura con la red actual y la devuelve."""
        if self.artists is None:
            self.layout()
        ax_boundary, ax_loss, _ = self.axes
        a, s = self.artists, self.settings
        zz = self.probabilities(self.grid).reshape(a["background"].get_array().shape)
        a["background"].set_data(np.minimum(np.floor(zz * 10), 9) / 10 + 0.05)
        if a["contour"] is not None:
            a["contour"].remove()
        x0, x1, y0, y1 = a["background"].get_extent()
        xs, ys = np.linspace(x0, x1, zz.shape[1]), np.linspace(y0, y1, zz.shape[0])
        a["contour"] = ax_boundary.contour(xs, ys, zz, levels=[0.5], colors="k", linewidths=1.5)
        train_acc = np.mean((self.probabilities(self.X_train) > 0.5) == self.y_train)
        ax_boundary.set_title(f"{s.dataset} · época {self.epoch} · exactitud ent. {train_acc:.0%}", fontsize=9)

        for line, key in zip(a["lines"], ("train", "test")):
            line.set_data(np.arange(len(self.history[key])), self.history[key])
        recent = self.history["test"][-50:] + self.history["train"][-50:]
        ax_loss.set_xlim(0, max(10, self.epoch))
        ax_loss.set_ylim(0, max(1.0, 1.05 * max(recent)))
        ax_loss.set_title(f"Pérdida: ent. {self.history['train'][-1]:.3f}, prueba {self.history['test'][-1]:.3f}",
                          fontsize=9)
        a["units"].set_data(self.mosaic())
        return self.fig

    def png(self) -> bytes:
        """La figura dibujada de nuevo como PNG (lo que recibe el navegador en cada tic)."""
        return plots.to_png(self.draw(), dpi=100, compress_level=1)

    def check(self):
        """Llama una vez a tus funciones que usa el playground: si alguna es el esqueleto, lanza NotImplementedError."""
        A = np.ones((2, 3))
        self.kit.l2_penalty_grad(self.params, 1e-3)
        _, mask = self.kit.dropout_forward(A, 0.5, np.random.default_rng(0))
        self.kit.dropout_backward(A, mask, 0.5)


# --- el widget -------------------------------------------------------------------------------------

#: Valores de los controles que no son un rango continuo.
LAMBDAS = (0.0, 1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1)
BATCH_SIZES = (1, 5, 10, 30, N_POINTS // 2)


def controls(playground: Playground, needs: str) -> dict:
    """Los controles conectados a `playground`: `{nombre: widget}`, con "imagen" (el PNG) y "estado" (texto).

    «Entrenar» / «Pausar» enciende un reloj `ipywidgets.Play` (en el navegador) que pide un tic cada
    `INTERVAL_MS` ms: entre tic y tic el kernel queda libre. `needs` dice qué completar si una de tus
    funciones es todavía el esqueleto.
    """
    import ipywidgets as widgets

    from course.widgets import pending_message

    s = playground.settings
    w = {
        "dataset": widgets.Dropdown(options=list(DATASETS), value=s.dataset, description="datos"),
        "noise": widgets.FloatSlider(value=s.noise, min=0.0, max=0.5, step=0.05, description="ruido"),
        "layers": widgets.IntSlider(value=s.layers, min=1, max=4, description="capas"),
        "neurons": widgets.IntSlider(value=s.neurons, min=1, max=8, description="neuronas"),
        "activation": widgets.Dropdown(options=list(playground.kit.net.ACTIVATIONS), value=s.activation,
                                       description="activación"),
        "learning_rate": widgets.FloatLogSlider(value=s.learning_rate, base=10, min=-4, max=0, step=0.25,
                                                description="η", readout_format=".0e"),
        "lam": widgets.SelectionSlider(options=LAMBDAS, value=s.lam, description="λ (L2)"),
        "dropout": widgets.FloatSlider(value=s.dropout, min=0.0, max=0.6, step=0.05, description="dropout"),
        "batch_size": widgets.SelectionSlider(options=BATCH_SIZES, value=s.batch_size, description="lote"),
    }
    settings = list(w)
    w["play"] = widgets.ToggleButton(description="Entrenar", icon="play", button_style="primary")
    w["step"] = widgets.Button(description="Paso", icon="step-forward")
    w["restart"] = widgets.Button(description="Reiniciar", icon="refresh")
    w["clock"] = widgets.Play(interval=INTERVAL_MS, max=10**9, layout={"display": "none"})
    w["image"] = widgets.Image(format="png", value=playground.png())
    w["status"] = widgets.HTML()

    def run(action):
        try:
            action()
            w["image"].value = playground.png()
            w["status"].value = ""
        except NotImplementedError:
            w["play"].value = False
            w["status"].value = pending_message(needs)

    def on_setting(change):
        run(lambda: playground.configure(**{change["owner"].description_key: change["new"]}))

    for name in settings:
        w[name].description_key = name
        w[name].observe(on_setting, names="value")

    def on_play(change):
        playground.playing = w["clock"].playing = change["new"]
        w["play"].description, w["play"].icon = ("Pausar", "pause") if change["new"] else ("Entrenar", "play")

    w["play"].observe(on_play, names="value")
    widgets.jslink((w["play"], "value"), (w["clock"], "playing"))  # «Pausar» para el reloj sin esperar al kernel
    w["clock"].observe(lambda _: playground.playing and run(playground.tick), names="value")
    w["step"].on_click(lambda _: run(playground.step))
    w["restart"].on_click(lambda _: run(playground.restart))
    return w


def widget(kit: Kit, needs: str, settings: Settings | None = None):
    """El playground completo (controles y figura) para `display`; antes prueba tus funciones (`check`)."""
    import ipywidgets as widgets

    playground = Playground(kit, settings)
    playground.check()
    w = controls(playground, needs)
    column = {"layout": {"width": "330px"}}
    return widgets.VBox([
        widgets.HBox([widgets.VBox([w[k] for k in ("dataset", "noise", "layers", "neurons", "activation")], **column),
                       widgets.VBox([w[k] for k in ("learning_rate", "lam", "dropout", "batch_size")], **column),
                       widgets.VBox([w["play"], w["step"], w["restart"], w["clock"]])]),
        w["image"], w["status"]])
