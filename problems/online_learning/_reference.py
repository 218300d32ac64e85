r"""Array-API twins of ``_kernels.py``: the same names, signatures and arithmetic, written as
readable step loops vectorised over replicas (rows). The tests hold the Numba kernels to
these with ``rtol=1e-10`` on the same noise.

They are written against the array API standard (2023.12), so the same code runs on NumPy,
CuPy and ``array_api_strict``: the namespace is read from the arrays passed in
(``array_namespace``), which the public methods have already moved to the back end's
device. ``record_at`` and the ``out_*`` arrays stay host NumPy arrays: the running sums come
home at the checkpoints only. The chunk twins write their state arrays back in place once,
at the end of the chunk (the kernels' contract: the host feeds the next chunk of noise to
the same state); within a chunk they carry new arrays.

The simplex QP of the online Newton step is an active-set method whose iterations depend on
the data: :func:`_simplex_qp_rows` runs it on every replica at once (the free-block solve is
one batched ``linalg.solve`` of the system with the fixed rows and columns replaced by the
identity, which has the same solution on the free block), freezes the replicas that are
done, and asks the device once per active-set iteration whether all are done (a host
decision: the loop is inherently data-driven).
"""
from __future__ import annotations

import math

import numpy as np
from array_api_compat import array_namespace

from problems.backend import to_numpy

from ._kernels import (DOMAIN_BALL, HINT_LAST, HINT_NONE, LOSS_LINEAR, LOSS_LOG, LOSS_QUADRATIC,
                       MIRROR_EUCLIDEAN, STEP_CONSTANT, STEP_INVERSE_SQRT, STEP_INVERSE_T)


def _step_size(xp, rule, param, delta, t, hint_error):
    """:math:`\\eta_t`: a Python float for the rules that do not read the path, else ``(R,)``."""
    if rule == STEP_CONSTANT:
        return float(param)
    if rule == STEP_INVERSE_SQRT:
        return param / math.sqrt(t)
    if rule == STEP_INVERSE_T:
        return param / t
    return param / xp.sqrt(delta + hint_error)


def _column(xp, eta):
    return eta[:, None] if hasattr(eta, "shape") else eta


def _ball(xp, v, radius):
    norm = xp.sqrt(xp.sum(v * v, axis=1))
    one = xp.ones((), dtype=xp.float64)
    scale = xp.where(norm > radius, radius / xp.where(norm > 0, norm, one), one)
    return v * scale[:, None]


def _simplex(xp, v):
    r"""Rows of ``v`` projected onto the simplex (the kernel's sort and threshold: :math:`\theta`
    is the level at the last :math:`\rho` with :math:`u_\rho > (\sum_{j\le\rho}u_j - 1)/\rho`)."""
    d = v.shape[1]
    u = xp.sort(v, axis=1, descending=True)
    level = (xp.cumulative_sum(u, axis=1) - 1.0) / xp.arange(1, d + 1, dtype=xp.float64)
    at = xp.arange(d, dtype=xp.int64)
    rho = xp.max(xp.where(u - level > 0.0, at, xp.asarray(-1, dtype=xp.int64)), axis=1)
    theta = xp.sum(xp.where(at == rho[:, None], level, xp.zeros((), dtype=xp.float64)), axis=1)
    return xp.maximum(v - theta[:, None], xp.zeros((), dtype=xp.float64))


def _projected(xp, v, domain, radius):
    return _ball(xp, v, radius) if domain == DOMAIN_BALL else _simplex(xp, v)


def _project_ball(v, radius):
    v[...] = _ball(array_namespace(v), v, radius)


def _project_simplex(v):
    v[...] = _simplex(array_namespace(v), v)


def _project(v, domain, radius):
    v[...] = _projected(array_namespace(v), v, domain, radius)


def _softmax(xp, score, eta):
    w = xp.exp(-_column(xp, eta) * (score - xp.min(score, axis=1, keepdims=True)))
    return w / xp.sum(w, axis=1, keepdims=True)


