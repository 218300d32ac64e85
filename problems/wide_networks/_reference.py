r"""NumPy twins of ``_kernels.py``: the same names, signatures and arithmetic, vectorised over
networks (or replicas) with plain array operations.

They are the reference the Numba kernels are tested against (``rtol=1e-10``); sums may run in
another order (BLAS, cumulative sums), which changes the last bits only.
"""
from __future__ import annotations

import numpy as np

from ._kernels import ENTRY_DEVIATION, LINEAR, RELATIVE_DEVIATION


def _activate(U, activation):
    if activation == LINEAR:
        return U, np.ones_like(U)
    positive = U > 0.0
    return np.where(positive, U, 0.0), positive.astype(np.float64)


def _ntk_widths(Z, X, gram, limit, activation, record_at, metric, out):
    d = X.shape[1]
    limit_norm = np.sqrt(np.sum(limit * limit))
    acc = np.zeros((Z.shape[0], X.shape[0], X.shape[0]))
    start = 0
    for c, stop in enumerate(record_at):  # the units between two recorded widths, as one block
        block = Z[:, start:stop]
        phi, dphi = _activate(block[:, :, :d] @ X.T, activation)  # (networks, units, n)
        a2 = block[:, :, d] ** 2
        acc += np.einsum("rji,rjk->rik", phi, phi) + gram * np.einsum("rj,rji,rjk->rik", a2, dphi, dphi)
        deviation = acc / stop - limit
        if metric == ENTRY_DEVIATION:
            out[:, c] = np.abs(deviation[:, 0, 1])
        else:
            out[:, c] = np.sqrt(np.sum(deviation**2, axis=(1, 2)))
            if metric == RELATIVE_DEVIATION:
                out[:, c] /= limit_norm
        start = stop


def _hidden_layer(Z, x, activation, record_at, second_moment, output):
    d = x.shape[0]
    h, _ = _activate(Z[:, :, :d] @ x, activation)  # (networks, width)
    squares = np.cumsum(h * h, axis=1)
    outputs = np.cumsum(Z[:, :, d] * h, axis=1)
    widths = np.asarray(record_at)
    second_moment[:, :] = squares[:, widths - 1] / widths
    output[:, :] = outputs[:, widths - 1] / np.sqrt(widths.astype(np.float64))


def _linear_gd(X, y, w_bar, W, step_size, noise_var, record_at, test, train):
    N, P = X.shape
    c = 0
    with np.errstate(all="ignore"):
        for k in range(record_at[-1] + 1):
            residual = X @ W - y[:, None]
            if k == record_at[c]:
                test[:, c] = np.sum((W - w_bar[:, None]) ** 2, axis=0) / P + noise_var
                train[:, c] = np.sum(residual**2, axis=0) / N
                c += 1
                if not (np.isfinite(test[:, c - 1]).all() and np.isfinite(train[:, c - 1]).all()):
                    test[:, c - 1:] = np.inf
                    train[:, c - 1:] = np.inf
                    return
                if c == record_at.shape[0]:
                    return
            W -= step_size * (X.T @ residual)
