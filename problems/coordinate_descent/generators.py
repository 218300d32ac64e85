r"""Least-squares instances for (block) coordinate descent, with exact coordinate constants.

Loss convention for all of ``problems.coordinate_descent``:

.. math::

    f(x) = \tfrac12\|Ax - b\|^2, \qquad H = \nabla^2 f = A^\top A, \qquad
    L_i = H_{ii} = \|A_{:,i}\|^2 ,

:math:`L_i` being the Lipschitz constant of :math:`\partial_i f` along coordinate :math:`i`.
The strong-convexity constants that the greedy rules' rates need are computed exactly
from the stored ``H`` (never copied from the generator's inputs):

* ``mu`` :math:`= \lambda_{\min}(H)` (Euclidean norm);
* ``mu_1``: strong convexity in :math:`\|\cdot\|_1`,
  :math:`\mu_1 = \min_{\|z\|_1 = 1} z^\top H z = 1/\max_{\|w\|_\infty \le 1} w^\top H^{-1} w`;
* ``mu_L``: strong convexity in :math:`\|z\|_L = \sum_i \sqrt{L_i}\,|z_i|`,
  :math:`\mu_L = 1/\max_{|w_i| \le \sqrt{L_i}} w^\top H^{-1} w`.

[derived here] For a quadratic, :math:`\sqrt{z^\top H z}` is a norm whose dual is
:math:`\sqrt{w^\top H^{-1} w}`; the smallest ratio :math:`\|z\|_H/\|z\|` over :math:`z \ne 0`
is the reciprocal of the largest ratio :math:`\|w\|_{H^{-1}}/\|w\|_*` (the norm of the
identity map and of its adjoint coincide), which gives both formulas. The maximum of the
convex :math:`w^\top H^{-1} w` over a box is attained at a vertex, so enumerating the
:math:`2^{n-1}` vertices (up to sign) gives ``mu_1`` and ``mu_L`` exactly; it is done for
``dim`` :math:`\le` ``MAX_EXACT_DIM`` and the constants are left out above that. Always
:math:`\mu/n \le \mu_1 \le \mu` and :math:`\mu_L \ge \mu_1/L` with :math:`L = \max_i L_i`
(because :math:`\|z\|_L^2 \le L\|z\|_1^2`) [Nutini et al. 2015, Sec. 3-4, as recalled].
"""
from __future__ import annotations

import numpy as np

from problems import _validate as _checks
from problems.types import Instance

MAX_EXACT_DIM = 16  # 2^15 vertices: the exact l1 / L-norm strong convexity stays cheap
STARTS = ("random", "worst_l1")


