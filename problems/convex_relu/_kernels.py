r"""Private Numba kernels for ``problems.convex_relu``.

Arrays and scalars in, preallocated arrays out: no objects, no exceptions, no printing, no
random numbers (initialisations and attack starts are drawn on the host and passed in), no
``fastmath``. Each kernel has a NumPy twin of the same name and signature in
``_reference.py``; the tests hold them to ``rtol=1e-10``.

Shared conventions:

* a network is ``U`` (m, p) and ``A`` (m,): :math:`f(x) = \sum_j A_j (x^\top U_j)_+`; restarts
  (replicas) stack them as ``U`` (R, m, p), ``A`` (R, m); the ReLU's derivative at 0 is 0;
* losses: ``SQUARED`` :math:`\frac12\sum_k (f_k - y_k)^2`, ``HINGE`` :math:`\sum_k (1 - y_kf_k)_+`
  (subgradient :math:`-y_k` where the margin is below 1, else 0);
* objectives add :math:`\frac\beta2(\|U\|_F^2 + \|A\|^2)`; a replica whose recorded objective is not
  finite stops there and its remaining checkpoints read ``+inf``;
* Adam (Kingma & Ba): :math:`m \leftarrow b_1m + (1-b_1)g`, :math:`v \leftarrow b_2v + (1-b_2)g^2`,
  :math:`\theta \leftarrow \theta - \eta_t\,\hat m/(\sqrt{\hat v} + \epsilon)` with bias corrections at the
  global step :math:`t + 1`; GD: :math:`\theta \leftarrow \theta - \eta_t g`.
"""
from __future__ import annotations

import numba
import numpy as np

SQUARED, HINGE = 0, 1
GD, ADAM = 0, 1


@numba.njit(cache=True)
def _forward(X, U, A, H, f):
    """Pre-activations ``H`` (n, m) and outputs ``f`` (n,) of one network."""
    n, p = X.shape
    m = U.shape[0]
    for k in range(n):
        acc = 0.0
        for q in range(m):
            h = 0.0
            for c in range(p):
                h += X[k, c] * U[q, c]
            H[k, q] = h
            if h > 0.0:
                acc += h * A[q]
        f[k] = acc


@numba.njit(cache=True)
def _loss(f, y, loss, g):
    """The loss and its (sub)gradient ``g`` in the outputs."""
    total = 0.0
    for k in range(f.shape[0]):
        if loss == SQUARED:
            r = f[k] - y[k]
            total += 0.5 * r * r
            g[k] = r
        else:
            margin = 1.0 - y[k] * f[k]
            if margin > 0.0:
                total += margin
                g[k] = -y[k]
            else:
                g[k] = 0.0
    return total


@numba.njit(cache=True)
def _penalty(U, A, beta):
    acc = 0.0
    for q in range(U.shape[0]):
        acc += A[q] * A[q]
        for c in range(U.shape[1]):
            acc += U[q, c] * U[q, c]
    return 0.5 * beta * acc


@numba.njit(cache=True)
def _gradients(X, U, A, H, g, beta, gU, gA):
    n, p = X.shape
    for q in range(U.shape[0]):
        sa = beta * A[q]
        for c in range(p):
            gU[q, c] = beta * U[q, c]
        for k in range(n):
            if H[k, q] > 0.0:
                sa += g[k] * H[k, q]
                w = g[k] * A[q]
                for c in range(p):
                    gU[q, c] += w * X[k, c]
        gA[q] = sa


