"""La inicialización de He y el optimizador Adam del cuaderno 05, para entrenar en este cuaderno.

Escritos por el equipo docente; no forman parte de los ejercicios de este cuaderno. Junto con `red.py` (la
red de los cuadernos 03–04) bastan para entrenar la red del ejemplo con tus regularizadores.
"""

import numpy as np


def he_init(layer_sizes, rng):
    """Pesos normales de media 0 y desviación estándar √(2/n_entrada), sesgos cero, para `layer_sizes`."""
    params = {}
    for l in range(1, len(layer_sizes)):
        n_in, n_out = layer_sizes[l - 1], layer_sizes[l]
        params[f"W{l}"] = rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_in, n_out))
        params[f"b{l}"] = np.zeros(n_out)
    return params


def adam_step(params, grads, state, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """Un paso de Adam con corrección de sesgo; `state` es {} al empezar. Devuelve `(params, state)` nuevos."""
    t = state.get("t", 0) + 1
    first, second = state.get("m", {}), state.get("v", {})
    first = {k: beta1 * first.get(k, 0.0) + (1 - beta1) * grads[k] for k in params}
    second = {k: beta2 * second.get(k, 0.0) + (1 - beta2) * grads[k] ** 2 for k in params}
    new = {k: params[k] - lr * (first[k] / (1 - beta1 ** t)) / (np.sqrt(second[k] / (1 - beta2 ** t)) + eps)
           for k in params}
    return new, {"t": t, "m": first, "v": second}
