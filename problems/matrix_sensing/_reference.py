r"""Array-API twins of ``_kernels.py``: the same names and arithmetic, as readable step loops
vectorised over replicas (factors of shape ``(replicas, n, k)``), written against the array API
standard so that one code runs on NumPy, CuPy and array_api_strict.

The same code runs ``S`` seeds as one batched state (``methods._over_seeds``): factors
``(S, replicas, n, k)``, ``out`` ``(S, replicas, checkpoints)``, the instance arrays stacked on a
leading seed axis (``U`` ``(S, 1, n1, r)``, ``s`` ``(S, 1, r)``, ``M_star`` ``(S, 1, n1, n2)``,
``y`` ``(S, 1, m)``: a replica axis to broadcast against the factors; ``A`` ``(S, m, n1, n2)``),
and the step size, rebalancing scale and ``norm_M`` either Python floats or per-seed arrays
``(S, 1, 1, 1)``, ``(S, 1, 1, 1)``, ``(S, 1)``. Every operation acts on the last two axes, so
each seed sees the arithmetic of its own call.

A method twin takes the namespace ``xp`` first, then the kernel's arguments, with the arrays
of the problem and the initial factors on ``xp``'s device; ``record_at`` and ``out`` stay host
NumPy (the checkpoint grid, and the results, one device-to-host copy per checkpoint). Each
step is a few batched matrix products over all replicas at once (``xp.matmul`` broadcasts over
the leading replica axis); nothing is brought to the host between checkpoints.

They are the reference the Numba kernels are tested against (``rtol=1e-10``) and the path
for the array back ends. Overflow is allowed (the caller silences NumPy's warnings): a
replica whose iterate or metric is non-finite at a checkpoint is marked dead there and reads
``+inf`` at every later checkpoint, as in the kernels, which stop it at the step it overflowed
(a non-finite factor stays non-finite, so its next checkpoint is ``+inf`` in both).
"""
from __future__ import annotations

import math

import numpy as np

from problems.backend import to_numpy

from ._kernels import FROBENIUS_SQUARED, RELATIVE


def _finite(xp, X):
    """Per replica: whether every entry of ``X`` (..., replicas, n, k) is finite."""
    return xp.all(xp.isfinite(X), axis=(-2, -1))


def _metric(xp, F, G, M_star, metric, norm_M):
    r"""The metric of :math:`FG^\top - M_\star` per replica, ``+inf`` where it or a factor is
    not finite."""
    E = F @ G.mT - M_star
    value = xp.sum(xp.vecdot(E, E), axis=-1)  # row by row: no second (replicas, n1, n2) array
    if metric == RELATIVE:
        value = xp.sqrt(value) / norm_M
    elif metric != FROBENIUS_SQUARED:
        value = xp.sqrt(value)
    finite = xp.isfinite(value) & _finite(xp, F) & _finite(xp, G)
    return xp.where(finite, value, xp.full_like(value, math.inf))


def _full_gradient(F, G, U, s, V):
    r""":math:`(FG^\top - U\operatorname{diag}(s)V^\top)G
    = F(G^\top G) - U(\operatorname{diag}(s)V^\top G)`: two (n, k) x (k, k) products and
    rank-r corrections, never an (n1, n2) matrix."""
    return F @ (G.mT @ G) - U @ (s[..., None] * (V.mT @ G))


def _sensing_sum(xp, A2, y, F, G, transform=None):
    r""":math:`S = \sum_i \phi(r_i) A_i`, :math:`r_i = \langle A_i, FG^\top\rangle - y_i`,
    per replica, as ``(..., replicas, n1, n2)``; :math:`\phi` = ``transform`` (identity if
    None). ``A2`` is ``(..., m, n1 n2)``, ``y`` ``(..., m)`` broadcasting against the residuals."""
    lead, n1, n2 = F.shape[:-2], F.shape[-2], G.shape[-2]
    res = xp.reshape(F @ G.mT, (*lead, n1 * n2)) @ A2.mT - y
    return xp.reshape((res if transform is None else transform(res)) @ A2, (*lead, n1, n2))


