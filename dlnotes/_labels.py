"""The words inside the figures, in the book's two languages: English (the default) and Korean.

Every text a plotter of :mod:`dlnotes.plots` writes by itself (axis labels, default titles, legend
entries, annotations) goes through :func:`tr`, which returns it unchanged in English and looks it up in
:data:`KO` in Korean. A template with ``{fields}`` is translated first and filled in afterwards, so the
numbers are the same bits in both languages. The Korean words are the glossary's (``book/glossary.md``,
TRANSLATING.md); code identifiers (``val_loss``, ``model.fit``) and names (ReLU, Adam, ROC, AUC) stay as
they are. :func:`use_language` switches; ``tests/test_korean_figures.py`` draws every plotter in Korean
and fails on an English word left in a figure.

Nothing here imports Matplotlib until Korean is switched on (the Korean font is registered then).
"""

from __future__ import annotations

import warnings
from pathlib import Path
from types import TracebackType
from typing import Any

from ._checks import Check, checked

__all__ = ["LANGUAGES", "KO", "KOREAN_FONT", "language", "use_language", "tr", "metric_label"]

LANGUAGES = ("en", "ko")

#: The font the Korean figures are drawn with (Debian/Ubuntu: ``apt-get install fonts-nanum``;
#: ``scripts/system_packages.sh`` installs it for ``make test`` and ``make book``).
KOREAN_FONT = "NanumGothic"

#: English text (or template) -> Korean, for every text the plotters write by themselves.
KO: dict[str, str] = {
    # training curves
    "epoch": "에포크",
    "loss": "손실",
    "step": "스텝",
    "{metrics} per epoch": "에포크별 {metrics}",
    "training {metric}": "훈련 {metric}",
    "validation {metric}": "검증 {metric}",
    "best validation epoch": "검증 점수가 가장 좋은 에포크",
    "diverged (NaN or inf after)": "발산 (이후 NaN 또는 inf)",
    " diverged": " 발산",
    "{name} (best epoch {epoch})": "{name} (가장 좋은 에포크 {epoch})",
    "best epoch: {epoch}": "가장 좋은 에포크: {epoch}",
    ", diverged": ", 발산",
    " (log scale)": " (로그 스케일)",
    "configuration": "구성",
    "Search results: {n} configurations, best in green": "탐색 결과: 구성 {n}개, 가장 좋은 구성은 초록색",
    # evaluation
    "Confusion matrix": "혼동 행렬",
    "predicted label": "예측 레이블",
    "true label": "실제 레이블",
    "share of the true class": "실제 클래스에서 차지하는 비율",
    "precision": "정밀도",
    "recall": "재현율",
    "accuracy": "정확도",
    "Precision, recall and F1 against the threshold": "임계값에 따른 정밀도, 재현율, F1",
    "threshold (predict 1 where probability > threshold)": "임계값 (확률 > 임계값이면 1로 예측)",
    "metric value": "지표 값",
    "ROC curve": "ROC 곡선",
    "random ranking": "무작위 순위",
    "false-positive rate (false alarms / negatives)": "거짓 양성 비율 (잘못된 경보 / 음성)",
    "true-positive rate (recall)": "참 양성 비율 (재현율)",
    "Precision-recall curve": "정밀도–재현율 곡선",
    "precision-recall": "정밀도–재현율",
    "share of positives (flag everyone)": "양성의 비율 (모두 양성으로 표시)",
    "Reliability diagram": "신뢰도 다이어그램",
    "calibrated": "보정됨",
    "model": "모델",
    "mean predicted probability in the bin": "구간의 평균 예측 확률",
    "share of positives in the bin": "구간에서 양성의 비율",
    # repeated runs (and the metric names of chapter 3's procedures)
    "score": "점수",
    "recall at 0.5": "임계값 0.5의 재현율",
    "Brier score": "Brier 점수",
    "average precision": "평균 정밀도",
    "one run": "실행 하나",
    "mean ± standard error": "평균 ± 표준 오차",
    # comparisons of one option (plot_comparison, plot_learning_rate_sweep)
    "epoch (0 = the shared initial weights)": "에포크 (0 = 공유한 초기 가중치)",
    "loss (binary cross-entropy): training solid, validation dashed": (
        "손실 (이진 교차 엔트로피): 훈련은 실선, 검증은 점선"
    ),
    "training loss (binary cross-entropy)": "훈련 손실 (이진 교차 엔트로피)",
    "Same network, same start, different {option}": "같은 네트워크, 같은 시작점, 다른 {option}",
    "optimizer": "옵티마이저",
    "learning rate": "학습률",
    "learning_rate": "학습률",
    "batch size": "배치 크기",
    "batch_size": "배치 크기",
    "validation loss": "검증 손실",
    "diverged": "발산",
    "best by {chosen_by}: {best}": "{chosen_by} 기준 가장 좋은 값: {best}",
    "loss after the last epoch": "마지막 에포크 뒤의 손실",
    "Final loss vs learning rate": "학습률에 따른 최종 손실",
    "Training loss per epoch (x: off the scale)": "에포크별 훈련 손실 (x: 눈금 밖)",
    # learning-rate range test
    "loss of each batch": "배치마다의 손실",
    "moving average": "이동 평균",
    "lowest": "가장 낮은 곳",
    "suggestion": "제안",
    "learning rate (log scale)": "학습률 (로그 스케일)",
    "training loss": "훈련 손실",
    # chapter 1's pictures
    "layers, from input to output": "층, 입력에서 출력까지",
    "units": "유닛",
    "A {sizes} network: {count} parameters": "{sizes} 네트워크: 파라미터 {count}개",
    "input": "입력",
    "output": "출력",
    "hidden {i}": "은닉 {i}",
    "{n} unit": "유닛 {n}개",
    "{n} units": "유닛 {n}개",
    "z, the unit's weighted input (x·w + b)": "z, 유닛의 가중 입력 (x·w + b)",
    "derivative d activation / dz": "도함수 d 활성화 / dz",
    "activation(z)": "활성화(z)",
    "Derivatives of activation functions": "활성화 함수의 도함수",
    "Activation functions": "활성화 함수",
    "class {i}\nz = {z}": "클래스 {i}\nz = {z}",
    "class and its logit z": "클래스와 그 로짓 z",
    "softmax probability": "소프트맥스 확률",
    "Softmax: logits to probabilities that sum to 1": "소프트맥스: 로짓을 합이 1인 확률로",
    "cross-entropy": "교차 엔트로피",
    "squared error": "제곱 오차",
    "predicted probability p of class 1 (the true label is {y})": "클래스 1의 예측 확률 p (실제 레이블은 {y})",
    "d loss / d z (z = the output's logit)": "d 손실 / d z (z = 출력의 로짓)",
    "Gradient at the logit, one sample with true label {y}": "로짓에서의 기울기, 실제 레이블이 {y}인 샘플 하나",
    "Loss, one sample with true label {y}": "손실, 실제 레이블이 {y}인 샘플 하나",
    "class {label}": "클래스 {label}",
    "feature 1": "특성 1",
    "feature 2": "특성 2",
    "Decision boundary (p = 0.5)": "결정 경계 (p = 0.5)",
}

