r"""Array-API twins of ``_kernels.py``: the same names, signatures and per-point arithmetic.

They are written against the array API standard (2023.12), so the same code runs on NumPy,
CuPy and ``array_api_strict``: the namespace is read from the arrays passed in
(``array_namespace``), which the public methods have already moved to the back end's
device. ``record_at`` and ``out`` stay host NumPy arrays: the loop control never reads the
device except at a checkpoint (the bandits' running cost), every few sweeps (whether a
batch of SOR solves is finished) and every few Newton steps (whether every Tsallis
normaliser has converged); rows that are finished are frozen, so reading less often changes
no number.

SOR is vectorised over a batch of systems and, inside a sweep, over the anti-diagonals
:math:`i + j = s` of the grid. This is the *same* iteration as the lexicographic sweep of the
kernel [derived here]: with the 5-point stencil, the point :math:`(i, j)` reads
:math:`(i-1, j)` and :math:`(i, j-1)` (diagonal :math:`s - 1`, already swept in both orders) and
:math:`(i+1, j)`, :math:`(i, j+1)` (diagonal :math:`s + 1`, not yet swept in both orders), and
points on one diagonal do not read each other. (Red-black ordering would be a different
iteration.) The standard has no scatter, so the iterate is stored *skewed*: ``X[:, s, i]`` is
:math:`x_{i, s-i}` (zero off the padded grid), a diagonal is the slice ``X[:, s, lo:hi+1]``
and its four neighbours are slices of rows ``s - 1`` and ``s + 1``; one ``take`` maps the
natural layout in and out. Sums of squares are accumulated in row-major order with
``cumulative_sum`` (sequential on NumPy, as in the kernel), so sweep counts agree exactly.

The bandits are vectorised over replicas: the arm is drawn by inverse CDF as a count of the
CDF entries not above the uniform, and the played arm's estimate is updated through a
one-hot mask (``where``), with no scatter.
"""
from __future__ import annotations

import numpy as np
from array_api_compat import array_namespace

from problems.backend import to_numpy

from ._kernels import EXP3, NEWTON_STEPS, NEWTON_TOL

SOR_BATCH = 4096  # systems swept together (bounds the twin's memory)
CHECK_EVERY = 8  # SOR sweeps between two reads of "is any system still running?"
NEWTON_CHECK_EVERY = 4  # Newton steps between two reads of "has every row converged?"


def _sequential_sum(xp, a):
    """Left-to-right sum over the last axis (the kernels' order; ``xp.sum`` may be pairwise)."""
    return xp.cumulative_sum(a, axis=-1)[..., -1]


def _skew_maps(g):
    """Host index maps between the padded natural grid ``(g + 2)**2`` (row-major) and the
    skewed ``(2g + 3, g + 2)`` layout: ``to_skew[s * (g + 2) + i]`` is the natural flat index
    of :math:`(i, s - i)` or ``(g + 2)**2`` (a zero slot) off the grid; ``to_natural`` is the
    inverse on the grid; ``rhs_to_skew`` reads an unpadded ``g * g`` right-hand side (zero
    slot ``g * g``); ``residual_order`` picks the interior points of a skewed
    ``(2g - 1, g)`` block (diagonals 2..2g, rows 1..g) in row-major order of the grid."""
    n = g + 2
    s, i = np.meshgrid(np.arange(2 * g + 3), np.arange(n), indexing="ij")
    j = s - i
    on_grid = (j >= 0) & (j < n)
    to_skew = np.where(on_grid, i * n + j, n * n).ravel()
    interior = (i >= 1) & (i <= g) & (j >= 1) & (j <= g)
    rhs_to_skew = np.where(interior, (i - 1) * g + (j - 1), g * g).ravel()
    ii, jj = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    to_natural = ((ii + jj) * n + ii).ravel()
    gi, gj = np.meshgrid(np.arange(1, g + 1), np.arange(1, g + 1), indexing="ij")
    residual_order = ((gi + gj - 2) * g + (gi - 1)).ravel()
    return to_skew, to_natural, rhs_to_skew, residual_order


