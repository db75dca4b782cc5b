"""Wrong and alternative versions of the solution cells of 03_activaciones.

Wrong versions are mistakes students make with activations: overflow in a naive formula (often
hidden behind `np.where`, which evaluates both branches), the function instead of its derivative,
a parameter ignored, the wrong axis, a modified input, an approximation where the exact form is
asked for. Alternatives are other correct (and stable) ways to write the same function.
"""


def cell(*lines):
    """The text of a solution cell from its lines."""
    return "\n".join(lines) + "\n"


WRONG = {
    "sigmoid": {
        "naive_overflow": cell(
            "def sigmoid(z):",
            "    return 1.0 / (1.0 + np.exp(-z))",
        ),
        "where_evaluates_both_branches": cell(
            "def sigmoid(z):",
            "    z = np.asarray(z, dtype=float)",
            "    return np.where(z >= 0, 1.0 / (1.0 + np.exp(-z)), np.exp(z) / (1.0 + np.exp(z)))",
        ),
        "sign_error": cell(
            "def sigmoid(z):",
            "    e = np.exp(-np.abs(z))",
            "    return np.where(z >= 0, e / (1.0 + e), 1.0 / (1.0 + e))",
        ),
        "tanh_without_half": cell(
            "def sigmoid(z):",
            "    return 0.5 * (1.0 + np.tanh(z))",
        ),
    },
    "sigmoid_grad": {
        "returns_sigmoid": cell(
            "def sigmoid_grad(z):",
            "    return sigmoid(z)",
        ),
        "formula_applied_to_z": cell(
            "def sigmoid_grad(z):",
            "    return z * (1.0 - z)",
        ),
        "plus_instead_of_minus": cell(
            "def sigmoid_grad(z):",
            "    s = sigmoid(z)",
            "    return s * (1.0 + s)",
        ),
        "naive_overflow": cell(
            "def sigmoid_grad(z):",
            "    return np.exp(-z) / (1.0 + np.exp(-z)) ** 2",
        ),
    },
    "tanh": {
        "naive_overflow": cell(
            "def tanh(z):",
            "    return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))",
        ),
        "sigmoid_without_2z": cell(
            "def tanh(z):",
            "    return 2.0 * sigmoid(z) - 1.0",
        ),
        "one_sided_exp": cell(
            "def tanh(z):",
            "    e = np.exp(-2.0 * np.asarray(z, dtype=float))",
            "    return (1.0 - e) / (1.0 + e)",
        ),
        "range_zero_one": cell(
            "def tanh(z):",
            "    return (np.tanh(z) + 1.0) / 2.0",
        ),
    },
    "tanh_grad": {
        "formula_applied_to_z": cell(
            "def tanh_grad(z):",
            "    return 1.0 - z ** 2",
        ),
        "square_forgotten": cell(
            "def tanh_grad(z):",
            "    return 1.0 - tanh(z)",
        ),
        "sech_overflow": cell(
            "def tanh_grad(z):",
            "    return 1.0 / np.cosh(z) ** 2",
        ),
        "plus_instead_of_minus": cell(
            "def tanh_grad(z):",
            "    return 1.0 + tanh(z) ** 2",
        ),
    },
    "relu": {
        "np_max_reduces": cell(
            "def relu(z):",
            "    return np.max(z, 0)",
        ),
        "python_max": cell(
            "def relu(z):",
            "    return max(0.0, z)",
        ),
        "modifies_input": cell(
            "def relu(z):",
            "    z[z < 0] = 0.0",
            "    return z",
        ),
        "leaky_instead": cell(
            "def relu(z):",
            "    return np.maximum(z, 0.01 * z)",
        ),
    },
    "relu_grad": {
        "returns_relu": cell(
            "def relu_grad(z):",
            "    return np.maximum(z, 0.0)",
        ),
        "one_at_zero": cell(
            "def relu_grad(z):",
            "    return (np.asarray(z) >= 0).astype(float)",
        ),
        "sign": cell(
            "def relu_grad(z):",
            "    return np.sign(z)",
        ),
    },
    "leaky_relu": {
        "alpha_ignored": cell(
            "def leaky_relu(z, alpha=0.01):",
            "    return np.where(z > 0, z, 0.01 * z)",
        ),
        "constant_alpha": cell(
            "def leaky_relu(z, alpha=0.01):",
            "    return np.where(z > 0, z, alpha)",
        ),
        "swapped_branches": cell(
            "def leaky_relu(z, alpha=0.01):",
            "    return np.where(z > 0, alpha * z, z)",
        ),
        "relu_plus_alpha_z": cell(
            "def leaky_relu(z, alpha=0.01):",
            "    return np.maximum(z, 0.0) + alpha * z",
        ),
    },
    "leaky_relu_grad": {
        "alpha_ignored": cell(
            "def leaky_relu_grad(z, alpha=0.01):",
            "    return np.where(np.asarray(z) > 0, 1.0, 0.01)",
        ),
        "zero_for_negatives": cell(
            "def leaky_relu_grad(z, alpha=0.01):",
            "    return (np.asarray(z) > 0).astype(float)",
        ),
        "returns_function": cell(
            "def leaky_relu_grad(z, alpha=0.01):",
            "    return np.where(z > 0, z, alpha * z)",
        ),
        "alpha_times_z": cell(
            "def leaky_relu_grad(z, alpha=0.01):",
            "    return np.where(z > 0, 1.0, alpha * z)",
        ),
    },
    "elu": {
        "where_overflow": cell(
            "def elu(z, alpha=1.0):",
            "    return np.where(z > 0, z, alpha * (np.exp(z) - 1.0))",
        ),
        "minus_one_forgotten": cell(
            "def elu(z, alpha=1.0):",
            "    return np.where(z > 0, z, alpha * np.exp(np.minimum(z, 0.0)))",
        ),
        "alpha_ignored": cell(
            "def elu(z, alpha=1.0):",
            "    return np.where(z > 0, z, np.exp(np.minimum(z, 0.0)) - 1.0)",
        ),
        "exp_of_minus_z": cell(
            "def elu(z, alpha=1.0):",
            "    return np.where(z > 0, z, alpha * (np.exp(-np.maximum(z, -700.0)) - 1.0))",
        ),
    },
    "elu_grad": {
        "where_overflow": cell(
            "def elu_grad(z, alpha=1.0):",
            "    return np.where(z > 0, 1.0, alpha * np.exp(z))",
        ),
        "alpha_ignored": cell(
            "def elu_grad(z, alpha=1.0):",
            "    return np.where(z > 0, 1.0, np.exp(np.minimum(z, 0.0)))",
        ),
        "minus_one_kept": cell(
            "def elu_grad(z, alpha=1.0):",
            "    return np.where(z > 0, 1.0, alpha * (np.exp(np.minimum(z, 0.0)) - 1.0))",
        ),
        "one_at_zero": cell(
            "def elu_grad(z, alpha=1.0):",
            "    return np.where(z >= 0, 1.0, alpha * np.exp(np.minimum(z, 0.0)))",
        ),
    },
    "swish": {
        "beta_ignored": cell(
            "def swish(z, beta=1.0):",
            "    return z * sigmoid(z)",
        ),
        "naive_overflow": cell(
            "def swish(z, beta=1.0):",
            "    return z / (1.0 + np.exp(-beta * z))",
        ),
        "z_factor_forgotten": cell(
            "def swish(z, beta=1.0):",
            "    return sigmoid(beta * z)",
        ),
        "beta_outside": cell(
            "def swish(z, beta=1.0):",
            "    return beta * z * sigmoid(z)",
        ),
    },
    "gelu": {
        "tanh_approximation": cell(
            "def gelu(z):",
            "    z = np.asarray(z, dtype=float)",
            "    return 0.5 * z * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (z + 0.044715 * z ** 3)))",
        ),
        "sigmoid_approximation": cell(
            "def gelu(z):",
            "    return z * sigmoid(1.702 * np.asarray(z, dtype=float))",
        ),
        "sqrt2_forgotten": cell(
            "def gelu(z):",
            "    erf = np.vectorize(math.erf, otypes=[float])",
            "    return 0.5 * z * (1.0 + erf(z))",
        ),
        "z_factor_forgotten": cell(
            "def gelu(z):",
            "    erf = np.vectorize(math.erf, otypes=[float])",
            "    return 0.5 * (1.0 + erf(z / math.sqrt(2.0)))",
        ),
    },
    "softmax": {
        "no_max_subtraction": cell(
            "def softmax(Z, axis=-1):",
            "    E = np.exp(Z)",
            "    return E / E.sum(axis=axis, keepdims=True)",
        ),
        "axis_argument_ignored": cell(
            "def softmax(Z, axis=-1):",
            "    E = np.exp(Z - Z.max(axis=-1, keepdims=True))",
            "    return E / E.sum(axis=-1, keepdims=True)",
        ),
        "normalised_over_axis_0": cell(
            "def softmax(Z, axis=-1):",
            "    E = np.exp(Z - Z.max(axis=axis, keepdims=True))",
            "    return E / E.sum(axis=0, keepdims=True)",
        ),
        "global_max": cell(
            "def softmax(Z, axis=-1):",
            "    E = np.exp(Z - np.max(Z))",
            "    return E / E.sum(axis=axis, keepdims=True)",
        ),
        "shifts_input_in_place": cell(
            "def softmax(Z, axis=-1):",
            "    Z -= Z.max(axis=axis, keepdims=True)",
            "    E = np.exp(Z)",
            "    return E / E.sum(axis=axis, keepdims=True)",
        ),
        "sum_over_everything": cell(
            "def softmax(Z, axis=-1):",
            "    E = np.exp(Z - Z.max(axis=axis, keepdims=True))",
            "    return E / E.sum()",
        ),
    },
    "softmax_jacobian": {
        "diagonal_only": cell(
            "def softmax_jacobian(z):",
            "    return np.diag(softmax(z))",
        ),
        "inner_instead_of_outer": cell(
            "def softmax_jacobian(z):",
            "    s = softmax(z)",
            "    return np.diag(s) - s @ s",
        ),
        "wrong_index_in_delta": cell(
            "def softmax_jacobian(z):",
            "    s = softmax(z)",
            "    return s[:, None] * (np.eye(len(s)) - s[:, None])",
        ),
        "diagonal_of_sigmoid_rule": cell(
            "def softmax_jacobian(z):",
            "    s = softmax(z)",
            "    return np.diag(s * (1.0 - s))",
        ),
        "logits_instead_of_probabilities": cell(
            "def softmax_jacobian(z):",
            "    z = np.asarray(z, dtype=float)",
            "    return np.diag(z) - np.outer(z, z)",
        ),
        "naive_softmax_overflow": cell(
            "def softmax_jacobian(z):",
            "    e = np.exp(z)",
            "    s = e / e.sum()",
            "    return np.diag(s) - np.outer(s, s)",
        ),
    },
}

