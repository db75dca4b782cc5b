"""Wrong and alternative versions of the solution cells of 02_xor (XOR y el perceptrón multicapa)."""

_SIGMOID = "def sigmoid(z):\n"
_DENSE = "def dense_forward(X, W, b, activation):\n"
_XOR = "def xor_network(X, W1, b1, W2, b2):\n"
_COUNT = "def count_parameters(layer_sizes):\n"

WRONG = {
    "sigmoid": {
        # Overflow warning in exp(1000) at z = -1000 (caught by call_quietly).
        "naive_formula": _SIGMOID + "    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))\n",
        "wrong_sign_exp": _SIGMOID + "    return 1 / (1 + np.exp(np.asarray(z, dtype=float)))\n",
        # Looks stable, but np.where evaluates both branches: exp(±1000) still overflows.
        "where_both_branches_overflow": _SIGMOID + (
            "    z = np.asarray(z, dtype=float)\n"
            "    return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))\n"
        ),
        "stable_branches_swapped": _SIGMOID + (
            "    z = np.asarray(z, dtype=float)\n"
            "    e = np.exp(-np.abs(z))\n"
            "    return np.where(z >= 0, e / (1 + e), 1 / (1 + e))\n"
        ),
        "tanh_without_half": _SIGMOID + "    return (1 + np.tanh(np.asarray(z, dtype=float))) / 2\n",
        "hard_step": _SIGMOID + "    return np.where(np.asarray(z, dtype=float) >= 0, 1.0, 0.0)\n",
    },
    "dense_forward": {
        "forgotten_bias": _DENSE + "    return activation(np.asarray(X) @ np.asarray(W))\n",
        "W_transposed": _DENSE + "    return activation(np.asarray(X) @ np.asarray(W).T + b)\n",
        "activation_before_bias": _DENSE + "    return activation(np.asarray(X) @ np.asarray(W)) + b\n",
        "no_activation": _DENSE + "    return np.asarray(X) @ np.asarray(W) + b\n",
        "bias_subtracted": _DENSE + "    return activation(np.asarray(X) @ np.asarray(W) - b)\n",
    },
    "xor_network": {
        "no_output_sigmoid": _XOR + (
            "    H = dense_forward(X, W1, b1, sigmoid)\n"
            "    return (H @ W2 + b2)[:, 0]\n"
        ),
        "no_hidden_sigmoid": _XOR + (
            "    H = np.asarray(X) @ W1 + b1\n"
            "    return dense_forward(H, W2, b2, sigmoid)[:, 0]\n"
        ),
        # The seed's W1 is symmetric, so only the hidden tests can catch this one.
        "W1_transposed": _XOR + (
            "    H = dense_forward(X, np.asarray(W1).T, b1, sigmoid)\n"
            "    return dense_forward(H, W2, b2, sigmoid)[:, 0]\n"
        ),
        "biases_swapped": _XOR + (
            "    H = dense_forward(X, W1, b2, sigmoid)\n"
            "    return dense_forward(H, W2, b1, sigmoid)[:, 0]\n"
        ),
        "layers_swapped": _XOR + (
            "    H = dense_forward(X, W2, b2, sigmoid)\n"
            "    return dense_forward(H, W1, b1, sigmoid)[:, 0]\n"
        ),
        "returns_column_m_by_1": _XOR + (
            "    H = dense_forward(X, W1, b1, sigmoid)\n"
            "    return dense_forward(H, W2, b2, sigmoid)\n"
        ),
    },
    "count_parameters": {
        "forgotten_biases": _COUNT + (
            "    return sum(a * b for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))\n"
        ),
        "input_layer_biases_too": _COUNT + (
            "    return sum(a * b for a, b in zip(layer_sizes[:-1], layer_sizes[1:])) + sum(layer_sizes)\n"
        ),
        "bias_per_input_not_per_neuron": _COUNT + (
            "    return sum(a * b + a for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))\n"
        ),
        "last_layer_missing": _COUNT + (
            "    total = 0\n"
            "    for l in range(1, len(layer_sizes) - 1):\n"
            "        total += layer_sizes[l - 1] * layer_sizes[l] + layer_sizes[l]\n"
            "    return total\n"
        ),
        "returns_float": _COUNT + (
            "    return float(sum(a * b + b for a, b in zip(layer_sizes[:-1], layer_sizes[1:])))\n"
        ),
    },
}

ALTERNATIVE = {
    "sigmoid": {
        "tanh_identity": _SIGMOID + "    return (1 + np.tanh(np.asarray(z, dtype=float) / 2)) / 2\n",
        "clip_then_naive": _SIGMOID + (
            "    z = np.clip(np.asarray(z, dtype=float), -500, 500)\n"
            "    return 1 / (1 + np.exp(-z))\n"
        ),
        "boolean_masks": _SIGMOID + (
            "    z = np.asarray(z, dtype=float)\n"
            "    out = np.empty_like(z)\n"
            "    pos = z >= 0\n"
            "    out[pos] = 1 / (1 + np.exp(-z[pos]))\n"
            "    e = np.exp(z[~pos])\n"
            "    out[~pos] = e / (1 + e)\n"
            "    return out\n"
        ),
        "loop_with_math": "import math\n\n\n" + _SIGMOID + (
            "    z = np.asarray(z, dtype=float)\n"
            "    out = np.empty_like(z)\n"
            "    for index, v in np.ndenumerate(z):\n"
            "        out[index] = 1 / (1 + math.exp(-v)) if v >= 0 else math.exp(v) / (1 + math.exp(v))\n"
            "    return out\n"
        ),
    },
    "dense_forward": {
        "triple_loop": _DENSE + (
            "    m, n = np.shape(X)\n"
            "    k = np.shape(W)[1]\n"
            "    Z = np.zeros((m, k))\n"
            "    for i in range(m):\n"
            "        for j in range(k):\n"
            "            Z[i, j] = sum(X[i][t] * W[t][j] for t in range(n)) + b[j]\n"
            "    return activation(Z)\n"
        ),
        "row_by_row_list": _DENSE + "    return np.array([activation(np.dot(x, W) + b) for x in X])\n",
        "einsum": _DENSE + "    return activation(np.einsum('mn,nk->mk', X, W) + b)\n",
    },
    "xor_network": {
        "inline_tanh_sigmoid_ravel": _XOR + (
            "    s = lambda z: (1 + np.tanh(z / 2)) / 2\n"
            "    H = s(np.asarray(X) @ W1 + b1)\n"
            "    return s(H @ W2 + b2).ravel()\n"
        ),
        "loop_over_examples": _XOR + (
            "    out = []\n"
            "    for x in X:\n"
            "        h = sigmoid(x @ W1 + b1)\n"
            "        out.append(sigmoid(h @ W2 + b2)[0])\n"
            "    return np.array(out)\n"
        ),
        "reshape_minus_one": _XOR + (
            "    return dense_forward(dense_forward(X, W1, b1, sigmoid), W2, b2, sigmoid).reshape(-1)\n"
        ),
    },
    "count_parameters": {
        "index_loop": _COUNT + (
            "    total = 0\n"
            "    for l in range(1, len(layer_sizes)):\n"
            "        total += layer_sizes[l - 1] * layer_sizes[l] + layer_sizes[l]\n"
            "    return total\n"
        ),
        "numpy_int": _COUNT + (
            "    s = np.asarray(layer_sizes)\n"
            "    return np.sum((s[:-1] + 1) * s[1:])\n"
        ),
    },
}
