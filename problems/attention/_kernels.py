r"""Private Numba kernels for ``problems.attention``.

Arrays and scalars in, preallocated arrays out: no objects, no exceptions, no printing, no
random numbers (initialisations and prompts are drawn on the host and passed in), no
``fastmath``. Each kernel has a NumPy twin of the same name and signature in
``_reference.py``; the tests hold them to ``rtol=1e-10``.

**The gradient direction, without underflow.** For the attention model of ``methods.py``
(sequence :math:`i`, tokens :math:`x_{it}`, query :math:`z_i`, scores
:math:`s_{it} = x_{it}^\top W z_i`, softmax :math:`p_i`, output
:math:`f_i = \sum_t p_{it} a_{it}` with :math:`a_{it} = v^\top x_{it}`, logistic loss
:math:`\mathcal L = \frac1n\sum_i \ell(Y_i f_i)`, :math:`\ell(u) = \log(1 + e^{-u})`):

.. math::

    \nabla\mathcal L(W) = \frac1n\sum_i c_i \sum_{t \ne r_i} p_{it}(a_{it} - f_i)\,(x_{it} - x_{ir_i})z_i^\top,
    \qquad c_i = \ell'(Y_i f_i)\,Y_i,

for any reference token :math:`r_i` [derived here: :math:`\partial f_i/\partial s_{it} = p_{it}(a_{it} - f_i)` and
:math:`\sum_t p_{it}(a_{it} - f_i) = 0`]. Along the run the off-reference weights fall like
:math:`e^{-\|W\|\cdot\text{margin}}` and underflow (below :math:`10^{-308}` after a few thousand
normalized steps), and :math:`a_{it} - f_i` computed as a difference loses every digit. The
kernels therefore take :math:`r_i = \arg\max_t s_{it}`, compute
:math:`a_{ir} - f_i = \sum_{t\ne r} p_{it}(a_{ir} - a_{it})` from the small probabilities, keep each
weight as a logarithm :math:`\log|c_i| + \log p_{it} + \log|a_{it} - f_i|` with its sign, and
return the gradient divided by :math:`e^{m}`, :math:`m` the largest log-weight. Normalized GD
only uses the direction, which is then exact to round-off at any :math:`\|W\|`.
"""
from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True)
def _direction(X, Z, values, labels, W, G):
    r"""``G`` := :math:`\nabla\mathcal L(W)/e^m`; returns :math:`m` (``-inf`` when the gradient is 0)."""
    n, T, d = X.shape
    logw = np.full((n, T), -np.inf)
    sign = np.zeros((n, T))
    ref = np.zeros(n, dtype=np.int64)
    u = np.empty(d)
    s = np.empty(T)
    top = -np.inf
    for i in range(n):
        for p in range(d):
            acc = 0.0
            for q in range(d):
                acc += W[p, q] * Z[i, q]
            u[p] = acc
        r = 0
        for t in range(T):
            acc = 0.0
            for p in range(d):
                acc += X[i, t, p] * u[p]
            s[t] = acc
            if s[t] > s[r]:
                r = t
        ref[i] = r
        total = 0.0
        for t in range(T):
            if t != r:
                total += np.exp(s[t] - s[r])
        log_norm = np.log1p(total)
        gap = 0.0  # a_r - f, from the small probabilities
        for t in range(T):
            if t != r:
                gap += np.exp(s[t] - s[r] - log_norm) * (values[i, r] - values[i, t])
        f = values[i, r] - gap
        c = -labels[i] / (1.0 + np.exp(labels[i] * f))
        log_c = np.log(np.abs(c))
        for t in range(T):
            if t == r:
                continue
            diff = (values[i, t] - values[i, r]) + gap
            logw[i, t] = log_c + (s[t] - s[r] - log_norm) + np.log(np.abs(diff))
            sign[i, t] = np.sign(c) * np.sign(diff)
            if logw[i, t] > top:
                top = logw[i, t]
    G[:, :] = 0.0
    if top == -np.inf:
        return top
    for i in range(n):
        r = ref[i]
        for t in range(T):
            if t == r:
                continue
            w = sign[i, t] * np.exp(logw[i, t] - top)
            for p in range(d):
                coef = w * (X[i, t, p] - X[i, r, p])
                for q in range(d):
                    G[p, q] += coef * Z[i, q]
    return top


@numba.njit(cache=True)
def _store(A, out, rep, j):
    """``out[rep, j] = A`` for a matrix ``A``, element by element."""
    for p in range(A.shape[0]):
        for q in range(A.shape[1]):
            out[rep, j, p, q] = A[p, q]


@numba.njit(cache=True)
def _frobenius(A):
    acc = 0.0
    for p in range(A.shape[0]):
        for q in range(A.shape[1]):
            acc += A[p, q] * A[p, q]
    return np.sqrt(acc)


