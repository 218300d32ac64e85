r"""Distributed against federated SGLD on non-IID shards (El Mekkaoui, Mesquita, Blomstedt &
Kaski [1]).

Claim under test [1, abstract, as retrieved]: with non-IID shards, "delaying communication
causes the Markov chains to diverge from the true posterior even for very simple models",
and FSGLD's conducive gradients fix it.

**Model** (``sharded_gaussian_posterior``): :math:`S` shards of :math:`N_s` points
:math:`y_{sj} \in \mathbb R^d`, Gaussian likelihood :math:`y_{sj} \mid \theta \sim
N(\theta, \sigma^2 I)` with known :math:`\sigma` (``noise``), prior
:math:`N(0, \tau^{-1}I)`. Each shard's log-likelihood gradient is affine,
:math:`\nabla\log p_s(\theta) = b_s - P_s\theta`, :math:`P_s = (N_s/\sigma^2)I`,
:math:`b_s = \sum_j y_{sj}/\sigma^2`, and the posterior is exact:
:math:`\Lambda = \tau I + \sum_s P_s`, :math:`\theta \mid y \sim N(\Lambda^{-1}\sum_s b_s,
\Lambda^{-1})`. The shards are non-IID: shard :math:`s`'s data are centred at
:math:`\delta\,(s - \tfrac{S-1}{2})\,e_1` (:math:`\delta` = ``shard_separation``), so the
shard-local posteriors disagree by :math:`\approx\delta` while the posterior standard
deviation is :math:`\Lambda^{-1/2}`.

**Samplers.** A chain on shard :math:`s` takes Langevin steps
:math:`\theta' = \theta + h\,\hat g_s(\theta) + \sqrt{2h}\,\xi` with

* DSGLD (Ahn, Shahbaba & Welling [2]): :math:`\hat g_s = \frac N{N_s}\nabla\log p_s + \nabla\log
  p_0` (full shard gradient, no minibatch);
* FSGLD [1]: :math:`\hat g_s = \frac N{N_s}\nabla\log p_s + \nabla\log p_0 + \sum_{s'}\nabla\log
  q_{s'} - \frac N{N_s}\nabla\log q_s`, the conducive gradient, with :math:`q_s` a Gaussian
  approximation of shard :math:`s`'s likelihood. Here :math:`q_s = p_s` exactly (Gaussian
  likelihood), so :math:`\hat g_s = \nabla\log\pi` on every shard: FSGLD is ULA on the
  posterior whatever the schedule [derived here].

A chain stays ``local_steps`` (:math:`K`) steps on a shard, then moves on. Schedules:
``"round_robin"`` (chain :math:`c` in round :math:`r` is on shard :math:`(c + r) \bmod S`: the
chains start spread over the shards) or ``"random"`` (each round's shard drawn per chain with
probability :math:`N_s/N`, which makes :math:`E\,\frac N{N_s}\nabla\log p_s = \sum_s\nabla\log
p_s`). Rounds are :math:`r = \lfloor (k-1)/K\rfloor` for step :math:`k \ge 1`.

**Metric.** ``"w2"``: the Wasserstein-2 distance between the Gaussian fitted to all the
chains' states pooled over chains and time after ``burn_in`` (states ``burn_in ..
burn_in + t``) and the exact posterior, :math:`W_2^2 = \|m - m_\star\|^2 +
\operatorname{tr}(C + \Sigma - 2(\Sigma^{1/2}C\Sigma^{1/2})^{1/2})`; ``"mean_error"``:
:math:`\|m - m_\star\|`. One row, at the checkpoints. For the round-robin schedule
``info["stationary_w2"]`` is the exact long-run value of ``"w2"`` [derived here]: the steps
are affine with Gaussian noise, so at the start of a cycle (:math:`SK` steps) the law is the
fixed point of the cycle map (mean by a linear solve, covariance by a discrete Lyapunov
equation); propagating it through one cycle gives the Gaussian law at each phase, and the
pooled law is their equal-weight mixture, whose mean and covariance are fitted.

[1] K. El Mekkaoui, D. Mesquita, P. Blomstedt, S. Kaski (2021). Federated Stochastic
    Gradient Langevin Dynamics. UAI 2021.
[2] S. Ahn, B. Shahbaba, M. Welling (2014). Distributed Stochastic Gradient MCMC. ICML 2014.
"""
from __future__ import annotations

import numpy as np
import scipy.linalg

