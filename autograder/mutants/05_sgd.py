"""Wrong and alternative versions of the solution cells of 05_sgd."""

GD_HEAD = "def gd_linear_regression(X, y, eta, n_iter):\n"
MB_HEAD = "def iterate_minibatches(X, y, batch_size, shuffle=True, rng=None):\n"
SGD_HEAD = "def sgd_step(params, grads, lr):\n"
MOM_HEAD = "def momentum_step(params, grads, velocity, lr, beta=0.9):\n"
ADAM_HEAD = "def adam_step(params, grads, state, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):\n"
HE_HEAD = "def he_init(layer_sizes, rng):\n"
STD_HEAD = "def standardize(X_train, X_other):\n"
ADAGRAD_HEAD = "def adagrad_step(params, grads, state, lr=0.01, eps=1e-8):\n"
RMS_HEAD = "def rmsprop_step(params, grads, state, lr=1e-3, beta=0.9, eps=1e-8):\n"
TRAIN_HEAD = "def train(params, X, y, step, epochs, batch_size, rng, activation=\"tanh\"):\n"


def _gd(gradient="X_b.T @ errors / m", bias=True, record_after=False, loss="np.mean(errors ** 2)"):
    design = "np.column_stack([np.ones(m), X])" if bias else "X"
    record = f"    history.append(float({loss.replace('errors', '(X_b @ theta - y)')}))\n"
    return (
        GD_HEAD
        + "    X = np.asarray(X, dtype=float)\n"
        "    y = np.asarray(y, dtype=float).ravel()\n"
        "    m = len(X)\n"
        f"    X_b = {design}\n"
        "    theta = np.zeros(X_b.shape[1])\n"
        "    history = []\n"
        "    for _ in range(n_iter):\n"
        "        errors = X_b @ theta - y\n"
        + ("" if record_after else f"        history.append(float({loss}))\n")
        + f"        theta = theta - eta * ({gradient})\n"
        + ("    " + record if record_after else "")
        + "    return theta, history\n"
    )


def _minibatch(body):
    return MB_HEAD + body


def _adam(moments="grads[key]", second="grads[key] ** 2", t_line="t = state.get('t', 0) + 1",
          correction_t="t", update="params[key] - lr * m_hat / (np.sqrt(v_hat) + eps)",
          m_hat="m[key] / (1 - beta1 ** {t})", v_hat="v[key] / (1 - beta2 ** {t})"):
    return (
        ADAM_HEAD
        + f"    {t_line}\n"
        "    old_m = state.get('m', {})\n"
        "    old_v = state.get('v', {})\n"
        f"    m = {{key: beta1 * old_m.get(key, 0.0) + (1 - beta1) * {moments} for key in params}}\n"
        f"    v = {{key: beta2 * old_v.get(key, 0.0) + (1 - beta2) * {second} for key in params}}\n"
        "    new_params = {}\n"
        "    for key in params:\n"
        f"        m_hat = {m_hat.format(t=correction_t)}\n"
        f"        v_hat = {v_hat.format(t=correction_t)}\n"
        f"        new_params[key] = {update}\n"
        "    return new_params, {'t': t, 'm': m, 'v': v}\n"
    )


def _he(weights, biases="np.zeros(n_out)"):
    return (
        HE_HEAD
        + "    params = {}\n"
        "    for l in range(1, len(layer_sizes)):\n"
        "        n_in, n_out = layer_sizes[l - 1], layer_sizes[l]\n"
        f"        params[f'W{{l}}'] = {weights}\n"
        f"        params[f'b{{l}}'] = {biases}\n"
        "    return params\n"
    )


def _standardize(mu="X_train.mean(axis=0)", sigma="X_train.std(axis=0)", guard=True, prepare=True):
    return (
        STD_HEAD
        + ("    X_train = np.asarray(X_train, dtype=float)\n"
           "    X_other = np.asarray(X_other, dtype=float)\n" if prepare else "")
        + f"    mu = {mu}\n"
        f"    sigma = {sigma}\n"
        + ("    sigma = np.where(sigma == 0, 1.0, sigma)\n" if guard else "")
        + "    return (X_train - mu) / sigma, (X_other - mu) / sigma\n"
    )


def _adaptive(head, accumulate, update="params[k] - lr * grads[k] / (np.sqrt(new_state[k]) + eps)"):
    """AdaGrad / RMSProp with the accumulation `r` and the update written as given."""
    return (
        head
        + f"    new_state = {{k: {accumulate} for k in params}}\n"
        f"    new_params = {{k: {update} for k in params}}\n"
        "    return new_params, new_state\n"
    )


