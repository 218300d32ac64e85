"""Claimed expressions: the form of a decay, substitution and parsing errors."""
import numpy as np
import pytest
import sympy

from theory.claim import ClaimSpecError, parse_expression
from verifiers.expressions import ExpressionError, curve, decay_form, resolve_params, substitute, value


def _form(text, constants=None, variable="t"):
    return decay_form(parse_expression("test/claim", "claimed", text), variable, constants or {})


def _prefactor_values(form, points):
    return curve(form.prefactor, "t", {}, np.asarray(points, dtype=np.float64))


def test_decay_form_linear_rate_with_constants():
    form = _form("(1 - mu/L)**(2*t)", {"mu": 1.0, "L": 10.0})
    assert form.form == "linear"
    assert form.slope == pytest.approx(2 * np.log(1 - 0.1), rel=1e-12)
    np.testing.assert_allclose(_prefactor_values(form, [0, 1, 10, 100, 1000]), 1.0, rtol=1e-9)


def test_decay_form_linear_rate_keeps_polynomial_prefactor():
    form = _form("t * rho**t", {"rho": 0.9})
    assert form.form == "linear" and form.slope == pytest.approx(np.log(0.9), rel=1e-12)
    points = np.array([1.0, 10.0, 100.0, 1000.0])
    np.testing.assert_allclose(_prefactor_values(form, points), points, rtol=1e-9)


def test_decay_form_power_law():
    form = _form("C / t**2", {"C": 5.0})
    assert form.form == "power" and form.slope == pytest.approx(-2.0)
    values = _prefactor_values(form, [1.0, 10.0, 1e4])
    np.testing.assert_allclose(values / values[0], 1.0, rtol=1e-12)  # a constant does not bend the fit


def test_decay_form_power_law_with_log_factor():
    form = _form("log(t)/sqrt(t)")
    assert form.form == "power" and form.slope == pytest.approx(-0.5)
    points = np.array([2.0, 10.0, 1e6])
    np.testing.assert_allclose(_prefactor_values(form, points), np.log(points), rtol=1e-12)


def test_decay_form_of_scaling_in_another_variable():
    form = _form("kappa * log(kappa)", variable="kappa")
    assert form.form == "power" and form.slope == pytest.approx(1.0)


def test_decay_form_rejects_what_is_neither_rate():
    with pytest.raises(ExpressionError, match="cannot read a rate"):
        _form("exp(-t**2)")


def test_substitute_missing_symbol_names_claim_field_and_symbol():
    expr = parse_expression("ls/gd-rate", "claimed", "(1 - mu/L)**t")
    with pytest.raises(ExpressionError) as caught:
        substitute(expr, {"L": 2.0}, free=("t",), claim_id="ls/gd-rate", field_name="claimed")
    message = str(caught.value)
    assert "ls/gd-rate" in message and "'claimed'" in message and "mu" in message
    assert isinstance(caught.value, ClaimSpecError)


def test_substitute_replaces_constants_and_keeps_free_variable():
    expr = parse_expression("c", "claimed", "L/t")
    out = substitute(expr, {"L": 4.0}, free=("t",))
    assert {s.name for s in out.free_symbols} == {"t"}
    assert float(out.subs(sympy.Symbol("t", positive=True), 2)) == pytest.approx(2.0)


def test_parse_expression_malformed_text_names_the_field():
    with pytest.raises(ClaimSpecError) as caught:
        parse_expression("ls/gd-rate", "test.burn_in", "1/(t")
    message = str(caught.value)
    assert "ls/gd-rate" in message and "test.burn_in" in message and "1/(t" in message


def test_parse_expression_makes_symbols_positive():
    expr = parse_expression("c", "claimed", "sqrt(L**2)")
    assert expr == sympy.Symbol("L", positive=True)


def test_resolve_params_evaluates_sympy_and_leaves_the_rest():
    L = sympy.Symbol("L", positive=True)
    params = {"step_size": 1 / L, "n_iter": 500, "solver": "CLARABEL", "text": "1/L", "scale": 0.5}
    out = resolve_params(params, {"L": 4.0}, "c")
    assert out["step_size"] == pytest.approx(0.25) and isinstance(out["step_size"], float)
    assert out["n_iter"] == 500 and isinstance(out["n_iter"], int)
    assert out["solver"] == "CLARABEL" and out["text"] == "1/L" and out["scale"] == 0.5


def test_resolve_params_missing_constant_names_the_parameter():
    L = sympy.Symbol("L", positive=True)
    with pytest.raises(ExpressionError, match=r"method_params\['step_size'\].*L"):
        resolve_params({"step_size": 1 / L}, {"mu": 1.0}, "c")


def test_value_of_numbers_and_expressions():
    assert value(3, {}) == 3.0
    assert value("2/L", {"L": 8.0}) == pytest.approx(0.25)