from problems import _validate as _checks
from problems import backend as _backend
from problems.types import Instance, Trace, checkpoints, chunks, first_nonfinite

from . import _sde_kernels, _sde_reference
from .gaussian import gaussian_w2

SCHEDULES = ("round_robin", "random")
METRICS = ("w2", "mean_error")
BACKENDS = _backend.BACKENDS
MAX_CYCLE = 10**5  # longest cycle (S * K steps) for which the exact stationary W2 is computed


def sharded_gaussian_posterior(rng, *, dim=2, n_shards=2, n_per_shard=50,
                               shard_separation=3.0, noise=1.0, prior_precision=1.0) -> Instance:
    r"""Non-IID shards of a Gaussian location model with its exact posterior (module docstring).

    Draw order: the standardised noises ``(n_shards, n_per_shard, dim)``;
    :math:`y_{sj} = c_s + \sigma\varepsilon_{sj}`.

    Returns
    -------
    Instance
        ``data``: ``y`` (S, N_s, d), ``shard_precisions`` :math:`P_s` (S, d, d),
        ``shard_linear`` :math:`b_s` (S, d), ``prior_precision_matrix`` :math:`\tau I`,
        ``posterior_mean``, ``posterior_covariance``, ``shard_means`` (the data means).
        ``constants``: ``L``, ``mu`` (largest and smallest eigenvalues of the posterior
        precision :math:`\Lambda`, equal here), ``dim``, ``n_shards``, ``n_per_shard``,
        ``n_data``, ``prior_precision``, ``noise``, ``shard_spread`` (largest distance between
        two shards' data means, realised).
    """
    rng = _checks.generator(rng)
    d = _checks.integer("dim", dim, low=1)
    S = _checks.integer("n_shards", n_shards, low=1)
    n_s = _checks.integer("n_per_shard", n_per_shard, low=1)
    delta = _checks.nonnegative("shard_separation", shard_separation,
                                fix="pass the distance between consecutive shards' data means")
    sigma = _checks.positive("noise", noise, fix="pass the likelihood's noise level")
    tau = _checks.nonnegative("prior_precision", prior_precision, fix="pass tau >= 0")
    eps = rng.standard_normal((S, n_s, d))
    centres = np.zeros((S, d))
    centres[:, 0] = delta * (np.arange(S) - (S - 1) / 2.0)
    y = centres[:, None, :] + sigma * eps
    P = np.stack([(n_s / sigma**2) * np.eye(d)] * S)
    b = y.sum(axis=1) / sigma**2
    prior = tau * np.eye(d)
    Lam = prior + P.sum(axis=0)
    cov = np.linalg.inv(Lam)
    mean = cov @ b.sum(axis=0)
    eig = np.linalg.eigvalsh(Lam)
    shard_means = y.mean(axis=1)
    spread = max(np.linalg.norm(u - v) for u in shard_means for v in shard_means)
    if not eig[0] > 0:
        raise ValueError("prior_precision=0 with no data leaves the posterior improper; "
                         "pass prior_precision > 0")
    constants = {"L": eig[-1], "mu": eig[0], "dim": d, "n_shards": S, "n_per_shard": n_s,
                 "n_data": S * n_s, "prior_precision": tau, "noise": sigma,
                 "shard_spread": spread}
    data = {"y": y, "shard_precisions": P, "shard_linear": b, "prior_precision_matrix": prior,
            "posterior_mean": mean, "posterior_covariance": cov, "shard_means": shard_means}
    return Instance(data=data, constants={k: float(v) for k, v in constants.items()},
                    name=f"sharded_gaussian_posterior(d={d}, S={S}, N_s={n_s}, "
                         f"separation={delta:g})")


def dsgld(instance, rng, *, step_size, n_iter, local_steps=1, chains=100, burn_in=0,
          schedule="round_robin", metric="w2", n_checkpoints=60, backend="numba") -> Trace:
    r"""Distributed SGLD (module docstring): shard gradients scaled by :math:`N/N_s`.

    Randomness, in order: :math:`\theta_0 \sim N(m_\star, \Lambda^{-1})` per chain
    ``(chains, d)``; then per chunk of ``m`` steps: (``"random"`` schedule) the shards of the
    rounds that start in the chunk, ``rng.integers(0, S, (rounds, chains))``, then
    ``rng.standard_normal((m, chains, d))``; all drawn on the host. ``backend``: ``"numba"``
    (the jitted kernel, the default) or an array back end of ``problems.backend``
    (``"numpy"``, ``"cupy"``, ``"array_api_strict"``), which runs the array-API twin in
    ``_sde_reference`` on the same numbers (shards and normals moved to the device once per
    chunk, the pooled sums home at the checkpoints); the result does not depend on the back
    end (beyond rounding).

    ``info``: ``algorithm``, ``step_size``, ``local_steps``, ``schedule``, ``chains``,
    ``burn_in``, ``stationary_w2`` (exact long-run ``"w2"``, round robin only, else
    ``None``), ``ula_w2`` (the same for ULA on the exact posterior: the step-size bias alone),
    ``final_mean``, ``final_covariance`` (the pooled fit at the end), ``backend``,
    ``first_nonfinite``.
    """
    return _run(instance, rng, False, step_size, n_iter, local_steps, chains, burn_in,
                schedule, metric, n_checkpoints, backend)


