r"""Chen et al.: Lion with decoupled weight decay :math:`\lambda` solves :math:`\min f` subject to
:math:`\|x\|_\infty \le 1/\lambda`; with a constant step :math:`\epsilon` it ends within :math:`\Theta(\epsilon)` of the
box-constrained minimiser.

Problem: as in ``lion_box_invariance_chen``: :math:`d = 10`, :math:`\lambda = 2`, a convex quadratic (five coordinates
active at the box minimiser, exact by construction) and a logistic regression (:math:`n = 100`; box minimiser from
CVXPY, polished by projected Newton to a KKT residual near :math:`10^{-16}`); in both the unconstrained minimiser
lies outside the box.
Method: **Lion** (:math:`\beta_1 = 0.9`, :math:`\beta_2 = 0.99`), :math:`10^4` steps from 2 starts uniform in the box,
:math:`\epsilon\lambda \in \{0.04, 0.02, 0.01, 0.005, 0.0025\}`.
Measured: the largest :math:`\|x_s - x_{\mathrm{box}}\|_\infty` over the last checkpoint interval
(:math:`s \in [8.6\cdot10^3, 10^4]`: the amplitude of the final oscillation whatever its phase), replica mean.
Claim (**scaling**, :math:`\Theta`): that distance is :math:`\Theta(\epsilon)`: exponent :math:`1 \pm 0.1` in
:math:`\epsilon`.

Provenance: the limit is the abstract's claim (checked in the research notes); the order is derived here
(``problems.adaptive_methods.lion``): with strict complementarity the active coordinates converge to
:math:`\pm R` geometrically at rate :math:`1 - \epsilon\lambda`, and on the free ones
:math:`x = x_{\mathrm{box}} + \epsilon z` with a sign sequence, hence a :math:`z`-trajectory, that does not depend on
:math:`\epsilon` for a quadratic up to a relative :math:`O(\epsilon\lambda) \le 0.04` term; the logistic loss is
quadratic to first order at the :math:`O(\epsilon)` scale. So the exponent is 1 in the limit, with the grid's
largest :math:`\epsilon\lambda = 0.04` well inside the tolerance. Horizon: the transient lasts a few times
:math:`1/(\epsilon\lambda) \le 400` steps; :math:`10^4` steps leave the active coordinates within
:math:`e^{-25}` of the bound at the smallest step. Seeds are instances (rotations, data), 8.
"""
from problems.adaptive_methods import box_constrained, lion
from theory import papers
from theory.claim import Claim, Scaling, control
from theory.symbols import symbol
from verifiers.statistics import final_value

CHEN_LION = papers.CHEN_LION.at('abstract (the box-constrained limit); order in eps derived here')

WEIGHT_DECAY = 2.0
eps = symbol("step_size")

CLAIM = Claim(
    id="adaptive-methods/chen-lion-box-limit",
    title="Lion with weight decay lambda converges to argmin f over ||x||_inf <= 1/lambda, within Theta(eps)",
    family="adaptive-methods",
    citation=CHEN_LION,
    statement=r"\limsup_t\|x_t - \arg\min_{\|x\|_\infty\le 1/\lambda}f\|_\infty = \Theta(\epsilon)",
    problem=box_constrained,
    problem_params={"dim": 10, "weight_decay": WEIGHT_DECAY, "n_samples": 100, "signal": 4.0},
    grid={"loss": ["quadratic", "logistic"]},
    method=lion,
    method_params={"beta1": 0.9, "beta2": 0.99, "n_iter": 10_000, "replicas": 2, "metric": "distance_max",
                   "reference": "box", "n_checkpoints": 60},
    measured="max ||x_s - x_box||_inf over the last checkpoint interval",
    claimed=eps,
    test=Scaling(parameter="step_size", values=tuple(x / WEIGHT_DECAY for x in (0.04, 0.02, 0.01, 0.005, 0.0025)),
                 cost=final_value, tolerance=0.1),
    seeds=8,
    quick={"method_params": {"n_iter": 4_000, "replicas": 1},
           "test": Scaling(parameter="step_size", values=tuple(x / WEIGHT_DECAY for x in (0.04, 0.01, 0.0025)),
                           cost=final_value, tolerance=0.1)},
)

CLAIMS = [control(
    CLAIM, suffix="l2-regularised-limit",
    why="Lion + weight decay solves the l2-regularised problem min f + (lambda/2)||x||^2: its minimiser is at "
        "distance box_l2_gap = O(1) from the box minimiser (0.16 to 0.23 on the quadratics, 0.43 to 0.47 on the "
        "logistic instances, against R = 0.5), so the distance to it does not "
        "shrink with eps: exponent about 0 against the claimed 1.",
    method_params={**CLAIM.method_params, "reference": "l2_regularised"},
)]
