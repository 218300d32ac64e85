r"""Least-squares instances that carry their exact constants.

Loss convention for all of ``problems.least_squares``:

.. math::

    f(x) = \frac{1}{2n}\|Ax - b\|^2 = \frac1n \sum_{i=1}^n f_i(x), \qquad
    f_i(x) = \tfrac12 (a_i^\top x - b_i)^2, \qquad H = \nabla^2 f = \frac1n A^\top A,

so :math:`L = \lambda_{\max}(H)` and :math:`\mu = \lambda_{\min}(H)`. Every constant is
computed from the instance built (an eigen-decomposition of the stored ``H``), never
copied from the generator's nominal inputs. All randomness comes from ``rng``.
"""
from __future__ import annotations

import numpy as np

from problems.types import Instance

from . import _checks

SPECTRA = ("geometric", "power")


def gaussian_design(rng: np.random.Generator, *, n_samples, dim, condition_number=10.0,
                    spectrum="geometric", power=1.0, noise=0.0, x0_distance=1.0) -> Instance:
    r"""Least squares with a design whose Hessian has a prescribed spectrum.

    With :math:`r = \min(n, d)`, :math:`A = \sqrt{n}\, U \operatorname{diag}(\sqrt{\lambda}) V_r^\top`
    where :math:`U \in \mathbb{R}^{n\times r}` has orthonormal columns and :math:`V` is a
    Haar-random orthogonal :math:`d\times d` matrix (QR of a Gaussian with the sign fix), so
    :math:`H = A^\top A/n` has exactly the nonzero eigenvalues :math:`\lambda_1 \ge \dots \ge
    \lambda_r`: ``"geometric"`` spaces them from 1 down to ``1/condition_number``;
    ``"power"`` takes :math:`\lambda_i = i^{-\mathrm{power}}` (``condition_number`` ignored).
    Targets :math:`b = A x_{\mathrm{true}} + \sigma \xi` with
    :math:`x_{\mathrm{true}} \sim N(0, I/d)`, :math:`\xi \sim N(0, I_n)`, :math:`\sigma` =
    ``noise``. :math:`x_\star = A^+ b` (the minimum-norm solution when :math:`d > n`), and
    :math:`x_0 = x_\star + \mathrm{x0\_distance}\cdot u` with :math:`u` uniform on the sphere.

    Returns
    -------
    Instance
        ``data``: ``A``, ``b``, ``x0``, ``x_star``, ``H``, ``eigenvalues`` (all ``dim`` of
        them, descending, zeros included). ``constants``: ``L`` = ``lambda_max``, ``mu``
        (0 when ``dim > n_samples``), ``mu_plus`` (smallest nonzero eigenvalue),
        ``trace_H``, ``f_star`` :math:`= \frac{1}{2n}\|Ax_\star - b\|^2`, ``gap0``
        :math:`= f(x_0) - f_\star = \frac12 e^\top H e` with :math:`e = x_0 - x_\star`,
        ``dist0`` :math:`= \|e\|`, ``n_samples``, ``dim``, ``noise``.
    """
    n = _checks.integer("n_samples", n_samples, low=1)
    d = _checks.integer("dim", dim, low=1)
    lam = _spectrum(min(n, d), spectrum, condition_number, power)
    noise = _checks.real("noise", noise, low=0.0, fix="pass a noise level >= 0")
    x0_distance = _checks.real("x0_distance", x0_distance, low=0.0, fix="pass a distance >= 0")
    r = lam.size
    U = _orthonormal(rng, n, r)
    V = _orthonormal(rng, d, d)[:, :r]
    A = np.sqrt(n) * (U * np.sqrt(lam)) @ V.T
    x_true = rng.standard_normal(d) / np.sqrt(d)
    b = A @ x_true + noise * rng.standard_normal(n)
    x_star = V @ ((U.T @ b) / np.sqrt(n * lam))  # A^+ b from the factors, no normal equations
    x0 = x_star + x0_distance * _unit_vector(rng, d)
    H, eigenvalues = _hessian(A, rank=r)
    residual = A @ x_star - b
    e = x0 - x_star
    constants = {
        "L": eigenvalues[0], "mu": eigenvalues[-1], "mu_plus": eigenvalues[r - 1],
        "trace_H": np.trace(H), "lambda_max": eigenvalues[0],
        "f_star": 0.5 * (residual @ residual) / n, "gap0": 0.5 * (e @ (H @ e)),
        "dist0": np.linalg.norm(e), "n_samples": n, "dim": d, "noise": noise,
    }
    data = {"A": A, "b": b, "x0": x0, "x_star": x_star, "H": H, "eigenvalues": eigenvalues}
    return Instance(data=data, constants=_floats(constants), name="least_squares/gaussian_design")


