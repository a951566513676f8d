"""The Korean edition's figures and tables (issue 28): no English word inside a Korean figure or header.

Two halves:

- every plotter of :mod:`dlnotes.plots`, drawn under ``use_language("ko")``: every text of the figure
  (titles, axis labels, tick labels, legend entries and titles, annotations, colour-bar labels) is
  collected from the Matplotlib objects (the strings, not the pixels) and must hold no English word
  apart from code identifiers, names and units (:data:`ALLOWED`);
- the notebooks: every English figure cell of a converted chapter is followed by its Korean twin
  (cell metadata ``"dlnotes": {"korean_twin": true}``), whose stored output holds the same number of
  images, whose label strings hold no English word, and whose printed tables have Korean headers.
  ``scripts/korean_figures.py`` shows the twin's output in the Korean build (TRANSLATING.md).
"""

from __future__ import annotations

import ast
import json
import math
import re
from pathlib import Path

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from dlnotes import metrics, plots, search, training  # noqa: E402
from dlnotes._labels import KO, KOREAN_FONT, language, metric_label, tr, use_language  # noqa: E402
from dlnotes.search import format_table  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]

# Latin-letter words a Korean label may hold besides single letters (symbols: z, p, x·w + b) and code
# (words with "_", "." or "="): names and abbreviations the glossary keeps in Latin letters, Keras's
# activation, layer and callback names.
ALLOWED = {
    # names and abbreviations (TRANSLATING.md: they stay in Latin letters)
    "ReLU", "SGD", "Adam", "AdamW", "tanh", "F1", "Keras", "NumPy", "ROC", "AUC", "AP", "NaN", "inf",
    "RMS", "BN", "MSE", "Brier", "Glorot", "He", "L2",
    # Keras's activation names, written under the layers of plot_network (code)
    "relu", "sigmoid", "linear", "softmax",
    # symbols of the formulas (z = x·w + b, d loss / dz, n=12)
    "dz",
    # Keras's optimizer names (compare(..., "optimizer", ["sgd", "adam"]) labels its runs with them)
    "sgd", "adam", "adamw", "rmsprop",
    # Keras's layers and callbacks, named as in the code
    "Dropout", "EarlyStopping", "BatchNormalization",
}  # fmt: skip

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'-]*")


def english_words(text: str) -> list[str]:
    """The English words of ``text``: Latin-letter words that are not in ALLOWED nor code identifiers."""
    text = re.sub(r"\\[A-Za-z]+|\{[a-z_]+\}", " ", text)  # mathtext commands, template fields
    text = re.sub(r"\b\d+(\.\d+)?e[-+]?\d+\b", " ", text)  # numbers in e-notation: 1e-5
    words = []
    for token in re.split(r"[\s,;:()\[\]/+<>→±·%]+", text):
        if not token or "_" in token or "." in token.strip(".") or "=" in token:
            continue  # val_loss, model.fit, global_clipnorm=1: code
        words += [w for w in _WORD.findall(token) if w not in ALLOWED and len(w) > 1]
    return words


def figure_texts(fig) -> list[str]:
    """Every non-empty text drawn in ``fig`` (the figure is drawn first, so tick labels exist)."""
    fig.canvas.draw()
    return [t.get_text() for t in fig.findobj(Text) if t.get_text().strip() and t.get_visible()]


def english_in(fig) -> dict[str, list[str]]:
    return {text: words for text in figure_texts(fig) if (words := english_words(text))}


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


RUNS = {
    "절차 A": search.repeat_runs(lambda seed: 0.3 + 0.01 * seed),
    "절차 B": search.repeat_runs(lambda seed: 0.2 + 0.02 * seed),
}

