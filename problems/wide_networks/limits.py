r"""Infinite-width limits of a two-layer network, in closed form, and its finite-width fluctuations.

The network is :math:`f(x) = \frac{1}{\sqrt m}\sum_{j=1}^m a_j\,\phi(w_j^\top x)` with
:math:`w_j \sim \mathcal N(0, I_d)` and :math:`a_j \sim \mathcal N(0, 1)`, all independent (the NTK
parameterisation of Jacot, Gabriel & Hongler [1], without biases). For two inputs :math:`x, y`
the pre-activations :math:`(u, v) = (w^\top x, w^\top y)` are jointly Gaussian with
:math:`\mathbb E u^2 = \|x\|^2`, :math:`\mathbb E v^2 = \|y\|^2`, :math:`\mathbb E uv = x^\top y
= \|x\|\|y\|\cos\theta`. Everything below is a Gaussian expectation of :math:`(u, v)`.

**Arc-cosine integrals** [derived here; the same as Cho & Saul's arc-cosine kernels, recollection]:
write :math:`u = \|x\|z_1`, :math:`v = \|y\|(z_1\cos\theta + z_2\sin\theta)` with
:math:`z \sim \mathcal N(0, I_2)`, pass to polar coordinates :math:`z = r(\cos\psi, \sin\psi)`;
both are positive iff :math:`\psi \in (\theta - \pi/2, \pi/2)`, an arc of length
:math:`\pi - \theta`, and :math:`\int_0^\infty r^{2n+1} e^{-r^2/2} dr/(2\pi) = 2^n n!/(2\pi)`
leaves the angular integrals

.. math::

    \mathbb E[\mathbb 1_{u>0}\mathbb 1_{v>0}] = \frac{J_0}{2\pi},\qquad
    \mathbb E[\mathrm{relu}(u)\,\mathrm{relu}(v)] = \|x\|\|y\|\frac{J_1}{2\pi},\qquad
    \mathbb E[\mathrm{relu}(u)^2\mathrm{relu}(v)^2] = \|x\|^2\|y\|^2\frac{J_2}{2\pi},

    J_0 = \pi - \theta,\quad J_1 = \sin\theta + (\pi - \theta)\cos\theta,\quad
    J_2 = 3\sin\theta\cos\theta + (\pi - \theta)(1 + 2\cos^2\theta)

(:math:`J_n = 2^n n!\int\cos^n\psi\cos^n(\psi - \theta)\,d\psi` over the arc; at :math:`\theta = 0` they give
:math:`\mathbb E\,\mathrm{relu}(u)^2 = \|x\|^2/2` and :math:`\mathbb E\,\mathrm{relu}(u)^4 = 3\|x\|^4/2`).
For :math:`\phi(u) = u` (``"linear"``) the same expectations are Isserlis' :math:`x^\top y`, 1 and
:math:`\|x\|^2\|y\|^2 + 2(x^\top y)^2`.

**Limit kernels.** :math:`\partial f/\partial a_j = \phi(u_j)/\sqrt m` and
:math:`\partial f/\partial w_j = a_j\phi'(u_j)x/\sqrt m`, so the empirical NTK is an average of
:math:`m` i.i.d. terms

.. math::

    \Theta_m(x, y) = \frac1m\sum_j T_j, \quad T_j = \phi(u_j)\phi(v_j) + a_j^2\,(x^\top y)\,
    \phi'(u_j)\phi'(v_j), \qquad
    \Theta_\infty(x, y) = \mathbb E T = \mathbb E[\phi(u)\phi(v)] + x^\top y\,\mathbb E[\phi'(u)\phi'(v)],

the first term being the NNGP kernel :math:`K(x, y) = \mathbb E f(x)f(y)`. For ReLU,
:math:`\Theta_\infty = \|x\|\|y\|J_1/(2\pi) + x^\top y\,(\pi - \theta)/(2\pi)` [derived here].

**NTK fluctuations** [derived here]. Being an i.i.d. average,
:math:`\mathbb E\|\Theta_m - \Theta_\infty\|_F^2 = V/m` exactly at every width, with
:math:`V = \sum_{i,k}\operatorname{Var} T(x_i, x_k)` and
:math:`\mathbb E T^2 = \mathbb E[\phi^2(u)\phi^2(v)] + 2x^\top y\,\mathbb E[\phi\phi'(u)\phi\phi'(v)]
+ 3(x^\top y)^2\,\mathbb E[\phi'^2(u)\phi'^2(v)]` (:math:`\mathbb E a^2 = 1`, :math:`\mathbb E a^4 = 3`);
for ReLU :math:`\phi\phi' = \phi` and :math:`\phi'^2 = \phi'`.

**Output kurtosis** [derived here]. Given the hidden layer, :math:`f(x)` is
:math:`\mathcal N(0, S)` with :math:`S = \frac1m\sum_j\phi(u_j)^2`, so :math:`\mathbb E f^2 =
\mathbb E S` and :math:`\mathbb E f^4 = 3\,\mathbb E S^2 = 3(\mathbb E\phi^4/m + (1 - 1/m)(\mathbb
E\phi^2)^2)`: the excess kurtosis is

.. math:: \kappa_m = \frac{\mathbb E f^4}{(\mathbb E f^2)^2} - 3 = \frac cm, \qquad
          c = 3\Big(\frac{\mathbb E\phi(u)^4}{(\mathbb E\phi(u)^2)^2} - 1\Big),

exactly at every :math:`m \ge 1`: :math:`c = 15` for ReLU (:math:`\mathbb E\phi^4/(\mathbb E
\phi^2)^2 = 6`), :math:`c = 6` for the linear network.

[1] A. Jacot, F. Gabriel, C. Hongler (2018). Neural Tangent Kernel: Convergence and
    Generalization in Neural Networks. NeurIPS 2018, arXiv:1806.07572.
"""
from __future__ import annotations

