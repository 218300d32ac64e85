r"""Array-API twins of the kernels in ``_kernels.py`` (readable, and the slow path).

Same inputs, same outputs: ``Z`` holds the signed points :math:`z_i = y_i b_i`, the
margins are :math:`m = Z v`, and the metric is written at the checkpoints ``record_at``.
The twins are written against the array API standard (2023.12), so the same code runs on
NumPy, CuPy and ``array_api_strict``: the namespace is read from ``Z``, which the public
method has already moved to the back end's device. ``record_at`` and ``out`` stay host
NumPy arrays: the loop control never reads the device, and a checkpoint's metric comes home
once (``to_numpy``), so a GPU is not synchronised at every step. Each step is two
matrix-vector products over all ``n`` points (``Z @ v`` and ``c @ Z``) and elementwise work
on the ``n`` margins. The loops return the final iterate as a host NumPy array.
"""
from __future__ import annotations

import numpy as np
from array_api_compat import array_namespace

from problems.backend import to_numpy
from problems.linear_classification._kernels import METRIC_LOSS, METRIC_MISCLASSIFIED


def _constants(xp, *values):
    """0-d float64 arrays (a Python scalar in ``where`` is not in the 2023.12 standard, and a
    fresh ``asarray`` per step would be a host-to-device copy on a GPU)."""
    return tuple(xp.asarray(value, dtype=xp.float64) for value in values)


def metric(xp, m, code):
    r"""Logistic loss :math:`\frac1n \sum_i \log(1 + e^{-m_i})`, the count of
    :math:`m_i \le 0`, or the perceptron loss :math:`\frac1n \sum_i \max(0, -m_i)`, as a
    host float (called at the checkpoints only)."""
    zero, one = _constants(xp, 0.0, 1.0)
    if code == METRIC_LOSS:
        # log(1 + e^{-m}) = max(-m, 0) + log1p(e^{-|m|}): finite for any m, as in the kernel
        value = xp.sum(xp.where(m >= 0.0, zero, -m) + xp.log1p(xp.exp(-xp.abs(m)))) / m.shape[0]
    elif code == METRIC_MISCLASSIFIED:
        value = xp.sum(xp.where(m > 0.0, zero, one))  # boundary (and NaN) counts
    else:
        value = xp.sum(xp.where(m < 0.0, -m, zero)) / m.shape[0]
    return float(to_numpy(value))


def logistic_coef(xp, m):
    r""":math:`\sigma(-m_i) = 1 / (1 + e^{m_i})`, the weight of :math:`z_i` in :math:`-\nabla f`,
    from :math:`e^{-|m_i|}` so that it neither overflows nor loses the tail (as in the kernel)."""
    e = xp.exp(-xp.abs(m))
    return xp.where(m >= 0.0, e / (1.0 + e), 1.0 / (1.0 + e))


def perceptron_coef(xp, m, tie_weight):
    r""":math:`\mathbb 1\{m_i < 0\} + \tau\, \mathbb 1\{m_i = 0\}` (``tie_weight`` a 0-d array)."""
    zero, one = _constants(xp, 0.0, 1.0)
    return xp.where(m < 0.0, one, xp.where(m == 0.0, tie_weight, zero))


def step(Z, c, scale, v):
    r""":math:`v + \text{scale} \cdot \frac1n \sum_i c_i z_i` (``c @ Z`` is :math:`Z^\top c`)."""
    return v + scale * ((c @ Z) / Z.shape[0])


def logistic_gd_loop(Z, step_size, record_at, metric_code, out):
    xp = array_namespace(Z)
    v = xp.zeros(Z.shape[1], dtype=xp.float64)
    for k in range(record_at.size):
        for _ in range(record_at[k] - (record_at[k - 1] if k else 0)):
            v = step(Z, logistic_coef(xp, Z @ v), step_size, v)
        out[k] = metric(xp, Z @ v, metric_code)
    return to_numpy(v)


def perceptron_loop(Z, tie_weight, record_at, metric_code, out):
    xp = array_namespace(Z)
    tau, = _constants(xp, tie_weight)
    w = xp.zeros(Z.shape[1], dtype=xp.float64)
    for k in range(record_at.size):
        for _ in range(record_at[k] - (record_at[k - 1] if k else 0)):
            w = step(Z, perceptron_coef(xp, Z @ w, tau), 1.0, w)
        out[k] = metric(xp, Z @ w, metric_code)
    return to_numpy(w)


def deviation_loop(Z, step_size, tie_weight, record_at, out):
    xp = array_namespace(Z)
    tau, = _constants(xp, tie_weight)
    v = xp.zeros(Z.shape[1], dtype=xp.float64)
    w = xp.zeros(Z.shape[1], dtype=xp.float64)
    for k in range(record_at.size):
        for _ in range(record_at[k] - (record_at[k - 1] if k else 0)):
            v = step(Z, logistic_coef(xp, Z @ v), step_size, v)
            w = step(Z, perceptron_coef(xp, Z @ w, tau), 1.0, w)
        u = v / step_size
        # the three squared norms come home together: one transfer per checkpoint
        num, w_sq, u_sq = (float(s) for s in to_numpy(
            xp.stack([xp.vecdot(u - w, u - w), xp.vecdot(w, w), xp.vecdot(u, u)])))
        out[k] = np.sqrt(num) / max(np.sqrt(max(w_sq, u_sq)), 1e-300)
    return to_numpy(v), to_numpy(w)
