r"""Array-API twins of ``_sde_kernels.py``: the same names and arithmetic, as step loops
vectorised over chains, written against the array API standard (2023.12) so that one code
runs on NumPy, CuPy and ``array_api_strict`` (``problems.backend``).

Each twin takes the namespace ``xp`` first, then the kernel's arguments. The chain state and
the running sums (``q``, ``p``, ``perm``, ``x``, ``theta``, ``acc``, ...) are arrays of ``xp``
and come back as new arrays, with the next checkpoint index in place of the kernel's
one-element ``cursor`` (the standard offers no in-place update of arrays a function did not
create). The host-drawn random numbers of a segment (``normals``, ``batch_draws``, ``shards``)
are moved to the device once and sliced per step there. ``record_at`` is a host integer
array, ``op_kind``, ``op_a``, ``op_b`` host arrays read as Python numbers (the step's control
flow), and ``out`` (``sums``, ``outers``) host NumPy arrays written one column (row) per
checkpoint: the only device-to-host copies in the step loop.

They are the reference the Numba kernels are tested against (``rtol=1e-10``, the same
host-drawn random numbers). Summation orders over a coordinate or a batch may differ
(``xp.sum``, ``xp.vecdot``), nothing else. Overflow is allowed: divergence shows up as
``+inf`` in ``out``; the public methods switch NumPy's warnings off around the call.
"""
from __future__ import annotations

import math

from problems.backend import to_numpy

from ._sde_kernels import DRIFT, HARMONIC, KICK, POSITION_RATIO, RATIONAL, SECOND_MOMENT


def _record(xp, acc, k, burn_in, record_at, cursor, out):
    """The cursor after state ``k``: at a checkpoint the running averages go home to column
    ``cursor`` of ``out`` (a non-finite one as ``+inf``, as the kernels write it)."""
    if cursor < record_at.shape[0] and k - burn_in == record_at[cursor]:
        value = acc / (k - burn_in + 1)
        out[:, cursor] = to_numpy(xp.where(xp.isfinite(value), value,
                                           xp.full_like(value, math.inf)))
        return cursor + 1
    return cursor


def _swap(xp, perm, picks, flat, columns):
    """The kernel's partial Fisher-Yates on every row at once: position ``b`` swaps with
    ``picks[:, b]`` (in ``[b, n)``), ``b = 0, 1, ...`` in order. The standard has no scatter, so
    the entry moved to the pick is placed by ``xp.where`` over the row (``chains * n`` per
    swap); ``flat`` is each row's offset in the flattened ``perm``, ``columns`` ``arange(n)``."""
    for b in range(picks.shape[1]):
        pick = picks[:, b]
        head = perm[:, b]
        drawn = xp.take(xp.reshape(perm, (-1,)), flat + pick)
        perm = xp.where(columns == pick[:, None], head[:, None], perm)
        perm[:, b] = drawn  # a new array (xp.where's), so writing it is ours
    return perm


def _sghmc_segment(xp, q, p, perm, data, data_mean, posterior_mean, L, op_kind, op_a, op_b,
                   batch_draws, normals, full_gradient, n_steps, first_step, burn_in,
                   record_at, statistic, scale, cursor, acc, out):
    """``(q, p, perm, acc, cursor)`` after the segment; per kick the batch rows of every chain
    are gathered with one ``xp.take`` (``(chains * B, d)``) and averaged."""
    chains, d = q.shape
    n, B = perm.shape[1], batch_draws.shape[3]
    flat = xp.arange(chains, dtype=xp.int64) * n
    columns = xp.arange(n, dtype=xp.int64)
    operations = [(int(kind), float(a), float(b)) for kind, a, b in zip(op_kind, op_a, op_b)]
    for r in range(-1 if first_step == 1 else 0, n_steps):
        if r >= 0:
            kick = damp = 0
            for kind, a, b in operations:
                if kind == KICK:
                    if full_gradient:
                        xbar = data_mean
                    else:
                        perm = _swap(xp, perm, batch_draws[r, kick, ...], flat, columns)
                        rows = xp.take(data, xp.reshape(perm[:, :B], (-1,)), axis=0)
                        xbar = xp.sum(xp.reshape(rows, (chains, B, d)), axis=1) / B
                    p = p - a * (L * q - xbar)
                    kick += 1
                elif kind == DRIFT:
                    q = q + a * p
                else:
                    p = a * p + b * normals[r, damp, ...]
                    damp += 1
        k = first_step + r
        if k < burn_in:
            continue
        e = q - posterior_mean if statistic == POSITION_RATIO else p
        acc = acc + scale * xp.sum(e * e, axis=-1) / d
        cursor = _record(xp, acc, k, burn_in, record_at, cursor, out)
    return q, p, perm, acc, cursor


