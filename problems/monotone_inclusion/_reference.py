r"""Array-API twins of ``_kernels.py``: the same names, signatures and arithmetic, as readable
step loops vectorised over replicas (errors :math:`e = z - z_\star` of shape
``(replicas, d)``).

They are written against the array API standard (2023.12), so the same code runs on NumPy,
CuPy and ``array_api_strict``: the namespace is read from the arrays passed in
(``array_namespace``), which the public methods have already moved to the back end's device
(``A``, ``comps``, ``e0``, ``batches``). ``refresh``, ``record_at`` and the outputs stay host
NumPy arrays: the coins are known on the host before the run, so the oracle calls spent to
produce every iterate are a host cumulative sum, and the loop control never reads the
device except at the checkpoints (where the metric and the replicas still alive come home).
The first iteration reaching ``tol`` is tracked on the device and read once, at the end.

They are the reference the Numba kernels are tested against (``rtol=1e-10``). A replica
whose iterate or metric becomes non-finite is marked dead: its remaining checkpoints read
``+inf`` and their oracle calls ``-1``, as in the kernels. Overflow is allowed (the methods
silence NumPy's warnings around the call).
"""
from __future__ import annotations

import numpy as np
from array_api_compat import array_namespace

from problems.backend import to_numpy

from ._kernels import DISTANCE, RESIDUAL_EVEN, RESIDUAL_RATIO


def _metric(xp, residual, e, k, metric, L, dist0, even_residual, inf):
    if metric == RESIDUAL_RATIO:
        value = residual * (k + 1.0) / (L * dist0)
    elif metric == DISTANCE:
        value = xp.sqrt(xp.vecdot(e, e))
    elif metric == RESIDUAL_EVEN:
        value = even_residual
    else:
        value = residual
    return xp.where(xp.isfinite(value), value, inf)


def _run(xp, e, step, cost, A, L, dist0, metric, tol, record_at, out, calls, reach_iter,
         reach_calls):
    """The checkpoint loop shared by the twins. ``step(k, e, F)`` (``F = A e`` row by row)
    returns the next iterate; ``cost[r, k]`` (host) is the oracle calls spent to produce
    :math:`z_k`. Dead replicas keep being computed but are masked: deciding to stop would
    need a device read at every step, so the loop only stops early at a checkpoint."""
    R = out.shape[0]
    inf = xp.asarray(xp.inf, dtype=xp.float64)  # 0-d, made once (no Python scalar in where)
    alive = xp.ones((R,), dtype=xp.bool)
    reach = xp.full((R,), -1, dtype=xp.int64)
    k_dev = xp.zeros((), dtype=xp.int64)  # the iteration on the device, for where(hit, k, .)
    even_residual = None
    j = 0
    for k in range(int(record_at[-1]) + 1):
        F = e @ A.mT  # (R, d): F(z_k) - F(z_star) for every replica
        residual = xp.sqrt(xp.vecdot(F, F))
        if k % 2 == 0:
            even_residual = residual
        if tol > 0:
            hit = alive & (reach < 0) & (residual <= tol)
            reach = xp.where(hit, k_dev, reach)
        if k == record_at[j]:
            value = xp.where(alive, _metric(xp, residual, e, k, metric, L, dist0,
                                            even_residual, inf), inf)
            # as in the kernel: a replica alive here was paid for up to z_k, even if its
            # metric is the first inf; it is dead from the next checkpoint on
            calls[:, j] = np.where(to_numpy(alive), cost[:, k], -1)
            alive = alive & xp.isfinite(value)
            out[:, j] = to_numpy(value)
            living = to_numpy(alive)
            j += 1
            if k == record_at[-1] or not living.any():
                break
        e = step(k, e, F)
        alive = alive & xp.all(xp.isfinite(e), axis=1)
        k_dev = k_dev + 1
    out[:, j:] = np.inf
    calls[:, j:] = -1
    first = to_numpy(reach)
    reach_iter[:] = first
    reach_calls[:] = np.where(first >= 0, cost[np.arange(R), np.maximum(first, 0)], -1)


def _vr_halpern(A, comps, e0, step_size, L, dist0, metric, tol, refresh, batches, record_at,
                out, calls, reach_iter, reach_calls):
    r"""Per step: ``F = e @ A.mT`` (R, d); on a step where some replica does not refresh,
    the drawn components ``take(comps, batches[:, k])`` (R, b, d, d) applied to
    :math:`e_k - e_{k-1}` by one ``vecdot`` (R, b, d), summed over the batch, and the
    estimator chosen row by row with ``where(refresh, F, ...)``; then the anchored update."""
    xp = array_namespace(A, e0)
    R, b, n, d = refresh.shape[0], batches.shape[2], comps.shape[0], e0.shape[0]
    full = np.asarray(refresh, dtype=bool).copy()  # host: the coins, and k = 0 always refreshes
    full[:, 0] = True
    cost = np.zeros((R, full.shape[1] + 1), dtype=np.int64)
    cost[:, 1:] = np.cumsum(np.where(full, n, 2 * b), axis=1)
    full_dev = xp.asarray(full)
    anchor = xp.reshape(e0, (1, d))
    state = {"prev": None, "est": None}

    def step(k, e, F):
        if full[:, k].all():  # a host decision on host coins: no device read
            est = F
        else:
            diff = e - state["prev"]
            drawn = xp.take(comps, xp.reshape(batches[:, k, :], (-1,)), axis=0)
            terms = xp.vecdot(xp.reshape(drawn, (R, b, d, d)), diff[:, None, None, :])  # (R, b, d)
            est = xp.where(full_dev[:, k:k + 1], F, state["est"] + xp.sum(terms / b, axis=1))
        lam = 1.0 / (k + 2.0)
        state["prev"], state["est"] = e, est
        return lam * anchor + (1.0 - lam) * (e - step_size * est)

    e = anchor + xp.zeros((R, d), dtype=xp.float64)
    _run(xp, e, step, cost, A, L, dist0, metric, tol, record_at, out, calls, reach_iter,
         reach_calls)


def _extra_anchored(A, n_components, e0, step_size, L, dist0, metric, tol, record_at, out,
                    calls, reach_iter, reach_calls):
    r"""Per step (one row, ``(1, d)``): the anchored point, the half step with ``F``, one more
    product with ``A.mT`` at the half step."""
    xp = array_namespace(A, e0)
    d = e0.shape[0]
    anchor = xp.reshape(e0, (1, d))
    cost = (2 * n_components * np.arange(int(record_at[-1]) + 1, dtype=np.int64))[None, :]

    def step(k, e, F):
        lam = 1.0 / (k + 2.0)
        bar = e + lam * (anchor - e)
        half = bar - step_size * F
        return bar - step_size * (half @ A.mT)

    _run(xp, anchor, step, cost, A, L, dist0, metric, tol, record_at, out, calls, reach_iter,
         reach_calls)
