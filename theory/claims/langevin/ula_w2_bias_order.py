r"""ULA's stationary bias in :math:`W_2` is of order :math:`h` (exact, on a Gaussian target).

Problem: :math:`\pi = \mathcal N(m, \Lambda^{-1})`, :math:`d = 10`, precision eigenvalues log-spaced in :math:`[1, 10]`,
random rotation.
Method: the exact stationary law of **ULA** at step :math:`h`, :math:`\mathcal N(m, \Sigma_h)` with
:math:`\Sigma_h = (I - h\Lambda)\Sigma_h(I - h\Lambda) + 2hI` (discrete Lyapunov equation, no simulation).
Claim (**scaling**): :math:`W_2(\pi_h, \pi) = \Theta(h)`, swept over :math:`hL \in [0.0125, 0.2]`.

Provenance: derived here. Per eigendirection :math:`\Sigma_h` has variance :math:`1/(\lambda(1 - h\lambda/2))`, and
:math:`W_2^2 = \sum_\lambda \lambda^{-1}\big((1 - h\lambda/2)^{-1/2} - 1\big)^2 = \sum_\lambda \lambda h^2/16 + O(h^3)`,
so the exponent is exactly 1 as :math:`h \to 0`; at :math:`hL = 0.2` the next term changes the local exponent by
about :math:`3hL/8 \le 0.08`, which fixes the grid's upper end inside the tolerance of 0.1. The computation is
exact, so the interval over seeds (random rotations) is only as wide as round-off.
"""
from problems.langevin import gaussian_target, stationary_w2, ula_exact
from theory.claim import Claim, Scaling, control
from theory.papers import ROBERTS_TWEEDIE
from theory.symbols import symbol

h = symbol("step_size")
L_TARGET = 10.0

CLAIM = Claim(
    id="langevin/ula-w2-bias-order-h",
    title="ULA's stationary W2 bias on a Gaussian target is of order h",
    family="langevin",
    citation=ROBERTS_TWEEDIE.at("Sec. 1.5 (the unadjusted chain is biased); order derived here"),
    statement=r"W_2(\pi_h, \pi) = \Theta(h)",
    assumptions=("L-smooth", "strongly-convex"),
    problem=gaussian_target,
    problem_params={"dim": 10, "condition_number": L_TARGET},
    method=ula_exact,
    method_params={"n_iter": 1, "metric": "w2"},
    measured="W2(pi_h, pi), exact",
    claimed=h,
    test=Scaling(parameter="step_size", values=tuple(x / L_TARGET for x in (0.0125, 0.025, 0.05, 0.1, 0.2)),
                 cost=stationary_w2, tolerance=0.1),
    seeds=8,
)

CLAIMS = [control(
    CLAIM, suffix="second-order",
    why="A second-order bias, W2 = O(h^2) (what a weak-order-2 scheme would give): exponent 2 against the "
        "exact 1.",
    claimed=h ** 2,
)]
