r"""Array-API twins of ``_kernels.py``: the same names, signatures and arithmetic, as readable
step loops vectorised over replicas (rows).

They are written against the array API standard (2023.12), so the same code runs on NumPy,
CuPy and ``array_api_strict``: the namespace is read from the arrays passed in
(``array_namespace``), which the public methods have already moved to the back end's device.
``record_at``, the ``out*`` arrays, ``entry`` and ``x_final`` stay host NumPy arrays: the loop
control never reads the device, and a checkpoint's values come home once (``to_numpy``), so a
GPU is not synchronised at every step. The tests hold the Numba kernels to these twins with
``rtol=1e-10`` on the same gradients and starting points. Overflow and NaN are allowed (the
public methods silence NumPy's warnings around the call): divergence is evidence.

``_adaptive_chunk`` updates its state arrays (``x``, ``m``, ``v``, ``den``, ...) in place once,
at the end of the chunk, to keep the kernel's contract (the host feeds the next chunk of
gradients to the same state); within the chunk it carries new arrays.
"""
from __future__ import annotations

import math

from array_api_compat import array_namespace

from problems.backend import to_numpy

from ._kernels import (ADABELIEF, ADABELIEF_MAX, AMSGRAD, DIFFGRAD, LOSS_QUADRATIC,
                       METRIC_BOX_EXCESS, METRIC_DISTANCE_MAX, METRIC_OBJECTIVE, NORM_INF)


def _adaptive_chunk(optimizer, step_size, beta1, beta1_decay, beta2, eps, bias_correction,
                    lower, upper, grads, t0, record_at, k, x, m, v, den, g_prev, cum_loss,
                    grad_sum, decreases, den_min, out_loss, out_gsum, out_x):
    xp = array_namespace(x, grads)
    n = grads.shape[1]
    belief = optimizer in (ADABELIEF, ADABELIEF_MAX)
    keep_max = optimizer in (AMSGRAD, ADABELIEF_MAX)
    x_, m_, v_, den_, g_prev_ = x, m, v, den, g_prev
    loss, gsum, drops, lowest = cum_loss, grad_sum, decreases, den_min
    for j in range(n + 1):
        done = t0 + j
        if k < record_at.size and done == record_at[k]:
            out_loss[:, k], out_gsum[:, k], out_x[:, k] = to_numpy(loss), to_numpy(gsum), to_numpy(x_)
            k += 1
        if j == n:
            break
        t = done + 1
        g = grads[:, j]  # (R,): round t of every replica
        loss = loss + g * x_
        gsum = gsum + g
        b1 = beta1 * beta1_decay ** (t - 1)  # Python floats: the schedule is host arithmetic
        m_ = b1 * m_ + (1.0 - b1) * g
        if belief:
            surprise = g - m_
            v_ = beta2 * v_ + (1.0 - beta2) * surprise * surprise + eps
        else:
            v_ = beta2 * v_ + (1.0 - beta2) * g * g
        new_den = xp.maximum(den_, v_) if keep_max else v_
        if t > 1:
            drops = drops + xp.astype(new_den < den_, xp.int64)
        den_ = new_den
        lowest = xp.minimum(lowest, new_den)
        friction = 1.0 / (1.0 + xp.exp(-xp.abs(g_prev_ - g))) if optimizer == DIFFGRAD else 1.0
        g_prev_ = g
        alpha = step_size / math.sqrt(t)
        if bias_correction:
            alpha *= math.sqrt(1.0 - beta2 ** t) / (1.0 - beta1 ** t)
        y = x_ - alpha * friction * m_ / (xp.sqrt(den_) + eps)
        # a non-finite step is not clipped, so a NaN reaches the outputs (as in the kernel)
        x_ = xp.where(xp.isfinite(y), xp.clip(y, min=lower, max=upper), y)
    for state, new in ((x, x_), (m, m_), (v, v_), (den, den_), (g_prev, g_prev_),
                       (cum_loss, loss), (grad_sum, gsum), (decreases, drops), (den_min, lowest)):
        state[...] = new
    return k


def _lion_gradient(loss, H, center, features, labels, x):
    """Gradients of the rows of ``x`` (R, d): ``(x - c) H^T``, or the logistic loss's
    ``-(1/n) sum_i y_i a_i sigmoid(-y_i a_i^T x)`` as one ``(R, n) @ (n, d)`` product."""
    xp = array_namespace(x, H)
    if loss == LOSS_QUADRATIC:
        return (x - center) @ H.mT
    margin = labels * (x @ features.mT)  # (R, n)
    weight = -labels / (1.0 + xp.exp(margin)) / features.shape[0]
    return weight @ features


def _lion_objective(loss, H, center, features, labels, x):
    xp = array_namespace(x, H)
    if loss == LOSS_QUADRATIC:
        e = x - center
        return 0.5 * xp.sum(e * (e @ H.mT), axis=1)
    z = -labels * (x @ features.mT)
    zero = xp.zeros((), dtype=xp.float64)
    return xp.mean(xp.maximum(z, zero) + xp.log1p(xp.exp(-xp.abs(z))), axis=1)


def _lion(loss, H, center, features, labels, weight_decay, step_size, beta1, beta2, x0,
          reference, norm, metric, record_at, out, entry, x_final):
    xp = array_namespace(x0, H)
    R = x0.shape[0]
    radius = 1.0 / weight_decay
    # 0-d arrays made once: a Python scalar in where/maximum is not in the 2023.12 standard,
    # and a fresh asarray per step would be a host-to-device copy on a GPU
    zero = xp.zeros((), dtype=xp.float64)
    clock = xp.zeros((), dtype=xp.int64)  # the step t, counted on the device
    x = x0
    mom = xp.zeros_like(x0)
    excess = xp.zeros((R,), dtype=xp.float64)
    first = xp.full((R,), -1, dtype=xp.int64)
    window = xp.zeros((R,), dtype=xp.float64)
    k = 0
    for t in range(record_at[-1] + 1):
        recording = t == record_at[k]
        largest = xp.max(xp.abs(x), axis=1)
        first = xp.where((first < 0) & (largest <= radius), clock, first)
        size = largest if norm == NORM_INF else xp.sqrt(xp.sum(x * x, axis=1))
        excess = xp.where(first >= 0, xp.maximum(excess, xp.maximum(size - radius, zero) / radius),
                          excess)
        # the metric is needed at every step only for the window's maximum
        if recording or metric == METRIC_DISTANCE_MAX:
            if metric == METRIC_OBJECTIVE:
                value = _lion_objective(loss, H, center, features, labels, x)
            elif metric == METRIC_BOX_EXCESS:
                value = excess
            else:
                value = xp.max(xp.abs(x - reference), axis=1)
            window = value if t == 0 else xp.maximum(window, value)
        if recording:
            out[:, k] = to_numpy(window if metric == METRIC_DISTANCE_MAX else value)
            window = xp.zeros((R,), dtype=xp.float64)
            k += 1
        if t == record_at[-1]:
            break
        g = _lion_gradient(loss, H, center, features, labels, x)
        c = beta1 * mom + (1.0 - beta1) * g
        x = x - step_size * (xp.sign(c) + weight_decay * x)
        mom = beta2 * mom + (1.0 - beta2) * g
        clock = clock + 1
    entry[:] = to_numpy(first)
    x_final[...] = to_numpy(x)
