r"""NumPy twins of ``_kernels.py``: the same names, signatures and arithmetic, as readable step
loops vectorised over chains (states of shape ``(chains, d)``).

They are the reference the Numba kernels are tested against (``rtol=1e-10``, same random
numbers). Summation orders inside a dot product may differ (BLAS), nothing else.
"""
from __future__ import annotations

import numpy as np

from ._kernels import LOGCOSH, PROJECTED, SQUARED_NORM


def _gradient(target, x, precision, mean, coupling):
    if target == LOGCOSH:
        g = x.copy()
        t = coupling * np.tanh(x[:, :-1] - x[:, 1:])
        g[:, 1:] -= t
        g[:, :-1] += t
        return g
    return (x - mean) @ precision  # rows of Lambda^T (x - m), as the kernels


def _potential(target, x, gradient, mean, coupling):
    if target == LOGCOSH:
        z = np.abs(x[:, :-1] - x[:, 1:])
        return 0.5 * np.sum(x * x, axis=1) + np.sum(
            coupling * (z + np.log1p(np.exp(-2.0 * z)) - np.log(2.0)), axis=1)
    return 0.5 * np.sum((x - mean) * gradient, axis=1)


def _observe(observable, x, mean, direction, scale):
    if observable == SQUARED_NORM:
        return scale * np.sum((x - mean) ** 2, axis=1)
    p = (x - mean) @ direction
    return scale * p if observable == PROJECTED else scale * p * p


def _record(step, burn_in, record_at, k, acc, out, x, observable, mean, direction, scale):
    if step < burn_in:
        return k
    acc += _observe(observable, x, mean, direction, scale)
    n = step + 1 - burn_in
    if k < record_at.size and n == record_at[k]:
        out[:, k] = acc / n
        return k + 1
    return k


@np.errstate(all="ignore")  # divergence is evidence, not an error
def _ula_chunk(target, precision, mean, coupling, x, noise, step_size, t0, burn_in, observable,
               direction, scale, record_at, k, acc, out):
    root = np.sqrt(2.0 * step_size)
    for j in range(noise.shape[0]):
        step = t0 + j
        x[...] = x - step_size * _gradient(target, x, precision, mean, coupling) + root * noise[j]
        k = _record(step, burn_in, record_at, k, acc, out, x, observable, mean, direction, scale)
    return k


@np.errstate(all="ignore")
def _mala_chunk(target, precision, mean, coupling, x, noise, uniforms, step_size, t0, burn_in,
                observable, direction, scale, record_at, k, acc, accepted, out):
    root = np.sqrt(2.0 * step_size)
    g_x = _gradient(target, x, precision, mean, coupling)
    u_x = _potential(target, x, g_x, mean, coupling)
    for j in range(noise.shape[0]):
        step = t0 + j
        y = x - step_size * g_x + root * noise[j]
        xi2 = np.sum(noise[j] * noise[j], axis=1)
        g_y = _gradient(target, y, precision, mean, coupling)
        u_y = _potential(target, y, g_y, mean, coupling)
        back = np.sum((x - y + step_size * g_y) ** 2, axis=1)
        log_alpha = u_x - u_y - back / (4.0 * step_size) + 0.5 * xi2
        move = (log_alpha >= 0.0) | (uniforms[j] < np.exp(np.minimum(log_alpha, 0.0)))
        x[move], g_x[move], u_x[move] = y[move], g_y[move], u_y[move]
        if step >= burn_in:
            accepted += move
        k = _record(step, burn_in, record_at, k, acc, out, x, observable, mean, direction, scale)
    return k


@np.errstate(all="ignore")
def _sgld_chunk(design, response, noise_variance, prior_precision, x, noise, batch_uniforms,
                permutation, batch_size, step_size, t0, burn_in, observable, mean, direction,
                scale, record_at, k, acc, out):
    n = design.shape[0]
    chains = x.shape[0]
    root = np.sqrt(2.0 * step_size)
    factor = n / (batch_size * noise_variance)
    rows = np.arange(chains)
    for j in range(noise.shape[0]):
        step = t0 + j
        if batch_size == n:
            batch = np.broadcast_to(np.arange(n), (chains, n))
        else:
            for b in range(batch_size):  # partial Fisher-Yates, one swap per position
                r = np.minimum(b + (batch_uniforms[j, :, b] * (n - b)).astype(np.int64), n - 1)
                head = permutation[:, b].copy()
                permutation[:, b] = permutation[rows, r]
                permutation[rows, r] = head
            batch = permutation[:, :batch_size]
        s = np.zeros_like(x)
        for b in range(batch_size):
            xb = design[batch[:, b]]
            res = np.sum(xb * x, axis=1) - response[batch[:, b]]
            s += xb * res[:, None]
        g = prior_precision * x + factor * s
        x[...] = x - step_size * g + root * noise[j]
        k = _record(step, burn_in, record_at, k, acc, out, x, observable, mean, direction, scale)
    return k


@np.errstate(all="ignore")
def _coupling_chunk(target, precision, mean, coupling, x, y, noise, step_size, t0, direction,
                    record_at, k, squared_distance, projection_x, projection_y):
    m, R = noise.shape[0], noise.shape[1]
    fine = step_size / R
    root = np.sqrt(2.0 * fine)
    for j in range(m + 1):
        if k < record_at.size and t0 + j == record_at[k]:
            squared_distance[k] = np.sum((x - y) ** 2) / x.shape[0]
            projection_x[k] = x @ direction
            projection_y[k] = y @ direction
            k += 1
        if j == m:
            break
        xi = np.zeros_like(x)
        for r in range(R):
            xi += noise[j, r]
        x[...] = x - step_size * _gradient(target, x, precision, mean, coupling) + root * xi
        for r in range(R):
            y[...] = y - fine * _gradient(target, y, precision, mean, coupling) + root * noise[j, r]
    return k