def _train(state_line="    state = {}\n", reset="", shuffle="True", batch="batch_size", record=None,
           act="activation", before=""):
    """The reference loop of `train` with one piece changed."""
    record = record or "red.cross_entropy(red.forward(X, params, activation)[0], y)"
    return (
        TRAIN_HEAD
        + "    Y = red.one_hot(y, params[f'W{len(params) // 2}'].shape[1])\n"
        + state_line
        + "    losses = []\n"
        "    for _ in range(epochs):\n"
        + reset
        + before
        + f"        for X_batch, Y_batch in iterate_minibatches(X, Y, {batch}, {shuffle}, rng):\n"
        f"            _, cache = red.forward(X_batch, params, {act})\n"
        "            params, state = step(params, red.backward(Y_batch, params, cache), state)\n"
        + ("" if before else f"        losses.append({record})\n")
        + "    return params, losses\n"
    )


WRONG = {
    "gd_linear_regression": {
        "missing_1_over_m": _gd(gradient="X_b.T @ errors"),
        "gradient_of_mse_2_over_m": _gd(gradient="2 / m * X_b.T @ errors"),
        "no_bias_column": _gd(bias=False),
        "wrong_sign": _gd(gradient="-(X_b.T @ errors / m)"),
        "loss_recorded_after_update": _gd(record_after=True),
    },
    "iterate_minibatches": {
        "no_shuffle_when_asked": _minibatch(
            "    X = np.asarray(X)\n"
            "    y = np.asarray(y)\n"
            "    for start in range(0, len(X), batch_size):\n"
            "        yield X[start:start + batch_size], y[start:start + batch_size]\n"),
        "last_batch_dropped": _minibatch(
            "    X = np.asarray(X)\n"
            "    y = np.asarray(y)\n"
            "    rng = np.random.default_rng() if rng is None else rng\n"
            "    order = rng.permutation(len(X)) if shuffle else np.arange(len(X))\n"
            "    for start in range(0, len(X) - batch_size + 1, batch_size):\n"
            "        idx = order[start:start + batch_size]\n"
            "        yield X[idx], y[idx]\n"),
        "overlapping_batches": _minibatch(
            "    X = np.asarray(X)\n"
            "    y = np.asarray(y)\n"
            "    rng = np.random.default_rng() if rng is None else rng\n"
            "    order = rng.permutation(len(X)) if shuffle else np.arange(len(X))\n"
            "    for start in range(0, len(X), batch_size):\n"
            "        idx = order[start:start + batch_size + 1]\n"
            "        yield X[idx], y[idx]\n"),
        "x_and_y_shuffled_separately": _minibatch(
            "    X = np.asarray(X)\n"
            "    y = np.asarray(y)\n"
            "    if shuffle:\n"
            "        rng = np.random.default_rng() if rng is None else rng\n"
            "        X = X[rng.permutation(len(X))]\n"
            "        y = y[rng.permutation(len(y))]\n"
            "    for start in range(0, len(X), batch_size):\n"
            "        yield X[start:start + batch_size], y[start:start + batch_size]\n"),
        "global_random_state_ignores_rng": _minibatch(
            "    X = np.asarray(X)\n"
            "    y = np.asarray(y)\n"
            "    order = np.arange(len(X))\n"
            "    if shuffle:\n"
            "        np.random.shuffle(order)\n"
            "    for start in range(0, len(X), batch_size):\n"
            "        idx = order[start:start + batch_size]\n"
            "        yield X[idx], y[idx]\n"),
        "shuffles_inputs_in_place": _minibatch(
            "    if shuffle:\n"
            "        rng = np.random.default_rng() if rng is None else rng\n"
            "        order = rng.permutation(len(X))\n"
            "        X[:] = X[order]\n"
            "        y[:] = y[order]\n"
            "    for start in range(0, len(X), batch_size):\n"
            "        yield X[start:start + batch_size], y[start:start + batch_size]\n"),
    },
    "sgd_step": {
        "plus_sign": SGD_HEAD + "    return {key: params[key] + lr * grads[key] for key in params}\n",
        "modifies_in_place": SGD_HEAD + (
            "    for key in params:\n"
            "        params[key] -= lr * grads[key]\n"
            "    return params\n"),
        "only_weights_updated": SGD_HEAD + (
            "    return {key: params[key] - lr * grads[key] if key.startswith('W') else params[key]\n"
            "            for key in params}\n"),
    },
    "momentum_step": {
        "uses_old_velocity_for_update": MOM_HEAD + (
            "    new_params = {k: params[k] + velocity.get(k, 0.0) for k in params}\n"
            "    new_velocity = {k: beta * velocity.get(k, 0.0) - lr * grads[k] for k in params}\n"
            "    return new_params, new_velocity\n"),
        "forgets_beta": MOM_HEAD + (
            "    new_velocity = {k: velocity.get(k, 0.0) - lr * grads[k] for k in params}\n"
            "    return {k: params[k] + new_velocity[k] for k in params}, new_velocity\n"),
        "gradient_added": MOM_HEAD + (
            "    new_velocity = {k: beta * velocity.get(k, 0.0) + lr * grads[k] for k in params}\n"
            "    return {k: params[k] + new_velocity[k] for k in params}, new_velocity\n"),
        "velocity_dict_modified_in_place": MOM_HEAD + (
            "    for k in params:\n"
            "        velocity[k] = beta * velocity.get(k, 0.0) - lr * grads[k]\n"
            "    return {k: params[k] + velocity[k] for k in params}, velocity\n"),
    },
    "adam_step": {
        "no_bias_correction": _adam(m_hat="m[key]", v_hat="v[key]"),
        "eps_inside_sqrt": _adam(update="params[key] - lr * m_hat / np.sqrt(v_hat + eps)"),
        "t_incremented_after_correction": _adam(correction_t="(t - 1)"),
        "gradient_not_squared": _adam(second="np.abs(grads[key])"),
    },
    "adagrad_step": {
        "no_sqrt": _adaptive(ADAGRAD_HEAD, "state.get(k, 0.0) + grads[k] ** 2", "params[k] - lr * grads[k] / (new_state[k] + eps)"),
        "only_current_gradient": _adaptive(ADAGRAD_HEAD, "grads[k] ** 2"),
        "eps_inside_sqrt": _adaptive(ADAGRAD_HEAD, "state.get(k, 0.0) + grads[k] ** 2", "params[k] - lr * grads[k] / np.sqrt(new_state[k] + eps)"),
        "gradient_not_squared": _adaptive(ADAGRAD_HEAD, "state.get(k, 0.0) + np.abs(grads[k])"),
        "old_sum_in_update": _adaptive(ADAGRAD_HEAD, "state.get(k, 0.0) + grads[k] ** 2",
                                       "params[k] - lr * grads[k] / (np.sqrt(state.get(k, 0.0)) + eps)"),
    },
    "rmsprop_step": {
        "adagrad_sum": _adaptive(RMS_HEAD, "state.get(k, 0.0) + grads[k] ** 2"),
        "missing_one_minus_beta": _adaptive(RMS_HEAD, "beta * state.get(k, 0.0) + grads[k] ** 2"),
        "beta_weights_new_gradient": _adaptive(RMS_HEAD, "(1 - beta) * state.get(k, 0.0) + beta * grads[k] ** 2"),
        "eps_inside_sqrt": _adaptive(RMS_HEAD, "beta * state.get(k, 0.0) + (1 - beta) * grads[k] ** 2", "params[k] - lr * grads[k] / np.sqrt(new_state[k] + eps)"),
        "no_sqrt": _adaptive(RMS_HEAD, "beta * state.get(k, 0.0) + (1 - beta) * grads[k] ** 2", "params[k] - lr * grads[k] / (new_state[k] + eps)"),
        "adam_bias_correction": _adaptive(
            RMS_HEAD, "beta * state.get(k, 0.0) + (1 - beta) * grads[k] ** 2",
            "params[k] - lr * grads[k] / (np.sqrt(new_state[k] / (1 - beta)) + eps)"),
        "state_modified_in_place": RMS_HEAD + (
            "    for k in params:\n"
            "        state[k] = beta * state.get(k, 0.0) + (1 - beta) * grads[k] ** 2\n"
            "    return {k: params[k] - lr * grads[k] / (np.sqrt(state[k]) + eps) for k in params}, state\n"),
    },
    "he_init": {
        "lecun_std_1_over_n_in": _he("rng.normal(0.0, np.sqrt(1.0 / n_in), size=(n_in, n_out))"),
        "std_uses_n_out": _he("rng.normal(0.0, np.sqrt(2.0 / n_out), size=(n_in, n_out))"),
        "variance_used_as_std": _he("rng.normal(0.0, 2.0 / n_in, size=(n_in, n_out))"),
        "global_random_ignores_rng": _he("np.random.randn(n_in, n_out) * np.sqrt(2.0 / n_in)"),
        "random_biases": _he("rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_in, n_out))",
                             biases="rng.normal(0.0, np.sqrt(2.0 / n_in), size=n_out)"),
        "uniform_0_1_scaled": _he("rng.random((n_in, n_out)) * np.sqrt(2.0 / n_in)"),
    },
    "train": {
        "state_reset_every_epoch": _train(state_line="", reset="        state = {}\n"),
        "loss_recorded_before_epoch": _train(
            before="        losses.append(red.cross_entropy(red.forward(X, params, activation)[0], y))\n"),
        "no_shuffle": _train(shuffle="False"),
        "one_batch_per_epoch": _train(batch="len(X)"),
        "relu_hard_coded": _train(act="'relu'"),
        "mean_of_batch_losses": (
            TRAIN_HEAD
            + "    Y = red.one_hot(y, params[f'W{len(params) // 2}'].shape[1])\n"
            "    state, losses = {}, []\n"
            "    for _ in range(epochs):\n"
            "        total = 0.0\n"
            "        for X_batch, Y_batch in iterate_minibatches(X, Y, batch_size, True, rng):\n"
            "            probs, cache = red.forward(X_batch, params, activation)\n"
            "            total += red.cross_entropy(probs, Y_batch) * len(X_batch)\n"
            "            params, state = step(params, red.backward(Y_batch, params, cache), state)\n"
            "        losses.append(total / len(X))\n"
            "    return params, losses\n"),
    },
    "standardize": {
        "other_set_statistics": (
            STD_HEAD
            + "    X_train = np.asarray(X_train, dtype=float)\n"
            "    X_other = np.asarray(X_other, dtype=float)\n"
            "    def scale(A):\n"
            "        sigma = A.std(axis=0)\n"
            "        return (A - A.mean(axis=0)) / np.where(sigma == 0, 1.0, sigma)\n"
            "    return scale(X_train), scale(X_other)\n"),
        "concatenated_statistics": _standardize(
            mu="np.vstack([X_train, X_other]).mean(axis=0)", sigma="np.vstack([X_train, X_other]).std(axis=0)"),
        "no_constant_guard": _standardize(guard=False),
        "sample_std_ddof_1": _standardize(sigma="X_train.std(axis=0, ddof=1)"),
        "epsilon_instead_of_one": _standardize(sigma="X_train.std(axis=0) + 1e-12", guard=False),
        "modifies_inputs_in_place": (
            STD_HEAD
            + "    mu = X_train.mean(axis=0)\n"
            "    sigma = X_train.std(axis=0)\n"
            "    sigma[sigma == 0] = 1.0\n"
            "    X_other -= mu\n"
            "    X_other /= sigma\n"
            "    X_train -= mu\n"
            "    X_train /= sigma\n"
            "    return X_train, X_other\n"),
    },
}