def interpolation_design(rng: np.random.Generator, *, n_samples, dim, row_norm_spread=1.0,
                         column_scales=None) -> Instance:
    r"""Noiseless, interpolating least squares (:math:`b = 0`, :math:`x_\star = 0`).

    Meant for the linear stability of SGD at an interpolating minimum, where the dynamics
    only see the rows :math:`x_i`. A Gaussian :math:`n\times d` matrix has its columns
    scaled by ``column_scales`` (default ``geomspace(1, 0.3, dim)``), its rows :math:`g_i`
    normalised, and :math:`x_i = s_i\, g_i/\|g_i\|` with :math:`s_i` log-uniform in
    ``[1, row_norm_spread]``. :math:`H = \frac1n\sum_i x_i x_i^\top`.

    Returns
    -------
    Instance
        ``data``: ``A`` (rows :math:`x_i`), ``H``, and for use with the descent methods
        ``b`` (zeros), ``x_star`` (zeros), ``x0`` (a uniform unit vector), ``eigenvalues``.
        ``constants``: ``trace_H``, ``lambda_max`` (= ``L``), ``mu`` (0 when
        ``dim > n_samples``), ``max_row_norm_sq`` :math:`= \max_i\|x_i\|^2`,
        ``n_samples``, ``dim``.
    """
    n = _checks.integer("n_samples", n_samples, low=1)
    d = _checks.integer("dim", dim, low=1)
    spread = _checks.real("row_norm_spread", row_norm_spread, low=1.0,
                          fix="pass the ratio max/min of the row norms, >= 1")
    scales = np.geomspace(1.0, 0.3, d) if column_scales is None else np.asarray(
        column_scales, dtype=np.float64)
    if scales.shape != (d,) or not np.all(np.isfinite(scales)) or np.any(scales <= 0):
        raise ValueError(f"column_scales must be {d} positive finite numbers (one per column), "
                         f"got {column_scales!r}")
    G = rng.standard_normal((n, d)) * scales
    G /= np.linalg.norm(G, axis=1, keepdims=True)
    A = np.exp(rng.uniform(0.0, np.log(spread), n))[:, None] * G
    x0 = _unit_vector(rng, d)
    H, eigenvalues = _hessian(A, rank=min(n, d))
    constants = {
        "trace_H": np.trace(H), "lambda_max": eigenvalues[0], "L": eigenvalues[0],
        "mu": eigenvalues[-1], "max_row_norm_sq": np.max(np.einsum("ij,ij->i", A, A)),
        "n_samples": n, "dim": d,
    }
    data = {"A": A, "H": H, "b": np.zeros(n), "x_star": np.zeros(d), "x0": x0,
            "eigenvalues": eigenvalues}
    return Instance(data=data, constants=_floats(constants),
                    name="least_squares/interpolation_design")


