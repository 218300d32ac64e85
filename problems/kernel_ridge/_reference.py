r"""NumPy twin of ``_kernels.py``: the same name, signature and arithmetic, in the same order
(column-oriented triangular solves and product with :math:`K`, vectorised over the rows), so
that the iterates agree with the kernel's to the last bits."""
from __future__ import annotations

import numpy as np


def _ridge_solve(K, chol, z, alpha, f):
    n = z.size
    alpha[:] = z
    for j in range(n):
        alpha[j] = alpha[j] / chol[j, j]
        alpha[j + 1:] -= chol[j + 1:, j] * alpha[j]
    for j in range(n - 1, -1, -1):
        alpha[j] = alpha[j] / chol[j, j]
        alpha[:j] -= chol[j, :j] * alpha[j]
    f[:] = 0.0
    for j in range(n):
        f += K[:, j] * alpha[j]


def _distill(K, chol, y, xi, record_at, F):
    n = y.size
    f, alpha = np.empty(n), np.empty(n)
    _ridge_solve(K, chol, y, alpha, f)
    k = 0
    for t in range(record_at[-1] + 1):
        if t == record_at[k]:
            F[k] = f
            k += 1
        if t == record_at[-1]:
            break
        _ridge_solve(K, chol, xi * y + (1.0 - xi) * f, alpha, f)
