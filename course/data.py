"""Datos del curso: Fashion-MNIST sin conexión y conjuntos pequeños de juguete (compuertas, lunas, círculos).

Fashion-MNIST se busca, por orden, en: el directorio `data_dir`, la variable de entorno
`FASHION_MNIST_DIR`, `/usr/share/datasets/fashion-mnist/` (paquete Debian `dataset-fashion-mnist`)
y `../shared/data/fashion-mnist/` (subiendo desde el directorio actual). Con `use_keras=True` se
carga con el `keras.datasets.fashion_mnist.load_data()` de verdad, tras copiar los archivos a la
caché de Keras; con `use_keras=False` se leen con NumPy (los cuadernos 01–06 no importan TensorFlow).
"""

import gzip
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np

Split = tuple[np.ndarray, np.ndarray]

FASHION_FILES = (
    "train-images-idx3-ubyte.gz",
    "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
)
CLASS_NAMES = (
    "Camiseta/top", "Pantalón", "Suéter", "Vestido", "Abrigo",
    "Sandalia", "Camisa", "Zapatilla", "Bolso", "Botín",
)
DEBIAN_DIR = Path("/usr/share/datasets/fashion-mnist")
ENV_VAR = "FASHION_MNIST_DIR"

MISSING_DATA_HELP = (
    "No encuentro los archivos de Fashion-MNIST ({files}). Busqué en: {searched}.\n"
    "Cómo conseguirlos:\n"
    "  * en Debian/Ubuntu: sudo apt-get install dataset-fashion-mnist\n"
    "  * o descarga los cuatro archivos .gz de github.com/zalandoresearch/fashion-mnist y pon su\n"
    "    carpeta en la variable de entorno FASHION_MNIST_DIR (o pásala como data_dir=...)\n"
    "  * con internet, keras.datasets.fashion_mnist.load_data() los descarga por sí mismo."
)


def candidate_dirs(data_dir: str | Path | None = None) -> list[Path]:
    """Directorios donde buscar Fashion-MNIST, en orden de preferencia."""
    dirs = [Path(d) for d in (data_dir, os.environ.get(ENV_VAR)) if d]
    dirs.append(DEBIAN_DIR)
    here = Path.cwd().resolve()
    dirs += [parent / "shared" / "data" / "fashion-mnist" for parent in (here, *here.parents)]
    return dirs


def find_fashion_mnist(data_dir: str | Path | None = None) -> Path:
    """Devuelve el primer directorio que contiene los cuatro archivos; si no hay, un error claro."""
    dirs = candidate_dirs(data_dir)
    for directory in dirs:
        if all((directory / name).is_file() for name in FASHION_FILES):
            return directory
    searched = ", ".join(str(d) for d in dirs[:4]) + (", …" if len(dirs) > 4 else "")
    raise FileNotFoundError(MISSING_DATA_HELP.format(files=", ".join(FASHION_FILES), searched=searched))


def read_idx(path: str | Path) -> np.ndarray:
    """Lee un archivo IDX comprimido con gzip y devuelve un arreglo `uint8`."""
    with gzip.open(path, "rb") as handle:
        raw = handle.read()
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08:
        raise ValueError(f"{path} no es un archivo IDX de bytes sin signo.")
    ndim = raw[3]
    shape = tuple(int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim)
    if data.size != int(np.prod(shape)):
        raise ValueError(f"{path}: la cabecera anuncia {shape} pero hay {data.size} bytes.")
    return data.reshape(shape)


def keras_cache_dir() -> Path:
    """La carpeta donde `keras.datasets.fashion_mnist` busca sus archivos (la misma regla que Keras)."""
    home = os.environ.get("KERAS_HOME")
    if not home:
        base = os.path.expanduser("~")
        home = os.path.join(base if os.access(base, os.W_OK) else "/tmp", ".keras")
    base = Path(os.path.expanduser(home))
    if base.exists() and not os.access(base, os.W_OK):  # get_file() cae en /tmp/.keras en ese caso
        base = Path("/tmp" if os.path.isdir("/tmp") else tempfile.gettempdir()) / ".keras"
    return base / "datasets" / "fashion-mnist"


def seed_keras_cache(source_dir: str | Path, cache_dir: str | Path | None = None) -> Path:
    """Copia los archivos a la caché de Keras de forma atómica (nunca queda un archivo a medias)."""
    cache_dir = Path(cache_dir) if cache_dir else keras_cache_dir()
    cache_dir.mkdir(parents=True, exist_ok=True)
    for name in FASHION_FILES:
        target = cache_dir / name
        if target.is_file() and target.stat().st_size == (Path(source_dir) / name).stat().st_size:
            continue
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=cache_dir)
        try:
            with os.fdopen(fd, "wb") as out, open(Path(source_dir) / name, "rb") as src:
                shutil.copyfileobj(src, out)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return cache_dir


