r"""Private Numba kernels for ``problems.wide_networks``.

Arrays and scalars in, preallocated arrays out: no objects, no exceptions, no printing, no
random numbers (weights are drawn on the host and passed in), no ``fastmath``. Each kernel
has a NumPy twin of the same name and signature in ``_reference.py``; the tests hold them to
``rtol=1e-10``.

Shared conventions:

* a network's weights come as one array ``Z`` of shape ``(networks, width, d + 1)``: unit
  :math:`j` of network :math:`r` has input weights ``Z[r, j, :d]`` and readout weight
  ``Z[r, j, d]``;
* networks grow one hidden unit at a time: the network of width :math:`m'` is the first
  :math:`m'` units, and quantities are recorded when :math:`m'` equals ``record_at[k]``
  (so one pass gives every recorded width);
* the linear student carries its replicas as the columns of ``W`` (P, replicas), so the
  innermost loops run over replicas, contiguously.
"""
from __future__ import annotations

import numba
import numpy as np

# Integer codes shared with the wrappers and the NumPy twins.
RELU, LINEAR = 0, 1
DEVIATION, RELATIVE_DEVIATION, ENTRY_DEVIATION = 0, 1, 2


@numba.njit(cache=True)
def _activate(u, activation):
    """(phi(u), phi'(u)); relu'(0) is taken as 0."""
    if activation == LINEAR:
        return u, 1.0
    if u > 0.0:
        return u, 1.0
    return 0.0, 0.0


@numba.njit(cache=True)
def _ntk_widths(Z, X, gram, limit, activation, record_at, metric, out):
    r"""The empirical NTK :math:`\Theta_{m'} = \frac1{m'}\sum_{j\le m'}[\phi(u_{ij})\phi(u_{kj}) +
    a_j^2 x_i^\top x_k\,\phi'(u_{ij})\phi'(u_{kj})]` of each network (``Z[r]``) on the rows of ``X``,
    compared with ``limit`` at every recorded width: ``out[r, k]`` is
    :math:`\|\Theta_{m'} - \Theta_\infty\|_F`, the same divided by :math:`\|\Theta_\infty\|_F`, or
    :math:`|\Theta_{m'} - \Theta_\infty|` at entry (0, 1), by ``metric``."""
    networks, width, d = Z.shape[0], Z.shape[1], X.shape[1]
    n = X.shape[0]
    limit_norm = 0.0
    for i in range(n):
        for k in range(n):
            limit_norm += limit[i, k] * limit[i, k]
    limit_norm = np.sqrt(limit_norm)
    acc = np.empty((n, n))
    phi = np.empty(n)
    dphi = np.empty(n)
    for r in range(networks):
        acc[:, :] = 0.0
        c = 0
        for j in range(width):
            a2 = Z[r, j, d] * Z[r, j, d]
            for i in range(n):
                u = 0.0
                for q in range(d):
                    u += Z[r, j, q] * X[i, q]
                phi[i], dphi[i] = _activate(u, activation)
            for i in range(n):
                for k in range(n):
                    acc[i, k] += phi[i] * phi[k] + a2 * gram[i, k] * dphi[i] * dphi[k]
            if c < record_at.shape[0] and j + 1 == record_at[c]:
                if metric == ENTRY_DEVIATION:
                    out[r, c] = abs(acc[0, 1] / (j + 1) - limit[0, 1])
                else:
                    total = 0.0
                    for i in range(n):
                        for k in range(n):
                            dev = acc[i, k] / (j + 1) - limit[i, k]
                            total += dev * dev
                    out[r, c] = np.sqrt(total)
                    if metric == RELATIVE_DEVIATION:
                        out[r, c] /= limit_norm
                c += 1


@numba.njit(cache=True)
def _hidden_layer(Z, x, activation, record_at, second_moment, output):
    r"""For each network, at every recorded width :math:`m'`: the conditional variance of the
    output given the hidden layer, :math:`S_{m'} = \frac1{m'}\sum_{j\le m'}\phi(w_j^\top x)^2`
    (``second_moment``), and the output :math:`f_{m'} = m'^{-1/2}\sum_{j\le m'} a_j\phi(w_j^\top x)`
    (``output``)."""
    networks, width, d = Z.shape[0], Z.shape[1], x.shape[0]
    for r in range(networks):
        s = 0.0
        f = 0.0
        c = 0
        for j in range(width):
            u = 0.0
            for q in range(d):
                u += Z[r, j, q] * x[q]
            h, _ = _activate(u, activation)
            s += h * h
            f += Z[r, j, d] * h
            if c < record_at.shape[0] and j + 1 == record_at[c]:
                second_moment[r, c] = s / (j + 1)
                output[r, c] = f / np.sqrt(j + 1.0)
                c += 1


@numba.njit(cache=True)
def _linear_gd(X, y, w_bar, W, step_size, noise_var, record_at, test, train):
    r"""Gradient descent :math:`W \leftarrow W - \eta X^\top(XW - y)` on
    :math:`\frac12\|y - Xw\|^2` for every column of ``W`` (P, R), in place. At iteration
    :math:`k` = ``record_at[c]``: ``test[r, c]`` :math:`= \|w - \bar w\|^2/P + \sigma^2` (the
    population error for :math:`x \sim \mathcal N(0, I/P)`) and ``train[r, c]``
    :math:`= \|y - Xw\|^2/N`. Once an iterate is non-finite every remaining checkpoint reads
    ``+inf`` (the columns share one linear map, so they diverge together)."""
    N, P = X.shape[0], X.shape[1]
    R = W.shape[1]
    residual = np.empty((N, R))
    gradient = np.empty(R)
    c = 0
    for k in range(record_at[-1] + 1):
        for i in range(N):
            for r in range(R):
                residual[i, r] = -y[i]
            for p in range(P):
                xip = X[i, p]
                for r in range(R):
                    residual[i, r] += xip * W[p, r]
        if k == record_at[c]:
            finite = True
            for r in range(R):
                err = 0.0
                for p in range(P):
                    diff = W[p, r] - w_bar[p]
                    err += diff * diff
                fit = 0.0
                for i in range(N):
                    fit += residual[i, r] * residual[i, r]
                test[r, c] = err / P + noise_var
                train[r, c] = fit / N
                finite = finite and np.isfinite(test[r, c]) and np.isfinite(train[r, c])
            c += 1
            if not finite:
                test[:, c - 1:] = np.inf
                train[:, c - 1:] = np.inf
                return
            if c == record_at.shape[0]:
                return
        for p in range(P):
            gradient[:] = 0.0
            for i in range(N):
                xip = X[i, p]
                for r in range(R):
                    gradient[r] += xip * residual[i, r]
            for r in range(R):
                W[p, r] -= step_size * gradient[r]