def _skewed_residual_norm(xp, X, b_skew, d, order, g):
    """:math:`\\|b - A_c x\\|` per system from the skewed iterate, summed in row-major order."""
    r = (b_skew[:, 2:2 * g + 1, 1:g + 1] + X[:, 1:2 * g, 0:g] + X[:, 1:2 * g, 1:g + 1]
         + X[:, 3:2 * g + 2, 1:g + 1] + X[:, 3:2 * g + 2, 2:g + 2]
         - d[:, :, None] * X[:, 2:2 * g + 1, 1:g + 1])  # the kernel's order of terms
    flat = xp.take(xp.reshape(r, (r.shape[0], -1)), order, axis=1)
    return xp.sqrt(_sequential_sum(xp, flat * flat))


def _sor_batch(shift, b, omega, tol, max_iter, x):
    """Sweep counts (device, ``(B,)``) for a batch: ``shift``, ``omega`` (B,), ``b`` (B, g, g),
    ``x`` (B, g + 2, g + 2) padded, updated in place. Per sweep: the residual (a few
    ``(B, 2g - 1, g)`` slices, one ``take``, one ``cumulative_sum``) and ``2g - 1`` diagonal
    updates of ``(B, <= g)`` slices."""
    xp = array_namespace(b, x)
    B, g = b.shape[0], b.shape[1]
    n = g + 2
    to_skew, to_natural, rhs_to_skew, order = (xp.asarray(a) for a in _skew_maps(g))
    zero_col = xp.zeros((B, 1), dtype=xp.float64)
    X = xp.reshape(xp.take(xp.concat([xp.reshape(x, (B, n * n)), zero_col], axis=1), to_skew,
                           axis=1), (B, 2 * g + 3, n))  # owned: updated in place below
    b_flat = xp.reshape(b, (B, g * g))
    b_skew = xp.reshape(xp.take(xp.concat([b_flat, zero_col], axis=1), rhs_to_skew, axis=1),
                        (B, 2 * g + 3, n))
    d = xp.reshape(4.0 + shift, (B, 1))
    w = xp.reshape(omega, (B, 1))
    target = tol * xp.sqrt(_sequential_sum(xp, b_flat * b_flat))
    counts = xp.full((B,), -1, dtype=xp.int64)
    active = xp.ones((B,), dtype=xp.bool)
    k_dev = xp.zeros((), dtype=xp.int64)  # the sweep on the device, for where(hit, k, .)
    for k in range(max_iter + 1):
        res = _skewed_residual_norm(xp, X, b_skew, d, order, g)
        active = active & xp.isfinite(res)
        hit = active & (res <= target)
        counts = xp.where(hit, k_dev, counts)
        active = active & ~hit
        if k == max_iter or (k % CHECK_EVERY == 0 and not bool(xp.any(active))):
            break
        keep = active[:, None]
        for s in range(2, 2 * g + 1):
            lo, hi = max(1, s - g), min(g, s - 1)
            old = X[:, s, lo:hi + 1]
            total = (b_skew[:, s, lo:hi + 1] + X[:, s - 1, lo - 1:hi] + X[:, s - 1, lo:hi + 1]
                     + X[:, s + 1, lo:hi + 1] + X[:, s + 1, lo + 1:hi + 2])  # N, W, E, S
            X[:, s, lo:hi + 1] = xp.where(keep, (1.0 - w) * old + w * total / d, old)
        k_dev = k_dev + 1
    x[...] = xp.reshape(xp.take(xp.reshape(X, (B, -1)), to_natural, axis=1), (B, n, n))
    return counts


def _sor_solve(shift, b, omega, tol, max_iter, x):
    xp = array_namespace(b, x)
    g = b.shape[0]
    x_batch = xp.reshape(xp.asarray(x, copy=True), (1, g + 2, g + 2))
    as_batch = lambda value: xp.asarray([float(value)], dtype=xp.float64)
    count = _sor_batch(as_batch(shift), xp.reshape(b, (1, g, g)), as_batch(omega), tol,
                       max_iter, x_batch)
    x[...] = x_batch[0, ...]
    return int(to_numpy(count)[0])


def _sor_counts(shifts, rhs, omegas, tol, max_iter, out):
    """Systems x arms in batches of ``SOR_BATCH`` pairs (indices made on the host, gathered
    on the device with ``take``); the counts come home per batch."""
    xp = array_namespace(shifts, rhs)
    T, K = out.shape
    g = rhs.shape[1]
    pairs = np.arange(T * K)
    for start in range(0, T * K, SOR_BATCH):
        p = pairs[start:start + SOR_BATCH]
        t, k = p // K, p % K
        t_dev, k_dev = xp.asarray(t), xp.asarray(k)
        x = xp.zeros((p.size, g + 2, g + 2), dtype=xp.float64)
        counts = _sor_batch(xp.take(shifts, t_dev), xp.take(rhs, t_dev, axis=0),
                            xp.take(omegas, k_dev), tol, max_iter, x)
        out[t, k] = to_numpy(counts)


