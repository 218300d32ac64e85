r"""The vocabulary of assumptions, each with a check on a concrete instance.

A claim names its assumptions; before any measurement each instance is checked, and an
instance that breaks one makes the verdict ``invalid`` (it tested nothing), never
``violated``. A check reads the instance's data (the Hessian ``H``, or a Gaussian
target's ``precision``, which is the Hessian of its potential; the design ``A``,
labels) and constants; when the data it needs is absent the assumption is reported as
*unchecked* in the evidence rather than trusted silently.
"""
from __future__ import annotations

from typing import Callable, Mapping, Optional

import numpy as np

RTOL = 1e-9


def _hessian(instance) -> Optional[np.ndarray]:
    # a Gaussian target's potential -log pi has the precision as its Hessian
    H = instance.data.get("H", instance.data.get("precision"))
    return None if H is None else np.asarray(H, dtype=np.float64)


def _eigenvalues(instance) -> Optional[np.ndarray]:
    H = _hessian(instance)
    return None if H is None else np.linalg.eigvalsh(0.5 * (H + H.T))


def smooth(instance) -> Optional[str]:
    r""":math:`\nabla^2 f \preceq L I`: the largest Hessian eigenvalue is at most ``L``."""
    lam = _eigenvalues(instance)
    if lam is None:
        return None
    L = instance.constants["L"]
    return None if lam.max() <= L * (1 + RTOL) else f"lambda_max(H) = {lam.max():.6g} exceeds L = {L:.6g}"


def strongly_convex(instance) -> Optional[str]:
    r""":math:`\nabla^2 f \succeq \mu I` with :math:`\mu > 0`."""
    lam = _eigenvalues(instance)
    mu = instance.constants.get("mu", 0.0)
    if mu <= 0:
        return f"mu = {mu:.6g} is not positive"
    if lam is None:
        return None
    return None if lam.min() >= mu * (1 - RTOL) else f"lambda_min(H) = {lam.min():.6g} is below mu = {mu:.6g}"


def interpolation(instance) -> Optional[str]:
    """Every sample is fitted exactly at the minimum: zero residual at ``x_star``."""
    A, b, x_star = (instance.data.get(k) for k in ("A", "b", "x_star"))
    if A is None or b is None or x_star is None:
        return None
    residual = np.linalg.norm(A @ x_star - b)
    scale = max(np.linalg.norm(b), 1.0)
    return None if residual <= 1e-8 * scale else f"residual ||A x_star - b|| = {residual:.3g} is not zero"


def separable(instance) -> Optional[str]:
    """Some direction separates the labels with a positive margin."""
    features, labels, u = (instance.data.get(k) for k in ("features", "labels", "separator"))
    if features is None or labels is None or u is None:
        return None
    margin = float(np.min(labels * (features @ u)))
    return None if margin > 0 else f"the stored separator has margin {margin:.3g} <= 0"


def positive_semidefinite(instance) -> Optional[str]:
    r"""A convex quadratic: the Hessian :math:`H \succeq 0`."""
    lam = _eigenvalues(instance)
    if lam is None:
        return None
    return None if lam.min() >= -RTOL * max(lam.max(), 1.0) else f"lambda_min(H) = {lam.min():.3g} < 0"


def lipschitz(instance) -> Optional[str]:
    """A positive Lipschitz constant ``lipschitz`` among the constants."""
    G = instance.constants.get("lipschitz")
    return None if G is not None and G > 0 else f"no positive constant 'lipschitz' (got {G!r})"


# name -> (the data key the check reads, the check); without that key the name is reported unchecked
CHECKS: Mapping[str, tuple[Optional[str], Callable]] = {
    "convex-quadratic": ("H", positive_semidefinite),
    "L-smooth": ("H", smooth),
    "strongly-convex": ("H", strongly_convex),
    "interpolation": ("A", interpolation),
    "linearly-separable": ("features", separable),
    "lipschitz": (None, lipschitz),
}


def check(instance, names) -> tuple[Optional[str], list[str]]:
    """The first broken assumption's message (or None) and the names that could not be checked."""
    unchecked = []
    for name in names:
        needs, test = CHECKS[name]
        if needs is not None and needs not in instance.data:
            unchecked.append(name)
        message = test(instance)
        if message:
            return f"assumption {name!r} fails on the instance: {message}", unchecked
    return None, unchecked
