r"""Array-API twins of ``_kernels.py``: the same names, signatures and arithmetic, as readable
step loops vectorised over replicas (state arrays of shape ``(replicas, dim)``).

They are written against the array API standard (2023.12), so the same code runs on NumPy,
CuPy and ``array_api_strict``: the namespace is read from the arrays passed in
(``array_namespace``), which the public methods have already moved to the back end's
device. ``record_at`` and ``out`` stay host NumPy arrays: the loop control never reads the
device, and a checkpoint's metric comes home once (``to_numpy``), so a GPU is not
synchronised at every step. They are the reference the Numba kernels are tested against
(``rtol=1e-10``). Overflow is allowed: divergence shows up as inf/NaN in ``out``. State
components below ``TINY`` are flushed to zero after each update, as in the kernels.

The chunk twins update their state arrays ``E``, ``M`` (or ``V``, ``M``) in place once, at
the end of the chunk, to keep the kernels' contract (the host feeds the next chunk of
randomness to the same state); within a chunk they carry new arrays.
"""
from __future__ import annotations

import math

import numpy as np
from array_api_compat import array_namespace

from problems.backend import to_numpy

from ._kernels import CONSTANT, DISTANCE, EMA, INVERSE_SQRT, LAST, TINY, UNIFORM


def _metric(xp, H, V, metric):
    """``1/2 v^T H v`` or ``||v||`` for each row ``v`` of ``V``."""
    if metric == DISTANCE:
        return xp.sqrt(xp.vecdot(V, V))
    return 0.5 * xp.vecdot(V, V @ H)  # H symmetric: rows of V @ H are H v


def _design_metric(xp, A, H, V, metric):
    """As :func:`_metric`; without ``H`` (no rows) the suboptimality is ``1/2 ||A v||^2 / n``."""
    if metric == DISTANCE or H.shape[0] > 0:
        return _metric(xp, H, V, metric)
    R = V @ A.mT
    return 0.5 * xp.vecdot(R, R) / A.shape[0]


def _flush(xp, X, zero):
    """``X`` with the entries below ``TINY`` in magnitude set to ``zero`` (a 0-d array made once
    per call: a Python scalar in ``where`` is not in the 2023.12 standard, and a fresh
    ``asarray(0.0)`` per step would be a host-to-device copy on a GPU)."""
    return xp.where(xp.abs(X) < TINY, zero, X)


def _average(xp, V, M, average, ema_decay, t, zero):
    """The running output after folding in iterate ``t + 1`` (rows of ``V``)."""
    if average == UNIFORM:
        return _flush(xp, M + (V - M) / (t + 2.0), zero)
    if average == EMA:
        return _flush(xp, ema_decay * M + (1.0 - ema_decay) * V, zero)
    return M


def _zero(xp):
    return xp.zeros((), dtype=xp.float64)


def _rows(xp, e0):
    """The error as a row: ``(1, d)`` for one instance, ``(S, 1, d)`` for ``S`` stacked ones (with
    ``H`` of shape ``(S, d, d)`` and step sizes ``(S, 1, 1)``: the same code runs the seeds as one
    batched state, ``out`` getting one row per seed)."""
    return xp.reshape(e0, (*e0.shape[:-1], 1, e0.shape[-1]))


def _gd_loop(H, e0, step_size, metric, record_at, out):
    xp = array_namespace(e0, H)
    zero = _zero(xp)
    E = _rows(xp, e0)  # rebound at each step, never written
    k = 0
    for t in range(record_at[-1] + 1):
        if t == record_at[k]:
            out[:, k] = np.reshape(to_numpy(_metric(xp, H, E, metric)), (-1,))
            k += 1
        if t == record_at[-1]:
            break
        E = _flush(xp, E - step_size * (E @ H), zero)


def _gd_design_loop(A, H, e0, step_size, metric, record_at, out):
    xp = array_namespace(e0, A)
    zero = _zero(xp)
    E = _rows(xp, e0)
    coef = step_size / A.shape[0]
    k = 0
    for t in range(record_at[-1] + 1):
        if t == record_at[k]:
            out[:, k] = to_numpy(_design_metric(xp, A, H, E, metric))
            k += 1
        if t == record_at[-1]:
            break
        # rows of (E A^T) A are A^T (A e): two passes over A (the kernel fuses them)
        E = _flush(xp, E - coef * ((E @ A.mT) @ A), zero)


