"""La red de los cuadernos 03–04, para entrenar en este cuaderno.

Es la red densa (MLP) del curso en NumPy, escrita por el equipo docente: las activaciones del cuaderno 03 y
la propagación hacia adelante y la retropropagación del cuaderno 04. No forma parte de los ejercicios de este
cuaderno; la importamos con `import red` para entrenar redes con tus optimizadores.

Notación del curso (vectores fila): `A0 = X`, `Z^l = A^{l-1} W^l + b^l`, `A^l = φ(Z^l)` y la salida es
softmax. Los parámetros son un diccionario `{"W1", "b1", "W2", "b2", ...}` con `W^l` de forma
(n_{l-1}, n_l) y `b^l` de forma (n_l,).
"""

import numpy as np


def sigmoid(z):
    """σ(z) = 1 / (1 + e^{-z}), estable para |z| grande."""
    z = np.asarray(z)
    ez = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + ez), ez / (1 + ez))


ACTIVATIONS = {
    # nombre: (φ(z), φ'(z) expresada con z y a = φ(z))
    "sigmoid": (sigmoid, lambda z, a: a * (1 - a)),
    "tanh": (np.tanh, lambda z, a: 1 - a * a),
    "relu": (lambda z: np.maximum(z, 0), lambda z, a: z > 0),  # booleano: al multiplicar queda el tipo de dA
}


def softmax(Z):
    """Softmax por filas, estable (resta el máximo): Z (m, k) → probabilidades (m, k)."""
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def one_hot(y, n_classes, dtype=np.float64):
    """Etiquetas enteras (m,) → matriz one-hot (m, n_classes) del tipo `dtype`."""
    y = np.asarray(y, dtype=int).ravel()
    Y = np.zeros((y.size, n_classes), dtype=dtype)
    Y[np.arange(y.size), y] = 1.0
    return Y


def cross_entropy(Y_hat, y):
    """Entropía cruzada media: Y_hat (m, k) probabilidades, y (m,) etiquetas enteras o (m, k) one-hot."""
    Y_hat, y = np.asarray(Y_hat), np.asarray(y)
    p = Y_hat[np.arange(len(y)), y.astype(int)] if y.ndim == 1 else (Y_hat * y).sum(axis=1)
    return float(-np.mean(np.log(np.maximum(p, 1e-12))))


def forward(X, params, activation="relu", dropout=None):
    """Propagación hacia adelante: devuelve `(Y_hat (m, k), cache)`.

    Capas ocultas con `activation` ("relu", "tanh" o "sigmoid"), salida softmax. Con `dropout`, una función
    `A → (A_out, mask)` (el dropout del cuaderno 06), se aplica a cada capa oculta y la máscara se guarda en
    `cache` para `backward`.
    """
    phi = ACTIVATIONS[activation][0]
    n_layers = len(params) // 2
    cache = {"A0": X, "activation": activation}
    A = X
    for l in range(1, n_layers + 1):
        Z = A @ params[f"W{l}"]
        Z += params[f"b{l}"].astype(Z.dtype, copy=False)  # en el mismo arreglo: sin otra copia de Z
        if l == n_layers:
            A = softmax(Z)
        else:
            A = phi(Z)
            cache[f"H{l}"] = A  # φ(Z) antes del dropout
            if dropout is not None:
                A, cache[f"M{l}"] = dropout(A)
        cache[f"Z{l}"], cache[f"A{l}"] = Z, A
    return A, cache


def backward(Y, params, cache, dropout_backward=None):
    """Retropropagación de softmax + entropía cruzada media; Y one-hot (m, k).

    `dropout_backward(dA, mask)` es la derivada del dropout usado en `forward` (si lo hubo). Devuelve
    `grads`, con las mismas claves y formas que `params`.
    """
    dphi = ACTIVATIONS[cache["activation"]][1]
    n_layers = len(params) // 2
    grads = {}
    delta = (cache[f"A{n_layers}"] - Y) / Y.shape[0]
    for l in range(n_layers, 0, -1):
        grads[f"W{l}"] = cache[f"A{l - 1}"].T @ delta
        grads[f"b{l}"] = delta.sum(axis=0)
        if l > 1:
            dA = delta @ params[f"W{l}"].T
            if f"M{l - 1}" in cache:
                dA = dropout_backward(dA, cache[f"M{l - 1}"])
            delta = dA * dphi(cache[f"Z{l - 1}"], cache[f"H{l - 1}"])
    return grads


def accuracy(params, X, y, activation="relu"):
    """Fracción de aciertos de la red sobre X (m, n) con etiquetas enteras y (m,)."""
    return float(np.mean(forward(X, params, activation)[0].argmax(axis=1) == np.asarray(y).ravel()))
