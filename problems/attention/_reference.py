r"""Array-API twins of ``_kernels.py``: the same names, signatures and maths (see ``_kernels.py``),
vectorised over replicas, sequences and tokens where the kernels loop.

They are written against the array API standard (2023.12), so the same code runs on NumPy, CuPy
and ``array_api_strict``: the namespace is read from the arrays passed in (``array_namespace``),
which the public methods have already moved to the back end's device. ``record_at`` and the
``*_out`` arrays stay host NumPy: the loop control never reads the device, and the iterates come
home once per checkpoint (``to_numpy``), so a GPU is not synchronised at every step. They are the
reference the Numba kernels are tested against (``rtol=1e-10``).

The replicas of normalized GD run as one stacked state (``W`` of shape ``(replicas, d, d)``): the
kernel's per-replica decisions (a zero gradient freezes the iterate, a non-finite one stops the
replica and NaNs its later checkpoints) become masks, so a step is a few batched products for all
replicas at once and no decision needs a number from the device.
"""
from __future__ import annotations

import numpy as np
from array_api_compat import array_namespace

from problems.backend import to_device, to_numpy


def _constants(xp):
    """0-d ``(0, 1, nan, -inf)`` made once per call: a Python scalar in ``where`` is not in the
    2023.12 standard, and a fresh ``asarray`` per step would be a host-to-device copy on a GPU."""
    return tuple(xp.asarray(v, dtype=xp.float64) for v in (0.0, 1.0, float("nan"), -float("inf")))


def _directions(xp, X, Z, values, labels, W, constants):
    r"""``(G, m)``: :math:`\nabla\mathcal L(W)/e^m` and :math:`m` (``-inf`` where the gradient is 0) for each
    matrix of the stack ``W`` ``(..., d, d)``; ``G`` has the shape of ``W``, ``m`` of ``W.shape[:-2]``.
    ``X`` (n, T, d), ``Z`` (n, d), ``values`` (n, T), ``labels`` (n,)."""
    zero, _, _, neg_inf = constants
    n, T, d = X.shape
    u = Z @ W.mT  # (..., n, d): rows W z_i
    s = (X @ u[..., None])[..., 0]  # (..., n, T): s_it = x_it^T W z_i
    ref = xp.argmax(s, axis=-1)  # (..., n): the first maximum, as in the kernel
    at_ref = xp.arange(T) == ref[..., None]
    off = xp.logical_not(at_ref)
    shifted = s - xp.max(s, axis=-1, keepdims=True)  # s - s_r, exactly
    log_norm = xp.log1p(xp.sum(xp.where(off, xp.exp(shifted), zero), axis=-1))
    logp = shifted - log_norm[..., None]
    a_r = xp.sum(xp.where(at_ref, values, zero), axis=-1)  # adds zeros: exact
    gap = xp.sum(xp.where(off, xp.exp(logp) * (a_r[..., None] - values), zero), axis=-1)  # a_r - f
    f = a_r - gap
    c = -labels / (1.0 + xp.exp(labels * f))
    diff = (values - a_r[..., None]) + gap[..., None]
    logw = xp.where(off, xp.log(xp.abs(c))[..., None] + logp + xp.log(xp.abs(diff)), neg_inf)
    sign = xp.sign(c)[..., None] * xp.sign(diff)
    top = xp.max(logw, axis=(-2, -1))
    shift = xp.where(top == neg_inf, zero, top)  # all weights 0 then, and G = 0, not NaN
    weights = xp.where(off, sign * xp.exp(logw - shift[..., None, None]), zero)  # (..., n, T)
    flat = xp.reshape(xp.arange(n) * T + ref, (-1,))  # the reference token of each sequence
    x_ref = xp.reshape(xp.take(xp.reshape(X, (n * T, d)), flat, axis=0), (*ref.shape, 1, d))
    # sum_t w_it (x_it - x_ir): (..., n, d); then G = sum_i (that) z_i^T
    pulled = (weights[..., None, :] @ (X - x_ref))[..., 0, :]
    return pulled.mT @ Z, top