def validate_fashion_mnist(train: Split, test: Split) -> None:
    """Comprueba formas (60000/10000 × 28 × 28) y etiquetas 0–9; lanza ValueError si no."""
    (x_train, y_train), (x_test, y_test) = train, test
    expected = {"x_train": (60000, 28, 28), "y_train": (60000,), "x_test": (10000, 28, 28), "y_test": (10000,)}
    got = {"x_train": x_train.shape, "y_train": y_train.shape, "x_test": x_test.shape, "y_test": y_test.shape}
    for key, shape in expected.items():
        if tuple(got[key]) != shape:
            raise ValueError(f"Fashion-MNIST: {key} debería tener forma {shape} y tiene {tuple(got[key])}.")
    for labels in (y_train, y_test):
        if labels.min() < 0 or labels.max() > 9:
            raise ValueError("Fashion-MNIST: las etiquetas deben estar entre 0 y 9.")


def load_fashion_mnist(
    data_dir: str | Path | None = None, use_keras: bool = False, validate: bool = True
) -> tuple[Split, Split]:
    """Carga Fashion-MNIST sin conexión: `((x_train, y_train), (x_test, y_test))` en `uint8`.

    x: (60000, 28, 28) y (10000, 28, 28); y: (60000,) y (10000,) con clases 0–9 (`CLASS_NAMES`).
    Con `use_keras=True` usa `keras.datasets.fashion_mnist.load_data()` tras sembrar su caché.
    """
    source = find_fashion_mnist(data_dir)
    if use_keras:
        seed_keras_cache(source)
        from keras.datasets import fashion_mnist  # solo el cuaderno 07 importa Keras

        train, test = fashion_mnist.load_data()
    else:
        arrays = [read_idx(source / name) for name in FASHION_FILES]
        train, test = (arrays[0], arrays[1]), (arrays[2], arrays[3])
    if validate:
        validate_fashion_mnist(train, test)
    return train, test


def fashion_mnist_subset(
    n_train: int = 5000, n_test: int = 1000, seed: int = 0, data_dir: str | Path | None = None
) -> tuple[Split, Split]:
    """Subconjunto aleatorio (fijo para `seed`) escalado a [0, 1], con imágenes aplanadas a 784.

    Devuelve `(X_train, y_train), (X_test, y_test)` con X en float32 de forma (n, 784).
    """
    (x_train, y_train), (x_test, y_test) = load_fashion_mnist(data_dir)
    rng = np.random.default_rng(seed)
    i_train = rng.choice(len(x_train), size=n_train, replace=False)
    i_test = rng.choice(len(x_test), size=n_test, replace=False)

    def flat(images):
        return images.reshape(len(images), -1).astype(np.float32) / np.float32(255.0)

    return (flat(x_train[i_train]), y_train[i_train].astype(np.int64)), (
        flat(x_test[i_test]), y_test[i_test].astype(np.int64))


# --- Conjuntos de juguete (NumPy puro) --------------------------------------------------------

GATES = {
    "AND": (0, 0, 0, 1),
    "OR": (0, 1, 1, 1),
    "XOR": (0, 1, 1, 0),
    "NAND": (1, 1, 1, 0),
    "NOR": (1, 0, 0, 0),
}


def logic_gate(name: str) -> Split:
    """Tabla de verdad de una compuerta: X (4, 2) con 00, 01, 10, 11 y y (4,), en float."""
    key = str(name).upper()
    if key not in GATES:
        raise ValueError(f"Compuerta desconocida {name!r}; elige entre {', '.join(GATES)}.")
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    return X, np.array(GATES[key], dtype=float)


def make_moons(n: int = 200, noise: float = 0.2, seed: int = 0) -> Split:
    """Dos medias lunas entrelazadas: X (n, 2) float, y (n,) con clases 0/1."""
    rng = np.random.default_rng(seed)
    n_out = n // 2
    n_in = n - n_out
    t_out = np.linspace(0, np.pi, n_out)
    t_in = np.linspace(0, np.pi, n_in)
    X = np.vstack([
        np.column_stack([np.cos(t_out), np.sin(t_out)]),
        np.column_stack([1 - np.cos(t_in), 0.5 - np.sin(t_in)]),
    ])
    y = np.concatenate([np.zeros(n_out), np.ones(n_in)])
    X += rng.normal(scale=noise, size=X.shape)
    order = rng.permutation(n)
    return X[order], y[order]


def make_circles(n: int = 200, noise: float = 0.1, factor: float = 0.5, seed: int = 0) -> Split:
    """Dos círculos concéntricos (radios 1 y `factor`): X (n, 2) float, y (n,) con clases 0/1."""
    rng = np.random.default_rng(seed)
    n_out = n // 2
    n_in = n - n_out
    angles = np.concatenate([np.linspace(0, 2 * np.pi, n_out, endpoint=False),
                             np.linspace(0, 2 * np.pi, n_in, endpoint=False)])
    radius = np.concatenate([np.ones(n_out), np.full(n_in, factor)])
    X = np.column_stack([radius * np.cos(angles), radius * np.sin(angles)])
    X += rng.normal(scale=noise, size=X.shape)
    y = np.concatenate([np.zeros(n_out), np.ones(n_in)])
    order = rng.permutation(n)
    return X[order], y[order]
