r"""Linearly separable classification data with a known separator, margin and radius.

The instances of Tyurin (2024) [1]: labelled points :math:`(b_i, y_i)`,
:math:`y_i \in \{-1, +1\}`, :math:`\|b_i\| \le R`, separable through the origin with
margin :math:`\gamma`: some unit vector :math:`u` has :math:`y_i b_i^\top u \ge \gamma`
for every :math:`i`.

[1] A. Tyurin (2024). From Logistic Regression to the Perceptron Algorithm: Exploring
    Gradient Descent with Large Step Sizes. arXiv:2412.08424.
"""
from __future__ import annotations

import numpy as np

from problems._validate import integer, positive
from problems.types import Instance


def separable_data(rng: np.random.Generator, *, n_samples: int, dim: int,
                   margin: float = 0.1, radius: float = 1.0) -> Instance:
    r"""Points in the ball of radius :math:`R`, separable through the origin with margin :math:`\gamma`.

    Draw a unit separator :math:`u` and points :math:`b_i` uniform in the ball
    :math:`\{\|b\| \le R\}`; write :math:`b_i = s_i u + p_i` with :math:`p_i \perp u` and
    label :math:`y_i = \operatorname{sign}(s_i)`. Then push every point away from the
    hyperplane :math:`u^\top b = 0` by the monotone map

    .. math:: |s_i| \mapsto \gamma' + |s_i| (R' - \gamma') / R,

    with :math:`\gamma' = \gamma + \delta`, :math:`R' = R - \delta` and a slack
    :math:`\delta = 64 (d + 1) \epsilon_{\mathrm{mach}} R` that absorbs round-off, and shrink
    :math:`p_i` (if needed) so that :math:`\|b_i\| \le R'`. Hence, in floating point too,
    :math:`y_i b_i^\top u \ge \gamma` and :math:`\|b_i\| \le R` for every :math:`i`.

    Parameters
    ----------
    rng : numpy.random.Generator
        The only source of randomness.
    n_samples, dim : int
        Number of points :math:`n \ge 1` and dimension :math:`d \ge 1`.
    margin : float
        Nominal margin :math:`\gamma`, with :math:`0 < \gamma < R`.
    radius : float
        Nominal radius :math:`R > 0`.

    Returns
    -------
    Instance
        ``data``: ``features`` (n, d), ``labels`` (n,) in :math:`\{-1, +1\}`, ``separator``
        :math:`u` (d,). ``constants``: ``margin`` (realised
        :math:`\min_i y_i b_i^\top u \ge \gamma`), ``radius`` (realised
        :math:`\max_i \|b_i\| \le R`), ``n_samples``, ``dim``.
    """
    n = integer("n_samples", n_samples, low=1)
    d = integer("dim", dim, low=1)
    gamma = positive("margin", margin)
    R = positive("radius", radius)
    slack = 64.0 * (d + 1) * np.finfo(np.float64).eps * R  # absorbs round-off in b @ u, ||b||
    if gamma + slack >= R - slack:
        raise ValueError(f"margin must be smaller than radius, got margin={margin!r}, "
                         f"radius={radius!r}; lower margin or raise radius")
    u = rng.standard_normal(d)
    u /= np.linalg.norm(u)
    directions = rng.standard_normal((n, d))
    directions /= np.linalg.norm(directions, axis=1, keepdims=True)
    b = directions * (R * rng.uniform(size=n) ** (1.0 / d))[:, None]
    s = b @ u
    p = b - s[:, None] * u[None, :]
    labels = np.where(s >= 0.0, 1.0, -1.0)
    lo, hi = gamma + slack, R - slack
    s_new = lo + np.minimum(np.abs(s), R) * ((hi - lo) / R)
    p_norm = np.linalg.norm(p, axis=1)
    room = np.sqrt(np.maximum(hi * hi - s_new * s_new, 0.0))
    shrink = np.where(p_norm > room, room / np.maximum(p_norm, 1e-300), 1.0)
    features = (labels * s_new)[:, None] * u[None, :] + shrink[:, None] * p
    constants = {
        "margin": float(np.min(labels * (features @ u))),
        "radius": float(np.max(np.linalg.norm(features, axis=1))),
        "n_samples": float(n),
        "dim": float(d),
    }
    data = {"features": features, "labels": labels, "separator": u}
    return Instance(data=data, constants=constants, name="separable_data")