# One call per plotter, with Korean strings wherever the caller supplies text (titles, names).
PLOTTERS = {
    "plot_network": lambda: plots.plot_network([10, 128, 64, 1], activations=["relu", "relu", "sigmoid"]),
    "plot_network_small": lambda: plots.plot_network([2, 1]),
    "plot_activations": lambda: plots.plot_activations(),
    "plot_activations_derivative": lambda: plots.plot_activations(derivative=True),
    "plot_softmax": lambda: plots.plot_softmax([2.0, 1.0, 0.1]),
    "plot_losses": lambda: plots.plot_losses(1),
    "plot_losses_gradient": lambda: plots.plot_losses(0, gradient=True),
    "plot_decision_boundary": lambda: plots.plot_decision_boundary(
        lambda grid: (grid.sum(axis=1) > 1).astype(float),
        np.array([[0.0, 0.0], [1.0, 1.0], [0.0, 1.0]]),
        np.array([0, 1, 1]),
        resolution=20,
    ),
    "plot_history": lambda: plots.plot_history(
        {"loss": [0.7, 0.5, 0.4], "val_loss": [0.7, 0.6, 0.6], "accuracy": [0.5, 0.6, 0.7]}
    ),
    "plot_history_diverged": lambda: plots.plot_history({"loss": [0.7, 3.0, math.nan]}),
    "plot_curves": lambda: plots.plot_curves(
        {"모멘텀 없는 SGD": [0.7, 0.6], "Adam": [0.7, 0.5]}, title="손실"
    ),
    "plot_histories": lambda: plots.plot_histories(
        {
            "작은 네트워크": {"loss": [0.7, 0.5], "val_loss": [0.7, 0.6]},
            "큰 네트워크": {"loss": [0.7, math.nan], "val_loss": [0.6, 0.8]},
        },
        logy=True,
    ),
    "plot_histories_accuracy": lambda: plots.plot_histories(
        {"실행": {"accuracy": [0.5, 0.7], "val_accuracy": [0.5, 0.6]}}, metric="accuracy"
    ),
    "plot_comparison": lambda: plots.plot_comparison(
        training.Comparison(
            "optimizer", ("sgd", "adam"), ("sgd", "adam"), ((0.7, 0.69, 0.68), (0.7, 0.6, 0.5))
        )
    ),
    "plot_learning_rate_sweep": lambda: plots.plot_learning_rate_sweep(
        training.Comparison(
            "learning_rate",
            ("0.01", "1", "100"),
            (0.01, 1.0, 100.0),
            ((0.7, 0.6), (0.7, 0.2), (0.7, float("nan"))),
        )
    ),
    "plot_search_results": lambda: plots.plot_search_results(
        search.SearchResult(({"units": 8, "val_loss": 0.31}, {"units": 64, "val_loss": math.nan}), ("units",))
    ),
    "plot_range_test": lambda: plots.plot_range_test(
        training.RangeTestResult((0.001, 0.01, 0.1, 1.0), (0.7, 0.5, 0.2, 3.0), smoothing=0.0)
    ),
    "plot_runs": lambda: plots.plot_runs(RUNS),
    "plot_confusion_matrix": lambda: plots.plot_confusion_matrix(
        [[50, 3], [2, 45]], class_names=("양성 종양", "악성")
    ),
    "plot_confusion_matrix_digits": lambda: plots.plot_confusion_matrix([[5, 0, 1], [0, 6, 0], [2, 0, 4]]),
    "plot_threshold_curve": lambda: plots.plot_threshold_curve(
        metrics.threshold_curve([0, 0, 1, 1], [0.1, 0.6, 0.8, 0.4]), mark=[0.3, 0.5]
    ),
    "plot_confused_pairs": lambda: plots.plot_confused_pairs(
        np.arange(6 * 4, dtype=float).reshape(6, 4),
        [0, 1, 1, 2, 2, 0],
        [1, 1, 2, 2, 0, 0],
        [(0, 1), (1, 2)],
        class_names=("고양이", "개", "새"),
    ),
    "plot_roc_curve": lambda: plots.plot_roc_curve(
        {"fpr": np.array([0.0, 0.5, 1.0]), "tpr": np.array([0.0, 0.9, 1.0])}, label="네트워크 (AUC 0.900)"
    ),
    "plot_precision_recall_curve": lambda: plots.plot_precision_recall_curve(
        {"recall": np.array([0.0, 0.5, 1.0]), "precision": np.array([1.0, 0.8, 0.5])}
    ),
    "plot_reliability_diagram": lambda: plots.plot_reliability_diagram(
        {
            "mean_prob": np.array([0.1, 0.8]),
            "fraction_positive": np.array([0.2, 0.7]),
            "count": np.array([2, 3]),
        }
    ),
}


def _figure(drawn):
    return drawn if isinstance(drawn, matplotlib.figure.Figure) else drawn.figure


@pytest.mark.parametrize("name", sorted(PLOTTERS))
def test_korean_figure_has_no_english_word(name):
    with use_language("ko"):
        fig = _figure(PLOTTERS[name]())
    found = english_in(fig)
    assert not found, f"{name} in Korean still writes English: {found} (add them to dlnotes._labels.KO)"
    assert any(re.search("[가-힣]", t) for t in figure_texts(fig)), f"{name} in Korean has no Korean text"


