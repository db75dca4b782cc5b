"""Wrong and alternative versions of the solution cells of 04_backprop.

Each value is the whole cell as a student could submit it. The notebook defines `phi(Z, activation)`
and `dphi(Z, activation)` (derivative evaluated at the pre-activation Z) in a helper cell before
`mlp_forward`; the cache layout is {"activation", "A0", "Z1", "A1", ..., "ZL", "AL"}.
"""

# --- graph_forward ------------------------------------------------------------------------------

_GF = "def graph_forward(a, b):\n"

GRAPH_FORWARD_WRONG = {
    "precedence_without_parentheses": _GF + (
        "    ab = a * b\n"
        "    return {'ab': ab, 'p': ab + 1, 'q': ab + 2, 'F': a * b + 1 * a * b + 2}\n"
    ),
    "sum_instead_of_product": _GF + (
        "    ab = a + b\n"
        "    return {'ab': ab, 'p': ab + 1, 'q': ab + 2, 'F': (ab + 1) * (ab + 2)}\n"
    ),
    "p_and_q_swapped": _GF + (
        "    ab = a * b\n"
        "    p, q = ab + 2, ab + 1\n"
        "    return {'ab': ab, 'p': p, 'q': q, 'F': p * q}\n"
    ),
    "inputs_in_the_dict": _GF + (
        "    ab = a * b\n"
        "    return {'a': a, 'b': b, 'ab': ab, 'p': ab + 1, 'q': ab + 2, 'F': (ab + 1) * (ab + 2)}\n"
    ),
}

GRAPH_FORWARD_ALTERNATIVE = {
    "expanded_polynomial_numpy_floats": _GF + (
        "    ab = np.float64(a) * np.float64(b)\n"
        "    return dict(ab=ab, p=ab + 1.0, q=ab + 2.0, F=ab ** 2 + 3 * ab + 2)\n"
    ),
}

# --- graph_backward -----------------------------------------------------------------------------

_GB = "def graph_backward(a, b):\n"

GRAPH_BACKWARD_WRONG = {
    "only_one_path_through_ab": _GB + (
        "    nodes = graph_forward(a, b)\n"
        "    dF_dab = nodes['q']\n"
        "    return dF_dab * b, dF_dab * a\n"
    ),
    "paths_multiplied_not_added": _GB + (
        "    nodes = graph_forward(a, b)\n"
        "    dF_dab = nodes['q'] * nodes['p']\n"
        "    return dF_dab * b, dF_dab * a\n"
    ),
    "outputs_swapped": _GB + (
        "    nodes = graph_forward(a, b)\n"
        "    dF_dab = nodes['q'] + nodes['p']\n"
        "    return dF_dab * a, dF_dab * b\n"
    ),
    "forgot_local_derivative_of_ab": _GB + (
        "    nodes = graph_forward(a, b)\n"
        "    dF_dab = nodes['q'] + nodes['p']\n"
        "    return dF_dab, dF_dab\n"
    ),
}

GRAPH_BACKWARD_ALTERNATIVE = {
    "derivative_of_expanded_polynomial": _GB + (
        "    # F = (ab)^2 + 3ab + 2\n"
        "    return 2 * a * b * b + 3 * b, 2 * a * b * a + 3 * a\n"
    ),
    "list_return": _GB + (
        "    ab = a * b\n"
        "    grad_ab = (ab + 2) + (ab + 1)\n"
        "    return [grad_ab * b, grad_ab * a]\n"
    ),
}

# --- numerical_gradient -------------------------------------------------------------------------

_NG = "def numerical_gradient(f, x, eps=1e-5):\n"

