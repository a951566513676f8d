"""Build and check a release of dlnotes: the wheel and the sdist, and the git tag when asked (``make release``).

    python scripts/release.py [--dist _build/dist] [--uv PATH] [--tag]

1. Build the wheel and the sdist into ``--dist`` with uv (``uv build``), or without uv with pip and
   setuptools (no network: ``--no-build-isolation``, setuptools is in the lock).
2. Check both (:func:`check_distribution`), what ``twine check`` checks before an upload and more: the
   metadata parses, names dlnotes at ``dlnotes.__version__``, states ``License-Expression: MIT`` and
   carries the LICENSE file, gives the README as a Markdown long description that renders (with
   markdown-it, which the book's environment has; twine and readme_renderer are not in the lock), and
   the sdist holds the package, LICENSE, README.md and pyproject.toml. Where ``twine`` is installed, its
   ``twine check --strict`` runs too.
3. The changelog's newest section must be this version (``## [<version>] - <date or Unreleased>``).
4. ``--tag`` only: from a clean work tree, with that section dated (``YYYY-MM-DD``) and no tag of this
   version yet, make the annotated tag ``v<version>``. Nothing is uploaded or pushed.
"""

from __future__ import annotations

import argparse
import email.parser
import importlib.util
import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTION = re.compile(r"^## \[([^\]]+)\] - (\d{4}-\d{2}-\d{2}|Unreleased)\s*$", re.M)


def book_version(root: Path = ROOT) -> str:
    """``__version__`` as written in ``dlnotes/__init__.py``."""
    match = re.search(r'^__version__ = "([^"]+)"$', (root / "dlnotes" / "__init__.py").read_text(), re.M)
    if match is None:
        raise SystemExit('release: dlnotes/__init__.py has no line __version__ = "..."')
    return match.group(1)


def changelog_section(text: str) -> tuple[str, str] | None:
    """(version, date or "Unreleased") of the newest section of a Keep-a-Changelog file, or None.

    >>> changelog_section("# Changelog\\n\\n## [0.2.0] - Unreleased\\n\\n## [0.1.0] - 2026-12-05\\n")
    ('0.2.0', 'Unreleased')
    >>> changelog_section("## [0.1.0] - 5 December 2026") is None
    True
    """
    match = SECTION.search(text)
    return (match.group(1), match.group(2)) if match else None


def check_metadata(text: str, version: str, where: str) -> list[str]:
    """Problems with one core-metadata file (a wheel's METADATA or an sdist's PKG-INFO)."""
    from markdown_it import MarkdownIt

    meta = email.parser.Parser().parsestr(text)
    wanted = {"Name": "dlnotes", "Version": version, "License-Expression": "MIT"}
    problems = [
        f"{where}: {field} is {meta.get(field)!r}, expected {value!r}"
        for field, value in wanted.items()
        if meta.get(field) != value
    ]
    if "LICENSE" not in (meta.get_all("License-File") or []):
        problems.append(f"{where}: no License-File: LICENSE")
    for field in ("Summary", "Requires-Python"):
        if not meta.get(field):
            problems.append(f"{where}: no {field}")
    if not (meta.get("Description-Content-Type") or "").startswith("text/markdown"):
        problems.append(f"{where}: Description-Content-Type is {meta.get('Description-Content-Type')!r}")
    body = meta.get_payload()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    if not isinstance(body, str) or body.strip() != readme.strip():
        problems.append(f"{where}: the long description is not README.md")
    elif "<h1>" not in MarkdownIt("commonmark").enable("table").render(body):
        problems.append(f"{where}: the long description renders without its title")
    return problems


