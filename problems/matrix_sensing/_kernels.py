r"""Private Numba kernels for ``problems.matrix_sensing.methods``.

Arrays and scalars in, preallocated arrays out: no objects, no exceptions, no printing,
no random numbers (the initial factors are drawn on the host and passed in), no
``fastmath``. Each method kernel has an array-API twin of the same name in ``_reference.py``
(the same arguments after the namespace ``xp``); the tests hold them to ``rtol=1e-10``.

Conventions shared by the kernels:

* the initial factors come as ``(replicas, n, k)`` arrays; the replica loop is inside;
* the metric of :math:`W - M_\star` (:math:`W = XX^\top` or :math:`FG^\top`) is written into
  ``out[r, j]`` when the iteration count equals ``record_at[j]``; the error matrix is formed
  entry by entry, so the metric has no cancellation floor;
* ``A`` of shape ``(0, n1, n2)`` (and an empty ``y``) means full observation: the
  gradient then uses the factors of :math:`M_\star = U\operatorname{diag}(s)V^\top` and
  costs :math:`O((n_1 + n_2)(k^2 + rk))` per step, never an :math:`n_1\times n_2` matrix;
* a replica whose iterate or metric becomes non-finite stops there and all its remaining
  checkpoints read ``+inf`` (the same in both back ends).
"""
from __future__ import annotations

import numba
import numpy as np

# Integer codes shared with the wrappers and the NumPy twins.
FROBENIUS, FROBENIUS_SQUARED, RELATIVE = 0, 1, 2


@numba.njit(cache=True)
def _mtm(A, B, out):
    """``out = A^T B``."""
    out[:, :] = 0.0
    for i in range(A.shape[0]):
        for a in range(A.shape[1]):
            x = A[i, a]
            for b in range(B.shape[1]):
                out[a, b] += x * B[i, b]


@numba.njit(cache=True)
def _metric(F, G, M_star, metric, norm_M):
    r"""The metric of :math:`FG^\top - M_\star`, ``+inf`` when it is not finite."""
    acc = 0.0
    for i in range(F.shape[0]):
        for j in range(G.shape[0]):
            w = 0.0
            for c in range(F.shape[1]):
                w += F[i, c] * G[j, c]
            d = w - M_star[i, j]
            acc += d * d
    if metric == FROBENIUS_SQUARED:
        value = acc
    elif metric == RELATIVE:
        value = np.sqrt(acc) / norm_M
    else:
        value = np.sqrt(acc)
    return value if np.isfinite(value) else np.inf


@numba.njit(cache=True)
def _full_gradient(F, G, U, s, V, P, C, out):
    r"""``out`` :math:`= (FG^\top - U\operatorname{diag}(s)V^\top)\,G
    = F(G^\top G) - U(\operatorname{diag}(s)\,V^\top G)`; ``P`` (k, k), ``C`` (r, k) work."""
    _mtm(G, G, P)
    _mtm(V, G, C)
    for a in range(C.shape[0]):
        for b in range(C.shape[1]):
            C[a, b] *= s[a]
    for i in range(F.shape[0]):
        for b in range(F.shape[1]):
            acc = 0.0
            for a in range(F.shape[1]):
                acc += F[i, a] * P[a, b]
            for a in range(U.shape[1]):
                acc -= U[i, a] * C[a, b]
            out[i, b] = acc


@numba.njit(cache=True)
def _residuals(A2, y, F, G, W):
    r""":math:`r_i = \langle A_i, FG^\top\rangle - y_i`; ``A2`` is ``A`` as (m, n1 n2),
    ``W`` (n1, n2) work."""
    for i in range(F.shape[0]):
        for j in range(G.shape[0]):
            w = 0.0
            for c in range(F.shape[1]):
                w += F[i, c] * G[j, c]
            W[i, j] = w
    return np.dot(A2, W.ravel()) - y


@numba.njit(cache=True)
def _weighted_sum(A2, coef, n1, n2):
    r""":math:`S = \sum_i c_i A_i` as an (n1, n2) matrix."""
    return np.dot(coef, A2).reshape((n1, n2))


@numba.njit(cache=True)
def _matmul(S, X, out, scale):
    """``out = scale * S X``."""
    for i in range(S.shape[0]):
        for b in range(X.shape[1]):
            out[i, b] = 0.0
        for j in range(S.shape[1]):
            x = scale * S[i, j]
            for b in range(X.shape[1]):
                out[i, b] += x * X[j, b]


@numba.njit(cache=True)
def _descend(X, grad, eta):
    """``X -= eta * grad``; whether every entry is still finite."""
    ok = True
    for i in range(X.shape[0]):
        for b in range(X.shape[1]):
            X[i, b] -= eta * grad[i, b]
            ok = ok and np.isfinite(X[i, b])
    return ok


