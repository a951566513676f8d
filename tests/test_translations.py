"""The Korean edition cannot drift from the English one (issue 13; TRANSLATING.md describes the workflow).

* every message of every catalogue in locales/ko/LC_MESSAGES is translated and none is fuzzy;
* the last Korean build (`make book`, which `make test` runs first) found no English message missing
  from the catalogues, so a changed English paragraph fails here until `make translations` and a
  translator have dealt with it;
* the translations use the glossary's Korean term for each concept (book/glossary.md), e.g. 규제 for
  regularization, never 정규화, which is normalization;
* the register is 합니다체: no sentence of a translation ends in the plain style (…한다. …이다.).
* every translation renders as MyST parses it, with no emphasis or code left as literal `*`, `_` or
  backticks (issue 28: "*양성 종양(benign)*을"); the built Korean pages are checked too when present;
* no catalogue keeps obsolete (`#~`) entries.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales" / "ko" / "LC_MESSAGES"
CATALOGUES = sorted(LOCALES.rglob("*.po"))
CHAPTERS = sorted((LOCALES / "book").glob("*.po"))
REPORT = ROOT / "_build" / "untranslated-ko.json"


def _messages(po: Path) -> list:
    with po.open("rb") as source:
        return [m for m in read_po(source, locale="ko") if m.id]


def catalogue_problems(po: Path) -> list[str]:
    """One line per message of a .po file that is untranslated or fuzzy, naming the file and the message."""
    parts = po.parts
    name = "/".join(parts[parts.index("LC_MESSAGES") - 2 :]) if "LC_MESSAGES" in parts else po.name
    problems = []
    for message in _messages(po):
        if message.fuzzy:
            problems.append(
                f"{name}: fuzzy (the English changed; check and re-translate): {message.id[:100]!r}"
            )
        elif not (message.string or "").strip():
            problems.append(f"{name}: untranslated: {message.id[:100]!r}")
    return problems


def test_there_is_a_catalogue_for_every_page() -> None:
    pages = sorted(p.stem for p in (ROOT / "book").iterdir() if p.suffix in {".md", ".ipynb"})
    assert sorted(p.stem for p in CHAPTERS) == pages


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.relative_to(LOCALES).as_posix())
def test_every_message_is_translated_and_none_is_fuzzy(po: Path) -> None:
    problems = catalogue_problems(po)
    assert not problems, "\n".join(problems)


def test_the_check_fails_on_an_untranslated_and_on_a_fuzzy_message(tmp_path: Path) -> None:
    """Proof that the test above can fail: a copy of a catalogue with one message emptied, one fuzzy."""
    original = LOCALES / "book" / "intro.po"
    copy = tmp_path / "locales" / "ko" / "LC_MESSAGES" / "book" / "intro.po"
    copy.parent.mkdir(parents=True)
    shutil.copy(original, copy)
    before = catalogue_problems(copy)
    text = copy.read_text(encoding="utf-8")
    plain = [
        m for m in _messages(copy) if m.string and not m.fuzzy and not re.search(r'["\\\n]', m.id + m.string)
    ]
    first, second = plain[:2]
    # empty one message's translation; mark another fuzzy, as sphinx-intl does after an English change
    text = text.replace(f'msgstr "{first.string}"', 'msgstr ""', 1)
    text = text.replace(f'msgid "{second.id}"', f'#, fuzzy\nmsgid "{second.id}"', 1)
    copy.write_text(text, encoding="utf-8")
    new = [p for p in catalogue_problems(copy) if p not in before]
    assert new == [
        f"locales/ko/LC_MESSAGES/book/intro.po: untranslated: {first.id[:100]!r}",
        "locales/ko/LC_MESSAGES/book/intro.po: fuzzy (the English changed; check and re-translate): "
        f"{second.id[:100]!r}",
    ]


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.relative_to(LOCALES).as_posix())
def test_no_catalogue_keeps_obsolete_entries(po: Path) -> None:
    """sphinx-intl keeps a message whose English has gone as a `#~` entry; `make translations` drops them
    (scripts/drop_obsolete.py), since dead translations only mislead the next translator."""
    obsolete = [line for line in po.read_text(encoding="utf-8").splitlines() if line.startswith("#~ msgid")]
    assert not obsolete, f"{len(obsolete)} obsolete entries; run `python scripts/drop_obsolete.py locales/ko`"


@pytest.mark.book
def test_the_korean_build_found_every_english_message_in_the_catalogues() -> None:
    assert REPORT.exists(), f"{REPORT} is missing: build the Korean edition first (`make book`)"
    report = json.loads(REPORT.read_text(encoding="utf-8"))
    lines = [
        f"locales/ko/LC_MESSAGES/{page}.po has no translation of {m[:100]!r}"
        for page, messages in report.items()
        for m in messages
    ]
    assert not lines, "run `make translations`, translate, rebuild (TRANSLATING.md):\n" + "\n".join(lines)


# --- one Korean term per concept ------------------------------------------------------------------


def glossary_terms() -> dict[str, str]:
    """{English term: its Korean term}, read from book/glossary.md (the first Korean term of each entry)."""
    text = (ROOT / "book" / "glossary.md").read_text(encoding="utf-8")
    block = text.split("```{glossary}", 1)[1].split("```", 1)[0]
    terms = {}
    for term, definition in re.findall(r"^(\S[^\n]*)\n\s+([^\n]*)", block, flags=re.MULTILINE):
        korean = re.split(r"[.,(]", definition, maxsplit=1)[0].strip()
        terms[term.strip()] = korean
    return terms


# Names and abbreviations that Korean technical prose writes as they are (d2l-ko does too).
KEPT_IN_ENGLISH = {"ReLU", "SGD", "Adam", "tanh", "F1 score"}


def _prose(msgid: str) -> str:
    """The English a reader reads, and the glossary terms roles point to; inline code, maths, URLs dropped."""
    text = re.sub(r"\{[a-z:-]+\}`([^`<]*?)\s*(?:<([^>`]*)>)?`", r"\1 (\2)", msgid)  # {term}`text <target>`
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"\$[^$]*\$", " ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    return text.replace("isation", "ization").replace("optimiser", "optimizer")


def term_problems(msgid: str, msgstr: str, terms: dict[str, str]) -> list[str]:
    """The glossary terms an English message uses whose Korean term its translation lacks.

    Examples
    --------
    >>> terms = {"regularization": "규제", "normalization": "정규화", "gradient": "기울기",
    ...          "gradient descent": "경사 하강법"}
    >>> term_problems("Dropout is a regularisation.", "드롭아웃은 정규화의 하나입니다.", terms)
    ['regularization → 규제 (and 정규화 is normalization)']
    >>> term_problems("Dropout is a regularisation.", "드롭아웃은 규제의 하나입니다.", terms)
    []
    >>> term_problems("Plain gradient descent.", "기본 경사 하강법입니다.", terms)
    []
    """
    prose = _prose(msgid)
    problems = []
    for term in sorted(terms, key=len, reverse=True):
        pattern = re.compile(rf"(?<![\w-]){re.escape(term)}(?:s|es)?(?![\w-])", re.IGNORECASE)
        if not pattern.search(prose):
            continue
        prose = pattern.sub(" ", prose)  # "gradient descent" is not also "gradient"
        korean = terms[term]
        if korean in msgstr or (term in KEPT_IN_ENGLISH and term in msgstr):
            continue
        others = [
            f"{k} is {t}"
            for t, k in terms.items()
            if t != term
            and k in msgstr
            and k not in korean
            and not re.search(rf"(?<![\w-]){re.escape(t)}", _prose(msgid), re.IGNORECASE)
        ]
        problems.append(f"{term} → {korean}" + (f" (and {', '.join(others)})" if others else ""))
    return problems


def _not_terms(message) -> set[str]:
    """Terms a translator marked as not meant in this message, with a comment `# not a term: unit` in the .po
    (e.g. "units" of measurement). sphinx-intl keeps such comments when it updates the catalogues."""
    return {
        term.strip()
        for comment in message.user_comments
        if comment.startswith("not a term:")
        for term in comment.split(":", 1)[1].split(",")
    }


@pytest.mark.parametrize("po", CHAPTERS, ids=lambda p: p.name)
def test_translations_use_the_glossary_term_for_each_concept(po: Path) -> None:
    terms = glossary_terms()
    assert terms["regularization"] == "규제" and terms["normalization"] == "정규화"
    problems = []
    for message in _messages(po):
        if not message.string or message.string == message.id:  # maths or code, copied as it is
            continue
        if po.stem != "glossary":
            wanted = {t: k for t, k in terms.items() if t not in _not_terms(message)}
            problems += [
                f"{po.name}: {p}: {message.id[:80]!r}"
                for p in term_problems(message.id, message.string, wanted)
            ]
        if "정규화" in message.string and not re.search(
            r"normali[sz]|standardi|정규화", _prose(message.id).lower()
        ):
            problems.append(
                f"{po.name}: 정규화 (normalization) where the English has none: {message.id[:80]!r}"
            )
    assert not problems, "\n".join(problems)


# --- words outside the glossary that must not drift between chapters (TRANSLATING.md, "Settled words") ---

# (the English word, where the English says it, the Korean a translation of it uses, Korean no translation uses)
SETTLED_WORDS = [
    (
        "plain Keras",
        r"\bplain (?:Keras|TensorFlow|NumPy|tf\.distribute)\b",
        "순수",
        r"(?:기본|일반|평범한) (?:Keras|TensorFlow|NumPy)",
    ),
    ("plain SGD", r"\bplain SGD", "모멘텀 없는", r"(?:기본|일반|순수) (?:\{term\}`)?SGD"),
    ("machine", r"\bmachines?\b(?![- ]learning)", "컴퓨터", r"머신(?!러닝)"),
    ("trial", r"\btrials?\b", "시도", "시행"),
    ("all-reduce", r"\ball-reduces?\b", "all-reduce", "올리듀스"),
    ("sweep", r"\bsweep(?:s|ing)?\b", "탐색|훑", "스윕"),
    ("best epoch", r"\bbest epochs?\b", "가장 좋은 에포크", r"최선의 (?:검증 )?에포크"),
    ("custom step", r"\bcustom (?:training )?step", "직접 작성한", "사용자 정의 스텝"),
    ("yes/no", r"\byes/no\b", "예/아니요", "아니오"),
]


def settled_word_problems(msgid: str, msgstr: str) -> list[str]:
    """The settled words (TRANSLATING.md) a translation renders differently.

    Keras's progress log shows the mean of the epoch's batches so far, 누적 평균; 이동 평균 (a moving or
    exponential average) is right only for Adam's m and v, so it is checked apart.

    Examples
    --------
    >>> settled_word_problems("A loop in plain Keras.", "기본 Keras로 짠 루프입니다.")
    ['plain Keras: needs 순수', 'plain Keras: not 기본 Keras']
    >>> settled_word_problems("A loop in plain Keras.", "순수 Keras로 짠 루프입니다.")
    []
    >>> settled_word_problems("`fit` logs a running average.", "`fit`은 이동 평균을 기록합니다.")
    ['running mean: 누적 평균 (이동 평균 is for Adam)']
    >>> settled_word_problems("Adam keeps running averages.", "Adam은 이동 평균을 유지합니다.")
    []
    >>> settled_word_problems("A running mean, smoothed by a moving average.", "누적 평균을 이동 평균이 고릅니다.")
    []
    >>> settled_word_problems("A machine-learning bootcamp.", "머신러닝 부트캠프입니다.")
    []
    >>> settled_word_problems("Two machines.", "머신 두 대입니다.")
    ['machine: needs 컴퓨터', 'machine: not 머신']
    """
    english = re.sub(r"`(tf\.distribute)`", r"\1", msgid.replace("{term}`SGD`", "SGD"))
    english = _prose(english)
    problems = []
    for word, said, wanted, banned in SETTLED_WORDS:
        if re.search(said, english, re.IGNORECASE) and not re.search(wanted, msgstr):
            problems.append(f"{word}: needs {wanted}")
        problems += [f"{word}: not {found}" for found in re.findall(banned, msgstr)]
    if (
        re.search(r"running (?:mean|average)", english)
        and not re.search("Adam|아담|moving average", msgid)  # a moving average said as well is 이동 평균
        and "이동 평균" in msgstr
    ):
        problems.append("running mean: 누적 평균 (이동 평균 is for Adam)")
    return problems


@pytest.mark.parametrize("po", CHAPTERS, ids=lambda p: p.name)
def test_translations_use_the_settled_words(po: Path) -> None:
    """Issue 28: plain Keras was 일반/기본/순수 Keras, machine 머신 in chapter 7 and 컴퓨터 elsewhere, trial
    시행 in chapter 6 and 시도 in chapter 7, and so on. One word each, recorded in TRANSLATING.md."""
    problems = [
        f"{po.name}: {problem}: {message.id[:80]!r}"
        for message in _messages(po)
        if message.string and message.string != message.id
        for problem in settled_word_problems(message.id, message.string)
    ]
    assert not problems, "\n".join(problems)


def test_the_settled_words_are_documented() -> None:
    text = (ROOT / "TRANSLATING.md").read_text(encoding="utf-8")
    section = " ".join(text.split("**Settled words**", 1)[1].split("\n\n", 1)[0].replace("*", "").split())
    for word, _, wanted, _ in SETTLED_WORDS + [("running mean", "", "누적 평균", "")]:
        english = word.split()[-1]  # "custom step" is documented as "custom training step"
        korean = wanted.split("|")[0]
        assert english in section and korean in section, f"{word} → {korean} is not in TRANSLATING.md"


# --- 합니다체 -----------------------------------------------------------------------------------------

PLAIN_STYLE = re.compile(r"(?:한다|이다|된다|있다|없다|했다|였다|않는다|진다|준다|본다|낸다)[.!?](?:\s|$)")


def test_translations_are_in_the_polite_formal_register() -> None:
    """합니다체 throughout: "학습합니다." not "학습한다.". (Roughly: the common plain-style endings.)"""
    problems = [
        f"{po.relative_to(LOCALES).as_posix()}: {m.string[:100]!r}"
        for po in CATALOGUES
        for m in _messages(po)
        if m.string and PLAIN_STYLE.search(m.string)
    ]
    assert not problems, "sentences in 해라체; write 합니다체:\n" + "\n".join(problems)
    assert PLAIN_STYLE.search("모델을 학습한다.") and not PLAIN_STYLE.search("모델을 학습합니다.")


# 해요체 and plain-style questions ("…놓나요?", "…낮은가요?", "…인가?"): 합니다체 asks "…놓습니까?". A quoted
# question ("얼마나 자주 맞는가?" as what precision asks) and a rhetorical "…일까요?" are fine.
INFORMAL_ENDING = re.compile(
    r"(?:나요|[은는]가요|[은는]가|인가|해요|어요|아요|예요|에요|죠|지요)[.!?]\**(?:\s|$)"
)


def informal_endings(msgstr: str) -> list[str]:
    """Sentences of a translation that end in 해요체 or as a plain-style question, quotations left aside.

    Examples
    --------
    >>> informal_endings("몇 번째 에포크를 되돌려 놓나요? 검증 손실은 더 낮은가요?")
    ['놓나요?', '낮은가요?']
    >>> informal_endings("**어느 클래스가 양성 클래스인가?** 정밀도는 …")
    ['클래스인가?**']
    >>> informal_endings('되돌려 놓습니까? 재현율은 "몇 개를 찾았는가?"에 답합니다. 시드 0의 성질일까요?')
    []
    """
    unquoted = re.sub(r'"[^"]*"|“[^”]*”|`[^`]*`', " ", msgstr)
    return [m.group(0).strip() for m in re.finditer(r"\S+" + INFORMAL_ENDING.pattern, unquoted)]


def test_translations_ask_in_the_polite_formal_register() -> None:
    problems = [
        f"{po.relative_to(LOCALES).as_posix()}: {ending}: {m.string[:80]!r}"
        for po in CATALOGUES
        for m in _messages(po)
        if m.string
        for ending in informal_endings(m.string)
    ]
    assert not problems, "해요체 or plain questions; write 합니다체 (…습니까?):\n" + "\n".join(problems)


def test_lead_in_sentences_end_with_a_period() -> None:
    """An English lead-in ends with ":" ("What is synchronised, and when:"); a Korean sentence that ends in
    합니다체 ends with ".", as every chapter but the old chapter 7 did ("무엇이 언제 동기화되는지 봅시다.")."""
    problems = [
        f"{po.relative_to(LOCALES).as_posix()}: {m.string[-60:]!r}"
        for po in CATALOGUES
        for m in _messages(po)
        if m.string and re.search(r"(?:니다|시다):$", m.string.rstrip())
    ]
    assert not problems, "end the lead-in with '.':\n" + "\n".join(problems)


# --- MyST syntax survives translation ----------------------------------------------------------------


def markup(text: str) -> dict[str, list[str]]:
    """The markup a translation must keep (each at least once): roles with their targets, link targets, maths.

    Examples
    --------
    >>> markup("the {term}`learning rate` and {term}`units <unit>`, [chapter 4](04_tips.ipynb), $\\\\eta$")
    {'roles': ['{term} learning rate', '{term} unit'], 'links': ['04_tips.ipynb'], 'maths': ['$\\\\eta$']}
    """
    roles = sorted(
        {
            f"{{{name}}} {(target or text).strip()}"
            for name, text, target in re.findall(r"\{([a-z:-]+)\}`([^`<]*?)\s*(?:<([^>`]*)>)?`", text)
        }
    )
    return {
        "roles": [r for r in roles if not r.startswith("{term}")]
        + sorted(r for r in roles if r.startswith("{term}")),
        "links": sorted(set(re.findall(r"\]\(([^)]*)\)", text))),
        "maths": sorted(set(re.findall(r"\$[^$]+\$", text))),
    }


def _term_targets(message_markup: dict[str, list[str]]) -> dict[str, list[str]]:
    """A {term} role without a target links to its own text: compare glossary targets case-insensitively."""
    return {**message_markup, "roles": sorted(r.lower() for r in message_markup["roles"])}


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.relative_to(LOCALES).as_posix())
def test_translations_keep_roles_links_and_maths(po: Path) -> None:
    """{term}`...`, {glue:text}`...`, {numref}`...`, link targets and $...$ maths come through unchanged
    (only a role's displayed text is translated), and no heading turns into a list: MyST reads a msgstr
    "1. 네트워크 설계" as an ordered list, so a leading number is written "1\\. 네트워크 설계"."""
    problems = []
    for message in _messages(po):
        if not message.string:
            continue
        if _term_targets(markup(message.id)) != _term_targets(markup(message.string)):
            problems.append(
                f"markup differs: {message.id[:80]!r}\n    {markup(message.id)}\n    {markup(message.string)}"
            )
        if re.match(r"\d+\. ", message.string) and message.string != message.id:
            problems.append(f"starts like a numbered list item (write '1\\. '): {message.string[:60]!r}")
    assert not problems, f"{po.name}:\n" + "\n".join(problems)


# --- figure captions and alt texts are messages too --------------------------------------------------


def _figure_texts(notebook: Path) -> list[str]:
    """The captions and alt texts set in a notebook's cell metadata (mystnb.figure.caption, mystnb.image.alt)."""
    texts = []
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        mystnb = cell.get("metadata", {}).get("mystnb", {})
        texts += [
            t for t in (mystnb.get("figure", {}).get("caption"), mystnb.get("image", {}).get("alt")) if t
        ]
    return texts


@pytest.mark.parametrize("notebook", sorted((ROOT / "book").glob("*.ipynb")), ids=lambda p: p.name)
def test_every_caption_and_alt_text_is_in_the_catalogue(notebook: Path) -> None:
    """Sphinx's gettext extracts captions, and alt texts with gettext_additional_targets = [image] once
    myst-nb hands the gettext builder the images (nb_mime_priority_overrides in _config.yml)."""
    po = LOCALES / "book" / f"{notebook.stem}.po"
    ids = {m.id for m in _messages(po)}
    missing = [t for t in _figure_texts(notebook) if " ".join(t.split()) not in ids]
    assert not missing, f"{po.name} lacks these captions / alt texts (run `make translations`): {missing}"


# --- the Korean renders: no emphasis or code left as literal characters ------------------------------

# Jupyter Book's default MyST extensions (jupyter_book/default_config.yml); _config.yml adds none.
MYST_EXTENSIONS = {"colon_fence", "dollarmath", "linkify", "substitution", "tasklist"}


def _myst():
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    return create_md_parser(MdParserConfig(enable_extensions=MYST_EXTENSIONS), RendererHTML)


def literal_markup(text: str, parser=None) -> list[str]:
    """The text runs in which MyST leaves a `*`, `_` or backtick as a literal character (outside code,
    roles and maths): emphasis or code that did not close.

    CommonMark's flanking rules close `*...*` only if the closing `*` is right-flanking: after a
    punctuation mark such as ")" it must be followed by a space or punctuation, so a Korean particle
    right after it leaves both asterisks on the page.

    Examples
    --------
    >>> literal_markup("scikit-learn은 *양성 종양(benign)*을 1로 부호화합니다.")
    ['scikit-learn은 *양성 종양(benign)*을 1로 부호화합니다.']
    >>> literal_markup("scikit-learn은 *양성 종양*(benign)을 1로 부호화합니다.")
    []
    >>> literal_markup("**정리하면,** `fit`은 {term}`학습률 <learning rate>`과 $a_0 = X$를 씁니다.")
    []
    """
    parser = parser or _myst()
    runs = []
    for token in parser.parse(text):
        for child in token.children or []:
            if child.type == "text" and re.search(r"[*_`]", child.content):
                runs.append(child.content)
    return runs


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.relative_to(LOCALES).as_posix())
def test_translations_render_without_literal_markup_characters(po: Path) -> None:
    """Issue 28: "*양성 종양(benign)*을" showed its asterisks on the Korean page. Each message is parsed as
    the book parses it (MyST's markdown-it); a message copied unchanged (display maths) renders as the
    English does."""
    parser = _myst()
    problems = [
        f"{po.name}: {run[:120]!r}"
        for message in _messages(po)
        if message.string and message.string != message.id
        for run in literal_markup(message.string, parser)
    ]
    assert not problems, (
        "literal * _ ` on the page (emphasis or code that did not close; keep a particle after `*...*` "
        "only when the emphasis ends in a letter, e.g. *양성 종양*(benign)을):\n" + "\n".join(problems)
    )


