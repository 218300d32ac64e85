r"""Loss sequences for online convex optimisation in the stochastically extended adversarial
(SEA) model, carrying their exact SEA quantities.

SEA model (Sachs et al. 2022, as used by Chen, Zhang, Tu, Zhao & Zhang [1]): at round
:math:`t` an adversary picks a distribution :math:`\mathcal D_t`, the learner plays
:math:`x_t \in \mathcal K`, then :math:`f_t \sim \mathcal D_t` is revealed. With
:math:`F_t = \mathbb E f_t`,

.. math::

    \sigma_t^2 = \mathbb E\sup_{x\in\mathcal K}\|\nabla f_t(x) - \nabla F_t(x)\|^2, \qquad
    \sigma^2_{1:T} = \sum_{t=1}^T \sigma_t^2, \qquad
    \Sigma^2_{1:T} = \sum_{t=2}^T \sup_{x\in\mathcal K}\|\nabla F_t(x) - \nabla F_{t-1}(x)\|^2 .

Convention here [choice]: :math:`\Sigma^2_{1:T}` starts at :math:`t = 2` (no
:math:`F_0`); the adversary is oblivious (its sequence is stored in the instance), so the
outer expectation in :math:`\Sigma^2` is trivial.

Every instance stores the adversary's sequence ``data["centers"]`` (shape ``(T, d)``):
:math:`c_t` for linear and quadratic losses, the mean price relatives for the portfolio.
The noise of round :math:`t` is **not** stored: the methods draw it from their own ``rng``,
one stream per replica (``methods``), so replicas are independent realisations and two
methods called with the same seed see the same noise. ``data["noise"]`` names its law
(``"gaussian"``: :math:`N(0, s^2 I_d)`, ``"uniform"``: uniform on :math:`[-s, s]^d`) and
``constants["noise_scale"]`` is :math:`s`.

``data["variation_sq_steps"]`` (shape ``(T,)``) holds
:math:`\sup_x\|\nabla F_t - \nabla F_{t-1}\|^2` for :math:`t = 2..T` (entry 0 is 0), so
:math:`\Sigma^2_{1:T'}` of a prefix is ``variation_sq_steps[:T'].sum()``.

Constants shared by all generators: ``dim``, ``horizon``, ``diameter`` :math:`D` (Euclidean
diameter of :math:`\mathcal K`: :math:`2R` for the ball of radius :math:`R` centred at 0,
:math:`\sqrt2` for the simplex), ``sigma_sq`` (per-round :math:`\sigma_t^2`, the same every
round), ``variation_sq_total`` :math:`=\Sigma^2_{1:T}` over the whole horizon,
``variation_sq`` :math:`=\Sigma^2_{1:T}/T` (per-round average; for the periodic regimes
:math:`\Sigma^2_{1:T'} \approx` ``variation_sq`` :math:`\cdot T'`, exact when :math:`T'` is a
multiple of twice the period, up to the missing :math:`t = 1` term), ``variation_sq_max``
:math:`=\max_t\sup_x\|\nabla F_t - \nabla F_{t-1}\|^2`, ``gradient_bound``
:math:`G \ge \sup_{t, x\in\mathcal K}\|\nabla F_t(x)\|_2` (noise excluded: Gaussian noise
is unbounded), ``gradient_bound_inf`` (the same in :math:`\|\cdot\|_\infty`),
``n_switches`` (rounds with :math:`c_t \ne c_{t-1}`), ``sea_exact`` (1.0 when ``sigma_sq``
and the variations are exact, 0.0 when they are upper bounds: the portfolio).

[1] S. Chen, Y.-J. Zhang, W.-W. Tu, P. Zhao, L. Zhang (2023). Optimistic Online Mirror
    Descent for Bridging Stochastic and Adversarial Online Convex Optimization. ICML 2023
    (JMLR 2024).
"""
from __future__ import annotations

import math

import numpy as np

from problems import _validate as _checks
from problems.types import Instance

REGIMES = ("fixed", "switching", "drifting", "alternating")
EXPERT_KINDS = ("random", "adversarial_alternating", "best_expert")
DOMAINS = ("ball", "simplex")


