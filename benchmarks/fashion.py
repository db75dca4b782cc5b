"""P3 — Fashion-MNIST with Keras: the seed recipe over 3 seeds and the notebook's "reto" model.

Seed recipe (notebook 07, as in the seed lesson): Flatten → Dense(300, relu) → Dense(100, relu) → Dense(10,
softmax), SGD η = 0.01, 30 epochs, 55,000 training / 5,000 validation images; target: mean test accuracy within
±0.01 of the seed's 0.8822. Reto (the notebook's last section): Adam with cosine decay, BatchNorm and Dropout;
target ≥ 0.900 in < 5 min of training on 2 cores.
"""

import statistics
import time

import numpy as np

from course import data

SEED_ACCURACY = 0.8822


def load():
    (x_full, y_full), (x_test, y_test) = data.load_fashion_mnist(use_keras=True)
    scale = np.float32(255.0)
    x_full, x_test = x_full.astype(np.float32) / scale, x_test.astype(np.float32) / scale
    return (x_full[5000:], y_full[5000:]), (x_full[:5000], y_full[:5000]), (x_test, y_test)


def dense_model(units, dropout=None):
    """The seed's Sequential (plain Dense layers) or, with `dropout`, the reto's Dense → BatchNorm → ReLU → Dropout."""
    import keras

    layers = [keras.Input(shape=(28, 28)), keras.layers.Flatten()]
    for n in units:
        if dropout is None:
            layers.append(keras.layers.Dense(n, activation="relu"))
        else:
            layers += [keras.layers.Dense(n, use_bias=False), keras.layers.BatchNormalization(),
                       keras.layers.Activation("relu"), keras.layers.Dropout(dropout)]
    layers.append(keras.layers.Dense(10, activation="softmax"))
    return keras.Sequential(layers)


def run(train, valid, test, seed, epochs, reto=False):
    """Train one model; `(test accuracy, seconds of fit, epochs)`."""
    import keras

    keras.utils.set_random_seed(seed)
    if reto:
        model = dense_model((512, 256), dropout=0.3)
        steps = epochs * int(np.ceil(len(train[0]) / 128))
        optimizer = keras.optimizers.Adam(keras.optimizers.schedules.CosineDecay(1e-3, decay_steps=steps))
        batch_size = 128
    else:
        model, optimizer, batch_size = dense_model((300, 100)), keras.optimizers.SGD(learning_rate=0.01), 32
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    start = time.perf_counter()
    model.fit(*train, epochs=epochs, batch_size=batch_size, validation_data=valid, verbose=0)
    seconds = time.perf_counter() - start
    return float(model.evaluate(*test, verbose=0)[1]), seconds


def measure(quick=False):
    train, valid, test = load()
    if quick:
        train = (train[0][:5000], train[1][:5000])
    seeds, epochs, reto_epochs = ((42,), 1, 1) if quick else ((42, 43, 44), 30, 25)
    seed_runs = [run(train, valid, test, seed, epochs) for seed in seeds]
    accuracies = [acc for acc, _ in seed_runs]
    mean = statistics.mean(accuracies)
    std = statistics.stdev(accuracies) if len(accuracies) > 1 else 0.0
    reto_acc, reto_seconds = run(train, valid, test, 42, reto_epochs, reto=True)
    rows = [
        {"modelo": "receta de la semilla (SGD, 784-300-100-10)", "semillas": len(seeds), "épocas": epochs,
         "exactitud en test": f"{mean:.4f} ± {std:.4f}", "objetivo": f"{SEED_ACCURACY} ± 0.01",
         "cumple": "sí" if abs(mean - SEED_ACCURACY) <= 0.01 else "NO",
         "s/época": round(statistics.mean(s for _, s in seed_runs) / epochs, 2)},
        {"modelo": "reto (Adam + BatchNorm + Dropout)", "semillas": 1, "épocas": reto_epochs,
         "exactitud en test": f"{reto_acc:.4f}", "objetivo": "≥ 0.900 en < 300 s",
         "cumple": "sí" if reto_acc >= 0.9 and reto_seconds < 300 else "NO",
         "s/época": round(reto_seconds / reto_epochs, 2)},
    ]
    notes = [f"exactitudes por semilla: {', '.join(f'{a:.4f}' for a in accuracies)}",
             f"reto: {reto_seconds:.0f} s de entrenamiento"]
    if quick:
        notes.append("--quick: 5 000 imágenes y 1 época; los objetivos solo valen sin --quick")
    return rows, notes
