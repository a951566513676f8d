"""Issue 29: what lets a classroom adopt the book and a reader run it on their own machine.

- licence and credit: LICENSE (MIT code, CC BY 4.0 prose and figures), the footer line of every page of
  both editions and of the PDFs (version and licences), the source note credited on the intro page of
  both editions and in the README, CITATION.cff and a "How to cite" line;
- releases: CHANGELOG.md in step with ``__version__`` and with the commits that changed printed numbers,
  ``scripts/release.py`` (``make release``) and its checks of the wheel and the sdist;
- two commands: ``make book`` installs Chromium and the Korean font where it can
  (``scripts/system_packages.sh``), and without a Chromium it skips the PDFs with one line and exits 0;
  ``.ci/run`` installs nothing of its own;
- ``make lab`` starts as root.

Checks of built output (pages, PDFs) are marked ``book``; without the build they are skipped locally
(run ``make book``) and fail when ``CI`` is set.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

import dlnotes

ROOT = Path(__file__).resolve().parent.parent
HTML_DIR = Path(os.environ.get("DLNOTES_HTML_DIR", ROOT / "_build" / "html")).resolve()
INSTALLED_WHEEL = os.environ.get("DLNOTES_INSTALLED_WHEEL") == "1"
sys.path.insert(0, str(ROOT / "scripts"))
import book_release  # noqa: E402
import make_pdf  # noqa: E402
import release  # noqa: E402

# The source note (its front matter: title, author, date).
SOURCE = {"author": "mminzy22", "title": "ML: 딥러닝 모델 설계와 학습", "date": "2024-12-05"}
CC_BY = "https://creativecommons.org/licenses/by/4.0/"
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
FOOTER = CONFIG["sphinx"]["config"]["html_theme_options"]["extra_footer"]
needs_make = pytest.mark.skipif(
    INSTALLED_WHEEL or shutil.which("make") is None,
    reason="runs the Makefile of the source tree, in the book's environment only",
)


def _built(path: Path) -> Path:
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing: `make book` builds it")
        pytest.skip(f"{path} is not built: run `make book`")
    return path


# --- licence and credit ------------------------------------------------------------------------------


def test_licence_file_gives_mit_for_the_code_and_cc_by_for_the_prose_and_figures():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "MIT License" in text and "Copyright (c) 2026 the dlnotes authors" in text
    assert "Permission is hereby granted, free of charge" in text
    assert "Creative Commons" in text and "CC BY 4.0" in text and CC_BY in text
    tomllib = pytest.importorskip("tomllib")
    assert tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["license"] == "MIT"


def test_the_footer_line_is_written_once_with_the_version_and_both_licences():
    assert CONFIG["sphinx"]["local_extensions"]["book_release"] == "scripts"
    assert FOOTER.count(book_release.PLACEHOLDER) == 1
    assert f'href="{CC_BY}"' in FOOTER and "MIT" in FOOTER and "dlnotes-licence" in FOOTER
    assert book_release.book_version() == dlnotes.__version__


@pytest.mark.parametrize("language", ["en", "ko"])
def test_every_edition_has_its_footer_line(language):
    pytest.importorskip("babel")
    line = book_release.footer(FOOTER, language, dlnotes.__version__)
    assert f"dlnotes {dlnotes.__version__}" in line and CC_BY in line and "MIT" in line
    assert (language == "en") == (line == FOOTER.replace("{version}", dlnotes.__version__))


def test_the_footer_refuses_a_missing_or_fuzzy_translation_and_a_line_without_the_version(tmp_path):
    pytest.importorskip("babel")
    with pytest.raises(LookupError, match="sphinx.po"):
        book_release.footer(FOOTER, "ko", "1.0", root=tmp_path)
    po = tmp_path / "locales" / "ko" / "LC_MESSAGES" / "sphinx.po"
    po.parent.mkdir(parents=True)
    quoted = FOOTER.replace('"', '\\"')
    po.write_text(f'#, fuzzy\nmsgid "{quoted}"\nmsgstr "버전 {{version}}"\n', encoding="utf-8")
    with pytest.raises(LookupError, match="no translation"):
        book_release.footer(FOOTER, "ko", "1.0", root=tmp_path)
    po.write_text(f'msgid "{quoted}"\nmsgstr "버전 {{version}}"\n', encoding="utf-8")
    assert book_release.footer(FOOTER, "ko", "1.0", root=tmp_path) == "버전 1.0"
    with pytest.raises(ValueError, match="must hold"):
        book_release.footer("no version here", "en", "1.0")


def _credit_problems(text: str, where: str) -> list[str]:
    return [
        f"{where} does not give the source note's {key} ({value})"
        for key, value in SOURCE.items()
        if value not in text
    ]


def test_the_intro_and_the_readme_credit_the_source_note_and_say_how_to_cite():
    intro = (ROOT / "book" / "intro.md").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert not _credit_problems(intro, "book/intro.md") + _credit_problems(readme, "README.md")
    assert "**How to cite:**" in intro and "CITATION.cff" in intro and CC_BY in intro
    assert "CITATION.cff" in readme and "LICENSE" in readme and CC_BY in readme
    assert _credit_problems("mminzy22 2024-12-05", "a text without the title")  # the check can fail


def test_the_korean_intro_credits_the_source_note_and_says_how_to_cite():
    pofile = pytest.importorskip("babel.messages.pofile")
    with (ROOT / "locales" / "ko" / "LC_MESSAGES" / "book" / "intro.po").open("rb") as source:
        messages = [m for m in pofile.read_po(source) if m.id and m.string and not m.fuzzy]
    credit = [m.string for m in messages if SOURCE["author"] in m.id]
    assert credit and not _credit_problems(credit[0], "the Korean intro")
    assert any(m.string.startswith("**인용 방법:**") and "CITATION.cff" in m.string for m in messages)
    assert any(CC_BY in m.string and "라이선스" in m.string for m in messages)


# --- CITATION.cff -----------------------------------------------------------------------------------

# From the Citation File Format's schema 1.2.0 (https://citation-file-format.github.io/1.2.0/schema.json):
# the keys it allows at the top, the ones it requires, and the types of a reference this file uses.
CFF_KEYS = {
    "abstract", "authors", "cff-version", "commit", "contact", "date-released", "doi", "identifiers",
    "keywords", "license", "license-url", "message", "preferred-citation", "references", "repository",
    "repository-artifact", "repository-code", "title", "type", "url", "version",
}  # fmt: skip
CFF_REQUIRED = {"authors", "cff-version", "message", "title"}
CFF_REFERENCE_TYPES = {"article", "blog", "book", "generic", "software", "website"}
PERSON_OR_ENTITY = {"name", "family-names", "given-names", "alias"}


def cff_problems(cff: object) -> list[str]:
    """What CITATION.cff's schema (1.2.0) and this book require of it that ``cff`` breaks."""
    if not isinstance(cff, dict):
        return ["CITATION.cff is not a mapping"]
    problems = [f"unknown key {key!r}" for key in cff if key not in CFF_KEYS]
    problems += [f"missing key {key!r}" for key in sorted(CFF_REQUIRED - set(cff))]
    if cff.get("cff-version") != "1.2.0":
        problems.append(f"cff-version is {cff.get('cff-version')!r}, expected the string '1.2.0'")
    if cff.get("version") != dlnotes.__version__:
        problems.append(
            f"version is {cff.get('version')!r}, expected dlnotes.__version__ {dlnotes.__version__!r}"
        )
    if cff.get("type", "software") not in ("software", "dataset"):
        problems.append(f"type {cff.get('type')!r}")
    if cff.get("license") != "MIT":
        problems.append(f"license is {cff.get('license')!r}: the software is MIT (LICENSE)")
    for field in ("title", "message", "abstract"):
        if field in cff and not (isinstance(cff[field], str) and cff[field].strip()):
            problems.append(f"{field} is not a non-empty string")
    people = [("authors", cff.get("authors"))] + [
        (f"references[{i}].authors", ref.get("authors"))
        for i, ref in enumerate(cff.get("references") or [])
        if isinstance(ref, dict)
    ]
    for where, authors in people:
        if not authors or not all(isinstance(a, dict) and PERSON_OR_ENTITY & set(a) for a in authors):
            problems.append(f"{where}: each author needs a name, family-names or alias")
    for i, ref in enumerate(cff.get("references") or []):
        if not isinstance(ref, dict) or ref.get("type") not in CFF_REFERENCE_TYPES or not ref.get("title"):
            problems.append(f"references[{i}] needs a type of the schema and a title")
            continue
        for key, value in ref.items():
            if key.startswith("date-") and not isinstance(value, datetime.date):
                problems.append(f"references[{i}].{key} is not a YYYY-MM-DD date: {value!r}")
    return problems


