r"""Target densities :math:`\pi \propto e^{-U}` for Langevin samplers, with their exact constants.

Every instance carries ``data["kind"]`` (``"gaussian"``, ``"logcosh"`` or
``"linear_regression"``, what the samplers dispatch on), ``x0`` (the start of every chain),
``mean`` and an eigen-decomposition ``eigenvalues`` (ascending), ``eigenvectors`` (columns):
of the precision for the Gaussian kinds, of the Hessian at the mode for ``"logcosh"``.
``constants`` always hold ``L`` (the largest eigenvalue of :math:`\nabla^2 U`, its supremum
over :math:`x` for ``"logcosh"``), ``mu`` (the smallest, or the infimum) and ``dim``.

Dense matrices are stored up to ``DENSE_MAX_DIM``; above it an axis-aligned Gaussian target
keeps only its eigenvalues (``precision``, ``covariance`` and ``eigenvectors`` are ``None``,
the eigenvectors being the standard basis): the exact Gaussian tools (``gaussian.py``) work
in the eigenbasis and reach :math:`d = 10^5`, the samplers need the dense precision.
"""
from __future__ import annotations

import numpy as np

from problems import _validate as _checks
from problems.types import Instance

DENSE_MAX_DIM = 4096
GAUSSIAN, LOGCOSH, LINEAR_REGRESSION = "gaussian", "logcosh", "linear_regression"
KINDS = (GAUSSIAN, LOGCOSH, LINEAR_REGRESSION)


def gaussian_target(rng: np.random.Generator, *, dim, condition_number=1.0, rotate=True,
                    mean_scale=0.0, start_distance=0.0) -> Instance:
    r""":math:`\pi = N(m, \Sigma)`, precision :math:`\Lambda = \Sigma^{-1} = Q\operatorname{diag}(\lambda)Q^\top`,
    :math:`U(x) = \tfrac12 (x - m)^\top\Lambda(x - m)`.

    :math:`\lambda` is log-spaced from 1 to :math:`\kappa` (``condition_number``), so
    :math:`\mu = 1`, :math:`L = \kappa` exactly (``np.geomspace`` keeps both ends exact);
    ``dim = 1`` needs :math:`\kappa = 1`. :math:`Q` is Haar-random (QR of a Gaussian, signs
    fixed by :math:`\operatorname{diag}R`) if ``rotate``, else :math:`I`. The mean is
    :math:`m = s\,g/\sqrt d` with :math:`s` = ``mean_scale``, :math:`g \sim N(0, I_d)`;
    the start is :math:`x_0 = m + r\,u`, :math:`r` = ``start_distance``, :math:`u` a uniform
    random unit vector (a normalised Gaussian): no warm start, a point mass at a known distance.

    The target is defined by :math:`(\lambda, Q)`; ``precision`` :math:`= Q\operatorname{diag}(\lambda)Q^\top`
    and ``covariance`` :math:`= Q\operatorname{diag}(1/\lambda)Q^\top` are their products (equal
    to rounding, symmetrised). Draw order: :math:`Q` (only if ``rotate``), :math:`g`, the
    Gaussian behind :math:`u`; :math:`g` and :math:`u` are drawn whatever ``mean_scale`` and
    ``start_distance``, so those do not move the other draws.

    Returns
    -------
    Instance
        ``data``: ``kind`` = ``"gaussian"``, ``precision``, ``covariance``, ``mean``, ``x0``,
        ``eigenvalues`` (ascending), ``eigenvectors``. ``constants``: ``L``, ``mu``, ``dim``,
        ``trace_covariance`` :math:`=\sum_i 1/\lambda_i`, ``condition_number`` :math:`= L/\mu`,
        ``start_distance`` :math:`=\|x_0 - m\|`.
    """
    rng = _checks.generator(rng)
    d = _checks.integer("dim", dim, low=1)
    kappa = _checks.real("condition_number", condition_number, low=1.0,
                         fix="pass L/mu >= 1 (1 is the isotropic N(m, I))")
    if d == 1 and kappa != 1.0:
        raise ValueError(f"condition_number must be 1 when dim=1 (one eigenvalue), got "
                         f"{condition_number!r}; pass dim >= 2 or condition_number=1")
    s = _checks.nonnegative("mean_scale", mean_scale, fix="pass the scale of the random mean")
    r = _checks.nonnegative("start_distance", start_distance, fix="pass ||x0 - m|| >= 0")
    if not isinstance(rotate, bool):
        raise ValueError(f"rotate must be True or False, got {rotate!r}")
    if rotate and d > DENSE_MAX_DIM:
        raise ValueError(f"dim={d} with rotate=True needs a dense Haar matrix (at most "
                         f"{DENSE_MAX_DIM}); pass rotate=False for an axis-aligned target")
    lam = np.geomspace(1.0, kappa, d)
    Q = _orthogonal(rng, d) if rotate else (np.eye(d) if d <= DENSE_MAX_DIM else None)
    mean = s * rng.standard_normal(d) / np.sqrt(d)
    u = rng.standard_normal(d)
    x0 = mean + r * u / np.linalg.norm(u)
    dense = Q is not None
    data = {"kind": GAUSSIAN, "mean": mean, "x0": x0, "eigenvalues": lam, "eigenvectors": Q,
            "precision": _symmetric((Q * lam) @ Q.T) if dense else None,
            "covariance": _symmetric((Q / lam) @ Q.T) if dense else None}
    constants = {"L": lam[-1], "mu": lam[0], "dim": d, "trace_covariance": np.sum(1.0 / lam),
                 "condition_number": lam[-1] / lam[0], "start_distance": np.linalg.norm(x0 - mean)}
    return Instance(data, {k: float(v) for k, v in constants.items()},
                    name=f"gaussian_target(d={d}, kappa={kappa:g}, rotate={rotate}, "
                         f"start_distance={r:g})")


