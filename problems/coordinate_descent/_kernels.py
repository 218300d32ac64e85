r"""Private Numba kernels for ``problems.coordinate_descent.methods``.

Arrays and scalars in, preallocated arrays out: no objects, no exceptions, no printing, no
random numbers (the blocks of the random rules are drawn on the host and passed in), no
``fastmath``. Each kernel has a NumPy twin of the same name and signature in
``_reference.py``; the tests hold them to ``rtol=1e-10``. The twins compute the gradient
with the same summation order (column by column), so that the greedy rules break ties, and
near-ties, identically in both back ends.

Iterates are carried as errors :math:`e = x - x_\star`; the gradient :math:`g = He` is
recomputed in full at every step (no drift of an incrementally updated gradient, and
:math:`f - f_\star = \frac12 e^\top He` has no cancellation floor). Error components below
``TINY`` are flushed to zero after each update.
"""
from __future__ import annotations

import numba
import numpy as np

# Integer codes shared with the wrappers and the NumPy twins.
SUBOPTIMALITY, DISTANCE, PROGRESS_RATIO = 0, 1, 2
RANDOM, LIPSCHITZ, CYCLIC, GS, GSL = 0, 1, 2, 3, 4
# Below this largest squared block norm the progress ratio is not updated: the products of the
# progress formula (eta^2 g^T H g) would reach subnormal numbers and lose their relative precision,
# so a ratio of 0 there is the floating-point floor, not a step that made no progress.
PROGRESS_FLOOR = 1e-250
TINY = 1e-280  # below: subnormal arithmetic (slow), where 1/2 e^T H e has underflowed already


@numba.njit(cache=True)
def _gradient(H, e, g):
    """``g = H e``, summed over columns in increasing order (the twins do the same)."""
    for i in range(e.size):
        g[i] = 0.0
    for j in range(e.size):
        ej = e[j]
        for i in range(e.size):
            g[i] += H[i, j] * ej


@numba.njit(cache=True)
def _block_norms(g, block_start, block_len, norms):
    for b in range(block_start.size):
        acc = 0.0
        for i in range(block_start[b], block_start[b] + block_len[b]):
            acc += g[i] * g[i]
        norms[b] = acc


@numba.njit(cache=True)
def _metric(H, e, g, metric, ratio):
    """``1/2 e^T H e`` (``g = He``), ``||e||``, or the running minimum progress ratio."""
    if metric == PROGRESS_RATIO:
        return ratio
    acc = 0.0
    if metric == DISTANCE:
        for i in range(e.size):
            acc += e[i] * e[i]
        return np.sqrt(acc)
    for i in range(e.size):
        acc += e[i] * g[i]
    return 0.5 * acc


@numba.njit(cache=True)
def _cd_chunk(H, block_start, block_len, L_block, step_sizes, L_guarantee, rule, choices, t0, n_iter,
              metric, record_at, E, ratio, counts, out):
    r"""Steps from the iterates :math:`t = t_0, \dots, t_0 + n - 1` (``n = choices.shape[0]``).

    At each :math:`t`: :math:`g = He_t`; the block :math:`b_t` is ``choices[s, r]`` (random
    rules), :math:`t \bmod B` (cyclic), :math:`\arg\max_b\|g_b\|^2` (GS) or
    :math:`\arg\max_b\|g_b\|^2/L_b` (GSL), the first maximiser on ties. With
    :math:`\eta` = ``step_sizes[b]`` the exact progress of :math:`e_b \leftarrow e_b - \eta g_b`
    is :math:`\eta\|g_b\|^2 - \frac{\eta^2}2 g_b^\top H_{bb} g_b`; divided by the GS
    guarantee :math:`\max_b\|g_b\|^2/(2L)` (``L_guarantee``) it updates the running minimum
    ``ratio[r]`` (skipped once :math:`\max_b\|g_b\|^2` < ``PROGRESS_FLOOR``). Then the metric is recorded
    when :math:`t` = ``record_at[k]``; at :math:`t = n_{\mathrm{iter}}` the step is
    evaluated (for the ratio) but not applied.
    """
    n_steps = choices.shape[0]
    replicas, dim = E.shape
    n_blocks = block_start.size
    n_rec = record_at.size
    k0 = np.searchsorted(record_at, t0)
    g = np.empty(dim)
    norms = np.empty(n_blocks)
    for r in range(replicas):
        e = E[r]
        k = k0
        for s in range(n_steps):
            t = t0 + s
            _gradient(H, e, g)
            _block_norms(g, block_start, block_len, norms)
            if rule == RANDOM or rule == LIPSCHITZ:
                b = choices[s, r]
            elif rule == CYCLIC:
                b = t % n_blocks
            else:
                b = 0
                best = -1.0
                for c in range(n_blocks):
                    score = norms[c] if rule == GS else norms[c] / L_block[c]
                    if score > best:
                        best = score
                        b = c
            largest = 0.0
            for c in range(n_blocks):
                if norms[c] > largest:
                    largest = norms[c]
            eta = step_sizes[b]
            lo = block_start[b]
            hi = lo + block_len[b]
            curvature = 0.0
            for i in range(lo, hi):
                acc = 0.0
                for j in range(lo, hi):
                    acc += H[i, j] * g[j]
                curvature += g[i] * acc
            progress = eta * norms[b] - 0.5 * eta * eta * curvature
            if largest > PROGRESS_FLOOR:
                # multiplied, not divided by largest/(2L): a gradient near the underflow threshold would
                # make that quotient exactly 0 and Numba raise ZeroDivisionError
                value = 2.0 * L_guarantee * progress / largest
                if value < ratio[r]:
                    ratio[r] = value
            if k < n_rec and record_at[k] == t:
                out[r, k] = _metric(H, e, g, metric, ratio[r])
                k += 1
            if t == n_iter:
                break
            counts[r, b] += 1
            for i in range(lo, hi):
                v = e[i] - eta * g[i]
                e[i] = 0.0 if abs(v) < TINY else v
