r"""Lieder: Halpern's iteration drives the residual of a cocoercive operator down as :math:`L\|z_0 - z^\star\|/(k+1)`.

Problem: a linear, :math:`1/L`-cocoercive :math:`F(z) = Az - b` (:math:`A \succeq 0` symmetric, :math:`\lambda_{\max}(A) = L`,
eigenvalues spread over :math:`[0.01L, L]`, and the extremal :math:`A = L\,I` where the bound is attained: random
instances alone would not show it tight), a known zero :math:`z^\star` and :math:`z_0 = z^\star + \mathcal N(0, I)`.
Method: **Halpern iteration** :math:`z_{k+1} = \frac1{k+2}z_0 + \frac{k+1}{k+2}T(z_k)` with the nonexpansive
:math:`T = I - \frac2L F`.
Guarantee (**bound**, every iterate, last iterate): :math:`\|F(z_k)\| \le L\|z_0 - z^\star\|/(k+1)`.

Provenance: Lieder (2021), Theorem 2.1, states :math:`\frac12\|z_k - Tz_k\| \le \|z_0 - z^\star\|/(k+1)` for
nonexpansive :math:`T` (checked against the research notes' source; the article was not re-read here);
with :math:`z - Tz = \frac2L F(z)` that is the bound above (derived). It holds for every :math:`k`, so it is
checked at every recorded iterate of every instance, up to round-off (``rtol = 1e-9``), for
:math:`k \le 10^4`, in dimension 5 and 20.

Found while setting this up: on these linear operators the ratio to the bound settles between 0.47 and
0.57, not near the 1% the research notes quoted. Derived: along an eigenvalue :math:`\lambda < L` the error
tends to :math:`\frac{L}{2\lambda}(z_0 - z^\star)/(k+2)`, so that mode's residual to :math:`\frac L2\|\cdot\|/(k+2)`; the
mode at :math:`\lambda = L` (:math:`T = -I` there) alternates between the bound and 0, as on the extremal instance.
Random instances in dimension 5 reach 0.91 of the bound after the start.

Worst case over the class (PEP): the bound is certified over every :math:`1/L`-cocoercive operator (not only
linear ones) for :math:`N \in \{1, 2, 4, 8\}` and is tight there; the half-constant control is refuted by PEPit's
worst-case operator at every :math:`N`.
"""
from problems.monotone_inclusion import cocoercive_linear, halpern, monotone_linear
from problems.pep import halpern_pep
from theory.claim import Ablation, Bound, Claim, Interval, Search, WorstCase, control
from theory.papers import LIEDER
from theory.symbols import L, dist0, t

CLAIM = Claim(
    id="monotone-inclusion/lieder-halpern-residual-bound",
    title="Halpern iteration: ||F(z_k)|| <= L ||z_0 - z*|| / (k + 1) for 1/L-cocoercive F",
    family="halpern",
    citation=LIEDER,
    statement=r"\|F(z_k)\| \le \frac{L\|z_0 - z^\star\|}{k+1}",
    assumptions=("cocoercive",),
    problem=cocoercive_linear,
    problem_params={"n_components": 1, "spread": 0.0},
    grid={"dim": [5, 20], "lowest": [0.01, 1.0]},
    method=halpern,
    method_params={"n_iter": 10_000, "metric": "residual", "n_checkpoints": 120},
    measured="||F(z_k)||",
    claimed=L * dist0 / (t + 1),
    test=Bound(side="upper", rtol=1e-9),
    seeds=8,
    # over every 1/L-cocoercive operator, not only the linear ones drawn here
    worst_case=WorstCase(pep=halpern_pep, params={"L": 1.0}, constants={"L": 1.0, "dist0": 1.0}),
    search=Search(space={"dim": Interval(1, 30, integer=True), "lowest": Interval(1e-4, 1.0, log=True)},
                  examples=40, polish=20,
                  # without cocoercivity: monotone operators with a skew part (L = ||A||), on which
                  # T = I - (2/L) F is no longer nonexpansive
                  ablations={"cocoercive": Ablation(
                      problem=monotone_linear, problem_params={"n_components": 1, "spread": 0.0},
                      space={"dim": Interval(2, 30, integer=True), "skew": Interval(1e-3, 1.0, log=True),
                             "psd_scale": Interval(1e-2, 1.0, log=True)})}),
)

CLAIMS = [control(
    CLAIM, suffix="half-constant",
    why="The same bound with half the constant, L ||z_0 - z*|| / (2(k+1)). The ratio to the true bound exceeds "
        "1/2 on these instances in the first iterations (at k = 0 it is ||A e_0|| / (L ||e_0||)).",
    claimed=L * dist0 / (2 * (t + 1)),
)]
