r"""Array-API twins of ``_kernels.py``: the same names and arithmetic, as readable step loops
vectorised over chains, written against the array API standard so that one code runs on NumPy,
CuPy and ``array_api_strict`` (``problems.backend``).

The ULA, MALA and SGLD twins also run several seeds (instances) as one batched state: the
chains are ``(S, chains, d)``, a per-chain quantity ``(S, chains)``, and the instance's arrays
gain the seed axis where the kernel has none: ``precision`` ``(S, d, d)``, ``mean`` ``(S, 1, d)``,
``direction`` ``(S, d, 1)`` (a column: the projection is a stacked matrix product),
``design`` ``(S, n, d)``, ``response`` ``(S, n)``, the scalars ``step_size``, ``coupling``,
``noise_variance``, ``prior_precision`` ``(S, 1, 1)`` and ``scale`` ``(S, 1)``; the host-drawn
chunks are ``(S, m, chains, ...)`` (each seed's block contiguous, as its stream drew it), step
``j`` is ``noise[:, j, ...]``. One seed is ``S = 1``: every operation acts on each seed's slice
alone (``...`` indexing, broadcasting, ``vecdot`` over the last axis, stacked matrix products),
so a seed's numbers do not depend on the others.

Each twin takes the namespace ``xp`` first, then the kernel's arguments; the chain state and
the running sums (``x``, ``acc``, ``accepted``, ``permutation``) are arrays of ``xp`` and come
back as new arrays with the next checkpoint index instead of being updated in place (the
kernel's contract, which the standard does not offer on arrays a function did not create).
``noise`` and the uniforms are the host-drawn chunks, moved to the device once per chunk and
sliced per step there (``(m, R, chains, d)`` for the coupling, which runs one seed);
``record_at`` is a host integer array and ``out`` a host NumPy array, written one column per
checkpoint (the only device-to-host copy in the step loop).

They are the reference the Numba kernels are tested against (``rtol=1e-10``, same random
numbers). Summation orders inside a dot product may differ (BLAS), nothing else.
"""
from __future__ import annotations

import math

from problems.backend import to_numpy

from ._kernels import LOGCOSH, PROJECTED, SQUARED_NORM


def _gradient(xp, target, x, precision, mean, coupling):
    if target == LOGCOSH:
        g = xp.asarray(x, copy=True)
        t = coupling * xp.tanh(x[..., :-1] - x[..., 1:])
        g[..., 1:] = g[..., 1:] - t  # the kernels' order: x_i - t_{i-1} + t_i
        g[..., :-1] = g[..., :-1] + t
        return g
    return (x - mean) @ precision  # rows of Lambda^T (x - m), as the kernels (stacked: per seed)


def _potential(xp, target, x, gradient, mean, coupling):
    if target == LOGCOSH:
        z = xp.abs(x[..., :-1] - x[..., 1:])
        return 0.5 * xp.vecdot(x, x) + xp.sum(
            coupling * (z + xp.log1p(xp.exp(-2.0 * z)) - math.log(2.0)), axis=-1)
    return 0.5 * xp.vecdot(x - mean, gradient)


def _observe(xp, observable, x, mean, direction, scale):
    e = x - mean
    if observable == SQUARED_NORM:
        return scale * xp.vecdot(e, e)
    p = (e @ direction)[..., 0]
    return scale * p if observable == PROJECTED else scale * p * p


def _record(xp, step, burn_in, record_at, k, acc, out, x, observable, mean, direction, scale):
    """``(acc, k)`` after step ``step``: the observable added, a column of ``out`` written home
    at a checkpoint."""
    if step < burn_in:
        return acc, k
    acc = acc + _observe(xp, observable, x, mean, direction, scale)
    n = step + 1 - burn_in
    if k < record_at.size and n == record_at[k]:
        out[..., k] = to_numpy(acc / n)
        return acc, k + 1
    return acc, k


def _ula_chunk(xp, target, precision, mean, coupling, x, noise, step_size, t0, burn_in,
               observable, direction, scale, record_at, k, acc, out):
    """``(x, acc, k)`` after the chunk's ULA steps."""
    root = xp.sqrt(2.0 * step_size)
    for j in range(noise.shape[1]):
        g = _gradient(xp, target, x, precision, mean, coupling)
        x = x - step_size * g + root * noise[:, j, ...]
        acc, k = _record(xp, t0 + j, burn_in, record_at, k, acc, out, x, observable, mean,
                         direction, scale)
    return x, acc, k