@numba.njit(cache=True)
def _update(U, A, gU, gA, mU, vU, mA, vA, optimizer, eta, step, beta1, beta2, adam_eps):
    if optimizer == GD:
        for q in range(U.shape[0]):
            A[q] -= eta * gA[q]
            for c in range(U.shape[1]):
                U[q, c] -= eta * gU[q, c]
        return
    c1 = 1.0 - beta1 ** step
    c2 = 1.0 - beta2 ** step
    for q in range(U.shape[0]):
        mA[q] = beta1 * mA[q] + (1.0 - beta1) * gA[q]
        vA[q] = beta2 * vA[q] + (1.0 - beta2) * gA[q] * gA[q]
        A[q] -= eta * (mA[q] / c1) / (np.sqrt(vA[q] / c2) + adam_eps)
        for c in range(U.shape[1]):
            mU[q, c] = beta1 * mU[q, c] + (1.0 - beta1) * gU[q, c]
            vU[q, c] = beta2 * vU[q, c] + (1.0 - beta2) * gU[q, c] * gU[q, c]
            U[q, c] -= eta * (mU[q, c] / c1) / (np.sqrt(vU[q, c] / c2) + adam_eps)


@numba.njit(cache=True)
def _train(X, y, U, A, mU, vU, mA, vA, beta, loss, optimizer, steps, beta1, beta2, adam_eps, record_at, out):
    r"""Full-batch training of ``R`` restarts for ``steps.size`` iterations (step ``t`` uses
    ``steps[t]``); the objective is written to ``out[r, j]`` before iteration ``record_at[j]``
    (``record_at[j] = steps.size``: after the last)."""
    R, m, p = U.shape
    n = X.shape[0]
    n_iter = steps.shape[0]
    H = np.empty((n, m))
    f = np.empty(n)
    g = np.empty(n)
    gU = np.empty((m, p))
    gA = np.empty(m)
    for r in range(R):
        j = 0
        for t in range(n_iter + 1):
            _forward(X, U[r], A[r], H, f)
            value = _loss(f, y, loss, g) + _penalty(U[r], A[r], beta)
            if j < record_at.shape[0] and t == record_at[j]:
                out[r, j] = value if np.isfinite(value) else np.inf
                j += 1
            if not np.isfinite(value):
                for jj in range(j, record_at.shape[0]):
                    out[r, jj] = np.inf
                break
            if t == n_iter:
                break
            _gradients(X, U[r], A[r], H, g, beta, gU, gA)
            _update(U[r], A[r], gU, gA, mU[r], vU[r], mA[r], vA[r], optimizer, steps[t], t + 1.0, beta1, beta2,
                    adam_eps)


@numba.njit(cache=True)
def _attack(X, y, U, A, epsilon, attack_steps, attack_step, start, Xp):
    r"""PGD on :math:`\min_{\|\delta\|_\infty\le\epsilon} y_kf(x_k + \delta)` (features only, the last
    column is the bias): from ``start`` (n, p-1) in :math:`[-\epsilon, \epsilon]`,
    :math:`\delta \leftarrow \Pi(\delta - a\,\operatorname{sign}(y_k\nabla_x f))`; writes the attacked
    inputs to ``Xp``."""
    n, p = X.shape
    m = U.shape[0]
    grad = np.empty(p - 1)
    for k in range(n):
        for c in range(p - 1):
            Xp[k, c] = X[k, c] + start[k, c]
        Xp[k, p - 1] = X[k, p - 1]
        for _ in range(attack_steps):
            for c in range(p - 1):
                grad[c] = 0.0
            for q in range(m):
                h = 0.0
                for c in range(p):
                    h += Xp[k, c] * U[q, c]
                if h > 0.0:
                    for c in range(p - 1):
                        grad[c] += A[q] * U[q, c]
            for c in range(p - 1):
                s = y[k] * grad[c]
                step = attack_step if s > 0.0 else (-attack_step if s < 0.0 else 0.0)
                moved = Xp[k, c] - step
                Xp[k, c] = min(max(moved, X[k, c] - epsilon), X[k, c] + epsilon)


