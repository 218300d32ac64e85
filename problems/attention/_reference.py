r"""NumPy twins of ``_kernels.py``: the same names, signatures and arithmetic, vectorised over
sequences and tokens (the kernels loop). They are the reference the Numba kernels are tested
against (``rtol=1e-10``); see ``_kernels.py`` for the maths.
"""
from __future__ import annotations

import numpy as np


def _direction(X, Z, values, labels, W, G):
    n = X.shape[0]
    rows = np.arange(n)
    s = np.einsum("ntp,np->nt", X, Z @ W.T)  # s_it = x_it^T W z_i
    r = np.argmax(s, axis=1)  # the first maximum, as in the kernel
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        shifted = s - s[rows, r][:, None]
        off = np.ones_like(s, dtype=bool)
        off[rows, r] = False
        log_norm = np.log1p(np.where(off, np.exp(shifted), 0.0).sum(axis=1))
        logp = shifted - log_norm[:, None]
        a_r = values[rows, r]
        gap = np.where(off, np.exp(logp) * (a_r[:, None] - values), 0.0).sum(axis=1)
        f = a_r - gap
        c = -labels / (1.0 + np.exp(labels * f))
        diff = (values - a_r[:, None]) + gap[:, None]
        logw = np.where(off, np.log(np.abs(c))[:, None] + logp + np.log(np.abs(diff)), -np.inf)
        sign = np.sign(c)[:, None] * np.sign(diff)
    G[:, :] = 0.0
    top = logw.max()
    if top == -np.inf:
        return top
    weights = np.where(off, sign * np.exp(logw - top), 0.0)
    G += np.einsum("nt,ntp,nq->pq", weights, X - X[rows, r][:, None, :], Z)
    return top


def _store(A, out, rep, j):
    out[rep, j] = A


def _frobenius(A):
    return np.sqrt(np.sum(A * A))


def _normalized_gd_w(X, Z, values, labels, W0, step_size, record_at, W_out):
    n_iter = record_at[-1]
    G = np.empty(W0.shape[1:])
    for rep in range(W0.shape[0]):
        W = W0[rep].copy()
        j = 0
        for k in range(n_iter + 1):
            if k == record_at[j]:
                W_out[rep, j] = W
                j += 1
            if k == n_iter:
                break
            top = _direction(X, Z, values, labels, W, G)
            norm = _frobenius(G)
            if top == -np.inf or norm == 0.0:
                continue
            if not np.isfinite(norm):
                break
            W -= step_size * G / norm
        W_out[rep, j:] = np.nan


def _normalized_gd_kq(X, Z, values, labels, K0, Q0, step_size, blockwise, record_at, K_out, Q_out):
    n_iter = record_at[-1]
    d = K0.shape[1]
    G = np.empty((d, d))
    for rep in range(K0.shape[0]):
        K, Q = K0[rep].copy(), Q0[rep].copy()
        j = 0
        for k in range(n_iter + 1):
            if k == record_at[j]:
                K_out[rep, j], Q_out[rep, j] = K, Q
                j += 1
            if k == n_iter:
                break
            top = _direction(X, Z, values, labels, K @ Q.T, G)
            if top == -np.inf:
                continue
            gK, gQ = G @ Q, G.T @ K
            norm_k, norm_q = _frobenius(gK), _frobenius(gQ)
            if not (np.isfinite(norm_k) and np.isfinite(norm_q)):
                break
            if blockwise:
                scale_k = step_size / norm_k if norm_k > 0 else 0.0
                scale_q = step_size / norm_q if norm_q > 0 else 0.0
            else:
                joint = np.sqrt(norm_k * norm_k + norm_q * norm_q)
                scale_k = scale_q = step_size / joint if joint > 0 else 0.0
            K -= scale_k * gK
            Q -= scale_q * gQ
        K_out[rep, j:] = np.nan
        Q_out[rep, j:] = np.nan


def _context_moments(x, y, w, mm, mw):
    d = x.shape[2]
    e = np.concatenate([x, y[:, :, None]], axis=2)
    upper = np.triu_indices(d + 1)
    m = np.einsum("Nia,Nib->Nab", e, e)[:, upper[0], upper[1]] / x.shape[1]
    mm += m.T @ m
    mw += m.T @ w
