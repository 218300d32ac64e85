r"""Private Numba kernels for ``problems.random_features``: the two weighted Gram matrices of a random
projection and :math:`\operatorname{tr}(G_1^{-1}G_2)` by a Cholesky factorisation.

Why kernels and not BLAS/LAPACK: these are the only heavy operations of the package
(:math:`P^2S` for the Grams), and multi-threaded OpenBLAS, sharing two cores with other worker
processes, ran them 25 times slower than one thread (15 s against 0.6 s for a quick claim). The
kernels are single-threaded, accumulate rank-one updates row by row (contiguous inner loops, no
reductions to reorder, so no ``fastmath`` is needed to vectorise them), raise nothing and draw
nothing. Each has a NumPy twin of the same name and signature in ``_reference.py`` (tests: ``rtol=1e-10``).
"""
from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True)
def _weighted_grams(Mt, lam, G1, G2):
    r""":math:`G_1 = M\Lambda M^\top`, :math:`G_2 = M\Lambda^2M^\top` from ``Mt`` :math:`= M^\top` (S, P)."""
    S, P = Mt.shape
    G1[:, :] = 0.0
    G2[:, :] = 0.0
    for k in range(S):
        l1 = lam[k]
        l2 = l1 * l1
        for a in range(P):
            c1 = l1 * Mt[k, a]
            c2 = l2 * Mt[k, a]
            for b in range(a, P):
                G1[a, b] += c1 * Mt[k, b]
                G2[a, b] += c2 * Mt[k, b]
    for a in range(P):
        for b in range(a):
            G1[a, b] = G1[b, a]
            G2[a, b] = G2[b, a]


@numba.njit(cache=True)
def _trace_solve(G1, G2):
    r""":math:`\operatorname{tr}(G_1^{-1}G_2)` for symmetric :math:`G_1 \succ 0`, :math:`G_2`: Cholesky
    :math:`G_1 = LL^\top`, then :math:`\operatorname{tr}(L^{-1}G_2L^{-\top})` by two forward substitutions.
    NaN when :math:`G_1` is not numerically positive definite."""
    P = G1.shape[0]
    L = np.zeros((P, P))
    for j in range(P):
        acc = G1[j, j]
        for k in range(j):
            acc -= L[j, k] * L[j, k]
        if not acc > 0.0:
            return np.nan
        L[j, j] = np.sqrt(acc)
        for i in range(j + 1, P):
            acc = G1[i, j]
            for k in range(j):
                acc -= L[i, k] * L[j, k]
            L[i, j] = acc / L[j, j]
    X = G2.copy()  # X := L^{-1} G2, column by column through the rows
    for i in range(P):
        for k in range(i):
            for c in range(P):
                X[i, c] -= L[i, k] * X[k, c]
        for c in range(P):
            X[i, c] /= L[i, i]
    Y = X.T.copy()  # Y := L^{-1} X^T = L^{-1} G2 L^{-T}; only its diagonal is needed
    total = 0.0
    for i in range(P):
        for k in range(i):
            for c in range(P):
                Y[i, c] -= L[i, k] * Y[k, c]
        for c in range(P):
            Y[i, c] /= L[i, i]
        total += Y[i, i]
    return total
