r"""Private Numba kernels for ``problems.adaptive_methods`` (the Adam family on Reddi's
sequences, and Lion with decoupled weight decay).

Arrays and scalars in, preallocated arrays out: no objects, no exceptions, no printing, no
random numbers (the gradients of a stochastic sequence and the starting points are drawn on
the host and passed in), no ``fastmath``. Each kernel has a NumPy twin of the same name and
signature in ``_reference.py``; the tests hold them to ``rtol=1e-10``.

Adam family (:func:`_adaptive_chunk`), one chunk of rounds, every replica. Row ``j`` of
``grads`` (``(R, m)``) is the gradient :math:`g_t` of the linear loss :math:`f_t(x) = g_tx`
of round :math:`t = t_0 + j + 1` on the interval :math:`[\ell, u]`. Before round
:math:`t_0 + j + 1` is played, if :math:`t_0 + j` (rounds completed) equals
``record_at[k]``, the cumulative loss, the gradient sum and the point to be played next are
written to column ``k`` and ``k`` advances; the kernel returns the next ``k``. Round
:math:`t` (:math:`\alpha_t = \alpha/\sqrt t`, :math:`\beta_{1,t} = \beta_1\lambda^{t-1}`):

.. math::

    m_t &= \beta_{1,t} m_{t-1} + (1 - \beta_{1,t}) g_t, \\
    v_t &= \beta_2 v_{t-1} + (1 - \beta_2) g_t^2 \quad\text{(Adam, AMSGrad, diffGrad)}, \\
    v_t &= \beta_2 v_{t-1} + (1 - \beta_2)(g_t - m_t)^2 + \epsilon \quad\text{(AdaBelief: } s_t), \\
    \hat v_t &= \max(\hat v_{t-1}, v_t) \text{ (AMSGrad, AdaBelief with the max), else } v_t, \\
    x_{t+1} &= \Pi_{[\ell, u]}\Big(x_t - \alpha_t c_t\,\xi_t\,\frac{m_t}{\sqrt{\hat v_t} + \epsilon}\Big),

with :math:`\xi_t = 1/(1 + e^{-|g_{t-1} - g_t|})` for diffGrad (:math:`g_0 = 0`), else 1, and
:math:`c_t = \sqrt{1 - \beta_2^t}/(1 - \beta_1^t)` with bias correction, else 1. In one
dimension the projection in the :math:`\sqrt{\hat v_t}`-weighted norm is plain clipping.
``decreases[r]`` counts the rounds :math:`t \ge 2` with :math:`\hat v_t < \hat v_{t-1}` (the
preconditioner shrank: what AMSGrad's max forbids and AdaBelief's convex theorem assumes
away) and ``den_min[r]`` is :math:`\min_t \hat v_t`. A non-finite step is not clipped, so a
NaN propagates to the outputs.

Lion (:func:`_lion`): see its docstring.
"""
from __future__ import annotations

import math

import numba
import numpy as np

ADAM, AMSGRAD, DIFFGRAD, ADABELIEF, ADABELIEF_MAX = 0, 1, 2, 3, 4
LOSS_QUADRATIC, LOSS_LOGISTIC = 0, 1
NORM_INF, NORM_2 = 0, 1
METRIC_BOX_EXCESS, METRIC_DISTANCE, METRIC_DISTANCE_MAX, METRIC_OBJECTIVE = 0, 1, 2, 3


@numba.njit(cache=True)
def _adaptive_chunk(optimizer, step_size, beta1, beta1_decay, beta2, eps, bias_correction,
                    lower, upper, grads, t0, record_at, k, x, m, v, den, g_prev, cum_loss,
                    grad_sum, decreases, den_min, out_loss, out_gsum, out_x):
    r"""The Adam family on linear losses, one chunk of rounds (module docstring)."""
    replicas, n = grads.shape
    k_next = k
    for r in range(replicas):
        kk = k
        for j in range(n + 1):
            done = t0 + j
            if kk < record_at.shape[0] and done == record_at[kk]:
                out_loss[r, kk] = cum_loss[r]
                out_gsum[r, kk] = grad_sum[r]
                out_x[r, kk] = x[r]
                kk += 1
            if j == n:
                break
            t = done + 1
            g = grads[r, j]
            cum_loss[r] += g * x[r]
            grad_sum[r] += g
            b1 = beta1 * beta1_decay ** (t - 1)
            m[r] = b1 * m[r] + (1.0 - b1) * g
            if optimizer == ADABELIEF or optimizer == ADABELIEF_MAX:
                surprise = g - m[r]
                v[r] = beta2 * v[r] + (1.0 - beta2) * surprise * surprise + eps
            else:
                v[r] = beta2 * v[r] + (1.0 - beta2) * g * g
            new_den = v[r]
            if optimizer == AMSGRAD or optimizer == ADABELIEF_MAX:
                new_den = max(den[r], v[r])
            if t > 1 and new_den < den[r]:
                decreases[r] += 1
            den[r] = new_den
            den_min[r] = min(den_min[r], new_den)
            friction = 1.0
            if optimizer == DIFFGRAD:
                friction = 1.0 / (1.0 + math.exp(-abs(g_prev[r] - g)))
            g_prev[r] = g
            alpha = step_size / math.sqrt(t)
            if bias_correction:
                alpha *= math.sqrt(1.0 - beta2 ** t) / (1.0 - beta1 ** t)
            y = x[r] - alpha * friction * m[r] / (math.sqrt(den[r]) + eps)
            if np.isfinite(y):
                y = min(upper, max(lower, y))
            x[r] = y
        k_next = kk
    return k_next


