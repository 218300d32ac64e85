r"""NumPy twins of ``_kernels.py``: the same names, signatures and arithmetic, as readable loops
over steps, vectorised over restarts (training), samples (robust margins) or blocks (ADMM).

They are the reference the Numba kernels are tested against (``rtol=1e-10``).
"""
from __future__ import annotations

import numpy as np
from scipy.linalg import solve_triangular

from ._kernels import ADAM, SQUARED


def _forward_all(X, U, A):
    """Pre-activations (R, n, m) and outputs (R, n) of stacked networks ``U`` (R, m, p)."""
    H = np.einsum("np,rmp->rnm", X, U)
    return H, np.einsum("rnm,rm->rn", np.maximum(H, 0.0), A)


def _loss_all(f, y, loss):
    if loss == SQUARED:
        r = f - y
        return 0.5 * np.sum(r * r, axis=-1), r
    margin = 1.0 - y * f
    return np.sum(np.maximum(margin, 0.0), axis=-1), np.where(margin > 0.0, -y, 0.0)


def _penalty_all(U, A, beta):
    return 0.5 * beta * (np.sum(U * U, axis=(-2, -1)) + np.sum(A * A, axis=-1))


def _gradients_all(Xs, U, A, H, g, beta):
    """Gradients for stacked networks; ``Xs`` is (n, p) or the attacked inputs (R, n, p)."""
    active = H > 0.0
    gA = np.einsum("rn,rnm->rm", g, np.where(active, H, 0.0)) + beta * A
    weights = np.where(active, g[:, :, None] * A[:, None, :], 0.0)
    if Xs.ndim == 2:
        gU = np.einsum("rnm,np->rmp", weights, Xs) + beta * U
    else:
        gU = np.einsum("rnm,rnp->rmp", weights, Xs) + beta * U
    return gU, gA


def _update_all(U, A, gU, gA, mU, vU, mA, vA, optimizer, eta, step, beta1, beta2, adam_eps, alive):
    if optimizer != ADAM:
        U[alive] -= eta * gU[alive]
        A[alive] -= eta * gA[alive]
        return
    c1, c2 = 1.0 - beta1 ** step, 1.0 - beta2 ** step
    for theta, grad, m1, m2 in ((A, gA, mA, vA), (U, gU, mU, vU)):
        m1[alive] = beta1 * m1[alive] + (1.0 - beta1) * grad[alive]
        m2[alive] = beta2 * m2[alive] + (1.0 - beta2) * grad[alive] * grad[alive]
        theta[alive] -= eta * (m1[alive] / c1) / (np.sqrt(m2[alive] / c2) + adam_eps)


def _train(X, y, U, A, mU, vU, mA, vA, beta, loss, optimizer, steps, beta1, beta2, adam_eps, record_at, out):
    alive = np.ones(U.shape[0], dtype=bool)
    j = 0
    with np.errstate(all="ignore"):
        for t in range(steps.shape[0] + 1):
            H, f = _forward_all(X, U, A)
            value, g = _loss_all(f, y, loss)
            value = value + _penalty_all(U, A, beta)
            if j < record_at.shape[0] and t == record_at[j]:
                out[:, j] = np.where(alive & np.isfinite(value), value, np.inf)
                j += 1
            alive &= np.isfinite(value)
            out[~alive, j:] = np.inf
            if t == steps.shape[0] or not alive.any():
                break
            gU, gA = _gradients_all(X, U, A, H, g, beta)
            _update_all(U, A, gU, gA, mU, vU, mA, vA, optimizer, steps[t], t + 1.0, beta1, beta2, adam_eps, alive)


def _attack_all(X, y, U, A, epsilon, attack_steps, attack_step, start):
    """PGD for stacked networks: ``start`` (R, n, p-1); returns the attacked inputs (R, n, p)."""
    R = U.shape[0]
    Xp = np.broadcast_to(X, (R,) + X.shape).copy()
    Xp[:, :, :-1] += start
    low, high = X[None, :, :-1] - epsilon, X[None, :, :-1] + epsilon
    for _ in range(attack_steps):
        H = np.einsum("rnp,rmp->rnm", Xp, U)
        grad = np.einsum("rnm,rmc->rnc", np.where(H > 0.0, A[:, None, :], 0.0), U[:, :, :-1])
        Xp[:, :, :-1] = np.minimum(np.maximum(Xp[:, :, :-1] - attack_step * np.sign(y[None, :, None] * grad), low),
                                   high)
    return Xp


