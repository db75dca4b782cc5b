"""P5 — time of each widget's update: the function a control calls, up to the PNG the browser receives.

Median and maximum over 20 updates with changing values (Agg backend, the figure saved as PNG as the widget
does). Target: < 150 ms. The regularisation widget retrains on a button press, so it is reported apart; the
playground is measured per redraw (one epoch then the PNG) and per clock tick (its epochs then the PNG).
"""

import statistics
import time

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402

from autograder.reference import activations as activations_ref  # noqa: E402
from autograder.reference import backprop as backprop_ref  # noqa: E402
from autograder.reference import mlp as reference  # noqa: E402
from autograder.reference import perceptron as perceptron_ref  # noqa: E402
from autograder.reference import xor as xor_ref  # noqa: E402
from course import activations, backprop, fashion, perceptron, playground, regularization, sgd, xor  # noqa: E402
from course.widgets import widget_png as to_png  # noqa: E402

UPDATES = 20


def widget_updates():
    """`{name: update(i)}`: one update of each widget for the i-th control value."""
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (200, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, 200)
    probs = rng.dirichlet(np.ones(10), 200)
    explorer = sgd.Explorer(sgd.optimizers(reference.sgd_step, reference.momentum_step, reference.adam_step),
                            reference.iterate_minibatches, *sgd.make_regression())
    split = regularization.overfitting_data()
    weights = xor.class_slider_values()
    network = xor.Network(xor_ref.sigmoid, xor_ref.dense_forward, xor_ref.xor_network)
    kit = regularization.Kit(reference.net, reference.he_init, reference.adam_step, reference.l2_penalty_grad,
                             dropout_forward=reference.dropout_forward, dropout_backward=reference.dropout_backward,
                             early_stopping=reference.early_stopping)
    optimizers = list(sgd.OPTIMIZERS)
    play = playground.Playground(kit, playground.Settings(dataset="espiral", layers=3, neurons=8, dropout=0.1,
                                                          lam=1e-3))
    play.toggle()
    return {
        "01 perceptrón (w1)": lambda i: to_png(perceptron.draw_view(perceptron.gate_view(
            perceptron_ref.perceptron_predict, "AND", -2 + 0.2 * i, -0.5, 0.1))),
        "02 XOR (capa oculta)": lambda i: to_png(xor.draw_spaces(
            network, *xor.hidden_layer(*(v + 0.1 * i for v in weights.values())))),
        "03 activación (α, β)": lambda i: to_png(activations.plot_activation(
            activations.NAMES[i % len(activations.NAMES)], activations_ref.FUNCTIONS, 0.01 * (i + 1), 0.5 + 0.1 * i)),
        "03 profundidad": lambda i: to_png(activations.plot_depth(activations_ref.FUNCTIONS, 1 + i)),
        "04 grafo paso a paso": lambda i: to_png(backprop.student_figure(1.0 + 0.1 * i, 2.0, i % backprop.N_STEPS,
                                                                         backprop_ref.graph_forward,
                                                                         backprop_ref.graph_backward)),
        "05 explorador SGD": lambda i: (explorer.update(10 ** (-3 + 0.1 * i), 10, optimizers[i % len(optimizers)]),
                                        to_png(explorer.fig)),
        "06 regularización (botón, reentrena)": lambda i: to_png(regularization.widget_update(
            kit, 10 ** (-5 + 0.2 * i), 0.05 * (i % 10), i % 3 * 10, split=split)[0]),
        "06 playground (redibujo)": lambda i: (play.step(), play.png()),
        "06 playground (tic: 5 épocas + redibujo)": lambda i: (play.tick(), play.png()),
        "07 navegador de imágenes": lambda i: to_png(fashion.draw_browser(
            images, labels, probs, probs.argmax(axis=1), i, ("todas", "solo errores")[i % 2])[0]),
    }


def measure(quick=False):
    updates = 3 if quick else UPDATES
    rows = []
    for name, update in widget_updates().items():
        update(0)  # first call pays imports and caches
        times = []
        for i in range(1, updates + 1):
            start = time.perf_counter()
            update(i)
            times.append(1000 * (time.perf_counter() - start))
        rows.append({"widget": name, "mediana (ms)": round(statistics.median(times)),
                     "máximo (ms)": round(max(times)),
                     "< 150 ms": "sí" if statistics.median(times) < 150 else "NO"})
    return rows, [f"{updates} actualizaciones por widget, backend Agg, PNG a 100 ppp"]
