"""Wrong and alternative versions of the solution cells of 07_keras."""

_DOC = '    """Versión de prueba."""\n'

_PREPARE = "def prepare_data(X_train_full, y_train_full, X_test, n_valid=5000):\n" + _DOC
_BUILD = 'def build_model(hidden=(300, 100), activation="relu"):\n' + _DOC
_COMPILE = "def compile_model(model, learning_rate=0.01):\n" + _DOC
_PREDICT = "def predict_classes(model, X):\n" + _DOC
_CONFUSION = "def confusion_matrix(y_true, y_pred, n_classes=10):\n" + _DOC
_TAPE = 'def tape_gradients(params, X, Y, activation="relu"):\n' + _DOC
_HUBER = "def huber_loss(y_true, y_pred, delta=1.0):\n" + _DOC
_REGRESSOR = 'def build_regressor(n_features, hidden=(64, 64), n_outputs=1, loss="mse", learning_rate=0.001):\n' + _DOC
_SEARCH = "def search_hyperparameters(evaluate, n_trials=10, seed=0):\n" + _DOC
_TO_IMAGE = "def to_image_batch(X, height, width, channels=1):\n" + _DOC


def _tape(phi: str = "{'relu': tf.nn.relu, 'tanh': tf.math.tanh, 'sigmoid': tf.math.sigmoid}[activation]",
          watch: str = "tf.Variable", output: str = "tf.nn.softmax(Z)",
          cost: str = "-tf.reduce_mean(tf.reduce_sum(Y * tf.math.log(A), axis=1))") -> str:
    """A `tape_gradients` cell: the forward pass under a tape, with one piece changed by the caller."""
    return _TAPE + (
        f"    phi = {phi}\n"
        f"    variables = {{name: {watch}(value) for name, value in params.items()}}\n"
        "    n = len(params) // 2\n"
        "    with tf.GradientTape() as tape:\n"
        "        A = tf.constant(X, dtype=tf.float64)\n"
        "        for l in range(1, n + 1):\n"
        "            Z = A @ variables[f'W{l}'] + variables[f'b{l}']\n"
        f"            A = {output} if l == n else phi(Z)\n"
        f"        cost = {cost}\n"
        "    grads = tape.gradient(cost, variables)\n"
        "    return {name: g.numpy() for name, g in grads.items()}\n")



def _search(rate: str = "10 ** rng.uniform(-4, -1)", depth: str = "rng.integers(1, 4)",
            better: str = "score > best_score", trials: str = "n_trials",
            rng: str = "np.random.default_rng(seed)") -> str:
    """A `search_hyperparameters` cell: the random search, with one piece changed by the caller."""
    return _SEARCH + (
        f"    rng = {rng}\n"
        "    best_score, best_params = None, None\n"
        f"    for _ in range({trials}):\n"
        f"        params = {{'learning_rate': float({rate}), 'width': int(rng.choice([16, 32, 64, 128])),\n"
        f"                  'depth': int({depth})}}\n"
        "        score = evaluate(**params)\n"
        f"        if best_params is None or {better}:\n"
        "            best_score, best_params = score, params\n"
        "    return best_score, best_params\n")

