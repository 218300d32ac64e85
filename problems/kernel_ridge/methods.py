r"""Self-distillation rounds in kernel ridge regression, recorded at checkpoints in one pass.

Scheme [1, Sec. 3, as recalled: a weighted squared loss on the ground truth and on the
previous round's predictions, with the same :math:`\ell_2` penalty]: round 0 is the ridge
fit; round :math:`t \ge 1` solves

.. math:: \min_f\ \xi\|y - f(X)\|^2 + (1 - \xi)\|f_{t-1}(X) - f(X)\|^2 + \lambda\|f\|_{\mathcal H}^2 ,

whose fitted values are those of the ridge fit to the mixed targets
:math:`\xi y + (1 - \xi)f_{t-1}` (the two squared losses differ from
:math:`\|\xi y + (1 - \xi)f_{t-1} - f\|^2` by a constant):

.. math:: f_0 = Sy, \qquad f_t = S\big(\xi y + (1 - \xi)f_{t-1}\big), \qquad S = K(K + \lambda I)^{-1}.

[derived here] :math:`S` is symmetric with eigenvalues :math:`s_i = d_i/(d_i + \lambda) \in [0, 1)`,
so the map contracts by :math:`\rho = (1 - \xi)s_1` and the rounds converge linearly to the
fixed point, the sum of the geometric series

.. math:: f_\infty = \sum_{k \ge 0}\big((1 - \xi)S\big)^k \xi S y = \big(I - (1 - \xi)S\big)^{-1}\xi Sy
          = K\Big(K + \frac{\lambda}{\xi} I\Big)^{-1} y ,

(eigenvector by eigenvector, :math:`\xi s_i/(1 - (1 - \xi)s_i) = d_i/(d_i + \lambda/\xi)`): the
ridge fit with the penalty amplified to :math:`\lambda/\xi` [1, abstract: "infinite distillation
steps yields the same optimization problem as the original with amplified regularization"].
Every round is a closed-form function of the initial fit,
:math:`f_t = f_\infty + ((1 - \xi)S)^t(f_0 - f_\infty)`, hence
:math:`\|f_t - f_\infty\| \le \rho^t\|f_0 - f_\infty\|`.

Metrics (``metric``): ``"deviation"`` :math:`\|f_t - f_{\mathrm{ref}}\|/\|f_{\mathrm{ref}}\|` with
:math:`f_{\mathrm{ref}}` the ridge fit with penalty ``reference_penalty`` (default
:math:`\lambda/\xi`); ``"closed_form_deviation"`` :math:`\|f_t - \hat f_t\|/\|\hat f_t\|` with
:math:`\hat f_t` the closed form above evaluated in the eigenbasis of :math:`K` (an independent
computation).

[1] K. Borup, L. N. Andersen (2021). Even your Teacher Needs Guidance: Ground-Truth Targets
    Dampen Regularization Imposed by Self-Distillation. NeurIPS 2021 (arXiv:2102.13088).
"""
from __future__ import annotations

import numpy as np

import problems.backend
from problems import _validate as _checks
from problems.types import Instance, Trace, checkpoints, first_nonfinite

from . import _kernels, _reference

METRICS = ("deviation", "closed_form_deviation")
BACKENDS = problems.backend.BACKENDS


def ridge_fit(instance, penalty) -> np.ndarray:
    r"""Fitted values :math:`K(K + \lambda' I)^{-1}y` of the ridge problem with penalty :math:`\lambda'`
    (a Cholesky solve)."""
    K, y = _data(instance, "ridge_fit")
    lam = _checks.positive("penalty", penalty, fix="pass a ridge penalty > 0")
    chol = np.linalg.cholesky(K + lam * np.eye(y.size))
    alpha = np.linalg.solve(chol.T, np.linalg.solve(chol, y))
    return K @ alpha


def distillation_limit(instance, xi=None) -> np.ndarray:
    r"""The limit of the rounds as the sum of the geometric series,
    :math:`(I - (1 - \xi)S)^{-1}\xi Sy` with :math:`S = K(K + \lambda I)^{-1}`, solved as a linear
    system (not through the closed form :math:`\lambda/\xi`, which it is compared with)."""
    K, y = _data(instance, "distillation_limit")
    lam = float(instance.constants["penalty"])
    xi = _xi(instance, xi)
    S = K @ np.linalg.inv(K + lam * np.eye(y.size))
    return np.linalg.solve(np.eye(y.size) - (1.0 - xi) * S, xi * (S @ y))


