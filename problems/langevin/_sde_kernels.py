r"""Private Numba kernels for the Langevin dynamics modules (``hamiltonian``, ``diffusion``,
``federated``, ``proximal``).

Arrays and scalars in, preallocated arrays out: no objects, no exceptions, no printing, no
random numbers (normals, minibatch draws and shard schedules are drawn on the host in
bounded chunks and passed in), no ``fastmath``. Each kernel has an array-API twin of the
same name in ``_sde_reference.py`` (the namespace first, the state returned); the tests hold
them to ``rtol=1e-10``.

Conventions shared by the kernels (one call advances every chain through one *segment* of
``n_steps`` steps; the wrapper calls them chunk after chunk):

* states are numbered :math:`k = 0, 1, \dots`; the segment's row ``r`` of random numbers
  produces state :math:`k = ` ``first_step + r``; when ``first_step == 1`` the segment first
  visits the initial state :math:`k = 0`;
* a state with :math:`k \ge` ``burn_in`` is accumulated into a running sum; when
  :math:`k -` ``burn_in`` equals ``record_at[cursor]`` the running average (over the
  :math:`k - \text{burn\_in} + 1` states accumulated so far) is written to column ``cursor``
  of ``out`` and the cursor advances (``cursor`` is a one-element array carried across
  segments);
* a non-finite running average is written as ``+inf`` (the wrapper's ``first_nonfinite``).
"""
from __future__ import annotations

import numba
import numpy as np

# Elementary operations of a splitting schedule (``hamiltonian``): a kick
# p -= a * g(q) with a fresh minibatch, a drift q += a * p, a damping p = a * p + b * xi.
KICK, DRIFT, DAMP = 0, 1, 2
# Per-chain statistics recorded by ``_sghmc_segment``.
POSITION_RATIO, MOMENTUM_RATIO = 0, 1
# Potentials and diffusion coefficients of ``_alpha_segment``.
HARMONIC, DOUBLE_WELL = 0, 1
RATIONAL, SINE = 0, 1
# Per-chain statistics of ``_alpha_segment`` and ``_myula_segment``.
SECOND_MOMENT, FIRST_MOMENT, ABS_MOMENT = 0, 1, 2


@numba.njit(cache=True)
def _finite_or_inf(value):
    return value if np.isfinite(value) else np.inf


@numba.njit(cache=True)
def _sghmc_segment(q, p, perm, data, data_mean, posterior_mean, L, op_kind, op_a, op_b,
                   batch_draws, normals, full_gradient, n_steps, first_step, burn_in,
                   record_at, statistic, scale, cursor, acc, out):
    r"""Splitting integrators of underdamped Langevin with minibatch gradients.

    ``q, p`` (chains, d) are advanced in place; one step applies the operations
    ``op_kind[o]`` with coefficients ``op_a[o], op_b[o]`` in order:
    KICK :math:`p \leftarrow p - a\,g(q)`, DRIFT :math:`q \leftarrow q + a\,p`,
    DAMP :math:`p \leftarrow a\,p + b\,\xi`. The gradient is
    :math:`g(q) = L q - \bar x_B` with :math:`\bar x_B` the mean of the rows
    ``perm[c, :B]`` of ``data`` after a partial Fisher-Yates shuffle driven by
    ``batch_draws[r, kick, c, :]`` (draw ``b`` lies in ``[b, n)``: a uniform batch without
    replacement), or :math:`\bar x_B =` ``data_mean`` when ``full_gradient``. The
    :math:`\xi` of the ``o``-th DAMP of row ``r`` are ``normals[r, o, c, :]``.
    Statistic per state: :math:`\text{scale}\cdot\frac1d\sum_i (q_i - m_i)^2` or
    :math:`\text{scale}\cdot\frac1d\sum_i p_i^2`.
    """
    chains, d = q.shape
    B = batch_draws.shape[3]
    n_ops = op_kind.shape[0]
    n_rec = record_at.shape[0]
    j0 = cursor[0]
    j = j0
    for c in range(chains):
        j = j0
        start = -1 if first_step == 1 else 0
        for r in range(start, n_steps):
            if r >= 0:
                kick = 0
                damp = 0
                for o in range(n_ops):
                    a = op_a[o]
                    if op_kind[o] == KICK:
                        if not full_gradient:
                            for b in range(B):
                                pick = batch_draws[r, kick, c, b]
                                held = perm[c, b]
                                perm[c, b] = perm[c, pick]
                                perm[c, pick] = held
                        for i in range(d):
                            if full_gradient:
                                xbar = data_mean[i]
                            else:
                                total = 0.0
                                for b in range(B):
                                    total += data[perm[c, b], i]
                                xbar = total / B
                            p[c, i] -= a * (L * q[c, i] - xbar)
                        kick += 1
                    elif op_kind[o] == DRIFT:
                        for i in range(d):
                            q[c, i] += a * p[c, i]
                    else:
                        for i in range(d):
                            p[c, i] = a * p[c, i] + op_b[o] * normals[r, damp, c, i]
                        damp += 1
            k = first_step + r
            if k < burn_in:
                continue
            stat = 0.0
            for i in range(d):
                if statistic == POSITION_RATIO:
                    stat += (q[c, i] - posterior_mean[i]) ** 2
                else:
                    stat += p[c, i] ** 2
            acc[c] += scale * stat / d
            if j < n_rec and k - burn_in == record_at[j]:
                out[c, j] = _finite_or_inf(acc[c] / (k - burn_in + 1))
                j += 1
    cursor[0] = j


