r"""NumPy twins of ``_kernels.py``: the same names, signatures and arithmetic, as readable
step loops vectorised over replicas (rows). The tests hold the Numba kernels to these with
``rtol=1e-10`` on the same gradients and starting points.
"""
from __future__ import annotations

import numpy as np

from ._kernels import (ADABELIEF, ADABELIEF_MAX, AMSGRAD, DIFFGRAD, LOSS_QUADRATIC,
                       METRIC_BOX_EXCESS, METRIC_DISTANCE_MAX, METRIC_OBJECTIVE, NORM_INF)


def _adaptive_chunk(optimizer, step_size, beta1, beta1_decay, beta2, eps, bias_correction,
                    lower, upper, grads, t0, record_at, k, x, m, v, den, g_prev, cum_loss,
                    grad_sum, decreases, den_min, out_loss, out_gsum, out_x):
    n = grads.shape[1]
    belief = optimizer in (ADABELIEF, ADABELIEF_MAX)
    with np.errstate(all="ignore"):
        for j in range(n + 1):
            done = t0 + j
            if k < record_at.size and done == record_at[k]:
                out_loss[:, k], out_gsum[:, k], out_x[:, k] = cum_loss, grad_sum, x
                k += 1
            if j == n:
                break
            t = done + 1
            g = grads[:, j]
            cum_loss += g * x
            grad_sum += g
            b1 = beta1 * beta1_decay ** (t - 1)
            m[...] = b1 * m + (1.0 - b1) * g
            if belief:
                surprise = g - m
                v[...] = beta2 * v + (1.0 - beta2) * surprise * surprise + eps
            else:
                v[...] = beta2 * v + (1.0 - beta2) * g * g
            new_den = np.maximum(den, v) if optimizer in (AMSGRAD, ADABELIEF_MAX) else v.copy()
            if t > 1:
                decreases += new_den < den
            den[...] = new_den
            den_min[...] = np.minimum(den_min, new_den)
            friction = (1.0 / (1.0 + np.exp(-np.abs(g_prev - g))) if optimizer == DIFFGRAD
                        else 1.0)
            g_prev[...] = g
            alpha = step_size / np.sqrt(t)
            if bias_correction:
                alpha *= np.sqrt(1.0 - beta2 ** t) / (1.0 - beta1 ** t)
            y = x - alpha * friction * m / (np.sqrt(den) + eps)
            x[...] = np.where(np.isfinite(y), np.minimum(upper, np.maximum(lower, y)), y)
    return k


def _lion_gradient(loss, H, center, features, labels, x):
    """Gradients of the rows of ``x`` (R, d)."""
    if loss == LOSS_QUADRATIC:
        return (x - center) @ H.T
    margin = labels * (x @ features.T)
    weight = -labels / (1.0 + np.exp(margin)) / features.shape[0]
    return weight @ features


def _lion_objective(loss, H, center, features, labels, x):
    if loss == LOSS_QUADRATIC:
        e = x - center
        return 0.5 * np.sum(e * (e @ H.T), axis=1)
    z = -labels * (x @ features.T)
    return np.mean(np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z))), axis=1)


def _lion(loss, H, center, features, labels, weight_decay, step_size, beta1, beta2, x0,
          reference, norm, metric, record_at, out, entry, x_final):
    radius = 1.0 / weight_decay
    x = x0.copy()
    mom = np.zeros_like(x)
    excess = np.zeros(x.shape[0])
    entry[:] = -1
    window = np.zeros(x.shape[0])
    k = 0
    for t in range(record_at[-1] + 1):
        largest = np.max(np.abs(x), axis=1)
        entry[(entry < 0) & (largest <= radius)] = t
        size = largest if norm == NORM_INF else np.sqrt(np.sum(x * x, axis=1))
        inside = entry >= 0
        excess = np.where(inside, np.maximum(excess, np.maximum(size - radius, 0.0) / radius),
                          excess)
        if metric == METRIC_OBJECTIVE:
            value = _lion_objective(loss, H, center, features, labels, x)
        elif metric == METRIC_BOX_EXCESS:
            value = excess.copy()
        else:
            value = np.max(np.abs(x - reference), axis=1)
        window = value if t == 0 else np.maximum(window, value)
        if t == record_at[k]:
            out[:, k] = window if metric == METRIC_DISTANCE_MAX else value
            window = np.zeros(x.shape[0])
            k += 1
        if t == record_at[-1]:
            break
        g = _lion_gradient(loss, H, center, features, labels, x)
        c = beta1 * mom + (1.0 - beta1) * g
        s = np.sign(c)
        x = x - step_size * (s + weight_decay * x)
        mom = beta2 * mom + (1.0 - beta2) * g
    x_final[...] = x
