r"""Array-API twins of ``_kernels.py``: the same names, signatures and arithmetic, vectorised over
networks (or replicas) with whole-array operations.

They are written against the array API standard (2023.12), so the same code runs on NumPy, CuPy
and ``array_api_strict``: the namespace is read from the arrays passed in (``array_namespace``),
which the public methods have already moved to the back end's device. ``record_at`` and the
output arrays stay host NumPy arrays: the loop control never reads the device, and a recorded
value comes home once per checkpoint (``to_numpy``). They are the reference the Numba kernels are
tested against (``rtol=1e-10``); sums may run in another order (BLAS, cumulative sums), which
changes the last bits only. Overflow is allowed (the methods silence NumPy's warnings around the
call): divergence shows up as inf/NaN.
"""
from __future__ import annotations

import numpy as np
from array_api_compat import array_namespace

from problems.backend import to_device, to_numpy

from ._kernels import ENTRY_DEVIATION, LINEAR, RELATIVE_DEVIATION


def _activate(xp, U, activation):
    """``(phi(U), phi'(U))`` elementwise; relu'(0) is 0, as in the kernel."""
    if activation == LINEAR:
        return U, xp.ones_like(U)
    positive = U > 0.0
    return xp.where(positive, U, xp.zeros_like(U)), xp.astype(positive, xp.float64)


def _ntk_widths(Z, X, gram, limit, activation, record_at, metric, out):
    xp = array_namespace(Z, X)
    d, n = X.shape[1], X.shape[0]
    limit_norm = xp.sqrt(xp.sum(limit * limit))
    acc = xp.zeros((Z.shape[0], n, n), dtype=xp.float64)
    start = 0
    for c, stop in enumerate(record_at.tolist()):  # the units between two recorded widths, as one block
        block = Z[:, start:stop, :]
        phi, dphi = _activate(xp, block[:, :, :d] @ X.mT, activation)  # (networks, units, n)
        a2 = block[:, :, d:] ** 2  # (networks, units, 1)
        # sum_j phi_ij phi_kj and sum_j a_j^2 phi'_ij phi'_kj: two batched (n x units)(units x n) products
        acc = acc + phi.mT @ phi + gram * ((a2 * dphi).mT @ dphi)
        deviation = acc / stop - limit
        if metric == ENTRY_DEVIATION:
            value = xp.abs(deviation[:, 0, 1])
        else:
            value = xp.sqrt(xp.sum(deviation**2, axis=(1, 2)))
            if metric == RELATIVE_DEVIATION:
                value = value / limit_norm
        out[:, c] = to_numpy(value)
        start = stop


def _hidden_layer(Z, x, activation, record_at, second_moment, output):
    xp = array_namespace(Z, x)
    d = x.shape[0]
    h, _ = _activate(xp, Z[:, :, :d] @ x, activation)  # (networks, width)
    squares = xp.cumulative_sum(h * h, axis=1)
    outputs = xp.cumulative_sum(Z[:, :, d] * h, axis=1)
    widths = np.asarray(record_at)
    at, scale = to_device(xp, widths - 1), to_device(xp, widths.astype(np.float64))  # columns, widths
    second_moment[:, :] = to_numpy(xp.take(squares, at, axis=1) / scale)
    output[:, :] = to_numpy(xp.take(outputs, at, axis=1) / xp.sqrt(scale))


def _linear_gd(X, y, w_bar, W, step_size, noise_var, record_at, test, train):
    xp = array_namespace(X, W)
    N, P = X.shape
    targets, teacher = y[:, None], w_bar[:, None]
    w = W  # rebound at each step; written back into W at the end (the kernel's in-place contract)
    c = 0
    for k in range(int(record_at[-1]) + 1):
        residual = X @ w - targets  # (N, R)
        if k == record_at[c]:
            test[:, c] = to_numpy(xp.sum((w - teacher) ** 2, axis=0) / P + noise_var)
            train[:, c] = to_numpy(xp.sum(residual**2, axis=0) / N)
            c += 1
            if not (np.isfinite(test[:, c - 1]).all() and np.isfinite(train[:, c - 1]).all()):
                test[:, c - 1:] = np.inf
                train[:, c - 1:] = np.inf
                break
            if c == record_at.shape[0]:
                break
        w = w - step_size * (X.mT @ residual)
    W[...] = w