@numba.njit(cache=True)
def _drift_diffusion(x, potential, diffusion, floor):
    r""":math:`U'(x)`, :math:`D(x)`, :math:`D'(x)` for the coded potential and diffusion."""
    if potential == HARMONIC:
        grad = x
    else:
        grad = x * x * x - x
    if diffusion == RATIONAL:
        D = floor + x * x / (1.0 + x * x)
        Dp = 2.0 * x / ((1.0 + x * x) * (1.0 + x * x))
    else:
        D = 1.0 + 0.5 * np.sin(x)
        Dp = 0.5 * np.cos(x)
    return grad, D, Dp


@numba.njit(cache=True)
def _alpha_segment(x, normals, n_steps, first_step, burn_in, record_at, step_size, alpha,
                   correction, potential, diffusion, floor, statistic, scale, cursor, acc,
                   out):
    r"""The :math:`\alpha`-point scheme for :math:`dx = a\,dt + \sqrt{2D}\circ_\alpha dW`,
    :math:`a = -DU' + \text{correction}\,(1-\alpha)D'`, with
    :math:`\Delta W = \sqrt h\,\xi`, :math:`\xi` = ``normals[r, c]``:

    .. math:: \hat x = x + a(x)h + \sqrt{2D(x)}\,\Delta W, \quad
              x' = x + a(x)h + \sqrt{2D(x + \alpha(\hat x - x))}\,\Delta W.

    ``x`` (chains,) is advanced in place. Statistic per state: ``scale`` times
    :math:`x^2` or :math:`x`.
    """
    chains = x.shape[0]
    n_rec = record_at.shape[0]
    root_h = np.sqrt(step_size)
    j0 = cursor[0]
    j = j0
    for c in range(chains):
        j = j0
        xc = x[c]
        start = -1 if first_step == 1 else 0
        for r in range(start, n_steps):
            if r >= 0:
                grad, D, Dp = _drift_diffusion(xc, potential, diffusion, floor)
                drift = -D * grad + correction * (1.0 - alpha) * Dp
                dW = root_h * normals[r, c]
                pred = xc + drift * step_size + np.sqrt(2.0 * D) * dW
                _, Da, _ = _drift_diffusion(xc + alpha * (pred - xc), potential, diffusion,
                                            floor)
                xc = xc + drift * step_size + np.sqrt(2.0 * Da) * dW
            k = first_step + r
            if k < burn_in:
                continue
            if statistic == SECOND_MOMENT:
                acc[c] += scale * xc * xc
            else:
                acc[c] += scale * xc
            if j < n_rec and k - burn_in == record_at[j]:
                out[c, j] = _finite_or_inf(acc[c] / (k - burn_in + 1))
                j += 1
        x[c] = xc
    cursor[0] = j


