r"""Private Numba kernels for ``problems.mutual_information.methods``.

Arrays and scalars in, preallocated arrays out: no objects, no exceptions, no printing, no
random numbers (the chi-square or Gaussian draws come from the host), no ``fastmath``. Each
kernel has a NumPy twin of the same name and signature in ``_reference.py``; the tests hold
them to ``rtol=1e-10``.

Each kernel adds one chunk of samples to ``sums``: ``sums[0] += sum (r - 1)^2`` over samples of
:math:`Q` (the terms of :math:`\mathrm{Var}_Q[r]`, with the exact mean :math:`\mathbb E_Q r = 1`), or
``sums[1] += sum (log r - I)^2`` over samples of :math:`P` (the terms of :math:`\mathrm{Var}_P[\log r]`,
with the exact mean :math:`\mathbb E_P\log r = I`); the ``_tilted`` kernels take samples of :math:`P` and
add both ``sum (r - 1)`` and ``sum (log r - I)^2``. :math:`r - 1` is computed as ``expm1(log r)`` (no
cancellation for small :math:`\rho`).
"""
from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True)
def _log_ratio_chi2(u, v, n_pairs, rho):
    r""":math:`\log r = -\frac d2\log(1 - \rho^2) + \frac{\rho u}{2(1+\rho)} - \frac{\rho v}{2(1-\rho)}`."""
    return -0.5 * n_pairs * np.log1p(-rho * rho) + rho * u / (2.0 * (1.0 + rho)) - rho * v / (2.0 * (1.0 - rho))


@numba.njit(cache=True)
def _log_ratio_pairs(x, y, rho):
    r""":math:`\sum_j -\frac12\log(1-\rho^2) + \frac{2\rho x_jy_j - \rho^2(x_j^2 + y_j^2)}{2(1-\rho^2)}`."""
    acc = 0.0
    c = -0.5 * np.log1p(-rho * rho)
    scale = 2.0 * (1.0 - rho * rho)
    for j in range(x.size):
        acc += c + (2.0 * rho * x[j] * y[j] - rho * rho * (x[j] * x[j] + y[j] * y[j])) / scale
    return acc


@numba.njit(cache=True)
def _partition_sums_chi2(U, V, n_pairs, rho, sums):
    acc = 0.0
    for i in range(U.size):
        dev = np.expm1(_log_ratio_chi2(U[i], V[i], n_pairs, rho))
        acc += dev * dev
    sums[0] += acc


@numba.njit(cache=True)
def _information_sums_chi2(U, V, n_pairs, rho, mi, sums):
    acc = 0.0
    for i in range(U.size):
        dev = _log_ratio_chi2(U[i], V[i], n_pairs, rho) - mi
        acc += dev * dev
    sums[1] += acc


@numba.njit(cache=True)
def _partition_sums_pairs(X, Y, rho, sums):
    acc = 0.0
    for i in range(X.shape[0]):
        dev = np.expm1(_log_ratio_pairs(X[i], Y[i], rho))
        acc += dev * dev
    sums[0] += acc


@numba.njit(cache=True)
def _information_sums_pairs(X, Y, rho, mi, sums):
    acc = 0.0
    for i in range(X.shape[0]):
        dev = _log_ratio_pairs(X[i], Y[i], rho) - mi
        acc += dev * dev
    sums[1] += acc


@numba.njit(cache=True)
def _tilted_sums_chi2(U, V, n_pairs, rho, mi, sums):
    r"""Samples of :math:`P`: ``sums[0] += sum (r - 1)`` (the change of measure
    :math:`\mathrm{Var}_Q[r] = \mathbb E_P[r] - 1`), ``sums[1] += sum (log r - I)^2``."""
    acc, acc2 = 0.0, 0.0
    for i in range(U.size):
        log_r = _log_ratio_chi2(U[i], V[i], n_pairs, rho)
        acc += np.expm1(log_r)
        acc2 += (log_r - mi) * (log_r - mi)
    sums[0] += acc
    sums[1] += acc2


@numba.njit(cache=True)
def _tilted_sums_pairs(X, Y, rho, mi, sums):
    acc, acc2 = 0.0, 0.0
    for i in range(X.shape[0]):
        log_r = _log_ratio_pairs(X[i], Y[i], rho)
        acc += np.expm1(log_r)
        acc2 += (log_r - mi) * (log_r - mi)
    sums[0] += acc
    sums[1] += acc2
