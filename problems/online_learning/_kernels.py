r"""Private Numba kernels for ``problems.online_learning.methods``.

Arrays and scalars in, preallocated arrays out: no objects, no exceptions, no printing, no
random numbers (the noise of every round is drawn on the host and passed in), no
``fastmath``. Each kernel has a NumPy twin of the same name and signature in
``_reference.py``; the tests hold them to ``rtol=1e-10``.

Shared conventions. A chunk covers rounds :math:`t_0 + 1, \dots, t_0 + m`; row ``j`` of
``centers`` (``(m, d)``, the adversary's :math:`c_t`) and of ``noise[r]`` (``(R, m, d)``)
belong to round :math:`t = t_0 + j + 1`. Before round :math:`t_0 + j + 1` is played, if
:math:`t_0 + j` equals ``record_at[k]`` (rounds completed), the running sums are written to
column ``k`` of the outputs and ``k`` advances; the kernel returns the next ``k``. The
observation of round :math:`t` is :math:`y_t = c_t + \text{noise}_t` and

* linear (``LOSS_LINEAR``): :math:`f_t(x) = \langle y_t, x\rangle`, :math:`g_t = y_t`;
* quadratic: :math:`f_t(x) - \frac\lambda2\|y_t\|^2 = \frac\lambda2\|x\|^2 - \lambda\langle
  x, y_t\rangle`, :math:`g_t = \lambda(x - y_t)` (the :math:`x`-free term cancels in the
  regret and is never summed, which avoids adding :math:`T`-sized numbers);
* log: :math:`f_t(x) = -\log\langle y_t, x\rangle`, :math:`g_t = -y_t/\langle y_t, x\rangle`.
"""
from __future__ import annotations

import math

import numba
import numpy as np

LOSS_LINEAR, LOSS_QUADRATIC, LOSS_LOG = 0, 1, 2
DOMAIN_BALL, DOMAIN_SIMPLEX = 0, 1
MIRROR_EUCLIDEAN, MIRROR_ENTROPIC = 0, 1
HINT_NONE, HINT_LAST = 0, 1
STEP_CONSTANT, STEP_INVERSE_SQRT, STEP_INVERSE_T, STEP_ADAPTIVE = 0, 1, 2, 3


@numba.njit(cache=True, inline="always")
def _step_size(rule, param, delta, t, hint_error):
    r""":math:`\eta_t`: ``param``, ``param``:math:`/\sqrt t`, ``param``:math:`/t`, or
    ``param``:math:`/\sqrt{\delta + \sum_{s<t}\|g_s - M_s\|^2}` (``hint_error`` is the sum)."""
    if rule == STEP_CONSTANT:
        return param
    if rule == STEP_INVERSE_SQRT:
        return param / math.sqrt(t)
    if rule == STEP_INVERSE_T:
        return param / t
    return param / math.sqrt(delta + hint_error)


@numba.njit(cache=True, inline="always")
def _project_ball(v, radius):
    acc = 0.0
    for i in range(v.shape[0]):
        acc += v[i] * v[i]
    norm = math.sqrt(acc)
    if norm > radius:
        scale = radius / norm
        for i in range(v.shape[0]):
            v[i] *= scale


@numba.njit(cache=True, inline="always")
def _project_simplex(v, buf):
    r"""Euclidean projection onto the simplex in place (sort and threshold: Held, Wolfe &
    Crowder 1974; Duchi et al. 2008): :math:`\theta` from the largest :math:`\rho` with
    :math:`u_\rho > (\sum_{j\le\rho}u_j - 1)/\rho`, :math:`u` sorted decreasingly."""
    d = v.shape[0]
    for i in range(d):  # insertion sort, decreasing (d is small)
        value = v[i]
        j = i
        while j > 0 and buf[j - 1] < value:
            buf[j] = buf[j - 1]
            j -= 1
        buf[j] = value
    cumsum = 0.0
    theta = 0.0
    for j in range(d):
        cumsum += buf[j]
        level = (cumsum - 1.0) / (j + 1.0)
        if buf[j] - level > 0.0:
            theta = level
    for i in range(d):
        v[i] = max(v[i] - theta, 0.0)


