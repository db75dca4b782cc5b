"""P4 — the course's NumPy MLP (`course.mlp.fit` with `autograder.reference.mlp`) vs Keras on the same 784-300-100-10 net, data and batch size, vs the machine's floor.

Floor: the epoch's floating-point operations (`course.sgd.epoch_flops`, ≈ 6 × weights × images) divided by the
measured rate of a large float32 matrix product (`course.sgd.matmul_gflops`). Targets: ≤ 1.5× the floor and ≥ 4× faster than Keras's `fit` at batch 32.
"""

import time

import numpy as np
from threadpoolctl import threadpool_limits

from autograder.reference import mlp as reference
from course import data, mlp
from course.sgd import epoch_flops, matmul_gflops

LAYERS = (784, 300, 100, 10)


def numpy_run(X, y, X_test, y_test, epochs, batch_size, lr=0.01):
    params = reference.he_init(LAYERS, np.random.default_rng(0), dtype=np.float32)
    start = time.perf_counter()
    params, _ = mlp.fit(reference.net, params, X, y, reference.sgd_in_place(lr), epochs=epochs,
                          batches=reference.minibatches(batch_size))
    seconds = (time.perf_counter() - start) / epochs
    return seconds, reference.net.accuracy(params, X_test, y_test)


def keras_run(X, y, X_test, y_test, epochs, batch_size, lr=0.01):
    import keras

    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input(shape=(784,)), keras.layers.Dense(300, activation="relu"),
                              keras.layers.Dense(100, activation="relu"), keras.layers.Dense(10, activation="softmax")])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=lr), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    model.fit(X[:batch_size * 4], y[:batch_size * 4], batch_size=batch_size, epochs=1, verbose=0)  # tracing
    start = time.perf_counter()
    model.fit(X, y, batch_size=batch_size, epochs=epochs, verbose=0)
    seconds = (time.perf_counter() - start) / epochs
    return seconds, float(model.evaluate(X_test, y_test, verbose=0)[1])


def small_matmul_gflops():
    """GFLOP/s of the first layer's product for one mini-batch of 32 on one BLAS thread (as `mlp.fit` runs it)."""
    with threadpool_limits(limits=1, user_api="blas"):
        return matmul_gflops(shape=(32, 784, 300), repeats=2000)


def measure(quick=False):
    n_train, epochs = (5000, 1) if quick else (55000, 3)
    (X, y), (X_test, y_test) = data.fashion_mnist_subset(n_train, 10000, seed=0)
    rate = matmul_gflops(1024 if quick else 2048)
    gflop = epoch_flops(n_train, LAYERS) / 1e9
    floor = gflop / rate
    rows = []
    for batch_size in (32,) if quick else (32, 128, 256):
        np_s, np_acc = numpy_run(X, y, X_test, y_test, epochs, batch_size)
        k_s, k_acc = keras_run(X, y, X_test, y_test, epochs, batch_size)
        rows.append({"lote": batch_size, "imágenes": n_train, "épocas": epochs, "suelo (s/época)": round(floor, 3),
                     "NumPy (s/época)": round(np_s, 3), "NumPy/suelo": round(np_s / floor, 2),
                     "Keras (s/época)": round(k_s, 3), "Keras/NumPy": round(k_s / np_s, 2),
                     "exactitud NumPy": round(np_acc, 4), "exactitud Keras": round(k_acc, 4)})
    notes = [f"producto de matrices float32 grande: {rate:.0f} GFLOP/s; una época = {gflop:.1f} GFLOP",
             "objetivos: NumPy/suelo ≤ 1.5 y Keras/NumPy ≥ 4 con lote 32",
             f"producto de un mini-lote de 32 (32×784 · 784×300, un hilo): {small_matmul_gflops():.0f} GFLOP/s"]
    return rows, notes
