r"""Exact mean-square (second-moment) stability of linearised SGD on least squares.

Near an interpolating minimum SGD is the random linear map
:math:`e_{t+1} = (I - \eta H_{B_t}) e_t`, :math:`H_B = \frac1B\sum_{i\in B} x_i x_i^\top`,
so :math:`M_t = \mathbb{E}[e_t e_t^\top]` obeys :math:`M_{t+1} = \mathcal{T}(M_t)` with

.. math:: \mathcal{T}(M) = \mathbb{E}_B\big[(I - \eta H_B)\, M\, (I - \eta H_B)\big].

:math:`\mathbb{E}\|e_t\|^2` grows or decays like :math:`\rho(\mathcal{T})^t`, and SGD is
mean-square stable iff :math:`\rho(\mathcal{T}) < 1`. Nothing here is random: these are
linear-algebra computations (no kernels).
"""
from __future__ import annotations

import numpy as np

from problems.types import Trace

from . import _checks

MAX_DIM = 64  # the operator is dim^2 x dim^2: 4096^2 float64 = 128 MiB at this limit
SAMPLINGS = ("without_replacement", "with_replacement")


def second_moment_operator(instance, step_size, batch_size,
                           sampling="without_replacement") -> np.ndarray:
    r"""The matrix of :math:`\mathcal{T}` acting on row-major :math:`\operatorname{vec}(M)`.

    With :math:`P = I - \eta H` and :math:`P_i = I - \eta x_i x_i^\top`:

    * without replacement (uniform :math:`B`-subsets), the mixture identity
      :math:`\mathcal{T}(M) = p\,PMP + (1-p)\frac1n\sum_i P_i M P_i`,
      :math:`p = \frac{n(B-1)}{B(n-1)}` (:math:`p = 1` at :math:`B = n`: gradient descent);
    * with replacement (:math:`B` i.i.d. indices),
      :math:`\mathcal{T}(M) = PMP + \frac{\eta^2}{B}\big(\frac1n\sum_i (x_i^\top M x_i)
      x_i x_i^\top - HMH\big)`.

    Uses ``vec(P M Q) = (P kron Q) vec(M)`` for symmetric ``Q``; the result is a symmetric
    ``dim**2 x dim**2`` matrix.
    """
    (A,) = _checks.data(instance, ("A",), "second_moment_operator", "interpolation_design")
    n, d = A.shape
    if d > MAX_DIM:
        raise ValueError(f"instance dim must be at most {MAX_DIM} for second_moment_operator "
                         f"(it builds a dim^2 x dim^2 matrix), got {d}; use a smaller dim")
    eta = _checks.positive("step_size", step_size, fix="try 1/lambda_max")
    B = _checks.integer("batch_size", batch_size, low=1, high=n,
                        fix=f"use 1 <= batch_size <= n_samples={n}")
    replace = _checks.choice("sampling", sampling, SAMPLINGS) == 1
    H = A.T @ A / n
    P = np.eye(d) - eta * H
    rows = np.einsum("ni,nj->nij", A, A).reshape(n, d * d)  # vec(x_i x_i^T)
    Q4 = rows.T @ rows / n  # (1/n) sum_i vec(x_i x_i^T) vec(x_i x_i^T)^T
    if replace:
        T = np.kron(P, P) + (eta**2 / B) * (Q4 - np.kron(H, H))
    else:
        p = 1.0 if n == 1 else n * (B - 1) / (B * (n - 1))
        I = np.eye(d)
        per_sample = np.eye(d * d) - eta * (np.kron(H, I) + np.kron(I, H)) + eta**2 * Q4
        T = p * np.kron(P, P) + (1.0 - p) * per_sample
    return 0.5 * (T + T.T)


def second_moment_growth(instance, rng, *, step_size, batch_size, n_iter,
                         sampling="without_replacement", n_checkpoints=60) -> Trace:
    r"""The growth factor :math:`\rho(\mathcal{T})^t` of :math:`\mathbb{E}\|e_t\|^2` for mini-batch
    SGD at an interpolating minimum (:func:`interpolation_design`).

    :math:`\rho` is the spectral radius of :func:`second_moment_operator` (it is attained
    on a positive semidefinite eigenmatrix, since :math:`\mathcal{T}` is completely
    positive, so the full :math:`d^2` space gives the same :math:`\rho` as the symmetric
    matrices). ``rng`` is unused. Returns ``values = rho**t`` (overflow gives inf) and
    ``info["spectral_radius"]``.
    """
    T = second_moment_operator(instance, step_size, batch_size, sampling)
    rho = float(np.max(np.abs(np.linalg.eigvalsh(T))))
    return _growth_trace(rho, n_iter, n_checkpoints, step_size=float(step_size),
                         batch_size=int(batch_size), sampling=sampling)


def population_second_moment_operator(instance, step_size, batch_size) -> np.ndarray:
    r"""The :math:`d \times d` matrix acting on :math:`m = \operatorname{diag}\mathbb{E}[e e^\top]`
    for online SGD on :func:`gaussian_population` (no noise).

    With :math:`x \sim N(0, \Sigma)`, :math:`\Sigma = \operatorname{diag}(\lambda)`, the
    Gaussian fourth moment :math:`\mathbb{E}[xx^\top M xx^\top] = 2\Sigma M\Sigma +
    \operatorname{tr}(\Sigma M)\Sigma` gives

    .. math::

        m' = (1 - \eta\lambda)^2 m + \frac{\eta^2}{B}\big(\lambda^2 m + \lambda(\lambda^\top m)\big),
        \qquad \mathcal{T} = \operatorname{diag}\Big((1-\eta\lambda)^2 + \frac{\eta^2\lambda^2}{B}\Big)
        + \frac{\eta^2}{B}\lambda\lambda^\top,

    a symmetric matrix. Off-diagonal entries of :math:`\mathbb{E}[ee^\top]` evolve on their
    own with factors bounded by the diagonal ones (Cauchy-Schwarz), so this block holds
    the spectral radius.
    """
    (lam,) = _checks.data(instance, ("eigenvalues",), "population_second_moment_operator",
                          "gaussian_population")
    eta = _checks.positive("step_size", step_size, fix="try 1/trace_H")
    B = _checks.integer("batch_size", batch_size, low=1)
    return np.diag((1.0 - eta * lam) ** 2 + eta**2 * lam**2 / B) + (eta**2 / B) * np.outer(lam, lam)


def population_second_moment_growth(instance, rng, *, step_size, batch_size, n_iter,
                                    n_checkpoints=60) -> Trace:
    r"""The growth factor :math:`\rho(\mathcal{T})^t` of :math:`\mathbb{E}[e_t e_t^\top]` for online
    SGD with fresh Gaussian samples (:func:`population_second_moment_operator`).

    ``rng`` is unused. Returns ``values = rho**t`` and ``info["spectral_radius"]``.
    """
    T = population_second_moment_operator(instance, step_size, batch_size)
    rho = float(np.max(np.abs(np.linalg.eigvalsh(T))))
    return _growth_trace(rho, n_iter, n_checkpoints, step_size=float(step_size),
                         batch_size=int(batch_size))


def _growth_trace(rho: float, n_iter, n_checkpoints, **settings) -> Trace:
    t = _checks.record_points(n_iter, n_checkpoints)
    with np.errstate(over="ignore"):
        values = np.power(rho, t.astype(np.float64))[None, :]  # 0**0 = 1; overflow -> inf
    return Trace("second_moment_growth", t, values,
                 _checks.info(t, values, spectral_radius=rho, **settings))
