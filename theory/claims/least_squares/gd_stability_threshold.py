r"""Gradient descent on a quadratic is stable exactly for step sizes below 2/lambda_max.

Problem: :math:`f(x) = \frac{1}{2n}\|Ax - b\|^2`, :math:`\lambda_{\max}(H) = L`.
Method: **gradient descent** :math:`x_{t+1} = x_t - \eta\nabla f(x_t)`.
Guarantee (**threshold**): the iterates converge for :math:`\eta < 2/\lambda_{\max}` and diverge for
:math:`\eta > 2/\lambda_{\max}` (the error along the top eigenvector is multiplied by
:math:`|1 - \eta\lambda_{\max}|`).

Provenance: derived here; the classical stability limit that Cohen et al. (2021) take as the premise
of the edge of stability (their section locator is recollection). The experiment simulates GD itself: a step is unstable
when :math:`\|x_t - x^\star\|` grows by :math:`10^6`; the horizon grows as the bracket shrinks
(:math:`2\log 10^6/w` steps at relative width :math:`w`), so the bracket is accurate to about
:math:`10^{-3}`. Tolerance ``rtol=0.01``.
"""
from problems.least_squares import gaussian_design, gradient_descent
from theory.claim import Citation, Claim, Threshold, control
from theory.symbols import L

CLAIM = Claim(
    id="least-squares/gd-stability-threshold",
    title="GD on a quadratic is stable exactly below step 2/lambda_max",
    family="gd-sgd",
    citation=Citation(authors="J. Cohen, S. Kaur, Y. Li, J. Z. Kolter and A. Talwalkar", year=2021,
                      title="Gradient descent on neural networks typically occurs at the edge of stability",
                      venue="ICLR", locator="Section 2, quadratic stability limit (recollection)",
                      url="https://arxiv.org/abs/2103.00065"),
    statement=r"\eta_c = 2/\lambda_{\max}(H)",
    assumptions=("convex-quadratic", "L-smooth"),
    problem=gaussian_design,
    problem_params={"n_samples": 100, "dim": 20, "condition_number": 10.0, "noise": 0.1},
    method=gradient_descent,
    method_params={"metric": "distance", "n_checkpoints": 8},
    measured="||x_t - x*||",
    claimed=2 / L,
    test=Threshold(parameter="step_size", bracket=(1 / L, 4 / L), rtol=0.01, rel_width=1e-3),
    seeds=8,
    quick={"seeds": 3},
)

CLAIMS = [control(
    CLAIM, suffix="threshold-plus-20pc",
    why="A threshold 20% above 2/lambda_max: steps in between diverge along the top eigenvector.",
    claimed=2.4 / L,
)]