def least_squares(rng: np.random.Generator, *, n_samples=60, dim=12, lipschitz_spread=100.0,
                  correlation=0.0, noise=1.0, start="random") -> Instance:
    r"""Least squares whose coordinate Lipschitz constants span ``lipschitz_spread``.

    Columns :math:`a_i = \sqrt{1-c}\,g_i + \sqrt c\,g_0` (:math:`g_i, g_0 \sim N(0, I_m)`,
    :math:`c` = ``correlation``: the columns share a common factor), normalised to unit
    norm and scaled by :math:`\sqrt{L_i}`, with :math:`L_i = s^{\pi(i)/(n-1)}` for a random
    permutation :math:`\pi` of :math:`0..n-1` and :math:`s` = ``lipschitz_spread``: the
    :math:`L_i` are log-spaced on :math:`[1, s]` in random order (:math:`s = 1`: unit
    diagonal). Targets :math:`b = Ax_\star + \sigma r_\perp` with :math:`x_\star \sim N(0, I_n)`,
    :math:`\sigma` = ``noise`` and :math:`r_\perp` a Gaussian projected onto the orthogonal
    complement of the range of :math:`A`, so :math:`x_\star` is the minimiser and
    :math:`f_\star = \frac12\sigma^2\|r_\perp\|^2`.

    Start (``start``): ``"random"``: :math:`x_0 = 0`. ``"worst_l1"``: :math:`x_0 = x_\star + e_0`
    with :math:`e_0 \propto H^{-1}w^\star`, :math:`w^\star` the vertex of the cube maximising
    :math:`w^\top H^{-1}w` (scaled to :math:`\|e_0\| = \sqrt n`): the gradient
    :math:`He_0 \propto w^\star` has equal entries in modulus and
    :math:`\|\nabla f\|_\infty^2 = 2\mu_1(f - f_\star)`, the start on which one Gauss-Southwell
    step with step size :math:`1/L` makes exactly the guaranteed progress :math:`\mu_1/L`
    when the diagonal of :math:`H` is constant [derived here].

    Draw order: the Gaussian columns ``(m, n)``, :math:`g_0`, the permutation, :math:`x_\star`,
    the residual.

    Returns
    -------
    Instance
        ``data``: ``A``, ``b``, ``H``, ``x_star``, ``x0``, ``lipschitz`` (the :math:`L_i`).
        ``constants``: ``L`` :math:`= \max_i L_i`, ``L_min``, ``L_mean``, ``lambda_max``,
        ``mu``, ``mu_1`` and ``mu_L`` (``dim`` :math:`\le 16`), ``gap0``
        :math:`= f(x_0) - f_\star = \frac12 e_0^\top He_0`, ``dist0``, ``f_star``,
        ``lipschitz_spread`` (realised :math:`L/L_{\min}`), ``dim``, ``n_samples``.
    """
    rng = _checks.generator(rng)
    n = _checks.integer("dim", dim, low=2)
    m = _checks.integer("n_samples", n_samples, low=n, fix=f"pass n_samples >= dim = {n} (H must be invertible)")
    spread = _checks.real("lipschitz_spread", lipschitz_spread, low=1.0,
                          fix="pass the ratio max L_i / min L_i, at least 1")
    c = _checks.real("correlation", correlation, low=0.0, high=1.0, high_open=True,
                     fix="pass the share of the common factor, in [0, 1)")
    sigma = _checks.nonnegative("noise", noise, fix="pass a noise level >= 0")
    start = _checks.one_of("start", start, STARTS)
    if start == "worst_l1" and n > MAX_EXACT_DIM:
        raise ValueError(f"start='worst_l1' needs the exact vertex enumeration, dim <= {MAX_EXACT_DIM}, "
                         f"got dim={n}; pass start='random' or a smaller dim")
    G = rng.standard_normal((m, n))
    g0 = rng.standard_normal(m)
    order = rng.permutation(n)
    columns = np.sqrt(1.0 - c) * G + np.sqrt(c) * g0[:, None]
    columns /= np.linalg.norm(columns, axis=0)
    A = columns * np.sqrt(spread ** (order / (n - 1.0)))
    H = A.T @ A
    H = 0.5 * (H + H.T)
    x_star = rng.standard_normal(n)
    r = rng.standard_normal(m)
    Q, _ = np.linalg.qr(A)
    r_perp = r - Q @ (Q.T @ r)
    b = A @ x_star + sigma * r_perp
    H_inv = np.linalg.inv(H)
    H_inv = 0.5 * (H_inv + H_inv.T)
    if start == "worst_l1":
        w = _worst_vertex(H_inv, np.ones(n))
        e0 = H_inv @ w
        e0 *= np.sqrt(n) / np.linalg.norm(e0)
    else:
        e0 = -x_star
    x0 = x_star + e0
    lipschitz = np.diag(H).copy()
    eig = np.linalg.eigvalsh(H)
    constants = {"L": lipschitz.max(), "L_min": lipschitz.min(), "L_mean": lipschitz.mean(),
                 "lambda_max": eig[-1], "mu": eig[0], "gap0": 0.5 * e0 @ H @ e0, "dist0": np.linalg.norm(e0),
                 "f_star": 0.5 * sigma**2 * (r_perp @ r_perp), "lipschitz_spread": lipschitz.max() / lipschitz.min(),
                 "dim": n, "n_samples": m}
    if n <= MAX_EXACT_DIM:
        constants["mu_1"] = 1.0 / _vertex_max(H_inv, np.ones(n))
        constants["mu_L"] = 1.0 / _vertex_max(H_inv, np.sqrt(lipschitz))
    data = {"A": A, "b": b, "H": H, "x_star": x_star, "x0": x0, "lipschitz": lipschitz}
    return Instance(data=data, constants={k: float(v) for k, v in constants.items()},
                    name=f"least_squares(m={m}, n={n}, spread={spread:g}, correlation={c:g}, start={start})")


def strong_convexity(H: np.ndarray, weights: np.ndarray) -> float:
    r"""Strong convexity of :math:`\frac12 z^\top Hz` in the weighted norm
    :math:`\|z\| = \sum_i \text{weights}_i |z_i|`: :math:`1/\max_{|w_i| \le \text{weights}_i}
    w^\top H^{-1} w`, by vertex enumeration (``weights = 1``: ``mu_1``; ``sqrt(L_i)``: ``mu_L``).
    Exact; for ``dim <= MAX_EXACT_DIM``."""
    H = np.asarray(H, dtype=np.float64)
    n = H.shape[0]
    if n > MAX_EXACT_DIM:
        raise ValueError(f"H has dimension {n}; the vertex enumeration is kept to dim <= {MAX_EXACT_DIM}")
    H_inv = np.linalg.inv(H)
    return 1.0 / _vertex_max(0.5 * (H_inv + H_inv.T), np.asarray(weights, dtype=np.float64))


def _vertices(weights: np.ndarray) -> np.ndarray:
    """The ``2^(n-1)`` vertices of the box ``|w_i| <= weights_i`` with ``w_0 > 0`` (the others are their negatives)."""
    n = weights.size
    codes = np.arange(2 ** (n - 1))[:, None]
    signs = 1.0 - 2.0 * ((codes >> np.arange(n - 1)[None, :]) & 1)
    return np.hstack([np.ones((codes.size, 1)), signs]) * weights


def _vertex_max(M: np.ndarray, weights: np.ndarray) -> float:
    W = _vertices(weights)
    return float(np.max(np.einsum("ki,ij,kj->k", W, M, W)))


def _worst_vertex(M: np.ndarray, weights: np.ndarray) -> np.ndarray:
    W = _vertices(weights)
    return W[int(np.argmax(np.einsum("ki,ij,kj->k", W, M, W)))]
