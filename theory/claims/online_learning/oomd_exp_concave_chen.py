r"""Chen et al.: on exp-concave smooth losses optimistic OMD (an optimistic online Newton step) has expected regret
:math:`O(d\log(\sigma^2_{1:T} + \Sigma^2_{1:T}))`: logarithmic in :math:`T` with noise, bounded without.

Problem: the log loss of a constantly rebalanced portfolio, :math:`f_t(x) = -\log\langle r_t, x\rangle` on the simplex of
:math:`\mathbb R^d`, :math:`d \in \{3, 6\}`, price relatives :math:`r_t = \mathbf 1 + 0.1\,c + \varepsilon_t`
(fixed adversary :math:`c`, so :math:`\Sigma^2_{1:T} = 0`), :math:`\varepsilon_t` uniform with
:math:`\mathbb E\|\varepsilon_t\|^2 = \sigma^2`, :math:`\sigma \in \{0, 0.3\}`; prices stay in :math:`[p, P] \subset [0.5, 1.5]`.
Method: **optimistic online Newton step** (``online_newton_step(optimistic=True)``, hint :math:`M_t = g_{t-1}`,
:math:`A_t = \varepsilon I + \sum_{s\le t} g_sg_s^\top`, exact generalised projections), 16 replicas per seed,
8 seeds, :math:`T \le 3\cdot10^4`.
Claim (**rate**): regret :math:`= \Theta\big(d\log(1 + \sigma^2T/(d\varepsilon))\big) + O(1)`: after dividing the claimed
expression (which is the constant 1 when :math:`\sigma = 0`) the exponent in :math:`T` is 0 (two-sided, tolerance 0.1,
fitted from :math:`T = 300`).

Provenance. The order is the abstract's (checked, journal version); the algorithm's exact parameters in the paper
were not retrieved, so the package's optimistic ONS stands in for it. Its two parameters are derived here:

* :math:`\gamma`: ONS needs :math:`f(x) \ge f(y) + \nabla f(y)^\top(x - y) + \frac\gamma2(\nabla f(y)^\top(x - y))^2` on the
  domain. For the log loss :math:`f(x) - f(y) = -\log(1 + u)` with :math:`u = -\nabla f(y)^\top(x - y) =
  \langle r, x - y\rangle/\langle r, y\rangle \le C = P/p - 1`, and :math:`(u - \log(1 + u))/(u^2/2)` decreases in :math:`u`,
  so :math:`\gamma = 2(C - \log(1 + C))/C^2` is the largest valid value (0.5 to 0.6 here). Hazan et al.'s generic
  :math:`\frac12\min(1/(4GD), \alpha)` is 20 times smaller and leaves :math:`\varepsilon = 1/(\gamma D)^2 \approx 740` in
  charge of the step until :math:`t \approx 2\cdot 10^4`, so a first run with it showed a regret still growing as
  :math:`T^{0.6}` at :math:`T = 10^5` (the pre-asymptotic phase, not the claim's regime).
* The scale inside the logarithm: ONS's analysis bounds the regret by
  :math:`\frac1{2\gamma}\log\det(A_T/\varepsilon) = \frac1{2\gamma}\sum_i\log(1 + \lambda_i/\varepsilon)` with
  :math:`\lambda_i` the eigenvalues of :math:`\sum_t g_tg_t^\top`; in the :math:`d` directions the noise drives they grow as
  :math:`T\sigma^2/d` (:math:`g_t = -r_t/\langle r_t, x_t\rangle` and :math:`\langle r_t, x_t\rangle \approx 1`), which gives
  :math:`d\log(1 + \sigma^2T/(d\varepsilon))`, the bound's :math:`d\log\sigma^2_{1:T}` with its scale. :math:`\varepsilon = 1`.
  The SEA constant ``sigma_sq`` of the instance is a loose Lipschitz upper bound (30 times :math:`\sigma^2`), not the
  scale of this logarithm, so it is not used.

Why the control is the convex rate and not "O(1) regret with noise": over :math:`T \le 3\cdot10^4` a power fit cannot
separate :math:`\log T` from a constant (its local exponent :math:`1/\ln T` is the size of the tolerance); the convex
rate :math:`\sqrt{\sigma^2T}` is what exp-concavity must beat.
"""
import sympy

from problems.online_learning import online_newton_step, portfolio_sea
from theory.claim import Claim, Rate, control
from theory.papers import CHEN_ET_AL_OOMD
from theory.symbols import symbol, t

noise_sq, dim = symbol("noise_sq"), symbol("dim")
price_min, price_max = symbol("price_min"), symbol("price_max")
EPSILON = 1.0
C = price_max / price_min - 1
GAMMA = 2 * (C - sympy.log(1 + C)) / C**2  # the exp-concavity constant of the log loss on this price box

CLAIM = Claim(
    id="online-learning/chen-oomd-exp-concave-log-regret",
    title="Optimistic ONS, exp-concave losses (SEA): regret O(d log(sigma^2_1:T + Sigma^2_1:T)), bounded without noise",
    family="online-learning",
    citation=CHEN_ET_AL_OOMD,
    statement=r"\mathbb E[\mathrm{Reg}_T] = O\big(d\log(\sigma^2_{1:T} + \Sigma^2_{1:T})\big)",
    assumptions=(),
    problem=portfolio_sea,
    problem_params={"horizon": 30_000, "regime": "fixed", "spread": 0.1},
    grid={"dim": [3, 6], "sigma": [0.0, 0.3]},
    method=online_newton_step,
    method_params={"optimistic": True, "gamma": GAMMA, "epsilon": EPSILON, "replicas": 16, "n_checkpoints": 30},
    measured="regret vs best fixed portfolio",
    claimed=dim * sympy.log(1 + noise_sq * t / (dim * EPSILON)) + 1,
    test=Rate(tolerance=0.1, burn_in=300),
    seeds=8,
    quick={"problem_params": {"horizon": 10_000}, "grid": {"dim": [3], "sigma": [0.0, 0.3]},
           "method_params": {"replicas": 8}},
)

CLAIMS = [control(
    CLAIM, suffix="convex-rate",
    why="Exp-concavity buys nothing: regret Theta(sqrt(sigma^2 T)), the convex rate, against the measured "
        "logarithmic growth.",
    grid={"dim": [3, 6], "sigma": [0.3]}, quick={**CLAIM.quick, "grid": {"dim": [3], "sigma": [0.3]}},
    claimed=sympy.sqrt(noise_sq * t) + 1,
)]
