r"""NumPy twins of ``_sde_kernels.py``: the same names, signatures and arithmetic, as step
loops vectorised over chains. They are the reference the Numba kernels are tested against
(``rtol=1e-10``, the same host-drawn random numbers)."""
from __future__ import annotations

import numpy as np

from ._sde_kernels import DRIFT, HARMONIC, KICK, POSITION_RATIO, RATIONAL, SECOND_MOMENT


def _record(acc, k, burn_in, record_at, cursor, out):
    """Write the running averages when state ``k`` is a checkpoint; advance the cursor."""
    j = cursor[0]
    if j < record_at.shape[0] and k - burn_in == record_at[j]:
        with np.errstate(all="ignore"):
            value = acc / (k - burn_in + 1)
        out[:, j] = np.where(np.isfinite(value), value, np.inf)
        cursor[0] = j + 1


def _sghmc_segment(q, p, perm, data, data_mean, posterior_mean, L, op_kind, op_a, op_b,
                   batch_draws, normals, full_gradient, n_steps, first_step, burn_in,
                   record_at, statistic, scale, cursor, acc, out):
    chains, d = q.shape
    B = batch_draws.shape[3]
    rows = np.arange(chains)
    with np.errstate(all="ignore"):
        for r in range(-1 if first_step == 1 else 0, n_steps):
            if r >= 0:
                kick = damp = 0
                for kind, a, b in zip(op_kind, op_a, op_b):
                    if kind == KICK:
                        if full_gradient:
                            xbar = np.broadcast_to(data_mean, q.shape)
                        else:
                            for m in range(B):  # partial Fisher-Yates, one position at a time
                                pick = batch_draws[r, kick, :, m]
                                held = perm[rows, m].copy()
                                perm[rows, m] = perm[rows, pick]
                                perm[rows, pick] = held
                            total = np.zeros_like(q)
                            for m in range(B):
                                total += data[perm[:, m]]
                            xbar = total / B
                        p -= a * (L * q - xbar)
                        kick += 1
                    elif kind == DRIFT:
                        q += a * p
                    else:
                        p[...] = a * p + b * normals[r, damp]
                        damp += 1
            k = first_step + r
            if k < burn_in:
                continue
            if statistic == POSITION_RATIO:
                terms = (q - posterior_mean) ** 2
            else:
                terms = p ** 2
            stat = np.zeros(chains)
            for i in range(d):
                stat += terms[:, i]
            acc += scale * stat / d
            _record(acc, k, burn_in, record_at, cursor, out)


def _drift_diffusion(x, potential, diffusion, floor):
    grad = x if potential == HARMONIC else x * x * x - x
    if diffusion == RATIONAL:
        D = floor + x * x / (1.0 + x * x)
        Dp = 2.0 * x / ((1.0 + x * x) * (1.0 + x * x))
    else:
        D = 1.0 + 0.5 * np.sin(x)
        Dp = 0.5 * np.cos(x)
    return grad, D, Dp


def _alpha_segment(x, normals, n_steps, first_step, burn_in, record_at, step_size, alpha,
                   correction, potential, diffusion, floor, statistic, scale, cursor, acc,
                   out):
    root_h = np.sqrt(step_size)
    with np.errstate(all="ignore"):
        for r in range(-1 if first_step == 1 else 0, n_steps):
            if r >= 0:
                grad, D, Dp = _drift_diffusion(x, potential, diffusion, floor)
                drift = -D * grad + correction * (1.0 - alpha) * Dp
                dW = root_h * normals[r]
                pred = x + drift * step_size + np.sqrt(2.0 * D) * dW
                _, Da, _ = _drift_diffusion(x + alpha * (pred - x), potential, diffusion, floor)
                x[...] = x + drift * step_size + np.sqrt(2.0 * Da) * dW
            k = first_step + r
            if k < burn_in:
                continue
            acc += scale * (x * x if statistic == SECOND_MOMENT else x)
            _record(acc, k, burn_in, record_at, cursor, out)


def _myula_segment(x, normals, n_steps, first_step, burn_in, record_at, step_size,
                   smoothing, l1_weight, statistic, cursor, acc, out):
    chains, d = x.shape
    noise = np.sqrt(2.0 * step_size)
    with np.errstate(all="ignore"):
        for r in range(-1 if first_step == 1 else 0, n_steps):
            if r >= 0:
                env = np.minimum(np.maximum(x / smoothing, -l1_weight), l1_weight)
                x[...] = x - step_size * (x + env) + noise * normals[r]
            k = first_step + r
            if k < burn_in:
                continue
            terms = x * x if statistic == SECOND_MOMENT else np.abs(x)
            stat = np.zeros(chains)
            for i in range(d):
                stat += terms[:, i]
            acc += stat / d
            _record(acc, k, burn_in, record_at, cursor, out)


def _federated_segment(theta, shards, normals, precisions, linear, centre, step_size,
                       n_steps, first_step, burn_in, record_at, cursor, acc_sum, acc_outer,
                       sums, outers):
    noise = np.sqrt(2.0 * step_size)
    with np.errstate(all="ignore"):
        for r in range(-1 if first_step == 1 else 0, n_steps):
            if r >= 0:
                s = shards[r]
                drift = linear[s] - np.einsum("cim,cm->ci", precisions[s], theta)
                theta += step_size * drift + noise * normals[r]
            k = first_step + r
            if k < burn_in:
                continue
            e = theta - centre
            acc_sum += e
            acc_outer += e[:, :, None] * e[:, None, :]
            j = cursor[0]
            if j < record_at.shape[0] and k - burn_in == record_at[j]:
                sums[j] += acc_sum.sum(axis=0)
                outers[j] += acc_outer.sum(axis=0)
                cursor[0] = j + 1