def gaussian_population(rng: np.random.Generator, *, dim, spectrum="power", power=1.0,
                        condition_number=10.0, jitter=0.0, noise=0.0,
                        w0_distance=1.0) -> Instance:
    r"""Streaming linear regression: :math:`x \sim N(0, \Sigma)`, :math:`y = x^\top w_\star + \sigma\varepsilon`.

    :math:`\Sigma = \operatorname{diag}(\lambda)` with :math:`\lambda` as in
    :func:`gaussian_design` (``"power"`` or ``"geometric"``, :math:`r = d`), each entry
    multiplied by :math:`\exp(\mathrm{jitter}\cdot N(0,1))`, sorted descending and rescaled
    so that :math:`\lambda_{\max} = 1`. :math:`w_\star \sim N(0, I/d)`,
    :math:`w_0 = w_\star + \mathrm{w0\_distance}\cdot u`, :math:`u` uniform on the sphere,
    :math:`\varepsilon \sim N(0, 1)`, :math:`\sigma` = ``noise``.

    Returns
    -------
    Instance
        ``data``: ``eigenvalues`` (the diagonal of :math:`\Sigma`), ``w_star``, ``w0``.
        ``constants``: ``L`` = ``lambda_max``, ``mu``, ``trace_H`` :math:`=\operatorname{tr}\Sigma`,
        ``tr_over_lmax``, ``noise``, ``dim``, ``dist0`` :math:`=\|w_0 - w_\star\|`,
        ``excess_risk0`` :math:`=(w_0-w_\star)^\top\Sigma(w_0-w_\star)`.
    """
    d = _checks.integer("dim", dim, low=1)
    lam = _spectrum(d, spectrum, condition_number, power)
    jitter = _checks.real("jitter", jitter, low=0.0, fix="pass a log-scale jitter >= 0")
    noise = _checks.real("noise", noise, low=0.0, fix="pass a noise level >= 0")
    w0_distance = _checks.real("w0_distance", w0_distance, low=0.0, fix="pass a distance >= 0")
    lam = np.sort(lam * np.exp(jitter * rng.standard_normal(d)))[::-1]
    lam = np.ascontiguousarray(lam / lam[0])
    w_star = rng.standard_normal(d) / np.sqrt(d)
    w0 = w_star + w0_distance * _unit_vector(rng, d)
    e = w0 - w_star
    constants = {
        "L": lam[0], "mu": lam[-1], "trace_H": np.sum(lam), "lambda_max": lam[0],
        "tr_over_lmax": np.sum(lam) / lam[0], "noise": noise, "dim": d,
        "dist0": np.linalg.norm(e), "excess_risk0": lam @ (e * e),
    }
    data = {"eigenvalues": lam, "w_star": w_star, "w0": w0}
    return Instance(data=data, constants=_floats(constants),
                    name="least_squares/gaussian_population")


def _spectrum(r: int, spectrum, condition_number, power) -> np.ndarray:
    code = _checks.choice("spectrum", spectrum, SPECTRA)
    if SPECTRA[code] == "geometric":
        kappa = _checks.real("condition_number", condition_number, low=1.0,
                             fix="pass lambda_max/lambda_min >= 1")
        return np.geomspace(1.0, 1.0 / kappa, r)
    power = _checks.positive("power", power, fix="pass the decay exponent of i**(-power)")
    return np.arange(1, r + 1, dtype=np.float64) ** (-power)


def _orthonormal(rng: np.random.Generator, rows: int, cols: int) -> np.ndarray:
    """Haar-distributed orthonormal columns: QR of a Gaussian, signs fixed by diag(R)."""
    Q, R = np.linalg.qr(rng.standard_normal((rows, cols)))
    return Q * np.where(np.diag(R) < 0, -1.0, 1.0)


def _unit_vector(rng: np.random.Generator, dim: int) -> np.ndarray:
    u = rng.standard_normal(dim)
    return u / np.linalg.norm(u)


def _hessian(A: np.ndarray, rank: int) -> tuple[np.ndarray, np.ndarray]:
    """``H = A^T A / n`` (symmetrised) and its eigenvalues, descending; those past ``rank`` are 0."""
    H = A.T @ A / A.shape[0]
    H = 0.5 * (H + H.T)
    eigenvalues = np.linalg.eigvalsh(H)[::-1].copy()
    eigenvalues[rank:] = 0.0
    return H, eigenvalues


def _floats(constants: dict) -> dict:
    return {key: float(value) for key, value in constants.items()}
