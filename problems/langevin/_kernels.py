r"""Private Numba kernels for ``problems.langevin.samplers``.

Each kernel advances many independent chains (state ``x`` of shape ``(chains, d)``, updated in
place) through one chunk of host-drawn randomness and returns the index of the next checkpoint.
Arrays and scalars in, preallocated arrays out: no objects, no exceptions, no printing, no
random numbers, no ``fastmath``. Each kernel has a NumPy twin of the same name and signature in
``_reference.py``; the tests hold them to ``rtol=1e-10`` on the same random numbers.

Shared conventions:

* ``target`` is ``GAUSSIAN`` (:math:`\nabla U(x) = \Lambda(x - m)` with a symmetric
  ``precision`` :math:`\Lambda`, computed as :math:`\Lambda^\top(x - m)`, used for ``"gaussian"``
  and ``"linear_regression"`` instances) or ``LOGCOSH``
  (:math:`\nabla U(x) = x + c\,D^\top\tanh(Dx)`, ``precision`` unused);
* ``noise[j]`` holds the standard normals of global step ``t0 + j`` (shape ``(m, chains, d)``);
* steps are counted globally from 0, the first ``burn_in`` are not recorded; after global
  step :math:`s` (all chains moved) the state is :math:`x_{s+1}` and, once
  :math:`n = s + 1 - \text{burn\_in} \ge 1`, the observable :math:`f(x_{s+1})` is added to
  ``acc[c]``; at :math:`n` = ``record_at[k]`` the running time average ``acc[c] / n`` goes to
  ``out[c, k]`` (``_record``);
* the observable ``observable`` is ``PROJECTED_SQUARE`` :math:`s\,(v^\top(x - m))^2`,
  ``PROJECTED`` :math:`s\,v^\top(x - m)` or ``SQUARED_NORM`` :math:`s\,\|x - m\|^2`, with
  :math:`v` = ``direction`` and :math:`s` = ``scale``;
* divergence is not caught: it shows as inf/NaN in ``out``, which the wrapper reports.
"""
from __future__ import annotations

import math

import numba
import numpy as np

GAUSSIAN, LOGCOSH = 0, 1
PROJECTED_SQUARE, PROJECTED, SQUARED_NORM = 0, 1, 2


@numba.njit(cache=True, inline="always")  # inlined: a call per chain and step costs 2x here
def _gradient(target, x, precision, mean, coupling, out):
    d = x.shape[0]
    if target == LOGCOSH:
        for i in range(d):
            out[i] = x[i]
        for i in range(d - 1):
            t = coupling * np.tanh(x[i] - x[i + 1])
            out[i + 1] -= t
            out[i] += t
        return
    for i in range(d):
        out[i] = 0.0
    for j in range(d):  # column sweeps: independent accumulators, which LLVM vectorises
        e = x[j] - mean[j]
        for i in range(d):
            out[i] += precision[j, i] * e


@numba.njit(cache=True)
def _potential(target, x, gradient, mean, coupling):
    r""":math:`U(x)` up to a constant: :math:`\frac12(x - m)^\top\nabla U(x)` for a Gaussian,
    :math:`\frac12\|x\|^2 + c\sum_i\log\cosh(x_i - x_{i+1})` otherwise
    (:math:`\log\cosh z = |z| + \operatorname{log1p}(e^{-2|z|}) - \log 2`, no overflow)."""
    d = x.shape[0]
    acc = 0.0
    if target == LOGCOSH:
        for i in range(d):
            acc += x[i] * x[i]
        acc *= 0.5
        for i in range(d - 1):
            z = abs(x[i] - x[i + 1])
            acc += coupling * (z + math.log1p(math.exp(-2.0 * z)) - math.log(2.0))
        return acc
    for i in range(d):
        acc += (x[i] - mean[i]) * gradient[i]
    return 0.5 * acc


@numba.njit(cache=True, inline="always")
def _observe(observable, x, mean, direction, scale):
    d = x.shape[0]
    acc = 0.0
    if observable == SQUARED_NORM:
        for i in range(d):
            acc += (x[i] - mean[i]) * (x[i] - mean[i])
        return scale * acc
    for i in range(d):
        acc += direction[i] * (x[i] - mean[i])
    if observable == PROJECTED:
        return scale * acc
    return scale * acc * acc


