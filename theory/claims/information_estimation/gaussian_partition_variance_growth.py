r"""On Gaussian pairs the optimal-critic partition-function estimate has :math:`1 + n\,\mathrm{Var} = e^{2I}`
exactly: its variance grows like :math:`e^{2I}`, with twice the log-slope of Song & Ermon's lower bound.

Problem: :math:`d` independent standard Gaussian pairs of correlation :math:`\rho = 0.05`, :math:`I = d\,I_1`,
:math:`I_1 = -\frac12\log(1 - \rho^2)`; swept over :math:`d = 200, 400, \dots, 3200`, i.e. :math:`I \in [0.25, 4]` nats.
Method: :math:`1 + n\,\mathrm{Var}[\hat Z_n] = \mathbb E_Q[r^2]` for the estimate :math:`\hat Z_n = \mathbb E_{Q_n} r` with
the true density ratio (:math:`n\,\mathrm{Var}[\hat Z_n] = \mathrm{Var}_Q[r]` for every :math:`n`), measured by the change
of measure :math:`\mathbb E_Q[r^2] = \mathbb E_P[r]`: one plus the mean of :math:`r - 1` over samples of the joint
:math:`P` (unbiased for the same quantity).
Claim (**rate**, growth in :math:`d`, two-sided): :math:`1 + n\,\mathrm{Var}[\hat Z_n] = e^{2I_1 d}`, the factor
:math:`e^{2I_1}` per pair.

Provenance: [derived here] :math:`\mathrm{Var}_Q[r] = (1-\rho^2)^{-d} - 1 = e^{2I} - 1` (chi-square moment generating
function, ``problems.mutual_information``). Song & Ermon's Theorem 2 (as recalled) gives :math:`e^{I} - 1` as a
lower bound only (``song_ermon_variance_lower_bound``); the Gaussian case attains the Renyi-2 divergence :math:`2I`
in place of :math:`I`. Why the change of measure: the direct estimate (mean of :math:`(r-1)^2` over :math:`Q`) has
per-sample relative variance :math:`\approx e^{8I}` (its fourth moment), which caps it near 1 nat at any budget
here, too short to fit a growth rate; over :math:`P` the relative variance is :math:`\approx e^{2I}` (exact value
``tilted_relative_variance``; finite for :math:`\rho < 1/2`), so :math:`N(d) = \lceil v(d)/0.1^2\rceil` samples
(:math:`3.2\cdot 10^5` at 4 nats) give 10% relative error per seed and point, chosen before any run. A 200-seed
check at :math:`I = 2, 3, 4` found spreads of 8.5-10% and medians 0.5-1.2% low (unbiased means). The fitted
curve spans :math:`2 \cdot 3.75 = 7.5` e-foldings (the default minimum 3), no burn-in (an exact identity); with
8 seeds the slope is resolved to about 1%, against the 10% band and the factor-2 margin of the control. Why
:math:`1 + n\,\mathrm{Var}` and not :math:`n\,\mathrm{Var}`: the second moment is a pure exponential, so the rate test
can tell it from a power law over the whole sweep; with :math:`n\,\mathrm{Var} = e^{2I} - 1` the polynomial control
came out inconclusive (below 1 nat, :math:`e^{2I} - 1` is close to :math:`I^{1.75}`, and the :math:`-1` bends the
exponential fit), a first design that was changed for that reason.
"""
import sympy

from problems.mutual_information import correlated_gaussians, estimator_variance
from theory import papers
from theory.claim import Claim, Rate, control
from theory.symbols import symbol, t

SONG_ERMON = papers.SONG_ERMON.at('Theorem 2 (as recalled; its Gaussian equality case derived here)')
mi_per_pair = symbol("mi_per_pair")
PAIRS = tuple(range(200, 3201, 200))

CLAIM = Claim(
    id="information-estimation/gaussian-partition-variance-growth",
    title="Gaussian pairs: 1 + n Var of the optimal-critic partition estimate = e^{2I} (log-slope 2 in I, not 1)",
    family="information-estimation",
    citation=SONG_ERMON,
    statement=r"1 + n\,\mathrm{Var}_Q\big[\mathbb E_{Q_n} r\big] = \mathbb E_Q[r^2] = e^{2I} = (1 - \rho^2)^{-d}",
    problem=correlated_gaussians,
    problem_params={"n_pairs": 80, "correlation": 0.05},
    method=estimator_variance,
    method_params={"n_pairs_values": PAIRS, "estimator": "partition", "variance_estimator": "tilted",
                   "relative_error": 0.1, "metric": "second_moment"},
    measured="1 + n Var = E_Q[r^2] (as E_P[r]; d pairs)",
    claimed=sympy.exp(2 * mi_per_pair * t),
    test=Rate(tolerance=0.1),
    seeds=8,
    quick={"method_params": {"n_pairs_values": tuple(range(200, 3201, 400)), "relative_error": 0.2}},
)

CLAIMS = [
    control(CLAIM, suffix="kl-exponent",
            why="The lower bound's exponent read as the growth: 1 + n Var = e^I (log-slope 1 in I). The measured "
                "slope is twice that, far outside the 10% band.",
            claimed=sympy.exp(mi_per_pair * t)),
    control(CLAIM, suffix="polynomial",
            why="Polynomial growth, 1 + n Var = O(I^2) (exponent 2 in d at fixed rho): the measured curve is a "
                "linear rate in d, faster than every power law (its log-log slope 2I runs from 0.5 to 8 over the "
                "sweep).",
            claimed=t**2),
]