@pytest.mark.parametrize("name", sorted(PLOTTERS))
def test_the_check_sees_the_english_figure(name):
    """The same figures in English hold English words: the check above is able to fail."""
    found = english_in(_figure(PLOTTERS[name]()))
    if name != "plot_confused_pairs":  # its only texts are the caller's class names
        assert found, f"{name} in English: no English word found, so the Korean test proves nothing"


def test_check_fails_on_an_english_label_in_a_korean_figure():
    with use_language("ko"):
        ax = plots.plot_curves({"실행": [1.0, 2.0]}, title="손실", xlabel="training step")
    assert english_in(ax.figure) == {"training step": ["training", "step"]}


def test_english_words_allows_identifiers_names_and_units():
    assert english_words("검증 손실 (val_loss), model.fit, global_clipnorm=1, ReLU, AUC 0.9, n=12") == []
    assert english_words("훈련 loss") == ["loss"]
    assert english_words("차이가 1e-5 미만, 2.5e+3") == []  # numbers in e-notation
    assert english_words("1e-5 below") == ["below"]


def test_the_language_switch_scopes_and_refuses_unknown_languages():
    assert language() == "en" and tr("epoch") == "epoch"
    with use_language("ko"):
        assert (
            language() == "ko" and tr("epoch") == "에포크" and metric_label("val_accuracy") == "검증 정확도"
        )
        assert tr("아무 문장") == "아무 문장"  # text not in the catalogue stays as it is
    assert language() == "en" and metric_label("val_accuracy") == "val_accuracy"
    with pytest.raises(ValueError, match=r"language must be one of \('en', 'ko'\).*got 'kr'"):
        use_language("kr")


def test_the_korean_font_is_installed_and_used():
    """The notebooks draw their Korean figures with NanumGothic (fonts-nanum, scripts/system_packages.sh)."""
    import os
    import warnings

    from matplotlib import font_manager, rcParams

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with use_language("ko"):
            pass
    if caught and not os.environ.get("CI"):  # CI installs fonts-nanum (make test): there it must be found
        pytest.skip(
            f"{KOREAN_FONT} is not installed here (scripts/system_packages.sh fonts-nanum): {caught[0].message}"
        )
    assert KOREAN_FONT in rcParams["font.family"]
    path = font_manager.findfont(font_manager.FontProperties(family=KOREAN_FONT), fallback_to_default=False)
    assert Path(path).name == f"{KOREAN_FONT}.ttf"


def test_english_figures_are_unchanged_by_the_korean_font():
    """The Korean font is a fallback after the default: an English figure's pixels do not change."""
    import io

    def png():
        ax = plots.plot_curves({"a": [1.0, 2.0, 1.5]}, title="Training loss", ylabel="loss")
        buffer = io.BytesIO()
        ax.figure.savefig(buffer, format="png", dpi=50)
        return buffer.getvalue()

    from matplotlib import rcParams

    with matplotlib.rc_context({"font.family": [f for f in rcParams["font.family"] if f != KOREAN_FONT]}):
        before = png()
    with use_language("ko"):
        pass
    assert png() == before


def test_catalogue_has_no_english_word_in_its_korean():
    found = {en: english_words(ko) for en, ko in KO.items() if english_words(ko)}
    assert not found, found


# --- tables ---------------------------------------------------------------------------------------
def test_format_table_headers_are_shown_and_aligned_by_display_width():
    rows = [{"run": "드롭아웃", "val loss": 0.5}, {"run": "EarlyStopping", "val loss": 0.25}]
    text = format_table(rows, headers={"run": "실행", "val loss": "검증 손실"})
    lines = text.split("\n")
    assert lines[0].split() == ["실행", "검증", "손실"]
    # Hangul takes two columns of a monospaced font: every line ends in the same column
    width = [sum(2 if "가" <= ch <= "힣" else 1 for ch in line) for line in lines]
    assert width[0] == width[1] == width[3], text
    assert format_table(rows) == format_table(rows, headers={})  # English unchanged


def test_format_table_refuses_headers_of_unknown_columns():
    with pytest.raises(ValueError, match=r"headers names column\(s\) \['loss'\]"):
        format_table([{"run": "a"}], headers={"loss": "손실"})
    with pytest.raises(TypeError, match="headers must be a dict"):
        format_table([{"run": "a"}], headers=["실행"])


