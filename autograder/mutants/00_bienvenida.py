"""Wrong and alternative versions of the solution cells of 00_bienvenida."""

WRONG = {
    "weighted_sum": {
        "forgotten_bias": "def weighted_sum(X, w, b):\n    return np.asarray(X) @ np.asarray(w)\n",
        "bias_subtracted": "def weighted_sum(X, w, b):\n    return np.asarray(X) @ np.asarray(w) - b\n",
        "elementwise_no_sum": "def weighted_sum(X, w, b):\n    return (np.asarray(X) * np.asarray(w))[:, 0] + b\n",
    },
}

ALTERNATIVE = {
    "weighted_sum": {
        "loops_list": (
            "def weighted_sum(X, w, b):\n"
            "    return [sum(x_i * w_i for x_i, w_i in zip(row, w)) + b for row in X]\n"
        ),
    },
}
