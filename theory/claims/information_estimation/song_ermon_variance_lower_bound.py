r"""Song & Ermon: with the optimal critic, the partition-function estimate behind MINE and NWJ has
:math:`n\,\mathrm{Var}_Q[\mathbb E_{Q_n} r] \ge e^{I} - 1`: its variance grows exponentially with the information.

Problem: :math:`d` independent standard Gaussian pairs :math:`(X_j, Y_j)` of correlation :math:`\rho = 0.05`,
:math:`I = -\frac d2\log(1 - \rho^2)`; swept over :math:`d \in [80, 800]`, i.e. :math:`I \in [0.1, 1.0]` nats.
Method: the estimate :math:`\hat Z_n = \frac1n\sum_i r(x_i, y_i)` over samples of :math:`Q = P_X\otimes P_Y`
with the true density ratio :math:`r = dP/dQ` (the optimal critic); :math:`n\,\mathrm{Var}[\hat Z_n]` is
estimated per seed as :math:`\frac1N\sum_i (r_i - 1)^2` (exact mean :math:`\mathbb E_Q r = 1`), the same sum as
the replicated variance of :math:`N/n` estimates of size :math:`n`. Grid: this estimate alone (``partition``, the
MINE / Donsker-Varadhan denominator) and NWJ with the optimal critic :math:`T = 1 + \log r`,
:math:`\hat I = 1 + \mathbb E_{P_n}\log r - \hat Z_n` (``nwj``;
:math:`n\,\mathrm{Var} = \mathrm{Var}_P[\log r] + \mathrm{Var}_Q[r]` with independent :math:`P` and :math:`Q` samples).
Claim (**lower bound**, in expectation, every :math:`d`): :math:`n\,\mathrm{Var} \ge e^{I} - 1`.

Provenance: the abstract (checked: "the variance of certain estimators, such as MINE, could grow exponentially with
the ground truth MI"); the statement of Theorem 2, :math:`\mathrm{Var}_Q[\mathbb E_{Q_n}[dP/dQ]] \ge
(e^{D_{\mathrm{KL}}(P\|Q)} - 1)/n`, is [recollection] (the theorem text was not retrieved; it follows from
:math:`\log\mathbb E_Q r^2 = \log\mathbb E_P r \ge \mathbb E_P\log r = D_{\mathrm{KL}}`, Jensen). On these Gaussians
the exact value is :math:`e^{2I} - 1` [derived here, ``problems.mutual_information``]: the bound holds with room
:math:`e^{I} + 1 \in [2.1, 3.7]` for the partition estimate (more for NWJ) and is **not** attained (the reading "the
variance is exactly :math:`e^I - 1`" is the control below). Regime: :math:`\rho < 1/3` keeps :math:`\mathbb E_Q r^4`
finite, so the Monte Carlo error of a variance estimate exists; its relative variance per sample (the kurtosis,
exact here) grows like :math:`e^{8I}` (about :math:`4.3\cdot 10^{3}` at :math:`I = 1`), which caps the sweep at 1
nat. Each seed and :math:`d` gets :math:`N = \lceil \text{kurtosis}/0.1^2\rceil` samples (10% relative error per
seed; :math:`4.4\cdot 10^5` at :math:`I = 1`), decided before any run; a 300-seed check found 7-9% spread per seed
and a 2% downward median (the rare large ratios a finite sample misses), far inside the margin of the control.
The worst-case search over correlations 0.005-0.05 and both estimators finds the smallest ratio, 1.95, at
:math:`\rho = 0.005` with the partition estimate (:math:`I = 0.01` nat; the exact :math:`e^I + 1` tends to 2, so the
bound is never attained here); the control fails on its first draw (2.03).
"""
import sympy

from problems.mutual_information import correlated_gaussians, estimator_variance
from theory import papers
from theory.claim import Bound, Claim, Interval, Search, control
from theory.symbols import symbol, t

SONG_ERMON = papers.SONG_ERMON.at('Theorem 2 (as recalled); abstract')
mi_per_pair = symbol("mi_per_pair")
PAIRS = (80, 160, 240, 320, 400, 480, 560, 640, 720, 800)

CLAIM = Claim(
    id="information-estimation/song-ermon-partition-variance-lower-bound",
    title="Optimal-critic partition-function estimate: n Var >= e^I - 1 (exponential in the MI)",
    family="information-estimation",
    citation=SONG_ERMON,
    statement=r"n\,\mathrm{Var}_Q\big[\mathbb E_{Q_n} r\big] \ge e^{I(X;Y)} - 1",
    problem=correlated_gaussians,
    problem_params={"n_pairs": 80, "correlation": 0.05},
    method=estimator_variance,
    grid={"estimator": ["partition", "nwj"]},
    method_params={"n_pairs_values": PAIRS, "relative_error": 0.1},
    measured="n Var of the estimate (d pairs, I = d mi_per_pair)",
    claimed=sympy.exp(mi_per_pair * t) - 1,
    test=Bound(side="lower", statistic="mean", rtol=0.0),
    seeds=8,
    quick={"method_params": {"n_pairs_values": (80, 320, 560, 800), "relative_error": 0.2}},
    # correlations up to the claim's 0.05 (I <= 1 nat at d = 800, where the kurtosis caps the sweep) and down to
    # 0.005 (I <= 0.01 nat), where the exact ratio e^I + 1 is smallest; both estimators
    search=Search(space={"correlation": Interval(0.005, 0.05, log=True), "estimator": ["partition", "nwj"]},
                  examples=10, polish=4, quick_examples=2),
)

CLAIMS = [control(
    CLAIM, suffix="attained",
    why="The bound attained, n Var = e^I - 1 exactly (the reading 'the variance of the single-sample estimator is "
        "e^I - 1'): on Gaussian pairs n Var = e^{2I} - 1, e^I + 1 = 2.1 to 3.7 times the bound, against a 10% band "
        "and a seed interval of a few per cent.",
    test=Bound(side="tight", statistic="mean", rtol=0.1),
)]