#: Keras's metric names (the keys of ``History.history``) -> Korean, for legends and axis labels.
KO_METRICS: dict[str, str] = {
    "loss": "손실",
    "accuracy": "정확도",
    "binary_accuracy": "정확도",
    "sparse_categorical_accuracy": "정확도",
    "precision": "정밀도",
    "recall": "재현율",
    "auc": "AUC",
    "mae": "평균 절대 오차",
    "mse": "평균 제곱 오차",
    "fresh_accuracy": "새 샘플의 정확도",
}

_state = {"language": "en"}


def language() -> str:
    """The language the plotters write in now: ``"en"`` (the default) or ``"ko"``."""
    return _state["language"]


def _check_language(language: Any, name: str) -> str:
    if not isinstance(language, str):
        raise TypeError(
            f"{name} must be a language code, 'en' or 'ko', got {type(language).__name__} {language!r}"
        )
    if language not in LANGUAGES:
        raise ValueError(
            f"{name} must be one of {LANGUAGES} ('en' English, 'ko' Korean), got {language!r}; "
            "Korean is 'ko' (ISO 639-1), not 'kr' or 'kor'"
        )
    return language


#: One of :data:`LANGUAGES`; the message says that Korean is 'ko', the usual slip.
LANGUAGE = Check(_check_language, (("kr", ValueError), ("", ValueError), (None, TypeError), (1, TypeError)))


class use_language:  # noqa: N801 - used like a function (and as a context manager)
    """Switch the plotters' language: ``use_language("ko")``, or ``with use_language("ko"): ...``.

    Called alone it switches until the next call; in a ``with`` block it switches back at the end.
    Korean needs the NanumGothic font (``fonts-nanum``), which is then added to Matplotlib as a
    fallback font: Latin text is still drawn in the default font, so English figures do not change.
    Without the font a ``UserWarning`` says how to install it (the Korean letters would be boxes).

    Examples
    --------
    >>> with use_language("ko"):
    ...     tr("epoch")
    '에포크'
    >>> tr("epoch")
    'epoch'
    """

    @checked(language=LANGUAGE)
    def __init__(self, language: str) -> None:
        self.previous = _state["language"]
        if language == "ko":
            _register_korean_font()
        _state["language"] = language

    def __enter__(self) -> use_language:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        _state["language"] = self.previous


def tr(text: str, **fields: Any) -> str:
    """``text`` in the current language, its ``{fields}`` filled in (text not in the catalogue: as it is).

    >>> tr("{name} (best epoch {epoch})", name="run", epoch=3)
    'run (best epoch 3)'
    """
    if _state["language"] == "ko":
        text = KO.get(text, text)
    return text.format(**fields) if fields else text


def metric_label(name: str) -> str:
    """A Keras metric name for a legend or an axis: itself in English, ``val_loss`` -> 검증 손실 in Korean.

    A name the catalogue does not know stays as it is (it is a code identifier).
    """
    if _state["language"] != "ko":
        return name
    if name.startswith("val_") and name[4:] in KO_METRICS:
        return "검증 " + KO_METRICS[name[4:]]
    return KO_METRICS.get(name, name)


def _register_korean_font() -> None:
    """Make Matplotlib draw Hangul with NanumGothic, as a fallback after the default font."""
    from matplotlib import font_manager, rcParams

    manager = font_manager.fontManager
    if not any(f.name == KOREAN_FONT for f in manager.ttflist):
        # Matplotlib's font cache predates a font installed later: add the file itself.
        for path in font_manager.findSystemFonts():
            if Path(path).name == f"{KOREAN_FONT}.ttf":
                manager.addfont(path)
    if not any(f.name == KOREAN_FONT for f in manager.ttflist):
        warnings.warn(
            f"Korean labels need the {KOREAN_FONT} font, which Matplotlib cannot find: the Korean letters "
            "will be drawn as boxes. Install it (Debian/Ubuntu: sudo apt-get install fonts-nanum; "
            "elsewhere: the NanumGothic.ttf of Naver's Nanum fonts) and restart Python.",
            UserWarning,
            stacklevel=3,
        )
        return
    family = list(rcParams["font.family"])
    if KOREAN_FONT not in family:
        rcParams["font.family"] = [*family, KOREAN_FONT]