NUMERICAL_GRADIENT_WRONG = {
    "forward_difference": _NG + (
        "    x = np.array(x, dtype=float)\n"
        "    grad = np.zeros_like(x)\n"
        "    f0 = f(x)\n"
        "    for i in np.ndindex(x.shape):\n"
        "        old = x[i]\n"
        "        x[i] = old + eps\n"
        "        grad[i] = (f(x) - f0) / eps\n"
        "        x[i] = old\n"
        "    return grad\n"
    ),
    "mutates_x_without_restoring": _NG + (
        "    grad = np.zeros_like(x)\n"
        "    for i in np.ndindex(x.shape):\n"
        "        x[i] += eps\n"
        "        f_plus = f(x)\n"
        "        x[i] -= 2 * eps\n"
        "        f_minus = f(x)\n"
        "        grad[i] = (f_plus - f_minus) / (2 * eps)\n"
        "    return grad\n"
    ),
    "divides_by_eps_not_2eps": _NG + (
        "    x = np.array(x, dtype=float)\n"
        "    grad = np.zeros_like(x)\n"
        "    for i in np.ndindex(x.shape):\n"
        "        e = np.zeros_like(x)\n"
        "        e[i] = eps\n"
        "        grad[i] = (f(x + e) - f(x - e)) / eps\n"
        "    return grad\n"
    ),
    "ignores_eps_argument": _NG + (
        "    h = 1e-5\n"
        "    x = np.array(x, dtype=float)\n"
        "    grad = np.zeros_like(x)\n"
        "    for i in np.ndindex(x.shape):\n"
        "        e = np.zeros_like(x)\n"
        "        e[i] = h\n"
        "        grad[i] = (f(x + e) - f(x - e)) / (2 * h)\n"
        "    return grad\n"
    ),
    "flattens_x_for_f": _NG + (
        "    flat = np.array(x, dtype=float).ravel()\n"
        "    grad = np.zeros_like(flat)\n"
        "    for i in range(flat.size):\n"
        "        e = np.zeros_like(flat)\n"
        "        e[i] = eps\n"
        "        grad[i] = (f(flat + e) - f(flat - e)) / (2 * eps)\n"
        "    return grad.reshape(np.shape(x))\n"
    ),
}

NUMERICAL_GRADIENT_ALTERNATIVE = {
    "in_place_with_restore_nditer": _NG + (
        "    grad = np.zeros(np.shape(x))\n"
        "    it = np.nditer(x, flags=['multi_index'], op_flags=['readwrite'])\n"
        "    while not it.finished:\n"
        "        i = it.multi_index\n"
        "        old = x[i]\n"
        "        x[i] = old + eps\n"
        "        f_plus = f(x)\n"
        "        x[i] = old - eps\n"
        "        f_minus = f(x)\n"
        "        x[i] = old\n"
        "        grad[i] = (f_plus - f_minus) / (2 * eps)\n"
        "        it.iternext()\n"
        "    return grad\n"
    ),
    "flat_index_with_copies": _NG + (
        "    x = np.asarray(x, dtype=float)\n"
        "    grad = np.empty(x.size)\n"
        "    for k in range(x.size):\n"
        "        up = x.copy().ravel()\n"
        "        down = x.copy().ravel()\n"
        "        up[k] += eps\n"
        "        down[k] -= eps\n"
        "        grad[k] = (f(up.reshape(x.shape)) - f(down.reshape(x.shape))) / (2 * eps)\n"
        "    return grad.reshape(x.shape)\n"
    ),
}

# --- relative_error -----------------------------------------------------------------------------

_RE = "def relative_error(a, b):\n"

RELATIVE_ERROR_WRONG = {
    "no_safe_denominator": _RE + (
        "    a = np.asarray(a, dtype=float)\n"
        "    b = np.asarray(b, dtype=float)\n"
        "    return float(np.max(np.abs(a - b) / (np.abs(a) + np.abs(b))))\n"
    ),
    "mean_instead_of_max": _RE + (
        "    a = np.asarray(a, dtype=float)\n"
        "    b = np.asarray(b, dtype=float)\n"
        "    return float(np.mean(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-12)))\n"
    ),
    "no_abs_in_denominator": _RE + (
        "    a = np.asarray(a, dtype=float)\n"
        "    b = np.asarray(b, dtype=float)\n"
        "    return float(np.max(np.abs(a - b) / np.maximum(a + b, 1e-12)))\n"
    ),
    "max_instead_of_sum_in_denominator": _RE + (
        "    a = np.asarray(a, dtype=float)\n"
        "    b = np.asarray(b, dtype=float)\n"
        "    return float(np.max(np.abs(a - b) / np.maximum(np.maximum(np.abs(a), np.abs(b)), 1e-12)))\n"
    ),
    "signed_difference": _RE + (
        "    a = np.asarray(a, dtype=float)\n"
        "    b = np.asarray(b, dtype=float)\n"
        "    return float(np.max((a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-12)))\n"
    ),
}

