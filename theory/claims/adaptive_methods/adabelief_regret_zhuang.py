r"""Zhuang et al.: AdaBelief has :math:`O(\sqrt{T\log T})` regret in online convex optimisation, checked on Reddi et
al.'s sequence inside the theorem's hypotheses (which require :math:`s_t` non-decreasing).

Problem: Reddi et al.'s Theorem-1 sequence on :math:`[-1, 1]`: :math:`f_t(x) = 3x` for :math:`t \equiv 1 \pmod 3`,
else :math:`-x`; start :math:`x_1 \sim U[-1, 1]` per seed, :math:`T = 10^6`.
Method: **AdaBelief** :math:`s_t = \beta_2 s_{t-1} + (1-\beta_2)(g_t - m_t)^2 + \epsilon` with
:math:`\hat s_t = \max(\hat s_{t-1}, s_t)`, projected (clipping), :math:`\alpha_t = 0.5/\sqrt t`,
:math:`\beta_2 = 0.1`, :math:`\epsilon = 10^{-8}`, :math:`\beta_{1,t} = \beta_1 0.99^{t-1}` with
:math:`\beta_1 \in \{0.3, 0.9\}`.
Claim (**rate**, :math:`O`): :math:`\mathrm{Reg}_T = O(\sqrt{T(1 + \log T)})`, exponent after dividing
:math:`\sqrt{1 + \log T}` at most :math:`1/2 + 0.1`.

Provenance: Theorem 2.1 and Corollary 2.1.1 (convex case), as recalled (the paper's statement could not be
retrieved here): :math:`0 \le \beta_2 < 1`, :math:`\alpha_t = \alpha/\sqrt t`, :math:`0 \le \beta_{1,t} \le
\beta_1 < 1`, **:math:`s_t \le s_{t+1}`**, a convex feasible set of diameter :math:`D_\infty`,
:math:`\|g_t\|_\infty \le G_\infty/2`, :math:`s_{t,i} \ge c > 0`; the bound has the terms
:math:`\frac{D_\infty^2\sqrt T}{2\alpha(1-\beta_1)}\sum_i s_{T,i}^{1/2}` and
:math:`\frac{(1+\beta_1)\alpha\sqrt{1+\log T}}{2\sqrt c(1-\beta_1)^3}\sum_i\|g_{1:T,i}^2\|_2` (order
:math:`\sqrt{T(1+\log T)}`), plus a constant when :math:`\beta_{1,t} = \beta_1\lambda^t`.
Where the hypotheses exclude the counterexample: without the max, AdaBelief's :math:`s_t` is not monotone on this
sequence and its regret is linear, but outside the theorem both times [measured while building the package]: with
:math:`\beta_{1,t} = 0.3\cdot0.99^{t-1}`, :math:`s_t` decreases 987 times while :math:`\beta_{1,t}` decays, then
collapses to :math:`\epsilon/(1-\beta_2) \approx 1.1\cdot10^{-8}` (:math:`m_t = g_t`), so :math:`c \approx 10^{-8}`
(average regret 1.333 at :math:`T = 10^6`); with :math:`\beta_1` held at 0.3, :math:`s_t` falls after every large
gradient (:math:`6.7\cdot10^5` decreases in :math:`10^6` rounds) and :math:`x_t \to +1` (average regret 0.668; the
corollary's decay of :math:`\beta_{1,t}` fails too). Neither is tested as a claim. The hypothesis holds by
construction with the max (the official code's ``amsgrad`` option), which is what is run. The constant :math:`c`
matters for an asymptotic claim tested at finite :math:`T`: with :math:`\beta_1 = 0`, :math:`m_t = g_t` and
:math:`s_t \approx \epsilon`, so :math:`c \approx 10^{-8}` and the bound exceeds :math:`T` for every :math:`T` one
can run (the measured linear regret, average 1.333, refutes nothing); hence :math:`\beta_1 \ge 0.3`, where
:math:`c = \min_t\hat s_t = (1-\beta_2)(\beta_1 g_1)^2 \ge 0.73` (``info["denominator_min"]``).
Window from :math:`T = 10^4`, as for diffGrad and AMSGrad on the same sequence.
"""
import sympy

from problems.adaptive_methods import adabelief, reddi_periodic
from theory.claim import Citation, Claim, Rate, control
from theory.symbols import symbol, t

C = symbol("big_gradient")

ZHUANG = Citation(
    authors="J. Zhuang, T. Tang, Y. Ding, S. Tatikonda, N. Dvornek, X. Papademetris and J. S. Duncan", year=2020,
    title="AdaBelief Optimizer: Adapting Stepsizes by the Belief in Observed Gradients",
    venue="NeurIPS (arXiv:2010.07468)", locator="Theorem 2.1 and Corollary 2.1.1 (convex case), as recalled",
    url="https://arxiv.org/abs/2010.07468")

CLAIM = Claim(
    id="adaptive-methods/zhuang-adabelief-regret",
    title="AdaBelief (s_t non-decreasing, as the theorem assumes) has O(sqrt(T log T)) regret on Reddi's sequence",
    family="adaptive-methods",
    citation=ZHUANG,
    statement=r"s_t \le s_{t+1},\ s_t \ge c > 0 \implies \sum_{t\le T} f_t(x_t) - \min_{x}\sum_{t\le T} f_t(x) "
              r"= O(\sqrt{T(1 + \log T)})",
    problem=reddi_periodic,
    problem_params={"big_gradient": 3.0, "period": 3, "horizon": 1_000_000},
    grid={"beta1": [0.3, 0.9]},
    method=adabelief,
    method_params={"step_size": 0.5, "beta1_decay": 0.99, "beta2": 1 / (1 + C**2), "eps": 1e-8,
                   "max_belief": True, "metric": "regret", "n_checkpoints": 40},
    measured="regret vs best fixed point",
    claimed=sympy.sqrt(t * (1 + sympy.log(t))),
    test=Rate(side="upper", tolerance=0.1, burn_in=10_000),
    seeds=8,
    quick={"problem_params": {"horizon": 200_000}},
)

CLAIMS = [control(
    CLAIM, suffix="bounded-regret",
    why="Bounded regret, O(1), i.e. an average regret decaying as 1/T: like AMSGrad, AdaBelief with the max "
        "oscillates at -1 with an amplitude of order alpha_t, which costs of the order of sqrt(T).",
    claimed=sympy.Integer(1),
)]