def _heavy_ball_loop(H, e0, step_size, momentum, metric, record_at, out):
    xp = array_namespace(e0, H)
    zero = _zero(xp)
    E = _rows(xp, e0)
    P = E
    k = 0
    for t in range(record_at[-1] + 1):
        if t == record_at[k]:
            out[:, k] = np.reshape(to_numpy(_metric(xp, H, E, metric)), (-1,))
            k += 1
        if t == record_at[-1]:
            break
        E, P = _flush(xp, E - step_size * (E @ H) + momentum * (E - P), zero), E


def _nesterov_loop(H, e0, step_size, momentum, metric, record_at, out):
    xp = array_namespace(e0, H)
    zero = _zero(xp)
    E = _rows(xp, e0)
    P = E
    k = 0
    for t in range(record_at[-1] + 1):
        if t == record_at[k]:
            out[:, k] = np.reshape(to_numpy(_metric(xp, H, E, metric)), (-1,))
            k += 1
        if t == record_at[-1]:
            break
        Y = E + momentum * (E - P)
        E, P = _flush(xp, Y - step_size * (Y @ H), zero), E


def _minibatch_sgd_chunk(A, res, H, E, M, idx, t0, n_iter, step_size, schedule, average,
                         ema_decay, metric, record_at, out):
    xp = array_namespace(E, A)
    zero = _zero(xp)
    n_steps, replicas, batch = idx.shape
    e, m = E, M
    k = int(np.searchsorted(record_at, t0))  # record_at is a host array
    for s in range(n_steps):
        t = t0 + s
        if k < record_at.size and record_at[k] == t:
            out[:, k] = to_numpy(_metric(xp, H, m if average != LAST else e, metric))
            k += 1
        if schedule == CONSTANT:
            eta = step_size
        elif schedule == INVERSE_SQRT:
            eta = step_size / math.sqrt(t + 1.0)  # a Python float, not a NumPy scalar
        else:
            eta = step_size * (1.0 - t / n_iter)
        flat = xp.reshape(idx[s, ...], (-1,))
        rows = xp.reshape(xp.take(A, flat, axis=0), (replicas, batch, -1))  # (R, B, d)
        residual = (xp.vecdot(rows, e[:, None, :])
                    - xp.reshape(xp.take(res, flat, axis=0), (replicas, batch)))  # (R, B)
        gradient = xp.vecdot(rows.mT, residual[:, None, :])  # (R, d): sum_b residual_b a_b
        e = _flush(xp, e - (eta / batch) * gradient, zero)
        m = _average(xp, e, m, average, ema_decay, t, zero)
    if t0 + n_steps == n_iter and k < record_at.size and record_at[k] == n_iter:
        out[:, k] = to_numpy(_metric(xp, H, m if average != LAST else e, metric))
    E[...] = e
    M[...] = m


def _online_sgd_chunk(lam, Z, xi, noise, V, M, t0, n_iter, step_size, average, ema_decay,
                      record_at, out):
    xp = array_namespace(V, Z)
    zero = _zero(xp)
    n_steps, batch = Z.shape[0], Z.shape[2]
    sqrt_lam = xp.sqrt(lam)
    v, m = V, M
    k = int(np.searchsorted(record_at, t0))  # record_at is a host array
    for s in range(n_steps):
        t = t0 + s
        if k < record_at.size and record_at[k] == t:
            shown = m if average != LAST else v
            out[:, k] = to_numpy((shown * shown) @ lam)
            k += 1
        X = Z[s, ...] * sqrt_lam  # (R, B, d)
        residual = noise * xi[s, ...] - xp.vecdot(X, v[:, None, :])  # (R, B)
        v = _flush(xp, v + (step_size / batch) * xp.vecdot(X.mT, residual[:, None, :]), zero)
        m = _average(xp, v, m, average, ema_decay, t, zero)
    if t0 + n_steps == n_iter and k < record_at.size and record_at[k] == n_iter:
        shown = m if average != LAST else v
        out[:, k] = to_numpy((shown * shown) @ lam)
    V[...] = v
    M[...] = m


def _uniform_subsets(U, n, out):
    """Partial Fisher-Yates shuffles as in the kernel, vectorised over blocks of batches.

    Host NumPy, not array-API code: it turns host uniforms into the host batch indices that
    every back end then receives (``_checks.draw_batches``), so the integers are the same
    whichever back end runs the steps."""
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
