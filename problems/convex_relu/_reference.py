r"""Array-API twins of ``_kernels.py``: the same names, signatures and arithmetic, as readable
loops over steps, vectorised over restarts (training: state ``U`` (R, m, p), ``A`` (R, m)),
samples and candidate points (robust margins) or blocks (ADMM).

They are written against the array API standard (2023.12), so the same code runs on NumPy,
CuPy and ``array_api_strict``: the namespace is read from the arrays passed in
(``array_namespace``), which the public methods have already moved to the back end's device.
``steps``, ``record_at`` and the ``out`` arrays stay host NumPy: the loop control never reads
the device, and a checkpoint's values come home once (``to_numpy``), so a GPU is not
synchronised at every step. They are the reference the Numba kernels are tested against
(``rtol=1e-10``). Divergence is allowed (inf/NaN); the public methods silence NumPy's warnings.

The state arrays passed in (``U``, ``A``, the Adam moments; ADMM's ``v``, ``s``, ``lam``,
``nu``) are updated in place once, at the end of the call, to keep the kernels' contract (the
host reads the final networks, or feeds the next chunk the same state); within the call the
twins carry new arrays. A restart whose objective is not finite is frozen (``xp.where`` keeps
its old state), as the kernel stops updating it; its remaining checkpoints read ``+inf``.
"""
from __future__ import annotations

import numpy as np
from array_api_compat import array_namespace

from problems.backend import to_numpy

from ._kernels import ADAM, SQUARED


def _constants(xp):
    """0-d ``0`` and ``inf``, made once per call: a Python scalar in ``where`` is not in the 2023.12
    standard, and a fresh ``asarray`` per step would be a host-to-device copy on a GPU."""
    return xp.zeros((), dtype=xp.float64), xp.full((), np.inf, dtype=xp.float64)


def _forward_all(xp, Xs, U, A):
    """Pre-activations (R, n, m) and outputs (R, n) of stacked networks ``U`` (R, m, p); ``Xs`` is
    (n, p) or the attacked inputs (R, n, p)."""
    H = Xs @ U.mT
    return H, xp.vecdot(xp.clip(H, min=0.0), A[:, None, :])


def _loss_all(xp, f, y, loss, zero):
    """The loss per restart and its (sub)gradient in the outputs, (R, n)."""
    if loss == SQUARED:
        r = f - y
        return 0.5 * xp.sum(r * r, axis=-1), r
    margin = 1.0 - y * f
    return xp.sum(xp.clip(margin, min=0.0), axis=-1), xp.where(margin > 0.0, -y, zero)


def _penalty_all(xp, U, A, beta):
    return 0.5 * beta * (xp.sum(U * U, axis=(-2, -1)) + xp.sum(A * A, axis=-1))


def _gradients_all(xp, Xs, U, A, H, g, beta, zero):
    """Gradients (R, m, p), (R, m): two batched products over the samples."""
    active = H > 0.0
    gA = xp.vecdot(xp.where(active, H, zero).mT, g[:, None, :]) + beta * A
    weights = xp.where(active, g[:, :, None] * A[:, None, :], zero)  # (R, n, m)
    return weights.mT @ Xs + beta * U, gA


def _update_all(xp, state, gU, gA, optimizer, eta, step, beta1, beta2, adam_eps, alive):
    """The next ``(U, A, mU, vU, mA, vA)``; restarts not ``alive`` keep theirs."""
    U, A, mU, vU, mA, vA = state
    keep_U, keep_A = alive[:, None, None], alive[:, None]
    if optimizer != ADAM:
        return (xp.where(keep_U, U - eta * gU, U), xp.where(keep_A, A - eta * gA, A), mU, vU, mA, vA)
    c1, c2 = 1.0 - beta1 ** step, 1.0 - beta2 ** step
    new = []
    for theta, grad, m1, m2, keep in ((U, gU, mU, vU, keep_U), (A, gA, mA, vA, keep_A)):
        m1_new = beta1 * m1 + (1.0 - beta1) * grad
        m2_new = beta2 * m2 + (1.0 - beta2) * grad * grad
        theta_new = theta - eta * (m1_new / c1) / (xp.sqrt(m2_new / c2) + adam_eps)
        new.append([xp.where(keep, x_new, x) for x_new, x in ((theta_new, theta), (m1_new, m1), (m2_new, m2))])
    (U, mU, vU), (A, mA, vA) = new
    return U, A, mU, vU, mA, vA


def _store(state, arrays):
    """Write the final state into the caller's arrays (the kernels' in-place contract)."""
    for target, value in zip(arrays, state):
        target[...] = value