KOREAN_HTML = ROOT / "_build" / "html" / "ko"


def html_literal_markup(page_html: str) -> list[str]:
    """Korean text runs of a built page with a literal `*` or backtick outside code, maths and outputs.

    (Only runs holding Hangul: the API page's English docstrings legitimately print `2**32` and `*args`.)

    Examples
    --------
    >>> html_literal_markup("<p>scikit-learn은 *양성 종양(benign)*을 <code>a*b</code></p>")
    ['scikit-learn은 *양성 종양(benign)*을']
    >>> html_literal_markup("<p><em>양성 종양</em>(benign)을</p><pre>*양성*</pre><span class='math'>a*b 곱</span>")
    []
    """
    from html.parser import HTMLParser

    void = {"br", "img", "meta", "link", "input", "hr", "wbr", "source", "col", "area", "base", "embed"}

    class _Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.skipping: list[bool] = []
            self.runs: list[str] = []

        def handle_starttag(self, tag, attrs):
            if tag not in void:
                classes = (dict(attrs).get("class") or "").split()
                code = tag in {"pre", "code", "script", "style", "kbd", "samp"}
                self.skipping.append(code or "math" in classes or "output" in classes)

        def handle_endtag(self, tag):
            if tag not in void and self.skipping:
                self.skipping.pop()

        def handle_data(self, data):
            if not any(self.skipping) and re.search(r"[*`]", data) and re.search("[가-힣]", data):
                self.runs.append(data.strip())

    parser = _Text()
    parser.feed(page_html)
    return parser.runs