@numba.njit(cache=True)
def _record(step, burn_in, record_at, k, acc, out, x, observable, mean, direction, scale):
    """Add the observable of every chain to ``acc`` (a sweep of its own after the step: short
    independent reductions the CPU overlaps) and write the running averages at a checkpoint."""
    if step < burn_in:
        return k
    for c in range(acc.shape[0]):
        acc[c] += _observe(observable, x[c], mean, direction, scale)
    n = step + 1 - burn_in
    if k < record_at.shape[0] and n == record_at[k]:
        for c in range(acc.shape[0]):
            out[c, k] = acc[c] / n
        return k + 1
    return k


@numba.njit(cache=True)
def _ula_chunk(target, precision, mean, coupling, x, noise, step_size, t0, burn_in, observable,
               direction, scale, record_at, k, acc, out):
    r"""ULA :math:`x \leftarrow x - h\nabla U(x) + \sqrt{2h}\,\xi` for the ``m`` steps of the chunk."""
    m, chains, d = noise.shape
    root = math.sqrt(2.0 * step_size)
    g = np.empty(d)
    for j in range(m):
        step = t0 + j
        for c in range(chains):
            _gradient(target, x[c], precision, mean, coupling, g)
            for i in range(d):
                x[c, i] = x[c, i] - step_size * g[i] + root * noise[j, c, i]
        k = _record(step, burn_in, record_at, k, acc, out, x, observable, mean, direction, scale)
    return k


@numba.njit(cache=True)
def _mala_chunk(target, precision, mean, coupling, x, noise, uniforms, step_size, t0, burn_in,
                observable, direction, scale, record_at, k, acc, accepted, out):
    r"""MALA: proposal :math:`y = x - h\nabla U(x) + \sqrt{2h}\,\xi`, accepted iff
    :math:`\log\alpha \ge 0` or :math:`u < e^{\log\alpha}`, with
    :math:`\log\alpha = U(x) - U(y) - \|x - y + h\nabla U(y)\|^2/(4h) + \|\xi\|^2/2`
    (the forward proposal term :math:`\|y - x + h\nabla U(x)\|^2/(4h) = \|\xi\|^2/2`).
    ``accepted[c]`` counts the accepted moves after the burn-in; :math:`\nabla U(x)` and
    :math:`U(x)` are recomputed from ``x`` at the start of each chunk."""
    m, chains, d = noise.shape
    root = math.sqrt(2.0 * step_size)
    g_x = np.empty((chains, d))
    u_x = np.empty(chains)
    for c in range(chains):
        _gradient(target, x[c], precision, mean, coupling, g_x[c])
        u_x[c] = _potential(target, x[c], g_x[c], mean, coupling)
    y = np.empty(d)
    g_y = np.empty(d)
    for j in range(m):
        step = t0 + j
        for c in range(chains):
            xi2 = 0.0
            for i in range(d):
                y[i] = x[c, i] - step_size * g_x[c, i] + root * noise[j, c, i]
                xi2 += noise[j, c, i] * noise[j, c, i]
            _gradient(target, y, precision, mean, coupling, g_y)
            u_y = _potential(target, y, g_y, mean, coupling)
            back = 0.0
            for i in range(d):
                r = x[c, i] - y[i] + step_size * g_y[i]
                back += r * r
            log_alpha = u_x[c] - u_y - back / (4.0 * step_size) + 0.5 * xi2
            if log_alpha >= 0.0 or uniforms[j, c] < math.exp(log_alpha):
                for i in range(d):
                    x[c, i] = y[i]
                    g_x[c, i] = g_y[i]
                u_x[c] = u_y
                if step >= burn_in:
                    accepted[c] += 1
        k = _record(step, burn_in, record_at, k, acc, out, x, observable, mean, direction, scale)
    return k


