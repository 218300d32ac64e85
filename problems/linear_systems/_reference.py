r"""NumPy twins of ``_kernels.py``: the same names, signatures and per-point arithmetic.

SOR is vectorised over a batch of systems and, inside a sweep, over the anti-diagonals
:math:`i + j = s` of the grid. This is the *same* iteration as the lexicographic sweep of the
kernel [derived here]: with the 5-point stencil, the point :math:`(i, j)` reads
:math:`(i-1, j)` and :math:`(i, j-1)` (diagonal :math:`s - 1`, already swept in both orders) and
:math:`(i+1, j)`, :math:`(i, j+1)` (diagonal :math:`s + 1`, not yet swept in both orders), and
points on one diagonal do not read each other. (Red-black ordering would be a different
iteration.) Sums of squares are accumulated in row-major order with ``np.add.accumulate``
(sequential, as in the kernel), so sweep counts agree exactly.

The bandits are vectorised over replicas; the Tsallis normaliser runs its Newton steps per row
with the kernel's stopping rule.
"""
from __future__ import annotations

import numpy as np

from ._kernels import EXP3, NEWTON_STEPS, NEWTON_TOL

SOR_BATCH = 4096  # systems swept together (bounds the twin's memory)


def _sequential_sum(a):
    """Left-to-right sum over the last axis (the kernels' order; ``np.sum`` is pairwise)."""
    return np.add.accumulate(a, axis=-1)[..., -1]


def _residual_norm(shift, b, x):
    """Batched: ``shift`` (B,), ``b`` (B, g, g), ``x`` (B, g + 2, g + 2)."""
    d = (4.0 + shift)[:, None, None]
    r = (b + x[:, :-2, 1:-1] + x[:, 1:-1, :-2] + x[:, 1:-1, 2:] + x[:, 2:, 1:-1]
         - d * x[:, 1:-1, 1:-1])
    return np.sqrt(_sequential_sum((r * r).reshape(r.shape[0], -1)))


def _sor_batch(shift, b, omega, tol, max_iter, x):
    """Sweep counts for a batch (``shift``, ``omega`` (B,), ``b`` (B, g, g), ``x`` padded)."""
    B, g = b.shape[0], b.shape[1]
    d = (4.0 + shift)[:, None]
    w = omega[:, None]
    target = tol * np.sqrt(_sequential_sum((b * b).reshape(B, -1)))
    diagonals = []
    for s in range(2, 2 * g + 1):
        i = np.arange(max(1, s - g), min(g, s - 1) + 1)
        diagonals.append((i, s - i))
    counts = np.full(B, -1, dtype=np.int64)
    active = np.ones(B, dtype=bool)
    with np.errstate(all="ignore"):
        for k in range(max_iter + 1):
            res = _residual_norm(shift, b, x)
            active &= np.isfinite(res)
            hit = active & (res <= target)
            counts[hit] = k
            active &= ~hit
            if k == max_iter or not active.any():
                break
            keep = active[:, None]
            for i, j in diagonals:
                north, west = x[:, i - 1, j], x[:, i, j - 1]
                east, south = x[:, i, j + 1], x[:, i + 1, j]
                total = b[:, i - 1, j - 1] + north + west + east + south  # the kernel's order
                new = (1.0 - w) * x[:, i, j] + w * total / d
                x[:, i, j] = np.where(keep, new, x[:, i, j])
    return counts


def _sor_solve(shift, b, omega, tol, max_iter, x):
    x_batch = x[None].copy()
    as_batch = lambda value: np.array([value], dtype=np.float64)
    count = _sor_batch(as_batch(shift), b[None], as_batch(omega), tol, max_iter, x_batch)
    x[...] = x_batch[0]
    return int(count[0])


def _sor_counts(shifts, rhs, omegas, tol, max_iter, out):
    T, K = out.shape
    g = rhs.shape[1]
    pairs = np.arange(T * K)
    for start in range(0, T * K, SOR_BATCH):
        p = pairs[start:start + SOR_BATCH]
        t, k = p // K, p % K
        x = np.zeros((p.size, g + 2, g + 2))
        out[t, k] = _sor_batch(shifts[t], rhs[t], omegas[k], tol, max_iter, x)


def _exp3_probabilities(L_hat, eta, out):
    low = np.min(L_hat, axis=-1, keepdims=True)
    weights = np.exp(-eta * (L_hat - low))
    out[...] = weights / _sequential_sum(weights)[..., None]


def _tsallis_probabilities(L_hat, eta, out):
    L2 = np.atleast_2d(L_hat)
    res = np.empty_like(L2)
    total = np.empty(L2.shape[0])
    x = np.min(L2, axis=1) - 2.0 / eta
    done = np.zeros(L2.shape[0], dtype=bool)
    for _ in range(NEWTON_STEPS):
        q = eta * (L2 - x[:, None])
        w = 4.0 / (q * q)
        tot = _sequential_sum(w)
        slope = _sequential_sum(w * np.sqrt(w))
        keep = ~done
        res[keep], total[keep] = w[keep], tot[keep]
        done |= keep & (tot - 1.0 <= NEWTON_TOL)
        if done.all():
            break
        step = ~done
        x[step] = x[step] - (tot[step] - 1.0) / (eta * slope[step])
    out[...] = (res / total[:, None]).reshape(out.shape)
    return x if np.ndim(L_hat) > 1 else float(x[0])


def _bandit(costs, uniforms, t_start, algorithm, L_hat, alg_cost, pulls, record_at, out):
    R, chunk = uniforms.shape
    K = costs.shape[1]
    rows = np.arange(R)
    p = np.empty((R, K))
    log_k = np.log(K)
    j = int(np.sum(record_at <= t_start))
    for s in range(chunk):
        t = t_start + s + 1
        if algorithm == EXP3:
            _exp3_probabilities(L_hat, np.sqrt(2.0 * log_k / (K * t)), p)
        else:
            _tsallis_probabilities(L_hat, 2.0 / np.sqrt(t), p)
        below = uniforms[:, s, None] < np.add.accumulate(p, axis=1)
        arm = np.where(below.any(axis=1), np.argmax(below, axis=1), K - 1)
        loss = costs[t - 1, arm]
        alg_cost += loss
        L_hat[rows, arm] += loss / p[rows, arm]
        pulls[rows, arm] += 1
        if j < record_at.shape[0] and record_at[j] == t:
            out[:, j] = alg_cost
            j += 1
