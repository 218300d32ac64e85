r"""Anchored (Halpern-type) methods for finite-sum monotone equations :math:`F(z) = 0`,
recorded at checkpoints in one pass, with exact oracle counts.

Halpern's iteration :math:`z_{k+1} = \lambda_k z_0 + (1-\lambda_k)T(z_k)`,
:math:`\lambda_k = 1/(k+2)`, for a nonexpansive :math:`T` satisfies [1, Theorem 2.1]

.. math:: \tfrac12\|z_k - T z_k\| \le \frac{\|z_0 - z_\star\|}{k+1} \quad (k \ge 0),

and the bound is attained. For :math:`1/L`-cocoercive :math:`F`, :math:`T = I - \frac2L F` is
nonexpansive and :math:`z - Tz = \frac2L F(z)`, so :math:`\|F(z_k)\| \le L\|z_0 - z_\star\|/(k+1)`
[derived]; on :math:`F = L\,I` (``generators.scaled_identity``) :math:`T = -I`, the iterates
are :math:`z_k = z_0/(k+1)` for even :math:`k` and :math:`0` for odd :math:`k`, so the
ratio to the bound is exactly 1 at every even :math:`k` and 0 at every odd :math:`k`.
Cai, Alacaoglu & Diakonikolas [2] replace :math:`F(z_k)` by a variance-reduced estimator
and reach :math:`\|F\| \le \varepsilon` with :math:`\tilde O(n + \sqrt n L/\varepsilon)`
component evaluations, against :math:`O(nL/\varepsilon)` for the deterministic iteration.

Metrics (``metric``): ``"residual"`` :math:`\|F(z_k)\|`, ``"residual_ratio"``
:math:`\|F(z_k)\|\,(k+1)/(L\|z_0 - z_\star\|)` (the ratio to Lieder's cocoercive bound,
:math:`k+1 = 1` at :math:`k = 0`; ``L`` is ``instance.constants["L"]``), ``"distance"``
:math:`\|z_k - z_\star\|`, ``"residual_even"`` the residual at the last even iterate
:math:`2\lfloor k/2\rfloor` (on :math:`F = L\,I` Halpern attains Lieder's bound exactly at the even
iterates and is exactly at :math:`z_\star` at the odd ones). The residual is evaluated with the full operator at every
iterate **without** being counted as oracle calls.

Oracle calls: one component evaluation :math:`F_i(z)` costs 1, a full :math:`F(z)` costs
:math:`n`. ``info["oracle_calls"]`` (int64, shape ``(replicas, len(t))``) holds, at each
checkpoint :math:`k`, the calls spent to produce :math:`z_k` (0 at :math:`k = 0`; -1 after
a divergence). With ``tol`` given, ``info["reach_iteration"]`` and
``info["reach_oracle_calls"]`` (per replica; -1 / ``inf`` if never) give the first
iteration with :math:`\|F(z_k)\| \le` ``tol``, checked at every iteration.

All instances are linear (``generators``): the methods carry :math:`e = z - z_\star` and use
:math:`F(z) = A e`, :math:`F_i(z) - F_i(z') = A_i(e - e')`, identities of the instance.
Randomness (coins, batches) is drawn on the host from ``rng``, identically for every back
end: the Numba kernels (``backend="numba"``) or their array-API twins on ``"numpy"``,
``"cupy"`` or ``"array_api_strict"`` (:mod:`problems.backend`: the operator, the components,
:math:`e_0` and the batches are moved to the device; the metric comes home at the
checkpoints); ``info["backend"]`` says which ran.

[1] F. Lieder (2021). On the convergence rate of the Halpern-iteration. Optim. Lett. 15.
[2] X. Cai, A. Alacaoglu, J. Diakonikolas (2024). Variance Reduced Halpern Iteration for
    Finite-Sum Monotone Inclusions. ICLR 2024 (arXiv:2310.02987).
[3] T. Yoon, E. K. Ryu (2021). Accelerated Algorithms for Smooth Convex-Concave Minimax
    Problems with O(1/k^2) Rate on Squared Gradient Norm. ICML 2021.
"""
from __future__ import annotations

import math
from typing import Callable

import numpy as np

import problems.backend
from problems import _validate as _checks
from problems.types import Instance, Trace, checkpoints, first_nonfinite

from . import _kernels, _reference

METRICS = ("residual", "residual_ratio", "distance", "residual_even")
BACKENDS = problems.backend.BACKENDS
STEPS = ("cocoercive", "conservative")
MAX_DRAWS = 2**26  # host-drawn batch indices per call (512 MiB of int64)
_MAKERS = "cocoercive_linear, monotone_linear or scaled_identity"


