r"""NumPy twins of ``_kernels.py`` (the same names, signatures and results; BLAS and LAPACK inside)."""
from __future__ import annotations

import numpy as np


def _weighted_grams(Mt, lam, G1, G2):
    ML = Mt * lam[:, None]
    G1[:, :] = ML.T @ Mt
    G2[:, :] = ML.T @ ML


def _trace_solve(G1, G2):
    try:
        L = np.linalg.cholesky(G1)
    except np.linalg.LinAlgError:
        return np.nan
    X = np.linalg.solve(L, G2)
    return float(np.trace(np.linalg.solve(L, X.T)))
