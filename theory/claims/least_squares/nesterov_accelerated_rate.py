r"""Nesterov's accelerated gradient on a strongly convex quadratic: rate 1 - sqrt(mu/L).

Problem: :math:`f(x) = \frac{1}{2n}\|Ax - b\|^2`, :math:`\mu I \preceq H \preceq L I`.
Method: **Nesterov's method** with constant momentum,
:math:`y_t = x_t + \beta(x_t - x_{t-1})`, :math:`x_{t+1} = y_t - \frac1L\nabla f(y_t)`,
:math:`\beta = \frac{\sqrt L - \sqrt\mu}{\sqrt L + \sqrt\mu}`.
Guarantee (**rate**): :math:`\|x_t - x^\star\| = \Theta\big(t\,(1 - \sqrt{\mu/L})^t\big)`.

Provenance: the rate :math:`1-\sqrt{\mu/L}` is Nesterov's, stated as an upper bound on the function
gap (the locator is recollection of the 2004 edition, not checked against the book). The exact form on quadratics is derived here:
along :math:`\lambda = \mu` the characteristic polynomial
:math:`z^2 - (1-\mu/L)(1+\beta)z + (1-\mu/L)\beta` has the double root :math:`1-\sqrt{\mu/L}`,
hence the prefactor :math:`t`, which is divided out before fitting; every other mode has modulus
:math:`\sqrt{(1-\lambda/L)\beta} < 1-\sqrt{\mu/L}`. Burn-in :math:`5\sqrt{L/\mu}` steps (5 time
constants of the slow mode); the fit ends before :math:`10^3\varepsilon` of the start.

Worst case over the class (PEP): the explicit form of the theorem, :math:`f(x_N) - f_\star \le (1 - \sqrt{\mu/L})^N
(f(x_0) - f_\star + \frac\mu2\|x_0 - x_\star\|^2)` for every :math:`L`-smooth :math:`\mu`-strongly convex :math:`f`
(d'Aspremont, Scieur & Taylor 2021, Corollary 4.15, as cited by PEPit's example; recollection otherwise), is checked
at :math:`\kappa = 100`, :math:`N \le 8`: it holds and is not tight there (ratio about 0.85 at :math:`N = 8`).
"""
from sympy import sqrt

from problems.least_squares import gaussian_design, nesterov
from problems.pep import nesterov_pep
from theory.claim import Citation, Claim, Rate, WorstCase, control
from theory.symbols import L, mu, t

CLAIM = Claim(
    id="least-squares/nesterov-accelerated-rate",
    title="Nesterov's method converges at rate 1 - sqrt(mu/L) on strongly convex quadratics",
    family="gd-sgd",
    citation=Citation(authors="Y. Nesterov", year=2004, title="Introductory Lectures on Convex Optimization",
                      venue="Kluwer", locator="Theorem 2.2.3 (recollection)"),
    statement=r"\|x_t - x^\star\| = \Theta(t (1 - \sqrt{\mu/L})^t)",
    assumptions=("convex-quadratic", "L-smooth", "strongly-convex"),
    problem=gaussian_design,
    problem_params={"n_samples": 200, "dim": 10, "condition_number": 100.0, "noise": 0.1},
    method=nesterov,
    method_params={"step_size": 1 / L, "n_iter": 600, "metric": "distance", "n_checkpoints": 120},
    measured="||x_t - x*||",
    claimed=t * (1 - sqrt(mu / L)) ** t,
    test=Rate(tolerance=0.1, burn_in=5 * sqrt(L / mu)),
    seeds=8,
    # the theorem's explicit form over all L-smooth mu-strongly convex functions (kappa = 100), on a potential
    worst_case=WorstCase(pep=nesterov_pep, params={"L": 1.0, "mu": 0.01}, constants={"L": 1.0, "mu": 0.01},
                         claimed=(1 - sqrt(mu / L)) ** t,
                         measured="f(x_N) - f* when f(x_0) - f* + mu/2 ||x_0 - x*||^2 <= 1"),
)

CLAIMS = [control(
    CLAIM, suffix="unaccelerated-rate",
    why="1 - mu/L is gradient descent's rate; at mu/L = 0.01 its log is 10.5 times smaller than the "
        "accelerated one the experiment measures.",
    claimed=(1 - mu / L) ** t,
)]