def halpern(instance, rng, *, n_iter, step="cocoercive", tol=None, metric="residual",
            n_checkpoints=60, backend="numba") -> Trace:
    r"""Halpern's iteration on :math:`T = I - \eta F`:
    :math:`z_{k+1} = \lambda_k z_0 + (1-\lambda_k)(z_k - \eta F(z_k))`, :math:`\lambda_k = 1/(k+2)`.

    Guarantee [1, Thm 2.1]: for :math:`1/L`-cocoercive :math:`F` and :math:`\eta \le 2/L`,
    :math:`\|F(z_k)\| \le \frac{2}{\eta}\frac{\|z_0 - z_\star\|}{k+1}`; with the default
    :math:`\eta = 2/L` this is ``residual_ratio`` :math:`\le 1`, attained on
    ``scaled_identity`` at even :math:`k`. On a merely monotone :math:`F`, :math:`T` need
    not be nonexpansive and the iteration may diverge (use :func:`halpern_extragradient`).
    Cost: :math:`n` oracle calls per iteration (:math:`F(z_k)`), :math:`z_k` costs :math:`nk`.

    Parameters
    ----------
    instance : Instance
        From ``generators`` (any of them).
    rng : numpy.random.Generator
        Validated, not used (the iteration is deterministic); one row of ``values``.
    n_iter : int
    step : {"cocoercive", "conservative"} or float
        :math:`\eta = 2/L`, :math:`\eta = 1/L` (Diakonikolas 2020; bound :math:`2L\|z_0 -
        z_\star\|/(k+1)`), or a positive float :math:`\eta`.
    tol : float, optional
        Record the first iteration with :math:`\|F(z_k)\| \le` ``tol`` (see module doc).
    metric : {"residual", "residual_ratio", "distance", "residual_even"}
    n_checkpoints : int
    backend : {"numba", "numpy", "cupy", "array_api_strict"}
        The Numba kernel, or the array-API twin on that namespace (:mod:`problems.backend`).
    """
    A, comps, e0, L, dist0, t, code, tol, backend_impl = _common(
        instance, rng, n_iter, tol, metric, n_checkpoints, backend, "halpern")
    eta = _step(step, L)
    refresh = np.ones((1, int(t[-1])), dtype=np.bool_)
    batches = np.zeros((1, int(t[-1]), 0), dtype=np.int64)
    return _vr_run(backend_impl, A, comps, e0, eta, L, dist0, code, tol, refresh, batches, t,
                   metric, backend=backend, step_size=eta, n_components=comps.shape[0])


def halpern_extragradient(instance, rng, *, n_iter, step_size=None, tol=None,
                          metric="residual", n_checkpoints=60, backend="numba") -> Trace:
    r"""Extra-anchored gradient (EAG-C) of Yoon & Ryu [3]: Halpern anchoring with an
    extragradient inner step, for monotone :math:`L`-Lipschitz :math:`F`:

    .. math::

        \bar z_k = z_k + \tfrac{1}{k+2}(z_0 - z_k), \qquad
        z_{k+1/2} = \bar z_k - \eta F(z_k), \qquad z_{k+1} = \bar z_k - \eta F(z_{k+1/2}).

    Guarantee [3, Theorem 1, as recalled, constant not re-derived here]: for
    :math:`\eta = 1/(8L)`, :math:`\|F(z_k)\|^2 \le 260\,L^2\|z_0 - z_\star\|^2/(k+1)^2`,
    i.e. ``residual_ratio`` :math:`\le \sqrt{260} \approx 16.1`. Cost: :math:`2n` oracle
    calls per iteration. ``step_size`` defaults to :math:`1/(8L)`; other parameters as in
    :func:`halpern`.
    """
    A, comps, e0, L, dist0, t, code, tol, (impl, move) = _common(
        instance, rng, n_iter, tol, metric, n_checkpoints, backend, "halpern_extragradient")
    eta = 1.0 / (8.0 * L) if step_size is None else _checks.positive(
        "step_size", step_size, fix=f"try 1/(8L) = {1.0 / (8.0 * L):.4g}")
    out, calls = np.full((1, t.size), np.nan), np.zeros((1, t.size), dtype=np.int64)
    reach_iter, reach_calls = np.full(1, -1, dtype=np.int64), np.full(1, -1, dtype=np.int64)
    with np.errstate(all="ignore"):  # divergence is evidence, not a warning
        impl._extra_anchored(move(A), comps.shape[0], move(e0), eta, L, dist0, code, tol, t,
                             out, calls, reach_iter, reach_calls)
    return Trace(metric, t, out, _info(t, out, calls, tol, reach_iter, reach_calls,
                                       backend=backend, step_size=eta,
                                       n_components=comps.shape[0]))


