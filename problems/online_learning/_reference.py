r"""NumPy twins of ``_kernels.py``: the same names, signatures and arithmetic, written as
readable step loops vectorised over replicas (rows). The tests hold the Numba kernels to
these with ``rtol=1e-10`` on the same noise.
"""
from __future__ import annotations

import numpy as np

from ._kernels import (DOMAIN_BALL, HINT_LAST, HINT_NONE, LOSS_LINEAR, LOSS_LOG,
                       LOSS_QUADRATIC, MIRROR_EUCLIDEAN, STEP_CONSTANT, STEP_INVERSE_SQRT,
                       STEP_INVERSE_T)


def _step_size(rule, param, delta, t, hint_error):
    if rule == STEP_CONSTANT:
        return np.full(hint_error.shape, float(param))
    if rule == STEP_INVERSE_SQRT:
        return np.full(hint_error.shape, param / np.sqrt(t))
    if rule == STEP_INVERSE_T:
        return np.full(hint_error.shape, param / t)
    return param / np.sqrt(delta + hint_error)


def _project_ball(v, radius):
    norm = np.sqrt(np.sum(v * v, axis=1))
    scale = np.where(norm > radius, radius / np.where(norm > 0, norm, 1.0), 1.0)
    v *= scale[:, None]


def _project_simplex(v):
    u = -np.sort(-v, axis=1)
    level = (np.cumsum(u, axis=1) - 1.0) / np.arange(1, v.shape[1] + 1)
    rho = v.shape[1] - 1 - np.argmax((u - level > 0)[:, ::-1], axis=1)
    theta = level[np.arange(v.shape[0]), rho]
    v[...] = np.maximum(v - theta[:, None], 0.0)


def _project(v, domain, radius):
    if domain == DOMAIN_BALL:
        _project_ball(v, radius)
    else:
        _project_simplex(v)


def _softmax(score, eta):
    w = np.exp(-eta[:, None] * (score - score.min(axis=1, keepdims=True)))
    return w / w.sum(axis=1, keepdims=True)


def _observe(loss_code, lam, x, y):
    """Gradients (R, d) and (shifted) losses (R,) of one round."""
    if loss_code == LOSS_LINEAR:
        return y.copy(), np.sum(y * x, axis=1)
    if loss_code == LOSS_QUADRATIC:
        return lam * (x - y), 0.5 * lam * np.sum(x * x, axis=1) - lam * np.sum(x * y, axis=1)
    wealth = np.sum(y * x, axis=1)
    return -y / wealth[:, None], -np.log(wealth)


def _mirror_descent_chunk(loss_code, domain, mirror, hint_code, rule, param, delta, radius,
                          lam, centers, noise, t0, record_at, k, xhat, x, hint, grad_sum,
                          cum_loss, hint_error, weighted, eta_last, stat, out_loss, out_stat,
                          out_hint_error, out_weighted, out_eta):
    euclidean = mirror == MIRROR_EUCLIDEAN
    for j in range(centers.shape[0] + 1):
        if k < record_at.size and t0 + j == record_at[k]:
            out_loss[:, k], out_hint_error[:, k] = cum_loss, hint_error
            out_weighted[:, k], out_eta[:, k], out_stat[:, k] = weighted, eta_last, stat
            k += 1
        if j == centers.shape[0]:
            break
        eta = _step_size(rule, param, delta, t0 + j + 1, hint_error)
        if euclidean:
            x[...] = xhat - eta[:, None] * hint
            if hint_code != HINT_NONE:
                _project(x, domain, radius)
        else:
            x[...] = _softmax(grad_sum + hint, eta)
        y = centers[j] + noise[:, j]
        stat += y
        g, loss = _observe(loss_code, lam, x, y)
        cum_loss += loss
        diff = (g - hint) ** 2
        err = diff.sum(axis=1) if euclidean else diff.max(axis=1)
        hint_error += err
        weighted += 0.5 * eta * err
        eta_last[:] = eta
        grad_sum += g
        if euclidean:
            xhat -= eta[:, None] * g
            _project(xhat, domain, radius)
        if hint_code == HINT_LAST:
            hint[...] = g
    return k


def _simplex_qp(A, b, y):
    """The active-set method of the kernel, with ``numpy.linalg.solve`` on the free block."""
    d = y.size
    free = y > 0.0
    y[~free] = 0.0
    tol = 1e-13 * max(1.0, np.abs(b).max(), np.abs(A).max())
    for it in range(8 * d + 16):
        F = np.flatnonzero(free)
        sol = np.linalg.solve(A[np.ix_(F, F)], np.stack([b[F], np.ones(F.size)], axis=1))
        nu = (sol[:, 0].sum() - 1.0) / sol[:, 1].sum()
        p = sol[:, 0] - nu * sol[:, 1]
        neg = p < 0.0
        if not neg.any():
            y[:] = 0.0
            y[F] = p
            mu = A @ y - b + nu
            mu[free] = np.inf
            if mu.min() >= -tol:
                return it + 1
            free[np.argmin(mu)] = True
            continue
        ratios = np.where(neg, y[F] / np.where(neg, y[F] - p, 1.0), np.inf)
        block = np.argmin(ratios)
        y[F] += ratios[block] * (p - y[F])
        y[F[block]] = 0.0
        free[F[block]] = False
    return -1


def _ons_chunk(optimistic, gamma, centers, noise, t0, record_at, k, xhat, x, hint, A,
               cum_loss, hint_error, failures, out_loss, out_hint_error):
    replicas = xhat.shape[0]
    for j in range(centers.shape[0] + 1):
        if k < record_at.size and t0 + j == record_at[k]:
            out_loss[:, k], out_hint_error[:, k] = cum_loss, hint_error
            k += 1
        if j == centers.shape[0]:
            break
        x[...] = xhat
        if optimistic:
            for r in range(replicas):
                if _simplex_qp(A[r], A[r] @ xhat[r] - hint[r] / gamma, x[r]) < 0:
                    failures[r] += 1
        y = centers[j] + noise[:, j]
        g, loss = _observe(LOSS_LOG, 0.0, x, y)
        cum_loss += loss
        hint_error += np.sum((g - hint) ** 2 if optimistic else g * g, axis=1)
        A += g[:, :, None] * g[:, None, :]
        for r in range(replicas):
            if _simplex_qp(A[r], A[r] @ xhat[r] - g[r] / gamma, xhat[r]) < 0:
                failures[r] += 1
        hint[...] = g
    return k