def test_citation_cff_is_valid_and_credits_the_source_note():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff_problems(cff) == []
    (note,) = [ref for ref in cff["references"] if ref["title"] == SOURCE["title"]]
    assert note["authors"] == [{"alias": SOURCE["author"]}]
    assert note["date-published"].isoformat() == SOURCE["date"]
    assert "CC BY 4.0" in cff["message"]


NOTE = {"type": "blog", "title": "x", "authors": [{"alias": "a"}]}


@pytest.mark.parametrize(
    "change, problem",
    [
        ({"cff-version": 1.2}, "cff-version"),
        ({"version": "0.0.1"}, "dlnotes.__version__"),
        ({"authors": [{"email": "a@b.org"}]}, "each author"),
        ({"licence": "MIT"}, "unknown key 'licence'"),
        ({"license": ["MIT", "CC-BY-4.0"]}, "license"),
        ({"references": [{**NOTE, "type": "post"}]}, "type of the schema"),
        ({"references": [{**NOTE, "date-published": "5 Dec"}]}, "date"),
    ],
)  # fmt: skip
def test_the_citation_check_fails_on_a_broken_file(change, problem):
    cff = {**yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8")), **change}
    assert any(problem in p for p in cff_problems(cff)), cff_problems(cff)
    assert cff_problems(["not", "a", "mapping"])


# --- the built book and the PDFs --------------------------------------------------------------------


@pytest.mark.book
@pytest.mark.parametrize("edition", ["en", "ko"])
def test_every_built_page_shows_the_version_and_the_licences_in_its_footer(edition):
    pytest.importorskip("babel")
    root = _built(HTML_DIR / "book" if edition == "en" else HTML_DIR / "ko" / "book")
    line = book_release.footer(FOOTER, edition, dlnotes.__version__)
    pages = sorted(root.glob("*.html"))
    assert len(pages) >= 10
    missing = [page.name for page in pages if line not in page.read_text(encoding="utf-8")]
    assert not missing, f"pages of the {edition} edition without the footer line: {missing}"


@pytest.mark.book
@pytest.mark.parametrize("edition", ["en", "ko"])
def test_the_pdf_shows_the_version_and_the_licences_on_its_title_page_and_its_page_footers(edition):
    pypdf = pytest.importorskip("pypdf")
    pdf = _built(HTML_DIR / ("" if edition == "en" else "ko") / make_pdf.PDF_NAME)
    reader = pypdf.PdfReader(pdf)
    # Every page has the same footer template: the title page, the next, one in the middle and the last
    # stand for all (reading the text of all ~170 pages takes half a minute). Compared without white
    # space and ligatures (make_pdf.squash): text from a PDF comes out with either.
    numbers = sorted({0, 1, len(reader.pages) // 2, len(reader.pages) - 1})
    pages = {i + 1: make_pdf.squash(reader.pages[i].extract_text() or "") for i in numbers}
    assert f"dlnotes{dlnotes.__version__}." in pages[1] and "CCBY4.0" in pages[1] and "MIT" in pages[1]
    footer = make_pdf.squash(f"dlnotes {dlnotes.__version__} · {make_pdf.WORDS[edition]['licence']}")
    without = [number for number, text in pages.items() if footer not in text]
    assert not without, f"pages without the licence footer: {without[:10]}"


# --- releases ---------------------------------------------------------------------------------------


def test_the_changelog_starts_with_this_version_and_lists_the_printed_numbers_that_changed():
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "Keep a Changelog" in text
    assert release.changelog_section(text) == (dlnotes.__version__, "Unreleased") or (
        release.changelog_section(text)[0] == dlnotes.__version__
        and re.fullmatch(r"\d{4}-\d{2}-\d{2}", release.changelog_section(text)[1])
    )
    newest = re.split(r"^## ", text, flags=re.M)[1]
    assert "### Printed numbers changed" in newest
    assert re.findall(r"^- `[0-9a-f]{7}` ", newest, re.M)
    assert release.changelog_section("## [1.0] - 5 Dec 2026\n") is None


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="needs the repository's history (a git checkout)")
def test_the_changelog_and_the_commit_messages_agree_on_which_printed_numbers_changed():
    """Every commit that says "Printed numbers that changed" is listed, and every listed commit exists and
    changed a notebook (where the printed numbers are)."""
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    cited = set(re.findall(r"^- `([0-9a-f]{7,40})` ", text, re.M))
    log = _git("log", "--format=%H%x00%B%x01", "HEAD", "--", "book/")
    saying = {
        full[:7]
        for full, message in (entry.strip().split("\x00", 1) for entry in log.split("\x01") if entry.strip())
        if re.search(r"printed\s+numbers\s+that\s+changed", message, re.I)
    }
    assert saying, "no commit says 'Printed numbers that changed' (the history is too shallow?)"
    assert not saying - cited, (
        f"commits that changed printed numbers, missing from CHANGELOG.md: {saying - cited}"
    )
    for commit in sorted(cited):
        changed = _git("show", "--format=", "--name-only", commit).split()
        assert any(name.startswith("book/") and name.endswith(".ipynb") for name in changed), (
            f"CHANGELOG.md cites {commit}, which changed no notebook"
        )


@pytest.fixture(scope="module")
def distributions(tmp_path_factory):
    """The wheel and the sdist, built from this tree without uv or network (as release.py does without uv)."""
    if INSTALLED_WHEEL:
        pytest.skip("builds the sdist from the source tree, in the book's environment only")
    pytest.importorskip("markdown_it", reason="the README's rendering is checked with markdown-it")
    pytest.importorskip("setuptools", reason="building needs setuptools (in requirements-lock.txt)")
    return release.build(tmp_path_factory.mktemp("dist"), uv=None)


def test_release_builds_a_wheel_and_an_sdist_that_pass_its_checks(distributions):
    assert sorted(path.name for path in distributions) == [
        f"dlnotes-{dlnotes.__version__}-py3-none-any.whl",
        f"dlnotes-{dlnotes.__version__}.tar.gz",
    ]
    for path in distributions:
        assert release.check_distribution(path, dlnotes.__version__) == [], path.name


def test_release_checks_fail_on_a_wrong_version_a_missing_licence_and_an_empty_readme(
    distributions, tmp_path
):
    wheel = next(path for path in distributions if path.suffix == ".whl")
    assert any("dlnotes-9.9-py3-none-any.whl" in p for p in release.check_distribution(wheel, "9.9"))
    assert any(f"Version is {dlnotes.__version__!r}, expected '9.9'" in p for p in release.check_metadata(
        zipfile.ZipFile(wheel).read(f"dlnotes-{dlnotes.__version__}.dist-info/METADATA").decode(), "9.9", "x"
    ))  # fmt: skip
    info = f"dlnotes-{dlnotes.__version__}.dist-info/"
    broken = tmp_path / wheel.name
    with zipfile.ZipFile(wheel) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == info + "METADATA":
                data = data.split(b"\n\n", 1)[0] + b"\n\n"
            if item.filename != info + "licenses/LICENSE":
                target.writestr(item, data)
    problems = release.check_distribution(broken, dlnotes.__version__)
    assert any("licenses/LICENSE" in p for p in problems) and any("long description" in p for p in problems)


# --- two commands -----------------------------------------------------------------------------------


def test_make_pdf_without_chromium_says_how_to_get_the_pdf_in_one_line_and_builds_nothing(tmp_path):
    env = {**os.environ, "DLNOTES_CHROMIUM": str(tmp_path / "no-chromium")}
    target = tmp_path / "book.pdf"
    run = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_pdf.py"), "--output", str(target)],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == make_pdf.NO_CHROMIUM and not target.exists()
    assert (
        len(run.stderr.strip().splitlines()) == 1
        and "make pdf" in run.stderr
        and "playwright install" in run.stderr
    )
    check = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_pdf.py"), "--check-chromium"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert check.returncode == make_pdf.NO_CHROMIUM and check.stdout.strip() == run.stderr.strip()


@needs_make
def test_make_book_without_chromium_skips_the_pdfs_with_one_line_and_succeeds(tmp_path):
    if subprocess.run(["make", "-q", ".venv/.installed"], cwd=ROOT).returncode != 0:
        pytest.skip("the environment is not set up (make setup)")
    env = {**os.environ, "DLNOTES_CHROMIUM": str(tmp_path / "no-chromium"), "MAKEFLAGS": ""}
    run = subprocess.run(
        ["make", "--no-print-directory", "pdf-if-chromium"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    (line,) = run.stdout.strip().splitlines()
    assert line.startswith("make_pdf: no Chromium") and "make pdf" in line
    rules = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^book: system-packages html pdf-if-chromium$", rules, re.M)


def test_ci_installs_nothing_that_the_readme_commands_do_not():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line for line in ci.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    assert not [line for line in commands if re.search(r"apt-get|dpkg|pip install|sudo", line)]
    assert any(line.strip() == "make test" for line in commands)


def _fake_system(tmp_path: Path, uid: int, installed: set[str], sudo: bool, apt: bool = True) -> Path:
    """A bin directory whose id, dpkg-query, apt-get and sudo record what they are asked to do."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "log"
    scripts = {
        "id": f"echo {uid}",
        "grep": f'exec {shutil.which("grep")} "$@"',
        "env": f'exec {shutil.which("env")} "$@"',
    }
    scripts["dpkg-query"] = (
        'case " '
        + " ".join(installed)
        + ' " in *" ${@: -1} "*) echo "install ok installed";; *) exit 1;; esac'
    )
    if apt:
        scripts["apt-get"] = f'echo "apt-get $*" >> {log}; [ ! -e {tmp_path}/apt-fails ]'
    if sudo:
        scripts["sudo"] = f'[ "$1" = -n ] && shift; [ "$1" = true ] && exit 0; echo "sudo" >> {log}; "$@"'
    for name, body in scripts.items():
        (bin_dir / name).write_text(f"#!{shutil.which('bash')}\n{body}\n")
        (bin_dir / name).chmod(0o755)
    return bin_dir


UPDATE, INSTALL = "apt-get update -qq", "apt-get install -y -qq"


@pytest.mark.skipif(shutil.which("bash") is None, reason="scripts/system_packages.sh is a bash script")
@pytest.mark.parametrize(
    "uid, installed, sudo, apt, expected, says",
    [
        (0, set(), False, True, ["apt-get update -qq", "apt-get install -y -qq chromium fonts-nanum"], "installing"),
        (0, {"chromium"}, False, True, ["apt-get update -qq", "apt-get install -y -qq fonts-nanum"], "installing"),
        (1000, set(), True, True, ["sudo", UPDATE, "sudo", INSTALL + " chromium fonts-nanum"], "installing"),
        (1000, set(), False, True, [], "needs root"),
        (0, {"chromium", "fonts-nanum"}, False, True, [], ""),
        (0, set(), False, False, [], "not Debian"),
    ],
)  # fmt: skip
def test_system_packages_are_installed_only_where_the_machine_allows(
    tmp_path, uid, installed, sudo, apt, expected, says
):
    bin_dir = _fake_system(tmp_path, uid, installed, sudo, apt)
    run = subprocess.run(
        [shutil.which("bash"), str(ROOT / "scripts" / "system_packages.sh"), "chromium", "fonts-nanum"],
        env={"PATH": str(bin_dir)}, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    log = (tmp_path / "log").read_text().splitlines() if (tmp_path / "log").exists() else []
    assert log == expected
    assert says in run.stdout and len(run.stdout.strip().splitlines()) <= 1


def test_a_failed_install_still_lets_make_go_on(tmp_path):
    bin_dir = _fake_system(tmp_path, 0, set(), sudo=False)
    (tmp_path / "apt-fails").touch()
    run = subprocess.run(
        [shutil.which("bash") or "bash", str(ROOT / "scripts" / "system_packages.sh"), "chromium"],
        env={"PATH": str(bin_dir)}, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert run.returncode == 0 and "could not install chromium" in run.stdout


# --- make lab ---------------------------------------------------------------------------------------


@needs_make
@pytest.mark.parametrize("uid, allow_root", [("0", True), ("1000", False)])
def test_make_lab_allows_root_only_for_root_and_says_how_it_starts(uid, allow_root, tmp_path):
    stamp = tmp_path / "installed"  # an environment that is set up: the dry run prints no set-up
    stamp.touch()
    run = subprocess.run(
        ["make", "-n", "--no-print-directory", "lab", f"LAB_UID={uid}", f"STAMP={stamp}"],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "MAKEFLAGS": ""},
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    (start,) = [line for line in run.stdout.splitlines() if "jupyter lab book/" in line]
    assert ("--allow-root" in start) == allow_root
    assert "http://localhost:8888/lab?token=" in run.stdout and "Ctrl-C" in run.stdout


# --- the wheel, served by the site ------------------------------------------------------------------

WHEEL = book_release.wheel_name(dlnotes.__version__)


@pytest.mark.book
@pytest.mark.parametrize("edition", ["en", "ko"])
def test_the_site_serves_the_wheel_and_the_intro_and_api_pages_link_it(edition):
    site = _built(HTML_DIR if edition == "en" else HTML_DIR / "ko")
    served = site / WHEEL
    assert served.is_file(), f"{served} is missing: the HTML build copies it from _build/dist"
    assert zipfile.ZipFile(served).read("dlnotes/__init__.py").decode().count(f'"{dlnotes.__version__}"') == 1
    for page in ("intro", "api"):
        html = (site / "book" / f"{page}.html").read_text(encoding="utf-8")
        assert f'href="../{WHEEL}" download' in html, f"{edition} {page}.html does not link the wheel"
        assert "{{" not in html, f"{edition} {page}.html shows a substitution that was not filled in"
    built = ROOT / book_release.DIST / WHEEL
    if built.is_file():
        assert served.read_bytes() == built.read_bytes(), "the site serves another build than _build/dist's"


@pytest.mark.book
@pytest.mark.skipif(
    INSTALLED_WHEEL, reason="opens the built book in Chromium, in the book's environment only"
)
def test_a_reader_downloads_the_wheel_from_the_intro_page(browser, tmp_path):
    intro = _built(HTML_DIR / "book" / "intro.html")
    page = browser.new_page(accept_downloads=True)
    try:
        page.goto(intro.as_uri())
        with page.expect_download() as download:
            page.click("a.dlnotes-wheel")
        saved = tmp_path / download.value.suggested_filename
        download.value.save_as(saved)
    finally:
        page.close()
    assert saved.name == WHEEL and saved.read_bytes() == (HTML_DIR / WHEEL).read_bytes()


@pytest.mark.book
@pytest.mark.skipif(INSTALLED_WHEEL, reason="makes its own clean environment from the book's Python")
def test_the_served_wheel_installs_into_a_clean_environment(tmp_path):
    """The very file the site serves, installed with pip into a new virtual environment with nothing in it
    (no index, no dependencies: `make test-oldest` installs it beside TensorFlow 2.16 with them)."""
    served = _built(HTML_DIR / WHEEL)
    subprocess.run([sys.executable, "-m", "venv", str(tmp_path / "venv")], check=True, timeout=300)
    python = tmp_path / "venv" / ("Scripts" if os.name == "nt" else "bin") / "python"
    install = [str(python), "-m", "pip", "install", "--quiet", "--no-index", "--no-deps", str(served)]
    subprocess.run(install, check=True, timeout=300, capture_output=True)
    code = (
        "import importlib.metadata as m, pathlib; d = m.distribution('dlnotes'); "
        "print(d.version, sorted(f.name for f in d.files if f.name.startswith('LICENSE')), "
        "pathlib.Path(d.locate_file('dlnotes/__init__.py')).is_file(), sorted(d.requires))"
    )
    shown = subprocess.run(
        [str(python), "-c", code], check=True, capture_output=True, text=True, cwd=tmp_path
    )
    version, rest = shown.stdout.split(" ", 1)
    assert version == dlnotes.__version__ and rest.startswith("['LICENSE'] True")
    assert "tensorflow>=2.16" in rest


@pytest.mark.skipif(not INSTALLED_WHEEL, reason="checks the environments of `make test-oldest|middle` only")
def test_test_oldest_installed_the_very_wheel_the_site_serves():
    served = HTML_DIR / WHEEL
    if not served.is_file():
        pytest.skip(f"{served} is not built (make book builds it before make test-oldest and test-middle)")
    assert Path(os.environ["DLNOTES_WHEEL"]).read_bytes() == served.read_bytes()


# --- running the book elsewhere ---------------------------------------------------------------------


def _pins(path: Path) -> dict[str, str]:
    pins = re.findall(r"^([A-Za-z0-9_.-]+)==([^\s;\\]+)", path.read_text(encoding="utf-8"), re.M)
    return {name.lower(): version for name, version in pins}


def test_the_run_elsewhere_page_quotes_the_supported_and_the_tested_versions():
    page = (ROOT / "book" / "elsewhere.md").read_text(encoding="utf-8")
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    assert {"file": "book/elsewhere"} in toc["chapters"]
    assert "{{ wheel_link }}" in page and "keras>=3.8" in page
    rows = {row[0]: row[1:] for row in re.findall(r"^\| (\w+) \| ([^|]+) \| ([^|]+) \|$", page, re.M)}
    oldest, book = _pins(ROOT / "requirements-oldest.txt"), _pins(ROOT / "requirements.txt")
    middle = _pins(ROOT / "requirements-middle.txt")
    tomllib = pytest.importorskip("tomllib")
    bounds = dict(
        re.fullmatch(r"([a-z-]+)>=([0-9.]+)", requirement).groups()
        for requirement in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    )
    for name in ("tensorflow", "keras", "numpy"):
        supported, tested = rows[{"tensorflow": "TensorFlow", "keras": "Keras", "numpy": "NumPy"}[name]]
        assert supported.startswith(bounds[name]), (
            f"{name}: the page supports {supported!r}, pyproject {bounds[name]}"
        )
        want = f"{oldest[name]}, {middle[name]} and {book[name]}"
        assert tested.strip() == want, f"{name}: the page says {tested!r}, the tests run {want}"


@pytest.mark.parametrize("notebook", sorted((ROOT / "book").glob("*.ipynb")), ids=lambda p: p.name)
def test_each_chapter_says_what_to_install_when_dlnotes_is_missing(notebook, monkeypatch):
    """Issue 29: a reader who opens a chapter where dlnotes is not installed (a hosted notebook, a lab
    PC) gets one line saying what to install, not a bare traceback; with dlnotes installed the cell is
    the same import it always was (nbval checks that its output is unchanged)."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    first = next(c for c in cells if c["cell_type"] == "code")
    source = "".join(first["source"])
    monkeypatch.setitem(sys.modules, "dlnotes", None)  # `import dlnotes` now fails as if it were absent
    with pytest.raises(ModuleNotFoundError) as missing:
        exec(compile(source, notebook.name, "exec"), {})
    message = str(missing.value)
    assert "pip install the dlnotes wheel" in message and "myst-nb" in message, message
    assert "Running the book elsewhere" in message and missing.value.__suppress_context__, message
    assert (
        (ROOT / "book" / "elsewhere.md")
        .read_text(encoding="utf-8")
        .startswith("# Running the book elsewhere")
    )
