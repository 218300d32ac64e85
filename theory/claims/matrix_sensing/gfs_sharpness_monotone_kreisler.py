r"""Kreisler, Nacson, Soudry & Carmon: GD monotonically decreases the sharpness of the gradient-flow solution.

Problem: a depth-:math:`D` scalar network :math:`f(w) = \prod_{i=1}^D w_i`, loss :math:`L(w) = \frac12(f(w) - y)^2`,
:math:`y = 1`, a positive imbalanced start (:math:`\log w_{0,i}` spread 0.5, :math:`f(w_0) \in (0.3, 0.7)`).
Method: **gradient descent** with :math:`\eta = \rho/\varphi(w_0)`, :math:`\rho = \eta\varphi(w_0) \in \{1.5, 2.5\}`.
Guarantee (**bound**, every step): :math:`\varphi(w_{t+1}) \le \varphi(w_t)`, where :math:`\varphi(w)` is the sharpness
:math:`\lambda_{\max}\nabla^2 L` at the gradient-flow solution (GFS) started from :math:`w`.

Provenance: the abstract (checked): "the GFS sharpness decreases monotonically" for scalar networks
with the square loss. The GFS is computed exactly: gradient flow conserves :math:`w_i^2 - w_j^2`, so
:math:`\mathrm{GFS}(w)_i^2 = w_i^2 + s` with :math:`\prod_i (w_i^2 + s) = y^2`, and :math:`\varphi = y^2\sum_i 1/(w_i^2 + s)`
(derived; unit-tested against an integrated gradient flow). The theorem's step-size condition was not
retrieved; from recollection it allows :math:`\eta\varphi(w_0)` up to :math:`2\sqrt2 \approx 2.83`, so the grid
stays below it: :math:`\rho = 1.5` (GD converges below the edge of stability) and :math:`\rho = 2.5` (it ends at
the edge, :math:`\varphi \to 2/\eta`). Measured: the largest ratio :math:`\varphi(w_{s+1})/\varphi(w_s)` over the steps
between checkpoints, :math:`10^4` steps; ``rtol = 1e-10`` covers round-off of :math:`\varphi` only.
"""
from problems.scalar_networks import scalar_gd, scalar_network
from theory.claim import Bound, Citation, Claim, Interval, Search, control

CLAIM = Claim(
    id="matrix-sensing/kreisler-gfs-sharpness-decreases",
    title="GD monotonically decreases the sharpness of the gradient-flow solution (scalar networks)",
    family="matrix-sensing",
    citation=Citation(authors="I. Kreisler, M. S. Nacson, D. Soudry and Y. Carmon", year=2023,
                      title="Gradient Descent Monotonically Decreases the Sharpness of Gradient Flow Solutions "
                            "in Scalar Networks and Beyond", venue="ICML (arXiv:2305.13064)",
                      locator="abstract; main theorem for scalar networks (number not retrieved)",
                      url="https://arxiv.org/abs/2305.13064"),
    statement=r"\varphi(w_{t+1}) \le \varphi(w_t) \quad \forall t",
    assumptions=(),
    problem=scalar_network,
    problem_params={"target": 1.0, "init_spread": 0.5},
    grid={"depth": [2, 4, 6], "sharpness_ratio": [1.5, 2.5]},
    method=scalar_gd,
    method_params={"n_iter": 10_000, "metric": "gfs_sharpness_increase"},
    measured="max phi(w_{s+1}) / phi(w_s) between checkpoints",
    claimed=1,
    test=Bound(side="upper", rtol=1e-10),
    seeds=8,
    # the step condition recalled is eta phi(w_0) < 2 sqrt(2): the search stays below 2.8
    search=Search(space={"depth": Interval(2, 10, integer=True), "init_spread": Interval(0.0, 1.5),
                         "sharpness_ratio": Interval(0.5, 2.8)}, examples=40, polish=20),
)

CLAIMS = [control(
    CLAIM, suffix="iterate-sharpness",
    why="The plausible twin: the sharpness of the current iterate, lambda_max of the loss Hessian at w_t, "
        "decreases monotonically. At the edge of stability (eta phi(w_0) = 2.5) it oscillates around 2/eta.",
    measured="max lambda_max(w_{s+1}) / lambda_max(w_s) between checkpoints",
    method_params={"n_iter": 10_000, "metric": "sharpness_increase"},
)]
