r"""Advani & Saxe: without regularisation, the test error after long training peaks where the number of
samples equals the number of parameters, :math:`N/P = 1`.

Problem: a linear teacher and a linear student with :math:`P = 100` weights, :math:`y = X\bar w +
\varepsilon`, rows :math:`x \sim \mathcal N(0, I_P/P)`, :math:`\sigma_{\bar w} = 1`,
:math:`\sigma_\varepsilon = 1` (SNR 1), initial weights :math:`\sigma_0 = 0.5`; 200 samples drawn, of which
the first :math:`N` are used (nested training sets).
Method: the **late-time limit of gradient descent / gradient flow** on :math:`\frac12\|y - X_Nw\|^2`,
:math:`w_\infty = P_{\ker X_N}w_0 + X_N^+y`, its test error averaged exactly over :math:`w_0, \bar w,
\varepsilon` given :math:`X_N`: :math:`E_g(\infty\mid X_N) = \sigma_\varepsilon^2(1 + \operatorname{tr}
(X_N^\top X_N)^+/P) + (P - N)^+(\sigma_0^2 + \sigma_{\bar w}^2)/P` (one symmetric eigensolve, no
simulation; the limit cannot be reached by iterating near :math:`N = P`, where the condition number
grows like :math:`P^2`).
Claim (**threshold**): the peak of :math:`N \mapsto E_g(\infty \mid X_N)` sits at :math:`N = P`,
located per seed by bisection over integers :math:`N \in [P/2, 3P/2]` on the sign of
:math:`E_g(\infty\mid X_{N+1}) - E_g(\infty\mid X_N)`, down to consecutive integers; rtol 2%.

Provenance: the abstract (as retrieved): "Overtraining is worst at intermediate network sizes, when the
effective number of free parameters equals the number of samples". The formula and the location are
derived here (``problems.wide_networks.linear_student``): for :math:`N \ge P` a new row strictly lowers
:math:`\operatorname{tr}(X^\top X)^{-1}` (Sherman-Morrison) and the frozen term is 0; for :math:`N < P` the
bordered-inverse identity raises :math:`\operatorname{tr}(XX^\top)^{-1}` by :math:`(1 + \|G^{-1}b\|^2)/s`,
about :math:`1/(1-\alpha)^2` (4 at :math:`\alpha = 1/2`, growing to order :math:`P` at :math:`N = P - 1`),
while the frozen term falls by :math:`(\sigma_0^2 + \sigma_{\bar w}^2)/P = 1.25/P`: with SNR 1 the error
rises over the whole lower half of the bracket (asymptotically wherever :math:`\alpha > 1 - \sigma_\varepsilon
/(\sigma_0^2 + \sigma_{\bar w}^2)^{1/2} = 0.11`), so the bisection's monotonicity holds and the located
bracket should be :math:`(P - 1, P)` on every instance. Why the late-time error rather than the
overtraining :math:`E_g(\infty) - \min_t E_g(t)`: the early-stopped minimum is smooth in :math:`N`, so both
peak together (at :math:`P = 200`, sweeping :math:`N = 150, 155, \dots, 255` on three instances, the
overtraining peaks at :math:`N = 200 = P` as well), and the late-time error's monotonicity on each side
is proved above. The mean over :math:`X` is infinite at :math:`N \in \{P-1, P, P+1\}` (inverse-Wishart
moments): the finite-:math:`P` form of the divergence at :math:`\alpha = 1`. The computation is exact (no
Monte Carlo), so each bracket is exact; 8 seeds (fresh designs); quick profile :math:`P = 40`.
"""
from problems.wide_networks import late_time_error, linear_teacher_student
from theory import papers
from theory.claim import Claim, Threshold, control
from theory.symbols import symbol
from verifiers.statistics import final_value

n_params = symbol("n_params")

ADVANI_SAXE = papers.ADVANI_SAXE.at('abstract (overtraining is worst when the number of parameters equals the number of samples)')


def past_the_peak(trace) -> bool:
    """One more sample lowers the late-time error (the trace's metric is that increment)."""
    return final_value(trace) < 0


PEAK = Threshold(parameter="n_samples", bracket=(n_params / 2, 3 * n_params / 2), failure=past_the_peak,
                 integer=True, horizon=None, rtol=0.02)

CLAIM = Claim(
    id="wide-networks/advani-saxe-late-time-peak",
    title="Linear student, no regularisation: the late-time test error peaks at N = P samples",
    family="wide-networks",
    citation=ADVANI_SAXE,
    statement=r"\arg\max_N E_g(\infty \mid X_N) = P \quad (\alpha = N/P = 1)",
    problem=linear_teacher_student,
    problem_params={"n_params": 100, "n_samples": 200, "noise": 1.0, "teacher_scale": 1.0, "init_scale": 0.5},
    method=late_time_error,
    method_params={"metric": "increment"},
    measured="N at which one more sample first lowers E_g(infinity | X_N)",
    claimed=n_params,
    test=PEAK,
    seeds=8,
    quick={"problem_params": {"n_params": 40, "n_samples": 80}},
)

CLAIMS = [control(
    CLAIM, suffix="peak-at-2p",
    why="The peak at N/P = 2 (the planted-false statement of the research notes): the located bracket "
        "(P - 1, P) is far below 2P.",
    claimed=2 * n_params,
    test=Threshold(parameter="n_samples", bracket=(n_params / 2, 3 * n_params / 2), failure=past_the_peak,
                   integer=True, horizon=None, rtol=0.02),
)]
