"""Bound verifier (PEPit's upper / lower / tight forms) on synthetic traces with a known answer."""
import numpy as np
import pytest

from problems.types import checkpoints
from theory.claim import Bound
from verifiers import bound

T = checkpoints(1000, 60).astype(np.float64)
CLAIMED = 1.0 / (1.0 + T)  # a decaying bound, any shape works: only ratios matter


def _runs(ratios):
    """One run per row of ``ratios`` (1 replica each): measured = ratio * claimed."""
    return [(np.asarray(r, dtype=np.float64)[None, :] * CLAIMED, CLAIMED) for r in np.atleast_2d(ratios)]


def test_bound_upper_holds_and_reports_worst_ratio():
    ratios = np.full((3, T.size), 0.5)
    ratios[1, 20] = 0.8
    verdict = bound.decide(T, _runs(ratios), Bound(side="upper"))
    assert verdict.status == "consistent"
    assert verdict.estimate == pytest.approx(0.8)
    assert verdict.evidence["worst_t"] == T[20] and verdict.evidence["worst_run"] == 1
    assert "not tight" in verdict.reason


def test_bound_upper_exceeded_beyond_rtol_is_violated_with_location():
    ratios = np.full((4, T.size), 0.99)
    ratios[2, 17] = 1 + 1e-6
    verdict = bound.decide(T, _runs(ratios), Bound(side="upper", rtol=1e-9))
    assert verdict.status == "violated"
    assert verdict.evidence["worst_ratio"] == pytest.approx(1 + 1e-6, rel=1e-12)
    assert verdict.evidence["worst_t"] == T[17]
    assert verdict.evidence["worst_run"] == 2
    assert f"t = {T[17]:g}" in verdict.reason


def test_bound_rtol_absorbs_round_off_only_up_to_its_size():
    ratios = np.full((1, T.size), 1.0)
    ratios[0, 5] = 1 + 1e-12
    assert bound.decide(T, _runs(ratios), Bound(rtol=1e-9)).status == "consistent"
    assert bound.decide(T, _runs(ratios), Bound(rtol=1e-13)).status == "violated"


def test_bound_equal_to_claim_is_reported_tight():
    verdict = bound.decide(T, _runs(np.ones((2, T.size))), Bound(side="upper"))
    assert verdict.status == "consistent"
    assert "tight" in verdict.reason and "not tight" not in verdict.reason


def test_bound_met_only_at_the_start_is_not_called_tight():
    ratios = np.full((2, T.size), 0.5)
    ratios[:, 0] = 1.0  # C(0) = 1: every such bound equals the measurement at t = 0
    verdict = bound.decide(T, _runs(ratios), Bound(side="upper"))
    assert verdict.status == "consistent" and "not tight" in verdict.reason
    assert verdict.evidence["worst_ratio_after_start"] == pytest.approx(0.5)


def test_bound_lower_holds_and_is_violated_below():
    ratios = np.full((2, T.size), 3.0)
    ratios[0, 30] = 1.5
    verdict = bound.decide(T, _runs(ratios), Bound(side="lower"))
    assert verdict.status == "consistent"
    assert verdict.estimate == pytest.approx(1.5) and verdict.evidence["worst_t"] == T[30]
    ratios[1, 40] = 1 - 1e-6
    verdict = bound.decide(T, _runs(ratios), Bound(side="lower"))
    assert verdict.status == "violated"
    assert verdict.evidence["worst_t"] == T[40] and verdict.evidence["worst_run"] == 1


def test_bound_tight_fails_on_either_side():
    ratios = 1 + 1e-12 * np.random.default_rng(0).standard_normal((2, T.size))
    assert bound.decide(T, _runs(ratios), Bound(side="tight")).status == "consistent"
    for off in (0.9, 1.1):
        bad = ratios.copy()
        bad[1, 12] = off
        verdict = bound.decide(T, _runs(bad), Bound(side="tight"))
        assert verdict.status == "violated"
        assert verdict.estimate == pytest.approx(off) and verdict.evidence["worst_t"] == T[12]


def test_bound_points_under_floor_are_skipped_and_counted():
    claimed = 10.0 ** (-T / 50)  # falls to 1e-20 by t = 1000
    measured = np.maximum(0.5 * claimed, 1e-17)[None, :]  # round-off floor at 1e-17
    below = int(np.count_nonzero(claimed <= 1e-12 * measured[0, 0]))
    assert below > 0
    assert bound.decide(T, [(measured, claimed)], Bound(floor=0.0)).status == "violated"
    verdict = bound.decide(T, [(measured, claimed)], Bound(floor=1e-12))
    assert verdict.status == "consistent"
    assert verdict.evidence["points_below_floor"] == below
    assert verdict.evidence["points_checked"] == T.size - below


