r"""Gradient descent with step 1/L on a strongly convex quadratic: an explicit bound.

Problem: :math:`f(x) = \frac{1}{2n}\|Ax - b\|^2` with :math:`\mu I \preceq H = A^\top A/n \preceq L I`.
Method: **gradient descent** :math:`x_{t+1} = x_t - \frac{1}{L}\nabla f(x_t)`.
Guarantee (**upper**): :math:`f(x_t) - f^\star \le (1 - \mu/L)^{2t}\,(f(x_0) - f^\star)`.

Provenance: derived here. In the eigenbasis of :math:`H` the error component along
:math:`\lambda_i` is multiplied by :math:`1 - \lambda_i/L \in [0, 1 - \mu/L]` at every step and
:math:`f - f^\star = \frac12\sum_i \lambda_i e_i^2`, which gives the bound with equality when
:math:`e_0` lies along the smallest eigenvalue. It is the quadratic case of the linear rate of
GD under strong convexity (Polyak 1963; Karimi, Nutini & Schmidt 2016, Theorem 1, state the weaker
factor :math:`(1-\mu/L)^t` for PL functions). Regime: condition numbers 10 and 100, 2000 steps, so
the bound stays above :math:`10^{-18}` of the initial gap and far from the floating-point floor
(the measured gap is computed as :math:`\frac12 e^\top H e`, with no cancellation); ``rtol=1e-9``
covers round-off only.

Worst case over the class (PEP): the same bound is certified over every :math:`L`-smooth :math:`\mu`-strongly convex
function, not only quadratics, at :math:`\kappa = 10` and :math:`N \in \{1, 2, 4, 8\}`, and it is tight there (the
worst case equals :math:`(1 - \mu/L)^{2N}` to the solver's accuracy).
"""
from problems.least_squares import gaussian_design, gradient_descent
from problems.pep import gradient_descent_pep
from theory.claim import Ablation, Bound, Citation, Claim, Interval, Search, WorstCase, control
from theory.symbols import L, gap0, mu, t

CLAIM = Claim(
    id="least-squares/gd-strongly-convex-bound",
    title="GD with step 1/L contracts the gap by (1 - mu/L)^2 per step",
    family="gd-sgd",
    citation=Citation(authors="H. Karimi, J. Nutini and M. Schmidt", year=2016,
                      title="Linear convergence of gradient and proximal-gradient methods under the "
                            "Polyak-Lojasiewicz condition", venue="ECML PKDD",
                      locator="Theorem 1 (quadratic case, squared factor derived)",
                      url="https://arxiv.org/abs/1608.04636"),
    statement=r"f(x_t) - f^\star \le (1 - \mu/L)^{2t} (f(x_0) - f^\star)",
    assumptions=("convex-quadratic", "L-smooth", "strongly-convex", "step-size-1/L"),
    problem=gaussian_design,
    problem_params={"n_samples": 200, "dim": 50, "noise": 0.1},
    grid={"condition_number": [10.0, 100.0]},
    method=gradient_descent,
    method_params={"step_size": 1 / L, "n_iter": 2000, "metric": "suboptimality"},
    measured="f(x_t) - f*",
    claimed=(1 - mu / L) ** (2 * t) * gap0,
    test=Bound(side="upper", rtol=1e-9),
    seeds=8,
    quick={"method_params": {"n_iter": 300}, "grid": {"condition_number": [100.0]}},
    # the bound holds beyond quadratics: over every L-smooth mu-strongly convex function (kappa = 10)
    worst_case=WorstCase(pep=gradient_descent_pep, params={"L": 1.0, "mu": 0.1, "step_size": 1.0},
                         constants={"L": 1.0, "mu": 0.1, "gap0": 1.0}),
    search=Search(space={"condition_number": Interval(1.5, 1e3, log=True), "dim": Interval(2, 50, integer=True),
                         "x0_distance": Interval(0.1, 10.0, log=True)},
                  # without the step 1/L (L = 1 on these instances): below it the slowest eigen-direction contracts
                  # by 1 - eta mu > 1 - mu/L, past (2 - mu/L)/L the top one by |1 - eta L|; either way the bound fails
                  ablations={"step-size-1/L": Ablation(space={"step_size": Interval(0.2, 3.0, log=True)})}),
)

CLAIMS = [control(
    CLAIM, suffix="squared-rate",
    why="The factor (1 - mu/L)^4 per step is faster than the slowest eigen-direction allows: any start "
        "with a component along mu decays as (1 - mu/L)^(2t), so the ratio grows without bound.",
    claimed=(1 - mu / L) ** (4 * t) * gap0,
)]
