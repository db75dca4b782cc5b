"""La red densa (MLP) del curso en NumPy: inicialización, forward, backward, optimizadores y entrenamiento.

Notación del curso (vectores fila): `A0 = X`, `Z^l = A^{l-1} W^l + b^l`, `A^l = φ(Z^l)` y la salida es
softmax. Los parámetros son un diccionario `{"W1", "b1", "W2", "b2", ...}` con `W^l` de forma
(n_{l-1}, n_l) y `b^l` de forma (n_l,). El cuaderno 04 construye estas funciones a mano; los cuadernos
05 y 06 las reutilizan desde aquí.
"""

import numpy as np
from threadpoolctl import threadpool_limits


def sigmoid(z):
    """σ(z) = 1 / (1 + e^{-z}), estable para |z| grande (sin avisos de desbordamiento)."""
    z = np.asarray(z)
    ez = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + ez), ez / (1 + ez))


def relu(z):
    """ReLU(z) = max(0, z)."""
    return np.maximum(z, 0)


ACTIVATIONS = {
    # nombre: (φ(z), φ'(z) expresada con z y a = φ(z))
    "sigmoid": (sigmoid, lambda z, a: a * (1 - a)),
    "tanh": (np.tanh, lambda z, a: 1 - a * a),
    "relu": (relu, lambda z, a: z > 0),  # booleano: al multiplicar por dA queda en el tipo de dA
}


def softmax(Z):
    """Softmax por filas, estable (resta el máximo): Z (m, k) → probabilidades (m, k)."""
    shifted = Z - Z.max(axis=1, keepdims=True)
    E = np.exp(shifted)
    return E / E.sum(axis=1, keepdims=True)


def one_hot(y, n_classes, dtype=np.float64):
    """Etiquetas enteras (m,) → matriz one-hot (m, n_classes) del tipo `dtype`."""
    y = np.asarray(y, dtype=int).ravel()
    Y = np.zeros((y.size, n_classes), dtype=dtype)
    Y[np.arange(y.size), y] = 1.0
    return Y


def cross_entropy(Y_hat, Y):
    """Entropía cruzada media: Y_hat (m, k) probabilidades, Y (m, k) one-hot o (m,) enteros."""
    Y_hat = np.asarray(Y_hat)
    Y = np.asarray(Y)
    if Y.ndim == 1:
        p = Y_hat[np.arange(Y.size), Y.astype(int)]
    else:
        p = (Y_hat * Y).sum(axis=1)
    return float(-np.mean(np.log(np.maximum(p, 1e-12))))


def n_layers(params):
    """Número de capas densas de `params`."""
    return sum(1 for key in params if key.startswith("W"))


def he_init(layer_sizes, rng, dtype=np.float64):
    """Pesos de He (normal con desviación sqrt(2/n_entrada)) y sesgos cero para `layer_sizes`."""
    params = {}
    for l, (n_in, n_out) in enumerate(zip(layer_sizes[:-1], layer_sizes[1:]), start=1):
        params[f"W{l}"] = (rng.standard_normal((n_in, n_out)) * np.sqrt(2.0 / n_in)).astype(dtype)
        params[f"b{l}"] = np.zeros(n_out, dtype=dtype)
    return params


def _add_bias(Z, b):
    """Z + b sin crear otro arreglo cuando el tipo lo permite (la suma se hace sobre Z)."""
    b = np.asarray(b)
    if isinstance(Z, np.ndarray) and np.result_type(Z, b) == Z.dtype:
        Z += b
        return Z
    return Z + b


def forward(X, params, activation="sigmoid", dropout=0.0, rng=None):
    """Propagación hacia delante: devuelve `(Y_hat (m, k), cache)`.

    Capas ocultas con `activation`, salida softmax. Con `dropout > 0` (y un `rng`) aplica dropout
    invertido a las capas ocultas (solo al entrenar). `cache` guarda lo que necesita `backward`.
    """
    phi = ACTIVATIONS[activation][0]
    L = n_layers(params)
    cache = {"A0": X, "activation": activation}
    A = X
    for l in range(1, L + 1):
        Z = A @ params[f"W{l}"]
        Z = _add_bias(Z, params[f"b{l}"])
        if l == L:
            A = softmax(Z)
        else:
            A = phi(Z)
            if dropout > 0:
                mask = (rng.random(A.shape) >= dropout).astype(A.dtype) / (1 - dropout)
                cache[f"H{l}"], cache[f"M{l}"] = A, mask
                A = A * mask
        cache[f"Z{l}"], cache[f"A{l}"] = Z, A
    return A, cache