def test_the_built_korean_pages_show_no_literal_markup_characters() -> None:
    if not KOREAN_HTML.is_dir():
        pytest.skip("no Korean build in _build/html/ko (`make book` makes it)")
    problems = [
        f"{page.relative_to(KOREAN_HTML).as_posix()}: {run[:120]!r}"
        for page in sorted(KOREAN_HTML.rglob("*.html"))
        for run in html_literal_markup(page.read_text(encoding="utf-8"))
    ]
    assert not problems, "literal * or ` on a Korean page:\n" + "\n".join(problems)


@pytest.mark.parametrize("notebook", sorted((ROOT / "book").glob("*.ipynb")), ids=lambda p: p.name)
def test_korean_captions_and_alt_texts_end_with_a_period(notebook: Path) -> None:
    """They are 합니다체 sentences: chapter 1's alt texts ended "…보여 줍니다" and the others' "…보여 줍니다."
    (issue 28); one convention, the sentence's own period (TRANSLATING.md)."""
    translations = {m.id: m.string for m in _messages(LOCALES / "book" / f"{notebook.stem}.po")}
    texts = [" ".join(t.split()) for t in _figure_texts(notebook)]
    unfinished = [
        translations[t][-40:] for t in texts if t in translations and not translations[t].endswith(".")
    ]
    assert not unfinished, f"end these with '.': {unfinished}"