def test_bound_everything_under_floor_is_inconclusive():
    measured = np.ones((1, T.size))
    verdict = bound.decide(T, [(measured, np.full(T.size, 1e-20))], Bound(floor=1e-12))
    assert verdict.status == "inconclusive"
    assert verdict.evidence["points_below_floor"] == T.size


def _monte_carlo(level, replicas, seeds=8, seed=0):
    """Replicas whose expectation is ``level * claimed``; each replica scaled by Exp(1) over its whole curve."""
    rng = np.random.default_rng(seed)
    runs = []
    for _ in range(seeds):
        scale = rng.exponential(1.0, size=(replicas, 1)) * (1 + 0.01 * rng.standard_normal((replicas, T.size)))
        runs.append((level * scale * CLAIMED, CLAIMED))
    return runs


def test_bound_mean_half_the_bound_is_consistent_though_replicas_exceed_it():
    runs = _monte_carlo(0.5, replicas=200)
    verdict = bound.decide(T, runs, Bound(statistic="mean"))
    assert verdict.status == "consistent"
    assert 0.4 < verdict.estimate < 0.6 and verdict.ci[1] <= 1
    # single replicas cross the bound, so the deterministic reading refutes the same data
    assert bound.decide(T, runs, Bound(statistic="each")).status == "violated"


def test_bound_mean_twice_the_bound_is_violated():
    verdict = bound.decide(T, _monte_carlo(2.0, replicas=200), Bound(statistic="mean"))
    assert verdict.status == "violated"
    assert verdict.ci[0] > 1 and 1.7 < verdict.estimate < 2.3


def test_bound_mean_at_the_bound_with_large_noise_is_inconclusive():
    verdict = bound.decide(T, _monte_carlo(1.0, replicas=5), Bound(statistic="mean"))
    assert verdict.status == "inconclusive"
    assert verdict.ci[0] < 1 < verdict.ci[1]


def test_bound_mean_lower_side_mirrors_upper():
    assert bound.decide(T, _monte_carlo(2.0, replicas=200), Bound(side="lower", statistic="mean")).status \
        == "consistent"
    assert bound.decide(T, _monte_carlo(0.5, replicas=200), Bound(side="lower", statistic="mean")).status \
        == "violated"


def test_bound_nan_in_measured_is_an_error_naming_t():
    measured = 0.5 * np.tile(CLAIMED, (2, 1))
    measured[1, 9:] = np.nan
    verdict = bound.decide(T, [(measured, CLAIMED)], Bound())
    assert verdict.status == "error"
    assert f"t = {T[9]:g}" in verdict.reason and verdict.evidence["first_nonfinite_t"] == T[9]


def test_bound_nan_from_the_first_point_is_an_error_not_a_floor():
    measured = np.full((1, T.size), np.nan)
    for statistic in ("each", "mean"):
        verdict = bound.decide(T, [(measured, CLAIMED)], Bound(statistic=statistic))
        assert verdict.status == "error"
        assert verdict.evidence["first_nonfinite_t"] == T[0]


def test_bound_mean_exactly_on_the_bound_is_rarely_refuted_across_many_points():
    """60 checkpoints, 8 seeds, the true mean equal to the bound: the curve is one decision."""
    refuted = 0
    for seed in range(40):
        rng = np.random.default_rng(seed)
        runs = [((1 + 0.2 * rng.standard_normal((4, T.size))) * CLAIMED, CLAIMED) for _ in range(8)]
        refuted += bound.decide(T, runs, Bound(side="upper", statistic="mean", rtol=0.0)).status == "violated"
    assert refuted <= 2  # about 1% expected; without the correction about 20% were


def test_bound_points_before_burn_in_are_not_checked():
    """A time average that starts far off (ratio 3 up to t = 10) and then holds: checked only
    from burn_in on, the bound holds; the early points are counted, not hidden."""
    ratios = np.where(T <= 10, 3.0, 0.9)
    assert bound.decide(T, _runs(ratios), Bound()).status == "violated"
    verdict = bound.decide(T, _runs(ratios), Bound(burn_in=11))
    assert verdict.status == "consistent", verdict.reason
    assert verdict.evidence["points_before_burn_in"] == int(np.count_nonzero(T < 11))
    assert verdict.evidence["points_below_floor"] == 0
