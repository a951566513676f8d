"""Does the installed Keras train a model replicated on two devices as one device would? (issue 16)

One plain-Keras training step (no dlnotes helper in the way) on 40 samples in one full batch, once on
one device and once under ``MirroredStrategy`` over two logical CPUs (20 samples per replica), from
the same initial weights, with SGD at learning rate 1 so that a weight's change is minus its
gradient. Printed, as one line of JSON:

* ``loss_single`` / ``loss_mirrored``: the loss ``fit`` reports for the step (the mirrored one is
  the first replica's only before Keras 3.7);
* ``step_ratio_min`` / ``step_ratio_max``: each weight's change under the strategy divided by its
  change on one device: 1 when the replicas' gradients are combined right, 2 when their mean
  gradients are summed without dividing by the number of replicas (Keras 3.5 to 3.7), anything
  (even negative) when each replica applies its own gradient (Keras 3.3 and 3.4);
* ``copies_apart``: how far the two replicas' copies of the first kernel are from each other after
  the step: 0 when they stay mirrored.

Run it in each environment, e.g. ``.venv/bin/python benchmarks/replicas.py`` and
``_build/venv-oldest/bin/python benchmarks/replicas.py``, or in a scratch environment with
another Keras. dlnotes refuses what this shows to be wrong: ``train_mlp`` in the scope of several
replicas before Keras 3.8, ``train_custom`` and ``run_multiworker`` before 3.5.
"""

from __future__ import annotations

import contextlib
import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)

import keras  # noqa: E402


def one_step(scope) -> tuple[float, np.ndarray, float]:
    """Loss reported, change of every weight, and how far the replicas' copies ended apart."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3)).astype(np.float32)
    y = (X[:, 0] + 0.5 * X[:, 1] > 0).astype(np.float32)
    keras.utils.set_random_seed(0)
    with scope:
        model = keras.Sequential(
            [
                keras.Input((3,)),
                keras.layers.Dense(8, activation="relu"),
                keras.layers.Dense(1, activation="sigmoid"),
            ]
        )
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=1.0), loss="binary_crossentropy")
    before = [np.asarray(w) for w in model.get_weights()]
    data = tf.data.Dataset.from_tensor_slices((X, y)).batch(40).repeat()
    history = model.fit(data, steps_per_epoch=1, epochs=1, verbose=0)
    change = np.concatenate([(np.asarray(a) - b).ravel() for a, b in zip(model.get_weights(), before)])
    variable = model.trainable_variables[0].value
    copies = [np.asarray(c) for c in getattr(variable, "values", [variable])]
    return history.history["loss"][0], change, float(max(np.abs(c - copies[0]).max() for c in copies))


loss_single, change_single, _ = one_step(contextlib.nullcontext())
strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
loss_mirrored, change_mirrored, apart = one_step(strategy.scope())
moved = np.abs(change_single) > 1e-6  # weights whose gradient is not (near) zero, e.g. dead ReLU units
ratio = change_mirrored[moved] / change_single[moved]
print(
    json.dumps(
        {
            "tensorflow": tf.__version__,
            "keras": keras.__version__,
            "replicas": strategy.num_replicas_in_sync,
            "loss_single": round(loss_single, 6),
            "loss_mirrored": round(loss_mirrored, 6),
            "step_ratio_min": round(float(ratio.min()), 4),
            "step_ratio_max": round(float(ratio.max()), 4),
            "copies_apart": round(apart, 6),
        }
    )
)
