r"""Online learners on SEA sequences (``sequences``), with the regret recorded at log-spaced
horizons in one pass.

Regret at a checkpoint :math:`T` (prefix of the run, against the **realised** losses):

.. math:: \mathrm{Reg}_T = \sum_{t\le T} f_t(x_t) - \min_{u\in\mathcal K}\sum_{t\le T} f_t(u),

with the comparator computed exactly: linear on the ball :math:`-R\|\sum_t g_t\|`; linear on
the simplex :math:`\min_i(\sum_t g_t)_i`; quadratic on the ball at
:math:`u = \Pi(\bar y)`, :math:`\bar y = \frac1T\sum_t y_t` (since
:math:`\sum_t\frac\lambda2\|u - y_t\|^2 = \frac{\lambda T}{2}\|u - \bar y\|^2 + \text{const}`);
log loss by projected Newton on the prefix (exact simplex QP for each Newton step, Armijo
backtracking) until the Frank-Wolfe gap
:math:`\nabla\Phi(u)^\top u - \min_i\nabla\Phi(u)_i \ge \Phi(u) - \Phi^\star` is below
:math:`10^{-9} + 10^{-12}T`; that gap (``info["comparator_gap"]``) bounds the error of the
reported regret, which can only be **under**-stated by it.

Every method is anytime (nothing depends on the horizon except ``hedge(step_size="tuned")``,
the textbook anchor). Noise: ``rng.spawn(replicas)`` gives one stream per replica; replica
``r`` draws its noise, round after round, from stream ``r`` (``(m, d)`` blocks of
``standard_normal`` times ``noise_scale``, or ``uniform(-a, a)``; nothing when the scale is 0),
so it depends neither on the number of replicas, nor on the chunking, nor on the back end,
and two methods given generators with the same seed see the same noise. Linear and quadratic
losses are run in chunks of at most ``problems.types.CHUNK_NUMBERS`` noise numbers (flat memory); the log loss
keeps one replica's :math:`T\times d` prices at a time (its comparator needs them).

Back ends (``backend``): the Numba kernels (``"numba"``) or their array-API twins on
``"numpy"``, ``"cupy"`` or ``"array_api_strict"`` (:mod:`problems.backend`). The noise is
drawn on the host as above whichever runs; each chunk of it, the adversary's centres and the
learner's state go to the device, the running sums come home at the checkpoints and the
state after the chunk (comparators and bounds are computed on the host);
``info["backend"]`` says which ran.

Metrics (``metric``): ``"regret"``; ``"regret_ratio"``
:math:`\mathrm{Reg}_T/(\sqrt{\sigma^2_{1:T}} + \sqrt{\Sigma^2_{1:T}} + 1)` with
:math:`\sigma^2_{1:T} =` ``sigma_sq`` :math:`\cdot T` and :math:`\Sigma^2_{1:T}` the
adversary's variation over the prefix (both exact except for the portfolio, where they are
the generator's upper bounds); ``"oomd_bound_ratio"`` (Euclidean mirror): the regret over
the per-path bound of :func:`optimistic_omd`; ``"anchor_ratio"`` (entropic mirror, no hint,
constant step: Hedge): the regret over :math:`\ln d/\eta + \frac\eta2\sum_t\|g_t\|_\infty^2`.
A ratio is 0 where both regret and bound are 0.

``info`` (every method): ``regret`` and ``comparator`` (replicas, K); ``sigma_sq_cumulative``
and ``variation_sq_cumulative`` (K,); ``sigma_sq_max``, ``variation_sq_max``; ``x_final``
(replicas, d), the last point played; ``hint_error_cumulative`` (replicas, K):
:math:`S_T = \sum_{t\le T}\|g_t - M_t\|^2` (:math:`\|\cdot\|_\infty^2` when entropic;
:math:`M_t = 0` without a hint); ``first_nonfinite``; ``backend``; ``method``; ``replicas``;
the step settings. Mirror-descent methods add ``step_size`` (replicas, K), the step of the
last round played (:math:`\eta_1` at :math:`T = 0`) and ``bound`` (replicas, K) when a
per-path bound is known; the log loss adds ``comparator_gap``.
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

import problems.backend
from problems import _validate as _checks
from problems.types import Instance, Trace, checkpoints, chunks, first_nonfinite

from . import _kernels, _reference
from ._kernels import (DOMAIN_BALL, DOMAIN_SIMPLEX, HINT_LAST, HINT_NONE, LOSS_LINEAR, LOSS_LOG,
                       LOSS_QUADRATIC, MIRROR_ENTROPIC, MIRROR_EUCLIDEAN, STEP_ADAPTIVE,
                       STEP_CONSTANT, STEP_INVERSE_SQRT, STEP_INVERSE_T)

METRICS = ("regret", "regret_ratio", "oomd_bound_ratio", "anchor_ratio")
MIRRORS = ("euclidean", "entropic")
HINTS = ("none", "last_gradient")
BACKENDS = problems.backend.BACKENDS
OOMD_BOUND_CONSTANT = 2.5 + math.sqrt(2.0)  # C in Reg_T <= C D sqrt(delta + S_T) [derived]
_LOSSES = {"linear": LOSS_LINEAR, "quadratic": LOSS_QUADRATIC, "log": LOSS_LOG}
_DOMAINS = {"ball": DOMAIN_BALL, "simplex": DOMAIN_SIMPLEX}
_MAKERS = "linear_sea, quadratic_sea, portfolio_sea or expert_losses"


class _Problem(NamedTuple):
    centers: np.ndarray
    steps: np.ndarray
    loss: str
    domain: str
    noise: str
    c: dict


def ogd(instance, rng, *, step_size="adaptive", delta=1.0, replicas=1, metric="regret",
        n_checkpoints=60, backend="numba") -> Trace:
    r"""Projected online gradient descent :math:`x_{t+1} = \Pi(x_t - \eta_t g_t)`,
    :math:`x_1 = 0` (ball) or uniform (simplex); :func:`optimistic_omd` with no hint.

    ``step_size``: ``"adaptive"`` (default) :math:`\eta_t = D/\sqrt{\delta + \sum_{s<t}\|g_s\|^2}`
    (AdaGrad-norm with the current gradient left out, so the bound of :func:`optimistic_omd`
    applies with :math:`M_t = 0`); ``"inverse_sqrt"`` :math:`\eta_t = D/(G\sqrt t)` with
    :math:`G = \sqrt{G_F^2 + \sigma^2}` (``gradient_bound``, ``sigma_sq``; a bound on the
    root-mean-square gradient, as the Gaussian noise is unbounded); ``"strongly_convex"``
    :math:`\eta_t = 1/(\lambda t)` (Hazan 2016, Thm 3.3 [recollection]: per path
    :math:`\mathrm{Reg}_T \le \sum_t\eta_t\|g_t\|^2/2`, the ``bound``); a float: constant
    :math:`\eta` (bound :math:`D^2/(2\eta) + \frac\eta2\sum_t\|g_t\|^2`). :math:`D` is the
    ``diameter``. Other parameters and ``info``: see the module docstring.
    """
    prob = _unpack(instance, "ogd")
    rule, param, name = _euclidean_step(step_size, prob, hint=HINT_NONE, optimistic_factor=1.0)
    return _run_mirror(prob, rng, "ogd", MIRROR_EUCLIDEAN, HINT_NONE, rule, param, name,
                       delta, replicas, metric, n_checkpoints, backend)


def optimistic_omd(instance, rng, *, mirror="euclidean", step_size="adaptive",
                   hint="last_gradient", delta=1.0, replicas=1, metric="regret",
                   n_checkpoints=60, backend="numba") -> Trace:
    r"""Optimistic online mirror descent with hint :math:`M_t = g_{t-1}` (:math:`M_1 = 0`).

    Euclidean: :math:`x_t = \Pi(\hat x_t - \eta_t M_t)`, :math:`\hat x_{t+1} = \Pi(\hat x_t -
    \eta_t g_t)`, :math:`\hat x_1 = 0` (ball) or uniform (simplex), :math:`\Pi` the
    Euclidean projection. Entropic (simplex; dual-averaging form, equal to the mirror-descent
    form when :math:`\eta` is constant): :math:`x_t \propto \exp(-\eta_t(\sum_{s<t}g_s + M_t))`.

    ``step_size``: ``"adaptive"`` :math:`\eta_t = D/\sqrt{\delta + S_{t-1}}`,
    :math:`S_t = \sum_{s\le t}\|g_s - M_s\|^2` (entropic: :math:`\sqrt{\ln d}` over the same
    with :math:`\|\cdot\|_\infty^2`); ``"strongly_convex"`` (Euclidean)
    :math:`\eta_t = 2/(\lambda t)`; a float: constant :math:`\eta`. ``hint``:
    ``"last_gradient"`` or ``"none"``.

    Per-path bounds (``bound``; any :math:`u \in \mathcal K`, any gradients, any hints)
    [derived here]. Projection optimality at :math:`\hat x_{t+1}` (against :math:`u`) and at
    :math:`x_t` (against :math:`\hat x_{t+1}`) give

    .. math:: \langle g_t, x_t - u\rangle \le \langle g_t - M_t, x_t - \hat x_{t+1}\rangle
        + \tfrac{1}{2\eta_t}\big(\|\hat x_t - u\|^2 - \|\hat x_{t+1} - u\|^2
        - \|x_t - \hat x_{t+1}\|^2 - \|x_t - \hat x_t\|^2\big).

    (i) Any non-increasing :math:`\eta_t`: bound the inner product by Young,
    :math:`\mathrm{Reg}_T \le D^2/(2\eta_T) + W_T`, :math:`W_T = \sum_t\eta_t\|g_t - M_t\|^2/2`.
    (ii) ``"adaptive"``: bound it instead by
    :math:`\min(\frac{\eta_t}2 a_t, D\sqrt{a_t})` (:math:`a_t = \|g_t - M_t\|^2`, and
    :math:`\|x_t - \hat x_{t+1}\| \le D`). If :math:`a_t \le \delta + S_{t-1}`,
    :math:`\frac{\eta_t}{2}a_t \le \frac{D}{\sqrt2}\frac{a_t}{\sqrt{\delta + S_t}} \le
    \sqrt2 D(\sqrt{\delta + S_t} - \sqrt{\delta + S_{t-1}})`; otherwise
    :math:`\delta + S_{t-1} < (\delta + S_t)/2`, so :math:`D\sqrt{a_t} \le
    (2 + \sqrt2)D(\sqrt{\delta + S_t} - \sqrt{\delta + S_{t-1}})`. Summing, with
    :math:`D^2/(2\eta_T) \le \frac D2\sqrt{\delta + S_T}`:

    .. math:: \mathrm{Reg}_T \le (\tfrac52 + \sqrt2)\, D\sqrt{\delta + \textstyle\sum_{t\le T}\|g_t - M_t\|^2}.

    (iii) ``"strongly_convex"`` (:math:`\lambda`-strongly convex :math:`f_t`,
    :math:`\eta_t = p/t`, :math:`p \ge 2/\lambda`): add
    :math:`-\frac\lambda2\|x_t - u\|^2` per round; the telescoped weights
    :math:`\frac{1}{2p}\|\hat x_t - u\|^2 \le \frac1p(\|x_t - u\|^2 + \|x_t - \hat x_t\|^2)` are
    absorbed for :math:`t \ge 2`, leaving :math:`\mathrm{Reg}_T \le D^2/(2p) + W_T`
    (:math:`= \lambda D^2/4 + \sum_t\|g_t - M_t\|^2/(\lambda t)` at :math:`p = 2/\lambda`).
    With :math:`\sigma > 0` the sum grows like :math:`\log T`; with :math:`\sigma = 0` and
    a fixed target :math:`g_t - g_{t-1} = \lambda(x_t - x_{t-1})` is summable, so the regret
    stays bounded.

    The entropic mirror has no per-path bound here except the Hedge anchor (``hedge``).
    """
    prob = _unpack(instance, "optimistic_omd")
    mirror_code = _checks.choice("mirror", mirror, MIRRORS)
    hint_code = (HINT_NONE, HINT_LAST)[_checks.choice("hint", hint, HINTS)]
    if mirror_code == MIRROR_ENTROPIC:
        if prob.domain != "simplex":
            raise ValueError(f"mirror='entropic' needs a simplex domain, got {prob.domain!r} "
                             f"({instance.name}); pass mirror='euclidean' or domain='simplex'")
        if isinstance(step_size, str):
            _checks.one_of("step_size", step_size, ("adaptive",))
            rule, param, name = STEP_ADAPTIVE, math.sqrt(math.log(prob.c["dim"])), "adaptive"
        else:
            rule, param, name = STEP_CONSTANT, _positive_step(step_size), "constant"
    else:
        rule, param, name = _euclidean_step(step_size, prob, hint_code, optimistic_factor=2.0)
    return _run_mirror(prob, rng, "optimistic_omd", mirror_code, hint_code, rule, param, name,
                       delta, replicas, metric, n_checkpoints, backend)


def hedge(instance, rng, *, step_size="tuned", replicas=1, metric="regret", n_checkpoints=60,
          backend="numba") -> Trace:
    r"""Hedge (exponential weights, entropic mirror descent on the simplex):
    :math:`x_t \propto \exp(-\eta\sum_{s<t}g_s)`; :func:`optimistic_omd` with
    ``mirror="entropic"``, ``hint="none"`` and a constant step.

    Anchor [textbook: Hoeffding's lemma on :math:`\log\sum_i e^{-\eta L_{t,i}}`; e.g.
    Cesa-Bianchi & Lugosi 2006, Thm 2.2, recollection]: for every path of real losses
    :math:`\mathrm{Reg}_T \le \ln d/\eta + \frac\eta2\sum_{t\le T}\|g_t\|_\infty^2`
    (``bound``, metric ``"anchor_ratio"``), which at ``step_size="tuned"``,
    :math:`\eta = \sqrt{2\ln d}/(G_\infty\sqrt T)` (the instance's horizon and
    ``gradient_bound_inf``: the one horizon-dependent method), is at most
    :math:`G_\infty\sqrt{2T\ln d}` at :math:`T` = the horizon.
    """
    prob = _unpack(instance, "hedge")
    if prob.domain != "simplex":
        raise ValueError(f"instance must have a simplex domain for hedge, got {prob.domain!r} "
                         f"({instance.name}); build it with expert_losses or "
                         "linear_sea(domain='simplex')")
    if isinstance(step_size, str):
        _checks.one_of("step_size", step_size, ("tuned",))
        d, T, G = prob.c["dim"], prob.c["horizon"], prob.c["gradient_bound_inf"]
        eta = math.sqrt(2.0 * math.log(d)) / (G * math.sqrt(T)) if G > 0 else 1.0
    else:
        eta = _positive_step(step_size)
    return _run_mirror(prob, rng, "hedge", MIRROR_ENTROPIC, HINT_NONE, STEP_CONSTANT, eta,
                       "constant", 1.0, replicas, metric, n_checkpoints, backend)


def online_newton_step(instance, rng, *, optimistic=False, gamma="theory", epsilon="theory",
                       replicas=1, metric="regret", n_checkpoints=60, backend="numba") -> Trace:
    r"""Online Newton step (Hazan, Agarwal & Kale 2007) on the simplex, for the log loss of
    ``portfolio_sea``:
    :math:`A_t = \varepsilon I + \sum_{s\le t}g_sg_s^\top`,
    :math:`x_{t+1} = \Pi^{A_t}_\Delta(x_t - \gamma^{-1}A_t^{-1}g_t)`, :math:`x_1` uniform, with
    the generalised projection :math:`\Pi^{A}_\Delta(z) = \arg\min_{y\in\Delta}(y - z)^\top A(y - z)`
    solved exactly (``_kernels._simplex_qp``, an active-set method).

    ``optimistic=True`` [our construction; no bound derived here]: the sequence above becomes
    the secondary :math:`\hat x_t` (driven by :math:`g_t` at the played point) and the played
    point is :math:`x_t = \Pi^{A_{t-1}}_\Delta(\hat x_t - \gamma^{-1}A_{t-1}^{-1}M_t)`,
    :math:`M_t = g_{t-1}`; with :math:`M_t = 0` it is ONS exactly.

    ``gamma="theory"``: :math:`\gamma = \frac12\min(1/(4GD), \alpha)` and
    ``epsilon="theory"``: :math:`\varepsilon = 1/(\gamma^2D^2)`, with :math:`G` =
    ``gradient_bound``, :math:`D` = ``diameter``, :math:`\alpha` = ``exp_concavity``, for which
    Hazan et al. prove :math:`\mathrm{Reg}_T \le 5(1/\alpha + GD)\,d\log T` [recollection].
    Metrics ``"regret"`` and ``"regret_ratio"``; ``info`` adds ``gamma``, ``epsilon``,
    ``qp_failures`` (replicas,): QP solves that hit their iteration cap (expected 0).
    """
    prob = _unpack(instance, "online_newton_step")
    if prob.loss != "log":
        raise ValueError(f"instance must hold exp-concave log losses for online_newton_step, "
                         f"got {prob.loss!r} losses ({instance.name}); build it with portfolio_sea")
    G, D, alpha = (prob.c[k] for k in ("gradient_bound", "diameter", "exp_concavity"))
    g = (0.5 * min(1.0 / (4.0 * G * D), alpha) if gamma == "theory"
         else _checks.positive("gamma", gamma, fix="pass 'theory' or a positive float"))
    eps = (1.0 / (g * D) ** 2 if epsilon == "theory"
           else _checks.positive("epsilon", epsilon, fix="pass 'theory' or a positive float"))
    R, t, (impl, move), metric = _settings(replicas, n_checkpoints, backend, metric, prob,
                                           allowed=("regret", "regret_ratio"))
    d = int(prob.c["dim"])
    xhat, x, hint = np.full((R, d), 1.0 / d), np.full((R, d), 1.0 / d), np.zeros((R, d))
    A = np.tile(eps * np.eye(d), (R, 1, 1))
    cum_loss, hint_error, failures = np.zeros(R), np.zeros(R), np.zeros(R, dtype=np.int64)
    out_loss, out_err = np.zeros((R, t.size)), np.zeros((R, t.size))

    def advance(rows, centers, noise, t0, k):
        state = (xhat[rows], x[rows], hint[rows], A[rows], cum_loss[rows], hint_error[rows])
        return _on_device(impl, move, state, lambda *s: impl._ons_chunk(
            bool(optimistic), g, move(centers), move(noise), t0, t, k, *s,
            failures[rows], out_loss[rows], out_err[rows]))

    comparator, gaps = _simulate(prob, rng, R, t, advance)
    return _trace(prob, t, metric, out_loss, comparator, out_err, None, x,
                  {"method": "online_newton_step", "backend": backend, "replicas": R,
                   "optimistic": bool(optimistic), "gamma": g, "epsilon": eps,
                   "qp_failures": failures, "comparator_gap": gaps})


def _run_mirror(prob, rng, method, mirror, hint, rule, param, step_name, delta, replicas,
                metric, n_checkpoints, backend) -> Trace:
    R, t, (impl, move), metric = _settings(replicas, n_checkpoints, backend, metric, prob,
                                           METRICS)
    delta = _checks.positive("delta", delta, fix="pass the initial offset of the adaptive step")
    bound_kind = _bound_kind(metric, prob, mirror, hint, rule, param)
    d, K = int(prob.c["dim"]), t.size
    start = 0.0 if prob.domain == "ball" else 1.0 / d
    xhat, x = np.full((R, d), start), np.full((R, d), start)
    hint_vec, grad_sum, stat = np.zeros((R, d)), np.zeros((R, d)), np.zeros((R, d))
    cum_loss, hint_error, weighted = np.zeros(R), np.zeros(R), np.zeros(R)
    eta_last = np.full(R, float(_kernels._step_size(rule, param, delta, 1, 0.0)))
    out_loss, out_err, out_w, out_eta = (np.zeros((R, K)) for _ in range(4))
    out_stat = np.zeros((R, K, d))
    radius = prob.c.get("radius", 1.0)
    lam = prob.c.get("strong_convexity", 0.0)

    def advance(rows, centers, noise, t0, k):
        state = (xhat[rows], x[rows], hint_vec[rows], grad_sum[rows], cum_loss[rows],
                 hint_error[rows], weighted[rows], eta_last[rows], stat[rows])
        return _on_device(impl, move, state, lambda *s: impl._mirror_descent_chunk(
            _LOSSES[prob.loss], _DOMAINS[prob.domain], mirror, hint, rule, param, delta, radius,
            lam, move(centers), move(noise), t0, t, k, *s,
            out_loss[rows], out_stat[rows], out_err[rows], out_w[rows], out_eta[rows]))

    comparator, gaps = _simulate(prob, rng, R, t, advance)
    if comparator is None:
        comparator = _comparator(prob, t, out_stat)
    bound = _bound(bound_kind, prob, param, delta, out_err, out_w, out_eta)
    info = {"method": method, "backend": backend, "replicas": R, "step_rule": step_name,
            "step_param": param, "delta": delta, "hint": HINTS[hint == HINT_LAST],
            "mirror": MIRRORS[mirror], "step_size": out_eta}
    if gaps is not None:
        info["comparator_gap"] = gaps
    return _trace(prob, t, metric, out_loss, comparator, out_err, bound, x, info)


def _simulate(prob, rng, R, t, advance):
    """Draw the noise replica by replica and feed it to ``advance``; for the log loss return
    the exact comparator of each replica and its Frank-Wolfe gap, else ``(None, None)``."""
    streams = rng.spawn(R)
    T, d = int(t[-1]), prob.centers.shape[1]
    if prob.loss == "log":
        comparator, gaps = np.zeros((R, t.size)), np.zeros((R, t.size))
        for r in range(R):
            noise = _draw(prob, streams[r], T, d)
            advance(slice(r, r + 1), prob.centers, noise[None], 0, 0)
            comparator[r], gaps[r] = _log_comparator(prob.centers + noise, t)
        return comparator, gaps
    k = 0
    for t0, t1 in chunks(T, R * d):
        m = t1 - t0
        noise = np.empty((R, m, d))
        for r in range(R):
            noise[r] = _draw(prob, streams[r], m, d)
        k = advance(slice(None), prob.centers[t0:t0 + m], noise, t0, k)
    return None, None


def _draw(prob, stream, m, d):
    scale = prob.c["noise_scale"]
    if scale == 0.0:
        return np.zeros((m, d))
    if prob.noise == "uniform":
        return stream.uniform(-scale, scale, size=(m, d))
    return scale * stream.standard_normal((m, d))


def _comparator(prob, t, stat):
    r""":math:`\min_{u\in\mathcal K}\sum_{t\le T}f_t(u)` (shifted as in the kernels) from
    :math:`Y_T = \sum_{t\le T} y_t`."""
    if prob.loss == "linear":
        if prob.domain == "simplex":
            return stat.min(axis=2)
        return -prob.c["radius"] * np.linalg.norm(stat, axis=2)
    lam, radius = prob.c["strong_convexity"], prob.c["radius"]
    T = np.maximum(t, 1).astype(np.float64)[None, :, None]
    u = stat / T
    norm = np.linalg.norm(u, axis=2, keepdims=True)
    u = np.where(norm > radius, u * (radius / np.where(norm > 0, norm, 1.0)), u)
    return 0.5 * lam * T[..., 0] * np.sum(u * u, axis=2) - lam * np.sum(u * stat, axis=2)


def _log_comparator(prices, t):
    r""":math:`\min_{u\in\Delta} -\sum_{s\le T}\log\langle r_s, u\rangle` at every checkpoint,
    by projected Newton warm-started from the previous checkpoint; returns values and gaps."""
    d = prices.shape[1]
    u = np.full(d, 1.0 / d)
    values, gaps = np.zeros(t.size), np.zeros(t.size)
    for k, T in enumerate(t):
        if T > 0:
            u, values[k], gaps[k] = _newton_log_loss(prices[:T], u, 1e-9 + 1e-12 * T)
    return values, gaps


def _newton_log_loss(P, u, tol, max_iter=100):
    value = -np.sum(np.log(P @ u))
    for _ in range(max_iter):
        w = P @ u
        scaled = P / w[:, None]
        grad = -scaled.sum(axis=0)
        gap = grad @ u - grad.min()
        if gap <= tol:
            break
        H = scaled.T @ scaled
        # a tiny ridge keeps the Newton model strictly convex when all prices coincide
        # (sigma = 0, fixed regime: H has rank 1); it changes the step, not the objective
        H += (1e-9 * np.trace(H) / H.shape[0]) * np.eye(H.shape[0])
        y = u.copy()
        _kernels._simplex_qp(H, H @ u - grad, y)
        direction, slope, s = y - u, grad @ (y - u), 1.0
        while s > 1e-12:
            trial = u + s * direction
            new = -np.sum(np.log(P @ trial))
            # near the optimum the predicted decrease drowns in the rounding of a sum of T
            # logs: then take the (quadratically convergent) Newton step as it is
            if new <= value + 0.25 * s * slope or -slope <= 1e-13 * abs(value):
                break
            s *= 0.5
        if s <= 1e-12:
            break
        u, value = trial, new
    return u, value, gap


def _trace(prob, t, metric, out_loss, comparator, out_err, bound, x, info) -> Trace:
    regret = out_loss - comparator
    sigma_cum = prob.c["sigma_sq"] * t.astype(np.float64)
    var_cum = np.concatenate([[0.0], np.cumsum(prob.steps)])[t]
    if metric == "regret":
        values = regret
    elif metric == "regret_ratio":
        values = regret / (np.sqrt(sigma_cum) + np.sqrt(var_cum) + 1.0)
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            values = np.where((regret == 0) & (bound == 0), 0.0, regret / bound)
    info = {**info, "regret": regret, "comparator": comparator, "sigma_sq_cumulative": sigma_cum,
            "variation_sq_cumulative": var_cum, "sigma_sq_max": prob.c["sigma_sq"],
            "variation_sq_max": prob.c["variation_sq_max"], "x_final": x.copy(),
            "hint_error_cumulative": out_err, "first_nonfinite": first_nonfinite(t, values)}
    if bound is not None:
        info["bound"] = bound
    return Trace(metric, t, values, info)


def _euclidean_step(step_size, prob, hint, optimistic_factor):
    D = prob.c["diameter"]
    if not isinstance(step_size, str):
        return STEP_CONSTANT, _positive_step(step_size), "constant"
    choices = ("adaptive", "strongly_convex") + (("inverse_sqrt",) if hint == HINT_NONE else ())
    name = _checks.one_of("step_size", step_size, choices)
    if name == "adaptive":
        return STEP_ADAPTIVE, D, name
    if name == "inverse_sqrt":
        G = math.sqrt(prob.c["gradient_bound"] ** 2 + prob.c["sigma_sq"])
        return STEP_INVERSE_SQRT, D / G, name
    if "strong_convexity" not in prob.c:
        raise ValueError("step_size='strongly_convex' needs a strongly convex instance (constant "
                         "'strong_convexity'); build it with quadratic_sea or pass 'adaptive'")
    return STEP_INVERSE_T, optimistic_factor / prob.c["strong_convexity"], name


def _bound_kind(metric, prob, mirror, hint, rule, param):
    """Which per-path bound applies (None if the metric does not need one and none is known)."""
    if mirror == MIRROR_ENTROPIC:
        kind = "anchor" if hint == HINT_NONE and rule == STEP_CONSTANT else None
    elif rule == STEP_ADAPTIVE:
        kind = "adaptive"
    elif rule != STEP_INVERSE_T:
        kind = "young"
    else:
        lam_p = prob.c["strong_convexity"] * param
        kind = ("strong_ogd" if hint == HINT_NONE and lam_p >= 1.0 - 1e-12 else
                "strong_oomd" if lam_p >= 2.0 - 1e-12 else None)
    need = {"oomd_bound_ratio": ("adaptive", "young", "strong_ogd", "strong_oomd"),
            "anchor_ratio": ("anchor",)}.get(metric)
    if need is not None and kind not in need:
        raise ValueError(f"metric {metric!r} has no per-path bound for this method and step; "
                         "pass metric='regret' ('oomd_bound_ratio' needs the Euclidean mirror, "
                         "'anchor_ratio' Hedge: entropic, no hint, constant step)")
    return kind


def _bound(kind, prob, param, delta, hint_error, weighted, eta):
    D = prob.c["diameter"]
    if kind == "adaptive":
        return OOMD_BOUND_CONSTANT * D * np.sqrt(delta + hint_error)
    if kind == "young":
        return D**2 / (2.0 * eta) + weighted
    if kind == "strong_ogd":
        return weighted.copy()
    if kind == "strong_oomd":
        return D**2 / (2.0 * param) + weighted
    if kind == "anchor":
        return math.log(prob.c["dim"]) / eta + weighted
    return None


def _positive_step(step_size):
    return _checks.positive("step_size", step_size,
                            fix="pass a positive float or one of the named rules")


def _settings(replicas, n_checkpoints, backend, metric, prob, allowed):
    R = _checks.integer("replicas", replicas, low=1)
    t = checkpoints(int(prob.c["horizon"]), _checks.integer("n_checkpoints", n_checkpoints, low=2))
    return R, t, _backend(backend), _checks.one_of("metric", metric, allowed)


def _backend(backend):
    """``(impl, move)``: the Numba kernels and the identity, or the array-API twins and the
    move of a host array to the back end's device (chosen here, once)."""
    _checks.choice("backend", backend, BACKENDS)  # a ValueError naming the allowed back ends
    return problems.backend.implementation(backend, _kernels, _reference)


