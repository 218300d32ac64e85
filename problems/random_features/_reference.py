r"""Array-API twins of ``_kernels.py`` (the same names, signatures and results; the standard's ``linalg``
extension inside: BLAS and LAPACK on NumPy, cuBLAS and cuSOLVER on CuPy).

Written against the array API standard (2023.12), so the same code runs on NumPy, CuPy and
``array_api_strict``: the namespace is read from the arrays passed in, which the public functions have
already moved to the back end's device. The tests hold them to the kernels at ``rtol=1e-10``.
"""
from __future__ import annotations

import numpy as np
from array_api_compat import array_namespace


def _weighted_grams(Mt, lam, G1, G2):
    """Writes ``G1``, ``G2`` (arrays of the caller) as the kernel does."""
    ML = Mt * lam[:, None]
    G1[...] = ML.mT @ Mt
    G2[...] = ML.mT @ ML


def _trace_solve(G1, G2):
    """NaN when ``G1`` is not numerically positive definite: LAPACK raises, and a factor with a
    non-positive diagonal is the trace cuSOLVER leaves when it does not (CuPy does not raise by default)."""
    xp = array_namespace(G1, G2)
    try:
        L = xp.linalg.cholesky(G1)
    except np.linalg.LinAlgError:
        return float("nan")
    if not bool(xp.all(xp.linalg.diagonal(L) > 0.0)):
        return float("nan")
    X = xp.linalg.solve(L, G2)
    return float(xp.linalg.trace(xp.linalg.solve(L, X.mT)))
