r"""Instances for wide networks: inputs on the sphere (for a random two-layer network) and a linear
teacher with a linear student (Advani & Saxe), each with its exact constants.

**Inputs on the sphere** (:func:`sphere_points`): :math:`n` points :math:`x_i` uniform on
:math:`S^{d-1}`, the input set of the random network
:math:`f(x) = m^{-1/2}\sum_j a_j\phi(w_j^\top x)`, :math:`w_j \sim \mathcal N(0, I_d)`,
:math:`a_j \sim \mathcal N(0, 1)` (see :mod:`problems.wide_networks.limits` for every formula).

**Linear teacher and student** (:func:`linear_teacher_student`), after Advani & Saxe [1]:
inputs :math:`x \sim \mathcal N(0, I_P/P)` (so that :math:`\mathbb E_x (w^\top x)^2 = \|w\|^2/P`),
a teacher :math:`\bar w \sim \mathcal N(0, \sigma_{\bar w}^2 I_P)`, labels :math:`y = X\bar w +
\varepsilon`, :math:`\varepsilon \sim \mathcal N(0, \sigma_\varepsilon^2 I_N)`, and a student
:math:`\hat y = w^\top x` trained from :math:`w_0 \sim \mathcal N(0, \sigma_0^2 I_P)` on
:math:`\frac12\|y - Xw\|^2`. Its test error is
:math:`E_g(w) = \mathbb E(y - w^\top x)^2 = \|w - \bar w\|^2/P + \sigma_\varepsilon^2` exactly.

[1] M. S. Advani, A. M. Saxe (2017). High-dimensional dynamics of generalization error in neural
    networks. arXiv:1710.03667 (with H. Sompolinsky, Neural Networks 132, 2020).
"""
from __future__ import annotations

import numpy as np

from problems import _validate as _checks
from problems.types import Instance

from . import limits
from .linear_student import expected_late_time_error, spectrum


def sphere_points(rng: np.random.Generator, *, n_points=8, input_dim=5, activation="relu") -> Instance:
    r"""``n_points`` inputs uniform on the unit sphere of :math:`\mathbb R^d` (normalised Gaussians).

    Returns
    -------
    Instance
        ``data``: ``X`` (n, d) unit rows, ``gram`` :math:`XX^\top`, ``nngp``
        :math:`K = \mathbb E\phi(u)\phi(v)`, ``limit_ntk`` :math:`\Theta_\infty`,
        ``ntk_entry_variances`` (:math:`m\operatorname{Var}\Theta_m` entrywise), ``activation``.
        ``constants``: ``n_points``, ``input_dim``; ``ntk_variance`` :math:`V =
        m\,\mathbb E\|\Theta_m - \Theta_\infty\|_F^2` (any width :math:`m`);
        ``ntk_entry_variance`` (the same for entry (0, 1)); ``limit_ntk_norm``
        :math:`\|\Theta_\infty\|_F`; ``kurtosis_constant`` :math:`c`, the excess kurtosis of
        :math:`f(x)` being :math:`c/m` (15 for ReLU); ``output_variance`` :math:`K(x_0, x_0)`;
        ``min_angle``, the smallest angle between two inputs (radians).
    """
    rng = _checks.generator(rng)
    n = _checks.integer("n_points", n_points, low=2, fix="the NTK needs at least two inputs")
    d = _checks.integer("input_dim", input_dim, low=1)
    activation = _checks.one_of("activation", activation, limits.ACTIVATIONS)
    X = rng.standard_normal((n, d))
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    moments = limits.gaussian_moments(X, activation)
    theta = limits.limit_ntk(X, activation)
    variances = limits.ntk_entry_variances(X, activation)
    cos = np.clip(moments["gram"][~np.eye(n, dtype=bool)], -1.0, 1.0)
    constants = {
        "n_points": float(n), "input_dim": float(d),
        "ntk_variance": float(variances.sum()), "ntk_entry_variance": float(variances[0, 1]),
        "limit_ntk_norm": float(np.linalg.norm(theta)),
        "kurtosis_constant": limits.kurtosis_constant(activation),
        "output_variance": float(moments["phi_phi"][0, 0]),
        "min_angle": float(np.arccos(cos.max())),
    }
    data = {"X": X, "gram": moments["gram"], "nngp": moments["phi_phi"], "limit_ntk": theta,
            "ntk_entry_variances": variances, "activation": activation}
    return Instance(data=data, constants=constants, name=f"sphere_points(n={n}, d={d}, {activation})")