def _on_device(impl, move, state, call):
    """``call(*state)`` with the state arrays (host views) on the back end's device, written
    back to the views afterwards: the chunk's noise is the large transfer, the state is
    ``(replicas, d)`` (``(replicas, d, d)`` for the online Newton step)."""
    if impl is _kernels:
        return call(*state)
    moved = [move(array) for array in state]
    with np.errstate(all="ignore"):  # frozen rows of the batched QP may divide by zero
        k = call(*moved)
    for host, device in zip(state, moved):
        host[...] = problems.backend.to_numpy(device)
    return k


def _unpack(instance, method) -> _Problem:
    if not isinstance(instance, Instance):
        raise ValueError(f"instance must be an Instance, got {type(instance).__name__}; "
                         f"build one with {_MAKERS}")
    keys = ("centers", "variation_sq_steps", "loss", "domain", "noise")
    missing = [k for k in keys if k not in instance.data]
    missing += [k for k in ("dim", "horizon", "diameter", "sigma_sq", "noise_scale")
                if k not in instance.constants]
    if missing:
        raise ValueError(f"instance {instance.name!r} lacks {missing} that {method} needs; "
                         f"build it with {_MAKERS}")
    centers = np.ascontiguousarray(instance.data["centers"], dtype=np.float64)
    return _Problem(centers, np.asarray(instance.data["variation_sq_steps"], dtype=np.float64),
                    instance.data["loss"], instance.data["domain"], instance.data["noise"],
                    dict(instance.constants))
