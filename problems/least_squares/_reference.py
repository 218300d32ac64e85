r"""NumPy twins of ``_kernels.py``: the same names, signatures and arithmetic, as readable
step loops vectorised over replicas (state arrays of shape ``(replicas, dim)``).

They are the reference the Numba kernels are tested against (``rtol=1e-10``) and the
path for array back ends other than NumPy + Numba. Overflow is allowed: divergence
shows up as inf/NaN in ``out``. State components below ``TINY`` are flushed to zero after
each update, as in the kernels.
"""
from __future__ import annotations

import numpy as np

from ._kernels import CONSTANT, DISTANCE, EMA, INVERSE_SQRT, LAST, TINY, UNIFORM


def _metric(H, V, metric):
    """``1/2 v^T H v`` or ``||v||`` for each row ``v`` of ``V``."""
    if metric == DISTANCE:
        return np.sqrt(np.einsum("rd,rd->r", V, V))
    return 0.5 * np.einsum("rd,rd->r", V, V @ H)


def _update_average(V, M, average, ema_decay, t):
    """Fold iterate ``t + 1`` (rows of ``V``) into the running outputs ``M``, in place."""
    if average == UNIFORM:
        M[...] = _flush(M + (V - M) / (t + 2.0))
    elif average == EMA:
        M[...] = _flush(ema_decay * M + (1.0 - ema_decay) * V)


def _flush(X):
    """``X`` with the entries below ``TINY`` in magnitude set to zero (in place)."""
    X[np.abs(X) < TINY] = 0.0
    return X


def _gd_loop(H, e0, step_size, metric, record_at, out):
    E = e0[None, :].copy()
    k = 0
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(record_at[-1] + 1):
            if t == record_at[k]:
                out[:, k] = _metric(H, E, metric)
                k += 1
            if t == record_at[-1]:
                break
            E = _flush(E - step_size * (E @ H))  # H symmetric: rows of E @ H are H e


def _heavy_ball_loop(H, e0, step_size, momentum, metric, record_at, out):
    E = e0[None, :].copy()
    P = E.copy()
    k = 0
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(record_at[-1] + 1):
            if t == record_at[k]:
                out[:, k] = _metric(H, E, metric)
                k += 1
            if t == record_at[-1]:
                break
            E, P = _flush(E - step_size * (E @ H) + momentum * (E - P)), E


def _nesterov_loop(H, e0, step_size, momentum, metric, record_at, out):
    E = e0[None, :].copy()
    P = E.copy()
    k = 0
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(record_at[-1] + 1):
            if t == record_at[k]:
                out[:, k] = _metric(H, E, metric)
                k += 1
            if t == record_at[-1]:
                break
            Y = E + momentum * (E - P)
            E, P = _flush(Y - step_size * (Y @ H)), E


def _minibatch_sgd_chunk(A, res, H, E, M, idx, t0, n_iter, step_size, schedule, average,
                         ema_decay, metric, record_at, out):
    shown = M if average != LAST else E
    k = int(np.searchsorted(record_at, t0))
    batch = idx.shape[2]
    with np.errstate(over="ignore", invalid="ignore"):
        for s in range(idx.shape[0]):
            t = t0 + s
            if k < record_at.size and record_at[k] == t:
                out[:, k] = _metric(H, shown, metric)
                k += 1
            if schedule == CONSTANT:
                eta = step_size
            elif schedule == INVERSE_SQRT:
                eta = step_size / np.sqrt(t + 1.0)
            else:
                eta = step_size * (1.0 - t / n_iter)
            rows = A[idx[s]]  # (replicas, batch, dim)
            residual = np.einsum("rbd,rd->rb", rows, E) - res[idx[s]]
            E[...] = _flush(E - (eta / batch) * np.einsum("rb,rbd->rd", residual, rows))
            _update_average(E, M, average, ema_decay, t)
        if t0 + idx.shape[0] == n_iter and k < record_at.size and record_at[k] == n_iter:
            out[:, k] = _metric(H, shown, metric)


def _online_sgd_chunk(lam, Z, xi, noise, V, M, t0, n_iter, step_size, average, ema_decay,
                      record_at, out):
    shown = M if average != LAST else V
    k = int(np.searchsorted(record_at, t0))
    batch = Z.shape[2]
    sqrt_lam = np.sqrt(lam)
    with np.errstate(over="ignore", invalid="ignore"):
        for s in range(Z.shape[0]):
            t = t0 + s
            if k < record_at.size and record_at[k] == t:
                out[:, k] = np.einsum("d,rd->r", lam, shown * shown)
                k += 1
            X = Z[s] * sqrt_lam  # (replicas, batch, dim)
            residual = noise * xi[s] - np.einsum("rbd,rd->rb", X, V)
            V[...] = _flush(V + (step_size / batch) * np.einsum("rb,rbd->rd", residual, X))
            _update_average(V, M, average, ema_decay, t)
        if t0 + Z.shape[0] == n_iter and k < record_at.size and record_at[k] == n_iter:
            out[:, k] = np.einsum("d,rd->r", lam, shown * shown)


def _uniform_subsets(U, n, out):
    """Partial Fisher-Yates shuffles as in the kernel, vectorised over blocks of batches."""
    batch = U.shape[-1]
    rows = U.reshape(-1, batch)
    flat = np.empty(rows.shape, dtype=np.int64)
    block = max(1, 2**20 // n)  # bounds the permutation workspace to 2**20 integers
    for start in range(0, rows.shape[0], block):
        u = rows[start:start + block]
        at = np.arange(u.shape[0])
        perm = np.tile(np.arange(n), (u.shape[0], 1))
        for k in range(batch):
            j = np.minimum(k + (u[:, k] * (n - k)).astype(np.int64), n - 1)
            perm[at, k], perm[at, j] = perm[at, j], perm[at, k].copy()
        flat[start:start + block] = perm[:, :batch]
    out[...] = flat.reshape(out.shape)
