r"""MALA removes ULA's bias: on the Gaussian target of ``ula_gaussian_stationary_variance`` at the same step,
the stationary variance along the top eigendirection is the target's.

Problem, step and measurement as in ``ula_gaussian_stationary_variance`` (:math:`d = 10`, :math:`\kappa = 10`,
:math:`h = 0.3/L`, 1000 chains, 2000 averaged steps after a burn-in of :math:`20/(h\mu)`).
Method: **MALA**, the ULA proposal accepted with the Metropolis-Hastings probability.
Claim (**bound, tight, in expectation**): :math:`L\,\mathrm{Var}(v^\top x) = 1`.

Provenance: Roberts & Tweedie (1996): the Metropolis correction makes :math:`\pi` invariant for every step,
so the stationary law has no bias; only Monte Carlo error remains (the chains start at a point and are
averaged after the burn-in). Tolerance as for ULA (1%, against the 17.6% bias ULA has at this step);
the acceptance rate, in the evidence of the trace, lowers the effective sample size somewhat.
"""
import sympy

from problems.langevin import gaussian_target, mala
from theory.claim import Bound, Claim, control
from theory.papers import ROBERTS_TWEEDIE
from theory.symbols import L, mu

STEP = 0.3

CLAIM = Claim(
    id="langevin/mala-unbiased",
    title="MALA on a Gaussian: no stationary bias at the step where ULA's variance is 17.6% too large",
    family="langevin",
    citation=ROBERTS_TWEEDIE,
    statement=r"\lambda\,\mathrm{Var}_{\pi_h^{\mathrm{MALA}}}(v^\top x) = 1",
    assumptions=("L-smooth", "strongly-convex"),
    problem=gaussian_target,
    problem_params={"dim": 10, "condition_number": 10.0, "mean_scale": 1.0},
    method=mala,
    method_params={"step_size": STEP / L, "n_iter": 2000, "chains": 1000, "burn_in": sympy.ceiling(20 * L / (STEP * mu)),
                   "metric": "variance_ratio", "n_checkpoints": 12},
    measured="L Var(v_max . x), time average over chains",
    claimed=1,
    test=Bound(side="tight", statistic="mean", rtol=0.01, burn_in=500),
    seeds=8,
    quick={"method_params": {"n_iter": 1000, "chains": 500}, "test": Bound(side="tight", statistic="mean",
                                                                             rtol=0.02, burn_in=500)},
)

CLAIMS = [control(
    CLAIM, suffix="order-h-bias",
    why="MALA keeps ULA's O(h) bias: L Var = 1/(1 - hL/2) = 1.176 at hL = 0.3.",
    claimed=1 / (1 - (STEP / L) * L / 2),
)]
