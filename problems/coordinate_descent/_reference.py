r"""NumPy twins of ``_kernels.py``: the same names, signatures and arithmetic, as readable
step loops vectorised over replicas (errors of shape ``(replicas, dim)``).

The gradient is summed column by column in increasing order, as in the kernels, so that the
greedy selections (arg-max with the first maximiser on ties) agree exactly between the back
ends; the tests hold the traces to ``rtol=1e-10``.
"""
from __future__ import annotations

import numpy as np

from ._kernels import CYCLIC, DISTANCE, GS, LIPSCHITZ, PROGRESS_FLOOR, PROGRESS_RATIO, RANDOM, TINY


def _gradient(H, E):
    """``G[r] = H E[r]``, accumulated over columns in increasing order."""
    G = np.zeros_like(E)
    for j in range(E.shape[1]):
        G += E[:, j:j + 1] * H[:, j][None, :]
    return G


def _block_norms(G, block_start, block_len):
    norms = np.zeros((G.shape[0], block_start.size))
    for b in range(block_start.size):
        for i in range(block_start[b], block_start[b] + block_len[b]):
            norms[:, b] += G[:, i] * G[:, i]
    return norms


def _metric(H, E, G, metric, ratio):
    if metric == PROGRESS_RATIO:
        return ratio.copy()
    if metric == DISTANCE:
        return np.sqrt(np.sum(E * E, axis=1))
    return 0.5 * np.sum(E * G, axis=1)


def _cd_chunk(H, block_start, block_len, L_block, step_sizes, L_guarantee, rule, choices, t0, n_iter,
              metric, record_at, E, ratio, counts, out):
    n_steps = choices.shape[0]
    R = E.shape[0]
    rows = np.arange(R)
    k = int(np.searchsorted(record_at, t0))
    for s in range(n_steps):
        t = t0 + s
        G = _gradient(H, E)
        norms = _block_norms(G, block_start, block_len)
        if rule in (RANDOM, LIPSCHITZ):
            b = choices[s].astype(np.int64)
        elif rule == CYCLIC:
            b = np.full(R, t % block_start.size, dtype=np.int64)
        else:
            scores = norms if rule == GS else norms / L_block[None, :]
            b = np.argmax(scores, axis=1)
        largest = norms.max(axis=1)
        eta = step_sizes[b]
        curvature = np.zeros(R)
        for r in range(R):
            lo, hi = block_start[b[r]], block_start[b[r]] + block_len[b[r]]
            gb = G[r, lo:hi]
            for i in range(hi - lo):
                acc = 0.0
                for j in range(hi - lo):
                    acc += H[lo + i, lo + j] * gb[j]
                curvature[r] += gb[i] * acc
        progress = eta * norms[rows, b] - 0.5 * eta * eta * curvature
        moving = largest > PROGRESS_FLOOR
        with np.errstate(divide="ignore", invalid="ignore"):
            value = np.where(moving, 2.0 * L_guarantee * progress / np.where(moving, largest, 1.0), np.inf)
        np.minimum(ratio, value, out=ratio)
        if k < record_at.size and record_at[k] == t:
            out[:, k] = _metric(H, E, G, metric, ratio)
            k += 1
        if t == n_iter:
            break
        counts[rows, b] += 1
        for r in range(R):
            lo, hi = block_start[b[r]], block_start[b[r]] + block_len[b[r]]
            v = E[r, lo:hi] - eta[r] * G[r, lo:hi]
            v[np.abs(v) < TINY] = 0.0
            E[r, lo:hi] = v
