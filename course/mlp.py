"""El bucle de entrenamiento por épocas de los cuadernos 05 y 06, armado con piezas que recibe.

`fit` no sabe calcular nada por sí mismo: la red (`forward`, `backward`, `one_hot`, `cross_entropy`) llega
como un módulo, p. ej. `red.py` de la carpeta del cuaderno, y el paso del optimizador, el recorrido en
mini-batches, la penalización, el dropout y la parada temprana son funciones que pasa el cuaderno (las
tuyas). Así cada idea está escrita una sola vez: aquí solo el orden de las operaciones.
"""

import itertools
from collections.abc import Callable, Iterable
from types import ModuleType

import numpy as np
from threadpoolctl import threadpool_limits

#: Mini-batches hasta este tamaño se entrenan con un solo hilo de BLAS (productos pequeños: más rápido así).
SINGLE_THREAD_BATCH = 64

Params = dict[str, np.ndarray]


def fit(net: ModuleType, params: Params, X: np.ndarray, y: np.ndarray,
        step: Callable[[Params, Params, dict], tuple[Params, dict]], *, epochs: int = 10,
        batches: Callable[[np.ndarray, np.ndarray], Iterable] | None = None, activation: str = "relu",
        validation: tuple[np.ndarray, np.ndarray] | None = None,
        penalty_grad: Callable[[Params], Params] | None = None,
        dropout: tuple[Callable, Callable] | None = None,
        early_stopping: tuple[Callable, int] | None = None,
        progress: Callable[[int, dict], None] | None = None) -> tuple[Params, dict]:
    """Entrena `params` con (X, y) y devuelve `(params, history)`; no modifica sus argumentos.

    - `step(params, grads, state) → (params, state)`: un paso del optimizador (`state` empieza en {}).
    - `batches(X, Y) → (X_lote, Y_lote), ...`: los mini-batches de una época (Y en one-hot); sin él, cada
      época es un único paso con todos los datos.
    - `penalty_grad(params) → grads`: se suma a los gradientes de `net.backward` (L2, L1).
    - `dropout = (adelante, atrás)`: `adelante(A) → (A_out, mask)` en cada capa oculta al entrenar y
      `atrás(dA, mask) → dA` en la retropropagación.
    - `early_stopping = (función, paciencia)`: con `función(pérdidas_val, paciencia) → (parada, mejor)`, se
      para cuando la época actual menos la mejor llega a la paciencia y se devuelven los pesos de la mejor
      época (`history["best_epoch"]`). Necesita `validation = (X_val, y_val)`.
    - `progress(época, history)` se llama al final de cada época.

    `history["loss"]` es la media de la entropía cruzada de los mini-batches de cada época (con los pesos de
    antes de su paso y con dropout, como `fit` de Keras); con validación, "val_loss" y "val_accuracy" se
    calculan al final de la época, sin dropout.
    """
    if early_stopping is not None and validation is None:
        raise ValueError("La parada temprana necesita datos de validación: validation=(X_val, y_val).")
    y = np.asarray(y).ravel()
    Y = net.one_hot(y, params[f"W{len(params) // 2}"].shape[1], dtype=X.dtype)
    drop_forward, drop_backward = dropout if dropout is not None else (None, None)
    state: dict = {}
    history: dict = {"loss": [], "val_loss": [], "val_accuracy": []}
    best = None  # (época, parámetros) de la mejor época de validación
    for epoch in range(epochs):
        epoch_batches = iter(batches(X, Y) if batches is not None else [(X, Y)])
        first = next(epoch_batches, None)
        small = first is not None and len(first[0]) <= SINGLE_THREAD_BATCH
        loss_sum, seen = 0.0, 0
        with threadpool_limits(limits=1 if small else None, user_api="blas"):
            for X_batch, Y_batch in itertools.chain([first] if first is not None else [], epoch_batches):
                probs, cache = net.forward(X_batch, params, activation, drop_forward)
                loss_sum += net.cross_entropy(probs, Y_batch) * len(X_batch)
                seen += len(X_batch)
                grads = net.backward(Y_batch, params, cache, drop_backward)
                if penalty_grad is not None:
                    extra = penalty_grad(params)
                    grads = {k: grads[k] + extra[k] for k in grads}
                params, state = step(params, grads, state)
        history["loss"].append(loss_sum / max(seen, 1))
        if validation is not None:
            val_probs = net.forward(validation[0], params, activation)[0]
            history["val_loss"].append(net.cross_entropy(val_probs, validation[1]))
            history["val_accuracy"].append(float(np.mean(val_probs.argmax(axis=1) == validation[1])))
        if progress is not None:
            progress(epoch, history)
        if early_stopping is not None:
            function, patience = early_stopping
            best_epoch = int(function(list(history["val_loss"]), patience)[1])
            if best_epoch == epoch:
                best = (epoch, {k: v.copy() for k, v in params.items()})
            if epoch - best_epoch >= patience:
                break
    if best is not None:
        history["best_epoch"], params = best
    return params, history
