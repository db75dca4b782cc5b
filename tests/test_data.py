"""course.data: Fashion-MNIST offline (Debian, shared copy, tiny generated IDX files) and toy sets."""

import gzip
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from course import data

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "fashion-mnist"


def write_idx(path, array):
    """Write a uint8 array as a gzipped IDX file."""
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(int(n).to_bytes(4, "big") for n in array.shape)
    with gzip.open(path, "wb") as handle:
        handle.write(header + array.astype(np.uint8).tobytes())


@pytest.fixture
def tiny_set(tmp_path):
    """A valid-format but tiny Fashion-MNIST: 6 training and 4 test images of 28 × 28."""
    rng = np.random.default_rng(0)
    arrays = {
        "train-images-idx3-ubyte.gz": rng.integers(0, 256, (6, 28, 28)),
        "train-labels-idx1-ubyte.gz": np.array([0, 1, 2, 3, 9, 5]),
        "t10k-images-idx3-ubyte.gz": rng.integers(0, 256, (4, 28, 28)),
        "t10k-labels-idx1-ubyte.gz": np.array([9, 8, 7, 6]),
    }
    for name, array in arrays.items():
        write_idx(tmp_path / name, array)
    return tmp_path, arrays


@pytest.fixture
def no_data_anywhere(tmp_path, monkeypatch):
    monkeypatch.delenv(data.ENV_VAR, raising=False)
    monkeypatch.setattr(data, "DEBIAN_DIR", tmp_path / "nothing")
    monkeypatch.chdir(tmp_path)
    # a `shared/data/fashion-mnist` beside an ancestor of the temporary folder (e.g. /tmp/shared) must not count
    searched = data.candidate_dirs
    monkeypatch.setattr(data, "candidate_dirs", lambda data_dir=None: [d for d in searched(data_dir) if not d.exists()])


def test_tiny_generated_set_reads_back_exactly(tiny_set):
    folder, arrays = tiny_set
    (x_train, y_train), (x_test, y_test) = data.load_fashion_mnist(folder, validate=False)
    np.testing.assert_array_equal(x_train, arrays["train-images-idx3-ubyte.gz"])
    np.testing.assert_array_equal(y_test, arrays["t10k-labels-idx1-ubyte.gz"])
    assert x_train.dtype == np.uint8 and x_test.shape == (4, 28, 28)


def test_tiny_set_fails_validation_with_a_clear_message(tiny_set):
    with pytest.raises(ValueError, match=r"x_train debería tener forma \(60000, 28, 28\)"):
        data.load_fashion_mnist(tiny_set[0])


def test_env_var_is_searched_before_debian(tiny_set, monkeypatch):
    monkeypatch.setenv(data.ENV_VAR, str(tiny_set[0]))
    assert data.find_fashion_mnist() == tiny_set[0]


def test_missing_data_gives_spanish_instructions(no_data_anywhere):
    with pytest.raises(FileNotFoundError) as info:
        data.load_fashion_mnist()
    message = str(info.value)
    assert "No encuentro los archivos de Fashion-MNIST" in message
    assert "apt-get install dataset-fashion-mnist" in message and "FASHION_MNIST_DIR" in message


def test_corrupt_idx_is_refused(tmp_path):
    with gzip.open(tmp_path / "bad.gz", "wb") as handle:
        handle.write(b"\x00\x00\x08\x01" + (10).to_bytes(4, "big") + b"\x01\x02")
    with pytest.raises(ValueError, match="cabecera"):
        data.read_idx(tmp_path / "bad.gz")


def available(folder):
    return all((folder / name).is_file() for name in data.FASHION_FILES)