@numba.njit(cache=True)
def _myula_segment(x, normals, n_steps, first_step, burn_in, record_at, step_size,
                   smoothing, l1_weight, statistic, cursor, acc, out):
    r"""MYULA for :math:`\pi \propto e^{-\|x\|^2/2 - w\|x\|_1}`:
    :math:`x' = x - h\big(x + \operatorname{clip}(x/\lambda, -w, w)\big) + \sqrt{2h}\,\xi`
    (the clip is :math:`(x - \operatorname{prox}_{\lambda w|\cdot|}(x))/\lambda`), coordinate
    by coordinate; ``x`` (chains, d), :math:`\xi` = ``normals[r, c, :]``. Statistic per
    state: :math:`\frac1d\sum_i x_i^2` or :math:`\frac1d\sum_i |x_i|`."""
    chains, d = x.shape
    n_rec = record_at.shape[0]
    noise = np.sqrt(2.0 * step_size)
    j0 = cursor[0]
    j = j0
    for c in range(chains):
        j = j0
        start = -1 if first_step == 1 else 0
        for r in range(start, n_steps):
            if r >= 0:
                for i in range(d):
                    xi = x[c, i]
                    env = min(max(xi / smoothing, -l1_weight), l1_weight)
                    x[c, i] = xi - step_size * (xi + env) + noise * normals[r, c, i]
            k = first_step + r
            if k < burn_in:
                continue
            stat = 0.0
            for i in range(d):
                if statistic == SECOND_MOMENT:
                    stat += x[c, i] * x[c, i]
                else:
                    stat += abs(x[c, i])
            acc[c] += stat / d
            if j < n_rec and k - burn_in == record_at[j]:
                out[c, j] = _finite_or_inf(acc[c] / (k - burn_in + 1))
                j += 1
    cursor[0] = j


@numba.njit(cache=True)
def _federated_segment(theta, shards, normals, precisions, linear, centre, step_size,
                       n_steps, first_step, burn_in, record_at, cursor, acc_sum, acc_outer,
                       sums, outers):
    r"""Langevin steps with shard-dependent linear drift:
    :math:`\theta' = \theta + h(b_s - P_s\theta) + \sqrt{2h}\,\xi`, ``s = shards[r, c]``,
    :math:`P_s` = ``precisions[s]``, :math:`b_s` = ``linear[s]``, :math:`\xi` =
    ``normals[r, c, :]``. Per chain, :math:`e = \theta - ` ``centre`` is accumulated
    (``acc_sum[c]`` :math:`\mathrel{+}= e`, ``acc_outer[c]`` :math:`\mathrel{+}= ee^\top`);
    at a checkpoint the chain's sums are added into ``sums[j]`` and ``outers[j]`` (pooled
    over chains; the wrapper divides by the number of states)."""
    chains, d = theta.shape
    n_rec = record_at.shape[0]
    noise = np.sqrt(2.0 * step_size)
    drift = np.empty(d)
    j0 = cursor[0]
    j = j0
    for c in range(chains):
        j = j0
        start = -1 if first_step == 1 else 0
        for r in range(start, n_steps):
            if r >= 0:
                s = shards[r, c]
                for i in range(d):
                    total = linear[s, i]
                    for m in range(d):
                        total -= precisions[s, i, m] * theta[c, m]
                    drift[i] = total
                for i in range(d):
                    theta[c, i] += step_size * drift[i] + noise * normals[r, c, i]
            k = first_step + r
            if k < burn_in:
                continue
            for i in range(d):
                acc_sum[c, i] += theta[c, i] - centre[i]
                for m in range(d):
                    acc_outer[c, i, m] += (theta[c, i] - centre[i]) * (theta[c, m] - centre[m])
            if j < n_rec and k - burn_in == record_at[j]:
                for i in range(d):
                    sums[j, i] += acc_sum[c, i]
                    for m in range(d):
                        outers[j, i, m] += acc_outer[c, i, m]
                j += 1
    cursor[0] = j
