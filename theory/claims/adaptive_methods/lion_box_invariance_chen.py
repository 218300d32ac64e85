r"""Chen et al.: with decoupled weight decay :math:`\lambda` and :math:`\epsilon\lambda \le 1`, Lion never leaves the
box :math:`\|x\|_\infty \le 1/\lambda` once inside (up to round-off).

Problem: :math:`d = 10`, :math:`\lambda = 2` (box radius :math:`R = 1/2`), the unconstrained minimiser outside the box:
a convex quadratic (condition number 10, five coordinates active at the box minimiser) and a logistic regression
(:math:`n = 100` samples, planted coefficients :math:`\pm 4R\cdot U[0.5, 1.5]` on five coordinates).
Method: **Lion** :math:`c_t = \beta_1m_{t-1} + (1-\beta_1)g_t`,
:math:`x_{t+1} = x_t - \epsilon(\operatorname{sign}c_t + \lambda x_t)`, :math:`m_t = \beta_2m_{t-1} + (1-\beta_2)g_t`,
:math:`\beta_1 = 0.9`, :math:`\beta_2 = 0.99`, :math:`\epsilon\lambda \in \{0.01, 0.1, 1\}`, :math:`2\cdot10^4` steps,
4 starts per seed uniform in the box.
Claim (**bound**, every replica, every checkpoint): :math:`\max_{s\le t}(\|x_s\|_\infty - R)_+/R \le u(6 + 1/0.01)`,
:math:`u = 2^{-53}` (:math:`1.18\cdot10^{-14}`): zero up to round-off.

Provenance: the box is the constraint of the paper's abstract (checked in the research notes); its invariance is
derived here (``problems.adaptive_methods.lion``): :math:`|(1-\epsilon\lambda)x_i - \epsilon s| \le (1-\epsilon\lambda)R
+ \epsilon = R`. The tolerance is the round-off bound derived there for the evaluated expression
``x - eps * (s + lam * x)``, :math:`u(6 + 1/(\epsilon\lambda))` relative, taken at the smallest
:math:`\epsilon\lambda = 0.01` of the grid (it is larger there than at 0.1 or 1); ``rtol = 1e-6`` covers its
:math:`O(u^2)` terms. :math:`\epsilon\lambda = 1` is the edge of the hypothesis (the iterate jumps to
:math:`\pm R` in one step). Starts inside the box: from outside, a coordinate pushed outwards by its gradient
approaches :math:`R` from above only geometrically and may never enter in exact arithmetic, so "once entered" is
measured from the first step inside (step 0 here, ``info["entry_step"]``).
"""
from problems.adaptive_methods import box_constrained, lion
from theory import papers
from theory.claim import Bound, Claim, Interval, Search, control

CHEN_LION = papers.CHEN_LION.at('abstract (the box constraint); invariance derived here')

WEIGHT_DECAY = 2.0

CLAIM = Claim(
    id="adaptive-methods/chen-lion-box-invariance",
    title="Lion with weight decay lambda stays in the box ||x||_inf <= 1/lambda (eps * lambda <= 1)",
    family="adaptive-methods",
    citation=CHEN_LION,
    statement=r"\|x_0\|_\infty \le 1/\lambda,\ \epsilon\lambda \le 1 \implies \|x_t\|_\infty \le 1/\lambda\ \forall t",
    problem=box_constrained,
    problem_params={"dim": 10, "weight_decay": WEIGHT_DECAY, "n_samples": 100, "signal": 4.0},
    grid={"loss": ["quadratic", "logistic"], "step_size": [0.005, 0.05, 0.5]},
    method=lion,
    method_params={"beta1": 0.9, "beta2": 0.99, "n_iter": 20_000, "replicas": 4, "start_scale": 1.0,
                   "metric": "box_excess", "norm": "inf", "n_checkpoints": 30},
    measured="max over s <= t of (||x_s||_inf - R)_+ / R",
    claimed=2.0**-53 * (6 + 1 / 0.01),
    test=Bound(side="upper", rtol=1e-6),
    seeds=8,
    quick={"method_params": {"n_iter": 2_000, "replicas": 2}, "seeds": 4,
           "grid": {"loss": ["quadratic", "logistic"], "step_size": [0.005, 0.5]}},
    # step sizes with eps lambda >= 0.01, where the claimed round-off allowance u (6 + 1/(eps lambda)) is largest
    search=Search(space={"loss": ["quadratic", "logistic"], "step_size": Interval(0.005, 0.45, log=True),
                         "dim": Interval(2, 20, integer=True), "condition_number": Interval(1.0, 100.0, log=True)},
                  examples=30, polish=0),
)

CLAIMS = [control(
    CLAIM, suffix="l2-ball",
    why="The l2 ball ||x||_2 <= 1/lambda is not invariant: a start uniform in the box already has ||x||_2 about "
        "sqrt(10/3) R, and the limit has five coordinates at +-R (||x||_2 >= sqrt(5) R): relative excess of order 1.",
    method_params={**CLAIM.method_params, "norm": "2"},
    measured="max over s <= t of (||x_s||_2 - R)_+ / R",
)]