RELATIVE_ERROR_ALTERNATIVE = {
    "python_loop": _RE + (
        "    pairs = zip(np.ravel(a), np.ravel(b))\n"
        "    return max(abs(u - v) / max(abs(u) + abs(v), 1e-12) for u, v in pairs)\n"
    ),
    "divide_where_nonzero": _RE + (
        "    a = np.asarray(a, dtype=float)\n"
        "    b = np.asarray(b, dtype=float)\n"
        "    num = np.abs(a - b)\n"
        "    den = np.abs(a) + np.abs(b)\n"
        "    ratio = np.divide(num, den, out=np.zeros_like(num), where=den > 0)\n"
        "    return ratio.max()\n"
    ),
}

# --- mlp_forward --------------------------------------------------------------------------------

_MF = 'def mlp_forward(X, params, activation="sigmoid"):\n'
_MF_LOOP_HEAD = (
    "    L = len(params) // 2\n"
    "    cache = {'activation': activation, 'A0': X}\n"
    "    A = X\n"
    "    for l in range(1, L + 1):\n"
)
_STABLE_SOFTMAX = (
    "            E = np.exp(Z - Z.max(axis=1, keepdims=True))\n"
    "            A = E / E.sum(axis=1, keepdims=True)\n"
)


def _forward(linear="        Z = A @ params[f'W{l}'] + params[f'b{l}']\n",
             hidden="            A = phi(Z, activation)\n", output=_STABLE_SOFTMAX,
             store="        cache[f'Z{l}'] = Z\n        cache[f'A{l}'] = A\n"):
    return (_MF + _MF_LOOP_HEAD + linear + "        if l < L:\n" + hidden + "        else:\n" + output
            + store + "    return A, cache\n")


MLP_FORWARD_WRONG = {
    "forgot_bias": _forward(linear="        Z = A @ params[f'W{l}']\n"),
    "softmax_without_max_subtraction": _forward(output=(
        "            E = np.exp(Z)\n"
        "            A = E / E.sum(axis=1, keepdims=True)\n")),
    "sigmoid_output_instead_of_softmax": _forward(output="            A = sigmoid(Z)\n"),
    "ignores_activation_argument": _forward(hidden="            A = sigmoid(Z)\n"),
    "activation_also_before_softmax": _forward(output=(
        "            Z = phi(Z, activation)\n" + _STABLE_SOFTMAX)),
    "softmax_over_columns": _forward(output=(
        "            E = np.exp(Z - Z.max(axis=0, keepdims=True))\n"
        "            A = E / E.sum(axis=0, keepdims=True)\n")),
    "cache_keeps_pre_activation_as_A": _forward(store=(
        "        cache[f'Z{l}'] = Z\n"
        "        cache[f'A{l}'] = Z if l < L else A\n")),
}

MLP_FORWARD_ALTERNATIVE = {
    "loop_over_examples_logsumexp": _MF + (
        "    L = sum(1 for key in params if key.startswith('W'))\n"
        "    X = np.asarray(X, dtype=float)\n"
        "    cache = {'activation': activation, 'A0': X}\n"
        "    rows = list(X)\n"
        "    for l in range(1, L + 1):\n"
        "        W, b = params['W' + str(l)], params['b' + str(l)]\n"
        "        Zs = [row @ W + b for row in rows]\n"
        "        if l < L:\n"
        "            rows = [phi(z, activation) for z in Zs]\n"
        "        else:\n"
        "            rows = []\n"
        "            for z in Zs:\n"
        "                top = z.max()\n"
        "                log_norm = top + np.log(np.sum(np.exp(z - top)))\n"
        "                rows.append(np.exp(z - log_norm))\n"
        "        cache['Z' + str(l)] = np.array(Zs)\n"
        "        cache['A' + str(l)] = np.array(rows)\n"
        "    return cache['A' + str(L)], cache\n"
    ),
    "extra_cache_keys": _forward(store=(
        "        cache[f'Z{l}'] = Z\n"
        "        cache[f'A{l}'] = A\n"
        "        cache[f'shape{l}'] = Z.shape\n")),
}

# --- mlp_backward -------------------------------------------------------------------------------

_MB = "def mlp_backward(Y, params, cache):\n"


