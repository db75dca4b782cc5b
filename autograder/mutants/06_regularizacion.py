"""Wrong and alternative versions of the solution cells of 06_regularizacion."""

_SPLIT_HEAD = "def train_val_test_split(X, y, val=0.15, test=0.15, seed=0):\n"
_L2_HEAD = "def l2_penalty(params, lam):\n"
_L2G_HEAD = "def l2_penalty_grad(params, lam):\n"
_L1_HEAD = "def l1_penalty(params, lam):\n"
_L1G_HEAD = "def l1_penalty_grad(params, lam):\n"
_DF_HEAD = "def dropout_forward(A, rate, rng, training=True):\n"
_DB_HEAD = "def dropout_backward(dA, mask, rate):\n"
_ES_HEAD = "def early_stopping(val_losses, patience):\n"
_KF_HEAD = "def k_fold_indices(m, k, seed=0):\n"
_KF_PERM = "    perm = np.random.default_rng(seed).permutation(m)\n"

WRONG = {
    "train_val_test_split": {
        "not_shuffled": _SPLIT_HEAD + (
            "    X, y = np.asarray(X), np.asarray(y)\n"
            "    m = len(X)\n"
            "    n_val, n_test = int(round(val * m)), int(round(test * m))\n"
            "    n_train = m - n_val - n_test\n"
            "    return ((X[:n_train], y[:n_train]), (X[n_train:n_train + n_val], y[n_train:n_train + n_val]),\n"
            "            (X[n_train + n_val:], y[n_train + n_val:]))\n"),
        "drops_remainder": _SPLIT_HEAD + (
            "    X, y = np.asarray(X), np.asarray(y)\n"
            "    m = len(X)\n"
            "    n_val, n_test = int(val * m), int(test * m)\n"
            "    n_train = int((1 - val - test) * m)\n"
            "    order = np.random.default_rng(seed).permutation(m)\n"
            "    tr, va, te = order[:n_train], order[n_train:n_train + n_val], order[n_train + n_val:n_train + n_val + n_test]\n"
            "    return (X[tr], y[tr]), (X[va], y[va]), (X[te], y[te])\n"),
        "overlapping_parts": _SPLIT_HEAD + (
            "    X, y = np.asarray(X), np.asarray(y)\n"
            "    m = len(X)\n"
            "    n_val, n_test = int(round(val * m)), int(round(test * m))\n"
            "    order = np.random.default_rng(seed).permutation(m)\n"
            "    tr = order[:m - n_val - n_test]\n"
            "    va = order[m - n_val - n_test - 1:m - n_test - 1]\n"
            "    te = order[m - n_test:]\n"
            "    return (X[tr], y[tr]), (X[va], y[va]), (X[te], y[te])\n"),
        "pairs_broken": _SPLIT_HEAD + (
            "    X, y = np.asarray(X), np.asarray(y)\n"
            "    m = len(X)\n"
            "    n_val, n_test = int(round(val * m)), int(round(test * m))\n"
            "    rng = np.random.default_rng(seed)\n"
            "    ox, oy = rng.permutation(m), rng.permutation(m)\n"
            "    a, b = m - n_val - n_test, m - n_test\n"
            "    return (X[ox[:a]], y[oy[:a]]), (X[ox[a:b]], y[oy[a:b]]), (X[ox[b:]], y[oy[b:]])\n"),
        "seed_ignored": _SPLIT_HEAD + (
            "    X, y = np.asarray(X), np.asarray(y)\n"
            "    m = len(X)\n"
            "    n_val, n_test = int(round(val * m)), int(round(test * m))\n"
            "    order = np.random.default_rng(0).permutation(m)\n"
            "    i_val, i_test, i_train = order[:n_val], order[n_val:n_val + n_test], order[n_val + n_test:]\n"
            "    return (X[i_train], y[i_train]), (X[i_val], y[i_val]), (X[i_test], y[i_test])\n"),
        "global_unseeded_rng": _SPLIT_HEAD + (
            "    X, y = np.asarray(X), np.asarray(y)\n"
            "    m = len(X)\n"
            "    n_val, n_test = int(round(val * m)), int(round(test * m))\n"
            "    order = np.random.permutation(m)\n"
            "    i_val, i_test, i_train = order[:n_val], order[n_val:n_val + n_test], order[n_val + n_test:]\n"
            "    return (X[i_train], y[i_train]), (X[i_val], y[i_val]), (X[i_test], y[i_test])\n"),
    },
    "k_fold_indices": {
        "not_shuffled": _KF_HEAD + (
            "    folds = np.array_split(np.arange(m), k)\n"
            "    return [(np.concatenate(folds[:i] + folds[i + 1:]), folds[i]) for i in range(k)]\n"),
        "train_and_val_swapped": _KF_HEAD + _KF_PERM + (
            "    folds = np.array_split(perm, k)\n"
            "    return [(folds[i], np.concatenate(folds[:i] + folds[i + 1:])) for i in range(k)]\n"),
        "remainder_dropped": _KF_HEAD + _KF_PERM + (
            "    size = m // k\n"
            "    folds = [perm[i * size:(i + 1) * size] for i in range(k)]\n"
            "    return [(np.setdiff1d(perm, folds[i]), folds[i]) for i in range(k)]\n"),
        "remainder_in_last_fold": _KF_HEAD + _KF_PERM + (
            "    size = m // k\n"
            "    folds = [perm[i * size:(i + 1) * size if i < k - 1 else m] for i in range(k)]\n"
            "    return [(np.concatenate(folds[:i] + folds[i + 1:]), folds[i]) for i in range(k)]\n"),
        "train_includes_validation": _KF_HEAD + _KF_PERM + (
            "    folds = np.array_split(perm, k)\n"
            "    return [(perm, folds[i]) for i in range(k)]\n"),
        "global_random_ignores_seed": _KF_HEAD + (
            "    perm = np.random.permutation(m)\n"
            "    folds = np.array_split(perm, k)\n"
            "    return [(np.concatenate(folds[:i] + folds[i + 1:]), folds[i]) for i in range(k)]\n"),
    },
    "l2_penalty": {
        "penalises_biases": _L2_HEAD + "    return lam * sum(np.sum(np.asarray(v) ** 2) for v in params.values())\n",
        "half_factor": _L2_HEAD + (
            "    return 0.5 * lam * sum(np.sum(np.asarray(v) ** 2) for k, v in params.items() if k.startswith('W'))\n"),
        "norm_not_squared": _L2_HEAD + (
            "    return lam * sum(np.sqrt(np.sum(np.asarray(v) ** 2)) for k, v in params.items() if k.startswith('W'))\n"),
        "only_first_layer": _L2_HEAD + "    return lam * np.sum(np.asarray(params['W1']) ** 2)\n",
    },
    "l2_penalty_grad": {
        "missing_factor_2": _L2G_HEAD + (
            "    return {k: lam * np.asarray(v, dtype=float) if k.startswith('W') else np.zeros_like(v, dtype=float)\n"
            "            for k, v in params.items()}\n"),
        "penalises_biases": _L2G_HEAD + "    return {k: 2 * lam * np.asarray(v, dtype=float) for k, v in params.items()}\n",
        "only_weight_keys": _L2G_HEAD + (
            "    return {k: 2 * lam * np.asarray(v, dtype=float) for k, v in params.items() if k.startswith('W')}\n"),
        "modifies_params_in_place": _L2G_HEAD + (
            "    for k in params:\n"
            "        params[k] = 2 * lam * params[k] if k.startswith('W') else 0 * params[k]\n"
            "    return params\n"),
    },
    "l1_penalty": {
        "no_abs": _L1_HEAD + "    return lam * sum(np.sum(v) for k, v in params.items() if k.startswith('W'))\n",
        "penalises_biases": _L1_HEAD + "    return lam * sum(np.sum(np.abs(v)) for v in params.values())\n",
        "squares": _L1_HEAD + "    return lam * sum(np.sum(np.asarray(v) ** 2) for k, v in params.items() if k.startswith('W'))\n",
    },
    "l1_penalty_grad": {
        "abs_instead_of_sign": _L1G_HEAD + (
            "    return {k: lam * np.abs(np.asarray(v, dtype=float)) if k.startswith('W') else np.zeros_like(v, dtype=float)\n"
            "            for k, v in params.items()}\n"),
        "sign_zero_is_one": _L1G_HEAD + (
            "    return {k: lam * np.where(np.asarray(v) >= 0, 1.0, -1.0) if k.startswith('W') else np.zeros_like(v, dtype=float)\n"
            "            for k, v in params.items()}\n"),
        "penalises_biases": _L1G_HEAD + "    return {k: lam * np.sign(np.asarray(v, dtype=float)) for k, v in params.items()}\n",
        "missing_lambda": _L1G_HEAD + (
            "    return {k: np.sign(np.asarray(v, dtype=float)) if k.startswith('W') else np.zeros_like(v, dtype=float)\n"
            "            for k, v in params.items()}\n"),
    },
    "dropout_forward": {
        "no_inverted_scaling": _DF_HEAD + (
            "    if not 0 <= rate < 1:\n"
            "        raise ValueError('rate')\n"
            "    A = np.asarray(A, dtype=float)\n"
            "    if not training or rate == 0:\n"
            "        return A.copy(), np.ones_like(A)\n"
            "    mask = (rng.random(A.shape) >= rate).astype(float)\n"
            "    return A * mask, mask\n"),
        "active_at_test_time": _DF_HEAD + (
            "    if not 0 <= rate < 1:\n"
            "        raise ValueError('rate')\n"
            "    A = np.asarray(A, dtype=float)\n"
            "    mask = (rng.random(A.shape) >= rate).astype(float)\n"
            "    return A * mask / (1 - rate), mask\n"),
        "keeps_with_probability_rate": _DF_HEAD + (
            "    if not 0 <= rate < 1:\n"
            "        raise ValueError('rate')\n"
            "    A = np.asarray(A, dtype=float)\n"
            "    if not training or rate == 0:\n"
            "        return A.copy(), np.ones_like(A)\n"
            "    mask = (rng.random(A.shape) < rate).astype(float)\n"
            "    return A * mask / (1 - rate), mask\n"),
        "rate_one_gives_zeros": _DF_HEAD + (
            "    A = np.asarray(A, dtype=float)\n"
            "    if not training or rate == 0:\n"
            "        return A.copy(), np.ones_like(A)\n"
            "    if rate >= 1:\n"
            "        return np.zeros_like(A), np.zeros_like(A)\n"
            "    mask = (rng.random(A.shape) >= rate).astype(float)\n"
            "    return A * mask / (1 - rate), mask\n"),
        "one_mask_for_the_whole_batch": _DF_HEAD + (
            "    if not 0 <= rate < 1:\n"
            "        raise ValueError('rate')\n"
            "    A = np.asarray(A, dtype=float)\n"
            "    if not training or rate == 0:\n"
            "        return A.copy(), np.ones_like(A)\n"
            "    mask = np.broadcast_to((rng.random(A.shape[1]) >= rate).astype(float), A.shape).copy()\n"
            "    return A * mask / (1 - rate), mask\n"),
        "global_random_not_rng": _DF_HEAD + (
            "    if not 0 <= rate < 1:\n"
            "        raise ValueError('rate')\n"
            "    A = np.asarray(A, dtype=float)\n"
            "    if not training or rate == 0:\n"
            "        return A.copy(), np.ones_like(A)\n"
            "    mask = (np.random.random(A.shape) >= rate).astype(float)\n"
            "    return A * mask / (1 - rate), mask\n"),
    },
    "dropout_backward": {
        "mask_not_applied": _DB_HEAD + "    return np.asarray(dA, dtype=float) / (1 - rate)\n",
        "no_scaling": _DB_HEAD + "    return np.asarray(dA, dtype=float) * mask\n",
        "multiplies_by_keep_probability": _DB_HEAD + "    return np.asarray(dA, dtype=float) * mask * (1 - rate)\n",
        "divides_by_rate": _DB_HEAD + "    return np.asarray(dA, dtype=float) * mask / rate if rate else np.asarray(dA) * mask\n",
    },
    "early_stopping": {
        "returns_last_epoch": _ES_HEAD + (
            "    best = 0\n"
            "    for epoch, loss in enumerate(val_losses):\n"
            "        if loss < val_losses[best]:\n"
            "            best = epoch\n"
            "    return len(val_losses) - 1, best\n"),
        "off_by_one_patience": _ES_HEAD + (
            "    best = 0\n"
            "    for epoch, loss in enumerate(val_losses):\n"
            "        if loss < val_losses[best]:\n"
            "            best = epoch\n"
            "        elif epoch - best > patience:\n"
            "            return epoch, best\n"
            "    return len(val_losses) - 1, best\n"),
        "ties_keep_last_minimum": _ES_HEAD + (
            "    best = 0\n"
            "    for epoch, loss in enumerate(val_losses):\n"
            "        if loss <= val_losses[best]:\n"
            "            best = epoch\n"
            "        elif epoch - best >= patience:\n"
            "            return epoch, best\n"
            "    return len(val_losses) - 1, best\n"),
        "global_argmin_as_best": _ES_HEAD + (
            "    best = 0\n"
            "    for epoch, loss in enumerate(val_losses):\n"
            "        if loss < val_losses[best]:\n"
            "            best = epoch\n"
            "        elif epoch - best >= patience:\n"
            "            return epoch, int(np.argmin(val_losses))\n"
            "    return len(val_losses) - 1, best\n"),
        "counts_from_one": _ES_HEAD + (
            "    best = 0\n"
            "    for epoch, loss in enumerate(val_losses):\n"
            "        if loss < val_losses[best]:\n"
            "            best = epoch\n"
            "        elif epoch - best >= patience:\n"
            "            return epoch + 1, best + 1\n"
            "    return len(val_losses), best + 1\n"),
    },
}

