r"""Private Numba kernels for ``problems.linear_systems.methods``.

Arrays and scalars in, preallocated arrays out: no objects, no exceptions, no printing, no
random numbers (the bandits' uniforms are drawn on the host and passed in), no ``fastmath``.
Each kernel has a NumPy twin of the same name and signature in ``_reference.py``.

SOR works on the 5-point stencil directly: the iterate lives on a zero-padded
``(g + 2, g + 2)`` array (the padding is the Dirichlet boundary), the right-hand side on
``(g, g)``; the sweep is lexicographic (row by row, west to east), each point updated as

.. math::

    s = b_{ij} + x_{i-1,j} + x_{i,j-1} + x_{i,j+1} + x_{i+1,j}, \qquad
    x_{ij} \leftarrow (1 - \omega)\,x_{ij} + \omega\,s / (4 + c),

with the neighbours above and to the left already updated (the Gauss-Seidel part). The residual
:math:`r = b - A_c x` is evaluated after every sweep on the same stencil, summed in row-major
order. A solve returns the number of sweeps :math:`k` to the first
:math:`\|r_k\| \le \mathrm{tol}\,\|b\|` (:math:`k = 0` possible), or ``-1`` when ``max_iter``
sweeps do not reach it or the residual stops being finite.
"""
from __future__ import annotations

import numba
import numpy as np

EXP3, TSALLIS_INF = 0, 1
NEWTON_STEPS = 100  # cap; the Tsallis normaliser converges in about 10 (see methods.py)
NEWTON_TOL = 1e-13


@numba.njit(cache=True)
def _residual_norm(shift, b, x):
    g = b.shape[0]
    d = 4.0 + shift
    acc = 0.0
    for i in range(1, g + 1):
        for j in range(1, g + 1):
            r = b[i - 1, j - 1] + x[i - 1, j] + x[i, j - 1] + x[i, j + 1] + x[i + 1, j] - d * x[i, j]
            acc += r * r
    return np.sqrt(acc)


@numba.njit(cache=True)
def _sor_solve(shift, b, omega, tol, max_iter, x):
    r"""SOR sweeps on :math:`(A_c, b)` from the padded iterate ``x`` (updated in place); the
    sweep count to relative residual ``tol``, or -1 (module docstring)."""
    g = b.shape[0]
    d = 4.0 + shift
    acc = 0.0
    for i in range(g):
        for j in range(g):
            acc += b[i, j] * b[i, j]
    target = tol * np.sqrt(acc)
    for k in range(max_iter + 1):
        res = _residual_norm(shift, b, x)
        if not np.isfinite(res):
            return -1
        if res <= target:
            return k
        if k == max_iter:
            break
        for i in range(1, g + 1):
            for j in range(1, g + 1):
                s = b[i - 1, j - 1] + x[i - 1, j] + x[i, j - 1] + x[i, j + 1] + x[i + 1, j]
                x[i, j] = (1.0 - omega) * x[i, j] + omega * s / d
    return -1


@numba.njit(cache=True)
def _sor_counts(shifts, rhs, omegas, tol, max_iter, out):
    r"""``out[t, k]`` = SOR sweeps for :math:`(A_{c_t}, b_t)` with :math:`\omega_k` from
    :math:`x_0 = 0` (-1 if capped). A serial loop on purpose: Numba's parallel threading layer
    does not survive the fork of the verifier's worker processes once the parent has used it
    (the workers died with SIGTERM under pytest); the claims' workers are the parallelism."""
    T, K = out.shape
    g = rhs.shape[1]
    for p in range(T * K):
        t = p // K
        k = p - t * K
        x = np.zeros((g + 2, g + 2))
        out[t, k] = _sor_solve(shifts[t], rhs[t], omegas[k], tol, max_iter, x)


@numba.njit(cache=True)
def _exp3_probabilities(L_hat, eta, out):
    r"""Exp3: :math:`p_k \propto \exp(-\eta(\hat L_k - \min_j \hat L_j))` (the shift only guards
    against underflow)."""
    K = L_hat.shape[0]
    low = L_hat[0]
    for k in range(1, K):
        low = min(low, L_hat[k])
    total = 0.0
    for k in range(K):
        out[k] = np.exp(-eta * (L_hat[k] - low))
        total += out[k]
    for k in range(K):
        out[k] = out[k] / total


@numba.njit(cache=True)
def _tsallis_probabilities(L_hat, eta, out):
    r"""1/2-Tsallis-INF: :math:`w_k = 4/(\eta(\hat L_k - x))^2` with the normaliser
    :math:`x < \min_k \hat L_k` solving :math:`\sum_k w_k = 1` by Newton from
    :math:`x_0 = \min_k\hat L_k - 2/\eta` (methods.py); returns :math:`x`, ``out`` holds
    :math:`w / \sum w`."""
    K = L_hat.shape[0]
    low = L_hat[0]
    for k in range(1, K):
        low = min(low, L_hat[k])
    x = low - 2.0 / eta
    for it in range(NEWTON_STEPS):
        total = 0.0
        slope = 0.0
        for k in range(K):
            q = eta * (L_hat[k] - x)
            w = 4.0 / (q * q)
            out[k] = w
            total += w
            slope += w * np.sqrt(w)
        if total - 1.0 <= NEWTON_TOL:
            break
        x = x - (total - 1.0) / (eta * slope)
    for k in range(K):
        out[k] = out[k] / total
    return x


@numba.njit(cache=True)
def _bandit(costs, uniforms, t_start, algorithm, L_hat, alg_cost, pulls, record_at, out):
    r"""Rounds ``t_start + 1 .. t_start + uniforms.shape[1]`` of Exp3 / Tsallis-INF for every
    replica ``r``: probabilities from ``L_hat[r]`` (the importance-weighted cumulative cost
    estimates), the arm by inverse CDF at ``uniforms[r, s]``, cost ``costs[t, arm]`` added to
    ``alg_cost[r]`` and, divided by its probability, to ``L_hat[r, arm]``; ``out[r, j]`` =
    ``alg_cost[r]`` after round ``record_at[j]``. State arrays carry over between chunks."""
    R, chunk = uniforms.shape
    K = costs.shape[1]
    p = np.empty(K)
    log_k = np.log(K)
    for r in range(R):
        j = 0
        while j < record_at.shape[0] and record_at[j] <= t_start:
            j += 1
        for s in range(chunk):
            t = t_start + s + 1
            if algorithm == EXP3:
                _exp3_probabilities(L_hat[r], np.sqrt(2.0 * log_k / (K * t)), p)
            else:
                _tsallis_probabilities(L_hat[r], 2.0 / np.sqrt(t), p)
            arm = K - 1
            cdf = 0.0
            for k in range(K):
                cdf += p[k]
                if uniforms[r, s] < cdf:
                    arm = k
                    break
            loss = costs[t - 1, arm]
            alg_cost[r] += loss
            L_hat[r, arm] += loss / p[arm]
            pulls[r, arm] += 1
            if j < record_at.shape[0] and record_at[j] == t:
                out[r, j] = alg_cost[r]
                j += 1