def vr_halpern(instance, rng, *, n_iter, batch_size=None, prob=None, step_size=None,
               replicas=1, tol=None, metric="residual", n_checkpoints=60,
               backend="numba") -> Trace:
    r"""Variance-reduced Halpern iteration (reconstruction of [2, Algorithm 1], cocoercive case).

    .. math::

        z_{k+1} = \lambda_k z_0 + (1-\lambda_k)\big(z_k - \eta\tilde F_k\big), \quad
        \lambda_k = \tfrac1{k+2}, \qquad
        \tilde F_k = \begin{cases} F(z_k) & k = 0 \text{ or with probability } p
        \quad (\text{cost } n),\\
        \tilde F_{k-1} + \frac1b\sum_{i\in B_k}\big(F_i(z_k) - F_i(z_{k-1})\big) &
        \text{otherwise} \quad (\text{cost } 2b), \end{cases}

    :math:`B_k` drawn uniformly **with replacement** (:math:`b` indices; duplicates are
    evaluated, and counted, each time). Defaults: :math:`b = \lceil\sqrt n\,\rceil`,
    :math:`p = b/(n + b)`, :math:`\eta = 2/L`, so an iteration costs about
    :math:`3\sqrt n` calls on average.

    From [2] (as retrieved: the abstract, the OpenReview reviews and summaries): Algorithm 1
    is a single-loop Halpern iteration with a PAGE-type recursive estimator for
    (on-average) cocoercive finite sums, with :math:`\tilde O(n + \sqrt n L/\varepsilon)`
    oracle complexity on the last iterate's residual. Reconstructed here (the paper's
    exact parameter schedule, any restarts and its constants were not retrieved): the
    update form above, constant :math:`p` and :math:`b`, :math:`\eta = 2/L`. Without
    restarts and with constant parameters, expect the :math:`\sqrt n` scaling up to
    log factors only, and no exact constant to compare with.

    Parameters
    ----------
    batch_size : int, optional
        :math:`b \ge 1`.
    prob : float, optional
        :math:`p \in (0, 1]` (``1`` is deterministic Halpern at cost :math:`n` per step).
    step_size : float, optional
        :math:`\eta > 0`.
    replicas : int
        Independent runs (rows of ``values``); per replica, in order: the uniforms that
        decide the refreshes, ``rng.random(n_iter)`` (refresh at :math:`k \ge 1` iff
        :math:`u_k < p`; :math:`u_0` unused), then the batches
        ``rng.integers(0, n, (n_iter, b))`` (row :math:`k` used at step :math:`k`).

    Other parameters as in :func:`halpern`. ``info`` adds ``batch_size``, ``prob``,
    ``refreshes`` (number of full evaluations per replica, the initial one included).
    """
    A, comps, e0, L, dist0, t, code, tol, backend_impl = _common(
        instance, rng, n_iter, tol, metric, n_checkpoints, backend, "vr_halpern")
    n, K = comps.shape[0], int(t[-1])
    b = (math.ceil(math.sqrt(n)) if batch_size is None else
         _checks.integer("batch_size", batch_size, low=1, fix="pass the minibatch size b"))
    p = b / (n + b) if prob is None else _checks.real(
        "prob", prob, low=0.0, high=1.0, low_open=True, fix="pass a probability in (0, 1]")
    eta = 2.0 / L if step_size is None else _checks.positive(
        "step_size", step_size, fix=f"try 2/L = {2.0 / L:.4g}")
    R = _checks.integer("replicas", replicas, low=1)
    if R * K * b > MAX_DRAWS:
        raise ValueError(f"n_iter={K} with replicas={R} and batch_size={b} needs {R * K * b} "
                         f"host-drawn indices (more than {MAX_DRAWS}); reduce n_iter or replicas")
    refresh = np.empty((R, K), dtype=np.bool_)
    batches = np.empty((R, K, b), dtype=np.int64)
    for r in range(R):
        refresh[r] = rng.random(K) < p
        batches[r] = rng.integers(0, n, size=(K, b))
    refresh[:, 0] = True
    return _vr_run(backend_impl, A, comps, e0, eta, L, dist0, code, tol, refresh, batches, t,
                   metric, backend=backend, step_size=eta, n_components=n, batch_size=b, prob=p,
                   replicas=R, refreshes=refresh.sum(axis=1))