@numba.njit(cache=True)
def _normalized_gd_w(X, Z, values, labels, W0, step_size, record_at, W_out):
    r"""Normalized GD on :math:`W`: :math:`W \leftarrow W - \eta\nabla\mathcal L/\|\nabla\mathcal L\|_F`,
    per replica from ``W0[r]``; :math:`W` at step ``record_at[j]`` goes to ``W_out[r, j]``. A zero
    gradient freezes :math:`W`; a non-finite one stops the replica (its later checkpoints NaN)."""
    replicas, d = W0.shape[0], W0.shape[1]
    n_iter = record_at[-1]
    G = np.empty((d, d))
    for rep in range(replicas):
        W = W0[rep].copy()
        j = 0
        for k in range(n_iter + 1):
            if k == record_at[j]:
                _store(W, W_out, rep, j)
                j += 1
            if k == n_iter:
                break
            top = _direction(X, Z, values, labels, W, G)
            norm = _frobenius(G)
            if top == -np.inf or norm == 0.0:
                continue
            if not np.isfinite(norm):
                break
            for p in range(d):
                for q in range(d):
                    W[p, q] -= step_size * G[p, q] / norm
        for jj in range(j, record_at.shape[0]):
            _store(np.full((d, d), np.nan), W_out, rep, jj)


@numba.njit(cache=True)
def _normalized_gd_kq(X, Z, values, labels, K0, Q0, step_size, blockwise, record_at, K_out, Q_out):
    r"""Normalized GD on the factors of :math:`W = KQ^\top`: gradients :math:`G Q` and :math:`G^\top K`
    (:math:`G = \nabla_W\mathcal L`), divided by their joint norm (``blockwise=False``) or each by
    its own (``True``, the official code's choice); otherwise as :func:`_normalized_gd_w`."""
    replicas, d, m = K0.shape[0], K0.shape[1], K0.shape[2]
    n_iter = record_at[-1]
    G = np.empty((d, d))
    W = np.empty((d, d))
    gK = np.empty((d, m))
    gQ = np.empty((d, m))
    for rep in range(replicas):
        K = K0[rep].copy()
        Q = Q0[rep].copy()
        j = 0
        for k in range(n_iter + 1):
            if k == record_at[j]:
                _store(K, K_out, rep, j)
                _store(Q, Q_out, rep, j)
                j += 1
            if k == n_iter:
                break
            for p in range(d):
                for q in range(d):
                    acc = 0.0
                    for c in range(m):
                        acc += K[p, c] * Q[q, c]
                    W[p, q] = acc
            top = _direction(X, Z, values, labels, W, G)
            if top == -np.inf:
                continue
            for p in range(d):
                for c in range(m):
                    acc_k = 0.0
                    acc_q = 0.0
                    for q in range(d):
                        acc_k += G[p, q] * Q[q, c]
                        acc_q += G[q, p] * K[q, c]
                    gK[p, c] = acc_k
                    gQ[p, c] = acc_q
            norm_k = _frobenius(gK)
            norm_q = _frobenius(gQ)
            if not (np.isfinite(norm_k) and np.isfinite(norm_q)):
                break
            if blockwise:
                scale_k = step_size / norm_k if norm_k > 0 else 0.0
                scale_q = step_size / norm_q if norm_q > 0 else 0.0
            else:
                joint = np.sqrt(norm_k * norm_k + norm_q * norm_q)
                scale_k = step_size / joint if joint > 0 else 0.0
                scale_q = scale_k
            for p in range(d):
                for c in range(m):
                    K[p, c] -= scale_k * gK[p, c]
                    Q[p, c] -= scale_q * gQ[p, c]
        for jj in range(j, record_at.shape[0]):
            _store(np.full((d, m), np.nan), K_out, rep, jj)
            _store(np.full((d, m), np.nan), Q_out, rep, jj)


@numba.njit(cache=True)
def _context_moments(x, y, w, mm, mw):
    r"""Accumulate, over prompts, :math:`\sum m m^\top` into ``mm`` and :math:`\sum m w^\top` into ``mw``,
    where :math:`m = \operatorname{vech}\big(\frac1n\sum_i e_ie_i^\top\big)`, :math:`e_i = (x_i, y_i)`
    (upper triangle, row by row) and :math:`w` the prompt's task vector. ``x`` (N, n, d), ``y`` (N, n),
    ``w`` (N, d)."""
    N, n, d = x.shape
    F = mm.shape[0]
    e = np.empty(d + 1)
    m = np.empty(F)
    for prompt in range(N):
        m[:] = 0.0
        for i in range(n):
            for a in range(d):
                e[a] = x[prompt, i, a]
            e[d] = y[prompt, i]
            k = 0
            for a in range(d + 1):
                for b in range(a, d + 1):
                    m[k] += e[a] * e[b]
                    k += 1
        for k in range(F):
            m[k] /= n
        for k in range(F):
            for l in range(F):
                mm[k, l] += m[k] * m[l]
            for c in range(d):
                mw[k, c] += m[k] * w[prompt, c]