def linear_sea(rng, *, dim=5, horizon, sigma=0.0, regime="fixed", switch_period=10,
               angle=math.pi / 2, variation=1.0, radius=1.0, domain="ball") -> Instance:
    r"""Linear losses :math:`f_t(x) = \langle c_t + \xi_t, x\rangle`,
    :math:`\xi_t \sim N(0, \frac{\sigma^2}{d} I_d)`, on the ball :math:`\|x\| \le R` or the simplex.

    :math:`\nabla f_t - \nabla F_t = \xi_t` does not depend on :math:`x`, so
    :math:`\sigma_t^2 = \mathbb E\|\xi_t\|^2 = \sigma^2` exactly; :math:`\nabla F_t = c_t`,
    so :math:`\Sigma^2_{1:T} = \sum_{t\ge2}\|c_t - c_{t-1}\|^2` exactly [derived here].

    The adversary (``regime``), with :math:`u, v` orthonormal and random, every
    :math:`\|c_t\| = 1`:

    * ``"fixed"``: :math:`c_t = u` (:math:`\Sigma^2 = 0`);
    * ``"switching"``: :math:`c_t = u` or :math:`c_1' = \cos\varphi\,u + \sin\varphi\,v`
      (``angle`` :math:`\varphi \in (0, \pi)`, non-antipodal), changing every
      ``switch_period`` rounds; :math:`\Sigma^2_{1:T}` = (number of switches)
      :math:`\cdot\, 2(1 - \cos\varphi)`;
    * ``"drifting"``: :math:`c_t = \cos(\omega(t-1))u + \sin(\omega(t-1))v`, a rotation at
      constant speed whose path length :math:`\sum_{t\ge2}\|c_t - c_{t-1}\| = P`
      (``variation``, :math:`P \le 2(T-1)`): :math:`\omega = 2\arcsin(P/(2(T-1)))`, so
      :math:`\Sigma^2_{1:T} = P^2/(T-1)` and the total angle is about :math:`P` (slow drift
      for :math:`P \lesssim \pi`);
    * ``"alternating"``: :math:`c_t = (-1)^{t-1}u`, antipodal every round
      (:math:`\Sigma^2_{1:T} = 4(T-1)`). Caution: the best fixed point in hindsight then
      earns almost nothing (:math:`\sum_t c_t \in \{0, u\}`), so a learner that predicts
      the flip (hint :math:`-g_{t-1}`) earns about :math:`T` and has a hugely **negative**
      regret, on which an upper bound is vacuous; the last-gradient hint of
      ``methods.optimistic_omd`` is exactly wrong here (:math:`\|g_t - M_t\|^2 = 4`).

    Draw order: :math:`u`, then :math:`v` (both always drawn). ``constants``: see the
    module docstring, plus ``radius`` (:math:`R`; the simplex has ``radius`` 1.0 unused).
    """
    rng = _checks.generator(rng)
    d = _checks.integer("dim", dim, low=1)
    T = _checks.integer("horizon", horizon, low=1)
    s = _checks.nonnegative("sigma", sigma, fix="pass the noise level sigma >= 0")
    R = _checks.positive("radius", radius, fix="pass the radius of the ball")
    domain = _checks.one_of("domain", domain, DOMAINS)
    centers, switches = _adversary(rng, d, T, regime, switch_period, angle, variation)
    steps = _variation_steps(centers)
    diameter = 2.0 * R if domain == "ball" else math.sqrt(2.0)
    constants = {"dim": d, "horizon": T, "radius": R, "diameter": diameter, "sigma_sq": s * s,
                 "noise_scale": s / math.sqrt(d), **_variation_constants(steps, T),
                 "gradient_bound": np.max(np.linalg.norm(centers, axis=1)),
                 "gradient_bound_inf": np.max(np.abs(centers)), "n_switches": switches,
                 "sea_exact": 1.0}
    return _instance(centers, steps, "linear", domain, "gaussian", constants,
                     f"linear_sea(d={d}, T={T}, sigma={s:g}, regime={regime}, {domain})")


