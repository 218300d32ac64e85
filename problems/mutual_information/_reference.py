r"""Array-API twins of ``_kernels.py``: the same names, signatures and formulas, vectorised over the
samples of a chunk (sums in the library's pairwise order: they agree with the kernels' sequential
sums to far better than the ``rtol=1e-10`` the tests ask).

They are written against the array API standard (2023.12), so the same code runs on NumPy, CuPy
and ``array_api_strict``: the namespace is read from the sample arrays, which the public method
has already moved to the back end's device. ``sums`` stays a host NumPy array: each chunk adds
its two reductions to it (one device-to-host copy per chunk of about a million samples).
The scalars ``n_pairs``, ``rho``, ``mi`` are Python floats; their logarithms are taken on the
host (``math.log1p``), once per chunk.
"""
from __future__ import annotations

import math

from array_api_compat import array_namespace

from problems.backend import to_numpy


def _log_ratio_chi2(u, v, n_pairs, rho):
    return -0.5 * n_pairs * math.log1p(-rho * rho) + rho * u / (2.0 * (1.0 + rho)) - rho * v / (2.0 * (1.0 - rho))


def _log_ratio_pairs(X, Y, rho):
    """Row sums of the per-pair log ratios (``X``, ``Y`` of shape ``(samples, pairs)``)."""
    xp = array_namespace(X, Y)
    c = -0.5 * math.log1p(-rho * rho)
    return xp.sum(c + (2.0 * rho * X * Y - rho * rho * (X * X + Y * Y)) / (2.0 * (1.0 - rho * rho)), axis=-1)


def _total(xp, terms) -> float:
    return float(to_numpy(xp.sum(terms)))


def _partition_sums_chi2(U, V, n_pairs, rho, sums):
    xp = array_namespace(U, V)
    sums[0] += _total(xp, xp.expm1(_log_ratio_chi2(U, V, n_pairs, rho)) ** 2)


def _information_sums_chi2(U, V, n_pairs, rho, mi, sums):
    xp = array_namespace(U, V)
    sums[1] += _total(xp, (_log_ratio_chi2(U, V, n_pairs, rho) - mi) ** 2)


def _partition_sums_pairs(X, Y, rho, sums):
    xp = array_namespace(X, Y)
    sums[0] += _total(xp, xp.expm1(_log_ratio_pairs(X, Y, rho)) ** 2)


def _information_sums_pairs(X, Y, rho, mi, sums):
    xp = array_namespace(X, Y)
    sums[1] += _total(xp, (_log_ratio_pairs(X, Y, rho) - mi) ** 2)


def _tilted_sums_chi2(U, V, n_pairs, rho, mi, sums):
    xp = array_namespace(U, V)
    log_r = _log_ratio_chi2(U, V, n_pairs, rho)
    sums[0] += _total(xp, xp.expm1(log_r))
    sums[1] += _total(xp, (log_r - mi) ** 2)


def _tilted_sums_pairs(X, Y, rho, mi, sums):
    xp = array_namespace(X, Y)
    log_r = _log_ratio_pairs(X, Y, rho)
    sums[0] += _total(xp, xp.expm1(log_r))
    sums[1] += _total(xp, (log_r - mi) ** 2)
