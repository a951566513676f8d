"""The public API in one place, and the rule that every public function validates its inputs.

A public callable declares the checks of its arguments beside its signature (``@checked`` from
dlnotes/_checks.py), and the bad-input cases are generated from those declarations. What a
declaration cannot say (arrays, how arguments fit together, messages whose wording is the lesson) is
in ``BAD_INPUTS`` of each ``tests/test_<module>.py``: a list of ``(callable, args, kwargs, expected
exception, regex its message must match)``. The tests below run every case, and the coverage test
proves every public function and method of dlnotes has at least one, so a new function without input
checks fails the suite.
"""

from __future__ import annotations

import importlib
import inspect
import re
import types
from pathlib import Path

import pytest

import dlnotes

# Every module dlnotes exports, from its own __all__: a new module cannot escape these tests.
MODULES = sorted(name for name in dlnotes.__all__ if isinstance(getattr(dlnotes, name), types.ModuleType))
# The test modules that hold a BAD_INPUTS table (the others, e.g. the Korean edition's, need the book's
# own environment to import, which the installed-wheel run under the oldest TensorFlow does not have).
TEST_MODULES = sorted(
    p.stem
    for p in Path(__file__).parent.glob("test_*.py")
    if p.stem != "test_api" and "\nBAD_INPUTS" in p.read_text(encoding="utf-8")
)

# Public callables that take no argument a user can get wrong.
# (Head is a NamedTuple: what it checks is Python's business, not ours.)
NOTHING_TO_VALIDATE = {
    "dlnotes.data.Split",
    "dlnotes.data.Split.sizes",
    "dlnotes.models.Head",
    # made by compare from runs it trained itself: a record, checked where its values were made
    "dlnotes.training._compare.Comparison",
    "dlnotes._processes.ProcessResult.json_lines",
    # the hooks of a Keras callback: Keras calls them, with its own arguments, inside model.fit
    "dlnotes.training._range_test.LearningRateRangeTest.on_train_begin",
    "dlnotes.training._range_test.LearningRateRangeTest.on_train_batch_begin",
    "dlnotes.training._range_test.LearningRateRangeTest.on_train_batch_end",
}


def _key(obj) -> str:
    target = getattr(obj, "__func__", obj)  # a bound method -> its function
    return f"{target.__module__}.{target.__qualname__}"


def public_callables() -> dict[str, object]:
    """Every function, class and public method named in ``__all__`` of dlnotes and its modules."""
    found = {_key(dlnotes.seed_everything): dlnotes.seed_everything}
    for name in MODULES:
        module = getattr(dlnotes, name)
        for attr in module.__all__:
            obj = getattr(module, attr)
            if inspect.isclass(obj):
                found[_key(obj)] = obj
                for meth_name, meth in vars(obj).items():
                    if meth_name.startswith("_"):
                        continue
                    if isinstance(meth, (classmethod, staticmethod)):
                        meth = meth.__func__
                    if inspect.isfunction(meth):
                        found[f"{obj.__module__}.{obj.__qualname__}.{meth_name}"] = meth
            elif callable(obj):
                found[_key(obj)] = obj
    return found


def all_bad_inputs() -> list[tuple]:
    cases = []
    for name in TEST_MODULES:
        module = importlib.import_module(name)
        for case in getattr(module, "BAD_INPUTS", []):
            cases.append(case)
    return cases


BAD = all_bad_inputs()


def _id(case) -> str:
    func, args, kwargs, error, match = case
    return f"{_key(func).removeprefix('dlnotes.')}-{error.__name__}-{match[:30]}"


@pytest.mark.parametrize("func, args, kwargs, error, match", BAD, ids=[_id(c) for c in BAD])
def test_bad_input_raises_a_clear_error(func, args, kwargs, error, match):
    with pytest.raises(error, match=match):
        func(*args, **kwargs)


def declared_bad_inputs() -> list[tuple]:
    """``(callable, argument, bad value, error)`` for every check declared with ``@checked`` beside a
    public callable's signature (dlnotes/_checks.py): the bad-input cases generated from declarations."""
    cases = []
    for _name, func in sorted(public_callables().items()):
        for name, check in getattr(func, "__checks__", {}).items():
            cases += [(func, name, value, error) for value, error in check.bad]
    return cases


DECLARED = declared_bad_inputs()


@pytest.mark.parametrize(
    "func, name, value, error",
    DECLARED,
    ids=[f"{_key(f).removeprefix('dlnotes.')}-{n}={v!r}" for f, n, v, _ in DECLARED],
)
def test_declared_checks_refuse_their_bad_values_naming_the_argument(func, name, value, error):
    """Each declared check refuses what it declares it refuses, before anything else runs (the other
    arguments, even the required data, are left out), with a message that names the argument."""
    with pytest.raises(error) as raised:
        func(**{name: value})
    assert re.search(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])", str(raised.value)), raised.value


def test_every_public_callable_has_bad_input_cases():
    covered = {_key(case[0]) for case in BAD} | {_key(case[0]) for case in DECLARED}
    missing = sorted(set(public_callables()) - covered - NOTHING_TO_VALIDATE)
    assert not missing, f"public callables without a BAD_INPUTS entry in tests/: {missing}"


def test_every_module_lists_its_public_api():
    for name in MODULES:
        module = getattr(dlnotes, name)
        assert isinstance(module.__all__, list), name
        for attr in module.__all__:
            assert hasattr(module, attr), f"dlnotes.{name}.__all__ names {attr!r}, which does not exist"
            assert getattr(module, attr).__doc__, f"dlnotes.{name}.{attr} has no docstring"


def _parameters(func) -> set[str]:
    """The names a caller can pass to ``func`` (a class: its constructor's)."""
    target = func.__init__ if inspect.isclass(func) else func
    return {name for name in inspect.signature(target).parameters if name not in ("self", "cls")}


@pytest.mark.parametrize("func, args, kwargs, error, match", BAD, ids=[_id(c) for c in BAD])
def test_messages_name_one_of_the_parameters(func, args, kwargs, error, match):
    """The message names a real parameter of the callable (as a word: ``X_val``, ``histories['a']``)."""
    assert error in (ValueError, TypeError), f"{_key(func)}: raise ValueError or TypeError, not {error}"
    with pytest.raises(error) as raised:
        func(*args, **kwargs)
    message = str(raised.value)
    names = _parameters(func)
    target = func.__init__ if inspect.isclass(func) else func
    if any(p.kind is p.VAR_KEYWORD for p in inspect.signature(target).parameters.values()):
        names |= set(kwargs)  # a **keywords function: the keyword the caller gave is the argument
    named = [n for n in names if re.search(rf"(?<![A-Za-z0-9_]){re.escape(n)}(?![A-Za-z0-9_])", message)]
    assert named, f"{_key(func)}: message {message!r} names none of the parameters {sorted(names)}"


def test_modules_come_from_the_package_all():
    assert {"data", "models", "scratch", "metrics", "training", "search", "distributed", "plots"} == set(
        MODULES
    )
