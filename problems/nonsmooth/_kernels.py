r"""Numba kernel for stochastic subgradient descent on absolute-loss regression (private).

The kernel advances all replicas through one chunk of pre-drawn randomness
``G[r, j] = (a_t, \varepsilon_t)`` (shape ``(replicas, m, d + 1)``) with pre-computed step
sizes ``eta[j]``, writing the metric at the checkpoints it passes. No fastmath, no
exceptions, no RNG. The readable twin is in ``_reference.py``.
"""
from __future__ import annotations

import math

import numba

SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
METRIC_SUBOPTIMALITY = 0
METRIC_DISTANCE = 1


@numba.njit(cache=True)
def _metric(x, x_star, noise, code):
    # f(x) - f_star = sqrt(2/pi) (sqrt(r^2 + s^2) - s) = sqrt(2/pi) r^2 / (sqrt(r^2 + s^2) + s)
    acc = 0.0
    for i in range(x.shape[0]):
        diff = x[i] - x_star[i]
        acc += diff * diff
    r = math.sqrt(acc)
    if code == METRIC_DISTANCE:
        return r
    if r == 0.0:
        return 0.0
    return SQRT_2_OVER_PI * r * (r / (math.hypot(r, noise) + noise))


@numba.njit(cache=True)
def _sgd_chunk(x, x_star, noise, G, eta, t0, record_at, k, metric_code, out):
    replicas, m, d1 = G.shape
    d = d1 - 1
    K = record_at.shape[0]
    for j in range(m + 1):
        if k < K and t0 + j == record_at[k]:
            for r in range(replicas):
                out[r, k] = _metric(x[r], x_star, noise, metric_code)
            k += 1
        if j == m:
            break
        for r in range(replicas):
            res = 0.0
            for i in range(d):
                res += G[r, j, i] * (x[r, i] - x_star[i])
            res -= noise * G[r, j, d]
            if res > 0.0:
                s = 1.0
            elif res < 0.0:
                s = -1.0
            elif res == 0.0:
                s = 0.0
            else:
                s = res  # NaN propagates, as np.sign does
            scale = eta[j] * s
            for i in range(d):
                x[r, i] -= scale * G[r, j, i]
    return k