WRONG = {
    "prepare_data": {
        "no_scaling": _PREPARE + (
            "    X = np.asarray(X_train_full, dtype=np.float32)\n"
            "    return (X[n_valid:], y_train_full[n_valid:]), (X[:n_valid], y_train_full[:n_valid]), "
            "np.asarray(X_test, dtype=np.float32)\n"),
        "float64": _PREPARE + (
            "    X = X_train_full / 255.0\n"
            "    return (X[n_valid:], y_train_full[n_valid:]), (X[:n_valid], y_train_full[:n_valid]), X_test / 255.0\n"),
        "valid_from_the_end": _PREPARE + (
            "    X = (X_train_full / 255.0).astype(np.float32)\n"
            "    return (X[:-n_valid], y_train_full[:-n_valid]), (X[-n_valid:], y_train_full[-n_valid:]), "
            "(X_test / 255.0).astype(np.float32)\n"),
        "mutates_inputs": _PREPARE + (
            "    X = np.asarray(X_train_full, dtype=np.float32)\n"
            "    X /= 255.0\n"
            "    T = np.asarray(X_test, dtype=np.float32)\n"
            "    T /= 255.0\n"
            "    return (X[n_valid:], y_train_full[n_valid:]), (X[:n_valid], y_train_full[:n_valid]), T\n"),
    },
    "build_model": {
        "relu_last_layer": _BUILD + (
            "    model = keras.Sequential([keras.Input(shape=(28, 28)), keras.layers.Flatten()])\n"
            "    for units in hidden:\n"
            "        model.add(keras.layers.Dense(units, activation=activation))\n"
            "    model.add(keras.layers.Dense(10, activation='relu'))\n"
            "    return model\n"),
        "no_last_activation": _BUILD + (
            "    model = keras.Sequential([keras.Input(shape=(28, 28)), keras.layers.Flatten()])\n"
            "    for units in hidden:\n"
            "        model.add(keras.layers.Dense(units, activation=activation))\n"
            "    model.add(keras.layers.Dense(10))\n"
            "    return model\n"),
        "missing_flatten": _BUILD + (
            "    model = keras.Sequential([keras.Input(shape=(28, 28))])\n"
            "    for units in hidden:\n"
            "        model.add(keras.layers.Dense(units, activation=activation))\n"
            "    model.add(keras.layers.Dense(10, activation='softmax'))\n"
            "    return model\n"),
        "fixed_units_ignores_hidden": _BUILD + (
            "    return keras.Sequential([keras.Input(shape=(28, 28)), keras.layers.Flatten(),\n"
            "                             keras.layers.Dense(300, activation=activation),\n"
            "                             keras.layers.Dense(100, activation=activation),\n"
            "                             keras.layers.Dense(10, activation='softmax')])\n"),
        "activation_ignored": _BUILD + (
            "    layers = [keras.Input(shape=(28, 28)), keras.layers.Flatten()]\n"
            "    layers += [keras.layers.Dense(units, activation='relu') for units in hidden]\n"
            "    return keras.Sequential(layers + [keras.layers.Dense(10, activation='softmax')])\n"),
    },
    "compile_model": {
        "categorical_crossentropy": _COMPILE + (
            "    model.compile(loss='categorical_crossentropy', optimizer=keras.optimizers.SGD(learning_rate=learning_rate),\n"
            "                  metrics=['accuracy'])\n"
            "    return model\n"),
        "adam_instead_of_sgd": _COMPILE + (
            "    model.compile(loss='sparse_categorical_crossentropy', optimizer=keras.optimizers.Adam(learning_rate=learning_rate),\n"
            "                  metrics=['accuracy'])\n"
            "    return model\n"),
        "learning_rate_ignored": _COMPILE + (
            "    model.compile(loss='sparse_categorical_crossentropy', optimizer='sgd', metrics=['accuracy'])\n"
            "    return model\n"),
        "no_accuracy_metric": _COMPILE + (
            "    model.compile(loss='sparse_categorical_crossentropy', optimizer=keras.optimizers.SGD(learning_rate=learning_rate))\n"
            "    return model\n"),
    },
    "predict_classes": {
        "returns_probabilities": _PREDICT + "    return model.predict(X, verbose=0)\n",
        "float_classes": _PREDICT + "    return np.argmax(model.predict(X, verbose=0), axis=1).astype(float)\n",
        "argmax_wrong_axis": _PREDICT + "    return np.argmax(model.predict(X, verbose=0), axis=0)\n",
    },
    "confusion_matrix": {
        "transposed": _CONFUSION + (
            "    cm = np.zeros((n_classes, n_classes), dtype=int)\n"
            "    for t, p in zip(y_true, y_pred):\n"
            "        cm[p, t] += 1\n"
            "    return cm\n"),
        "size_from_unique": _CONFUSION + (
            "    labels = np.unique(np.concatenate([np.asarray(y_true), np.asarray(y_pred)]))\n"
            "    n = len(labels)\n"
            "    cm = np.zeros((n, n), dtype=int)\n"
            "    for t, p in zip(y_true, y_pred):\n"
            "        cm[np.searchsorted(labels, t), np.searchsorted(labels, p)] += 1\n"
            "    return cm\n"),
        "n_classes_ignored": _CONFUSION + (
            "    cm = np.zeros((10, 10), dtype=int)\n"
            "    for t, p in zip(y_true, y_pred):\n"
            "        cm[t, p] += 1\n"
            "    return cm\n"),
        "fancy_index_no_accumulation": _CONFUSION + (
            "    cm = np.zeros((n_classes, n_classes), dtype=int)\n"
            "    cm[np.asarray(y_true), np.asarray(y_pred)] += 1\n"
            "    return cm\n"),
    },
    "to_image_batch": {
        "height_width_swapped": _TO_IMAGE + "    return np.asarray(X).reshape(-1, width, height, channels)\n",
        "channels_first_order": _TO_IMAGE + (
            "    return np.asarray(X).reshape(-1, channels, height, width).transpose(0, 2, 3, 1)\n"),
        "no_channel_axis": _TO_IMAGE + "    return np.asarray(X).reshape(-1, height, width)\n",
        "batch_from_len": _TO_IMAGE + "    return np.asarray(X).reshape(len(X), height, width, channels)\n",
        "cast_to_float": _TO_IMAGE + "    return np.asarray(X, dtype=np.float32).reshape(-1, height, width, channels)\n",
    },
    "tape_gradients": {
        "gradient_of_the_sum": _tape(cost="-tf.reduce_sum(Y * tf.math.log(A))"),
        "activation_ignored": _tape(phi="tf.nn.relu"),
        "sigmoid_output": _tape(output="tf.math.sigmoid(Z)"),
        "constants_not_watched": _tape(watch="tf.constant"),
    },
    "huber_loss": {
        "no_half_in_quadratic": _HUBER + (
            "    r = np.abs(np.asarray(y_true, dtype=float) - np.asarray(y_pred, dtype=float))\n"
            "    return float(np.mean(np.where(r <= delta, r ** 2, delta * (r - 0.5 * delta))))\n"),
        "linear_part_without_offset": _HUBER + (
            "    r = np.abs(np.asarray(y_true, dtype=float) - np.asarray(y_pred, dtype=float))\n"
            "    return float(np.mean(np.where(r <= delta, 0.5 * r ** 2, delta * r)))\n"),
        "branches_swapped": _HUBER + (
            "    r = np.abs(np.asarray(y_true, dtype=float) - np.asarray(y_pred, dtype=float))\n"
            "    return float(np.mean(np.where(r > delta, 0.5 * r ** 2, delta * (r - 0.5 * delta))))\n"),
        "sum_instead_of_mean": _HUBER + (
            "    r = np.abs(np.asarray(y_true, dtype=float) - np.asarray(y_pred, dtype=float))\n"
            "    return float(np.sum(np.where(r <= delta, 0.5 * r ** 2, delta * (r - 0.5 * delta))))\n"),
        "delta_ignored": _HUBER + (
            "    r = np.abs(np.asarray(y_true, dtype=float) - np.asarray(y_pred, dtype=float))\n"
            "    return float(np.mean(np.where(r <= 1.0, 0.5 * r ** 2, r - 0.5)))\n"),
    },
    "build_regressor": {
        "relu_output": _REGRESSOR + (
            "    model = keras.Sequential([keras.Input(shape=(n_features,))])\n"
            "    for units in hidden:\n"
            "        model.add(keras.layers.Dense(units, activation='relu'))\n"
            "    model.add(keras.layers.Dense(n_outputs, activation='relu'))\n"
            "    model.compile(loss=loss, optimizer=keras.optimizers.Adam(learning_rate=learning_rate), metrics=['mae'])\n"
            "    return model\n"),
        "linear_hidden_layers": _REGRESSOR + (
            "    model = keras.Sequential([keras.Input(shape=(n_features,))])\n"
            "    for units in hidden:\n"
            "        model.add(keras.layers.Dense(units))\n"
            "    model.add(keras.layers.Dense(n_outputs))\n"
            "    model.compile(loss=loss, optimizer=keras.optimizers.Adam(learning_rate=learning_rate), metrics=['mae'])\n"
            "    return model\n"),
        "n_outputs_ignored": _REGRESSOR + (
            "    model = keras.Sequential([keras.Input(shape=(n_features,))])\n"
            "    for units in hidden:\n"
            "        model.add(keras.layers.Dense(units, activation='relu'))\n"
            "    model.add(keras.layers.Dense(1))\n"
            "    model.compile(loss=loss, optimizer=keras.optimizers.Adam(learning_rate=learning_rate), metrics=['mae'])\n"
            "    return model\n"),
        "loss_ignored": _REGRESSOR + (
            "    model = keras.Sequential([keras.Input(shape=(n_features,))])\n"
            "    for units in hidden:\n"
            "        model.add(keras.layers.Dense(units, activation='relu'))\n"
            "    model.add(keras.layers.Dense(n_outputs))\n"
            "    model.compile(loss='mse', optimizer=keras.optimizers.Adam(learning_rate=learning_rate), metrics=['mae'])\n"
            "    return model\n"),
        "sgd_optimizer": _REGRESSOR + (
            "    model = keras.Sequential([keras.Input(shape=(n_features,))])\n"
            "    for units in hidden:\n"
            "        model.add(keras.layers.Dense(units, activation='relu'))\n"
            "    model.add(keras.layers.Dense(n_outputs))\n"
            "    model.compile(loss=loss, optimizer=keras.optimizers.SGD(learning_rate=learning_rate), metrics=['mae'])\n"
            "    return model\n"),
    },
    "search_hyperparameters": {
        "uniform_learning_rate": _search(rate="rng.uniform(1e-4, 1e-1)"),
        "keeps_the_lowest_score": _search(better="score < best_score"),
        "depth_never_three": _search(depth="rng.integers(1, 3)"),
        "one_trial_over_budget": _search(trials="n_trials + 1"),
        "seed_ignored": _search(rng="np.random.default_rng()"),
        "draws_once_outside_the_loop": _SEARCH + (
            "    rng = np.random.default_rng(seed)\n"
            "    params = {'learning_rate': float(10 ** rng.uniform(-4, -1)), 'width': int(rng.choice([16, 32, 64, 128])),\n"
            "              'depth': int(rng.integers(1, 4))}\n"
            "    scores = [evaluate(**params) for _ in range(n_trials)]\n"
            "    return max(scores), params\n"),
    },
}

