r"""Array-API twin of ``_kernels.py``: the same names, signatures and arithmetic, in the same order
(column-oriented triangular solves and product with :math:`K`, vectorised over the rows), so that the
iterates agree with the kernel's to the last bits.

Written against the array API standard (2023.12), so the same code runs on NumPy, CuPy and
``array_api_strict``: the namespace is read from the arrays passed in, which the public method has
already moved to the back end's device; ``record_at`` and ``F`` stay host NumPy, a checkpoint's
iterate comes home once (``to_numpy``). The substitutions are inherently sequential (one column
after the other, each an elementwise update of a slice): the loop over columns stays on the host,
and no step reads a number from the device. A single product ``K @ alpha`` or a precomputed
:math:`S = K(K + \lambda I)^{-1}` would be faster but sums in another order, and the converged rounds
differ from their limit only by that round-off.
"""
from __future__ import annotations

from array_api_compat import array_namespace

from problems.backend import to_numpy


def _ridge_solve(K, chol, z, alpha, f):
    """Writes ``alpha`` and ``f`` (arrays of the caller) as the kernel does."""
    n = z.shape[0]
    alpha[:] = z
    for j in range(n):  # chol alpha' = z
        alpha[j] = alpha[j] / chol[j, j]
        alpha[j + 1:] = alpha[j + 1:] - chol[j + 1:, j] * alpha[j]
    for j in range(n - 1, -1, -1):  # chol^T alpha = alpha'
        alpha[j] = alpha[j] / chol[j, j]
        alpha[:j] = alpha[:j] - chol[j, :j] * alpha[j]
    f[:] = 0.0
    for j in range(n):
        f[:] = f + K[:, j] * alpha[j]


def _distill(K, chol, y, xi, record_at, F):
    xp = array_namespace(K, y)
    n = y.shape[0]
    f, alpha = xp.empty(n, dtype=xp.float64), xp.empty(n, dtype=xp.float64)
    _ridge_solve(K, chol, y, alpha, f)
    k = 0
    for t in range(record_at[-1] + 1):
        if t == record_at[k]:
            F[k] = to_numpy(f)
            k += 1
        if t == record_at[-1]:
            break
        _ridge_solve(K, chol, xi * y + (1.0 - xi) * f, alpha, f)