# --- the notebooks --------------------------------------------------------------------------------
# The chapters whose figures (and printed tables) have Korean twins: all of them.
CONVERTED = (
    "01_design",
    "02_training",
    "03_evaluation",
    "03b_multiclass",
    "03c_curves",
    "04_tips",
    "05_overfitting",
    "05b_trainable",
    "05c_optimizer",
    "06_tuning",
    "06b_saving",
    "07_distributed",
)

# Figures without a word in them (only the caller's class names, here digits): nothing to translate.
WORDLESS = {"fig-digits-confused"}

# keyword arguments whose strings are settings, not labels
_SETTINGS = {"loc", "color", "c", "fmt", "linestyle", "ls", "marker", "cmap", "ha", "va", "layout", "metric"}


def _cells(name):
    return json.loads((ROOT / "book" / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]


def _is_twin(cell):
    return cell["cell_type"] == "code" and cell["metadata"].get("dlnotes", {}).get("korean_twin") is True


def _images(cell):
    return sum("image/png" in o.get("data", {}) for o in cell.get("outputs", []))


def _label_strings(source: str) -> list[str]:
    """The strings of a twin cell that can reach a figure or a header: every string constant except the
    English side of a lookup (a dict's keys, a subscript, ``.replace``'s and ``.get``'s first argument:
    the data's own names), settings (keyword arguments such as ``loc=``) and docstrings."""
    tree = ast.parse(source)
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg in _SETTINGS:
            skip |= {id(n) for n in ast.walk(node.value)}
        if isinstance(node, ast.Subscript):
            skip |= {id(n) for n in ast.walk(node.slice)}
        if isinstance(node, ast.Dict):
            skip |= {id(n) for key in node.keys if key is not None for n in ast.walk(key)}
        lookup = isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args
        if lookup and node.func.attr in ("replace", "get"):
            skip |= {id(n) for n in ast.walk(node.args[0])}
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and ast.get_docstring(node) is not None:
            skip.add(id(node.body[0].value))
    return [
        n.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in skip
    ]


@pytest.mark.parametrize("name", CONVERTED)
def test_every_figure_of_a_converted_chapter_has_a_korean_twin(name):
    cells = _cells(name)
    missing, wrong = [], []
    for i, cell in enumerate(cells):
        if cell["cell_type"] != "code" or _is_twin(cell) or not _images(cell):
            continue
        twin = cells[i + 1] if i + 1 < len(cells) else None
        label = cell["metadata"].get("mystnb", {}).get("figure", {}).get("name", f"cell {i}")
        if label in WORDLESS:
            continue
        if twin is None or not _is_twin(twin):
            missing.append(label)
        elif _images(twin) != _images(cell):
            wrong.append(f"{label}: {_images(cell)} image(s) in English, {_images(twin)} in the twin")
    assert not missing, f"{name}: figures without a Korean twin cell after them: {missing}"
    assert not wrong, f"{name}: {wrong}"


@pytest.mark.parametrize("name", CONVERTED)
def test_korean_twins_write_no_english_label(name):
    found = {}
    for i, cell in enumerate(_cells(name)):
        if not _is_twin(cell):
            continue
        source = "".join(cell["source"])
        if _images(cell):
            assert 'use_language("ko")' in source, f"{name} cell {i}: a twin draws under use_language('ko')"
        bad = {s: w for s in _label_strings(source) if (w := english_words(s)) and re.search(r"\s", s)}
        if bad:
            found[i] = bad
    assert not found, f"{name}: English words in the Korean twins' labels: {found}"


@pytest.mark.parametrize("name", CONVERTED)
def test_printed_tables_have_a_korean_twin_with_korean_headers(name):
    cells = _cells(name)
    for i, cell in enumerate(cells):
        source = "".join(cell["source"]) if cell["cell_type"] == "code" else ""
        if "format_table(" not in source or _is_twin(cell):
            continue
        twin = cells[i + 1]
        assert _is_twin(twin), f"{name} cell {i} prints a table but has no Korean twin after it"
        twin_text = "".join(
            "".join(o.get("text", "")) for o in twin.get("outputs", []) if o.get("output_type") == "stream"
        )
        lines = twin_text.split("\n")
        headers = [lines[j - 1] for j in range(1, len(lines)) if re.fullmatch(r"[- ]*-{3,}[- ]*", lines[j])]
        assert headers, f"{name} cell {i + 1}: the twin prints no table"
        for header in headers:
            assert re.search("[가-힣]", header) and not english_words(header), (
                f"{name} cell {i + 1}: a Korean table header holds English: {header!r}"
            )


# --- scripts/korean_figures.py: the Korean build's swap, and the code comments -----------------------
def _korean_figures():
    import sys

    # A Sphinx extension: the installed-wheel environments (make test-oldest, test-middle) have no docutils.
    pytest.importorskip("docutils", reason="the book's Sphinx extension; the book's environment only")
    sys.path.insert(0, str(ROOT / "scripts"))
    import korean_figures

    return korean_figures


def _cell(*outputs, twin=False):
    from docutils import nodes

    metadata = {"dlnotes": {"korean_twin": True}} if twin else {}
    cell = nodes.container(nb_element="cell_code", cell_metadata=metadata)
    out = nodes.container(nb_element="cell_code_output")
    for kind, value in outputs:
        if kind == "image":
            out += nodes.image(uri=value, alt="English alt text.")
        else:
            out += nodes.literal_block(value, value, classes=["output", "stream"])
    out += nodes.literal_block("<Figure>", "<Figure>", classes=["output", "text_plain"])  # not printed text
    cell += out
    return cell


def _first(node, tagname):
    return next(iter(node.findall(lambda n: n.tagname == tagname)))


def test_the_korean_build_shows_the_twins_images_and_tables_in_the_english_cell():
    kf = _korean_figures()
    english = _cell(("image", "en.png"), ("stream", "run  val loss"))
    twin = _cell(("image", "ko.png"), ("stream", "실행  검증 손실"), twin=True)
    assert kf.is_twin(twin) and not kf.is_twin(english)
    assert kf.swap_in_twin(english, twin) == []
    image = _first(english, "image")
    assert image["uri"] == "ko.png" and image["alt"] == "English alt text."  # the catalogue translates alt
    block = _first(english, "literal_block")
    assert block.astext() == block.rawsource == "실행  검증 손실"


def test_the_korean_build_refuses_a_twin_that_does_not_match():
    kf = _korean_figures()
    english = _cell(("image", "a.png"), ("image", "b.png"))
    twin = _cell(("image", "ko.png"), twin=True)
    assert kf.swap_in_twin(english, twin) == ["2 image(s) in the English cell, 1 in its Korean twin"]
    assert _first(english, "image")["uri"] == "a.png"


def test_comments_are_translated_and_the_code_is_not():
    kf = _korean_figures()
    source = 'Dense(64)  # hidden layer 2\ntext = "# hidden layer 2"\n# output layer\n'
    shown = kf.translate_comments(source, {"hidden layer 2": "은닉층 2", "output layer": "출력층"})
    assert shown == 'Dense(64)  # 은닉층 2\ntext = "# hidden layer 2"\n# 출력층\n'
    assert kf.translate_comments("x = (1  # (", {"(": "no"}) == "x = (1  # ("  # not Python: as it is


def _comments(source):
    import io
    import tokenize

    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return []
    return [t.string[1:].strip() for t in tokens if t.type == tokenize.COMMENT]


def test_the_source_notes_code_shows_its_korean_comments():
    """The cells that run the source note's network (chapter 1) show the note's own Korean comments
    (신경망 설계, 은닉층 1, 은닉층 2, 출력층, 모델 컴파일) in the Korean edition: each of their comments is
    in the catalogue, and each of the note's comments is in both cells."""
    comments = _korean_figures().load_comment_catalogue()
    note = {"신경망 설계", "은닉층 1", "은닉층 2", "출력층", "모델 컴파일"}  # the source's five comments
    cells = [
        "".join(c["source"])
        for c in _cells("01_design")
        if c["cell_type"] == "code" and "# hidden layer 1" in "".join(c["source"])
    ]
    assert len(cells) >= 2, "chapter 1 runs the source's network, as written and in idiomatic Keras 3"
    missing = [c for source in cells for c in _comments(source) if c not in comments]
    assert not missing, f"code_comments.po lacks these comments of the source's code: {missing}"
    for source in cells:
        shown = {comments[c] for c in _comments(source) if c in comments}
        assert note <= shown, f"the source's comments not shown in Korean: {note - shown}\n{source}"


def test_every_translated_comment_is_a_comment_of_the_book():
    """No stale entry: each message of code_comments.po is the comment of some code cell."""
    found = set()
    for notebook in (ROOT / "book").glob("*.ipynb"):
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "code":
                found |= set(_comments("".join(cell["source"])))
    stale = sorted(set(_korean_figures().load_comment_catalogue()) - found)
    assert not stale, f"locales/ko/LC_MESSAGES/code_comments.po translates comments no code cell has: {stale}"