@numba.njit(cache=True, inline="always")
def _project(v, domain, radius, buf):
    if domain == DOMAIN_BALL:
        _project_ball(v, radius)
    else:
        _project_simplex(v, buf)


@numba.njit(cache=True, inline="always")
def _softmax(score, eta, out):
    r""":math:`x_i \propto e^{-\eta\,\mathrm{score}_i}`, shifted by the smallest score."""
    low = score[0]
    for i in range(score.shape[0]):
        low = min(low, score[i])
    total = 0.0
    for i in range(score.shape[0]):
        out[i] = math.exp(-eta * (score[i] - low))
        total += out[i]
    for i in range(score.shape[0]):
        out[i] /= total


@numba.njit(cache=True, inline="always")
def _observe(loss_code, lam, x, y, g):
    """Write the gradient of round t at ``x`` into ``g``; return the (shifted) loss."""
    d = x.shape[0]
    if loss_code == LOSS_LINEAR:
        value = 0.0
        for i in range(d):
            g[i] = y[i]
            value += y[i] * x[i]
        return value
    if loss_code == LOSS_QUADRATIC:
        sq = 0.0
        inner = 0.0
        for i in range(d):
            sq += x[i] * x[i]
            inner += x[i] * y[i]
            g[i] = lam * (x[i] - y[i])
        return 0.5 * lam * sq - lam * inner
    wealth = 0.0
    for i in range(d):
        wealth += y[i] * x[i]
    for i in range(d):
        g[i] = -y[i] / wealth
    return -math.log(wealth)


@numba.njit(cache=True)
def _mirror_descent_chunk(loss_code, domain, mirror, hint_code, rule, param, delta, radius,
                          lam, centers, noise, t0, record_at, k, xhat, x, hint, grad_sum,
                          cum_loss, hint_error, weighted, eta_last, stat, out_loss, out_stat,
                          out_hint_error, out_weighted, out_eta):
    r"""Optimistic online mirror descent, one chunk of rounds, all replicas.

    Euclidean (``MIRROR_EUCLIDEAN``, projection :math:`\Pi` onto the ball or simplex):
    :math:`x_t = \Pi(\hat x_t - \eta_t M_t)`, :math:`\hat x_{t+1} = \Pi(\hat x_t - \eta_t g_t)`.
    Entropic (simplex, dual-averaging form): :math:`x_t \propto \exp(-\eta_t(\sum_{s<t}g_s +
    M_t))`. :math:`M_t = g_{t-1}` (``HINT_LAST``, :math:`M_1 = 0`) or 0 (``HINT_NONE``: OGD,
    Hedge). Running sums per replica: ``cum_loss`` :math:`\sum f_s(x_s)`, ``hint_error``
    :math:`S_t = \sum\|g_s - M_s\|^2` (:math:`\|\cdot\|_\infty^2` when entropic),
    ``weighted`` :math:`W_t = \sum\eta_s\|g_s - M_s\|^2/2`, ``stat`` :math:`\sum y_s`,
    ``eta_last`` the step of the last round played (:math:`\eta_1` before the first).
    """
    replicas = xhat.shape[0]
    d = xhat.shape[1]
    m = centers.shape[0]
    n_rec = record_at.shape[0]
    buf = np.empty(d)
    y = np.empty(d)
    g = np.empty(d)
    score = np.empty(d)
    xh = np.empty(d)
    xr = np.empty(d)
    mr = np.empty(d)
    gs = np.empty(d)
    st = np.empty(d)
    k_next = k
    for r in range(replicas):  # replica by replica (its noise rows are contiguous), in locals
        for i in range(d):
            xh[i], xr[i], mr[i] = xhat[r, i], x[r, i], hint[r, i]
            gs[i], st[i] = grad_sum[r, i], stat[r, i]
        loss_sum, err_sum, w_sum, eta = cum_loss[r], hint_error[r], weighted[r], eta_last[r]
        kr = k
        for j in range(m + 1):
            if kr < n_rec and t0 + j == record_at[kr]:
                out_loss[r, kr] = loss_sum
                out_hint_error[r, kr] = err_sum
                out_weighted[r, kr] = w_sum
                out_eta[r, kr] = eta
                for i in range(d):
                    out_stat[r, kr, i] = st[i]
                kr += 1
            if j == m:
                break
            eta = _step_size(rule, param, delta, t0 + j + 1, err_sum)
            if mirror == MIRROR_EUCLIDEAN:
                for i in range(d):
                    xr[i] = xh[i] - eta * mr[i]
                if hint_code != HINT_NONE:
                    _project(xr, domain, radius, buf)
            else:
                for i in range(d):
                    score[i] = gs[i] + mr[i]
                _softmax(score, eta, xr)
            for i in range(d):
                y[i] = centers[j, i] + noise[r, j, i]
                st[i] += y[i]
            loss_sum += _observe(loss_code, lam, xr, y, g)
            err = 0.0
            for i in range(d):
                diff = g[i] - mr[i]
                if mirror == MIRROR_EUCLIDEAN:
                    err += diff * diff
                else:
                    err = max(err, diff * diff)
            err_sum += err
            w_sum += 0.5 * eta * err
            for i in range(d):
                gs[i] += g[i]
                if mirror == MIRROR_EUCLIDEAN:
                    xh[i] -= eta * g[i]
                if hint_code == HINT_LAST:
                    mr[i] = g[i]
            if mirror == MIRROR_EUCLIDEAN:
                _project(xh, domain, radius, buf)
        for i in range(d):
            xhat[r, i], x[r, i], hint[r, i] = xh[i], xr[i], mr[i]
            grad_sum[r, i], stat[r, i] = gs[i], st[i]
        cum_loss[r], hint_error[r], weighted[r], eta_last[r] = loss_sum, err_sum, w_sum, eta
        k_next = kr
    return k_next