@numba.njit(cache=True)
def _train_adversarial(X, y, U, A, mU, vU, mA, vA, beta, loss, optimizer, steps, first, beta1, beta2, adam_eps,
                       epsilon, attack_steps, attack_step, starts, record_at, out):
    r"""Adversarial training, one chunk of iterations ``first .. first + steps.size - 1``: each
    iteration attacks every sample with PGD from ``epsilon * starts[i, r]`` (uniform in
    :math:`[-1, 1]`) and takes a step on the loss at the attacked inputs; the attacked objective
    (the PGD estimate of the robust objective) is written to ``out[r, j]`` at global iteration
    ``record_at[j]`` (before that iteration's update)."""
    R, m, p = U.shape
    n = X.shape[0]
    H = np.empty((n, m))
    f = np.empty(n)
    g = np.empty(n)
    gU = np.empty((m, p))
    gA = np.empty(m)
    Xp = np.empty((n, p))
    start = np.empty((n, p - 1))
    for r in range(R):
        for i in range(steps.shape[0]):
            t = first + i
            for k in range(n):
                for c in range(p - 1):
                    start[k, c] = epsilon * starts[i, r, k, c]
            _attack(X, y, U[r], A[r], epsilon, attack_steps, attack_step, start, Xp)
            _forward(Xp, U[r], A[r], H, f)
            value = _loss(f, y, loss, g) + _penalty(U[r], A[r], beta)
            for j in range(record_at.shape[0]):
                if record_at[j] == t:
                    out[r, j] = value if np.isfinite(value) else np.inf
            if not np.isfinite(value):
                break
            _gradients(Xp, U[r], A[r], H, g, beta, gU, gA)
            _update(U[r], A[r], gU, gA, mU[r], vU[r], mA[r], vA[r], optimizer, steps[i], t + 1.0, beta1, beta2,
                    adam_eps)


@numba.njit(cache=True)
def _box_value(x0, x1, bias, U, A):
    acc = 0.0
    for q in range(U.shape[0]):
        h = x0 * U[q, 0] + x1 * U[q, 1] + bias * U[q, 2]
        if h > 0.0:
            acc += h * A[q]
    return acc


@numba.njit(cache=True)
def _robust_margins(X, y, U, A, epsilon, out):
    r"""Exact :math:`\min_{\|\delta\|_\infty \le \epsilon} y_kf(x_k + \delta)` for 2 features (``X`` (n, 3)):
    :math:`f` is linear on each cell that the neurons' lines cut out of the box, so its minimum
    is at a vertex: a box corner, a line-edge crossing or a crossing of two lines inside the box."""
    n = X.shape[0]
    m = U.shape[0]
    for k in range(n):
        c0, c1, b = X[k, 0], X[k, 1], X[k, 2]
        best = np.inf
        for s0 in (-1.0, 1.0):
            for s1 in (-1.0, 1.0):
                best = min(best, y[k] * _box_value(c0 + s0 * epsilon, c1 + s1 * epsilon, b, U, A))
        for q in range(m):
            a0, a1, a2 = U[q, 0], U[q, 1], U[q, 2] * b
            for side in (-1.0, 1.0):
                if a1 != 0.0:  # the line meets the edges x0 = c0 +- eps
                    x0 = c0 + side * epsilon
                    x1 = -(a0 * x0 + a2) / a1
                    if abs(x1 - c1) <= epsilon:
                        best = min(best, y[k] * _box_value(x0, x1, b, U, A))
                if a0 != 0.0:  # and the edges x1 = c1 +- eps
                    x1 = c1 + side * epsilon
                    x0 = -(a1 * x1 + a2) / a0
                    if abs(x0 - c0) <= epsilon:
                        best = min(best, y[k] * _box_value(x0, x1, b, U, A))
            for l in range(q + 1, m):
                e0, e1, e2 = U[l, 0], U[l, 1], U[l, 2] * b
                det = a0 * e1 - a1 * e0
                if det != 0.0:
                    x0 = (a1 * e2 - a2 * e1) / det
                    x1 = (a2 * e0 - a0 * e2) / det
                    if abs(x0 - c0) <= epsilon and abs(x1 - c1) <= epsilon:
                        best = min(best, y[k] * _box_value(x0, x1, b, U, A))
        out[k] = best


