r"""Private Numba kernels for ``problems.least_squares.methods``.

Arrays and scalars in, preallocated arrays out: no objects, no exceptions, no printing,
no random numbers (indices, uniforms and Gaussian samples are drawn on the host and
passed in; ``_uniform_subsets`` turns pre-drawn uniforms into batches),
no ``fastmath``. Each kernel has an array-API twin of the same name and signature in
``_reference.py`` (NumPy, CuPy, array_api_strict); the tests hold them to ``rtol=1e-10``.

Iterates are carried as errors :math:`e = x - x_\star`. The metric is written into
``out[r, k]`` when the iteration count equals ``record_at[k]``. Stochastic kernels run
one chunk of steps ``[t0, t0 + n_steps)`` and update the state arrays in place, so the
host can feed the next chunk of randomness. Components of the state below ``TINY`` in
magnitude are flushed to zero after each update (see ``TINY``).
"""
from __future__ import annotations

import numba
import numpy as np

# Integer codes shared with the wrappers and the NumPy twins.
SUBOPTIMALITY, DISTANCE = 0, 1
CONSTANT, INVERSE_SQRT, LINEAR_DECAY = 0, 1, 2
LAST, UNIFORM, EMA = 0, 1, 2
# Error components below TINY are set to 0: subnormal arithmetic is ~100x slower, and a
# contracting linear iteration can get stuck on subnormals that round to themselves.
# At that scale 1/2 e^T H e has underflowed already (and the distance is below 1e-280).
TINY = 1e-280


@numba.njit(cache=True)
def _matvec(H, v, out):
    for i in range(v.size):
        acc = 0.0
        for j in range(v.size):
            acc += H[i, j] * v[j]
        out[i] = acc


@numba.njit(cache=True)
def _metric(H, v, metric, work):
    """``1/2 v^T H v`` (suboptimality) or ``||v||`` (distance)."""
    acc = 0.0
    if metric == DISTANCE:
        for i in range(v.size):
            acc += v[i] * v[i]
        return np.sqrt(acc)
    _matvec(H, v, work)
    for i in range(v.size):
        acc += v[i] * work[i]
    return 0.5 * acc


@numba.njit(cache=True)
def _update_average(v, m, average, ema_decay, t):
    """Fold iterate ``t + 1`` (in ``v``) into the running output ``m``."""
    if average == UNIFORM:
        for i in range(v.size):
            m[i] = _flush(m[i] + (v[i] - m[i]) / (t + 2.0))
    elif average == EMA:
        for i in range(v.size):
            m[i] = _flush(ema_decay * m[i] + (1.0 - ema_decay) * v[i])


@numba.njit(cache=True)
def _flush(value):
    return 0.0 if abs(value) < TINY else value


@numba.njit(cache=True)
def _gd_loop(H, e0, step_size, metric, record_at, out):
    e = e0.copy()
    g = np.empty_like(e)
    work = np.empty_like(e)
    n_iter = record_at[-1]
    k = 0
    for t in range(n_iter + 1):
        if t == record_at[k]:
            out[0, k] = _metric(H, e, metric, work)
            k += 1
        if t == n_iter:
            break
        _matvec(H, e, g)
        for i in range(e.size):
            e[i] = _flush(e[i] - step_size * g[i])


@numba.njit(cache=True)
def _gd_design_loop(A, H, e0, step_size, metric, record_at, out):
    """Gradient descent applying the design itself: ``e <- e - (step_size / n) A^T (A e)``.

    Each step is one fused pass over the rows (``r_i = a_i^T e``, ``g += r_i a_i``), so it
    streams ``A`` from memory once (``8 n d`` bytes), where ``_gd_loop`` reuses the cached
    ``d x d`` matrix ``H``. The suboptimality uses ``H`` when it has rows, else
    ``1/2 ||A e||^2 / n`` (one more pass, at checkpoints only)."""
    e = e0.copy()
    g = np.empty_like(e)
    work = np.empty_like(e)
    coef = step_size / A.shape[0]
    n_iter = record_at[-1]
    k = 0
    for t in range(n_iter + 1):
        if t == record_at[k]:
            if metric == DISTANCE or H.shape[0] > 0:
                out[0, k] = _metric(H, e, metric, work)
            else:
                out[0, k] = _design_suboptimality(A, e)
            k += 1
        if t == n_iter:
            break
        _normal_matvec(A, e, g)
        for i in range(e.size):
            e[i] = _flush(e[i] - coef * g[i])


@numba.njit(cache=True)
def _normal_matvec(A, v, out):
    """``out = A^T (A v)`` in one pass over the rows of ``A``."""
    out[:] = 0.0
    for i in range(A.shape[0]):
        r = 0.0
        for c in range(v.size):
            r += A[i, c] * v[c]
        for c in range(v.size):
            out[c] += r * A[i, c]


@numba.njit(cache=True)
def _design_suboptimality(A, v):
    """``1/2 ||A v||^2 / n``: the suboptimality without ``H``."""
    acc = 0.0
    for i in range(A.shape[0]):
        r = 0.0
        for c in range(v.size):
            r += A[i, c] * v[c]
        acc += r * r
    return 0.5 * acc / A.shape[0]