def quadratic_sea(rng, *, dim=5, horizon, sigma, regime="fixed", strong_convexity=1.0,
                  radius=1.0, switch_period=10, angle=math.pi / 2, variation=1.0) -> Instance:
    r"""Strongly convex losses :math:`f_t(x) = \frac\lambda2\|x - c_t - \xi_t\|^2` on the ball
    :math:`\|x\| \le R`, :math:`\xi_t \sim N(0, \frac{\sigma^2}{d}I_d)`, with the adversaries of
    :func:`linear_sea` (unit :math:`c_t`, so with :math:`R = 1` the targets lie on the sphere).

    :math:`\nabla f_t(x) = \lambda(x - c_t - \xi_t)`: the noise :math:`-\lambda\xi_t` is
    :math:`x`-independent, so :math:`\sigma_t^2 = \lambda^2\sigma^2` and
    :math:`\Sigma^2_{1:T} = \lambda^2\sum_{t\ge2}\|c_t - c_{t-1}\|^2`, both exact [derived
    here]. Each :math:`f_t` is :math:`\lambda`-strongly convex and :math:`\lambda`-smooth;
    ``gradient_bound`` :math:`= \lambda(R + \max_t\|c_t\|)` bounds :math:`\|\nabla F_t\|` on the ball.

    Draw order as :func:`linear_sea`. ``constants`` add ``strong_convexity`` :math:`\lambda`
    and ``smoothness`` :math:`\lambda`.
    """
    rng = _checks.generator(rng)
    d = _checks.integer("dim", dim, low=1)
    T = _checks.integer("horizon", horizon, low=1)
    s = _checks.nonnegative("sigma", sigma, fix="pass the noise level sigma >= 0")
    lam = _checks.positive("strong_convexity", strong_convexity, fix="pass lambda > 0")
    R = _checks.positive("radius", radius, fix="pass the radius of the ball")
    centers, switches = _adversary(rng, d, T, regime, switch_period, angle, variation)
    steps = lam**2 * _variation_steps(centers)
    G = lam * (R + np.max(np.linalg.norm(centers, axis=1)))
    constants = {"dim": d, "horizon": T, "radius": R, "diameter": 2.0 * R,
                 "sigma_sq": (lam * s) ** 2, "noise_scale": s / math.sqrt(d),
                 **_variation_constants(steps, T), "gradient_bound": G,
                 "gradient_bound_inf": G, "n_switches": switches, "strong_convexity": lam,
                 "smoothness": lam, "sea_exact": 1.0}
    return _instance(centers, steps, "quadratic", "ball", "gaussian", constants,
                     f"quadratic_sea(d={d}, T={T}, sigma={s:g}, regime={regime}, lambda={lam:g})")


def portfolio_sea(rng, *, dim=5, horizon, sigma, regime="fixed", spread=0.3,
                  switch_period=10, angle=math.pi / 2, variation=1.0) -> Instance:
    r"""Log loss of a constantly rebalanced portfolio, :math:`f_t(x) = -\log\langle r_t, x\rangle`
    on the simplex, with price relatives :math:`r_t = b_t + \varepsilon_t \in [0.5, 1.5]^d`.

    :math:`b_t = \mathbf 1 + s\,c_t` (``spread`` :math:`s`) with :math:`c_t` the unit
    adversary of :func:`linear_sea`; :math:`\varepsilon_t` uniform on :math:`[-a, a]^d`,
    :math:`a = \sigma\sqrt{3/d}`, so :math:`\mathbb E\|r_t - b_t\|^2 = \sigma^2` (``noise_sq``,
    exact). Requires :math:`s + a \le 0.5`. Each :math:`f_t` is 1-exp-concave
    (:math:`e^{-f_t} = \langle r_t, x\rangle` is linear).

    The SEA quantities are **upper bounds, not exact** (``sea_exact`` = 0.0) [derived here]:
    with :math:`p = \min_{t,i} b_{t,i} - a` and :math:`P = \max_{t,i} b_{t,i} + a`
    (``price_min``, ``price_max``, bounds on every realisable price), the gradient map
    :math:`r \mapsto -r/\langle r, x\rangle` has Jacobian
    :math:`-(I/\langle r,x\rangle - r x^\top/\langle r,x\rangle^2)`, of norm at most
    :math:`\ell = 1/p + \sqrt d P/p^2` (``lipschitz_price``) on the price box, for every
    :math:`x` in the simplex. Hence

    * :math:`\sigma_t^2 \le \mathbb E\big(\ell\|\varepsilon_t\| + \ell\,\mathbb E\|\varepsilon_t\|\big)^2
      \le 4\ell^2\sigma^2` (``sigma_sq``);
    * :math:`\sup_x\|\nabla F_t - \nabla F_{t-1}\| \le \ell\, s\|c_t - c_{t-1}\|` (coupling
      both rounds through the same :math:`\varepsilon`), so ``variation_sq_steps`` holds
      :math:`\ell^2 s^2\|c_t - c_{t-1}\|^2`; it is exactly 0 for ``"fixed"``;
    * ``gradient_bound`` :math:`= \sqrt d\,P/p \ge \|\nabla f_t(x)\|` for every realisation.

    Draw order: :math:`u, v` as :func:`linear_sea`. ``constants`` add ``noise_sq``,
    ``spread``, ``price_min``, ``price_max``, ``lipschitz_price``, ``exp_concavity`` (1.0).
    """
    rng = _checks.generator(rng)
    d = _checks.integer("dim", dim, low=1)
    T = _checks.integer("horizon", horizon, low=1)
    s = _checks.nonnegative("sigma", sigma, fix="pass the noise level sigma >= 0")
    spread = _checks.nonnegative("spread", spread, fix="pass the size of the mean-price moves")
    a = s * math.sqrt(3.0 / d)
    if spread + a > 0.5:
        raise ValueError(f"spread + sigma*sqrt(3/dim) must be at most 0.5 (prices in [0.5, 1.5]), "
                         f"got spread={spread!r}, sigma={sigma!r} (noise half-width {a:.4g}); "
                         "pass a smaller sigma or spread")
    unit, switches = _adversary(rng, d, T, regime, switch_period, angle, variation)
    centers = 1.0 + spread * unit
    p, P = float(centers.min() - a), float(centers.max() + a)
    ell = 1.0 / p + math.sqrt(d) * P / p**2
    steps = ell**2 * _variation_steps(centers)
    constants = {"dim": d, "horizon": T, "diameter": math.sqrt(2.0),
                 "sigma_sq": 4.0 * ell**2 * s * s, "noise_sq": s * s, "noise_scale": a,
                 **_variation_constants(steps, T), "gradient_bound": math.sqrt(d) * P / p,
                 "gradient_bound_inf": P / p, "n_switches": switches, "spread": spread,
                 "price_min": p, "price_max": P, "lipschitz_price": ell, "exp_concavity": 1.0,
                 "sea_exact": 0.0}
    return _instance(centers, steps, "log", "simplex", "uniform", constants,
                     f"portfolio_sea(d={d}, T={T}, sigma={s:g}, regime={regime})")