@numba.njit(cache=True)
def _spd_solve(A, free, rhs, L, out):
    r"""Solve :math:`A_{FF}\,z = \mathrm{rhs}_F` (Cholesky of the free block into ``L``);
    :math:`z` is written at the free positions of ``out``, zeros elsewhere."""
    d = A.shape[0]
    idx = np.empty(d, dtype=np.int64)
    n = 0
    for i in range(d):
        out[i] = 0.0
        if free[i]:
            idx[n] = i
            n += 1
    for a in range(n):
        for b in range(a + 1):
            acc = A[idx[a], idx[b]]
            for c in range(b):
                acc -= L[a, c] * L[b, c]
            if a == b:
                L[a, a] = math.sqrt(acc)
            else:
                L[a, b] = acc / L[b, b]
    z = np.empty(n)
    for a in range(n):
        acc = rhs[idx[a]]
        for c in range(a):
            acc -= L[a, c] * z[c]
        z[a] = acc / L[a, a]
    for a in range(n - 1, -1, -1):
        acc = z[a]
        for c in range(a + 1, n):
            acc -= L[c, a] * z[c]
        z[a] = acc / L[a, a]
    for a in range(n):
        out[idx[a]] = z[a]


@numba.njit(cache=True)
def _simplex_qp(A, b, y):
    r"""Exact minimiser of :math:`\frac12 y^\top A y - b^\top y` over the simplex
    (:math:`A` symmetric positive definite), by a primal active-set method started from
    the feasible ``y`` (overwritten with the solution). Returns the number of iterations,
    or -1 if ``8d + 16`` iterations did not suffice (``y`` stays feasible).

    Each iteration solves the KKT system on the free set :math:`F` (zeros on the working
    set :math:`W`): :math:`p_F = u - \nu v`, :math:`u = A_{FF}^{-1}b_F`,
    :math:`v = A_{FF}^{-1}\mathbf 1`, :math:`\nu = (\mathbf 1^\top u - 1)/\mathbf 1^\top v`.
    If :math:`p \ge 0` it moves there and stops when every multiplier
    :math:`\mu_i = (Ap - b)_i + \nu`, :math:`i \in W`, is :math:`\ge 0` (else frees the most
    negative); otherwise it moves to the first bound met and fixes that coordinate at 0.
    """
    d = y.shape[0]
    free = np.empty(d, dtype=np.bool_)
    L = np.empty((d, d))
    u = np.empty(d)
    v = np.empty(d)
    ones = np.ones(d)
    scale = 1.0
    for i in range(d):
        free[i] = y[i] > 0.0
        if not free[i]:
            y[i] = 0.0
        scale = max(scale, abs(b[i]))
        for j in range(d):
            scale = max(scale, abs(A[i, j]))
    tol = 1e-13 * scale
    for it in range(8 * d + 16):
        _spd_solve(A, free, b, L, u)
        _spd_solve(A, free, ones, L, v)
        su = 0.0
        sv = 0.0
        for i in range(d):
            su += u[i]
            sv += v[i]
        nu = (su - 1.0) / sv
        alpha = 1.0
        block = -1
        for i in range(d):
            if free[i]:
                p = u[i] - nu * v[i]
                if p < 0.0:
                    a = y[i] / (y[i] - p)
                    if a < alpha:
                        alpha = a
                        block = i
        if block < 0:
            for i in range(d):
                y[i] = u[i] - nu * v[i] if free[i] else 0.0
            worst = -tol
            release = -1
            for i in range(d):
                if not free[i]:
                    mu = nu - b[i]
                    for j in range(d):
                        mu += A[i, j] * y[j]
                    if mu < worst:
                        worst = mu
                        release = i
            if release < 0:
                return it + 1
            free[release] = True
        else:
            for i in range(d):
                if free[i]:
                    y[i] += alpha * (u[i] - nu * v[i] - y[i])
            y[block] = 0.0
            free[block] = False
    return -1


