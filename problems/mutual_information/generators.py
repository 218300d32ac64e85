r"""Correlated Gaussian pairs: the density ratio of the joint to the product of the marginals and
its exact moments.

:math:`X, Y \in \mathbb R^d` with independent pairs :math:`(X_j, Y_j)` standard bivariate normal
with correlation :math:`\rho`; :math:`P` is the joint law, :math:`Q = P_X \otimes P_Y` the product
of the marginals, :math:`r = dP/dQ` the density ratio (the optimal critic's
:math:`e^{T^\star}` up to a constant), :math:`I = I(X; Y) = D_{\mathrm{KL}}(P\|Q) = -\frac d2\log(1 - \rho^2)`.

[derived here] With :math:`u_j = (x_j + y_j)/\sqrt2`, :math:`v_j = (x_j - y_j)/\sqrt2`,

.. math:: \log r = -\tfrac d2\log(1 - \rho^2) + aU - bV, \quad a = \frac{\rho}{2(1 + \rho)},\
          b = \frac{\rho}{2(1 - \rho)}, \quad U = \sum_j u_j^2,\ V = \sum_j v_j^2 ,

with :math:`U, V \sim \chi^2_d` independent under :math:`Q`, and :math:`U/(1+\rho), V/(1-\rho) \sim \chi^2_d`
under :math:`P`. The chi-square moment generating function gives

.. math:: \mathbb E_Q[r^k] = \big[(1 - \rho^2)^{k-1}(1 - (k-1)^2\rho^2)\big]^{-d/2}
          \quad (\rho < 1/(k-1)),

so :math:`\mathbb E_Q[r^2] = (1 - \rho^2)^{-d} = e^{2I}`: :math:`\mathrm{Var}_Q[r] = e^{2I} - 1` (the
Renyi-2 divergence is :math:`2I`), and :math:`\mathrm{Var}_P[\log r] = d\rho^2`. The fourth moment,
which the Monte Carlo error of a variance estimate needs, is finite only for :math:`\rho < 1/3`.
"""
from __future__ import annotations

import numpy as np

from problems import _validate as _checks
from problems.types import Instance

MAX_CORRELATION = 1.0 / 3.0  # E_Q[r^4] < inf iff rho < 1/3: the variance of a variance estimate exists


def ratio_moment(k: int, correlation: float, n_pairs: float) -> float:
    r""":math:`\mathbb E_Q[r^k]` for :math:`d` = ``n_pairs`` pairs of correlation :math:`\rho`
    (``inf`` when :math:`\rho \ge 1/(k-1)`)."""
    rho, d = float(correlation), float(n_pairs)
    inner = 1.0 - (k - 1) ** 2 * rho * rho
    if inner <= 0.0:
        return float("inf")
    return float(np.exp(-0.5 * d * ((k - 1) * np.log1p(-rho * rho) + np.log(inner))))


def kurtosis(correlation: float, n_pairs: float) -> float:
    r""":math:`\mathrm{Var}_Q[(r - 1)^2]/\mathrm{Var}_Q[r]^2`: the relative variance of one term of
    the variance estimate, so that :math:`N` samples estimate :math:`\mathrm{Var}_Q[r]` with relative
    standard error :math:`\sqrt{\text{kurtosis}/N}` [derived here from the moments above]."""
    m2, m3, m4 = (ratio_moment(k, correlation, n_pairs) for k in (2, 3, 4))
    variance = m2 - 1.0
    centred4 = m4 - 4.0 * m3 + 6.0 * m2 - 3.0
    return float((centred4 - variance * variance) / (variance * variance))


def tilted_relative_variance(correlation: float, n_pairs: float) -> float:
    r""":math:`\mathrm{Var}_P[r]/(\mathbb E_P r - 1)^2 = (\mathbb E_Q r^3 - (\mathbb E_Q r^2)^2)/(\mathbb E_Q r^2 - 1)^2`:
    the relative variance of one term of the change-of-measure estimate
    :math:`\mathrm{Var}_Q[r] = \mathbb E_P[r] - 1` from samples of :math:`P` (finite for :math:`\rho < 1/2`;
    about :math:`e^{2I}` against the direct estimate's :math:`e^{8I}`) [derived here]."""
    m2, m3 = (ratio_moment(k, correlation, n_pairs) for k in (2, 3))
    return float((m3 - m2 * m2) / ((m2 - 1.0) ** 2))


def correlated_gaussians(rng: np.random.Generator, *, n_pairs=100, correlation=0.05) -> Instance:
    r""":math:`d` = ``n_pairs`` independent standard Gaussian pairs of correlation :math:`\rho` =
    ``correlation`` :math:`\in (0, 1/3)` (module docstring). Nothing is drawn: the instance is its
    law; ``rng`` is validated only.

    Returns
    -------
    Instance
        ``data``: ``correlation``, ``n_pairs`` (as arrays of shape ``()``). ``constants``:
        ``correlation``, ``n_pairs``, ``mi`` :math:`I`, ``mi_per_pair`` :math:`-\frac12\log(1-\rho^2)`,
        ``renyi2`` :math:`\log\mathbb E_Q[r^2] = 2I`, ``partition_variance``
        :math:`\mathrm{Var}_Q[r] = e^{2I} - 1`, ``song_ermon_bound`` :math:`e^I - 1`, ``nwj_variance``
        :math:`\mathrm{Var}_P[\log r] + \mathrm{Var}_Q[r] = d\rho^2 + e^{2I} - 1`, ``kurtosis``,
        ``tilted_relative_variance`` (the per-sample relative variances of the direct and of the
        change-of-measure estimates of :math:`\mathrm{Var}_Q[r]`).
    """
    _checks.generator(rng)
    d = _checks.integer("n_pairs", n_pairs, low=1)
    rho = _checks.real("correlation", correlation, low=0.0, high=MAX_CORRELATION, low_open=True, high_open=True,
                       fix="pass 0 < correlation < 1/3 (the fourth moment of the density ratio must exist); "
                           "reach a larger information with more pairs")
    per_pair = -0.5 * np.log1p(-rho * rho)
    mi = d * per_pair
    constants = {"correlation": rho, "n_pairs": d, "mi": mi, "mi_per_pair": per_pair, "renyi2": 2.0 * mi,
                 "partition_variance": np.expm1(2.0 * mi), "song_ermon_bound": np.expm1(mi),
                 "nwj_variance": d * rho * rho + np.expm1(2.0 * mi), "kurtosis": kurtosis(rho, d),
                 "tilted_relative_variance": tilted_relative_variance(rho, d)}
    return Instance(data={"correlation": np.array(rho), "n_pairs": np.array(d)},
                    constants={k: float(v) for k, v in constants.items()},
                    name=f"correlated_gaussians(d={d}, rho={rho:g}, I={mi:.4g})")