def backward(Y, params, cache):
    """Retropropagación para softmax + entropía cruzada media; Y one-hot (m, k).

    Devuelve `grads` con las mismas claves y formas que `params`.
    """
    dphi = ACTIVATIONS[cache["activation"]][1]
    L = n_layers(params)
    m = Y.shape[0]
    grads = {}
    delta = (cache[f"A{L}"] - Y) / m
    for l in range(L, 0, -1):
        grads[f"W{l}"] = cache[f"A{l - 1}"].T @ delta
        grads[f"b{l}"] = delta.sum(axis=0)
        if l > 1:
            dA = delta @ params[f"W{l}"].T
            if f"M{l - 1}" in cache:
                dA = dA * cache[f"M{l - 1}"]
            H = cache.get(f"H{l - 1}", cache[f"A{l - 1}"])  # φ(Z) antes de la máscara de dropout
            delta = dA * dphi(cache[f"Z{l - 1}"], H)
    return grads


def predict(params, X, activation="sigmoid"):
    """Clase más probable de cada fila de X."""
    return forward(X, params, activation)[0].argmax(axis=1)


def accuracy(params, X, y, activation="sigmoid"):
    """Fracción de aciertos sobre etiquetas enteras y (m,)."""
    return float(np.mean(predict(params, X, activation) == np.asarray(y).ravel()))


# --- Optimizadores: funciones puras que devuelven parámetros y estado nuevos ---------------------
# Los escalares (η, β, ε) se convierten al tipo de cada parámetro: un `np.float64` no convierte así
# una red float32 en float64 (NumPy 2 no "rebaja" los escalares de NumPy). Ningún argumento se modifica.

def _scalar(value, like):
    """`value` como escalar del tipo real de `like` (si `like` es un arreglo de reales)."""
    dtype = getattr(like, "dtype", None)
    return dtype.type(value) if dtype is not None and dtype.kind == "f" else value


def sgd_step(params, grads, lr):
    """θ ← θ − η ∇θ. Devuelve un diccionario nuevo."""
    new = {}
    for k in params:
        step = grads[k] * _scalar(-lr, params[k])  # −η∇θ (arreglo nuevo)
        step += params[k]
        new[k] = step
    return new


def momentum_step(params, grads, velocity, lr, beta=0.9):
    """v ← β v − η ∇θ; θ ← θ + v. `velocity` vacío = cero. Devuelve `(params, velocity)`."""
    new, new_velocity = {}, {}
    for k in params:
        v = grads[k] * _scalar(-lr, params[k])
        if k in velocity:
            v += velocity[k] * _scalar(beta, params[k])
        new_velocity[k] = v
        new[k] = params[k] + v
    return new, new_velocity


def adam_step(params, grads, state, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """Adam con corrección de sesgo; `state = {"t", "m", "v"}` (vacío al empezar).

    m ← β1 m + (1 − β1) ∇, v ← β2 v + (1 − β2) ∇², θ ← θ − η m̂ / (√v̂ + ε) con
    m̂ = m / (1 − β1^t), v̂ = v / (1 − β2^t). Devuelve `(params, state)`.
    """
    t = state.get("t", 0) + 1
    old_m, old_v = state.get("m", {}), state.get("v", {})
    new, m, v = {}, {}, {}
    for k in params:
        p, g = params[k], grads[k]
        b1, b2 = _scalar(beta1, p), _scalar(beta2, p)
        m[k] = g * _scalar(1 - beta1, p)
        v[k] = g * g * _scalar(1 - beta2, p)
        if k in old_m:
            m[k] += old_m[k] * b1
            v[k] += old_v[k] * b2
        denom = np.sqrt(v[k] * _scalar(1 / (1 - beta2 ** t), p))
        denom += _scalar(eps, p)
        step = m[k] * _scalar(-lr / (1 - beta1 ** t), p)
        step /= denom
        step += p
        new[k] = step
    return new, {"t": t, "m": m, "v": v}


def minibatches(n, batch_size, rng=None):
    """Índices de los mini-lotes de una época (barajados si hay `rng`); el último puede ser menor."""
    order = rng.permutation(n) if rng is not None else np.arange(n)
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]