def _train_adversarial(X, y, U, A, mU, vU, mA, vA, beta, loss, optimizer, steps, first, beta1, beta2, adam_eps,
                       epsilon, attack_steps, attack_step, starts, record_at, out):
    alive = np.ones(U.shape[0], dtype=bool)
    with np.errstate(all="ignore"):
        for i in range(steps.shape[0]):
            t = first + i
            Xp = _attack_all(X, y, U, A, epsilon, attack_steps, attack_step, epsilon * starts[i])
            H = np.einsum("rnp,rmp->rnm", Xp, U)
            f = np.einsum("rnm,rm->rn", np.maximum(H, 0.0), A)
            value, g = _loss_all(f, y, loss)
            value = value + _penalty_all(U, A, beta)
            hit = np.flatnonzero(record_at == t)
            for j in hit:
                out[alive, j] = np.where(np.isfinite(value[alive]), value[alive], np.inf)
            alive &= np.isfinite(value)
            if not alive.any():
                break
            gU, gA = _gradients_all(Xp, U, A, H, g, beta)
            _update_all(U, A, gU, gA, mU, vU, mA, vA, optimizer, steps[i], t + 1.0, beta1, beta2, adam_eps, alive)


def _network(points, U, A):
    return np.maximum(points @ U.T, 0.0) @ A


def _robust_margins(X, y, U, A, epsilon, out):
    for k in range(X.shape[0]):
        c0, c1, b = X[k]
        candidates = [(c0 + s0 * epsilon, c1 + s1 * epsilon) for s0 in (-1.0, 1.0) for s1 in (-1.0, 1.0)]
        for q, (a0, a1, a2) in enumerate(U):
            a2 = a2 * b
            for side in (-1.0, 1.0):
                if a1 != 0.0:
                    x0 = c0 + side * epsilon
                    x1 = -(a0 * x0 + a2) / a1
                    if abs(x1 - c1) <= epsilon:
                        candidates.append((x0, x1))
                if a0 != 0.0:
                    x1 = c1 + side * epsilon
                    x0 = -(a1 * x1 + a2) / a0
                    if abs(x0 - c0) <= epsilon:
                        candidates.append((x0, x1))
            for e0, e1, e2 in U[q + 1:]:
                e2 = e2 * b
                det = a0 * e1 - a1 * e0
                if det != 0.0:
                    x0 = (a1 * e2 - a2 * e1) / det
                    x1 = (a2 * e0 - a0 * e2) / det
                    if abs(x0 - c0) <= epsilon and abs(x1 - c1) <= epsilon:
                        candidates.append((x0, x1))
        points = np.column_stack([np.array(candidates), np.full(len(candidates), b)])
        out[k] = np.min(y[k] * _network(points, U, A))


def _admm(X, D, L, b1, beta, penalty, dual_step, v, s, lam, nu, first, n_steps, record_at, out_primal, out_dual,
          out_objective, y):
    E = np.concatenate([2.0 * D - 1.0, 2.0 * D - 1.0])  # (2P, n) signs of G's blocks
    tau = beta / penalty
    for it in range(n_steps):
        rhs = b1 + (v - lam).ravel() + ((E * (s - nu)) @ X).ravel()
        u = solve_triangular(L.T, solve_triangular(L, rhs, lower=True), lower=False).reshape(v.shape)
        a = u + lam
        norms = np.sqrt(np.sum(a * a, axis=1))
        shrink = np.where(norms > tau, 1.0 - tau / np.where(norms > tau, norms, 1.0), 0.0)
        v_new = shrink[:, None] * a
        g = E * (u @ X.T)
        s_new = np.maximum(g + nu, 0.0)
        primal = np.sum((u - v_new) ** 2) + np.sum((g - s_new) ** 2)
        dual = np.sum((v_new - v) ** 2) + np.sum(((E * (s_new - s)) @ X) ** 2)
        lam += dual_step * (u - v_new)
        nu += dual_step * (g - s_new)
        v[:] = v_new
        s[:] = s_new
        hit = np.flatnonzero(record_at == first + it + 1)
        for j in hit:
            out_primal[j] = np.sqrt(primal)
            out_dual[j] = penalty * np.sqrt(dual)
            out_objective[j] = _admm_objective(X, D, v, y, beta)


def _admm_objective(X, D, v, y, beta):
    P = D.shape[0]
    z = np.sum(D * ((v[:P] - v[P:]) @ X.T), axis=0)
    return 0.5 * np.sum((z - y) ** 2) + beta * np.sum(np.sqrt(np.sum(v * v, axis=1)))