def _observe(xp, loss_code, lam, x, y):
    """Gradients (R, d) and (shifted) losses (R,) of one round."""
    if loss_code == LOSS_LINEAR:
        return y, xp.sum(y * x, axis=1)
    if loss_code == LOSS_QUADRATIC:
        return lam * (x - y), 0.5 * lam * xp.sum(x * x, axis=1) - lam * xp.sum(x * y, axis=1)
    wealth = xp.sum(y * x, axis=1)
    return -y / wealth[:, None], -xp.log(wealth)


def _mirror_descent_chunk(loss_code, domain, mirror, hint_code, rule, param, delta, radius,
                          lam, centers, noise, t0, record_at, k, xhat, x, hint, grad_sum,
                          cum_loss, hint_error, weighted, eta_last, stat, out_loss, out_stat,
                          out_hint_error, out_weighted, out_eta):
    """Per round, all replicas at once: the step (scalar or (R,)), the played point (R, d)
    (one projection or one softmax), the observation, the running sums, the secondary
    iterate and its projection."""
    xp = array_namespace(xhat, centers, noise)
    euclidean = mirror == MIRROR_EUCLIDEAN
    xh, xr, mr, gs, st = xhat, x, hint, grad_sum, stat
    loss_sum, err_sum, w_sum, eta = cum_loss, hint_error, weighted, eta_last
    for j in range(centers.shape[0] + 1):
        if k < record_at.size and t0 + j == record_at[k]:
            out_loss[:, k], out_hint_error[:, k] = to_numpy(loss_sum), to_numpy(err_sum)
            out_weighted[:, k], out_stat[:, k] = to_numpy(w_sum), to_numpy(st)
            out_eta[:, k] = to_numpy(eta) if hasattr(eta, "shape") else eta
            k += 1
        if j == centers.shape[0]:
            break
        eta = _step_size(xp, rule, param, delta, t0 + j + 1, err_sum)
        if euclidean:
            xr = xh - _column(xp, eta) * mr
            if hint_code != HINT_NONE:
                xr = _projected(xp, xr, domain, radius)
        else:
            xr = _softmax(xp, gs + mr, eta)
        y = centers[j, :] + noise[:, j, :]
        st = st + y
        g, loss = _observe(xp, loss_code, lam, xr, y)
        loss_sum = loss_sum + loss
        diff = (g - mr) ** 2
        err = xp.sum(diff, axis=1) if euclidean else xp.max(diff, axis=1)
        err_sum = err_sum + err
        w_sum = w_sum + 0.5 * eta * err
        gs = gs + g
        if euclidean:
            xh = _projected(xp, xh - _column(xp, eta) * g, domain, radius)
        if hint_code == HINT_LAST:
            mr = g
    xhat[...], x[...], hint[...], grad_sum[...], stat[...] = xh, xr, mr, gs, st
    cum_loss[...], hint_error[...], weighted[...] = loss_sum, err_sum, w_sum
    eta_last[...] = eta
    return k