def _mala_chunk(xp, target, precision, mean, coupling, x, noise, uniforms, step_size, t0,
                burn_in, observable, direction, scale, record_at, k, acc, accepted, out):
    """``(x, acc, accepted, k)`` after the chunk's MALA steps; every chain proposes, and
    ``xp.where`` keeps the accepted moves (no boolean-mask assignment)."""
    root = xp.sqrt(2.0 * step_size)
    quarter = 4.0 * step_size[..., 0]  # (S, 1): against the per-chain (S, chains)
    g_x = _gradient(xp, target, x, precision, mean, coupling)
    u_x = _potential(xp, target, x, g_x, mean, coupling)
    for j in range(noise.shape[1]):
        step, xi = t0 + j, noise[:, j, ...]
        y = x - step_size * g_x + root * xi
        xi2 = xp.vecdot(xi, xi)
        g_y = _gradient(xp, target, y, precision, mean, coupling)
        u_y = _potential(xp, target, y, g_y, mean, coupling)
        r = x - y + step_size * g_y
        log_alpha = u_x - u_y - xp.vecdot(r, r) / quarter + 0.5 * xi2
        # exp of the clipped value: no overflow; a NaN log_alpha rejects, as in the kernel
        move = (log_alpha >= 0.0) | (uniforms[:, j, ...] < xp.exp(xp.clip(log_alpha, max=0.0)))
        x, g_x = xp.where(move[..., None], y, x), xp.where(move[..., None], g_y, g_x)
        u_x = xp.where(move, u_y, u_x)
        if step >= burn_in:
            accepted = accepted + xp.astype(move, xp.int64)
        acc, k = _record(xp, step, burn_in, record_at, k, acc, out, x, observable, mean,
                         direction, scale)
    return x, acc, accepted, k


def _shuffle(xp, permutation, uniforms, batch_size):
    """The kernel's partial Fisher-Yates on every row at once: position ``b`` swaps with
    ``r = b + floor(u_b (n - b))`` (capped at ``n - 1``). The standard has no scatter, so the
    entry moved to ``r`` is placed by ``xp.where`` over the row (``chains * n`` per swap).
    ``permutation`` is ``(..., chains, n)``, ``uniforms`` ``(..., chains, B)``."""
    rows, n = permutation.shape[:-1], permutation.shape[-1]
    flat = xp.reshape(xp.arange(math.prod(rows), dtype=xp.int64) * n, rows)
    columns = xp.arange(n, dtype=xp.int64)
    for b in range(batch_size):
        r = b + xp.astype(xp.floor(uniforms[..., b] * (n - b)), xp.int64)
        r = xp.clip(r, max=n - 1)
        head = permutation[..., b]
        drawn = xp.reshape(xp.take(xp.reshape(permutation, (-1,)), xp.reshape(flat + r, (-1,))), rows)
        permutation = xp.where(columns == r[..., None], head[..., None], permutation)
        permutation[..., b] = drawn  # a new array (xp.where's), so writing it is ours
    return permutation


def _sgld_chunk(xp, design, response, noise_variance, prior_precision, x, noise, batch_uniforms,
                permutation, batch_size, step_size, t0, burn_in, observable, mean, direction,
                scale, record_at, k, acc, out):
    """``(x, permutation, acc, k)`` after the chunk's SGLD steps; the batch rows are gathered
    with ``xp.take`` from the seeds' designs laid end to end (``(S, chains, d)`` per batch
    position: seed ``s``'s row ``i`` is row ``s n + i``)."""
    n, d = design.shape[-2], design.shape[-1]
    root = xp.sqrt(2.0 * step_size)
    factor = n / (batch_size * noise_variance)
    full = batch_size == n
    seeds = x.shape[:-2]
    offset = xp.reshape(xp.arange(math.prod(seeds), dtype=xp.int64) * n, (*seeds, 1))
    rows_of, values_of = xp.reshape(design, (-1, d)), xp.reshape(response, (-1,))
    for j in range(noise.shape[1]):
        if not full:
            permutation = _shuffle(xp, permutation, batch_uniforms[:, j, ...], batch_size)
        s = xp.zeros_like(x)
        for b in range(batch_size):
            if full:  # row b for every chain, broadcast
                xb, yb = design[..., b:b + 1, :], response[..., b:b + 1]
            else:
                rows = xp.reshape(permutation[..., b] + offset, (-1,))
                xb = xp.reshape(xp.take(rows_of, rows, axis=0), x.shape)
                yb = xp.reshape(xp.take(values_of, rows), x.shape[:-1])
            res = xp.vecdot(xb, x) - yb
            s = s + xb * res[..., None]
        g = prior_precision * x + factor * s
        x = x - step_size * g + root * noise[:, j, ...]
        acc, k = _record(xp, t0 + j, burn_in, record_at, k, acc, out, x, observable, mean,
                         direction, scale)
    return x, permutation, acc, k


def _coupling_chunk(xp, target, precision, mean, coupling, x, y, noise, step_size, t0, direction,
                    record_at, k, squared_distance, projection_x, projection_y):
    """``(x, y, k)`` after the chunk's coarse steps (each with its ``R`` fine steps); the
    host arrays ``squared_distance``, ``projection_x``, ``projection_y`` get their checkpoint
    entries."""
    m, R = noise.shape[0], noise.shape[1]
    fine = step_size / R
    root = math.sqrt(2.0 * fine)
    for j in range(m + 1):
        if k < record_at.size and t0 + j == record_at[k]:
            e = x - y
            squared_distance[k] = to_numpy(xp.sum(e * e) / x.shape[0])
            projection_x[k] = to_numpy(x @ direction)
            projection_y[k] = to_numpy(y @ direction)
            k += 1
        if j == m:
            break
        xi = xp.zeros_like(x)
        for r in range(R):  # summed in the kernel's order
            xi = xi + noise[j, r, ...]
        x = x - step_size * _gradient(xp, target, x, precision, mean, coupling) + root * xi
        for r in range(R):
            g = _gradient(xp, target, y, precision, mean, coupling)
            y = y - fine * g + root * noise[j, r, ...]
    return x, y, k