def _backward(start="    delta = (cache[f'A{L}'] - Y) / m\n",
              weight="        grads[f'W{l}'] = cache[f'A{l - 1}'].T @ delta\n",
              bias="        grads[f'b{l}'] = delta.sum(axis=0)\n",
              propagate=("            delta = (delta @ params[f'W{l}'].T) * "
                         "dphi(cache[f'Z{l - 1}'], cache['activation'])\n")):
    return (_MB + "    L = len(params) // 2\n    m = Y.shape[0]\n    grads = {}\n" + start
            + "    for l in range(L, 0, -1):\n" + weight + bias + "        if l > 1:\n" + propagate
            + "    return grads\n")


MLP_BACKWARD_WRONG = {
    "missing_1_over_m": _backward(start="    delta = cache[f'A{L}'] - Y\n"),
    "delta_without_activation_derivative": _backward(
        propagate="            delta = delta @ params[f'W{l}'].T\n"),
    "derivative_evaluated_at_A_not_Z": _backward(propagate=(
        "            delta = (delta @ params[f'W{l}'].T) * dphi(cache[f'A{l - 1}'], cache['activation'])\n")),
    "sigmoid_derivative_formula_applied_to_Z": _backward(propagate=(
        "            Z = cache[f'Z{l - 1}']\n"
        "            delta = (delta @ params[f'W{l}'].T) * (Z * (1 - Z))\n")),
    "W_not_transposed": _backward(propagate=(
        "            delta = (delta @ params[f'W{l}']) * dphi(cache[f'Z{l - 1}'], cache['activation'])\n")),
    "bias_mean_instead_of_sum": _backward(bias="        grads[f'b{l}'] = delta.mean(axis=0)\n"),
    "bias_not_summed_over_batch": _backward(bias="        grads[f'b{l}'] = delta\n"),
    "uses_A_of_same_layer": _backward(weight="        grads[f'W{l}'] = cache[f'A{l}'].T @ delta\n"),
    "wrong_sign_of_delta": _backward(start="    delta = (Y - cache[f'A{L}']) / m\n"),
}

MLP_BACKWARD_ALTERNATIVE = {
    "loop_over_examples": _MB + (
        "    L = len(params) // 2\n"
        "    m = len(Y)\n"
        "    act = cache['activation']\n"
        "    grads = {k: np.zeros(np.shape(v)) for k, v in params.items()}\n"
        "    for i in range(m):\n"
        "        d = (cache['A' + str(L)][i] - Y[i]) / m\n"
        "        for l in range(L, 0, -1):\n"
        "            grads['W' + str(l)] += np.outer(cache['A' + str(l - 1)][i], d)\n"
        "            grads['b' + str(l)] += d\n"
        "            if l > 1:\n"
        "                d = (params['W' + str(l)] @ d) * dphi(cache['Z' + str(l - 1)][i], act)\n"
        "    return grads\n"
    ),
    "sigmoid_derivative_from_cached_A_and_add_reduce": _MB + (
        "    L = len(params) // 2\n"
        "    m = Y.shape[0]\n"
        "    act = cache['activation']\n"
        "    grads = {}\n"
        "    delta = (cache[f'A{L}'] - Y) / m\n"
        "    for l in range(L, 0, -1):\n"
        "        grads[f'W{l}'] = np.dot(cache[f'A{l - 1}'].T, delta)\n"
        "        grads[f'b{l}'] = np.add.reduce(delta, axis=0)\n"
        "        if l > 1:\n"
        "            A_prev = cache[f'A{l - 1}']\n"
        "            if act == 'sigmoid':\n"
        "                local = A_prev * (1 - A_prev)      # σ'(z) = a(1 − a) con a = σ(z)\n"
        "            elif act == 'tanh':\n"
        "                local = 1 - A_prev ** 2\n"
        "            else:\n"
        "                local = (cache[f'Z{l - 1}'] > 0) * 1.0\n"
        "            delta = np.dot(delta, params[f'W{l}'].T) * local\n"
        "    return grads\n"
    ),
}

# --- binary_cross_entropy -------------------------------------------------------------------------

_BCE = "def binary_cross_entropy(y_hat, y):\n"
_CLIP = "    y_hat = np.clip(np.asarray(y_hat, dtype=float), 1e-12, 1 - 1e-12)\n    y = np.asarray(y, dtype=float)\n"