ALTERNATIVE = {
    "gd_linear_regression": {
        "loop_over_examples": (
            GD_HEAD
            + "    m, n = len(X), len(X[0])\n"
            "    theta = [0.0] * (n + 1)\n"
            "    history = []\n"
            "    for _ in range(n_iter):\n"
            "        errors = [theta[0] + sum(theta[j + 1] * X[i][j] for j in range(n)) - y[i] for i in range(m)]\n"
            "        history.append(sum(e * e for e in errors) / m)\n"
            "        grad = [sum(errors) / m] + [sum(errors[i] * X[i][j] for i in range(m)) / m for j in range(n)]\n"
            "        theta = [theta[j] - eta * grad[j] for j in range(n + 1)]\n"
            "    return np.array(theta), np.array(history)\n"),
    },
    "iterate_minibatches": {
        "returns_list_with_rng_shuffle": (
            MB_HEAD
            + "    idx = np.arange(len(X))\n"
            "    if shuffle:\n"
            "        (rng if rng is not None else np.random.default_rng()).shuffle(idx)\n"
            "    return [(np.asarray(X)[idx[i:i + batch_size]], np.asarray(y)[idx[i:i + batch_size]])\n"
            "            for i in range(0, len(idx), batch_size)]\n"),
        "while_loop_copies": (
            MB_HEAD
            + "    X = np.array(X)\n"
            "    y = np.array(y)\n"
            "    if shuffle:\n"
            "        if rng is None:\n"
            "            rng = np.random.default_rng()\n"
            "        p = rng.permutation(len(y))\n"
            "        X, y = X[p], y[p]\n"
            "    start = 0\n"
            "    while start < len(X):\n"
            "        yield X[start:start + batch_size], y[start:start + batch_size]\n"
            "        start += batch_size\n"),
    },
    "sgd_step": {
        "explicit_copy_loop": SGD_HEAD + (
            "    new = {}\n"
            "    for key, value in params.items():\n"
            "        new[key] = np.array(value, dtype=float)\n"
            "        new[key] -= lr * np.asarray(grads[key])\n"
            "    return new\n"),
    },
    "momentum_step": {
        "zeros_like_loop": MOM_HEAD + (
            "    new_params, new_velocity = {}, {}\n"
            "    for key in params:\n"
            "        v = velocity[key] if key in velocity else np.zeros_like(params[key])\n"
            "        new_velocity[key] = beta * v - lr * grads[key]\n"
            "        new_params[key] = params[key] + new_velocity[key]\n"
            "    return new_params, new_velocity\n"),
    },
    "adam_step": {
        "zeros_like_and_split_sqrt": (
            ADAM_HEAD
            + "    t = state['t'] + 1 if state else 1\n"
            "    m, v, new = {}, {}, {}\n"
            "    for key in params:\n"
            "        g = np.asarray(grads[key], dtype=float)\n"
            "        m_old = state['m'][key] if state else np.zeros_like(g)\n"
            "        v_old = state['v'][key] if state else np.zeros_like(g)\n"
            "        m[key] = beta1 * m_old + (1 - beta1) * g\n"
            "        v[key] = beta2 * v_old + (1 - beta2) * g * g\n"
            "        denom = np.sqrt(v[key]) / np.sqrt(1 - beta2 ** t) + eps\n"
            "        new[key] = params[key] - lr * (m[key] / (1 - beta1 ** t)) / denom\n"
            "    return new, {'t': t, 'm': m, 'v': v}\n"),
    },
    "adagrad_step": {
        "loop_zeros_like": ADAGRAD_HEAD + (
            "    new_params, new_state = {}, {}\n"
            "    for k in params:\n"
            "        r = state[k] if k in state else np.zeros_like(params[k], dtype=float)\n"
            "        new_state[k] = r + grads[k] * grads[k]\n"
            "        new_params[k] = params[k] - lr / (np.sqrt(new_state[k]) + eps) * grads[k]\n"
            "    return new_params, new_state\n"),
    },
    "rmsprop_step": {
        "loop_zeros_like": RMS_HEAD + (
            "    new_params, new_state = {}, {}\n"
            "    for k, theta in params.items():\n"
            "        g = np.asarray(grads[k], dtype=float)\n"
            "        r = state.get(k, np.zeros_like(g))\n"
            "        r = r + (1 - beta) * (g * g - r)\n"
            "        new_state[k] = r\n"
            "        new_params[k] = theta - lr * g / (np.sqrt(r) + eps)\n"
            "    return new_params, new_state\n"),
    },
    "he_init": {
        "standard_normal_scaled": _he("rng.standard_normal((n_in, n_out)) * (2.0 / n_in) ** 0.5"),
        "uniform_he": _he("rng.uniform(-np.sqrt(6.0 / n_in), np.sqrt(6.0 / n_in), size=(n_in, n_out))"),
    },
    "train": {
        "own_permutation_and_slices": (
            TRAIN_HEAD
            + "    k = params['W' + str(len(params) // 2)].shape[1]\n"
            "    Y = np.eye(k)[np.asarray(y, dtype=int)]\n"
            "    state, losses = {}, []\n"
            "    for epoch in range(epochs):\n"
            "        order = rng.permutation(len(X))\n"
            "        for start in range(0, len(X), batch_size):\n"
            "            idx = order[start:start + batch_size]\n"
            "            cache = red.forward(X[idx], params, activation)[1]\n"
            "            g = red.backward(Y[idx], params, cache)\n"
            "            params, state = step(params, g, state)\n"
            "        probs = red.forward(X, params, activation)[0]\n"
            "        losses.append(float(-np.mean(np.log(probs[np.arange(len(X)), np.asarray(y, dtype=int)]))))\n"
            "    return params, losses\n"),
    },
    "standardize": {
        "boolean_mask_guard": (
            STD_HEAD
            + "    X_train = np.array(X_train, dtype=float)\n"
            "    X_other = np.array(X_other, dtype=float)\n"
            "    mu = np.mean(X_train, axis=0)\n"
            "    sigma = np.sqrt(np.mean((X_train - mu) ** 2, axis=0))\n"
            "    sigma[sigma == 0] = 1\n"
            "    return (X_train - mu) / sigma, (X_other - mu) / sigma\n"),
        "add_one_where_constant": _standardize(sigma="X_train.std(axis=0)", guard=False).replace(
            "    return", "    sigma = sigma + (sigma == 0)\n    return"),
    },
}