@numba.njit(cache=True)
def _admm(X, D, L, b1, beta, penalty, dual_step, v, s, lam, nu, first, n_steps, record_at, out_primal, out_dual,
          out_objective, y):
    r"""``n_steps`` ADMM iterations (global counts ``first + 1 ..``) on the convex program, in the
    scaled form of Boyd et al. with the splitting of Bai et al. (see ``admm.py``). Blocks
    ``b < P`` are the :math:`v_i`, ``b >= P`` the :math:`w_i` (pattern ``b mod P``); ``u``, ``v``,
    ``lam`` are (2P, p), ``s``, ``nu`` (2P, n); ``L`` is the Cholesky factor of
    :math:`I + F^\top F/\rho + G^\top G` (order ``b * p + c``). After iteration ``record_at[j]`` the
    primal residual, the dual residual and the objective at ``v`` are written to the outputs."""
    n, p = X.shape
    P = D.shape[0]
    N = 2 * P * p
    rhs = np.empty(N)
    z = np.empty(N)
    u = np.empty((2 * P, p))
    g = np.empty((2 * P, n))
    v_new = np.empty((2 * P, p))
    s_new = np.empty((2 * P, n))
    tau = beta / penalty
    for it in range(n_steps):
        for b in range(2 * P):
            i = b % P
            for c in range(p):
                acc = b1[b * p + c] + v[b, c] - lam[b, c]
                for k in range(n):
                    acc += X[k, c] * (2.0 * D[i, k] - 1.0) * (s[b, k] - nu[b, k])
                rhs[b * p + c] = acc
        for row in range(N):  # L z = rhs
            acc = rhs[row]
            for col in range(row):
                acc -= L[row, col] * z[col]
            z[row] = acc / L[row, row]
        for row in range(N - 1, -1, -1):  # L^T u = z
            acc = z[row]
            for col in range(row + 1, N):
                acc -= L[col, row] * rhs[col]
            rhs[row] = acc / L[row, row]
        primal = 0.0
        dual = 0.0
        for b in range(2 * P):
            i = b % P
            norm = 0.0
            for c in range(p):
                u[b, c] = rhs[b * p + c]
                norm += (u[b, c] + lam[b, c]) ** 2
            norm = np.sqrt(norm)
            shrink = 1.0 - tau / norm if norm > tau else 0.0
            for c in range(p):
                v_new[b, c] = shrink * (u[b, c] + lam[b, c])
                primal += (u[b, c] - v_new[b, c]) ** 2
                dual += (v_new[b, c] - v[b, c]) ** 2
            for k in range(n):
                acc = 0.0
                for c in range(p):
                    acc += X[k, c] * u[b, c]
                g[b, k] = (2.0 * D[i, k] - 1.0) * acc
                s_new[b, k] = max(g[b, k] + nu[b, k], 0.0)
                primal += (g[b, k] - s_new[b, k]) ** 2
            for c in range(p):
                acc = 0.0
                for k in range(n):
                    acc += X[k, c] * (2.0 * D[i, k] - 1.0) * (s_new[b, k] - s[b, k])
                dual += acc * acc
        for b in range(2 * P):
            for c in range(p):
                lam[b, c] += dual_step * (u[b, c] - v_new[b, c])
                v[b, c] = v_new[b, c]
            for k in range(n):
                nu[b, k] += dual_step * (g[b, k] - s_new[b, k])
                s[b, k] = s_new[b, k]
        count = first + it + 1
        for j in range(record_at.shape[0]):
            if record_at[j] == count:
                out_primal[j] = np.sqrt(primal)
                out_dual[j] = penalty * np.sqrt(dual)
                out_objective[j] = _admm_objective(X, D, v, y, beta)


@numba.njit(cache=True)
def _admm_objective(X, D, v, y, beta):
    n, p = X.shape
    P = D.shape[0]
    total = 0.0
    for k in range(n):
        acc = 0.0
        for i in range(P):
            if D[i, k] != 0.0:
                for c in range(p):
                    acc += D[i, k] * X[k, c] * (v[i, c] - v[P + i, c])
        total += 0.5 * (acc - y[k]) ** 2
    for b in range(2 * P):
        norm = 0.0
        for c in range(p):
            norm += v[b, c] * v[b, c]
        total += beta * np.sqrt(norm)
    return total
