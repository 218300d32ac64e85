r"""Polyak's heavy ball with optimal parameters on a strongly convex quadratic: rate (sqrt(L)-sqrt(mu))/(sqrt(L)+sqrt(mu)).

Problem: :math:`f(x) = \frac{1}{2n}\|Ax - b\|^2`, :math:`\mu I \preceq H \preceq L I`.
Method: **heavy ball** :math:`x_{t+1} = x_t - \eta\nabla f(x_t) + \beta(x_t - x_{t-1})` with
:math:`\eta = 4/(\sqrt L + \sqrt\mu)^2` and :math:`\beta = \big(\frac{\sqrt L - \sqrt\mu}{\sqrt L + \sqrt\mu}\big)^2`.
Guarantee (**rate**): :math:`\|x_t - x^\star\| = \Theta\big(t\,\rho^t\big)`,
:math:`\rho = \frac{\sqrt L - \sqrt\mu}{\sqrt L + \sqrt\mu} = \frac{\sqrt\kappa - 1}{\sqrt\kappa + 1}`.

Provenance: the rate is Polyak's (1964) for quadratics (the locator is recollection, not checked
against the paper). Derived here: along an eigenvalue :math:`\lambda` the error obeys
:math:`z^2 - (1 + \beta - \eta\lambda)z + \beta = 0`; with these parameters the discriminant is
:math:`\le 0` on :math:`[\mu, L]` and vanishes at both ends, so every mode has modulus
:math:`\sqrt\beta = \rho` and the end modes carry the prefactor :math:`t` (double roots), which is
divided out. Burn-in :math:`5\sqrt{L/\mu}` steps, as for Nesterov; the fit ends before
:math:`10^3\varepsilon` of the start. Tolerance 10% on :math:`\log\rho`. The control claims
Nesterov's slower :math:`1 - \sqrt{\mu/L}`, whose log is 1.9 times smaller at :math:`\kappa = 100`.
"""
from sympy import sqrt

from problems.least_squares import gaussian_design, heavy_ball
from theory.claim import Citation, Claim, Rate, control
from theory.symbols import L, mu, t

rho = (sqrt(L) - sqrt(mu)) / (sqrt(L) + sqrt(mu))

CLAIM = Claim(
    id="least-squares/heavy-ball-optimal-rate",
    title="Heavy ball with Polyak's parameters converges at rate (sqrt(kappa)-1)/(sqrt(kappa)+1) on quadratics",
    family="gd-sgd",
    citation=Citation(authors="B. T. Polyak", year=1964,
                      title="Some methods of speeding up the convergence of iteration methods",
                      venue="USSR Computational Mathematics and Mathematical Physics 4(5)",
                      locator="Theorem 9 (recollection)"),
    statement=r"\|x_t - x^\star\| = \Theta(t \rho^t),\ \rho = (\sqrt L - \sqrt\mu)/(\sqrt L + \sqrt\mu)",
    assumptions=("convex-quadratic", "L-smooth", "strongly-convex"),
    problem=gaussian_design,
    problem_params={"n_samples": 200, "dim": 10, "condition_number": 100.0, "noise": 0.1},
    method=heavy_ball,
    method_params={"step_size": 4 / (sqrt(L) + sqrt(mu)) ** 2, "momentum": rho ** 2, "n_iter": 400,
                   "metric": "distance", "n_checkpoints": 120},
    measured="||x_t - x*||",
    claimed=t * rho ** t,
    test=Rate(tolerance=0.1, burn_in=5 * sqrt(L / mu)),
    seeds=8,
)

CLAIMS = [control(
    CLAIM, suffix="nesterov-rate",
    why="1 - sqrt(mu/L) is Nesterov's rate; heavy ball with Polyak's parameters on a quadratic is faster, "
        "log(0.818) against log(0.9) at kappa = 100.",
    claimed=t * (1 - sqrt(mu / L)) ** t,
)]