def self_distillation(instance, rng, *, n_rounds, xi=None, reference_penalty=None, metric="deviation",
                      n_checkpoints=60, backend="numba") -> Trace:
    r"""Rounds :math:`t = 0..` ``n_rounds`` of self-distillation (module docstring).

    Parameters
    ----------
    instance : Instance
        From ``generators.rbf_regression`` (``K``, ``y``, constants ``penalty`` and ``xi``).
    rng : numpy.random.Generator
        Validated, not used (the rounds are deterministic); one row of ``values``.
    n_rounds : int
    xi : float, optional
        Weight of the ground-truth targets, in (0, 1]; default the instance's ``xi``.
    reference_penalty : float, optional
        Penalty of the ridge fit the ``"deviation"`` is measured against; default
        :math:`\lambda/\xi` (the claimed limit).
    metric : {"deviation", "closed_form_deviation"}
    n_checkpoints : int
    backend : {"numba", "numpy", "cupy", "array_api_strict"}
        The Numba kernel, or its array-API twin (``_reference``, the same arithmetic in the same order) on
        that namespace (:mod:`problems.backend`); the Cholesky factor is computed on the host, each
        recorded round comes home and the metrics are computed there.

    Returns
    -------
    Trace
        ``info``: ``first_nonfinite``, ``backend``, ``xi``, ``penalty``, ``reference_penalty``,
        ``contraction`` :math:`(1 - \xi)s_1`, ``final_deviation`` (the metric at the last round),
        ``condition_number`` of :math:`K + \lambda I`.
    """
    K, y = _data(instance, "self_distillation")
    _checks.generator(rng)
    xi = _xi(instance, xi)
    lam = float(instance.constants["penalty"])
    ref = lam / xi if reference_penalty is None else _checks.positive(
        "reference_penalty", reference_penalty, fix=f"pass a ridge penalty > 0 (the claimed limit is {lam / xi:g})")
    n_rounds = _checks.integer("n_rounds", n_rounds, low=1)
    t = checkpoints(n_rounds, _checks.integer("n_checkpoints", n_checkpoints, low=2))
    code = _checks.choice("metric", metric, METRICS)
    impl, move = _backend(backend)
    chol = np.linalg.cholesky(K + lam * np.eye(y.size))
    F = np.full((t.size, y.size), np.nan)
    impl._distill(move(K), move(chol), move(y), xi, t, F)
    if code == 0:
        target = np.broadcast_to(ridge_fit(instance, ref), F.shape)
    else:
        target = _closed_form(instance, xi, t)
    out = (np.linalg.norm(F - target, axis=1) / np.linalg.norm(target, axis=1))[None, :]
    eig = np.asarray(instance.data["eigenvalues"], dtype=np.float64)
    info = {"first_nonfinite": first_nonfinite(t, out), "backend": backend, "xi": xi, "penalty": lam,
            "reference_penalty": ref, "contraction": (1.0 - xi) * eig[0] / (eig[0] + lam),
            "final_deviation": float(out[0, -1]), "condition_number": float((eig[0] + lam) / (eig[-1] + lam))}
    return Trace(metric, t, out, info)


def _backend(backend):
    """``(impl, move)``: the Numba kernel and the identity, or the array-API twin and the move of a host
    array to the back end's device (chosen here, once)."""
    _checks.choice("backend", backend, BACKENDS)  # a ValueError naming the allowed back ends
    return problems.backend.implementation(backend, _kernels, _reference)


def _closed_form(instance, xi: float, t: np.ndarray) -> np.ndarray:
    r""":math:`f_\infty + ((1 - \xi)S)^t(f_0 - f_\infty)` at each ``t``, in the eigenbasis of :math:`K`."""
    d = np.asarray(instance.data["eigenvalues"], dtype=np.float64)
    V = np.asarray(instance.data["eigenvectors"], dtype=np.float64)
    lam = float(instance.constants["penalty"])
    coef = V.T @ np.asarray(instance.data["y"], dtype=np.float64)
    inf = d / (d + lam / xi) * coef
    first = d / (d + lam) * coef
    modes = ((1.0 - xi) * d / (d + lam))[None, :] ** t[:, None]
    return (inf[None, :] + modes * (first - inf)[None, :]) @ V.T


def _xi(instance, xi) -> float:
    value = instance.constants.get("xi") if xi is None else xi
    return _checks.real("xi", value, low=0.0, high=1.0, low_open=True,
                        fix="pass the weight of the ground-truth targets in (0, 1]")


def _data(instance, method: str):
    if not isinstance(instance, Instance):
        raise ValueError(f"instance must be an Instance, got {type(instance).__name__}; "
                         "build one with rbf_regression")
    missing = [k for k in ("K", "y", "eigenvalues", "eigenvectors") if k not in instance.data]
    if missing or "penalty" not in instance.constants:
        raise ValueError(f"instance {instance.name!r} lacks data {missing or ['penalty']} that {method} needs; "
                         "build it with rbf_regression")
    return (np.ascontiguousarray(instance.data["K"], dtype=np.float64),
            np.ascontiguousarray(instance.data["y"], dtype=np.float64))