def _rebalance(xp, F, G, scale):
    r"""New factors :math:`\sqrt c\,FP^{-1/2}` and :math:`GP^{1/2}/\sqrt c`,
    :math:`P = F^\top F = Q\Lambda Q^\top` (batched over leading axes); ``scale`` a float or
    a per-seed array (an array's square root is the same correctly rounded number)."""
    lam, Q = xp.linalg.eigh(F.mT @ F)
    root = xp.sqrt(lam)[..., None, :]
    QT = Q.mT
    c = math.sqrt(scale) if isinstance(scale, float) else xp.sqrt(scale)
    return c * (F @ ((Q / root) @ QT)), (1.0 / c) * (G @ ((Q * root) @ QT))


def _run(xp, state, step, M_star, metric, norm_M, record_at, out):
    r"""The checkpoint loop shared by the twins: ``step(t, state)`` returns the next pair of
    factors (:math:`W = FG^\top`). Liveness is read only at checkpoints, where the metric
    comes home anyway: a per-step test would stall a GPU on a device-to-host copy."""
    alive = np.ones(out.shape[:-1], dtype=bool)
    j = 0
    for t in range(int(record_at[-1]) + 1):
        if t == record_at[j]:
            value = to_numpy(_metric(xp, *state, M_star, metric, norm_M))
            alive &= np.isfinite(value)
            out[..., j] = np.where(alive, value, np.inf)
            j += 1
            if j == record_at.size or not alive.any():
                break
        state = step(t, state)
    out[..., j:] = np.inf


def _symmetric_gd(xp, U, s, M_star, A, y, X0, step_size, metric, norm_M, record_at, out):
    m, n = A.shape[-3], X0.shape[-2]
    A2 = xp.reshape(A, (*A.shape[:-2], n * n))

    def step(t, state):
        X = state[0]
        if m == 0:
            grad = _full_gradient(X, X, U, s, U)
        else:  # (1/m) S X, S = sum_i r_i A_i (A_i symmetric)
            grad = (1.0 / m) * (_sensing_sum(xp, A2, y, X, X) @ X)
        X = X - step_size * grad
        return X, X

    _run(xp, (X0, X0), step, M_star, metric, norm_M, record_at, out)


def _asymmetric_gd(xp, U, s, V, M_star, A, y, F0, G0, step_size, rebalance_at,
                   rebalance_scale, metric, norm_M, record_at, out):
    m, n1, n2 = A.shape[-3], F0.shape[-2], G0.shape[-2]
    A2 = xp.reshape(A, (*A.shape[:-2], n1 * n2))

    def step(t, state):
        F, G = state
        if t == rebalance_at:
            F, G = _rebalance(xp, F, G, rebalance_scale)
        if m == 0:
            grad_F, grad_G = _full_gradient(F, G, U, s, V), _full_gradient(G, F, V, s, U)
        else:
            S = _sensing_sum(xp, A2, y, F, G)
            grad_F, grad_G = (1.0 / m) * (S @ G), (1.0 / m) * (S.mT @ F)
        return F - step_size * grad_F, G - step_size * grad_G

    _run(xp, (F0, G0), step, M_star, metric, norm_M, record_at, out)


def _subgradient_l1(xp, M_star, A, y, X0, step_size, decay, metric, norm_M, record_at, out):
    m, n = A.shape[0], X0.shape[1]
    A2 = xp.reshape(A, (m, n * n))

    def step(t, state):
        X = state[0]
        grad = (2.0 / m) * (_sensing_sum(xp, A2, y, X, X, xp.sign) @ X)
        X = X - step_size * decay ** float(t) * grad
        return X, X

    _run(xp, (X0, X0), step, M_star, metric, norm_M, record_at, out)