import numpy as np

ACTIVATIONS = ("relu", "linear")


def gaussian_moments(X: np.ndarray, activation: str) -> dict:
    r"""The Gaussian expectations over :math:`w \sim \mathcal N(0, I)` for every pair of rows of
    ``X`` (n, d), each an (n, n) array: ``phi_phi`` :math:`\mathbb E\phi(u)\phi(v)` (the NNGP
    kernel), ``dphi_dphi`` :math:`\mathbb E\phi'(u)\phi'(v)`, ``phi2_phi2``
    :math:`\mathbb E\phi^2(u)\phi^2(v)`, ``phidphi`` :math:`\mathbb E[\phi\phi'(u)\,\phi\phi'(v)]`,
    ``dphi2_dphi2`` :math:`\mathbb E\phi'^2(u)\phi'^2(v)`; and ``gram`` :math:`x^\top y`."""
    X = np.asarray(X, dtype=np.float64)
    gram = X @ X.T
    norms = np.sqrt(np.diag(gram))
    outer = np.outer(norms, norms)
    if activation == "linear":
        ones = np.ones_like(gram)
        return {"gram": gram, "phi_phi": gram, "dphi_dphi": ones, "phi2_phi2": outer**2 + 2 * gram**2,
                "phidphi": gram, "dphi2_dphi2": ones}
    with np.errstate(invalid="ignore", divide="ignore"):
        cos = np.clip(np.where(outer > 0, gram / outer, 1.0), -1.0, 1.0)
    theta = np.arccos(cos)
    sin = np.sqrt(np.maximum(0.0, 1.0 - cos**2))
    j0 = np.pi - theta
    j1 = sin + (np.pi - theta) * cos
    j2 = 3 * sin * cos + (np.pi - theta) * (1 + 2 * cos**2)
    phi_phi = outer * j1 / (2 * np.pi)
    dphi_dphi = j0 / (2 * np.pi)
    return {"gram": gram, "phi_phi": phi_phi, "dphi_dphi": dphi_dphi,
            "phi2_phi2": outer**2 * j2 / (2 * np.pi), "phidphi": phi_phi, "dphi2_dphi2": dphi_dphi}


def limit_ntk(X: np.ndarray, activation: str) -> np.ndarray:
    r""":math:`\Theta_\infty(x_i, x_k)` for the rows of ``X`` (see the module docstring)."""
    m = gaussian_moments(X, activation)
    return m["phi_phi"] + m["gram"] * m["dphi_dphi"]


def ntk_entry_variances(X: np.ndarray, activation: str) -> np.ndarray:
    r""":math:`\operatorname{Var} T(x_i, x_k)` for one hidden unit: ``m`` times the variance of
    the entry :math:`(i, k)` of :math:`\Theta_m`, at every width."""
    m = gaussian_moments(X, activation)
    g = m["gram"]
    second = m["phi2_phi2"] + 2 * g * m["phidphi"] + 3 * g**2 * m["dphi2_dphi2"]
    return second - (m["phi_phi"] + g * m["dphi_dphi"]) ** 2


def kurtosis_constant(activation: str) -> float:
    r""":math:`c = 3(\mathbb E\phi^4/(\mathbb E\phi^2)^2 - 1)`, so that the excess kurtosis of
    :math:`f(x)` is :math:`c/m` (15 for ReLU, 6 for the linear network; any input
    :math:`x \ne 0`, both activations being positively homogeneous)."""
    ratio = {"relu": 6.0, "linear": 3.0}[activation]
    return 3.0 * (ratio - 1.0)
