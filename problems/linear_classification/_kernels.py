r"""Numba kernels for logistic GD and the batch perceptron (private).

Flat and pure: arrays and scalars in, a preallocated ``out`` filled at the checkpoints
``record_at``. ``Z`` holds the signed points :math:`z_i = y_i b_i` (rows), so the margins
are :math:`m_i = z_i^\top v`. No fastmath, no exceptions, no RNG (the methods are
deterministic). The readable twins are in ``_reference.py``.
"""
from __future__ import annotations

import math

import numba
import numpy as np

METRIC_LOSS = 0
METRIC_MISCLASSIFIED = 1
METRIC_PERCEPTRON_LOSS = 2


@numba.njit(cache=True)
def _margins(Z, v, m):
    n, d = Z.shape
    for i in range(n):
        acc = 0.0
        for j in range(d):
            acc += Z[i, j] * v[j]
        m[i] = acc


@numba.njit(cache=True)
def _softplus_neg(m):
    # log(1 + exp(-m)), stable for either sign of m
    if m >= 0.0:
        return math.log1p(math.exp(-m))
    return -m + math.log1p(math.exp(m))


@numba.njit(cache=True)
def _sigmoid_neg(m):
    # 1 / (1 + exp(m)), stable for either sign of m
    if m >= 0.0:
        e = math.exp(-m)
        return e / (1.0 + e)
    return 1.0 / (1.0 + math.exp(m))


@numba.njit(cache=True)
def _metric(m, code):
    n = m.shape[0]
    acc = 0.0
    for i in range(n):
        if code == METRIC_LOSS:
            acc += _softplus_neg(m[i])
        elif code == METRIC_MISCLASSIFIED:
            if not m[i] > 0.0:  # boundary (and NaN) counts as misclassified
                acc += 1.0
        else:
            if m[i] < 0.0:
                acc -= m[i]
    if code == METRIC_MISCLASSIFIED:
        return acc
    return acc / n


@numba.njit(cache=True)
def _step(Z, c, scale, v):
    # v <- v + scale * (1/n) sum_i c_i z_i
    n, d = Z.shape
    for j in range(d):
        acc = 0.0
        for i in range(n):
            acc += Z[i, j] * c[i]
        v[j] += scale * (acc / n)


@numba.njit(cache=True)
def _logistic_coef(m, c):
    for i in range(m.shape[0]):
        c[i] = _sigmoid_neg(m[i])


@numba.njit(cache=True)
def _perceptron_coef(m, tie_weight, c):
    for i in range(m.shape[0]):
        if m[i] < 0.0:
            c[i] = 1.0
        elif m[i] == 0.0:
            c[i] = tie_weight
        else:
            c[i] = 0.0


@numba.njit(cache=True)
def _logistic_gd_loop(Z, step_size, record_at, metric_code, out):
    n, d = Z.shape
    v = np.zeros(d)
    m = np.empty(n)
    c = np.empty(n)
    k = 0
    for t in range(record_at[-1] + 1):
        _margins(Z, v, m)
        if t == record_at[k]:
            out[k] = _metric(m, metric_code)
            k += 1
            if k == record_at.shape[0]:
                break
        _logistic_coef(m, c)
        _step(Z, c, step_size, v)
    return v


@numba.njit(cache=True)
def _perceptron_loop(Z, tie_weight, record_at, metric_code, out):
    n, d = Z.shape
    w = np.zeros(d)
    m = np.empty(n)
    c = np.empty(n)
    k = 0
    for t in range(record_at[-1] + 1):
        _margins(Z, w, m)
        if t == record_at[k]:
            out[k] = _metric(m, metric_code)
            k += 1
            if k == record_at.shape[0]:
                break
        _perceptron_coef(m, tie_weight, c)
        _step(Z, c, 1.0, w)
    return w


@numba.njit(cache=True)
def _deviation_loop(Z, step_size, tie_weight, record_at, out):
    n, d = Z.shape
    v = np.zeros(d)
    w = np.zeros(d)
    m = np.empty(n)
    c = np.empty(n)
    k = 0
    for t in range(record_at[-1] + 1):
        if t == record_at[k]:
            num = 0.0
            w_sq = 0.0
            v_sq = 0.0
            for j in range(d):
                diff = v[j] / step_size - w[j]
                num += diff * diff
                w_sq += w[j] * w[j]
                v_sq += (v[j] / step_size) ** 2
            out[k] = math.sqrt(num) / max(math.sqrt(max(w_sq, v_sq)), 1e-300)
            k += 1
            if k == record_at.shape[0]:
                break
        _margins(Z, v, m)
        _logistic_coef(m, c)
        _step(Z, c, step_size, v)
        _margins(Z, w, m)
        _perceptron_coef(m, tie_weight, c)
        _step(Z, c, 1.0, w)
    return v, w
