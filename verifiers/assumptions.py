r"""The vocabulary of assumptions, each with a check on a concrete instance.

A claim names its assumptions; before any measurement each instance is checked, and an
instance that breaks one makes the verdict ``invalid`` (it tested nothing), never
``violated``. A check reads the instance's data (the Hessian ``H``, or a Gaussian
target's ``precision``, which is the Hessian of its potential; the design ``A``,
labels; a linear operator) and constants, and, for conditions on the method (a step
size, a batch size), the method's resolved parameters; when the data it needs is absent
the assumption is reported as *unchecked* in the evidence rather than trusted silently.

Conditions that quantify over points (cocoercive, monotone) are checked the way they are
stated: hypothesis draws directions :math:`d = x - y` and looks for one that breaks the
inequality; the one it finds is shrunk to a minimal witness and named in the message.
A spectral shortcut would be exact for linear operators, but the drawn check is what
generalises to the non-linear ones, and its witness is what a user can read.
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


def smooth(instance, params=None) -> Optional[str]:
    r""":math:`\nabla^2 f \preceq L I`: the largest Hessian eigenvalue is at most ``L``."""
    lam = _eigenvalues(instance)
    if lam is None:
        return None
    L = instance.constants["L"]
    return None if lam.max() <= L * (1 + RTOL) else f"lambda_max(H) = {lam.max():.6g} exceeds L = {L:.6g}"


def strongly_convex(instance, params=None) -> Optional[str]:
    r""":math:`\nabla^2 f \succeq \mu I` with :math:`\mu > 0`."""
    lam = _eigenvalues(instance)
    mu = instance.constants.get("mu", 0.0)
    if mu <= 0:
        return f"mu = {mu:.6g} is not positive"
    if lam is None:
        return None
    return None if lam.min() >= mu * (1 - RTOL) else f"lambda_min(H) = {lam.min():.6g} is below mu = {mu:.6g}"


def interpolation(instance, params=None) -> Optional[str]:
    """Every sample is fitted exactly at the minimum: zero residual at ``x_star``."""
    A, b, x_star = (instance.data.get(k) for k in ("A", "b", "x_star"))
    if A is None or b is None or x_star is None:
        return None
    residual = np.linalg.norm(A @ x_star - b)
    scale = max(np.linalg.norm(b), 1.0)
    return None if residual <= 1e-8 * scale else f"residual ||A x_star - b|| = {residual:.3g} is not zero"


def separable(instance, params=None) -> Optional[str]:
    """Some direction separates the labels with a positive margin."""
    features, labels, u = (instance.data.get(k) for k in ("features", "labels", "separator"))
    if features is None or labels is None or u is None:
        return None
    margin = float(np.min(labels * (features @ u)))
    return None if margin > 0 else f"the stored separator has margin {margin:.3g} <= 0"


def positive_semidefinite(instance, params=None) -> Optional[str]:
    r"""A convex quadratic: the Hessian :math:`H \succeq 0`."""
    lam = _eigenvalues(instance)
    if lam is None:
        return None
    return None if lam.min() >= -RTOL * max(lam.max(), 1.0) else f"lambda_min(H) = {lam.min():.3g} < 0"


def lipschitz(instance, params=None) -> Optional[str]:
    """A positive Lipschitz constant ``lipschitz`` among the constants."""
    G = instance.constants.get("lipschitz")
    return None if G is not None and G > 0 else f"no positive constant 'lipschitz' (got {G!r})"


def step_size_inverse_smoothness(instance, params=None) -> Optional[str]:
    r"""The method's step size is :math:`\eta = 1/L` (the step a theorem "with step 1/L" is stated for:
    a smaller one contracts the slow modes less, a larger one the fast ones)."""
    eta, L = (params or {}).get("step_size"), instance.constants.get("L")
    if not isinstance(eta, (int, float)) or L is None:
        return None
    return None if abs(eta * L - 1) <= 1e-6 else f"step_size * L = {eta * L:.6g}, not 1"


def batch_size_one(instance, params=None) -> Optional[str]:
    """The stochastic method samples one example per step."""
    batch = (params or {}).get("batch_size")
    if batch is None:
        return None
    return None if int(batch) == 1 else f"batch_size = {batch!r}, not 1"


def losses_in_unit_interval(instance, params=None) -> Optional[str]:
    r"""Every loss of the sequence lies in :math:`[0, 1]`."""
    losses = instance.data.get("losses")
    if losses is None:
        return None
    low, high = float(np.min(losses)), float(np.max(losses))
    return None if low >= 0 and high <= 1 else f"losses range over [{low:.4g}, {high:.4g}], not inside [0, 1]"


def _linear_operator(instance) -> Optional[np.ndarray]:
    # the monotone-inclusion convention: F(z) = A z - b with a known zero z_star (and components A_i)
    if "A_components" not in instance.data or "A" not in instance.data:
        return None
    return np.asarray(instance.data["A"], dtype=np.float64)


def _witness(A: np.ndarray, broken: Callable[[np.ndarray], bool]) -> Optional[np.ndarray]:
    r"""A direction :math:`d = x - y` on which ``broken(d)`` holds, drawn and shrunk by hypothesis,
    or ``None`` when none was found. Seeded: the same instance gives the same witness."""
    from hypothesis import HealthCheck, Phase, find, settings
    from hypothesis import strategies as st
    from hypothesis.errors import NoSuchExample

    dim = A.shape[0]
    # coordinates and the span of the operator's leading singular directions, so that a broken
    # inequality confined to a few directions is met by a handful of draws, not by luck
    _, _, right = np.linalg.svd(A)
    directions = st.one_of(
        st.lists(st.floats(-4, 4, allow_nan=False), min_size=dim, max_size=dim).map(np.asarray),
        st.tuples(st.integers(0, dim - 1), st.floats(-4, 4, allow_nan=False)).map(
            lambda pair: pair[1] * right[pair[0]]),
    )
    try:
        return find(directions, lambda d: bool(np.any(d)) and broken(np.asarray(d, dtype=np.float64)),
                    settings=settings(max_examples=60, database=None, derandomize=True, deadline=None,
                                      phases=(Phase.generate, Phase.shrink), suppress_health_check=list(HealthCheck)))
    except NoSuchExample:
        return None


def cocoercive(instance, params=None) -> Optional[str]:
    r""":math:`F` is :math:`1/L`-cocoercive: :math:`\langle F x - F y, x - y\rangle \ge \frac1L\|F x - F y\|^2`
    for all :math:`x, y` (checked on drawn directions :math:`d = x - y`; for :math:`F z = Az - b`,
    :math:`F x - F y = A d`)."""
    A = _linear_operator(instance)
    L = instance.constants.get("L")
    if A is None or L is None:
        return None

    def broken(d):
        Ad = A @ d
        return d @ Ad < (Ad @ Ad) / L - RTOL * (Ad @ Ad + d @ d) * max(L, 1.0)

    d = _witness(A, broken)
    if d is None:
        return None
    Ad = A @ d
    return (f"<F x - F y, x - y> = {d @ Ad:.6g} < ||F x - F y||^2 / L = {(Ad @ Ad) / L:.6g} at x - y = "
            f"{np.array2string(d, precision=3, threshold=6)}")


def monotone(instance, params=None) -> Optional[str]:
    r""":math:`F` is monotone: :math:`\langle F x - F y, x - y\rangle \ge 0` (drawn directions, as above)."""
    A = _linear_operator(instance)
    if A is None:
        return None

    def broken(d):
        return d @ (A @ d) < -RTOL * (d @ d) * max(np.abs(A).max(), 1.0)

    d = _witness(A, broken)
    if d is None:
        return None
    return f"<F x - F y, x - y> = {d @ (A @ d):.6g} < 0 at x - y = {np.array2string(d, precision=3, threshold=6)}"


# name -> (the data key or method parameter the check reads, the check); without it the name is reported unchecked
CHECKS: Mapping[str, tuple[Optional[str], Callable]] = {
    "convex-quadratic": ("H", positive_semidefinite),
    "L-smooth": ("H", smooth),
    "strongly-convex": ("H", strongly_convex),
    "interpolation": ("A", interpolation),
    "linearly-separable": ("features", separable),
    "lipschitz": (None, lipschitz),
    "cocoercive": ("A_components", cocoercive),
    "monotone": ("A_components", monotone),
    "losses-in-unit-interval": ("losses", losses_in_unit_interval),
    "step-size-1/L": ("step_size", step_size_inverse_smoothness),
    "batch-size-one": ("batch_size", batch_size_one),
}


def check(instance, names, params: Optional[Mapping] = None) -> tuple[Optional[str], list[str]]:
    """The first broken assumption's message (or None) and the names that could not be checked.
    ``params``: the method's resolved parameters (for conditions on the method)."""
    params = dict(params or {})
    unchecked = []
    for name in names:
        needs, test = CHECKS[name]
        if needs is not None and needs not in instance.data and needs not in params:
            unchecked.append(name)
        message = test(instance, params)
        if message:
            return f"assumption {name!r} fails on the instance: {message}", unchecked
    return None, unchecked
