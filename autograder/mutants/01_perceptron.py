"""Wrong and alternative versions of the solution cells of 01_perceptron.

Documented choices the tests rely on (see the docstrings in the notebook): heaviside(0) = 1 and the
result is float; train_perceptron starts from zeros, draws each epoch's order with
`rng.permutation(m)` from ONE `np.random.default_rng(seed)` created before the loop, counts an
example as an error with the weights from before its own update, and stops after the first epoch
with 0 errors (that epoch stays in `errors`).
"""

_TRAIN_HEAD = "def train_perceptron(X, y, eta=0.1, epochs=20, seed=0):\n"

WRONG = {
    "heaviside": {
        "strict_inequality": "def heaviside(z):\n    return (np.asarray(z) > 0).astype(float)\n",
        "sign_instead_of_step": "def heaviside(z):\n    return np.sign(np.asarray(z, dtype=float))\n",
        "relu_instead_of_step": "def heaviside(z):\n    return np.maximum(np.asarray(z, dtype=float), 0.0)\n",
        "returns_booleans": "def heaviside(z):\n    return np.asarray(z) >= 0\n",
        "scalar_only_if": "def heaviside(z):\n    return 1.0 if z >= 0 else 0.0\n",
        "no_asarray_fails_on_numbers": "def heaviside(z):\n    return (z >= 0).astype(float)\n",
    },
    "perceptron_predict": {
        "forgotten_bias": "def perceptron_predict(X, w, b):\n    return heaviside(np.asarray(X) @ np.asarray(w))\n",
        "threshold_sign_bias_subtracted": (
            "def perceptron_predict(X, w, b):\n    return heaviside(np.asarray(X) @ np.asarray(w) - b)\n"),
        "transposed_W": (
            "def perceptron_predict(X, w, b):\n    return heaviside(np.asarray(X) @ np.asarray(w).T + b)\n"),
        "no_step_returns_z": "def perceptron_predict(X, w, b):\n    return np.asarray(X) @ np.asarray(w) + b\n",
        "inline_strict_inequality": (
            "def perceptron_predict(X, w, b):\n"
            "    return (np.asarray(X) @ np.asarray(w) + b > 0).astype(float)\n"),
    },
    "perceptron_update": {
        "wrong_sign": (
            "def perceptron_update(w, b, x, y, eta):\n"
            "    error = heaviside(x @ w + b) - y\n"
            "    return w + eta * error * x, b + eta * error\n"),
        "mutates_w_in_place": (
            "def perceptron_update(w, b, x, y, eta):\n"
            "    error = y - heaviside(x @ w + b)\n"
            "    w += eta * error * x\n"
            "    return w, b + eta * error\n"),
        "forgotten_eta": (
            "def perceptron_update(w, b, x, y, eta):\n"
            "    error = y - heaviside(x @ w + b)\n"
            "    return w + error * x, b + error\n"),
        "bias_not_updated": (
            "def perceptron_update(w, b, x, y, eta):\n"
            "    error = y - heaviside(x @ w + b)\n"
            "    return w + eta * error * x, b\n"),
        "uses_label_not_error": (
            "def perceptron_update(w, b, x, y, eta):\n"
            "    return w + eta * y * x, b + eta * y\n"),
        "strict_prediction": (
            "def perceptron_update(w, b, x, y, eta):\n"
            "    y_hat = 1.0 if x @ w + b > 0 else 0.0\n"
            "    return w + eta * (y - y_hat) * x, b + eta * (y - y_hat)\n"),
    },
    "train_perceptron": {
        "no_early_stop": (
            _TRAIN_HEAD +
            "    X = np.asarray(X, dtype=float); y = np.asarray(y, dtype=float)\n"
            "    rng = np.random.default_rng(seed)\n"
            "    w, b, errors = np.zeros(X.shape[1]), 0.0, []\n"
            "    for _ in range(epochs):\n"
            "        n_errors = 0\n"
            "        for i in rng.permutation(len(y)):\n"
            "            n_errors += int(heaviside(X[i] @ w + b) != y[i])\n"
            "            w, b = perceptron_update(w, b, X[i], y[i], eta)\n"
            "        errors.append(n_errors)\n"
            "    return w, b, errors\n"),
        "no_shuffle": (
            _TRAIN_HEAD +
            "    X = np.asarray(X, dtype=float); y = np.asarray(y, dtype=float)\n"
            "    w, b, errors = np.zeros(X.shape[1]), 0.0, []\n"
            "    for _ in range(epochs):\n"
            "        n_errors = 0\n"
            "        for i in range(len(y)):\n"
            "            n_errors += int(heaviside(X[i] @ w + b) != y[i])\n"
            "            w, b = perceptron_update(w, b, X[i], y[i], eta)\n"
            "        errors.append(n_errors)\n"
            "        if n_errors == 0:\n"
            "            break\n"
            "    return w, b, errors\n"),
        "new_generator_every_epoch": (
            _TRAIN_HEAD +
            "    X = np.asarray(X, dtype=float); y = np.asarray(y, dtype=float)\n"
            "    w, b, errors = np.zeros(X.shape[1]), 0.0, []\n"
            "    for _ in range(epochs):\n"
            "        rng = np.random.default_rng(seed)\n"
            "        n_errors = 0\n"
            "        for i in rng.permutation(len(y)):\n"
            "            n_errors += int(heaviside(X[i] @ w + b) != y[i])\n"
            "            w, b = perceptron_update(w, b, X[i], y[i], eta)\n"
            "        errors.append(n_errors)\n"
            "        if n_errors == 0:\n"
            "            break\n"
            "    return w, b, errors\n"),
        "errors_counted_after_the_epoch": (
            _TRAIN_HEAD +
            "    X = np.asarray(X, dtype=float); y = np.asarray(y, dtype=float)\n"
            "    rng = np.random.default_rng(seed)\n"
            "    w, b, errors = np.zeros(X.shape[1]), 0.0, []\n"
            "    for _ in range(epochs):\n"
            "        for i in rng.permutation(len(y)):\n"
            "            w, b = perceptron_update(w, b, X[i], y[i], eta)\n"
            "        n_errors = int(np.sum(perceptron_predict(X, w, b) != y))\n"
            "        errors.append(n_errors)\n"
            "        if n_errors == 0:\n"
            "            break\n"
            "    return w, b, errors\n"),
        "random_initial_weights": (
            _TRAIN_HEAD +
            "    X = np.asarray(X, dtype=float); y = np.asarray(y, dtype=float)\n"
            "    rng = np.random.default_rng(seed)\n"
            "    w, b, errors = rng.normal(scale=0.01, size=X.shape[1]), 0.0, []\n"
            "    for _ in range(epochs):\n"
            "        n_errors = 0\n"
            "        for i in rng.permutation(len(y)):\n"
            "            n_errors += int(heaviside(X[i] @ w + b) != y[i])\n"
            "            w, b = perceptron_update(w, b, X[i], y[i], eta)\n"
            "        errors.append(n_errors)\n"
            "        if n_errors == 0:\n"
            "            break\n"
            "    return w, b, errors\n"),
        "stops_before_recording_the_clean_epoch": (
            _TRAIN_HEAD +
            "    X = np.asarray(X, dtype=float); y = np.asarray(y, dtype=float)\n"
            "    rng = np.random.default_rng(seed)\n"
            "    w, b, errors = np.zeros(X.shape[1]), 0.0, []\n"
            "    for _ in range(epochs):\n"
            "        n_errors = 0\n"
            "        for i in rng.permutation(len(y)):\n"
            "            n_errors += int(heaviside(X[i] @ w + b) != y[i])\n"
            "            w, b = perceptron_update(w, b, X[i], y[i], eta)\n"
            "        if n_errors == 0:\n"
            "            break\n"
            "        errors.append(n_errors)\n"
            "    return w, b, errors\n"),
        "shuffles_X_in_place": (
            _TRAIN_HEAD +
            "    rng = np.random.default_rng(seed)\n"
            "    w, b, errors = np.zeros(X.shape[1]), 0.0, []\n"
            "    for _ in range(epochs):\n"
            "        order = rng.permutation(len(y))\n"
            "        X[:] = X[order]\n"
            "        y[:] = y[order]\n"
            "        n_errors = 0\n"
            "        for i in range(len(y)):\n"
            "            n_errors += int(heaviside(X[i] @ w + b) != y[i])\n"
            "            w, b = perceptron_update(w, b, X[i], y[i], eta)\n"
            "        errors.append(n_errors)\n"
            "        if n_errors == 0:\n"
            "            break\n"
            "    return w, b, errors\n"),
    },
}