def coupled_logcosh_target(rng: np.random.Generator, *, dim, coupling=0.3) -> Instance:
    r""":math:`U(x) = \tfrac12\|x\|^2 + c\sum_{i=1}^{d-1}\log\cosh(x_i - x_{i+1})`, a
    strongly log-concave, non-Gaussian, non-product target (no randomness: ``rng`` is
    validated only).

    [derived here] :math:`\nabla U(x) = x + c\,D^\top\tanh(Dx)` and
    :math:`\nabla^2 U(x) = I + c\,D^\top\operatorname{diag}(\operatorname{sech}^2(Dx))D` with
    :math:`D` the :math:`(d-1)\times d` forward difference. For :math:`c \ge 0`,
    :math:`\nabla^2 U \succeq I` with the infimum approached as :math:`|Dx| \to \infty`
    (:math:`\mu = 1`), and :math:`\nabla^2 U \preceq \nabla^2 U(0) = I + c\,D^\top D`, whose
    eigenvalues are :math:`1 + c(2 - 2\cos(\pi k/d))`, :math:`k = 0..d-1` (path-graph
    Laplacian, DCT-II eigenvectors :math:`v_k(i) \propto \cos(\pi k(i + \frac12)/d)`), so
    :math:`L = 1 + c(2 + 2\cos(\pi/d)) < 1 + 4c` exactly (attained at :math:`x = 0`). The third
    derivative is bounded (:math:`|\tanh''| \le 4/(3\sqrt3)`), the growth condition of Li, Zha
    & Tao (2022). :math:`U(-x) = U(x)`: minimiser and mean 0; :math:`x_0 = 0`.

    Returns
    -------
    Instance
        ``data``: ``kind`` = ``"logcosh"``, ``mean`` = ``x0`` = 0, ``eigenvalues`` and
        ``eigenvectors`` of :math:`\nabla^2 U(0)` (not a covariance). ``constants``: ``L``,
        ``mu`` = 1, ``dim``, ``coupling``, ``L_bound`` :math:`= 1 + 4c`.
    """
    _checks.generator(rng)
    d = _checks.integer("dim", dim, low=1)
    c = _checks.nonnegative("coupling", coupling,
                            fix="pass c >= 0 (c < 0 breaks strong log-concavity)")
    k = np.arange(d)
    lam = 1.0 + c * (2.0 - 2.0 * np.cos(np.pi * k / d))
    V = None
    if d <= DENSE_MAX_DIM:
        V = np.cos(np.pi * np.outer(np.arange(d) + 0.5, k) / d)
        V /= np.linalg.norm(V, axis=0)
    data = {"kind": LOGCOSH, "mean": np.zeros(d), "x0": np.zeros(d), "eigenvalues": lam,
            "eigenvectors": V, "coupling": c}
    constants = {"L": 1.0 + c * (2.0 + 2.0 * np.cos(np.pi / d)), "mu": 1.0, "dim": d,
                 "coupling": c, "L_bound": 1.0 + 4.0 * c}
    return Instance(data, {key: float(v) for key, v in constants.items()},
                    name=f"coupled_logcosh_target(d={d}, coupling={c:g})")


