"""dlnotes as readers install it: one version, a wheel that holds the package only, a supported range of
TensorFlow versions, and environments locked to the last package."""

from __future__ import annotations

import importlib.metadata
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import tomllib

import dlnotes

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
INSTALLED_WHEEL = os.environ.get("DLNOTES_INSTALLED_WHEEL") == "1"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def _name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(path: Path) -> dict[str, str]:
    """name -> version of every `name==version` line (requirements or lock file)."""
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            pins.setdefault(_name(match.group(1)), match.group(2))
    return pins


def _lower_bounds() -> dict[str, str]:
    bounds = {}
    for requirement in PYPROJECT["project"]["dependencies"]:
        match = re.fullmatch(r"([A-Za-z0-9._-]+)>=([0-9.]+)", requirement)
        assert match, f"{requirement!r}: dependencies give a lower bound only (name>=version)"
        bounds[_name(match.group(1))] = match.group(2)
    return bounds


def test_version_is_written_in_one_place():
    project = PYPROJECT["project"]
    assert "version" not in project and "version" in project["dynamic"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "dlnotes.__version__"}
    assert importlib.metadata.version("dlnotes") == dlnotes.__version__


def test_dependencies_are_a_range_that_starts_at_the_oldest_tested_versions():
    """No upper bound (dlnotes installs beside a newer TensorFlow); each lower bound is what test-oldest pins."""
    bounds = _lower_bounds()
    assert {"tensorflow", "keras", "numpy"} <= set(bounds)
    oldest = _pins(ROOT / "requirements-oldest.txt")
    for name, bound in bounds.items():
        assert name in oldest, f"requirements-oldest.txt does not pin {name}"
        assert oldest[name] == bound or oldest[name].startswith(bound + "."), (
            f"pyproject.toml requires {name}>={bound} but the oldest environment tests {name}=={oldest[name]}"
        )
    assert oldest["tensorflow"].startswith("2.16.") and oldest["numpy"].startswith("1.")


def test_the_book_pins_versions_inside_the_supported_range():
    book = _pins(ROOT / "requirements.txt")
    for name, bound in _lower_bounds().items():
        have = tuple(int(part) for part in book[name].split(".")[:2])
        need = tuple(int(part) for part in bound.split(".")[:2])
        assert have >= need, f"requirements.txt pins {name}=={book[name]}, below pyproject's {name}>={bound}"


@pytest.mark.parametrize(
    "source, lock",
    [
        ("requirements.txt", "requirements-lock.txt"),
        ("requirements-oldest.txt", "requirements-oldest-lock.txt"),
    ],
)
def test_lock_pins_every_package_with_hashes_and_matches_its_input(source, lock):
    text = (ROOT / lock).read_text(encoding="utf-8")
    blocks = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2] if text.startswith("#") else text)
    packages = [block for block in blocks if PIN.match(block)]
    assert len(packages) >= 40, f"{lock} pins only {len(packages)} packages"
    for block in packages:
        assert "--hash=sha256:" in block, f"{lock}: no hash for {block.splitlines()[0]}"
    for block in blocks:
        first = block.strip().splitlines()[0] if block.strip() else ""
        assert not first or first.startswith("#") or PIN.match(first), f"{lock}: unpinned line {first!r}"
    locked = _pins(ROOT / lock)
    for name, version in _pins(ROOT / source).items():
        assert locked.get(name) == version, (
            f"{source} pins {name}=={version} but {lock} has {locked.get(name)}: run `make lock`"
        )


def test_the_intro_quotes_the_locked_versions():
    """The versions the intro page gives for reproducing the book's numbers are the locked ones."""
    quoted = {
        _name(name): version
        for name, version in re.findall(
            r"([A-Za-z][A-Za-z0-9._-]*)==([0-9][0-9A-Za-z.]*)", (ROOT / "book" / "intro.md").read_text()
        )
    }
    assert {"tensorflow", "keras", "numpy", "scikit-learn", "matplotlib"} <= set(quoted)
    locked = _pins(ROOT / "requirements-lock.txt")
    for name, version in quoted.items():
        assert locked.get(name) == version, (
            f"book/intro.md quotes {name}=={version}, the lock has {locked.get(name)}"
        )


def _wheel(tmp_path: Path) -> Path:
    """The wheel `make test-oldest` installed, or one built now from this tree (offline, no isolation)."""
    if os.environ.get("DLNOTES_WHEEL"):
        return Path(os.environ["DLNOTES_WHEEL"])
    pytest.importorskip(
        "setuptools", reason="building the wheel here needs setuptools (in requirements-lock.txt)"
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    (wheel,) = tmp_path.glob("dlnotes-*.whl")
    return wheel


def test_wheel_holds_the_package_only(tmp_path):
    wheel = _wheel(tmp_path)
    assert wheel.name == f"dlnotes-{dlnotes.__version__}-py3-none-any.whl"
    names = zipfile.ZipFile(wheel).namelist()
    info = f"dlnotes-{dlnotes.__version__}.dist-info/"
    package = {name for name in names if not name.startswith(info)}
    assert package == {path.relative_to(ROOT).as_posix() for path in (ROOT / "dlnotes").rglob("*.py")}
    metadata = zipfile.ZipFile(wheel).read(info + "METADATA").decode()
    assert sorted(re.findall(r"^Requires-Dist: (.+)$", metadata, re.M)) == sorted(
        PYPROJECT["project"]["dependencies"]
    )


@pytest.mark.skipif(not INSTALLED_WHEEL, reason="checks the oldest environment of `make test-oldest` only")
def test_the_wheel_was_installed_beside_the_oldest_tensorflow_without_replacing_it():
    import numpy

    from dlnotes._backend import import_keras, import_tensorflow

    oldest = _pins(ROOT / "requirements-oldest.txt")
    assert import_tensorflow().__version__ == oldest["tensorflow"]
    assert import_keras().__version__ == oldest["keras"]
    assert numpy.__version__ == oldest["numpy"]
    assert Path(dlnotes.__file__).resolve().parent != ROOT / "dlnotes"