def expert_losses(rng, *, n_experts, horizon, kind="random", gap=0.1) -> Instance:
    r"""Losses :math:`\ell_t \in [0, 1]^d` of :math:`d` experts (linear losses on the simplex,
    no noise): the textbook setting of Hedge.

    * ``"random"``: i.i.d. Bernoulli(1/2) entries. Every learner has expected loss
      :math:`T/2`, so Hedge's expected regret is :math:`\mathbb E\max_i(T/2 - L_{T,i})
      \approx \frac{\sqrt T}{2}\mathbb E\max_{i\le d}Z_i` whatever its step; against the
      anchor :math:`G\sqrt{2T\ln d}` (:math:`G = 1`) the ratio tends to
      :math:`\mathbb E\max Z_i / (2\sqrt{2\ln d}) < 1/2` [derived here].
    * ``"adversarial_alternating"``: experts 0 and 1 get :math:`(\frac12, 0)` at
      :math:`t = 1`, then :math:`(0, 1), (1, 0), \dots` alternately; the others get 1 every
      round. Hedge with a constant step :math:`\eta` always puts weight
      :math:`1/(1 + e^{-\eta/2})` on the expert about to lose (up to the vanishing weight
      of the others), so its regret grows like :math:`(\frac{1}{1+e^{-\eta/2}} - \frac12)T
      \approx \eta T/8` [derived here]: linear in :math:`T` at fixed :math:`\eta`, so the
      :math:`\frac\eta2\sum_t\|\ell_t\|_\infty^2` term of the bound cannot be dropped.
    * ``"best_expert"``: expert 0 is Bernoulli(:math:`\frac12 -` ``gap``), the others
      Bernoulli(1/2): a stochastic instance with a unique best expert.

    Draw order: the ``(T, d)`` uniforms behind the Bernoulli entries (none for
    ``"adversarial_alternating"``). ``constants``: as the module docstring (``sigma_sq`` = 0,
    the variations are those of :math:`\ell_t` itself), plus ``hedge_tuned_step``
    :math:`\sqrt{2\ln d}/(G_\infty\sqrt T)` and ``hedge_tuned_bound``
    :math:`G_\infty\sqrt{2T\ln d}` with :math:`G_\infty = \max_t\|\ell_t\|_\infty`.
    """
    rng = _checks.generator(rng)
    d = _checks.integer("n_experts", n_experts, low=2, fix="Hedge needs at least 2 experts")
    T = _checks.integer("horizon", horizon, low=1)
    kind = _checks.one_of("kind", kind, EXPERT_KINDS)
    g = _checks.real("gap", gap, low=0.0, high=0.5, fix="pass a gap in [0, 0.5]")
    if kind == "adversarial_alternating":
        losses = np.ones((T, d))
        turn = np.arange(T) % 2  # 0 at t = 1, 3, 5, ...: expert 0 loses at t = 3, 5, ...
        losses[:, 0], losses[:, 1] = turn == 0, turn == 1
        losses[0, 0], losses[0, 1] = 0.5, 0.0
    else:
        u = rng.random((T, d))
        p = np.full(d, 0.5)
        if kind == "best_expert":
            p[0] = 0.5 - g
        losses = (u < p).astype(np.float64)
    steps = _variation_steps(losses)
    G_inf = max(float(np.max(np.abs(losses))), 1e-300)
    constants = {"dim": d, "horizon": T, "diameter": math.sqrt(2.0), "sigma_sq": 0.0,
                 "noise_scale": 0.0, **_variation_constants(steps, T),
                 "gradient_bound": np.max(np.linalg.norm(losses, axis=1)),
                 "gradient_bound_inf": G_inf, "n_switches": int(np.count_nonzero(steps)),
                 "hedge_tuned_step": math.sqrt(2.0 * math.log(d)) / (G_inf * math.sqrt(T)),
                 "hedge_tuned_bound": G_inf * math.sqrt(2.0 * T * math.log(d)),
                 "sea_exact": 1.0}
    return _instance(losses, steps, "linear", "simplex", "gaussian", constants,
                     f"expert_losses(d={d}, T={T}, kind={kind})")


