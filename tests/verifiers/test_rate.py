"""Rate verifier: fitted exponents and linear rates on synthetic curves with a known slope."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from problems.types import checkpoints
from theory.claim import Rate
from verifiers import rate

FAST = settings(derandomize=True, database=None, deadline=None, max_examples=20)
SEEDS = 8


def _grid(n):
    return checkpoints(int(n), 60).astype(np.float64)


def _power(t, C, p):
    """C t^-p, with the t = 0 value set to the t = 1 value (an initial point)."""
    return C * np.maximum(t, 1.0) ** (-p)


def _runs(curve, claimed_slope, *, rng, sigma=0.02, prefactor=None, seeds=SEEDS, replicas=1):
    """Per seed: ``replicas`` noisy copies of ``curve`` (multiplicative log-normal noise)."""
    prefactor = np.ones_like(curve) if prefactor is None else prefactor
    return [(curve * np.exp(sigma * rng.standard_normal((replicas, curve.size))), prefactor, claimed_slope)
            for _ in range(seeds)]


def _decide(t, runs, test=Rate(), *, form="power", burn_in=0.0):
    return rate.decide(t, runs, test, form=form, burn_in=burn_in)


@FAST
@given(p=st.floats(0.5, 3.0), log10_C=st.floats(-3.0, 3.0), noise_seed=st.integers(0, 2**32 - 1))
def test_rate_fits_power_law_exponent_within_tolerance(p, log10_C, noise_seed):
    t = _grid(1e4)
    curve = _power(t, 10.0 ** log10_C, p)
    runs = _runs(curve, -p, rng=np.random.default_rng(noise_seed))
    verdict = _decide(t, runs)
    assert verdict.status == "consistent", verdict.reason
    assert verdict.estimate == pytest.approx(-p, abs=0.02)
    assert verdict.ci[0] <= verdict.estimate <= verdict.ci[1]


@FAST
@given(p=st.floats(0.5, 3.0), log10_C=st.floats(-3.0, 3.0), noise_seed=st.integers(0, 2**32 - 1))
def test_rate_refutes_wrong_exponent(p, log10_C, noise_seed):
    t = _grid(1e4)
    curve = _power(t, 10.0 ** log10_C, p)
    for wrong in (-p - 0.5, -p + 0.5):
        runs = _runs(curve, wrong, rng=np.random.default_rng(noise_seed))
        verdict = _decide(t, runs)
        assert verdict.status == "violated", verdict.reason
        assert verdict.claimed_value == pytest.approx(wrong)


def _linear_grid(rho):
    """A horizon where rho^t falls by e^25: well above the 1e3*eps floor, many e-foldings."""
    return _grid(np.ceil(25.0 / -np.log(rho)))


@FAST
@given(rho=st.floats(0.5, 0.99), noise_seed=st.integers(0, 2**32 - 1))
def test_rate_fits_linear_rate_and_refutes_doubled_log_rho(rho, noise_seed):
    t = _linear_grid(rho)
    curve = 3.0 * rho ** t
    rng = np.random.default_rng(noise_seed)
    verdict = _decide(t, _runs(curve, np.log(rho), rng=rng), form="linear")
    assert verdict.status == "consistent", verdict.reason
    assert verdict.estimate == pytest.approx(rho, rel=1e-2)
    assert verdict.claimed_value == pytest.approx(rho)
    control = _decide(t, _runs(curve, 2 * np.log(rho), rng=rng), form="linear")
    assert control.status == "violated", control.reason


def test_rate_linear_interval_is_ordered_and_contains_estimate():
    t = _linear_grid(0.9)
    verdict = _decide(t, _runs(0.9 ** t, np.log(0.9), rng=np.random.default_rng(0)), form="linear")
    low, high = verdict.ci
    assert low <= verdict.estimate <= high


def test_rate_linear_with_polynomial_prefactor_divided_out():
    rho = 0.9
    t = _linear_grid(rho)
    curve = np.maximum(t, 1.0) * rho ** t  # double eigenvalue: t rho^t
    rng = np.random.default_rng(3)
    assert _decide(t, _runs(curve, np.log(rho), rng=rng, prefactor=np.maximum(t, 1.0)),
                   form="linear").status == "consistent"
    raw = _decide(t, _runs(curve, np.log(rho), rng=rng), form="linear")
    assert raw.status != "consistent"


def _log_factor_curve(t):
    """log(t)/sqrt(t) from t = 2 on (the first points are an initial value, before the burn-in)."""
    y = np.ones_like(t)
    y[t >= 2] = np.log(t[t >= 2]) / np.sqrt(t[t >= 2])
    return y


def test_rate_log_factor_divided_out_gives_claimed_exponent():
    t = _grid(1e6)
    with np.errstate(divide="ignore"):
        prefactor = np.log(t)  # what verifiers.run evaluates: -inf at 0, 0 at 1, both before the burn-in
    runs = _runs(_log_factor_curve(t), -0.5, rng=np.random.default_rng(0), prefactor=prefactor)
    verdict = _decide(t, runs, burn_in=100.0)
    assert verdict.status == "consistent", verdict.reason
    assert verdict.estimate == pytest.approx(-0.5, abs=0.01)


def test_rate_log_factor_left_in_reads_off_and_refutes_a_true_claim():
    # Why the prefactor is divided out: log(t) adds 1/log(t) to the local slope, about +0.1
    # over t in [1e2, 1e6]; the fit reads about -0.39 and a true O~(t^-1/2) claim comes out violated.
    t = _grid(1e6)
    runs = _runs(_log_factor_curve(t), -0.5, rng=np.random.default_rng(0))
    verdict = _decide(t, runs, burn_in=100.0)
    assert abs(verdict.estimate + 0.5) > 0.1
    assert verdict.status == "violated"


def test_rate_window_ends_before_the_floor():
    t = _grid(1e8)
    curve = np.maximum(_power(t, 1.0, 2.0), 1e-14)  # floor reached at t = 1e7
    runs = _runs(curve, -2.0, rng=np.random.default_rng(0), sigma=0.01)
    verdict = _decide(t, runs)
    assert verdict.status == "consistent", verdict.reason
    start, end = verdict.evidence["window"]
    assert 1e6 <= end < 1e7 and start == 1.0
    # without the floor cut the plateau bends the fit: not consistent
    assert _decide(t, runs, Rate(floor=0.0)).status != "consistent"


def test_rate_window_too_short_is_inconclusive():
    t = _grid(1e4)
    runs = _runs(_power(t, 1.0, 1.0), -1.0, rng=np.random.default_rng(0))
    verdict = _decide(t, runs, burn_in=6e3)
    assert verdict.status == "inconclusive"
    assert "decades" in verdict.reason or "too short" in verdict.reason
    assert verdict.evidence["window_points"] < 10


def test_rate_window_of_few_points_is_inconclusive_whatever_the_span_asked():
    t = _grid(1e4)
    runs = _runs(_power(t, 1.0, 1.0), -1.0, rng=np.random.default_rng(0))
    for burn_in in (t[-3], 2e4):  # three points left, then none
        verdict = _decide(t, runs, Rate(min_decades=0.0), burn_in=burn_in)
        assert verdict.status == "inconclusive" and "too short" in verdict.reason
        assert verdict.evidence["window_points"] < 4


def test_rate_drifting_local_slopes_are_inconclusive():
    t = _grid(1e4)
    tt = np.maximum(t, 1.0)
    curve = np.where(tt < 100, 1 / tt, 1e4 * tt ** -3.0)  # t^-1, then t^-3: no single exponent
    for claimed in (-1.0, -2.0, -3.0):
        verdict = _decide(t, _runs(curve, claimed, rng=np.random.default_rng(0)))
        assert verdict.status == "inconclusive"
        assert "drift" in verdict.reason and verdict.evidence["slope_drift"] > 1


def test_rate_drifting_but_refuted_on_both_halves_is_violated():
    """No single exponent fits t^-1-then-t^-3, but every part of it decays faster than t^0
    and slower than t^-5: those claims are refuted on both halves of the window."""
    t = _grid(1e4)
    tt = np.maximum(t, 1.0)
    curve = np.where(tt < 100, 1 / tt, 1e4 * tt ** -3.0)
    for claimed in (0.0, -5.0):
        verdict = _decide(t, _runs(curve, claimed, rng=np.random.default_rng(0)))
        assert verdict.status == "violated", verdict.reason
        assert "both halves" in verdict.reason


def test_rate_wide_interval_over_seeds_is_inconclusive():
    t = _grid(1e4)
    rng = np.random.default_rng(0)
    runs = [(_power(t, 1.0, 1.0 + 0.3 * rng.standard_normal())[None, :], np.ones_like(t), -1.0)
            for _ in range(SEEDS)]  # each seed its own exponent: mean 1, spread 0.3
    verdict = _decide(t, runs)
    assert verdict.status == "inconclusive", verdict.reason
    assert "straddles" in verdict.reason
    assert verdict.ci[1] - verdict.ci[0] > 2 * 0.1


def test_rate_huge_pointwise_noise_is_inconclusive():
    t = _grid(1e4)
    runs = _runs(_power(t, 1.0, 1.0), -1.0, rng=np.random.default_rng(0), sigma=3.0)
    assert _decide(t, runs).status == "inconclusive"


@pytest.mark.parametrize("side, true_p, status", [
    ("upper", 2.0, "consistent"),   # O(t^-1): a faster true decay does not refute
    ("upper", 0.5, "violated"),     # ... a slower one does
    ("two-sided", 2.0, "violated"),  # Theta(t^-1) is refuted by t^-2
    ("lower", 2.0, "violated"),     # Omega(t^-1): a faster decay refutes
    ("lower", 0.5, "consistent"),
])
def test_rate_side_decides_which_direction_refutes_power(side, true_p, status):
    t = _grid(1e4)
    runs = _runs(_power(t, 1.0, true_p), -1.0, rng=np.random.default_rng(0))
    assert _decide(t, runs, Rate(side=side)).status == status


@pytest.mark.parametrize("side, true_rho, status", [
    ("upper", 0.8, "consistent"), ("upper", 0.95, "violated"),
    ("two-sided", 0.8, "violated"), ("two-sided", 0.95, "violated"),
    ("lower", 0.8, "violated"), ("lower", 0.95, "consistent"),
])
def test_rate_side_decides_which_direction_refutes_linear(side, true_rho, status):
    t = _grid(300)
    runs = _runs(true_rho ** t, np.log(0.9), rng=np.random.default_rng(0))
    assert _decide(t, runs, Rate(side=side), form="linear").status == status


@pytest.mark.parametrize("seeds", [1, 7])
def test_rate_fewer_than_8_seeds_is_inconclusive(seeds):
    t = _grid(1e4)
    runs = _runs(_power(t, 1.0, 1.0), -1.0, rng=np.random.default_rng(0), seeds=seeds)
    verdict = _decide(t, runs)
    assert verdict.status == "inconclusive" and "at least 8" in verdict.reason


def test_rate_nonfinite_measurement_is_an_error():
    t = _grid(1e4)
    runs = _runs(_power(t, 1.0, 1.0), -1.0, rng=np.random.default_rng(0))
    runs[3][0][0, 40:] = np.inf
    verdict = _decide(t, runs)
    assert verdict.status == "error" and verdict.evidence["first_nonfinite_t"] == t[40]


@pytest.mark.parametrize("side, status", [("two-sided", "violated"), ("upper", "violated"), ("lower", "consistent")])
def test_rate_power_law_decay_against_a_claimed_linear_rate(side, status):
    """A 1/t^2 decay is slower than every linear rate: the linear fit drifts, the power fit
    does not, so O(rho^t) and Theta(rho^t) are refuted and Omega(rho^t) holds."""
    t = _grid(1e5)
    runs = _runs(_power(t, 1.0, 2.0), np.log(0.999), rng=np.random.default_rng(3))
    verdict = _decide(t, runs, Rate(side=side), form="linear", burn_in=100.0)
    assert verdict.status == status, verdict.reason
    assert verdict.evidence["other_form"] == "power"
    assert verdict.evidence["other_form_slope"] == pytest.approx(-2.0, abs=0.02)


@pytest.mark.parametrize("side, status", [("two-sided", "violated"), ("lower", "violated"), ("upper", "consistent")])
def test_rate_linear_decay_against_a_claimed_power_law(side, status):
    """rho^t is faster than every power law: Theta(t^-2) and Omega(t^-2) are refuted, O(t^-2) holds."""
    t = _grid(2000)
    runs = _runs(0.99 ** t, -2.0, rng=np.random.default_rng(4))
    verdict = _decide(t, runs, Rate(side=side), form="power", burn_in=100.0)
    assert verdict.status == status, verdict.reason
    assert verdict.evidence["other_form"] == "linear"


def test_rate_curved_in_both_forms_stays_inconclusive():
    """exp(-sqrt(t)) is neither a power law nor a linear rate: both fits drift. Its local
    exponent runs from about -3 to -9 on the window: an exponent inside that range is
    undecided, one outside it (t^-2, slower everywhere) is refuted on both halves."""
    t = _grid(1e4)
    for claimed, status in ((-5.0, "inconclusive"), (-2.0, "violated")):
        runs = _runs(np.exp(-np.sqrt(t)), claimed, rng=np.random.default_rng(5))
        verdict = _decide(t, runs, Rate(), form="power", burn_in=10.0)
        assert verdict.status == status, verdict.reason


def test_rate_linear_decay_to_the_floor_within_a_fraction_of_a_decade_refutes_a_power_law():
    """rho^t falls by e^30 within 0.3 decades of t: too short to fit an exponent, long enough
    to see a linear rate, which no power law follows."""
    t = np.arange(0, 301, dtype=float)
    runs = _runs(0.9 ** t, -2.0, rng=np.random.default_rng(6))
    verdict = _decide(t, runs, Rate(), form="power", burn_in=150.0)
    assert verdict.status == "violated", verdict.reason
    assert "fewer than the 1 required" in verdict.reason and verdict.evidence["other_form"] == "linear"
