r"""Claimed expressions: substitution of instance constants and the form of a decay.

A claimed rate :math:`g(t)` is split as :math:`g(t) = \text{prefactor}(t)\,\rho^t` (a
linear rate, :math:`\log\rho = \lim_t \log g(t)/t \ne 0`) or as
:math:`g(t) = \text{prefactor}(t)\,t^p` (a power law,
:math:`p = \lim_t \log g(t)/\log t`). The prefactor (a constant, :math:`\log t`,
a polynomial in front of :math:`\rho^t`) is divided out of the measurement before the
fit, so a log factor is modelled, never absorbed by the tolerance.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Mapping

import numpy as np
import sympy

from theory.claim import ClaimSpecError, parse_expression


class ExpressionError(ClaimSpecError):
    """An expression names a symbol the instance does not provide, or cannot be evaluated."""


def substitute(expr: sympy.Expr, constants: Mapping[str, float], *, free: tuple[str, ...] = (),
               claim_id: str = "?", field_name: str = "claimed") -> sympy.Expr:
    """Replace every symbol but those in ``free`` by the instance's constant of that name."""
    missing = sorted(s.name for s in expr.free_symbols if s.name not in constants and s.name not in free)
    if missing:
        raise ExpressionError(
            f"claim {claim_id!r}: field {field_name!r} = {str(expr)!r} uses {', '.join(missing)}, "
            f"which the instance does not provide (its constants: {', '.join(sorted(constants))})"
        )
    values = {s: sympy.Float(constants[s.name]) for s in expr.free_symbols if s.name not in free}
    return expr.xreplace(values)


def value(expr_like: Any, constants: Mapping[str, float], *, claim_id: str = "?", field_name: str = "?") -> float:
    """A scalar expression (``1/L``) evaluated on an instance's constants."""
    if isinstance(expr_like, (int, float, np.floating, np.integer)):
        return float(expr_like)
    expr = parse_expression(claim_id, field_name, expr_like)
    number = substitute(expr, constants, claim_id=claim_id, field_name=field_name)
    try:
        result = float(number)
    except TypeError:
        raise ExpressionError(f"claim {claim_id!r}: field {field_name!r} = {str(expr)!r} is not a number") from None
    return result


def resolve_params(params: Mapping[str, Any], constants: Mapping[str, float], claim_id: str,
                   field_name: str = "method_params") -> dict[str, Any]:
    """Method parameters with every sympy expression evaluated on the instance's constants."""
    return {
        key: value(v, constants, claim_id=claim_id, field_name=f"{field_name}[{key!r}]")
        if isinstance(v, sympy.Basic) else v
        for key, v in params.items()
    }


def curve(expr: sympy.Expr, variable: str, constants: Mapping[str, float], points: np.ndarray, *,
          claim_id: str = "?", field_name: str = "claimed") -> np.ndarray:
    """The claimed expression evaluated along ``points`` of its variable, in float64."""
    numeric = substitute(expr, constants, free=(variable,), claim_id=claim_id, field_name=field_name)
    symbol = sympy.Symbol(variable, positive=True)
    function = sympy.lambdify(symbol, numeric, modules="numpy")
    with np.errstate(all="ignore"):
        out = np.asarray(function(np.asarray(points, dtype=np.float64)), dtype=np.float64)
    return np.broadcast_to(out, np.shape(points)).astype(np.float64)


@dataclass(frozen=True)
class DecayForm:
    r"""``form`` is "linear" (``slope`` = :math:`\log\rho`) or "power" (``slope`` = :math:`p`)."""

    form: str
    slope: float
    prefactor: sympy.Expr  # g / rho^t or g / t^p, in the variable only


def _prefactor(log_g: sympy.Expr, t: sympy.Symbol, linear: sympy.Expr) -> sympy.Expr:
    """exp(log g - linear) keeping only what depends on t; a leftover multiple of t below
    1e-9 of the rate is round-off of the limit and dropped."""
    rest = sympy.expand(log_g - linear)
    coefficient = rest.coeff(t, 1)
    if coefficient.is_number and linear != 0 and abs(float(coefficient)) < 1e-9 * abs(float(linear.coeff(t, 1))):
        rest = sympy.expand(rest - coefficient * t)
    terms = sympy.Add.make_args(rest)
    varying = sympy.Add(*[term for term in terms if term.has(t)])
    return sympy.simplify(sympy.exp(varying))


@lru_cache(maxsize=256)
def _decay_form(numeric: sympy.Expr, variable: str) -> DecayForm:
    t = sympy.Symbol(variable, positive=True)
    log_g = sympy.expand_log(sympy.log(numeric), force=True)
    log_rho = sympy.limit(log_g / t, t, sympy.oo)
    if log_rho.is_finite and log_rho != 0:
        return DecayForm("linear", float(log_rho), _prefactor(log_g, t, log_rho * t))
    exponent = sympy.limit(log_g / sympy.log(t), t, sympy.oo)
    if not exponent.is_finite:
        raise ValueError(f"{numeric} is neither a linear rate nor a power law in {variable}")
    return DecayForm("power", float(exponent), _prefactor(log_g, t, exponent * sympy.log(t)))


def decay_form(expr: sympy.Expr, variable: str, constants: Mapping[str, float], *, claim_id: str = "?",
               field_name: str = "claimed") -> DecayForm:
    """Split a claimed rate into its asymptotic slope and the prefactor to divide out."""
    numeric = substitute(expr, constants, free=(variable,), claim_id=claim_id, field_name=field_name)
    try:
        return _decay_form(numeric, variable)
    except (ValueError, NotImplementedError, TypeError) as exc:
        raise ExpressionError(
            f"claim {claim_id!r}: field {field_name!r} = {str(expr)!r}: cannot read a rate in {variable!r} ({exc})"
        ) from None