#: Mini-batches up to this size train with a single BLAS thread (see `train`).
SINGLE_THREAD_BATCH = 64


def train(params, X, y, epochs=10, batch_size=32, lr=0.1, activation="relu", optimizer="sgd",
          l2=0.0, dropout=0.0, X_val=None, y_val=None, seed=0, progress=None, l1=0.0, patience=None):
    """Entrena con mini-lotes y devuelve `(params, history)`.

    y son etiquetas enteras (m,). `history` tiene listas por época: "loss" (entrenamiento: la media de
    la entropía cruzada de los mini-lotes de la época, cada uno con los pesos de antes de su paso y con
    el dropout aplicado, como `fit` de Keras; no cuesta otra pasada por los datos), y con datos de
    validación "val_loss" y "val_accuracy" (calculadas al final de la época, sin dropout). `l2` penaliza solo los pesos W (λΣw²)
    y `l1` también solo los W (λΣ|w|, subgradiente λ·signo(w)).
    `progress(epoch, history)` se llama al final de cada época (p. ej. una barra de progreso).
    Parada temprana con `patience` (necesita X_val): se para en la época `mejor + patience` si la
    pérdida de validación no baja estrictamente en ese tiempo, se devuelven los pesos de la mejor
    época (la primera si hay empates) y `history["best_epoch"]` guarda su número (desde 0).
    """
    if patience is not None and X_val is None:
        raise ValueError("La parada temprana (patience) necesita datos de validación X_val, y_val.")
    best = None  # (pérdida de validación, época, parámetros) de la mejor época hasta ahora
    rng = np.random.default_rng(seed)
    y = np.asarray(y).ravel()
    n_classes = params[f"W{n_layers(params)}"].shape[1]
    Y = one_hot(y, n_classes).astype(X.dtype)
    params = {k: np.array(v) for k, v in params.items()}  # our own copy: plain SGD updates it in place
    state = {}
    history = {"loss": [], "val_loss": [], "val_accuracy": []}
    for epoch in range(epochs):
        loss_sum = 0.0
        # Small mini-batch products run faster on one BLAS thread (no start-up cost per product, and no
        # collapse when other programs share the cores); the validation below keeps every thread.
        with threadpool_limits(limits=1 if batch_size <= SINGLE_THREAD_BATCH else None, user_api="blas"):
            for idx in minibatches(len(X), batch_size, rng):
                probs, cache = forward(X[idx], params, activation, dropout, rng)
                loss_sum += cross_entropy(probs, y[idx]) * len(idx)
                grads = backward(Y[idx], params, cache)
                if l2:
                    for key in params:
                        if key.startswith("W"):
                            grads[key] = grads[key] + 2 * l2 * params[key]
                if l1:
                    for key in params:
                        if key.startswith("W"):
                            grads[key] = grads[key] + l1 * np.sign(params[key])
                if optimizer == "adam":
                    params, state = adam_step(params, grads, state, lr)
                elif optimizer == "momentum":
                    params, state = momentum_step(params, grads, state, lr)
                else:  # sgd_step without new arrays: θ += (−η)∇θ
                    for key in params:
                        grads[key] *= _scalar(-lr, params[key])
                        params[key] += grads[key]
        history["loss"].append(loss_sum / len(X))
        if X_val is not None:
            val_probs = forward(X_val, params, activation)[0]
            history["val_loss"].append(cross_entropy(val_probs, y_val))
            history["val_accuracy"].append(float(np.mean(val_probs.argmax(axis=1) == y_val)))
        if progress is not None:
            progress(epoch, history)
        if patience is not None:
            if best is None or history["val_loss"][-1] < best[0]:
                best = (history["val_loss"][-1], epoch, {k: v.copy() for k, v in params.items()})
            elif epoch - best[1] >= patience:
                break
    if best is not None:
        params, history["best_epoch"] = best[2], best[1]
    return params, history
