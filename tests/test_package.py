"""The package as a whole: light import, seeding, public API."""

import subprocess
import sys

import numpy as np

import dlnotes


def _modules_loaded_by_import(module: str) -> set[str]:
    code = f"import sys, {module}; print(' '.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_import_does_not_load_tensorflow_keras_or_matplotlib():
    loaded = _modules_loaded_by_import("dlnotes")
    heavy = {"tensorflow", "keras", "matplotlib", "sklearn"} & loaded
    assert not heavy, (
        f"import dlnotes loaded {sorted(heavy)}; import them inside the functions that need them"
    )


def test_seed_everything_repeats_numpy_python_and_keras():
    import random

    import keras

    def draw():
        layer = keras.layers.Dense(3)
        layer.build((None, 2))
        kernel = np.asarray(layer.kernel).tolist()
        return (np.random.rand(), random.random(), float(keras.random.uniform((1,))[0]), kernel)

    dlnotes.seed_everything(7)
    first = draw()
    dlnotes.seed_everything(7)
    second = draw()
    dlnotes.seed_everything(8)
    third = draw()
    assert first == second
    assert all(a != b for a, b in zip(first, third))  # each source, the Keras weights too, follows the seed


def test_seed_everything_gives_identical_initial_weights():
    from dlnotes._backend import import_keras

    keras = import_keras()

    def weights():
        dlnotes.seed_everything(3)
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(5)])
        return model.get_weights()[0]

    np.testing.assert_array_equal(weights(), weights())


def test_quiet_import_prints_nothing_on_stderr():
    code = "import dlnotes; dlnotes.seed_everything(0); import keras; keras.ops.ones((2,)).numpy()"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stderr == ""


def test_public_names_exist():
    for name in dlnotes.__all__:
        assert hasattr(dlnotes, name), name