ALTERNATIVE = {
    "sigmoid": {
        "tanh_identity": cell(
            "def sigmoid(z):",
            "    return 0.5 * (1.0 + np.tanh(np.asarray(z, dtype=float) / 2.0))",
        ),
        "boolean_masks": cell(
            "def sigmoid(z):",
            "    z = np.asarray(z, dtype=float)",
            "    out = np.empty_like(z)",
            "    pos = z >= 0",
            "    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))",
            "    e = np.exp(z[~pos])",
            "    out[~pos] = e / (1.0 + e)",
            "    return out",
        ),
        "clipped_input": cell(
            "def sigmoid(z):",
            "    z = np.clip(z, -500.0, 500.0)",
            "    return 1.0 / (1.0 + np.exp(-z))",
        ),
    },
    "sigmoid_grad": {
        "even_function_exp_abs": cell(
            "def sigmoid_grad(z):",
            "    e = np.exp(-np.abs(z))",
            "    return e / (1.0 + e) ** 2",
        ),
        "tanh_identity": cell(
            "def sigmoid_grad(z):",
            "    return 0.25 * (1.0 - np.tanh(np.asarray(z, dtype=float) / 2.0) ** 2)",
        ),
    },
    "tanh": {
        "two_sigmoid_2z_minus_1": cell(
            "def tanh(z):",
            "    return 2.0 * sigmoid(2.0 * np.asarray(z, dtype=float)) - 1.0",
        ),
        "sign_and_exp_abs": cell(
            "def tanh(z):",
            "    z = np.asarray(z, dtype=float)",
            "    e = np.exp(-2.0 * np.abs(z))",
            "    return np.sign(z) * (1.0 - e) / (1.0 + e)",
        ),
    },
    "tanh_grad": {
        "product_form": cell(
            "def tanh_grad(z):",
            "    t = tanh(z)",
            "    return (1.0 - t) * (1.0 + t)",
        ),
        "four_sigmoid_grad_2z": cell(
            "def tanh_grad(z):",
            "    return 4.0 * sigmoid_grad(2.0 * np.asarray(z, dtype=float))",
        ),
    },
    "relu": {
        "np_where": cell(
            "def relu(z):",
            "    return np.where(z > 0, z, 0.0)",
        ),
        "mask_product": cell(
            "def relu(z):",
            "    z = np.asarray(z, dtype=float)",
            "    return z * (z > 0)",
        ),
        "loop_over_elements": cell(
            "def relu(z):",
            "    z = np.asarray(z, dtype=float)",
            "    out = np.zeros_like(z)",
            "    for index, value in np.ndenumerate(z):",
            "        if value > 0:",
            "            out[index] = value",
            "    return out",
        ),
    },
    "relu_grad": {
        "np_where": cell(
            "def relu_grad(z):",
            "    return np.where(np.asarray(z) > 0, 1.0, 0.0)",
        ),
        "heaviside": cell(
            "def relu_grad(z):",
            "    return np.heaviside(z, 0.0)",
        ),
    },
    "leaky_relu": {
        "np_maximum": cell(
            "def leaky_relu(z, alpha=0.01):",
            "    return np.maximum(alpha * np.asarray(z, dtype=float), z)",
        ),
        "positive_plus_negative_part": cell(
            "def leaky_relu(z, alpha=0.01):",
            "    z = np.asarray(z, dtype=float)",
            "    return np.maximum(z, 0.0) + alpha * np.minimum(z, 0.0)",
        ),
    },
    "leaky_relu_grad": {
        "arithmetic_mask": cell(
            "def leaky_relu_grad(z, alpha=0.01):",
            "    return alpha + (1.0 - alpha) * (np.asarray(z) > 0)",
        ),
        "loop_over_elements": cell(
            "def leaky_relu_grad(z, alpha=0.01):",
            "    z = np.asarray(z, dtype=float)",
            "    out = np.empty_like(z)",
            "    for index, value in np.ndenumerate(z):",
            "        out[index] = 1.0 if value > 0 else alpha",
            "    return out",
        ),
    },
    "elu": {
        "expm1": cell(
            "def elu(z, alpha=1.0):",
            "    z = np.asarray(z, dtype=float)",
            "    return np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0.0)))",
        ),
        "boolean_mask": cell(
            "def elu(z, alpha=1.0):",
            "    z = np.asarray(z, dtype=float)",
            "    out = z.copy()",
            "    neg = z <= 0",
            "    out[neg] = alpha * (np.exp(z[neg]) - 1.0)",
            "    return out",
        ),
    },
    "elu_grad": {
        "elu_plus_alpha": cell(
            "def elu_grad(z, alpha=1.0):",
            "    z = np.asarray(z, dtype=float)",
            "    return np.where(z > 0, 1.0, elu(z, alpha) + alpha)",
        ),
        "boolean_mask": cell(
            "def elu_grad(z, alpha=1.0):",
            "    z = np.asarray(z, dtype=float)",
            "    out = np.ones_like(z)",
            "    neg = z <= 0",
            "    out[neg] = alpha * np.exp(z[neg])",
            "    return out",
        ),
    },
    "swish": {
        "tanh_form": cell(
            "def swish(z, beta=1.0):",
            "    z = np.asarray(z, dtype=float)",
            "    return z * 0.5 * (1.0 + np.tanh(beta * z / 2.0))",
        ),
    },
    "gelu": {
        "erfc_loop": cell(
            "def gelu(z):",
            "    z = np.asarray(z, dtype=float)",
            "    values = [v * 0.5 * math.erfc(-v / math.sqrt(2.0)) for v in z.ravel()]",
            "    return np.array(values).reshape(z.shape)",
        ),
        "frompyfunc": cell(
            "def gelu(z):",
            "    z = np.asarray(z, dtype=float)",
            "    erf = np.frompyfunc(math.erf, 1, 1)",
            "    return 0.5 * z * (1.0 + np.asarray(erf(z / math.sqrt(2.0)), dtype=float))",
        ),
    },
    "softmax": {
        "log_sum_exp": cell(
            "def softmax(Z, axis=-1):",
            "    Z = np.asarray(Z, dtype=float)",
            "    m = Z.max(axis=axis, keepdims=True)",
            "    lse = m + np.log(np.exp(Z - m).sum(axis=axis, keepdims=True))",
            "    return np.exp(Z - lse)",
        ),
        "apply_along_axis": cell(
            "def softmax(Z, axis=-1):",
            "    def one(v):",
            "        e = np.exp(v - v.max())",
            "        return e / e.sum()",
            "    return np.apply_along_axis(one, axis, np.asarray(Z, dtype=float))",
        ),
        "moveaxis_rows": cell(
            "def softmax(Z, axis=-1):",
            "    M = np.moveaxis(np.asarray(Z, dtype=float), axis, -1)",
            "    E = np.exp(M - M.max(axis=-1)[..., None])",
            "    return np.moveaxis(E / E.sum(axis=-1)[..., None], -1, axis)",
        ),
    },
    "softmax_jacobian": {
        "double_loop": cell(
            "def softmax_jacobian(z):",
            "    s = softmax(z)",
            "    k = len(s)",
            "    J = np.zeros((k, k))",
            "    for i in range(k):",
            "        for j in range(k):",
            "            J[i, j] = s[i] * ((1.0 if i == j else 0.0) - s[j])",
            "    return J",
        ),
        "broadcasting": cell(
            "def softmax_jacobian(z):",
            "    s = softmax(z)",
            "    return s[:, None] * (np.eye(len(s)) - s[None, :])",
        ),
    },
}