@numba.njit(cache=True)
def _heavy_ball_loop(H, e0, step_size, momentum, metric, record_at, out):
    e = e0.copy()
    prev = e0.copy()
    g = np.empty_like(e)
    work = np.empty_like(e)
    n_iter = record_at[-1]
    k = 0
    for t in range(n_iter + 1):
        if t == record_at[k]:
            out[0, k] = _metric(H, e, metric, work)
            k += 1
        if t == n_iter:
            break
        _matvec(H, e, g)
        for i in range(e.size):
            nxt = e[i] - step_size * g[i] + momentum * (e[i] - prev[i])
            prev[i] = e[i]
            e[i] = _flush(nxt)


@numba.njit(cache=True)
def _nesterov_loop(H, e0, step_size, momentum, metric, record_at, out):
    e = e0.copy()
    prev = e0.copy()
    y = np.empty_like(e)
    g = np.empty_like(e)
    work = np.empty_like(e)
    n_iter = record_at[-1]
    k = 0
    for t in range(n_iter + 1):
        if t == record_at[k]:
            out[0, k] = _metric(H, e, metric, work)
            k += 1
        if t == n_iter:
            break
        for i in range(e.size):
            y[i] = e[i] + momentum * (e[i] - prev[i])
        _matvec(H, y, g)
        for i in range(e.size):
            prev[i] = e[i]
            e[i] = _flush(y[i] - step_size * g[i])


@numba.njit(cache=True)
def _minibatch_sgd_chunk(A, res, H, E, M, idx, t0, n_iter, step_size, schedule, average,
                         ema_decay, metric, record_at, out):
    """Steps ``t0 .. t0 + n_steps - 1``; ``res = b - A x_star``; ``E``, ``M`` updated in place."""
    n_steps, replicas, batch = idx.shape
    dim = E.shape[1]
    n_rec = record_at.size
    k0 = np.searchsorted(record_at, t0)
    g = np.empty(dim)
    work = np.empty(dim)
    for r in range(replicas):
        e = E[r]
        m = M[r]
        shown = m if average != LAST else e
        k = k0
        for s in range(n_steps):
            t = t0 + s
            if k < n_rec and record_at[k] == t:
                out[r, k] = _metric(H, shown, metric, work)
                k += 1
            if schedule == CONSTANT:
                eta = step_size
            elif schedule == INVERSE_SQRT:
                eta = step_size / np.sqrt(t + 1.0)
            else:
                eta = step_size * (1.0 - t / n_iter)
            coef = eta / batch
            g[:] = 0.0
            for j in range(batch):
                i = idx[s, r, j]
                acc = 0.0
                for c in range(dim):
                    acc += A[i, c] * e[c]
                acc -= res[i]
                for c in range(dim):
                    g[c] += acc * A[i, c]
            for c in range(dim):
                e[c] = _flush(e[c] - coef * g[c])
            _update_average(e, m, average, ema_decay, t)
        if t0 + n_steps == n_iter and k < n_rec and record_at[k] == n_iter:
            out[r, k] = _metric(H, shown, metric, work)


@numba.njit(cache=True)
def _online_sgd_chunk(lam, Z, xi, noise, V, M, t0, n_iter, step_size, average, ema_decay,
                      record_at, out):
    """Samples ``x = sqrt(lam) * Z[s, r, j]``, ``y - x^T w_star = noise * xi[s, r, j]``."""
    n_steps, replicas, batch, dim = Z.shape
    n_rec = record_at.size
    k0 = np.searchsorted(record_at, t0)
    sqrt_lam = np.sqrt(lam)
    x = np.empty(dim)
    g = np.empty(dim)
    coef = step_size / batch
    for r in range(replicas):
        v = V[r]
        m = M[r]
        shown = m if average != LAST else v
        k = k0
        for s in range(n_steps):
            t = t0 + s
            if k < n_rec and record_at[k] == t:
                out[r, k] = _excess_risk(lam, shown)
                k += 1
            g[:] = 0.0
            for j in range(batch):
                acc = 0.0
                for c in range(dim):
                    x[c] = Z[s, r, j, c] * sqrt_lam[c]
                    acc += x[c] * v[c]
                acc = noise * xi[s, r, j] - acc
                for c in range(dim):
                    g[c] += acc * x[c]
            for c in range(dim):
                v[c] = _flush(v[c] + coef * g[c])
            _update_average(v, m, average, ema_decay, t)
        if t0 + n_steps == n_iter and k < n_rec and record_at[k] == n_iter:
            out[r, k] = _excess_risk(lam, shown)


@numba.njit(cache=True)
def _excess_risk(lam, v):
    acc = 0.0
    for i in range(v.size):
        acc += lam[i] * v[i] * v[i]
    return acc


@numba.njit(cache=True)
def _uniform_subsets(U, n, out):
    """``out[s, r]``: the first ``B`` entries of a partial Fisher-Yates shuffle of
    ``0..n-1`` whose ``k``-th swap partner is ``k + floor(U[s, r, k] * (n - k))``."""
    n_steps, replicas, batch = U.shape
    perm = np.arange(n)
    for s in range(n_steps):
        for r in range(replicas):
            for k in range(batch):
                j = min(k + int(U[s, r, k] * (n - k)), n - 1)
                perm[k], perm[j] = perm[j], perm[k]
                out[s, r, k] = perm[k]
            for k in range(batch - 1, -1, -1):  # undo the swaps: perm is 0..n-1 again
                j = min(k + int(U[s, r, k] * (n - k)), n - 1)
                perm[k], perm[j] = perm[j], perm[k]