def bayesian_linear_regression(rng: np.random.Generator, *, n_data, dim, noise=1.0,
                               prior_precision=1.0, condition_number=10.0) -> Instance:
    r"""Gaussian posterior of Bayesian linear regression, with a sum-form potential for SGLD.

    Model: :math:`y_i = x_i^\top w + \sigma\varepsilon_i`, prior :math:`w \sim N(0, \alpha^{-1}I)`.
    Potential (sum form, so a minibatch of size :math:`B` gives the unbiased gradient
    :math:`\frac nB\sum_{i\in\mathcal B}\nabla U_i + \alpha w`):

    .. math:: U(w) = \sum_{i=1}^n \frac{(y_i - x_i^\top w)^2}{2\sigma^2} + \frac\alpha2\|w\|^2,
       \qquad \nabla U(w) = P(w - m),\quad P = X^\top X/\sigma^2 + \alpha I,\quad
       m = P^{-1}X^\top y/\sigma^2 .

    [derived here] The posterior is exactly :math:`N(m, P^{-1})`. Design:
    :math:`X = \sqrt n\,G\operatorname{diag}(\sqrt a)R^\top` with :math:`G` the orthonormal
    :math:`n\times d` factor of a Gaussian matrix, :math:`R` Haar, so
    :math:`X^\top X = nR\operatorname{diag}(a)R^\top` and the eigenvalues of :math:`P` are
    :math:`p_i = na_i/\sigma^2 + \alpha`; :math:`a` is chosen so that :math:`p` is log-spaced
    from :math:`p_{\min} = n/\sigma^2 + \alpha` (unit-variance smallest feature) to
    :math:`\kappa\,p_{\min}`. The stored ``precision`` is recomputed from the stored ``X``
    and the constants from its ``eigh``, so :math:`\kappa` is met to rounding.
    :math:`w_\star \sim N(0, \alpha^{-1}I)` (a draw from the prior), :math:`x_0 = 0` (the prior mean).

    Draw order: :math:`G` (``(n, d)``), :math:`R` (``(d, d)``), :math:`w_\star`, :math:`\varepsilon`.

    Returns
    -------
    Instance
        ``data``: ``kind`` = ``"linear_regression"``, ``design`` (n, d), ``response`` (n,),
        ``w_star``, ``precision``, ``covariance``, ``mean``, ``x0``, ``eigenvalues``,
        ``eigenvectors``. ``constants``: ``L`` :math:`=\lambda_{\max}(P)`, ``mu``
        :math:`=\lambda_{\min}(P)`, ``dim``, ``n_data``, ``noise``, ``prior_precision``,
        ``trace_covariance``, ``condition_number``.
    """
    rng = _checks.generator(rng)
    d = _checks.integer("dim", dim, low=1)
    n = _checks.integer("n_data", n_data, low=d, fix="pass n_data >= dim (a full-rank design)")
    sigma = _checks.positive("noise", noise, fix="pass the observation noise standard deviation")
    alpha = _checks.positive("prior_precision", prior_precision, fix="pass the prior's precision")
    kappa = _checks.real("condition_number", condition_number, low=1.0,
                         fix="pass the posterior condition number, >= 1")
    if d == 1 and kappa != 1.0:
        raise ValueError(f"condition_number must be 1 when dim=1, got {condition_number!r}; "
                         "pass dim >= 2 or condition_number=1")
    G, _ = np.linalg.qr(rng.standard_normal((n, d)))
    R = _orthogonal(rng, d)
    p_min = n / sigma**2 + alpha
    a = (np.geomspace(p_min, kappa * p_min, d) - alpha) * sigma**2 / n
    X = np.sqrt(n) * (G * np.sqrt(a)) @ R.T
    w_star = rng.standard_normal(d) / np.sqrt(alpha)
    y = X @ w_star + sigma * rng.standard_normal(n)
    P = _symmetric(X.T @ X / sigma**2 + alpha * np.eye(d))
    lam, V = np.linalg.eigh(P)
    mean = np.linalg.solve(P, X.T @ y / sigma**2)
    data = {"kind": LINEAR_REGRESSION, "design": X, "response": y, "w_star": w_star,
            "precision": P, "covariance": _symmetric((V / lam) @ V.T), "mean": mean,
            "x0": np.zeros(d), "eigenvalues": lam, "eigenvectors": V}
    constants = {"L": lam[-1], "mu": lam[0], "dim": d, "n_data": n, "noise": sigma,
                 "prior_precision": alpha, "trace_covariance": np.sum(1.0 / lam),
                 "condition_number": lam[-1] / lam[0]}
    return Instance(data, {k: float(v) for k, v in constants.items()},
                    name=f"bayesian_linear_regression(n={n}, d={d}, kappa={kappa:g})")


def kind(instance) -> str:
    """``instance.data["kind"]``, checked to be one the samplers know."""
    if not isinstance(instance, Instance):
        raise ValueError(f"instance must be an Instance, got {type(instance).__name__}; build one "
                         "with gaussian_target, coupled_logcosh_target or "
                         "bayesian_linear_regression")
    value = instance.data.get("kind")
    if value not in KINDS:
        raise ValueError(f"instance {instance.name!r} has target kind {value!r}, not one of "
                         f"{', '.join(map(repr, KINDS))}; build it with gaussian_target, "
                         "coupled_logcosh_target or bayesian_linear_regression")
    return value


def _symmetric(M: np.ndarray) -> np.ndarray:
    return 0.5 * (M + M.T)


def _orthogonal(rng, d: int) -> np.ndarray:
    """Haar-distributed orthogonal matrix: QR of a Gaussian, signs fixed by diag(R)."""
    Q, R = np.linalg.qr(rng.standard_normal((d, d)))
    return Q * np.where(np.diag(R) < 0, -1.0, 1.0)