def linear_teacher_student(rng: np.random.Generator, *, n_params=100, n_samples=50, noise=1.0,
                           teacher_scale=1.0, init_scale=1.0) -> Instance:
    r"""A linear regression task with :math:`P` = ``n_params`` weights and :math:`N` = ``n_samples``
    examples (see the module docstring); the methods may train on the first rows only.

    Draw order: :math:`X` ``(N, P)`` (entries :math:`\mathcal N(0, 1/P)`), :math:`\bar w`, :math:`\varepsilon`.
    The initialisation is drawn by the methods, with scale ``init_scale`` :math:`\sigma_0`.

    Returns
    -------
    Instance
        ``data``: ``X``, ``y``, ``teacher`` :math:`\bar w`, ``noise_draw`` :math:`\varepsilon`.
        ``constants`` (for all :math:`N` rows): ``n_params``, ``n_samples``, ``sample_ratio``
        :math:`\alpha = N/P`, ``noise``, ``teacher_scale``, ``init_scale``, ``rank`` of :math:`X`,
        ``frozen_fraction`` :math:`(P - \operatorname{rank})/P` (:math:`= (1-\alpha)^+` almost
        surely), ``lambda_max`` and ``lambda_min`` (largest and smallest non-zero eigenvalue of
        :math:`X^\top X`), ``late_time_error`` (:math:`\lim_{t\to\infty}E_g` averaged over
        :math:`w_0, \bar w, \varepsilon` given :math:`X`; see ``linear_student.late_time_error``)
        and ``zero_init_late_time_error`` (the realised limit from :math:`w_0 = 0`,
        :math:`\|P_{\ker X}\bar w\|^2/P + \|X^+\varepsilon\|^2/P + \sigma_\varepsilon^2`).
    """
    rng = _checks.generator(rng)
    P = _checks.integer("n_params", n_params, low=1)
    N = _checks.integer("n_samples", n_samples, low=1)
    sigma = _checks.nonnegative("noise", noise)
    teacher = _checks.nonnegative("teacher_scale", teacher_scale)
    init = _checks.nonnegative("init_scale", init_scale)
    X = rng.standard_normal((N, P)) / np.sqrt(P)
    w_bar = teacher * rng.standard_normal(P)
    eps = sigma * rng.standard_normal(N)
    y = X @ w_bar + eps
    eigenvalues = spectrum(X)
    pinv = np.linalg.pinv(X)
    learned = pinv @ X  # projection on the row space
    frozen_teacher = w_bar - learned @ w_bar
    noise_fit = pinv @ eps
    constants = {
        "n_params": float(P), "n_samples": float(N), "sample_ratio": N / P, "noise": sigma,
        "teacher_scale": teacher, "init_scale": init, "rank": float(eigenvalues.size),
        "frozen_fraction": (P - eigenvalues.size) / P,
        "lambda_max": float(eigenvalues.max()), "lambda_min": float(eigenvalues.min()),
        "late_time_error": expected_late_time_error(eigenvalues, P, sigma, teacher, init),
        "zero_init_late_time_error": float((frozen_teacher @ frozen_teacher + noise_fit @ noise_fit) / P
                                           + sigma**2),
    }
    data = {"X": X, "y": y, "teacher": w_bar, "noise_draw": eps}
    return Instance(data=data, constants=constants,
                    name=f"linear_teacher_student(P={P}, N={N}, noise={sigma:g}, init={init:g})")