def fsgld(instance, rng, *, step_size, n_iter, local_steps=1, chains=100, burn_in=0,
          schedule="round_robin", metric="w2", n_checkpoints=60, backend="numba") -> Trace:
    r"""Federated SGLD with conducive gradients (module docstring); arguments, randomness and
    ``info`` as :func:`dsgld`."""
    return _run(instance, rng, True, step_size, n_iter, local_steps, chains, burn_in,
                schedule, metric, n_checkpoints, backend)


def final_w2(trace: Trace) -> float:
    """``trace -> float``: the metric at the last checkpoint (``"w2"`` at the end)."""
    if trace.metric not in METRICS:
        raise ValueError(f"final_w2 needs a trace of dsgld or fsgld, got metric {trace.metric!r}")
    return float(trace.values[0, -1])


def _run(instance, rng, conducive, step_size, n_iter, local_steps, chains, burn_in, schedule,
         metric, n_checkpoints, backend) -> Trace:
    rng = _checks.generator(rng)
    if not isinstance(instance, Instance) or "shard_precisions" not in instance.data:
        raise ValueError(f"instance must be an Instance from sharded_gaussian_posterior, got "
                         f"{getattr(instance, 'name', type(instance).__name__)!r}")
    h = _checks.positive("step_size", step_size, fix="pass the Langevin step size")
    n_iter = _checks.integer("n_iter", n_iter, low=1)
    K = _checks.integer("local_steps", local_steps, low=1)
    R = _checks.integer("chains", chains, low=1)
    burn_in = _checks.integer("burn_in", burn_in, low=0)
    random_schedule = _checks.choice("schedule", schedule, SCHEDULES) == 1
    code = _checks.choice("metric", metric, METRICS)
    _checks.choice("backend", backend, BACKENDS)
    xp = None if backend == "numba" else _backend.namespace(backend)  # BackendUnavailable here
    t = checkpoints(n_iter, _checks.integer("n_checkpoints", n_checkpoints, low=2))
    P_tilde, b_tilde = _drifts(instance.data, conducive)
    S, d = b_tilde.shape
    mean, cov = instance.data["posterior_mean"], instance.data["posterior_covariance"]
    theta = mean + rng.standard_normal((R, d)) @ np.linalg.cholesky(cov).T
    sums, outers = np.zeros((t.size, d)), np.zeros((t.size, d, d))
    acc_sum, acc_outer = np.zeros((R, d)), np.zeros((R, d, d))
    cursor = np.zeros(1, dtype=np.int64)
    drifts = (P_tilde, b_tilde, mean)
    if xp is not None:  # the chains and their sums stay on the device; the cursor is an int
        theta, acc_sum, acc_outer = (_backend.to_device(xp, a) for a in (theta, acc_sum, acc_outer))
        drifts, cursor = tuple(_backend.to_device(xp, a) for a in drifts), 0
    base, drawn = 0, np.zeros((0, R), dtype=np.int64)  # random shards of rounds base, base+1, ..
    for t0, t1 in chunks(burn_in + int(t[-1]), R * (d + 1)):
        first, m = t0 + 1, t1 - t0
        rounds = (np.arange(first, first + m) - 1) // K
        if random_schedule:
            new = rounds[-1] + 1 - (base + drawn.shape[0])
            if new > 0:
                drawn = np.concatenate([drawn, rng.integers(0, S, size=(new, R))])
            shards = drawn[rounds - base]
            drawn, base = drawn[rounds[-1] - base:], rounds[-1]  # flat memory in n_iter
        else:
            shards = (rounds[:, None] + np.arange(R)[None, :]) % S
        normals = rng.standard_normal((m, R, d))
        shards = np.ascontiguousarray(shards, dtype=np.int64)
        if xp is None:
            _sde_kernels._federated_segment(theta, shards, normals, *drifts, h, m, first, burn_in,
                                            t, cursor, acc_sum, acc_outer, sums, outers)
        else:
            with np.errstate(all="ignore"):  # divergence is evidence (an inf fit), not a warning
                theta, acc_sum, acc_outer, cursor = _sde_reference._federated_segment(
                    xp, theta, _backend.to_device(xp, shards), _backend.to_device(xp, normals),
                    *drifts, h, m, first, burn_in, t, cursor, acc_sum, acc_outer, sums, outers)
    values, fit_mean, fit_cov = _pooled_metric(sums, outers, R, t, mean, cov, code)
    info = {"algorithm": "fsgld" if conducive else "dsgld", "step_size": h, "local_steps": K,
            "schedule": SCHEDULES[int(random_schedule)], "chains": R, "burn_in": burn_in,
            "stationary_w2": None if random_schedule else _stationary_w2(P_tilde, b_tilde, h, K,
                                                                         mean, cov),
            "ula_w2": _stationary_w2(*(M[:1] for M in _drifts(instance.data, True)), h, 1,
                                     mean, cov),
            "final_mean": fit_mean, "final_covariance": fit_cov, "backend": backend,
            "first_nonfinite": first_nonfinite(t, values)}
    return Trace(metric, t, values, info)