def _simplex_qp_rows(xp, A, b, y):
    r"""The kernel's active-set method on every row: ``A`` (R, d, d), ``b`` and the feasible
    start ``y`` (R, d). Returns the solutions (R, d) and the iterations (host, (R,), -1 where
    the cap ``8d + 16`` was hit). Per iteration: one batched solve of
    ``where(free_i & free_j, A, I)`` against ``[b, 1]`` on the free rows (zeros elsewhere),
    the step, and either the multipliers (rows with no blocking bound) or the ratio test."""
    R, d = y.shape
    zero = xp.zeros((), dtype=xp.float64)
    inf = xp.asarray(xp.inf, dtype=xp.float64)
    eye = xp.eye(d, dtype=xp.float64)
    at = xp.arange(d, dtype=xp.int64)
    free = y > 0.0
    y = xp.where(free, y, zero)
    one = xp.ones((), dtype=xp.float64)
    scale = xp.maximum(xp.max(xp.abs(b), axis=1), xp.max(xp.abs(xp.reshape(A, (R, d * d))), axis=1))
    tol = 1e-13 * xp.maximum(scale, one)
    done = xp.zeros((R,), dtype=xp.bool)
    iterations = xp.full((R,), -1, dtype=xp.int64)
    for it in range(8 * d + 16):
        both = free[:, :, None] & free[:, None, :]
        M = xp.where(both, A, eye)
        rhs = xp.stack([xp.where(free, b, zero), xp.where(free, one, zero)], axis=2)
        sol = xp.linalg.solve(M, rhs)  # (R, d, 2): A_FF^{-1} [b_F, 1] on the free rows, 0 elsewhere
        u, v = sol[:, :, 0], sol[:, :, 1]
        nu = (xp.sum(u, axis=1) - 1.0) / xp.sum(v, axis=1)
        p = xp.where(free, u - nu[:, None] * v, zero)
        neg = free & (p < 0.0)
        blocked = xp.any(neg, axis=1)
        # rows with no blocking bound: move to p, then the multipliers of the fixed rows
        mu = xp.vecdot(A, p[:, None, :]) - b + nu[:, None]
        mu = xp.where(free, inf, mu)
        worst = xp.min(mu, axis=1)
        finished = ~done & ~blocked & (worst >= -tol)
        release = ~done & ~blocked & ~finished
        free_next = free | (release[:, None] & (at == xp.argmin(mu, axis=1)[:, None]))
        # rows with a blocking bound: the ratio test, the first bound met is fixed at 0
        ratios = xp.where(neg, y / xp.where(neg, y - p, one), inf)
        block = xp.argmin(ratios, axis=1)
        step = xp.where(blocked, xp.min(ratios, axis=1), zero)  # no inf * 0 on the other rows
        hit = (at == block[:, None]) & (~done & blocked)[:, None]
        moved = xp.where(hit, zero, y + step[:, None] * (p - y))
        free_next = xp.where((~done & blocked)[:, None], free & ~hit, free_next)
        y = xp.where((~done & blocked)[:, None], moved, xp.where((~done & ~blocked)[:, None], p, y))
        free = xp.where(done[:, None], free, free_next)
        iterations = xp.where(finished, xp.asarray(it + 1, dtype=xp.int64), iterations)
        done = done | finished
        if bool(xp.all(done)):
            break
    return y, to_numpy(iterations)


def _simplex_qp(A, b, y):
    """One QP (``A`` (d, d), ``b``, ``y`` (d,) overwritten), as in the kernel."""
    xp = array_namespace(A, y)
    d = y.shape[0]
    sol, iterations = _simplex_qp_rows(xp, xp.reshape(A, (1, d, d)), xp.reshape(b, (1, d)),
                                       xp.reshape(y, (1, d)))
    y[...] = sol[0, ...]
    return int(iterations[0])


def _ons_chunk(optimistic, gamma, centers, noise, t0, record_at, k, xhat, x, hint, A,
               cum_loss, hint_error, failures, out_loss, out_hint_error):
    """Per round, all replicas at once: (optimistic) one batched QP for the played point, the
    log-loss observation, the rank-one update of ``A`` (R, d, d), one batched QP for the
    secondary iterate. ``failures`` (host int64: the iteration counts come home anyway, for
    the loop's stopping rule) counts the QPs that hit the cap."""
    xp = array_namespace(xhat, A, noise)
    xh, xr, mr, AA = xhat, x, hint, A
    loss_sum, err_sum = cum_loss, hint_error
    failed = np.zeros(xhat.shape[0], dtype=np.int64)
    for j in range(centers.shape[0] + 1):
        if k < record_at.size and t0 + j == record_at[k]:
            out_loss[:, k], out_hint_error[:, k] = to_numpy(loss_sum), to_numpy(err_sum)
            k += 1
        if j == centers.shape[0]:
            break
        xr = xh
        if optimistic:
            xr, its = _simplex_qp_rows(xp, AA, xp.vecdot(AA, xh[:, None, :]) - mr / gamma, xh)
            failed += its < 0
        y = centers[j, :] + noise[:, j, :]
        g, loss = _observe(xp, LOSS_LOG, 0.0, xr, y)
        loss_sum = loss_sum + loss
        err_sum = err_sum + xp.sum((g - mr) ** 2 if optimistic else g * g, axis=1)
        AA = AA + g[:, :, None] * g[:, None, :]
        xh, its = _simplex_qp_rows(xp, AA, xp.vecdot(AA, xh[:, None, :]) - g / gamma, xh)
        failed += its < 0
        mr = g
    xhat[...], x[...], hint[...], A[...] = xh, xr, mr, AA
    cum_loss[...], hint_error[...] = loss_sum, err_sum
    failures += failed
    return k
