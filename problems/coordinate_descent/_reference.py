r"""Array-API twins of ``_kernels.py``: the same names, signatures and arithmetic, as readable
step loops vectorised over replicas (errors of shape ``(replicas, dim)``).

They are written against the array API standard (2023.12), so the same code runs on NumPy,
CuPy and ``array_api_strict``: the namespace is read from the arrays passed in
(``array_namespace``), which the public method has already moved to the back end's device.
``block_start``, ``block_len``, ``record_at`` and ``out`` stay host NumPy arrays: the loop
control never reads the device, and a checkpoint's metric comes home once (``to_numpy``).

The gradient is summed column by column in increasing order and each block norm element by
element, as in the kernels: each of those sums is one element-wise operation over all
replicas and coordinates per term (no reduction whose order a library chooses), so every back
end rounds exactly as the kernel does. Two things need that: the greedy rules' arg-max (the
first maximiser on ties, the standard's ``argmax``) selects the same blocks (the worst-case
starts make the block norms tie in exact arithmetic, and round-off breaks the tie), and the
progress ratio of a block whose gradient an earlier step zeroed is a ratio of round-off
(random and cyclic rules pick such blocks), which only the same summation order reproduces.
The price is ``dim`` element-wise operations per step instead of one matrix product. The tests
hold the traces to ``rtol=1e-10`` and the selections to equality.

``_cd_chunk`` updates its state arrays ``E``, ``ratio``, ``counts`` in place once, at the end of
the chunk, to keep the kernel's contract (the host feeds the next chunk of choices to the
same state); within the chunk it carries new arrays.
"""
from __future__ import annotations

import numpy as np
from array_api_compat import array_namespace

from problems.backend import to_numpy

from ._kernels import CYCLIC, DISTANCE, GS, LIPSCHITZ, PROGRESS_FLOOR, PROGRESS_RATIO, RANDOM, TINY


def _gradient(H, E):
    """``G[r] = H E[r]``, accumulated over columns in increasing order (as the kernel sums)."""
    xp = array_namespace(E, H)
    G = xp.zeros_like(E)
    for j in range(E.shape[1]):
        G = G + E[:, j:j + 1] * H[:, j]
    return G


def _block_norms(G, block_start, block_len):
    r"""``(R, B)``: :math:`\|g_b\|^2`, summed over each block in increasing order. The blocks are
    contiguous and equally long but for the last one: zero-padded to ``(R, B, size)``, they are
    one reshape, and the padding adds exact zeros after the block's own terms."""
    xp = array_namespace(G)
    R, dim = G.shape
    n_blocks, size = block_start.size, int(block_len[0])
    squares = G * G
    if n_blocks * size > dim:
        squares = xp.concat([squares, xp.zeros((R, n_blocks * size - dim), dtype=G.dtype)], axis=1)
    squares = xp.reshape(squares, (R, n_blocks, size))
    norms = squares[:, :, 0]
    for i in range(1, size):
        norms = norms + squares[:, :, i]
    return norms


def _metric(H, E, G, metric, ratio):
    xp = array_namespace(E, G)
    if metric == PROGRESS_RATIO:
        return ratio
    if metric == DISTANCE:
        return xp.sqrt(xp.sum(E * E, axis=1))
    return 0.5 * xp.sum(E * G, axis=1)


def _cd_chunk(H, block_start, block_len, L_block, step_sizes, L_guarantee, rule, choices, t0, n_iter,
              metric, record_at, E, ratio, counts, out):
    xp = array_namespace(E, H)
    n_steps = choices.shape[0]
    R, dim = E.shape
    n_blocks = block_start.size
    size = int(block_len[0])
    # made once per chunk: 0-d constants (a Python scalar in where is not in the 2023.12
    # standard, and a fresh asarray per step would be a host-to-device copy on a GPU), the
    # block of each coordinate, and the offsets of each replica's row in a flattened (R, B)
    zero, one, inf = (xp.asarray(v, dtype=xp.float64) for v in (0.0, 1.0, float("inf")))
    block_of = xp.arange(dim, dtype=xp.int64) // size
    row_offset = xp.arange(R, dtype=xp.int64) * n_blocks
    blocks = xp.arange(n_blocks, dtype=xp.int64)
    e, low, c = E, ratio, counts
    k = int(np.searchsorted(record_at, t0))  # record_at is a host array
    for s in range(n_steps):
        t = t0 + s
        G = _gradient(H, e)
        norms = _block_norms(G, block_start, block_len)
        if rule in (RANDOM, LIPSCHITZ):
            b = choices[s, :]
        elif rule == CYCLIC:
            b = xp.full((R,), t % n_blocks, dtype=xp.int64)
        else:
            b = xp.argmax(norms if rule == GS else norms / L_block, axis=1)
        largest = xp.max(norms, axis=1)
        eta = xp.take(step_sizes, b)
        chosen = block_of == b[:, None]  # (R, dim): the coordinates of each replica's block
        g_b = xp.where(chosen, G, zero)
        # g_b^T H_bb g_b with g_b zero off the block: one product for every replica
        curvature = xp.sum(g_b * (g_b @ H.mT), axis=1)
        progress = eta * xp.take(xp.reshape(norms, (-1,)), row_offset + b) - 0.5 * eta * eta * curvature
        moving = largest > PROGRESS_FLOOR
        value = xp.where(moving, 2.0 * L_guarantee * progress / xp.where(moving, largest, one), inf)
        low = xp.minimum(low, value)
        if k < record_at.size and record_at[k] == t:
            out[:, k] = to_numpy(_metric(H, e, G, metric, low))
            k += 1
        if t == n_iter:
            break
        c = c + xp.astype(blocks == b[:, None], xp.int64)
        v = e - eta[:, None] * G
        e = xp.where(chosen, xp.where(xp.abs(v) < TINY, zero, v), e)
    E[...] = e
    ratio[...] = low
    counts[...] = c