def oracle_calls_to_reach(eps) -> Callable[[Trace], float]:
    r"""``trace -> float``: the mean over replicas of the oracle calls spent to produce the
    first iterate with :math:`\|F(z_k)\| \le` ``eps`` (``inf`` if some replica never does).

    Exact when the trace was run with ``tol == eps`` (``info["reach_oracle_calls"]``,
    checked at every iteration); otherwise read at the first recorded checkpoint of a
    ``"residual"`` trace with value :math:`\le` ``eps`` (an over-estimate, up to the
    spacing of the checkpoints).
    """
    eps = _checks.positive("eps", eps, fix="pass the residual level to reach")

    def read(trace: Trace) -> float:
        if trace.info.get("tol") == eps:
            return float(np.mean(trace.info["reach_oracle_calls"]))
        if trace.metric != "residual":
            raise ValueError(f"oracle_calls_to_reach needs a 'residual' trace or one run with "
                             f"tol={eps!r}, got metric {trace.metric!r}")
        hit = trace.values <= eps
        first = np.argmax(hit, axis=1)
        calls = trace.info["oracle_calls"][np.arange(first.size), first].astype(np.float64)
        return float(np.mean(np.where(hit.any(axis=1), calls, np.inf)))

    return read


def oracle_calls_to_tolerance(trace: Trace) -> float:
    r"""The mean over replicas of the oracle calls spent to produce the first iterate with
    :math:`\|F(z_k)\| \le` the run's own ``tol`` (checked at every iteration; ``inf`` if some
    replica never gets there). For a tolerance relative to the instance (``1e-4 *
    residual0``), where :func:`oracle_calls_to_reach` would need the number in advance."""
    if trace.info.get("tol") is None:
        raise ValueError("oracle_calls_to_tolerance needs a run with tol set (the level to reach)")
    return float(np.mean(trace.info["reach_oracle_calls"]))


def _vr_run(backend_impl, A, comps, e0, eta, L, dist0, code, tol, refresh, batches, t, metric,
            **settings) -> Trace:
    impl, move = backend_impl
    R = refresh.shape[0]
    out, calls = np.full((R, t.size), np.nan), np.zeros((R, t.size), dtype=np.int64)
    reach_iter, reach_calls = np.full(R, -1, dtype=np.int64), np.full(R, -1, dtype=np.int64)
    with np.errstate(all="ignore"):  # divergence is evidence, not a warning
        impl._vr_halpern(move(A), move(comps), move(e0), eta, L, dist0, code, tol, refresh,
                         move(batches), t, out, calls, reach_iter, reach_calls)
    return Trace(metric, t, out, _info(t, out, calls, tol, reach_iter, reach_calls, **settings))


def _info(t, out, calls, tol, reach_iter, reach_calls, **settings) -> dict:
    info = {"first_nonfinite": first_nonfinite(t, out), "oracle_calls": calls, **settings,
            "tol": tol if tol > 0 else None}
    if tol > 0:
        info["reach_iteration"] = reach_iter
        info["reach_oracle_calls"] = np.where(reach_calls >= 0, reach_calls.astype(float), np.inf)
    return info


def _step(step, L: float) -> float:
    if isinstance(step, str):
        return (2.0 / L, 1.0 / L)[_checks.choice("step", step, STEPS)]
    return _checks.positive("step", step, fix="pass 'cocoercive' (2/L), 'conservative' (1/L) "
                                              "or a positive step size")


def _common(instance, rng, n_iter, tol, metric, n_checkpoints, backend, method):
    """Validated ``A, comps, e0, L, dist0, t, metric code, tol, (impl, move)`` for every method."""
    if not isinstance(instance, Instance):
        raise ValueError(f"instance must be an Instance, got {type(instance).__name__}; "
                         f"build one with {_MAKERS}")
    missing = [k for k in ("A", "A_components", "z0", "z_star") if k not in instance.data]
    if missing or "L" not in instance.constants:
        raise ValueError(f"instance {instance.name!r} lacks data {missing or ['L']} that "
                         f"{method} needs; build it with {_MAKERS}")
    A, comps, z0, z_star = (np.ascontiguousarray(instance.data[k], dtype=np.float64)
                            for k in ("A", "A_components", "z0", "z_star"))
    _checks.generator(rng)
    n_iter = _checks.integer("n_iter", n_iter, low=1)
    t = checkpoints(n_iter, _checks.integer("n_checkpoints", n_checkpoints, low=2))
    tol = 0.0 if tol is None else _checks.positive("tol", tol, fix="pass a residual level")
    code = _checks.choice("metric", metric, METRICS)
    impl = _backend(backend)
    L, e0 = float(instance.constants["L"]), z0 - z_star
    dist0 = float(np.linalg.norm(e0))
    if code == _kernels.RESIDUAL_RATIO and dist0 == 0:
        raise ValueError("metric 'residual_ratio' needs z0 != z_star (the bound is 0); "
                         "pass metric='residual'")
    return A, comps, e0, L, dist0, t, code, tol, impl


def _backend(backend):
    """``(impl, move)``: the Numba kernels and the identity, or the array-API twins and the
    move of a host array to the back end's device (chosen here, once)."""
    _checks.choice("backend", backend, BACKENDS)  # a ValueError naming the allowed back ends
    return problems.backend.implementation(backend, _kernels, _reference)
