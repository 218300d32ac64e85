"""Argument checks shared by every problem family.

Every check returns the cleaned value or raises a ``ValueError`` that names the argument,
the value received and the fix (the requirement it failed, plus ``fix`` when given).
"""
from __future__ import annotations

import numbers
from typing import Sequence

import numpy as np


def real(name: str, value, *, low=-np.inf, high=np.inf, low_open=False, high_open=False,
         fix: str = "") -> float:
    """A finite real in the interval given by ``low``/``high`` (closed unless ``*_open``)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value):
        raise ValueError(f"{name} must be a finite real number, got {value!r}{_hint(fix)}")
    value = float(value)
    too_low = value <= low if low_open else value < low
    too_high = value >= high if high_open else value > high
    if too_low or too_high:
        lo, hi = ("(" if low_open else "["), (")" if high_open else "]")
        raise ValueError(f"{name} must lie in {lo}{low}, {high}{hi}, got {value!r}{_hint(fix)}")
    return value


def positive(name: str, value, fix: str = "") -> float:
    """A finite real ``> 0``."""
    value = real(name, value, fix=fix)
    if value <= 0:
        raise ValueError(f"{name} must be positive, got {value!r}{_hint(fix)}")
    return value


def nonnegative(name: str, value, *, strict: bool = False, fix: str = "") -> float:
    """A finite real ``>= 0`` (``> 0`` when ``strict``)."""
    if strict:
        return positive(name, value, fix=fix)
    value = real(name, value, fix=fix)
    if value < 0:
        raise ValueError(f"{name} must be >= 0, got {value!r}{_hint(fix)}")
    return value


def integer(name: str, value, *, low: int = 1, high: int | None = None, fix: str = "") -> int:
    """An integer (or an integral float such as ``1e5``) in ``[low, high]``."""
    ok = isinstance(value, numbers.Integral) or (
        isinstance(value, float) and np.isfinite(value) and value.is_integer())
    if isinstance(value, bool) or not ok:
        raise ValueError(f"{name} must be an integer, got {value!r}{_hint(fix)}")
    value = int(value)
    if value < low:
        raise ValueError(f"{name} must be at least {low}, got {value}{_hint(fix)}")
    if high is not None and value > high:
        raise ValueError(f"{name} must be at most {high}, got {value}{_hint(fix)}")
    return value


def choice(name: str, value, choices: Sequence[str]) -> int:
    """The position of ``value`` in ``choices`` (the integer code the kernels use)."""
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}, got {value!r}")
    return list(choices).index(value)


def one_of(name: str, value, choices: Sequence[str]) -> str:
    """``value`` itself, once :func:`choice` has found it among ``choices`` (or a dict's keys)."""
    choice(name, value, choices)
    return value


def generator(rng) -> np.random.Generator:
    if not isinstance(rng, np.random.Generator):
        raise ValueError(
            f"rng must be a numpy.random.Generator, got {type(rng).__name__}; "
            "pass np.random.default_rng(seed)")
    return rng


def _hint(fix: str) -> str:
    return f"; {fix}" if fix else ""