@numba.njit(cache=True)
def _lion_gradient(loss, H, center, features, labels, x, out):
    r""":math:`\nabla f(x)`: :math:`H(x - x_c)`, or
    :math:`-\frac1n\sum_i y_i a_i\,\sigma(-y_i a_i^\top x)` for the logistic loss."""
    d = x.shape[0]
    if loss == LOSS_QUADRATIC:
        for i in range(d):
            acc = 0.0
            for j in range(d):
                acc += H[i, j] * (x[j] - center[j])
            out[i] = acc
        return
    n = features.shape[0]
    for i in range(d):
        out[i] = 0.0
    for s in range(n):
        margin = 0.0
        for i in range(d):
            margin += features[s, i] * x[i]
        margin *= labels[s]
        weight = -labels[s] / (1.0 + math.exp(margin)) / n
        for i in range(d):
            out[i] += weight * features[s, i]


@numba.njit(cache=True)
def _lion_objective(loss, H, center, features, labels, x):
    r""":math:`f(x)`: :math:`\frac12(x - x_c)^\top H(x - x_c)`, or the mean of
    :math:`\log(1 + e^{-y_i a_i^\top x})` (computed stably)."""
    d = x.shape[0]
    if loss == LOSS_QUADRATIC:
        acc = 0.0
        for i in range(d):
            row = 0.0
            for j in range(d):
                row += H[i, j] * (x[j] - center[j])
            acc += (x[i] - center[i]) * row
        return 0.5 * acc
    n = features.shape[0]
    acc = 0.0
    for s in range(n):
        margin = 0.0
        for i in range(d):
            margin += features[s, i] * x[i]
        z = -labels[s] * margin
        acc += max(z, 0.0) + math.log1p(math.exp(-abs(z)))
    return acc / n


@numba.njit(cache=True)
def _distance_inf(x, reference):
    r""":math:`\|x - x_{\mathrm{ref}}\|_\infty`."""
    dist = 0.0
    for i in range(x.shape[0]):
        dist = max(dist, abs(x[i] - reference[i]))
    return dist


@numba.njit(cache=True)
def _lion(loss, H, center, features, labels, weight_decay, step_size, beta1, beta2, x0,
          reference, norm, metric, record_at, out, entry, x_final):
    r"""Lion with decoupled weight decay [Chen, Liu, Liang & Liu 2023], every replica:

    .. math::

        c_t = \beta_1 m_{t-1} + (1-\beta_1) g_t, \quad
        x_{t+1} = x_t - \epsilon\big(\operatorname{sign}(c_t) + \lambda x_t\big), \quad
        m_t = \beta_2 m_{t-1} + (1-\beta_2) g_t,

    :math:`g_t = \nabla f(x_t)`, :math:`m_0 = 0`, ``sign(0) = 0``; the update is evaluated as
    ``x - eps * (s + lam * x)`` (the order the round-off bound of ``lion`` assumes).
    ``x0`` is ``(R, d)``. Metrics, at each ``record_at[k]`` (steps done):
    ``METRIC_BOX_EXCESS``, the running maximum since entry of
    :math:`(\|x_s\|_p - R)_+/R` (:math:`R = 1/\lambda`, :math:`p` = ``norm``; 0 before
    entry, entry being the first :math:`s` with :math:`\|x_s\|_\infty \le R`, written to
    ``entry[r]``, -1 if never); ``METRIC_DISTANCE``
    :math:`\|x_t - x_{\mathrm{ref}}\|_\infty`; ``METRIC_DISTANCE_MAX``, its maximum over the
    steps since the previous checkpoint (:math:`s \in (t_{k-1}, t_k]`; at :math:`k = 0` the
    value at :math:`t_0`); ``METRIC_OBJECTIVE`` :math:`f(x_t)`.
    """
    replicas, d = x0.shape
    n_iter = record_at[-1]
    radius = 1.0 / weight_decay
    g = np.empty(d)
    for r in range(replicas):
        x = x0[r].copy()
        mom = np.zeros(d)
        excess = 0.0
        window = 0.0
        entry[r] = -1
        k = 0
        for t in range(n_iter + 1):
            largest = 0.0
            square = 0.0
            for i in range(d):
                largest = max(largest, abs(x[i]))
                square += x[i] * x[i]
            if entry[r] < 0 and largest <= radius:
                entry[r] = t
            if entry[r] >= 0:
                size = largest if norm == NORM_INF else math.sqrt(square)
                excess = max(excess, max(size - radius, 0.0) / radius)
            if metric == METRIC_OBJECTIVE:
                value = _lion_objective(loss, H, center, features, labels, x)
            elif metric == METRIC_BOX_EXCESS:
                value = excess
            else:
                value = _distance_inf(x, reference)
            window = value if t == 0 else max(window, value)
            if t == record_at[k]:
                out[r, k] = window if metric == METRIC_DISTANCE_MAX else value
                window = 0.0
                k += 1
            if t == n_iter:
                break
            _lion_gradient(loss, H, center, features, labels, x, g)
            for i in range(d):
                c = beta1 * mom[i] + (1.0 - beta1) * g[i]
                s = 1.0 if c > 0.0 else (-1.0 if c < 0.0 else 0.0)
                x[i] = x[i] - step_size * (s + weight_decay * x[i])
                mom[i] = beta2 * mom[i] + (1.0 - beta2) * g[i]
        for i in range(d):
            x_final[r, i] = x[i]
