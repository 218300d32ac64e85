"""PEP worst cases (PEPit through CVXPY and Clarabel) against known tight bounds, and the certificate's verdicts."""
from dataclasses import replace

import pytest

from problems.pep import WorstCaseValue, gradient_descent_pep, halpern_pep, nesterov_pep
from problems.least_squares import gaussian_design, gradient_descent
from theory.claim import Bound, Citation, Claim, ClaimSpecError, WorstCase, validate
from theory.symbols import L, dist0, gap0, mu, t
from verifiers.run import run_claim
from verifiers.worst_case import certify


@pytest.mark.parametrize("n", [1, 3, 6])
def test_gradient_descent_worst_cases_equal_the_tight_bounds(n):
    strongly = gradient_descent_pep(L=1.0, mu=0.1, step_size=1.0, n_iter=n)
    assert strongly.status == "optimal" and strongly.value == pytest.approx(0.9 ** (2 * n), rel=1e-6)
    convex = gradient_descent_pep(L=2.0, mu=0.0, step_size=0.5, n_iter=n, initial="distance")
    assert convex.value == pytest.approx(2.0 / (4 * n + 2), rel=1e-6)  # Drori & Teboulle, h = 1


@pytest.mark.parametrize("n", [1, 2, 5])
def test_halpern_worst_case_is_lieders_bound_and_nesterov_stays_below_its_rate(n):
    assert halpern_pep(L=1.0, n_iter=n).value == pytest.approx(1.0 / (n + 1), rel=1e-6)
    assert nesterov_pep(L=1.0, mu=0.01, n_iter=n).value <= 0.9 ** n * (1 + 1e-6)


def test_a_faster_rate_is_refuted_by_a_worst_case_instance_of_low_dimension():
    result = gradient_descent_pep(L=1.0, mu=0.1, step_size=1.0, n_iter=2)
    assert result.value > 0.9 ** 6 and 1 <= result.instance["gram_rank"] <= 3


def _claim(claimed, pep=gradient_descent_pep, horizons=(1, 2, 4)):
    return Claim(
        id="test/pep", title="GD bound", family="test",
        citation=Citation(authors="X", year=2024, title="T", venue="V", locator="Thm 1"),
        problem=gaussian_design, problem_params={"n_samples": 20, "dim": 5, "condition_number": 10.0},
        method=gradient_descent, method_params={"step_size": 1 / L, "n_iter": 50}, measured="f(x_t) - f*",
        claimed=claimed, test=Bound(), seeds=2,
        worst_case=WorstCase(pep=pep, params={"L": 1.0, "mu": 0.1, "step_size": 1.0},
                             constants={"L": 1.0, "mu": 0.1, "gap0": 1.0}, horizons=horizons))


def test_certificate_is_tight_for_the_true_bound_and_refutes_a_faster_one():
    tight = certify(_claim((1 - mu / L) ** (2 * t) * gap0))
    assert tight.status == "consistent" and "tight" in tight.reason and tight.estimate == pytest.approx(1, rel=1e-5)
    wrong = certify(_claim((1 - mu / L) ** (3 * t) * gap0))
    assert wrong.status == "violated" and "Gram rank" in wrong.reason and wrong.estimate > 1.2
    assert [row["N"] for row in wrong.evidence["worst_case"]] == [1, 2, 4]


def test_a_solve_that_is_not_optimal_makes_the_certificate_inconclusive():
    def inaccurate(*, n_iter, **params):
        return WorstCaseValue(0.5, "optimal_inaccurate", "CLARABEL", 0.5, 0.5)

    verdict = certify(_claim((1 - mu / L) ** (2 * t) * gap0, pep=inaccurate))
    assert verdict.status == "inconclusive" and "optimal_inaccurate" in verdict.reason


def test_a_violated_certificate_decides_the_claim_even_when_the_experiment_holds():
    # half of Drori & Teboulle's bound: random rank-deficient quadratics stay below it, the class does not
    claim = replace(_claim(L * dist0**2 / (8 * t + 4)),
                    problem_params={"n_samples": 20, "dim": 50, "condition_number": 100.0})
    claim = replace(claim, worst_case=WorstCase(pep=gradient_descent_pep,
                                                params={"L": 1.0, "mu": 0.0, "step_size": 1.0, "initial": "distance"},
                                                constants={"L": 1.0, "dist0": 1.0}, horizons=(1, 2)))
    record = run_claim(claim)
    assert record["status"] == "violated" and "worst case (PEP)" in record["reason"]
    assert record["worst_case"]["status"] == "violated"


def test_quick_profile_keeps_the_two_shortest_horizons():
    verdict = certify(_claim((1 - mu / L) ** (2 * t) * gap0, horizons=(1, 2, 8)), quick=True)
    assert [row["N"] for row in verdict.evidence["worst_case"]] == [1, 2]


@pytest.mark.parametrize("horizons", [(), (0, 1), (1.5,)])
def test_bad_horizons_are_rejected_naming_the_field(horizons):
    claim = _claim((1 - mu / L) ** (2 * t) * gap0)
    with pytest.raises(ClaimSpecError, match="worst_case.horizons"):
        validate(replace(claim, worst_case=replace(claim.worst_case, horizons=horizons)))