def _pooled_metric(sums, outers, chains, t, mean, cov, code):
    r"""The metric at each checkpoint from the pooled sums of :math:`\theta - m_\star`, and the
    fitted Gaussian at the last one; a diverged run gives ``inf``."""
    values = np.empty((1, t.size))
    for j in range(t.size):
        count = chains * (t[j] + 1.0)
        with np.errstate(all="ignore"):  # a diverged run overflows here
            shift = sums[j] / count
            fit_cov = outers[j] / count - np.outer(shift, shift)
        if not (np.all(np.isfinite(shift)) and np.all(np.isfinite(fit_cov))):
            values[0, j] = np.inf
        elif code == 0:
            values[0, j] = gaussian_w2(mean + shift, fit_cov, mean, cov)
        else:
            values[0, j] = float(np.linalg.norm(shift))
    return values, mean + shift, fit_cov


def _drifts(data, conducive):
    r""":math:`\tilde P_s, \tilde b_s` with
    :math:`\hat g_s(\theta) = \tilde b_s - \tilde P_s\theta` (module docstring)."""
    P, b, prior = data["shard_precisions"], data["shard_linear"], data["prior_precision_matrix"]
    n_s = np.array([y.shape[0] for y in data["y"]], dtype=np.float64)
    scale = (n_s.sum() / n_s)[:, None]
    P_tilde = scale[:, :, None] * P + prior
    b_tilde = scale * b
    if conducive:  # + sum_s' grad log q_s' - (N/N_s) grad log q_s, with q_s = p_s exactly
        P_tilde = P_tilde + P.sum(axis=0) - scale[:, :, None] * P
        b_tilde = b_tilde + b.sum(axis=0) - scale * b
    return np.ascontiguousarray(P_tilde), np.ascontiguousarray(b_tilde)


def _stationary_w2(P_tilde, b_tilde, h, K, mean, cov):
    """Exact long-run pooled W2 of the round-robin chain (module docstring); None if the
    cycle is too long to propagate or the chain is unstable."""
    S, d = b_tilde.shape
    if S * K > MAX_CYCLE:
        return None
    steps = [(np.eye(d) - h * P_tilde[s], h * b_tilde[s]) for s in range(S) for _ in range(K)]
    M, u, Q = np.eye(d), np.zeros(d), np.zeros((d, d))
    for F, g in steps:
        M, u, Q = F @ M, F @ u + g, F @ Q @ F.T + 2.0 * h * np.eye(d)
    if np.max(np.abs(np.linalg.eigvals(M))) >= 1.0:
        return None
    m = np.linalg.solve(np.eye(d) - M, u)
    C = scipy.linalg.solve_discrete_lyapunov(M, Q)
    first, second = np.zeros(d), np.zeros((d, d))
    for F, g in steps:
        m, C = F @ m + g, F @ C @ F.T + 2.0 * h * np.eye(d)
        first += m / len(steps)
        second += (C + np.outer(m, m)) / len(steps)
    return gaussian_w2(first, second - np.outer(first, first), mean, cov)