ALTERNATIVE = {
    "prepare_data": {
        "astype_then_divide_with_split": _PREPARE + (
            "    X_valid, X_train = np.split(X_train_full.astype('float32') / 255.0, [n_valid])\n"
            "    y_valid, y_train = np.split(np.asarray(y_train_full), [n_valid])\n"
            "    return (X_train, y_train), (X_valid, y_valid), X_test.astype('float32') / 255.0\n"),
    },
    "build_model": {
        "functional_api": _BUILD + (
            "    inputs = keras.Input(shape=(28, 28))\n"
            "    h = keras.layers.Flatten()(inputs)\n"
            "    for units in hidden:\n"
            "        h = keras.layers.Dense(units, activation=activation)(h)\n"
            "    outputs = keras.layers.Dense(10, activation='softmax')(h)\n"
            "    return keras.Model(inputs, outputs)\n"),
        "list_and_activation_objects": _BUILD + (
            "    layers = [keras.Input(shape=(28, 28)), keras.layers.Flatten()]\n"
            "    for units in hidden:\n"
            "        layers.append(keras.layers.Dense(units, activation=keras.activations.get(activation)))\n"
            "    layers.append(keras.layers.Dense(10, activation=keras.activations.softmax))\n"
            "    return keras.Sequential(layers)\n"),
    },
    "compile_model": {
        "loss_and_metric_objects": _COMPILE + (
            "    model.compile(loss=keras.losses.SparseCategoricalCrossentropy(),\n"
            "                  optimizer=keras.optimizers.SGD(learning_rate),\n"
            "                  metrics=[keras.metrics.SparseCategoricalAccuracy()])\n"
            "    return model\n"),
        "loss_function_and_string_metric": _COMPILE + (
            "    optimizer = keras.optimizers.get('sgd')\n"
            "    optimizer.learning_rate = learning_rate\n"
            "    model.compile(optimizer=optimizer, loss=keras.losses.sparse_categorical_crossentropy,\n"
            "                  metrics=['sparse_categorical_accuracy'])\n"
            "    return model\n"),
    },
    "predict_classes": {
        "argmax_of_call": _PREDICT + "    return np.argmax(model(X), axis=-1)\n",
    },
    "confusion_matrix": {
        "np_add_at": _CONFUSION + (
            "    cm = np.zeros((n_classes, n_classes), dtype=np.int64)\n"
            "    np.add.at(cm, (np.asarray(y_true, dtype=int), np.asarray(y_pred, dtype=int)), 1)\n"
            "    return cm\n"),
    },
    "to_image_batch": {
        "atleast_2d_then_stack": _TO_IMAGE + (
            "    rows = np.atleast_2d(X)\n"
            "    return np.stack([row.reshape(height, width, channels) for row in rows])\n"),
        "size_arithmetic": _TO_IMAGE + (
            "    X = np.asarray(X)\n"
            "    return np.reshape(X, (X.size // (height * width * channels), height, width, channels))\n"),
    },
    "tape_gradients": {
        "watched_constants_and_logits": _TAPE + (
            "    acts = {'relu': tf.nn.relu, 'tanh': tf.tanh, 'sigmoid': tf.sigmoid}\n"
            "    tensors = [tf.constant(params[name]) for name in params]\n"
            "    with tf.GradientTape() as tape:\n"
            "        tape.watch(tensors)\n"
            "        p = dict(zip(params, tensors))\n"
            "        A = tf.constant(X)\n"
            "        n = len(params) // 2\n"
            "        for l in range(1, n):\n"
            "            A = acts[activation](tf.matmul(A, p['W' + str(l)]) + p['b' + str(l)])\n"
            "        logits = tf.matmul(A, p['W' + str(n)]) + p['b' + str(n)]\n"
            "        cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=Y, logits=logits))\n"
            "    grads = tape.gradient(cost, tensors)\n"
            "    return {name: np.array(g) for name, g in zip(params, grads)}\n"),
    },
    "huber_loss": {
        "clipped_residual": _HUBER + (
            "    r = np.abs(np.subtract(y_true, y_pred, dtype=float))\n"
            "    q = np.minimum(r, delta)\n"
            "    return float(np.mean(0.5 * q ** 2 + delta * (r - q)))\n"),
        "python_loop": _HUBER + (
            "    total, count = 0.0, 0\n"
            "    for t, p in zip(np.ravel(y_true), np.ravel(y_pred)):\n"
            "        r = abs(float(t) - float(p))\n"
            "        total += 0.5 * r * r if r <= delta else delta * (r - delta / 2)\n"
            "        count += 1\n"
            "    return total / count\n"),
    },
    "build_regressor": {
        "functional_api": _REGRESSOR + (
            "    inputs = keras.Input(shape=(n_features,))\n"
            "    h = inputs\n"
            "    for units in hidden:\n"
            "        h = keras.layers.Dense(units, activation=keras.activations.relu)(h)\n"
            "    model = keras.Model(inputs, keras.layers.Dense(n_outputs, activation=None)(h))\n"
            "    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss=loss,\n"
            "                  metrics=[keras.metrics.MeanAbsoluteError()])\n"
            "    return model\n"),
    },
    "search_hyperparameters": {
        "python_random_and_max": _SEARCH + (
            "    import random\n"
            "    draw = random.Random(seed)\n"
            "    trials = []\n"
            "    for _ in range(n_trials):\n"
            "        params = {'depth': draw.randint(1, 3), 'width': draw.choice((16, 32, 64, 128)),\n"
            "                  'learning_rate': 10.0 ** draw.uniform(-4.0, -1.0)}\n"
            "        trials.append((evaluate(**params), params))\n"
            "    return max(trials, key=lambda trial: trial[0])\n"),
    },
}