def check_distribution(path: Path, version: str) -> list[str]:
    """Problems with a built wheel (``.whl``) or sdist (``.tar.gz``) of dlnotes at ``version``."""
    if path.name.endswith(".whl"):
        if path.name != f"dlnotes-{version}-py3-none-any.whl":
            return [f"{path.name}: expected dlnotes-{version}-py3-none-any.whl"]
        info = f"dlnotes-{version}.dist-info/"
        with zipfile.ZipFile(path) as wheel:
            names = set(wheel.namelist())
            problems = (
                [] if info + "licenses/LICENSE" in names else [f"{path.name}: no {info}licenses/LICENSE"]
            )
            if "dlnotes/__init__.py" not in names:
                problems.append(f"{path.name}: no dlnotes/__init__.py")
            metadata = wheel.read(info + "METADATA").decode() if info + "METADATA" in names else ""
        return problems + check_metadata(metadata, version, path.name)
    if path.name.endswith(".tar.gz"):
        top = f"dlnotes-{version}/"
        with tarfile.open(path) as sdist:
            names = set(sdist.getnames())
            wanted = ["PKG-INFO", "LICENSE", "README.md", "pyproject.toml", "dlnotes/__init__.py"]
            problems = [f"{path.name}: no {top}{name}" for name in wanted if top + name not in names]
            member = sdist.extractfile(top + "PKG-INFO") if top + "PKG-INFO" in names else None
            metadata = member.read().decode() if member else ""
        return problems + check_metadata(metadata, version, path.name)
    return [f"{path.name}: neither a wheel nor an sdist"]


def build(dist: Path, uv: str | None) -> list[Path]:
    for old in dist.glob("dlnotes-*"):
        old.unlink()
    dist.mkdir(parents=True, exist_ok=True)
    if uv:
        subprocess.run(
            [uv, "build", "--quiet", "--sdist", "--wheel", "--out-dir", str(dist), str(ROOT)], check=True
        )
    else:
        pip = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation"]
        subprocess.run([*pip, "--wheel-dir", str(dist), str(ROOT)], check=True)
        code = f"from setuptools import build_meta; build_meta.build_sdist({str(dist)!r})"
        subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
    return sorted(dist.glob("dlnotes-*"))


def tag(version: str, date: str) -> None:
    if date == "Unreleased":
        raise SystemExit(f"release: date the section of {version} in CHANGELOG.md before tagging")
    if subprocess.run(
        ["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip():
        raise SystemExit("release: the work tree has uncommitted changes; commit them before tagging")
    name = f"v{version}"
    if subprocess.run(["git", "rev-parse", "-q", "--verify", f"refs/tags/{name}"], cwd=ROOT).returncode == 0:
        raise SystemExit(f"release: the tag {name} exists already; raise __version__ for a new release")
    subprocess.run(["git", "tag", "-a", name, "-m", f"dlnotes {version} ({date})"], cwd=ROOT, check=True)
    print(f"release: tagged {name} (not pushed)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "_build" / "dist")
    parser.add_argument("--uv", default=None, help="the uv to build with (default: pip and setuptools)")
    parser.add_argument("--tag", action="store_true", help="also tag v<version> (never pushed)")
    args = parser.parse_args(argv)
    version = book_version()
    section = changelog_section((ROOT / "CHANGELOG.md").read_text(encoding="utf-8"))
    if section is None or section[0] != version:
        raise SystemExit(f"release: CHANGELOG.md's newest section is {section}, not [{version}]")
    built = build(args.dist, args.uv)
    problems = [problem for path in built for problem in check_distribution(path, version)]
    if len(built) != 2:
        problems.append(f"expected a wheel and an sdist in {args.dist}, found {[p.name for p in built]}")
    if importlib.util.find_spec("twine") is not None:
        twine = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", *map(str, built)])
        problems += ["twine check failed"] if twine.returncode else []
    if problems:
        raise SystemExit("release: " + "; ".join(problems))
    print(f"release: {', '.join(p.name for p in built)} built and checked in {args.dist}")
    if args.tag:
        tag(version, section[1])
    else:
        print("release: not tagged (make release TAG=1 tags, once CHANGELOG.md dates this version)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