@pytest.mark.parametrize("folder", [data.DEBIAN_DIR, SHARED], ids=["debian", "shared"])
def test_real_files_load(folder):
    if not available(folder):
        pytest.skip(f"no Fashion-MNIST in {folder} (Debian: apt-get install dataset-fashion-mnist)")
    (x_train, y_train), (x_test, y_test) = data.load_fashion_mnist(folder)
    assert x_train.shape == (60000, 28, 28) and y_test.shape == (10000,)
    assert np.bincount(y_train).tolist() == [6000] * 10 and np.bincount(y_test).tolist() == [1000] * 10


def test_debian_and_shared_copies_hold_the_same_images():
    """The gzip headers differ; the content must not."""
    if not (available(data.DEBIAN_DIR) and available(SHARED)):
        pytest.skip("needs both ../shared/data and the Debian package: apt-get install dataset-fashion-mnist")
    debian, shared = data.load_fashion_mnist(data.DEBIAN_DIR), data.load_fashion_mnist(SHARED)
    for a, b in zip(debian, shared):
        for x, y in zip(a, b):
            np.testing.assert_array_equal(x, y)


def test_seeding_the_cache_never_leaves_half_written_files(tiny_set, tmp_path, monkeypatch):
    cache = tmp_path / "cache"

    def broken_copy(src, dst):
        dst.write(b"partial")
        raise OSError("disco lleno")

    monkeypatch.setattr(shutil, "copyfileobj", broken_copy)
    with pytest.raises(OSError):
        data.seed_keras_cache(tiny_set[0], cache)
    assert list(cache.iterdir()) == []


def test_real_keras_loader_works_offline_from_the_seeded_cache(tiny_set, tmp_path):
    """Runs the real `keras.datasets.fashion_mnist.load_data()` in a fresh process with its own KERAS_HOME."""
    code = (
        "from course import data\n"
        f"(x, y), (xt, yt) = data.load_fashion_mnist({str(tiny_set[0])!r}, use_keras=True, validate=False)\n"
        "print(x.shape, y.tolist(), xt.shape, yt.tolist())\n"
    )
    env = dict(os.environ, KERAS_HOME=str(tmp_path / "keras_home"), TF_CPP_MIN_LOG_LEVEL="3",
               HTTPS_PROXY="http://127.0.0.1:9", HTTP_PROXY="http://127.0.0.1:9")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "(6, 28, 28) [0, 1, 2, 3, 9, 5] (4, 28, 28) [9, 8, 7, 6]"
    cached = sorted(p.name for p in (tmp_path / "keras_home" / "datasets" / "fashion-mnist").iterdir())
    assert cached == sorted(data.FASHION_FILES)


def test_subset_is_scaled_flat_and_deterministic():
    try:
        a = data.fashion_mnist_subset(50, 10, seed=1)
    except FileNotFoundError:
        pytest.skip("no Fashion-MNIST on this machine")
    b = data.fashion_mnist_subset(50, 10, seed=1)
    (X, y), (Xt, yt) = a
    assert X.shape == (50, 784) and X.dtype == np.float32 and 0 <= X.min() and X.max() <= 1
    np.testing.assert_array_equal(X, b[0][0])


@pytest.mark.parametrize("name, expected", [("AND", [0, 0, 0, 1]), ("or", [0, 1, 1, 1]), ("XOR", [0, 1, 1, 0])])
def test_logic_gates(name, expected):
    X, y = data.logic_gate(name)
    assert X.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]] and y.tolist() == expected


def test_unknown_gate_is_a_clear_error():
    with pytest.raises(ValueError, match="Compuerta desconocida"):
        data.logic_gate("XNORR")


@pytest.mark.parametrize("maker", [data.make_moons, data.make_circles])
def test_toy_sets_are_balanced_seeded_and_noisy(maker):
    X, y = maker(101, seed=3)
    X2, _ = maker(101, seed=3)
    assert X.shape == (101, 2) and sorted(set(y.tolist())) == [0.0, 1.0]
    assert abs(int(y.sum()) - 50) <= 1
    np.testing.assert_array_equal(X, X2)
    assert not np.array_equal(X, maker(101, seed=4)[0])