@numba.njit(cache=True)
def _rebalance(F, G, scale):
    r"""In place: :math:`F \leftarrow \sqrt c\,FP^{-1/2}`, :math:`G \leftarrow GP^{1/2}/\sqrt c`,
    :math:`P = F^\top F = Q\Lambda Q^\top`. Keeps :math:`FG^\top`; makes :math:`F^\top F = cI`."""
    k = F.shape[1]
    P = np.empty((k, k))
    _mtm(F, F, P)
    lam, Q = np.linalg.eigh(P)
    root = np.sqrt(lam)
    inv_root = np.empty((k, k))
    fwd_root = np.empty((k, k))
    for a in range(k):
        for b in range(k):
            inv = 0.0
            fwd = 0.0
            for c in range(k):
                inv += Q[a, c] * Q[b, c] / root[c]
                fwd += Q[a, c] * Q[b, c] * root[c]
            inv_root[a, b] = inv
            fwd_root[a, b] = fwd
    F_new = np.empty_like(F)
    G_new = np.empty_like(G)
    _matmul(F, inv_root, F_new, np.sqrt(scale))
    _matmul(G, fwd_root, G_new, 1.0 / np.sqrt(scale))
    F[:, :] = F_new
    G[:, :] = G_new


@numba.njit(cache=True)
def _symmetric_gd(U, s, M_star, A, y, X0, step_size, metric, norm_M, record_at, out):
    r"""GD on :math:`\frac14\|XX^\top - M_\star\|_F^2` (full) or
    :math:`\frac1{4m}\sum_i(\langle A_i, XX^\top\rangle - y_i)^2` (sensing)."""
    replicas, n, k = X0.shape
    m = A.shape[0]
    A2 = A.reshape((m, n * n))
    n_iter = record_at[-1]
    grad = np.empty((n, k))
    P = np.empty((k, k))
    C = np.empty((U.shape[1], k))
    W = np.empty((n, n))
    for rep in range(replicas):
        X = X0[rep].copy()
        j = 0
        for t in range(n_iter + 1):
            if t == record_at[j]:
                out[rep, j] = _metric(X, X, M_star, metric, norm_M)
                j += 1
                if out[rep, j - 1] == np.inf:
                    break
            if t == n_iter:
                break
            if m == 0:
                _full_gradient(X, X, U, s, U, P, C, grad)
            else:  # gradient (1/m) sum_i r_i A_i X, A_i symmetric
                S = _weighted_sum(A2, _residuals(A2, y, X, X, W), n, n)
                _matmul(S, X, grad, 1.0 / m)
            if not _descend(X, grad, step_size):
                break
        out[rep, j:] = np.inf


@numba.njit(cache=True)
def _asymmetric_gd(U, s, V, M_star, A, y, F0, G0, step_size, rebalance_at, rebalance_scale,
                   metric, norm_M, record_at, out):
    r"""Simultaneous GD on :math:`\frac12\|FG^\top - M_\star\|_F^2` (full) or
    :math:`\frac1{2m}\sum_i(\langle A_i, FG^\top\rangle - y_i)^2` (sensing), with
    :func:`_rebalance` applied before the update of step ``rebalance_at`` (never if -1)."""
    replicas, n1, k = F0.shape
    n2 = G0.shape[1]
    m = A.shape[0]
    A2 = A.reshape((m, n1 * n2))
    n_iter = record_at[-1]
    grad_F = np.empty((n1, k))
    grad_G = np.empty((n2, k))
    P = np.empty((k, k))
    C = np.empty((U.shape[1], k))
    W = np.empty((n1, n2))
    for rep in range(replicas):
        F = F0[rep].copy()
        G = G0[rep].copy()
        j = 0
        for t in range(n_iter + 1):
            if t == record_at[j]:
                out[rep, j] = _metric(F, G, M_star, metric, norm_M)
                j += 1
                if out[rep, j - 1] == np.inf:
                    break
            if t == n_iter:
                break
            if t == rebalance_at:
                _rebalance(F, G, rebalance_scale)
            if m == 0:
                _full_gradient(F, G, U, s, V, P, C, grad_F)
                _full_gradient(G, F, V, s, U, P, C, grad_G)
            else:  # (1/m) S G and (1/m) S^T F with S = sum_i r_i A_i
                S = _weighted_sum(A2, _residuals(A2, y, F, G, W), n1, n2)
                _matmul(S, G, grad_F, 1.0 / m)
                _matmul(S.T, F, grad_G, 1.0 / m)
            ok_F = _descend(F, grad_F, step_size)
            if not (_descend(G, grad_G, step_size) and ok_F):
                break
        out[rep, j:] = np.inf


@numba.njit(cache=True)
def _subgradient_l1(M_star, A, y, X0, step_size, decay, metric, norm_M, record_at, out):
    r"""Subgradient method on :math:`\frac1m\sum_i|\langle A_i, XX^\top\rangle - y_i|` with
    steps :math:`\eta\,q^t` (``A``, ``y`` are the measurements used)."""
    replicas, n, k = X0.shape
    m = A.shape[0]
    A2 = A.reshape((m, n * n))
    n_iter = record_at[-1]
    grad = np.empty((n, k))
    W = np.empty((n, n))
    for rep in range(replicas):
        X = X0[rep].copy()
        j = 0
        for t in range(n_iter + 1):
            if t == record_at[j]:
                out[rep, j] = _metric(X, X, M_star, metric, norm_M)
                j += 1
                if out[rep, j - 1] == np.inf:
                    break
            if t == n_iter:
                break
            S = _weighted_sum(A2, np.sign(_residuals(A2, y, X, X, W)), n, n)
            _matmul(S, X, grad, 2.0 / m)
            if not _descend(X, grad, step_size * decay ** float(t)):
                break
        out[rep, j:] = np.inf
