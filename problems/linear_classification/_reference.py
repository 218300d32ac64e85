r"""Plain NumPy twins of the kernels in ``_kernels.py`` (readable, and the slow path).

Same inputs, same outputs: ``Z`` holds the signed points :math:`z_i = y_i b_i`, the
margins are :math:`m = Z v`, and the metric is written at the checkpoints ``record_at``.
"""
from __future__ import annotations

import numpy as np
from scipy.special import expit

from problems.linear_classification._kernels import METRIC_LOSS, METRIC_MISCLASSIFIED


def metric(m, code):
    r"""Logistic loss :math:`\frac1n \sum_i \log(1 + e^{-m_i})`, the count of
    :math:`m_i \le 0`, or the perceptron loss :math:`\frac1n \sum_i \max(0, -m_i)`."""
    if code == METRIC_LOSS:
        return float(np.mean(np.logaddexp(0.0, -m)))
    if code == METRIC_MISCLASSIFIED:
        return float(np.count_nonzero(~(m > 0.0)))
    return float(np.mean(np.maximum(-m, 0.0)))


def logistic_coef(m):
    r""":math:`\sigma(-m_i) = 1 / (1 + e^{m_i})`, the weight of :math:`z_i` in :math:`-\nabla f`."""
    return expit(-m)


def perceptron_coef(m, tie_weight):
    r""":math:`\mathbb 1\{m_i < 0\} + \tau\, \mathbb 1\{m_i = 0\}`."""
    return np.where(m < 0.0, 1.0, np.where(m == 0.0, tie_weight, 0.0))


def step(Z, c, scale, v):
    r""":math:`v + \text{scale} \cdot \frac1n \sum_i c_i z_i`."""
    return v + scale * ((Z.T @ c) / Z.shape[0])


@np.errstate(over="ignore", invalid="ignore")  # non-finite values are evidence
def logistic_gd_loop(Z, step_size, record_at, metric_code, out):
    v = np.zeros(Z.shape[1])
    for k in range(record_at.size):
        for _ in range(record_at[k] - (record_at[k - 1] if k else 0)):
            v = step(Z, logistic_coef(Z @ v), step_size, v)
        out[k] = metric(Z @ v, metric_code)
    return v


@np.errstate(over="ignore", invalid="ignore")  # non-finite values are evidence
def perceptron_loop(Z, tie_weight, record_at, metric_code, out):
    w = np.zeros(Z.shape[1])
    for k in range(record_at.size):
        for _ in range(record_at[k] - (record_at[k - 1] if k else 0)):
            w = step(Z, perceptron_coef(Z @ w, tie_weight), 1.0, w)
        out[k] = metric(Z @ w, metric_code)
    return w


@np.errstate(over="ignore", invalid="ignore")  # non-finite values are evidence
def deviation_loop(Z, step_size, tie_weight, record_at, out):
    v = np.zeros(Z.shape[1])
    w = np.zeros(Z.shape[1])
    for k in range(record_at.size):
        for _ in range(record_at[k] - (record_at[k - 1] if k else 0)):
            v = step(Z, logistic_coef(Z @ v), step_size, v)
            w = step(Z, perceptron_coef(Z @ w, tie_weight), 1.0, w)
        scale = max(np.linalg.norm(w), np.linalg.norm(v / step_size), 1e-300)
        out[k] = np.linalg.norm(v / step_size - w) / scale
    return v, w