def _adversary(rng, d, T, regime, switch_period, angle, variation):
    """Unit vectors ``c_t`` (T, d) for ``regime`` and the number of switches."""
    regime = _checks.one_of("regime", regime, REGIMES)
    u = rng.standard_normal(d)
    u /= np.linalg.norm(u)
    v = rng.standard_normal(d)
    if regime in ("switching", "drifting"):
        if d < 2:
            raise ValueError(f"regime {regime!r} needs dim >= 2 (two directions), got dim={d}; "
                             "pass dim >= 2 or regime='fixed'")
        v -= (v @ u) * u
        v /= np.linalg.norm(v)
    t = np.arange(T)
    if regime == "fixed":
        centers = np.tile(u, (T, 1))
    elif regime == "alternating":
        centers = np.where((t % 2 == 0)[:, None], u, -u)
    elif regime == "switching":
        period = _checks.integer("switch_period", switch_period, low=1,
                                 fix="pass the number of rounds between switches")
        phi = _checks.real("angle", angle, low=0.0, high=math.pi, low_open=True, high_open=True,
                           fix="pass an angle in (0, pi): the two points must not be antipodal")
        other = math.cos(phi) * u + math.sin(phi) * v
        centers = np.where(((t // period) % 2 == 0)[:, None], u, other)
    else:
        top = 2.0 * max(T - 1, 0)
        P = _checks.real("variation", variation, low=0.0, high=top,
                         fix=f"pass a path length in [0, 2(T-1)] = [0, {top:g}]")
        omega = 2.0 * math.asin(P / top) if T > 1 else 0.0
        centers = np.cos(omega * t)[:, None] * u + np.sin(omega * t)[:, None] * v
    switches = int(np.count_nonzero(np.any(centers[1:] != centers[:-1], axis=1)))
    return np.ascontiguousarray(centers), switches


def _variation_steps(centers) -> np.ndarray:
    steps = np.zeros(centers.shape[0])
    steps[1:] = np.sum((centers[1:] - centers[:-1]) ** 2, axis=1)
    return steps


def _variation_constants(steps, T) -> dict:
    total = float(steps.sum())
    return {"variation_sq_total": total, "variation_sq": total / T,
            "variation_sq_max": float(steps.max())}


def _instance(centers, steps, loss, domain, noise, constants, name) -> Instance:
    data = {"centers": centers, "variation_sq_steps": steps, "loss": loss, "domain": domain,
            "noise": noise}
    return Instance(data=data, constants={k: float(v) for k, v in constants.items()}, name=name)