def _drift_diffusion(xp, x, potential, diffusion, floor):
    grad = x if potential == HARMONIC else x * x * x - x
    if diffusion == RATIONAL:
        D = floor + x * x / (1.0 + x * x)
        Dp = 2.0 * x / ((1.0 + x * x) * (1.0 + x * x))
    else:
        D = 1.0 + 0.5 * xp.sin(x)
        Dp = 0.5 * xp.cos(x)
    return grad, D, Dp


def _alpha_segment(xp, x, normals, n_steps, first_step, burn_in, record_at, step_size, alpha,
                   correction, potential, diffusion, floor, statistic, scale, cursor, acc,
                   out):
    """``(x, acc, cursor)`` after the segment; ``x`` is ``(chains,)``, elementwise."""
    root_h = math.sqrt(step_size)
    for r in range(-1 if first_step == 1 else 0, n_steps):
        if r >= 0:
            grad, D, Dp = _drift_diffusion(xp, x, potential, diffusion, floor)
            drift = -D * grad + correction * (1.0 - alpha) * Dp
            dW = root_h * normals[r, ...]
            pred = x + drift * step_size + xp.sqrt(2.0 * D) * dW
            _, Da, _ = _drift_diffusion(xp, x + alpha * (pred - x), potential, diffusion, floor)
            x = x + drift * step_size + xp.sqrt(2.0 * Da) * dW
        k = first_step + r
        if k < burn_in:
            continue
        acc = acc + scale * (x * x if statistic == SECOND_MOMENT else x)
        cursor = _record(xp, acc, k, burn_in, record_at, cursor, out)
    return x, acc, cursor


def _myula_segment(xp, x, normals, n_steps, first_step, burn_in, record_at, step_size,
                   smoothing, l1_weight, statistic, cursor, acc, out):
    """``(x, acc, cursor)`` after the segment; ``x`` is ``(chains, d)``."""
    d = x.shape[1]
    noise = math.sqrt(2.0 * step_size)
    for r in range(-1 if first_step == 1 else 0, n_steps):
        if r >= 0:
            env = xp.clip(x / smoothing, min=-l1_weight, max=l1_weight)
            x = x - step_size * (x + env) + noise * normals[r, ...]
        k = first_step + r
        if k < burn_in:
            continue
        terms = x * x if statistic == SECOND_MOMENT else xp.abs(x)
        acc = acc + xp.sum(terms, axis=-1) / d
        cursor = _record(xp, acc, k, burn_in, record_at, cursor, out)
    return x, acc, cursor


def _federated_segment(xp, theta, shards, normals, precisions, linear, centre, step_size,
                       n_steps, first_step, burn_in, record_at, cursor, acc_sum, acc_outer,
                       sums, outers):
    """``(theta, acc_sum, acc_outer, cursor)`` after the segment; per step each chain's shard
    matrices are gathered with ``xp.take`` (``(chains, d, d)``) and applied by ``xp.vecdot``;
    at a checkpoint the per-chain sums, pooled over chains, are added into the host rows
    ``sums[j]``, ``outers[j]``."""
    noise = math.sqrt(2.0 * step_size)
    for r in range(-1 if first_step == 1 else 0, n_steps):
        if r >= 0:
            s = shards[r, ...]
            drift = xp.take(linear, s, axis=0) - xp.vecdot(xp.take(precisions, s, axis=0),
                                                           theta[:, None, :])
            theta = theta + (step_size * drift + noise * normals[r, ...])  # the kernel's order
        k = first_step + r
        if k < burn_in:
            continue
        e = theta - centre
        acc_sum = acc_sum + e
        acc_outer = acc_outer + e[:, :, None] * e[:, None, :]
        if cursor < record_at.shape[0] and k - burn_in == record_at[cursor]:
            sums[cursor, ...] += to_numpy(xp.sum(acc_sum, axis=0))
            outers[cursor, ...] += to_numpy(xp.sum(acc_outer, axis=0))
            cursor += 1
    return theta, acc_sum, acc_outer, cursor
