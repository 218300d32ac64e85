r"""Private Numba kernel for ``problems.kernel_ridge.methods``.

Arrays and scalars in, preallocated arrays out: no objects, no exceptions, no printing, no
random numbers, no ``fastmath``. The NumPy twin of the same name and signature is in
``_reference.py``; both run the same operations in the same order (triangular solves and
the product with :math:`K` column by column), so the tests hold them to ``rtol=1e-10`` even
where the iterates agree with their limit to round-off.
"""
from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True)
def _ridge_solve(K, chol, z, alpha, f):
    r"""``f = K (K + lambda I)^{-1} z`` with ``chol`` the lower Cholesky factor of ``K + lambda I``:
    forward then backward substitution, column-oriented, then ``f = K alpha``."""
    n = z.size
    for i in range(n):
        alpha[i] = z[i]
    for j in range(n):  # chol alpha' = z
        alpha[j] = alpha[j] / chol[j, j]
        for i in range(j + 1, n):
            alpha[i] -= chol[i, j] * alpha[j]
    for j in range(n - 1, -1, -1):  # chol^T alpha = alpha'
        alpha[j] = alpha[j] / chol[j, j]
        for i in range(j):
            alpha[i] -= chol[j, i] * alpha[j]
    for i in range(n):
        f[i] = 0.0
    for j in range(n):
        for i in range(n):
            f[i] += K[i, j] * alpha[j]


@numba.njit(cache=True)
def _distill(K, chol, y, xi, record_at, F):
    r"""Round 0: :math:`f_0 = S y`; round :math:`t \ge 1`: :math:`f_t = S(\xi y + (1 - \xi)f_{t-1})`,
    :math:`S = K(K + \lambda I)^{-1}`. ``F[k] = f_t`` at :math:`t` = ``record_at[k]``."""
    n = y.size
    f = np.empty(n)
    z = np.empty(n)
    alpha = np.empty(n)
    _ridge_solve(K, chol, y, alpha, f)
    k = 0
    n_rounds = record_at[-1]
    for t in range(n_rounds + 1):
        if t == record_at[k]:
            for i in range(n):
                F[k, i] = f[i]
            k += 1
        if t == n_rounds:
            break
        for i in range(n):
            z[i] = xi * y[i] + (1.0 - xi) * f[i]
        _ridge_solve(K, chol, z, alpha, f)
