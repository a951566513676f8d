"""dlnotes as readers install it: one version, a wheel that holds the package only, a supported range of
TensorFlow versions tested at its oldest end, in its middle and at the book's end, and environments locked
to the last package."""

from __future__ import annotations

import importlib.metadata
import os
import re
import shutil
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
# the environments `make test-ENV` installs the wheel into (requirements-ENV.txt), oldest first
TEST_ENVS = ("oldest", "middle")
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
        *((f"requirements-{env}.txt", f"requirements-{env}-lock.txt") for env in TEST_ENVS),
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


def _minor(version: str) -> tuple[int, int]:
    major, minor = version.split(".")[:2]
    return int(major), int(minor)


def test_the_middle_environment_lies_strictly_inside_the_supported_range():
    """Its TensorFlow is neither end: newer than pyproject's lower bound, older than the book's; its Keras
    and NumPy lie between the two ends' too, so it tests versions that neither end does."""
    bound = _minor(_lower_bounds()["tensorflow"])
    middle = _pins(ROOT / "requirements-middle-lock.txt")
    book = _pins(ROOT / "requirements-lock.txt")
    assert bound < _minor(middle["tensorflow"]) < _minor(book["tensorflow"]), (
        f"requirements-middle-lock.txt has tensorflow=={middle['tensorflow']}: not strictly between "
        f"pyproject's tensorflow>={'.'.join(map(str, bound))} and the book's {book['tensorflow']}"
    )
    oldest = _pins(ROOT / "requirements-oldest-lock.txt")
    for name in ("keras", "numpy", "scikit-learn", "matplotlib"):
        assert _minor(oldest[name]) < _minor(middle[name]) < _minor(book[name]), (
            f"{name}: the middle lock has {middle[name]}, not between {oldest[name]} and {book[name]}"
        )


def _make_dry_run(*targets: str) -> str:
    make = shutil.which("make")
    if make is None:
        pytest.skip("reads the Makefile with `make -n`; there is no make here")
    # UV=uv: the commands as uv runs them, whatever this machine has; nothing is run (-n), and no
    # target of these recipes is made by a recursive $(MAKE) line
    result = subprocess.run(
        [make, "-n", "--no-print-directory", "UV=uv", *targets],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_make_test_runs_every_notebook_in_every_floating_point_factor():
    """The notebooks' runs of `make test` cover one thread, oneDNN capped at SSE4.1 and oneDNN off (the
    first two may share a run, issue 30's CI time; the ISA cap may not ride on the Eigen run, where
    it means nothing), besides the default run of every test and notebook."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^test:.*\n((?:\t.*\n)+)", makefile, re.M)
    assert recipe, "the Makefile has no `test:` rule"
    runs = [line for line in recipe.group(1).splitlines() if "-m pytest" in line]
    assert runs[0].strip() == "$(PY) -m pytest $(PYTEST_ARGS)", runs  # everything, notebooks too
    notebooks = [line for line in runs[1:] if line.rstrip().endswith(" book")]
    assert len(notebooks) == len(runs) - 1, runs
    one_core = [line for line in notebooks if "scripts/one_core.py --each-worker" in line]
    sse41 = [line for line in notebooks if re.search(r"\bONEDNN_MAX_CPU_ISA=SSE41\b", line)]
    eigen = [line for line in notebooks if re.search(r"\bTF_ENABLE_ONEDNN_OPTS=0\b", line)]
    assert one_core and sse41 and eigen, notebooks
    assert not [line for line in eigen if "ONEDNN_MAX_CPU_ISA" in line], eigen


def test_make_test_runs_the_wheel_in_the_oldest_then_the_middle_environment():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^test:.*\n((?:\t.*\n)+)", makefile, re.M)
    assert recipe, "the Makefile has no `test:` rule"
    calls = re.findall(r"^\t\$\(MAKE\) (test-\S+)", recipe.group(1), re.M)
    assert calls[-2:] == ["test-oldest", "test-middle"], f"make test ends with {calls}"
    for env in TEST_ENVS:
        commands = _make_dry_run(f"test-{env}")
        assert f"--require-hashes -r requirements-{env}-lock.txt" in commands
        assert f"pip install --python _build/venv-{env}/bin/python _build/dist/dlnotes-" in commands
        assert f"_build/venv-{env}/bin/python -m pip check" in commands
        assert f"DLNOTES_INSTALLED_WHEEL=1 DLNOTES_TEST_ENV={env} " in commands
        assert f"_build/venv-{env}/bin/python -m pytest" in commands
        assert "--doctest-modules --pyargs dlnotes" in commands
        for other in set(TEST_ENVS) - {env}:
            assert f"venv-{other}" not in commands and f"requirements-{other}" not in commands


def test_the_readme_quotes_the_tested_versions():
    """The "tested by `make test`" column of the README's version table: the oldest, middle and book's pins."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| ([\w-]+) \| [^|]+ \| ([^|]+) \|$", readme, re.M))
    envs = [_pins(ROOT / f"requirements-{env}.txt") for env in TEST_ENVS] + [_pins(ROOT / "requirements.txt")]
    for row, name in [
        ("TensorFlow", "tensorflow"),
        ("Keras", "keras"),
        ("NumPy", "numpy"),
        ("scikit-learn", "scikit-learn"),
        ("Matplotlib", "matplotlib"),
    ]:
        versions = [pins[name] for pins in envs]
        want = ", ".join(versions[:-1]) + " and " + versions[-1]
        assert rows.get(row, "").strip() == want, (
            f"README.md: {row} tested {rows.get(row)!r}, make test runs {want}"
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


@pytest.mark.skipif(not INSTALLED_WHEEL, reason="checks the environments of `make test-oldest|middle` only")
def test_the_wheel_was_installed_beside_the_tested_tensorflow_without_replacing_it():
    import matplotlib
    import numpy
    import sklearn

    from dlnotes._backend import import_keras, import_tensorflow

    env = os.environ.get("DLNOTES_TEST_ENV")
    assert env in TEST_ENVS, f"DLNOTES_TEST_ENV={env!r}: expected one of {TEST_ENVS} (make test-ENV sets it)"
    pins = _pins(ROOT / f"requirements-{env}.txt")
    assert import_tensorflow().__version__ == pins["tensorflow"]
    assert import_keras().__version__ == pins["keras"]
    assert numpy.__version__ == pins["numpy"]
    assert sklearn.__version__ == pins["scikit-learn"]
    assert matplotlib.__version__ == pins["matplotlib"]
    assert Path(dlnotes.__file__).resolve().parent != ROOT / "dlnotes"
