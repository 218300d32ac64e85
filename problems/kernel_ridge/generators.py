r"""Kernel ridge regression instances for self-distillation, with exact spectral constants.

Data :math:`(x_i, y_i)_{i \le n}`, Gram matrix :math:`K_{ij} = k(x_i, x_j)` of the RBF kernel
:math:`k(x, x') = \exp(-\|x - x'\|^2/(2h^2))`, ridge penalty :math:`\lambda` and the weight
:math:`\xi \in (0, 1]` that self-distillation puts on the ground-truth targets.

With :math:`K = V\operatorname{diag}(d)V^\top` the fitted values of the ridge problem with
penalty :math:`\lambda'` are :math:`K(K + \lambda' I)^{-1}y = V\operatorname{diag}(d/(d + \lambda'))V^\top y`,
and the distillation map :math:`f \mapsto S(\xi y + (1 - \xi)f)`, :math:`S = K(K + \lambda I)^{-1}`,
contracts by :math:`(1 - \xi)\,s_i` along eigenvector :math:`i`, :math:`s_i = d_i/(d_i + \lambda)`
[derived here; see ``methods``].
"""
from __future__ import annotations

import numpy as np

from problems import _validate as _checks
from problems.types import Instance


def rbf_regression(rng: np.random.Generator, *, n_samples=40, dim=2, bandwidth=1.0, noise=0.1, penalty=1.0,
                   xi=0.5) -> Instance:
    r"""Inputs :math:`x_i \sim U[-1, 1]^{\mathrm{dim}}`, targets
    :math:`y_i = \sum_j \sin(\pi x_{ij}) + \sigma\varepsilon_i`, RBF Gram matrix of bandwidth
    :math:`h` = ``bandwidth``, penalty :math:`\lambda` = ``penalty``, ground-truth weight
    :math:`\xi` = ``xi``.

    Draw order: :math:`X` ``(n, dim)``, :math:`\varepsilon` ``(n,)``.

    Returns
    -------
    Instance
        ``data``: ``X``, ``y``, ``K``, ``eigenvalues`` (of ``K``, descending), ``eigenvectors``.
        ``constants`` (from the eigen-decomposition of the stored ``K``): ``penalty``, ``xi``,
        ``limit_penalty`` :math:`= \lambda/\xi`, ``kernel_max_eig`` :math:`d_1`,
        ``kernel_min_eig`` :math:`d_n` (clipped at 0), ``shrink_max`` :math:`s_1 = d_1/(d_1 + \lambda)`,
        ``contraction`` :math:`(1 - \xi)s_1` (the linear rate of the rounds),
        ``second_contraction`` :math:`(1 - \xi)s_2`, ``deviation0``
        :math:`= \|f_0 - f_\infty\|/\|f_\infty\|` (round 0 against the limit), ``n_samples``, ``dim``.
    """
    rng = _checks.generator(rng)
    n = _checks.integer("n_samples", n_samples, low=2)
    d = _checks.integer("dim", dim, low=1)
    h = _checks.positive("bandwidth", bandwidth, fix="pass the RBF length scale h > 0")
    sigma = _checks.nonnegative("noise", noise, fix="pass a noise level >= 0")
    lam = _checks.positive("penalty", penalty, fix="pass the ridge penalty lambda > 0")
    xi = _checks.real("xi", xi, low=0.0, high=1.0, low_open=True,
                      fix="pass the weight of the ground-truth targets in (0, 1]")
    X = rng.uniform(-1.0, 1.0, size=(n, d))
    y = np.sin(np.pi * X).sum(axis=1) + sigma * rng.standard_normal(n)
    sq = np.sum((X[:, None, :] - X[None, :, :]) ** 2, axis=-1)
    K = np.exp(-sq / (2.0 * h * h))
    K = 0.5 * (K + K.T)
    eig, V = np.linalg.eigh(K)
    eig, V = np.clip(eig[::-1], 0.0, None), V[:, ::-1]
    coef = V.T @ y
    f0 = V @ (eig / (eig + lam) * coef)
    f_inf = V @ (eig / (eig + lam / xi) * coef)
    s = eig / (eig + lam)
    constants = {"penalty": lam, "xi": xi, "limit_penalty": lam / xi, "kernel_max_eig": eig[0],
                 "kernel_min_eig": eig[-1], "shrink_max": s[0], "contraction": (1.0 - xi) * s[0],
                 "second_contraction": (1.0 - xi) * s[1],
                 "deviation0": np.linalg.norm(f0 - f_inf) / np.linalg.norm(f_inf), "n_samples": n, "dim": d}
    data = {"X": X, "y": y, "K": K, "eigenvalues": eig, "eigenvectors": V}
    return Instance(data=data, constants={k: float(v) for k, v in constants.items()},
                    name=f"rbf_regression(n={n}, dim={d}, h={h:g}, lambda={lam:g}, xi={xi:g})")
