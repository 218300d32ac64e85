r"""Low-rank matrix sensing instances that carry their exact constants.

A ground truth :math:`M_\star` of rank :math:`r` is observed either fully (``n_measurements
= 0``: the loss sees :math:`M_\star` itself) or through :math:`m` linear measurements

.. math:: y_i = \langle A_i, M_\star\rangle + \sigma\,\xi_i, \qquad i = 1, \dots, m,

with Gaussian sensing matrices normalised so that
:math:`\mathbb E\langle A_i, M\rangle^2 = \|M\|_F^2` for every :math:`M` of the instance's
kind (symmetric, or any :math:`n_1\times n_2`). The measurements are drawn in a fixed
order, so the first :math:`m'` of them are an instance with :math:`m'` measurements:
a search over the number of measurements can use nested subsets of one instance.

Every constant is computed from the matrix built (an SVD of the stored ``M_star``, or of
``M_star V`` for large ones), never copied from the generator's nominal inputs. All
randomness comes from ``rng``.
"""
from __future__ import annotations

import numpy as np

from problems.types import Instance

from . import _checks


def symmetric_low_rank(rng: np.random.Generator, *, dim=20, rank=2, singular_values=None,
                       n_measurements=0, outlier_fraction=0.0, outlier_scale=100.0,
                       noise=0.0) -> Instance:
    r"""A PSD ground truth :math:`M_\star = U \operatorname{diag}(\sigma) U^\top`, sensed or not.

    :math:`U \in \mathbb R^{n\times r}` is Haar-random with orthonormal columns (QR of a
    Gaussian with the sign fix); :math:`\sigma` (``singular_values``, non-increasing,
    positive) defaults to ``geomspace(1, 0.5, r)``. With :math:`m` = ``n_measurements``
    :math:`> 0`, :math:`A_i = (G_i + G_i^\top)/2` with :math:`G_i` i.i.d. standard Gaussian
    entries: for symmetric :math:`M`, :math:`\langle A_i, M\rangle = \langle G_i, M\rangle
    \sim N(0, \|M\|_F^2)`, so :math:`\mathbb E\langle A_i, M\rangle^2 = \|M\|_F^2` with no
    further scaling (off-diagonal entries of :math:`A_i` have variance 1/2, diagonal ones 1).
    Then :math:`y_i = \langle A_i, M_\star\rangle + \sigma_{\mathrm{noise}}\xi_i`, and a
    uniformly random subset of ``round(outlier_fraction * m)`` measurements is replaced by
    ``outlier_scale`` :math:`\cdot N(0, 1)` (gross corruptions, as in Ma & Fattahi).

    Draw order: the Gaussian for :math:`U`; then :math:`G` of shape ``(m, n, n)``; the
    noise :math:`\xi` (always drawn, so instances differing only in ``noise`` share it);
    the corrupted subset; the outlier values.

    Returns
    -------
    Instance
        ``data``: ``M_star``, ``U``, ``singular_values`` (the :math:`\sigma` it was built
        from) and, when :math:`m > 0`, ``A`` (m, n, n), ``y`` (m,) and ``corrupted`` (a
        boolean mask, (m,)); for full observation these three are absent.
        ``constants``: ``sigma_1``, ``sigma_r``, ``kappa`` :math:`=\sigma_1/\sigma_r`,
        ``norm_M`` :math:`=\|M_\star\|_F`, ``rank``, ``dim``, ``n_measurements`` (0 for full
        observation), ``outlier_fraction`` (the realised fraction), ``noise``.
    """
    rng = _checks.generator(rng)
    n = _checks.integer("dim", dim, low=1)
    r = _checks.integer("rank", rank, low=1, high=n, fix=f"pass 1 <= rank <= dim={n}")
    sigma = _singular_values(singular_values, r)
    m, noise = _measurement_count(n_measurements), _checks.nonnegative("noise", noise)
    fraction = _checks.real("outlier_fraction", outlier_fraction, low=0.0, high=1.0,
                            high_open=True, fix="pass the fraction of corrupted measurements")
    scale = _checks.nonnegative("outlier_scale", outlier_scale,
                                fix="pass the standard deviation of the outliers")
    _needs_measurements(m, noise=noise, outlier_fraction=fraction)
    U = _orthonormal(rng, n, r)
    M_star = (U * sigma) @ U.T
    M_star = 0.5 * (M_star + M_star.T)  # exactly symmetric, whatever the BLAS summation order
    data = {"M_star": M_star, "U": U, "singular_values": sigma}
    if m > 0:
        G = rng.standard_normal((m, n, n))
        A = 0.5 * (G + G.transpose(0, 2, 1))
        data.update(_measure(rng, A, M_star, noise, fraction, scale))
    constants = {**_spectral_constants(M_star, r, U), "dim": n, "n_measurements": m,
                 "outlier_fraction": np.mean(data["corrupted"]) if m else 0.0, "noise": noise}
    return Instance(data=data, constants=_floats(constants),
                    name=f"symmetric_low_rank(n={n}, r={r}, m={m or 'full'})")