ALTERNATIVE = {
    "train_val_test_split": {
        "loops_and_lists": _SPLIT_HEAD + (
            "    m = len(X)\n"
            "    n_val = round(val * m)\n"
            "    n_test = round(test * m)\n"
            "    n_train = m - n_val - n_test\n"
            "    rng = np.random.default_rng(seed)\n"
            "    order = list(rng.permutation(m))\n"
            "    parts = []\n"
            "    for start, stop in ((0, n_train), (n_train, n_train + n_val), (n_train + n_val, m)):\n"
            "        idx = order[start:stop]\n"
            "        parts.append((np.array([X[i] for i in idx], dtype=float).reshape(-1, np.shape(X)[1]), np.array([y[i] for i in idx])))\n"
            "    return tuple(parts)\n"),
        "shuffle_arrays_together": _SPLIT_HEAD + (
            "    X, y = np.asarray(X), np.asarray(y)\n"
            "    idx = np.arange(len(X))\n"
            "    np.random.default_rng(seed).shuffle(idx)\n"
            "    X, y = X[idx], y[idx]\n"
            "    n_test, n_val = round(test * len(X)), round(val * len(X))\n"
            "    n_train = len(X) - n_val - n_test\n"
            "    return ((X[:n_train], y[:n_train]), (X[n_train:n_train + n_val], y[n_train:n_train + n_val]),\n"
            "            (X[n_train + n_val:], y[n_train + n_val:]))\n"),
    },
    "k_fold_indices": {
        "loop_with_boolean_mask": _KF_HEAD + _KF_PERM + (
            "    result, start = [], 0\n"
            "    for i in range(k):\n"
            "        size = m // k + (1 if i < m % k else 0)\n"
            "        in_val = np.zeros(m, dtype=bool)\n"
            "        in_val[perm[start:start + size]] = True\n"
            "        result.append((np.flatnonzero(~in_val), np.flatnonzero(in_val)))\n"
            "        start += size\n"
            "    return result\n"),
        "lists_of_ints": _KF_HEAD + (
            "    perm = list(np.random.default_rng(seed).permutation(m))\n"
            "    sizes = [m // k + (i < m % k) for i in range(k)]\n"
            "    out, start = [], 0\n"
            "    for size in sizes:\n"
            "        val = perm[start:start + size]\n"
            "        out.append((np.array(perm[:start] + perm[start + size:]), np.array(val)))\n"
            "        start += size\n"
            "    return out\n"),
    },
    "l2_penalty": {
        "loops": _L2_HEAD + (
            "    total = 0.0\n"
            "    for key in params:\n"
            "        if key[0] == 'W':\n"
            "            for w in np.ravel(params[key]):\n"
            "                total += w * w\n"
            "    return lam * total\n"),
    },
    "l2_penalty_grad": {
        "copy_and_loop": _L2G_HEAD + (
            "    grads = {}\n"
            "    for key, value in params.items():\n"
            "        if key.startswith('b'):\n"
            "            grads[key] = np.zeros(np.shape(value))\n"
            "        else:\n"
            "            grads[key] = lam * 2 * np.array(value, dtype=float)\n"
            "    return grads\n"),
    },
    "l1_penalty": {
        "np_linalg_norm_ord1": _L1_HEAD + (
            "    return lam * sum(np.linalg.norm(np.ravel(v), 1) for k, v in params.items() if k.startswith('W'))\n"),
    },
    "l1_penalty_grad": {
        "np_where": _L1G_HEAD + (
            "    out = {}\n"
            "    for k, v in params.items():\n"
            "        v = np.asarray(v, dtype=float)\n"
            "        out[k] = np.where(v > 0, lam, np.where(v < 0, -lam, 0.0)) if k.startswith('W') else 0.0 * v\n"
            "    return out\n"),
    },
    "dropout_forward": {
        "binomial_keep_mask": _DF_HEAD + (
            "    if rate < 0 or rate >= 1:\n"
            "        raise ValueError('rate debe estar en [0, 1)')\n"
            "    if not training or rate == 0:\n"
            "        return np.array(A, dtype=float), np.ones(np.shape(A))\n"
            "    keep = 1 - rate\n"
            "    mask = rng.binomial(1, keep, size=np.shape(A))\n"
            "    return np.asarray(A) * mask / keep, mask\n"),
        "boolean_mask_less_than_keep": _DF_HEAD + (
            "    if not (0 <= rate < 1):\n"
            "        raise ValueError('rate')\n"
            "    A = np.asarray(A, dtype=float)\n"
            "    if training and rate > 0:\n"
            "        mask = rng.random(A.shape) < 1 - rate\n"
            "        return np.where(mask, A / (1 - rate), 0.0), mask\n"
            "    return A, np.ones(A.shape, dtype=bool)\n"),
    },
    "dropout_backward": {
        "np_where": _DB_HEAD + (
            "    return np.where(np.asarray(mask) == 1, np.asarray(dA, dtype=float) / (1 - rate), 0.0)\n"),
    },
    "early_stopping": {
        "vectorised_running_min": _ES_HEAD + (
            "    losses = np.asarray(val_losses, dtype=float)\n"
            "    running = np.minimum.accumulate(losses)\n"
            "    best_so_far = np.array([int(np.argmax(losses[:e + 1] == running[e])) for e in range(len(losses))])\n"
            "    waited = np.arange(len(losses)) - best_so_far\n"
            "    hits = np.flatnonzero(waited >= patience)\n"
            "    stop = int(hits[0]) if hits.size else len(losses) - 1\n"
            "    return stop, int(best_so_far[stop])\n"),
        "counter_loop_list": _ES_HEAD + (
            "    best_loss, best, wait = float('inf'), 0, 0\n"
            "    for epoch in range(len(val_losses)):\n"
            "        if val_losses[epoch] < best_loss:\n"
            "            best_loss, best, wait = val_losses[epoch], epoch, 0\n"
            "        else:\n"
            "            wait += 1\n"
            "            if wait == patience:\n"
            "                return [epoch, best]\n"
            "    return [len(val_losses) - 1, best]\n"),
    },
}