@numba.njit(cache=True)
def _sgld_chunk(design, response, noise_variance, prior_precision, x, noise, batch_uniforms,
                permutation, batch_size, step_size, t0, burn_in, observable, mean, direction,
                scale, record_at, k, acc, out):
    r"""SGLD on :math:`U(w) = \sum_i (y_i - x_i^\top w)^2/(2\sigma^2) + \frac\alpha2\|w\|^2`:
    :math:`w \leftarrow w - h\big(\alpha w + \frac{n}{B\sigma^2}\sum_{i\in\mathcal B}x_i(x_i^\top w - y_i)\big) + \sqrt{2h}\,\xi`.

    :math:`\mathcal B` is a uniform :math:`B`-subset (without replacement), the first :math:`B`
    entries of ``permutation[c]`` after a partial Fisher-Yates shuffle driven by
    ``batch_uniforms[j, c]``: position :math:`b` swaps with :math:`b + \lfloor u_b(n - b)\rfloor`
    (capped at :math:`n - 1`). For :math:`B = n` the batch is the whole data set in its stored
    order and ``batch_uniforms`` (then of width 0) is not read."""
    m, chains, d = noise.shape
    n = design.shape[0]
    root = math.sqrt(2.0 * step_size)
    factor = n / (batch_size * noise_variance)
    full = batch_size == n
    s = np.empty(d)
    for j in range(m):
        step = t0 + j
        for c in range(chains):
            if not full:
                for b in range(batch_size):
                    r = b + int(batch_uniforms[j, c, b] * (n - b))
                    if r > n - 1:
                        r = n - 1
                    tmp = permutation[c, b]
                    permutation[c, b] = permutation[c, r]
                    permutation[c, r] = tmp
            for i in range(d):
                s[i] = 0.0
            for b in range(batch_size):
                row = b if full else permutation[c, b]
                res = 0.0
                for i in range(d):
                    res += design[row, i] * x[c, i]
                res -= response[row]
                for i in range(d):
                    s[i] += design[row, i] * res
            for i in range(d):
                g = prior_precision * x[c, i] + factor * s[i]
                x[c, i] = x[c, i] - step_size * g + root * noise[j, c, i]
        k = _record(step, burn_in, record_at, k, acc, out, x, observable, mean, direction, scale)
    return k


@numba.njit(cache=True)
def _coupling_chunk(target, precision, mean, coupling, x, y, noise, step_size, t0, direction,
                    record_at, k, squared_distance, projection_x, projection_y):
    r"""Synchronous coupling of ULA with step :math:`h` (``x``) and ULA with step :math:`h/R`
    (``y``), :math:`R` = ``noise.shape[1]``: coarse step :math:`j` uses
    :math:`\sqrt{2h/R}\sum_{r}\xi_{j,r}` (:math:`= \sqrt{2h}` times a standard normal), the
    :math:`R` fine steps use :math:`\sqrt{2h/R}\,\xi_{j,r}`: one Brownian path. ``noise`` is
    ``(m, R, chains, d)``; at coarse step count ``record_at[k]`` (0 included) the kernel writes
    the chain mean of :math:`\|x - y\|^2` and the projections :math:`u^\top x`, :math:`u^\top y`
    (:math:`u` = ``direction``) of every chain."""
    m, R, chains, d = noise.shape
    fine = step_size / R
    root = math.sqrt(2.0 * fine)
    g = np.empty(d)
    xi = np.empty(d)
    for j in range(m + 1):
        if k < record_at.shape[0] and t0 + j == record_at[k]:
            total = 0.0
            for c in range(chains):
                px = 0.0
                py = 0.0
                for i in range(d):
                    total += (x[c, i] - y[c, i]) * (x[c, i] - y[c, i])
                    px += direction[i] * x[c, i]
                    py += direction[i] * y[c, i]
                projection_x[k, c] = px
                projection_y[k, c] = py
            squared_distance[k] = total / chains
            k += 1
        if j == m:
            break
        for c in range(chains):
            _gradient(target, x[c], precision, mean, coupling, g)
            for i in range(d):
                xi[i] = 0.0
            for r in range(R):
                for i in range(d):
                    xi[i] += noise[j, r, c, i]
            for i in range(d):
                x[c, i] = x[c, i] - step_size * g[i] + root * xi[i]
            for r in range(R):
                _gradient(target, y[c], precision, mean, coupling, g)
                for i in range(d):
                    y[c, i] = y[c, i] - fine * g[i] + root * noise[j, r, c, i]
    return k