BINARY_CROSS_ENTROPY_WRONG = {
    "missing_minus": _BCE + _CLIP + "    return float(np.mean(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat)))\n",
    "sum_instead_of_mean": _BCE + _CLIP + "    return float(-np.sum(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat)))\n",
    "only_positive_term": _BCE + _CLIP + "    return float(-np.mean(y * np.log(y_hat)))\n",
    "negative_term_uses_log_y_hat": _BCE + _CLIP + (
        "    return float(-np.mean(y * np.log(y_hat) + (1 - y) * np.log(y_hat)))\n"),
    "no_clipping": _BCE + (
        "    y_hat = np.asarray(y_hat, dtype=float)\n"
        "    return float(-np.mean(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat)))\n"),
}

BINARY_CROSS_ENTROPY_ALTERNATIVE = {
    "where_and_minimum": _BCE + (
        "    y_hat = np.asarray(y_hat, dtype=float)\n"
        "    p = np.where(np.asarray(y) == 1, y_hat, 1 - y_hat)\n"
        "    return float(np.mean(-np.log(np.minimum(np.maximum(p, 1e-12), 1 - 1e-12))))\n"),
    "loop": _BCE + (
        "    total = 0.0\n"
        "    for p, label in zip(y_hat, y):\n"
        "        p = min(max(float(p), 1e-12), 1 - 1e-12)\n"
        "        total += -np.log(p) if label == 1 else -np.log(1 - p)\n"
        "    return float(total / len(y))\n"),
}

# --- binary_cross_entropy_grad --------------------------------------------------------------------

_BCEG = "def binary_cross_entropy_grad(z, y):\n"
_Y = "    y = np.asarray(y, dtype=float)\n"

BINARY_CROSS_ENTROPY_GRAD_WRONG = {
    "missing_1_over_m": _BCEG + _Y + "    return sigmoid(z) - y\n",
    "y_minus_sigma": _BCEG + _Y + "    return (y - sigmoid(z)) / y.shape[0]\n",
    "times_sigmoid_derivative": _BCEG + _Y + (
        "    s = sigmoid(z)\n"
        "    return (s - y) * s * (1 - s) / y.shape[0]\n"),
    "z_instead_of_sigma": _BCEG + _Y + "    return (np.asarray(z, dtype=float) - y) / y.shape[0]\n",
    "through_dl_dyhat_unstable": _BCEG + _Y + (
        "    s = sigmoid(z)\n"
        "    return (-y / s + (1 - y) / (1 - s)) * s * (1 - s) / y.shape[0]\n"),
}

BINARY_CROSS_ENTROPY_GRAD_ALTERNATIVE = {
    "logaddexp_sigmoid": _BCEG + (
        "    z = np.asarray(z, dtype=float)\n"
        "    return (np.exp(-np.logaddexp(0.0, -z)) - np.asarray(y)) / len(z)\n"),
    "tanh_form": _BCEG + (
        "    z = np.asarray(z, dtype=float)\n"
        "    return (0.5 * (1 + np.tanh(z / 2)) - y) / z.size\n"),
}

WRONG = {
    "graph_forward": GRAPH_FORWARD_WRONG,
    "graph_backward": GRAPH_BACKWARD_WRONG,
    "numerical_gradient": NUMERICAL_GRADIENT_WRONG,
    "relative_error": RELATIVE_ERROR_WRONG,
    "mlp_forward": MLP_FORWARD_WRONG,
    "mlp_backward": MLP_BACKWARD_WRONG,
    "binary_cross_entropy": BINARY_CROSS_ENTROPY_WRONG,
    "binary_cross_entropy_grad": BINARY_CROSS_ENTROPY_GRAD_WRONG,
}

ALTERNATIVE = {
    "graph_forward": GRAPH_FORWARD_ALTERNATIVE,
    "graph_backward": GRAPH_BACKWARD_ALTERNATIVE,
    "numerical_gradient": NUMERICAL_GRADIENT_ALTERNATIVE,
    "relative_error": RELATIVE_ERROR_ALTERNATIVE,
    "mlp_forward": MLP_FORWARD_ALTERNATIVE,
    "mlp_backward": MLP_BACKWARD_ALTERNATIVE,
    "binary_cross_entropy": BINARY_CROSS_ENTROPY_ALTERNATIVE,
    "binary_cross_entropy_grad": BINARY_CROSS_ENTROPY_GRAD_ALTERNATIVE,
}