def _exp3(xp, L_hat, eta):
    low = xp.min(L_hat, axis=-1, keepdims=True)
    weights = xp.exp(-eta * (L_hat - low))
    return weights / _sequential_sum(xp, weights)[..., None]


def _tsallis(xp, L_hat, eta):
    """``(p, x)`` for rows ``L_hat`` (R, K): Newton on every row at once, a converged row frozen
    (its weights, total and normaliser kept by ``where``) with the kernel's stopping rule."""
    x = xp.min(L_hat, axis=1) - 2.0 / eta
    res = xp.zeros(L_hat.shape, dtype=xp.float64)
    total = xp.ones((L_hat.shape[0],), dtype=xp.float64)
    done = xp.zeros((L_hat.shape[0],), dtype=xp.bool)
    for it in range(NEWTON_STEPS):
        q = eta * (L_hat - x[:, None])
        w = 4.0 / (q * q)
        tot = _sequential_sum(xp, w)
        slope = _sequential_sum(xp, w * xp.sqrt(w))
        keep = ~done
        res = xp.where(keep[:, None], w, res)
        total = xp.where(keep, tot, total)
        done = done | (keep & (tot - 1.0 <= NEWTON_TOL))
        if it % NEWTON_CHECK_EVERY == NEWTON_CHECK_EVERY - 1 and bool(xp.all(done)):
            break
        x = xp.where(done, x, x - (tot - 1.0) / (eta * slope))
    return res / total[:, None], x


def _exp3_probabilities(L_hat, eta, out):
    xp = array_namespace(L_hat, out)
    out[...] = _exp3(xp, L_hat, eta)


def _tsallis_probabilities(L_hat, eta, out):
    xp = array_namespace(L_hat, out)
    rows = L_hat if L_hat.ndim > 1 else xp.reshape(L_hat, (1, -1))
    p, x = _tsallis(xp, rows, eta)
    out[...] = xp.reshape(p, out.shape)
    return x if L_hat.ndim > 1 else float(to_numpy(x)[0])


def _bandit(costs, uniforms, t_start, algorithm, L_hat, alg_cost, pulls, record_at, out):
    """Per round, for all replicas at once: the probabilities (R, K), their sequential CDF,
    the arm (R,), the cost ``take``-n from row ``t - 1`` of ``costs``, the one-hot update of
    ``L_hat`` and ``pulls``. ``L_hat``, ``alg_cost``, ``pulls`` are written back once, at the
    end of the chunk (the kernel's contract: the host feeds the next chunk to the same state)."""
    xp = array_namespace(costs, uniforms, L_hat)
    R, chunk = uniforms.shape
    K = costs.shape[1]
    log_k = float(np.log(K))
    arms = xp.reshape(xp.arange(K, dtype=xp.int64), (1, K))
    zero = xp.zeros((), dtype=xp.float64)
    L, paid, count = L_hat, alg_cost, pulls
    j = int(np.sum(record_at <= t_start))  # record_at is a host array
    for s in range(chunk):
        t = t_start + s + 1
        if algorithm == EXP3:
            p = _exp3(xp, L, float(np.sqrt(2.0 * log_k / (K * t))))
        else:
            p, _ = _tsallis(xp, L, 2.0 / float(np.sqrt(t)))
        below = uniforms[:, s:s + 1] < xp.cumulative_sum(p, axis=1)  # monotone in k
        arm = xp.clip(xp.sum(xp.astype(~below, xp.int64), axis=1), max=K - 1)
        played = arms == arm[:, None]  # (R, K) one-hot
        loss = xp.take(costs[t - 1, :], arm)
        paid = paid + loss
        L = xp.where(played, L + (loss / xp.sum(xp.where(played, p, zero), axis=1))[:, None], L)
        count = count + xp.astype(played, xp.int64)
        if j < record_at.shape[0] and record_at[j] == t:
            out[:, j] = to_numpy(paid)
            j += 1
    L_hat[...] = L
    alg_cost[...] = paid
    pulls[...] = count
