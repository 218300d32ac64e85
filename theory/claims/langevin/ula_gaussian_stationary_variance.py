r"""ULA on a Gaussian target is biased: its stationary variance along a direction of precision
:math:`\lambda` is :math:`\frac{1}{\lambda(1 - h\lambda/2)}`, not :math:`1/\lambda`.

Problem: :math:`\pi = \mathcal N(m, \Lambda^{-1})` in dimension 10, precision eigenvalues log-spaced in
:math:`[1, 10]` (:math:`\mu = 1`, :math:`L = 10`), random rotation, random mean.
Method: **unadjusted Langevin** :math:`x' = x - h\Lambda(x - m) + \sqrt{2h}\,\xi`, :math:`h = 0.3/L`, 1000 chains,
burn-in :math:`20/(h\mu)` steps, then the time average of :math:`L\,(v^\top(x - m))^2` along the top eigenvector
:math:`v` over 2000 steps.
Claim (**bound, tight, in expectation**): it equals :math:`1/(1 - hL/2) = 1/0.85 = 1.17647`.

Provenance. Derived here: along an eigenvector, :math:`e' = (1 - h\lambda)e + \sqrt{2h}\,\xi`, whose stationary
variance :math:`s` solves :math:`s = (1 - h\lambda)^2 s + 2h`, i.e. :math:`s = 1/(\lambda(1 - h\lambda/2))`; Roberts &
Tweedie (1996) is the classical reference for the bias of the unadjusted chain (and for MALA, which removes it).
The same formula is the research notes' [derived] anchor for constant-step SGLD (Feder, Urbanke & Fogel
2025; see ``sgld_variance_inflation``).

Tolerance from the Monte Carlo error, fixed before the runs: the top mode's autocorrelation time is
:math:`(1 + \rho)/(1 - \rho)` with :math:`\rho = (1 - hL)^2 = 0.49`, i.e. 2.9 steps, so a seed's estimate over
:math:`1000 \times 2000` chain-steps has a standard error of about 0.2%; the interval over 8 seeds is about
:math:`\pm 0.3\%`. ``rtol`` = 1% leaves room for it and is 15 times smaller than the 17.6% bias the control
must show. The burn-in is 20 relaxation times of the slowest mode (:math:`e^{-20}` of the start remains).
The worst-case search at :math:`hL = 0.3` (8 draws of 8 seeds over dimension 2-10, :math:`\kappa` 1-10, mean,
start within 10 and rotation) finds the ratio within 0.22% of 1 everywhere (most extreme 0.9979, dimension 8,
:math:`\kappa = 3.6`; 2 draws undecided at the Bonferroni-corrected level); the control fails on its first draw (1.174).
"""
import sympy

from problems.langevin import gaussian_target, ula
from theory.claim import Bound, Claim, Interval, Search, control
from theory.papers import ROBERTS_TWEEDIE
from theory.symbols import L, mu

STEP = 0.3  # h L

CLAIM = Claim(
    id="langevin/ula-gaussian-stationary-variance",
    title="ULA on a Gaussian: stationary variance 1/(lambda (1 - h lambda / 2)) along each eigendirection",
    family="langevin",
    citation=ROBERTS_TWEEDIE,
    statement=r"\lambda\,\mathrm{Var}_{\pi_h}(v^\top x) = \frac{1}{1 - h\lambda/2}",
    assumptions=("L-smooth", "strongly-convex"),
    problem=gaussian_target,
    problem_params={"dim": 10, "condition_number": 10.0, "mean_scale": 1.0},
    method=ula,
    method_params={"step_size": STEP / L, "n_iter": 2000, "chains": 1000, "burn_in": sympy.ceiling(20 * L / (STEP * mu)),
                   "metric": "variance_ratio", "n_checkpoints": 12},
    measured="L Var(v_max . x), time average over chains",
    claimed=1 / (1 - (STEP / L) * L / 2),
    test=Bound(side="tight", statistic="mean", rtol=0.01, burn_in=500),
    seeds=8,
    quick={"method_params": {"n_iter": 1000, "chains": 500}, "test": Bound(side="tight", statistic="mean",
                                                                             rtol=0.02, burn_in=500)},
    # instances at the claim's hL = 0.3 (the claimed value is fixed by it): the mode along v decouples, so dim (up
    # to the claim's 10), kappa (up to its 10; the burn-in 20/(h mu) follows), mean, start (e^-20 of it remains after
    # the burn-in) and rotation must not move the ratio; polish 0: Nelder-Mead with the seed fixed chases MC noise
    search=Search(space={"dim": Interval(2, 10, integer=True), "condition_number": Interval(1.0, 10.0, log=True),
                         "mean_scale": Interval(0.0, 10.0), "start_distance": Interval(0.0, 10.0),
                         "rotate": [True, False]}, examples=8, polish=0, quick_examples=2),
)

CLAIMS = [control(
    CLAIM, suffix="unbiased",
    why="ULA is unbiased: the stationary variance is the target's, L Var = 1. The measured 1.176 is 17.6% above.",
    claimed=1,
)]