def asymmetric_low_rank(rng: np.random.Generator, *, rows=20, cols=15, rank=2,
                        singular_values=None, n_measurements=0, noise=0.0) -> Instance:
    r"""A rectangular ground truth :math:`M_\star = U \operatorname{diag}(\sigma) V^\top`.

    :math:`U \in \mathbb R^{n_1\times r}`, :math:`V \in \mathbb R^{n_2\times r}` Haar-random,
    drawn in that order; :math:`\sigma` as in :func:`symmetric_low_rank`. With :math:`m > 0`
    the sensing matrices have i.i.d. :math:`N(0, 1)` entries, shape ``(m, n1, n2)``, so
    :math:`\langle A_i, M\rangle \sim N(0, \|M\|_F^2)` for every :math:`M`; then
    :math:`y_i = \langle A_i, M_\star\rangle + \sigma_{\mathrm{noise}}\xi_i` (no outliers).

    Returns
    -------
    Instance
        ``data``: ``M_star``, ``U``, ``V``, ``singular_values`` and, when :math:`m > 0`,
        ``A``, ``y``, ``corrupted`` (all ``False``). ``constants``: as for
        :func:`symmetric_low_rank` with ``rows``, ``cols`` in place of ``dim``
        (``outlier_fraction`` is 0).
    """
    rng = _checks.generator(rng)
    n1 = _checks.integer("rows", rows, low=1)
    n2 = _checks.integer("cols", cols, low=1)
    r = _checks.integer("rank", rank, low=1, high=min(n1, n2),
                        fix=f"pass 1 <= rank <= min(rows, cols)={min(n1, n2)}")
    sigma = _singular_values(singular_values, r)
    m, noise = _measurement_count(n_measurements), _checks.nonnegative("noise", noise)
    _needs_measurements(m, noise=noise)
    U = _orthonormal(rng, n1, r)
    V = _orthonormal(rng, n2, r)
    M_star = (U * sigma) @ V.T
    data = {"M_star": M_star, "U": U, "V": V, "singular_values": sigma}
    if m > 0:
        data.update(_measure(rng, rng.standard_normal((m, n1, n2)), M_star, noise, 0.0, 0.0))
    constants = {**_spectral_constants(M_star, r, V), "rows": n1, "cols": n2,
                 "n_measurements": m, "outlier_fraction": 0.0, "noise": noise}
    return Instance(data=data, constants=_floats(constants),
                    name=f"asymmetric_low_rank(n1={n1}, n2={n2}, r={r}, m={m or 'full'})")


def _measure(rng, A, M_star, noise, fraction, scale) -> dict:
    """``A``, ``y`` and ``corrupted`` for the sensing matrices ``A`` (see the generators)."""
    m = A.shape[0]
    y = A.reshape(m, -1) @ M_star.ravel() + noise * rng.standard_normal(m)
    corrupted = np.zeros(m, dtype=bool)
    corrupted[rng.choice(m, size=int(round(fraction * m)), replace=False)] = True
    y[corrupted] = scale * rng.standard_normal(int(corrupted.sum()))
    return {"A": A, "y": y, "corrupted": corrupted}


def _singular_values(values, r: int) -> np.ndarray:
    if values is None:
        return np.geomspace(1.0, 0.5, r)
    sigma = np.asarray(values, dtype=np.float64)
    if (sigma.shape != (r,) or not np.all(np.isfinite(sigma)) or np.any(sigma <= 0)
            or np.any(np.diff(sigma) > 0)):
        raise ValueError(f"singular_values must be {r} positive finite numbers (one per rank), "
                         f"in non-increasing order, got {values!r}")
    return sigma


def _measurement_count(n_measurements) -> int:
    return _checks.integer("n_measurements", n_measurements, low=0,
                           fix="pass 0 for full observation or the number of measurements")


def _needs_measurements(m: int, **levels) -> None:
    """Noise and outliers act on measurements: refuse them under full observation."""
    for name, value in levels.items():
        if m == 0 and value > 0:
            raise ValueError(f"{name}={value!r} needs measurements, got n_measurements=0 "
                             f"(full observation); pass n_measurements > 0 or {name}=0")


# Above this size a full SVD of M_star (O(n^3), seconds to minutes) is replaced by the SVD of
# the n x r matrix M_star V; no smaller instance changes, bit for bit.
_FULL_SVD_MAX_DIM = 1024


def _spectral_constants(M_star: np.ndarray, r: int, V: np.ndarray) -> dict:
    r"""``sigma_1``, ``sigma_r``, ``kappa``, ``norm_M``, ``rank`` of the stored ``M_star``.

    ``V`` (orthonormal columns) spans its row space, so :math:`M_\star = (M_\star V)V^\top`
    and the :math:`r` nonzero singular values of :math:`M_\star` are those of the
    :math:`n_1\times r` matrix :math:`M_\star V` (:math:`O(n_1n_2r)`, equal to rounding).
    That route is taken only above ``_FULL_SVD_MAX_DIM`` rows or columns, so smaller
    instances keep the constants of the full SVD bit for bit.
    """
    if max(M_star.shape) <= _FULL_SVD_MAX_DIM:
        sv = np.linalg.svd(M_star, compute_uv=False)[:r]
    else:
        sv = np.linalg.svd(M_star @ V, compute_uv=False)
    return {"sigma_1": sv[0], "sigma_r": sv[-1], "kappa": sv[0] / sv[-1],
            "norm_M": np.linalg.norm(M_star), "rank": r}


def _orthonormal(rng: np.random.Generator, rows: int, cols: int) -> np.ndarray:
    """Haar-distributed orthonormal columns: QR of a Gaussian, signs fixed by diag(R)."""
    Q, R = np.linalg.qr(rng.standard_normal((rows, cols)))
    return Q * np.where(np.diag(R) < 0, -1.0, 1.0)


def _floats(constants: dict) -> dict:
    return {key: float(value) for key, value in constants.items()}