ALTERNATIVE = {
    "heaviside": {
        "np_where": "def heaviside(z):\n    return np.where(np.asarray(z) >= 0, 1.0, 0.0)\n",
        "np_heaviside": "def heaviside(z):\n    return np.heaviside(z, 1.0)\n",
        "vectorized_python_if": (
            "def heaviside(z):\n"
            "    return np.vectorize(lambda t: 1.0 if t >= 0 else 0.0, otypes=[float])(z)\n"),
    },
    "perceptron_predict": {
        "where_ints_and_dot": (
            "def perceptron_predict(X, w, b):\n"
            "    return np.where(np.dot(X, w) + b >= 0, 1, 0)\n"),
        "loops_lists": (
            "def perceptron_predict(X, w, b):\n"
            "    W = np.asarray(w, dtype=float)\n"
            "    W2 = W.reshape(len(W), -1)\n"
            "    B = np.broadcast_to(np.asarray(b, dtype=float), (W2.shape[1],))\n"
            "    rows = [[float(sum(x[t] * W2[t, j] for t in range(len(x))) + B[j] >= 0)\n"
            "             for j in range(W2.shape[1])] for x in np.asarray(X, dtype=float)]\n"
            "    return rows if W.ndim == 2 else [r[0] for r in rows]\n"),
    },
    "perceptron_update": {
        "only_when_wrong_with_list": (
            "def perceptron_update(w, b, x, y, eta):\n"
            "    y_hat = 1 if np.dot(x, w) + b >= 0 else 0\n"
            "    if y_hat == y:\n"
            "        return np.array(w, dtype=float), b\n"
            "    sign = 1 if y == 1 else -1\n"
            "    return [wi + sign * eta * xi for wi, xi in zip(w, x)], b + sign * eta\n"),
        "uses_perceptron_predict": (
            "def perceptron_update(w, b, x, y, eta):\n"
            "    error = y - perceptron_predict(np.atleast_2d(x), w, b)[0]\n"
            "    return np.add(w, eta * error * np.asarray(x)), b + eta * error\n"),
    },
    "train_perceptron": {
        "shuffle_index_array_and_update_only_on_errors": (
            _TRAIN_HEAD +
            "    X = np.array(X, dtype=float); y = np.array(y, dtype=float)\n"
            "    m, n = X.shape\n"
            "    rng = np.random.default_rng(seed)\n"
            "    w = np.zeros(n)\n"
            "    b = 0.0\n"
            "    errors = []\n"
            "    for epoch in range(epochs):\n"
            "        idx = np.arange(m)\n"
            "        rng.shuffle(idx)\n"
            "        wrong = 0\n"
            "        for i in idx:\n"
            "            if perceptron_predict(X[i:i + 1], w, b)[0] != y[i]:\n"
            "                wrong += 1\n"
            "                w, b = perceptron_update(w, b, X[i], y[i], eta)\n"
            "        errors.append(wrong)\n"
            "        if wrong == 0:\n"
            "            break\n"
            "    return w, b, np.array(errors)\n"),
        "permuted_copies": (
            _TRAIN_HEAD +
            "    rng = np.random.default_rng(seed)\n"
            "    w, b, errors = np.zeros(np.shape(X)[1]), 0.0, []\n"
            "    while len(errors) < epochs:\n"
            "        order = rng.permutation(len(y))\n"
            "        Xs, ys = np.asarray(X, dtype=float)[order], np.asarray(y, dtype=float)[order]\n"
            "        count = 0\n"
            "        for x_i, y_i in zip(Xs, ys):\n"
            "            new_w, new_b = perceptron_update(w, b, x_i, y_i, eta)\n"
            "            count += int(new_b != b or np.any(new_w != w))\n"
            "            w, b = new_w, new_b\n"
            "        errors.append(count)\n"
            "        if not count:\n"
            "            break\n"
            "    return w, b, errors\n"),
    },
}