@numba.njit(cache=True)
def _ons_chunk(optimistic, gamma, centers, noise, t0, record_at, k, xhat, x, hint, A,
               cum_loss, hint_error, failures, out_loss, out_hint_error):
    r"""Online Newton step on the simplex for the log loss, one chunk, all replicas.

    :math:`A_t = \varepsilon I + \sum_{s\le t} g_s g_s^\top` (``A`` enters holding
    :math:`A_{t_0}`), :math:`\hat x_{t+1} = \Pi^{A_t}(\hat x_t - \gamma^{-1}A_t^{-1}g_t)`;
    played point :math:`x_t = \hat x_t`, or (``optimistic``)
    :math:`x_t = \Pi^{A_{t-1}}(\hat x_t - \gamma^{-1}A_{t-1}^{-1}M_t)`, :math:`M_t = g_{t-1}`.
    :math:`\Pi^{A}(z) = \arg\min_{y\in\Delta}(y - z)^\top A(y - z)`, i.e.
    :func:`_simplex_qp` with :math:`b = Az`, and :math:`Az = A\hat x - g/\gamma` needs no
    inverse. Warm start: :math:`\hat x_t`. ``failures`` counts QP solves that hit the
    iteration cap. ``hint_error`` sums :math:`\|g_t - M_t\|^2` (:math:`M_t = 0` unless
    ``optimistic``).
    """
    replicas = xhat.shape[0]
    d = xhat.shape[1]
    m = centers.shape[0]
    n_rec = record_at.shape[0]
    y = np.empty(d)
    g = np.empty(d)
    b = np.empty(d)
    for j in range(m + 1):
        if k < n_rec and t0 + j == record_at[k]:
            for r in range(replicas):
                out_loss[r, k] = cum_loss[r]
                out_hint_error[r, k] = hint_error[r]
            k += 1
        if j == m:
            break
        for r in range(replicas):
            for i in range(d):
                x[r, i] = xhat[r, i]
            if optimistic:
                for i in range(d):
                    acc = -hint[r, i] / gamma
                    for c in range(d):
                        acc += A[r, i, c] * xhat[r, c]
                    b[i] = acc
                if _simplex_qp(A[r], b, x[r]) < 0:
                    failures[r] += 1
            for i in range(d):
                y[i] = centers[j, i] + noise[r, j, i]
            cum_loss[r] += _observe(LOSS_LOG, 0.0, x[r], y, g)
            err = 0.0
            for i in range(d):
                diff = g[i] - (hint[r, i] if optimistic else 0.0)
                err += diff * diff
            hint_error[r] += err
            for i in range(d):
                for c in range(d):
                    A[r, i, c] += g[i] * g[c]
            for i in range(d):
                acc = -g[i] / gamma
                for c in range(d):
                    acc += A[r, i, c] * xhat[r, c]
                b[i] = acc
            if _simplex_qp(A[r], b, xhat[r]) < 0:
                failures[r] += 1
            for i in range(d):
                hint[r, i] = g[i]
    return k