def _train(X, y, U, A, mU, vU, mA, vA, beta, loss, optimizer, steps, beta1, beta2, adam_eps, record_at, out):
    xp = array_namespace(X, U)
    zero, inf = _constants(xp)
    state = (U, A, mU, vU, mA, vA)
    alive = xp.ones(U.shape[0], dtype=xp.bool)
    j = 0
    for t in range(steps.shape[0] + 1):
        H, f = _forward_all(xp, X, state[0], state[1])
        value, g = _loss_all(xp, f, y, loss, zero)
        value = value + _penalty_all(xp, state[0], state[1], beta)
        recorded = j < record_at.shape[0] and t == record_at[j]
        if recorded:
            out[:, j] = to_numpy(xp.where(alive & xp.isfinite(value), value, inf))
            j += 1
        alive = alive & xp.isfinite(value)
        if t == steps.shape[0]:
            break
        if recorded and not np.any(to_numpy(alive)):  # read only at checkpoints: no sync per step
            out[:, j:] = np.inf
            break
        gU, gA = _gradients_all(xp, X, state[0], state[1], H, g, beta, zero)
        state = _update_all(xp, state, gU, gA, optimizer, float(steps[t]), t + 1.0, beta1, beta2, adam_eps, alive)
    _store(state, (U, A, mU, vU, mA, vA))


def _attack_all(xp, X, y, U, A, epsilon, attack_steps, attack_step, start, zero):
    """PGD for stacked networks: ``start`` (R, n, p-1); returns the attacked inputs (R, n, p).
    Only the features move; the bias column is joined back before each product."""
    R = U.shape[0]
    n, p = X.shape
    features = X[:, :p - 1]
    bias = xp.broadcast_to(X[None, :, p - 1:], (R, n, 1))
    low, high = features - epsilon, features + epsilon
    moved = features + start
    W = U[:, :, :p - 1]
    for _ in range(attack_steps):
        H = xp.concat([moved, bias], axis=-1) @ U.mT  # (R, n, m)
        grad = xp.where(H > 0.0, A[:, None, :], zero) @ W  # (R, n, p-1): sum of A_q u_q over active q
        moved = xp.clip(moved - attack_step * xp.sign(y[:, None] * grad), min=low, max=high)
    return xp.concat([moved, bias], axis=-1)


def _train_adversarial(X, y, U, A, mU, vU, mA, vA, beta, loss, optimizer, steps, first, beta1, beta2, adam_eps,
                       epsilon, attack_steps, attack_step, starts, record_at, out):
    xp = array_namespace(X, U, starts)
    zero, _ = _constants(xp)
    state = (U, A, mU, vU, mA, vA)
    alive = xp.ones(U.shape[0], dtype=xp.bool)
    for i in range(steps.shape[0]):
        t = first + i
        Xp = _attack_all(xp, X, y, state[0], state[1], epsilon, attack_steps, attack_step,
                         epsilon * starts[i, ...], zero)
        H, f = _forward_all(xp, Xp, state[0], state[1])
        value, g = _loss_all(xp, f, y, loss, zero)
        value = value + _penalty_all(xp, state[0], state[1], beta)
        hit = np.flatnonzero(record_at == t)  # host arrays: no device read unless recorded
        if hit.size:
            live, host = to_numpy(alive), to_numpy(value)
            for j in hit:  # a frozen restart's entry is left as it is, as in the kernel
                out[live, j] = np.where(np.isfinite(host[live]), host[live], np.inf)
        alive = alive & xp.isfinite(value)
        if hit.size and not np.any(np.isfinite(host) & live):
            break
        gU, gA = _gradients_all(xp, Xp, state[0], state[1], H, g, beta, zero)
        state = _update_all(xp, state, gU, gA, optimizer, float(steps[i]), t + 1.0, beta1, beta2, adam_eps, alive)
    _store(state, (U, A, mU, vU, mA, vA))


def _margin_candidates(xp, X, U, epsilon):
    r"""The candidate minimisers of each sample's box (``X`` (n, 3)), as ``x0``, ``x1`` (n, C) and a
    mask of the valid ones: the 4 corners, the crossings of each neuron's line with the 4 edges
    (``4m``) and the crossings of two lines (``m^2``, those with ``q < l`` and inside the box)."""
    n, m = X.shape[0], U.shape[0]
    c0, c1, b = X[:, 0:1], X[:, 1:2], X[:, 2:3]  # (n, 1)
    a0, a1 = U[:, 0], U[:, 1]  # (m,)
    a2 = U[:, 2] * b  # (n, m): the bias term at this sample
    one = xp.ones((), dtype=xp.float64)
    x0s, x1s, oks = [], [], []
    for s0 in (-1.0, 1.0):
        for s1 in (-1.0, 1.0):
            x0s.append(c0 + s0 * epsilon)
            x1s.append(c1 + s1 * epsilon)
            oks.append(xp.ones((n, 1), dtype=xp.bool))
    for side in (-1.0, 1.0):
        x0 = xp.broadcast_to(c0 + side * epsilon, (n, m))  # the line meets the edges x0 = c0 +- eps
        x1 = -(a0 * x0 + a2) / xp.where(a1 != 0.0, a1, one)
        x0s, x1s, oks = x0s + [x0], x1s + [x1], oks + [(a1 != 0.0) & (xp.abs(x1 - c1) <= epsilon)]
        x1 = xp.broadcast_to(c1 + side * epsilon, (n, m))  # and the edges x1 = c1 +- eps
        x0 = -(a1 * x1 + a2) / xp.where(a0 != 0.0, a0, one)
        x0s, x1s, oks = x0s + [x0], x1s + [x1], oks + [(a0 != 0.0) & (xp.abs(x0 - c0) <= epsilon)]
    det = a0[:, None] * a1[None, :] - a1[:, None] * a0[None, :]  # (m, m): lines q and l
    safe = xp.where(det != 0.0, det, one)
    x0 = (a1[None, :, None] * a2[:, None, :] - a2[:, :, None] * a1[None, None, :]) / safe  # (n, m, m)
    x1 = (a2[:, :, None] * a0[None, None, :] - a0[None, :, None] * a2[:, None, :]) / safe
    upper = xp.arange(m)[:, None] < xp.arange(m)[None, :]
    ok = (upper & (det != 0.0)) & ((xp.abs(x0 - c0[:, :, None]) <= epsilon) & (xp.abs(x1 - c1[:, :, None]) <= epsilon))
    x0s, x1s = x0s + [xp.reshape(x0, (n, m * m))], x1s + [xp.reshape(x1, (n, m * m))]
    oks.append(xp.reshape(ok, (n, m * m)))
    return xp.concat(x0s, axis=1), xp.concat(x1s, axis=1), xp.concat(oks, axis=1)


