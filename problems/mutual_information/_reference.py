r"""NumPy twins of ``_kernels.py``: the same names, signatures and formulas, vectorised over the
samples of a chunk (sums in NumPy's pairwise order: they agree with the kernels' sequential sums
to far better than the ``rtol=1e-10`` the tests ask)."""
from __future__ import annotations

import numpy as np


def _log_ratio_chi2(u, v, n_pairs, rho):
    return -0.5 * n_pairs * np.log1p(-rho * rho) + rho * u / (2.0 * (1.0 + rho)) - rho * v / (2.0 * (1.0 - rho))


def _log_ratio_pairs(X, Y, rho):
    """Row sums of the per-pair log ratios (``X``, ``Y`` of shape ``(samples, pairs)``)."""
    c = -0.5 * np.log1p(-rho * rho)
    return np.sum(c + (2.0 * rho * X * Y - rho * rho * (X * X + Y * Y)) / (2.0 * (1.0 - rho * rho)), axis=-1)


def _partition_sums_chi2(U, V, n_pairs, rho, sums):
    sums[0] += np.sum(np.expm1(_log_ratio_chi2(U, V, n_pairs, rho)) ** 2)


def _information_sums_chi2(U, V, n_pairs, rho, mi, sums):
    sums[1] += np.sum((_log_ratio_chi2(U, V, n_pairs, rho) - mi) ** 2)


def _partition_sums_pairs(X, Y, rho, sums):
    sums[0] += np.sum(np.expm1(_log_ratio_pairs(X, Y, rho)) ** 2)


def _information_sums_pairs(X, Y, rho, mi, sums):
    sums[1] += np.sum((_log_ratio_pairs(X, Y, rho) - mi) ** 2)


def _tilted_sums_chi2(U, V, n_pairs, rho, mi, sums):
    log_r = _log_ratio_chi2(U, V, n_pairs, rho)
    sums[0] += np.sum(np.expm1(log_r))
    sums[1] += np.sum((log_r - mi) ** 2)


def _tilted_sums_pairs(X, Y, rho, mi, sums):
    log_r = _log_ratio_pairs(X, Y, rho)
    sums[0] += np.sum(np.expm1(log_r))
    sums[1] += np.sum((log_r - mi) ** 2)
