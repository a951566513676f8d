"""TensorBoard, as chapter 5c uses it: ``make tensorboard`` serves a run's logs on localhost, and
Chromium, with every other host refused, shows the run's scalars.

The server is started the way a reader starts it (``make tensorboard TB_LOGDIR=... TB_PORT=...``) in
a process group of its own, and the group is always stopped and reaped at the end.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from dlnotes._backend import import_keras
from dlnotes.data import make_pattern_data, to_dataset
from dlnotes.distributed import free_ports
from dlnotes.models import build_mlp

ROOT = Path(__file__).resolve().parent.parent
STARTUP_S = 90


def _write_run(log_dir: Path) -> list[float]:
    """Two epochs of a tiny network logged by keras.callbacks.TensorBoard; their losses."""
    keras = import_keras()
    X, y = make_pattern_data(32, 3, seed=0)
    keras.utils.set_random_seed(0)
    model = build_mlp(3, (4,))
    model.compile(optimizer="sgd", loss="binary_crossentropy")
    history = model.fit(
        to_dataset(X, y, batch_size=16),
        epochs=2,
        verbose=0,
        shuffle=False,
        callbacks=[keras.callbacks.TensorBoard(str(log_dir))],
    )
    return history.history["loss"]


def _get_json(url: str):
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.loads(response.read().decode())


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``make tensorboard`` on one logged run: (base URL, the run's losses); stopped and reaped after."""
    logs = tmp_path_factory.mktemp("tensorboard")
    losses = _write_run(logs / "run-a")
    (port,) = free_ports(1)
    process = subprocess.Popen(
        ["make", "-s", "tensorboard", f"TB_LOGDIR={logs}", f"TB_PORT={port}"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_S
        while True:
            assert process.poll() is None, f"make tensorboard exited with {process.returncode}"
            try:
                tags = _get_json(f"{base}/data/plugin/scalars/tags")
                if "epoch_loss" in tags.get("run-a/train", {}):
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, (
                f"TensorBoard did not serve run-a's scalars within {STARTUP_S} s"
            )
            time.sleep(0.5)
        yield base, losses
    finally:
        # make may have exited with its whole group (the assertion above says why): nothing to stop
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_make_tensorboard_serves_the_logged_losses(server):
    base, losses = server
    points = _get_json(f"{base}/data/plugin/scalars/scalars?run=run-a%2Ftrain&tag=epoch_loss")
    assert [step for _, step, _ in points] == [0, 1]
    assert [value for _, _, value in points] == pytest.approx(losses, rel=1e-6)


def test_chromium_offline_shows_the_run_and_its_scalars(browser, server):
    """A second Chromium from the session's Playwright, offline like the first except for loopback."""
    from _browser import loopback_chromium

    base, _ = server
    chromium = loopback_chromium(browser)
    refused: list[str] = []

    def refuse(route) -> None:
        refused.append(route.request.url)
        route.abort("internetdisconnected")

    try:
        context = chromium.new_context()
        context.route(re.compile(rf"^(?!{re.escape(base)}/|data:|blob:|about:)"), refuse)
        page = context.new_page()
        page.goto(f"{base}/#timeseries", timeout=60_000)
        page.get_by_text("epoch_loss").first.wait_for(timeout=60_000)
        page.get_by_text("run-a/train").first.wait_for(timeout=60_000)
    finally:
        chromium.close()
    assert not refused, f"TensorBoard asked other hosts for {sorted(set(refused))}"