def _block_margins(xp, X, y, U, A, epsilon):
    zero, inf = _constants(xp)
    x0, x1, ok = _margin_candidates(xp, X, U, epsilon)
    h = x0[:, :, None] * U[:, 0] + x1[:, :, None] * U[:, 1] + X[:, 2:3, None] * U[:, 2]  # (n, C, m)
    values = y[:, None] * xp.sum(xp.where(h > 0.0, h * A, zero), axis=-1)
    return xp.min(xp.where(ok, values, inf), axis=1)


def _robust_margins(X, y, U, A, epsilon, out):
    """Every candidate of a block of samples evaluated at once; blocks bound the (n, C, m) workspace
    to about ``2**22`` numbers."""
    xp = array_namespace(X, U)
    m = U.shape[0]
    block = max(1, 2**22 // ((4 + 4 * m + m * m) * max(m, 1)))
    for start in range(0, X.shape[0], block):
        stop = min(X.shape[0], start + block)
        out[start:stop] = to_numpy(_block_margins(xp, X[start:stop, ...], y[start:stop], U, A, epsilon))


def _admm(X, D, L, b1, beta, penalty, dual_step, v, s, lam, nu, first, n_steps, record_at, out_primal, out_dual,
          out_objective, y):
    xp = array_namespace(X, L, v)
    zero, _ = _constants(xp)
    E = xp.concat([2.0 * D - 1.0, 2.0 * D - 1.0], axis=0)  # (2P, n) signs of G's blocks
    # the standard has no triangular solve: invert the factor once (N^3, like the factorisation)
    # and apply L^{-T} L^{-1} by two products per iteration (the kernel's two substitutions)
    L_inv = xp.linalg.inv(L)
    tau = beta / penalty
    V, S, Lam, Nu = v, s, lam, nu
    for it in range(n_steps):
        rhs = b1 + xp.reshape(V - Lam, (-1,)) + xp.reshape((E * (S - Nu)) @ X, (-1,))
        u = xp.reshape(L_inv.mT @ (L_inv @ rhs), V.shape)
        a = u + Lam
        norms = xp.sqrt(xp.sum(a * a, axis=1))
        above = norms > tau
        shrink = xp.where(above, 1.0 - tau / xp.where(above, norms, xp.ones_like(norms)), zero)
        V_new = shrink[:, None] * a
        g = E * (u @ X.mT)
        S_new = xp.clip(g + Nu, min=0.0)
        hit = np.flatnonzero(record_at == first + it + 1)  # residuals only where recorded
        if hit.size:
            primal = xp.sum((u - V_new) ** 2) + xp.sum((g - S_new) ** 2)
            dual = xp.sum((V_new - V) ** 2) + xp.sum(((E * (S_new - S)) @ X) ** 2)
        Lam = Lam + dual_step * (u - V_new)
        Nu = Nu + dual_step * (g - S_new)
        V, S = V_new, S_new
        for j in hit:
            out_primal[j] = float(to_numpy(xp.sqrt(primal)))
            out_dual[j] = penalty * float(to_numpy(xp.sqrt(dual)))
            out_objective[j] = float(to_numpy(_admm_objective(X, D, V, y, beta)))
    _store((V, S, Lam, Nu), (v, s, lam, nu))


def _admm_objective(X, D, v, y, beta):
    xp = array_namespace(X, v)
    P = D.shape[0]
    z = xp.sum(D * ((v[:P, ...] - v[P:, ...]) @ X.mT), axis=0)
    return 0.5 * xp.sum((z - y) ** 2) + beta * xp.sum(xp.sqrt(xp.sum(v * v, axis=1)))
