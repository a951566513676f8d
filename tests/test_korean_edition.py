"""scripts/korean_edition.py without a browser: the Korean stemmer and the language switch's links."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from korean_edition import PARTICLES, _restore_heading_anchors, korean_stem, other_edition_link  # noqa: E402


@pytest.mark.parametrize(
    "word, stem",
    [
        ("과적합을", "과적합"),
        ("과적합이", "과적합"),
        ("과적합", "과적합"),
        ("학습률이", "학습률"),
        ("학습률을", "학습률"),
        ("입력층에서는", "입력층"),
        ("모델의", "모델"),
        ("에포크마다", "에포크"),
        ("ReLU를", "relu"),
        ("Dense", "dense"),
        ("데이터", "데이터"),
        ("이", "이"),
        ("를", "를"),
    ],
)
def test_korean_stem_strips_particles(word: str, stem: str) -> None:
    assert korean_stem(word) == stem


@pytest.mark.parametrize("word", ["결과", "정확도", "차이", "과적합", "학습률", "검증"])
@pytest.mark.parametrize("particle", ["을", "를", "이", "가", "의", "에서", "으로", "과", "와", "에서는", ""])
def test_a_word_with_a_particle_stems_like_the_bare_word(word: str, particle: str) -> None:
    """The property search relies on: the indexed form of 결과를 is the query form of 결과."""
    assert korean_stem(word + particle) == korean_stem(word)


def test_korean_stem_is_idempotent_and_keeps_one_character() -> None:
    for particle in PARTICLES:
        assert korean_stem(particle) and particle.startswith(korean_stem(particle))
        assert korean_stem(korean_stem("학습" + particle)) == korean_stem("학습" + particle)


@pytest.mark.parametrize(
    "pagename, language, expected",
    [
        ("book/01_design", "en", "../ko/book/01_design.html"),
        ("book/01_design", "ko", "../../book/01_design.html"),
        ("search", "en", "ko/search.html"),
        ("genindex", "ko", "../genindex.html"),
    ],
)
def test_the_language_switch_links_relatively_to_the_same_page(pagename, language, expected) -> None:
    href, _, _ = other_edition_link(pagename, language)
    assert href == expected
    # resolved from the page's own directory, the link lands on the same page in the other edition
    here = (Path("/site/ko" if language == "ko" else "/site") / pagename).parent
    target = (here / href).resolve()
    assert target == (Path("/site" if language == "ko" else "/site/ko") / f"{pagename}.html").resolve()


def test_a_translated_title_does_not_replace_the_pages_heading_anchors() -> None:
    """Sphinx parses an admonition title's msgstr as a heading, and MyST then stores that one slug as the
    page's anchors (chapter 4's aside broke the summary's links to 4.2 and 4.3 in the Korean builds).
    After translation the page gets its own anchors back, from its document."""
    from types import SimpleNamespace

    own = {
        "42-tip-1-normalise-the-inputs": (1, "tip-1-normalise-the-inputs", "4.2 Tip 1: normalise the inputs")
    }
    env = SimpleNamespace(
        docname="book/04_tips",
        metadata={"book/04_tips": {"myst_slugs": {"여담-이-장이": (1, "id1", "여담: 이 장이")}}},
    )
    _restore_heading_anchors(SimpleNamespace(myst_slugs=own), env)
    assert env.metadata["book/04_tips"]["myst_slugs"] == own
    # a page with no headings of its own keeps none; a page MyST did not parse is left alone
    _restore_heading_anchors(SimpleNamespace(myst_slugs={}), env)
    assert "myst_slugs" not in env.metadata["book/04_tips"]
    env.metadata["book/04_tips"]["myst_slugs"] = own
    _restore_heading_anchors(SimpleNamespace(), env)
    assert env.metadata["book/04_tips"]["myst_slugs"] == own