def _direction(X, Z, values, labels, W, G):
    r"""The kernel's contract, for one ``W`` ``(d, d)``: ``G`` := :math:`\nabla\mathcal L(W)/e^m`; returns :math:`m`."""
    xp = array_namespace(X, W)
    g, top = _directions(xp, X, Z, values, labels, W, _constants(xp))
    G[...] = g
    return top


def _frobenius(xp, A):
    """Frobenius norm of each matrix of the stack ``A``."""
    return xp.sqrt(xp.sum(A * A, axis=(-2, -1)))


def _normalized_gd_w(X, Z, values, labels, W0, step_size, record_at, W_out):
    xp = array_namespace(X, W0)
    constants = _constants(xp)
    zero, one, nan, neg_inf = constants
    n_iter = record_at[-1]
    W = W0  # (replicas, d, d), rebound at each step, never written
    alive = xp.ones(W0.shape[0], dtype=xp.bool)  # False once a replica met a non-finite gradient
    j = 0
    for k in range(n_iter + 1):
        if k == record_at[j]:
            W_out[:, j] = to_numpy(xp.where(alive[:, None, None], W, nan))
            j += 1
        if k == n_iter:
            break
        G, top = _directions(xp, X, Z, values, labels, W, constants)
        norm = _frobenius(xp, G)
        moving = alive & (top != neg_inf) & (norm != zero)  # else frozen (a zero gradient)
        finite = xp.isfinite(norm)
        alive = alive & xp.logical_not(moving & xp.logical_not(finite))
        moving = moving & finite
        safe = xp.where(moving, norm, one)[:, None, None]
        W = xp.where(moving[:, None, None], W - step_size * G / safe, W)


def _normalized_gd_kq(X, Z, values, labels, K0, Q0, step_size, blockwise, record_at, K_out, Q_out):
    xp = array_namespace(X, K0)
    constants = _constants(xp)
    zero, one, nan, neg_inf = constants
    n_iter = record_at[-1]
    K, Q = K0, Q0  # (replicas, d, m), rebound at each step
    alive = xp.ones(K0.shape[0], dtype=xp.bool)
    j = 0
    for k in range(n_iter + 1):
        if k == record_at[j]:
            K_out[:, j] = to_numpy(xp.where(alive[:, None, None], K, nan))
            Q_out[:, j] = to_numpy(xp.where(alive[:, None, None], Q, nan))
            j += 1
        if k == n_iter:
            break
        G, top = _directions(xp, X, Z, values, labels, K @ Q.mT, constants)
        gK, gQ = G @ Q, G.mT @ K
        norm_k, norm_q = _frobenius(xp, gK), _frobenius(xp, gQ)
        moving = alive & (top != neg_inf)
        finite = xp.isfinite(norm_k) & xp.isfinite(norm_q)
        alive = alive & xp.logical_not(moving & xp.logical_not(finite))
        moving = moving & finite
        if blockwise:
            scale_k, scale_q = _scale(xp, step_size, norm_k, zero, one), _scale(xp, step_size, norm_q, zero, one)
        else:
            scale_k = scale_q = _scale(xp, step_size, xp.sqrt(norm_k * norm_k + norm_q * norm_q), zero, one)
        keep = moving[:, None, None]
        K, Q = (xp.where(keep, K - scale_k[:, None, None] * gK, K),
                xp.where(keep, Q - scale_q[:, None, None] * gQ, Q))


def _scale(xp, step_size, norm, zero, one):
    """``step_size / norm`` where ``norm > 0``, else 0 (as the kernel)."""
    positive = norm > zero
    return xp.where(positive, step_size / xp.where(positive, norm, one), zero)


def _context_moments(x, y, w, mm, mw):
    """Accumulates into ``mm`` and ``mw`` (arrays of the method), as the kernel; vectorised over prompts."""
    xp = array_namespace(x, mm)
    N, n, d = x.shape
    e = xp.concat([x, y[:, :, None]], axis=2)  # (N, n, d + 1)
    upper = np.triu_indices(d + 1)  # vech order: upper triangle, row by row
    flat = to_device(xp, upper[0] * (d + 1) + upper[1])
    m = xp.take(xp.reshape(e.mT @ e, (N, (d + 1) ** 2)), flat, axis=1) / n  # (N, F)
    mm += m.mT @ m
    mw += m.mT @ w
