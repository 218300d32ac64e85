r"""Nonsmooth convex stochastic problems with a closed-form population objective.

Absolute-loss regression with Gaussian design. With :math:`a \sim N(0, I_d)`,
:math:`\varepsilon \sim N(0, 1)` independent and :math:`c = a^\top x_\star + \sigma \varepsilon`,

.. math:: a^\top x - c = a^\top (x - x_\star) - \sigma \varepsilon
          \sim N\bigl(0,\ \|x - x_\star\|^2 + \sigma^2\bigr),

and :math:`\mathbb E|Z| = \sqrt{2/\pi}\, s` for :math:`Z \sim N(0, s^2)`, so

.. math:: f(x) = \mathbb E\,|a^\top x - c| = \sqrt{2/\pi}\,\sqrt{\|x - x_\star\|^2 + \sigma^2},
          \qquad f_\star = f(x_\star) = \sqrt{2/\pi}\,\sigma.

:math:`f` is convex (a norm of :math:`(x - x_\star, \sigma)` times a constant) and
:math:`\sqrt{2/\pi}`-Lipschitz; for :math:`\sigma = 0` it is the sharp, nonsmooth
:math:`\sqrt{2/\pi}\,\|x - x_\star\|`. The stochastic subgradient
:math:`g = \operatorname{sign}(a^\top x - c)\, a` has :math:`\mathbb E\|g\|^2 = \mathbb E\|a\|^2 = d`
(the sign is :math:`\pm 1` almost surely whenever :math:`x \ne x_\star` or :math:`\sigma > 0`).
These are the Lipschitz, convex problems of Liu & Zhou (2024) [1].

[1] Z. Liu, Z. Zhou (2024). Revisiting the Last-Iterate Convergence of Stochastic
    Gradient Methods. ICLR 2024.
"""
from __future__ import annotations

import math

import numpy as np

from problems._validate import integer, nonnegative
from problems.types import Instance

SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)


def absolute_objective(x, x_star, noise):
    r"""The closed form :math:`f(x) = \sqrt{2/\pi}\sqrt{\|x - x_\star\|^2 + \sigma^2}`, over the last axis."""
    r = np.linalg.norm(np.asarray(x, dtype=np.float64) - x_star, axis=-1)
    return SQRT_2_OVER_PI * np.hypot(r, noise)


def absolute_regression(rng: np.random.Generator, *, dim: int, noise: float = 0.0,
                        x0_distance: float = 1.0) -> Instance:
    r"""Population absolute-loss regression :math:`f(x) = \mathbb E|a^\top x - c|` (module docstring).

    Draws :math:`x_\star \sim N(0, I_d / d)` and :math:`x_0 = x_\star + D u` with
    :math:`u` uniform on the unit sphere.

    Parameters
    ----------
    rng : numpy.random.Generator
        The only source of randomness.
    dim : int
        Dimension :math:`d \ge 1`.
    noise : float
        Label noise :math:`\sigma \ge 0`; :math:`\sigma = 0` is the sharp problem.
    x0_distance : float
        :math:`D = \|x_0 - x_\star\| > 0`.

    Returns
    -------
    Instance
        ``data``: ``x_star``, ``x0`` (d,). ``constants``: ``lipschitz``
        (:math:`\sqrt{2/\pi}`), ``f_star`` (:math:`\sqrt{2/\pi}\,\sigma`), ``dist0``
        (realised :math:`\|x_0 - x_\star\|`), ``dim``, ``noise``, ``gradient_second_moment``
        (:math:`\mathbb E\|g\|^2 = d`).
    """
    d = integer("dim", dim, low=1)
    sigma = nonnegative("noise", noise)
    D = nonnegative("x0_distance", x0_distance, strict=True)
    x_star = rng.standard_normal(d) / math.sqrt(d)
    u = rng.standard_normal(d)
    x0 = x_star + D * (u / np.linalg.norm(u))
    constants = {
        "lipschitz": SQRT_2_OVER_PI,
        "f_star": SQRT_2_OVER_PI * sigma,
        "dist0": float(np.linalg.norm(x0 - x_star)),
        "dim": float(d),
        "noise": sigma,
        "gradient_second_moment": float(d),
    }
    return Instance(data={"x_star": x_star, "x0": x0}, constants=constants,
                    name="absolute_regression")
