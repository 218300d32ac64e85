r"""Sequences of shifted 2-D Poisson systems :math:`A_t x = b_t` and Young's SOR theory for them.

The model problem is the 5-point Laplacian on a ``grid`` :math:`\times` ``grid`` interior grid
with homogeneous Dirichlet boundary, **unscaled** (no :math:`1/h^2`), plus a diagonal shift:

.. math::

    (A_c x)_{ij} = (4 + c)\,x_{ij} - x_{i-1,j} - x_{i+1,j} - x_{i,j-1} - x_{i,j+1},
    \qquad x = 0 \text{ outside } 1 \le i, j \le g,

unknowns in lexicographic (row-major) order, :math:`n = g^2`. :math:`A_c` is symmetric positive
definite for :math:`c \ge 0` and consistently ordered (the 5-point stencil is 2-cyclic: red-black
colouring), so Young's theory applies [Young 1971, Ch. 6, recollection]:

* Jacobi :math:`J = I - D^{-1}A_c`, :math:`D = (4 + c)I`, has real eigenvalues
  :math:`\frac{2\cos(\pi p/(g+1)) + 2\cos(\pi q/(g+1))}{4 + c}`, so [derived here: the
  off-diagonal part is minus the grid graph's adjacency, whose eigenvalues are sums of two
  path-graph eigenvalues :math:`2\cos(\pi p/(g+1))`]

  .. math:: \rho(J) = \mu(c) = \frac{4\cos(\pi/(g+1))}{4 + c};

* SOR with relaxation :math:`\omega \in (0, 2)` has iteration matrix
  :math:`\mathcal L_\omega = (D - \omega L)^{-1}((1-\omega)D + \omega U)` and, with
  :math:`\mu = \rho(J) < 1`,

  .. math::

      \rho(\mathcal L_\omega) = \begin{cases}
      \tfrac14\big(\omega\mu + \sqrt{\omega^2\mu^2 - 4(\omega - 1)}\big)^2 & 0 < \omega \le \omega^\star,\\
      \omega - 1 & \omega^\star \le \omega < 2,\end{cases}
      \qquad \omega^\star = \frac{2}{1 + \sqrt{1 - \mu^2}},

  minimised at Young's :math:`\omega^\star` with :math:`\rho(\mathcal L_{\omega^\star}) = \omega^\star - 1`;
  :math:`\omega = 1` (Gauss-Seidel) gives :math:`\mu^2`. (Tested here against dense eigenvalues.)

Learning-to-relax setting (Khodak, Chow, Balcan & Talwalkar, ICLR 2024, arXiv:2310.02246, as
retrieved: the abstract): a sequence of systems :math:`A_t = A_{c_t}` is solved by SOR with a
relaxation chosen by a bandit that sees only the iteration counts.
"""
from __future__ import annotations

import math

import numpy as np

from problems import _validate as _checks
from problems.types import Instance

DEFAULT_OMEGAS = tuple(np.round(np.linspace(1.0, 1.95, 20), 10))


def jacobi_radius(grid: int, shift: float = 0.0) -> float:
    r""":math:`\rho(J) = 4\cos(\pi/(g+1))/(4 + c)` for the shifted 5-point Laplacian [derived here,
    see the module docstring]."""
    g = _checks.integer("grid", grid, low=1)
    c = _checks.nonnegative("shift", shift, fix="the shifted Laplacian needs c >= 0")
    return 4.0 * math.cos(math.pi / (g + 1)) / (4.0 + c)


def young_omega(jacobi_radius: float) -> float:
    r"""Young's optimal relaxation :math:`\omega^\star = 2/(1 + \sqrt{1 - \mu^2})` for a
    consistently ordered matrix whose Jacobi matrix has real eigenvalues and radius
    :math:`\mu < 1` [Young 1971, Ch. 6, recollection]."""
    mu = _checks.real("jacobi_radius", jacobi_radius, low=0.0, high=1.0, high_open=True,
                      fix="SOR theory needs a convergent Jacobi iteration")
    return 2.0 / (1.0 + math.sqrt(1.0 - mu * mu))


def sor_spectral_radius(omega: float, jacobi_radius: float) -> float:
    r""":math:`\rho(\mathcal L_\omega)` from Young's formula (module docstring): for
    :math:`\omega \le \omega^\star` the larger root of :math:`\lambda + \omega - 1 =
    \omega\mu\sqrt\lambda`, squared; for :math:`\omega \ge \omega^\star`, :math:`\omega - 1`
    [Young 1971, Ch. 6, recollection]."""
    w = _checks.real("omega", omega, low=0.0, high=2.0, low_open=True, high_open=True,
                     fix="SOR converges only for omega in (0, 2)")
    mu = _checks.real("jacobi_radius", jacobi_radius, low=0.0, high=1.0, high_open=True,
                      fix="SOR theory needs a convergent Jacobi iteration")
    disc = w * w * mu * mu - 4.0 * (w - 1.0)
    if w >= young_omega(mu) or disc < 0:
        return abs(w - 1.0)
    return 0.25 * (w * mu + math.sqrt(disc)) ** 2


def laplacian_2d(grid: int, shift: float = 0.0) -> np.ndarray:
    r"""The dense :math:`g^2 \times g^2` matrix :math:`A_c` (lexicographic order), for tests and
    small checks only: the solvers never form it."""
    g = _checks.integer("grid", grid, low=1, high=64, fix="dense matrices are for small grids")
    c = _checks.nonnegative("shift", shift)
    path = 2.0 * np.eye(g) - np.eye(g, k=1) - np.eye(g, k=-1)
    return np.kron(path, np.eye(g)) + np.kron(np.eye(g), path) + c * np.eye(g * g)


def shifted_laplacians(rng: np.random.Generator, *, grid=10, horizon, shift_low=0.0,
                       shift_high=2.0, tol=1e-8, omegas=DEFAULT_OMEGAS, max_iter=None) -> Instance:
    r"""A sequence of ``horizon`` systems :math:`A_t x = b_t`, :math:`A_t = A_{c_t}` (module
    docstring), :math:`c_t \sim U[` ``shift_low``, ``shift_high`` :math:`]` i.i.d.,
    :math:`b_t \sim N(0, I_{g^2})` i.i.d. (stored on the grid, shape ``(g, g)``); SOR starts at
    :math:`x_0 = 0` and stops at the first :math:`k` with
    :math:`\|b_t - A_t x_k\|_2 \le` ``tol`` :math:`\|b_t\|_2`.

    ``omegas`` are the default arms (relaxations) of the methods. ``max_iter`` caps every SOR
    solve and normalises the bandit costs (cost = iterations / ``max_iter`` :math:`\in [0, 1]`).
    Default [derived here, an a-priori budget]: with :math:`\rho_{\max}` the largest Young radius
    :math:`\rho(\mathcal L_\omega)` over the arms at :math:`c` = ``shift_low`` (the slowest
    shift: :math:`\rho` grows with :math:`\mu`),
    :math:`\lceil 2\ln(1/\mathrm{tol})/\ln(1/\rho_{\max})\rceil + 20` — twice the asymptotic
    count, for the non-normal transient of :math:`\mathcal L_\omega`.

    Draw order: the shifts ``rng.uniform(shift_low, shift_high, horizon)``, then the right-hand
    sides ``rng.standard_normal((horizon, grid, grid))``. Nothing heavy is computed here.

    Returns
    -------
    Instance
        ``data``: ``shifts`` (T,), ``rhs`` (T, g, g), ``omegas`` (K,). ``constants``: ``grid``,
        ``n_unknowns`` :math:`g^2`, ``horizon``, ``tol``, ``max_iter``, ``n_arms``,
        ``shift_low``, ``shift_high``, ``jacobi_radius`` :math:`\mu(0) = \cos(\pi/(g+1))`,
        ``young_omega`` :math:`\omega^\star(0)`, ``young_radius`` :math:`\omega^\star(0) - 1`,
        ``gauss_seidel_radius`` :math:`\mu(0)^2`, ``young_omega_shift_low`` and
        ``young_omega_shift_high`` (:math:`\omega^\star` at the ends of the shift range).
    """
    rng = _checks.generator(rng)
    g = _checks.integer("grid", grid, low=2, fix="pass the number of interior points per side")
    T = _checks.integer("horizon", horizon, low=1, fix="pass the number of systems in the sequence")
    lo = _checks.nonnegative("shift_low", shift_low, fix="the shifted Laplacian needs c >= 0")
    hi = _checks.real("shift_high", shift_high, low=lo,
                      fix=f"pass shift_high >= shift_low = {lo}")
    tol = _checks.real("tol", tol, low=0.0, high=1.0, low_open=True, high_open=True,
                       fix="pass a relative residual in (0, 1), e.g. 1e-8")
    arms = check_omegas(omegas)
    mu0, mu_lo = jacobi_radius(g, 0.0), jacobi_radius(g, lo)
    if max_iter is None:
        rho_max = max(sor_spectral_radius(w, mu_lo) for w in arms)
        cap = 2.0 * math.log(1.0 / tol) / math.log(1.0 / max(rho_max, 1e-300))
        max_iter = int(math.ceil(cap)) + 20
    max_iter = _checks.integer("max_iter", max_iter, low=1, high=10**8)
    shifts = rng.uniform(lo, hi, T)
    rhs = rng.standard_normal((T, g, g))
    w0 = young_omega(mu0)
    constants = {
        "grid": g, "n_unknowns": g * g, "horizon": T, "tol": tol, "max_iter": max_iter,
        "n_arms": arms.size, "shift_low": lo, "shift_high": hi, "jacobi_radius": mu0,
        "young_omega": w0, "young_radius": w0 - 1.0, "gauss_seidel_radius": mu0 * mu0,
        "young_omega_shift_low": young_omega(mu_lo),
        "young_omega_shift_high": young_omega(jacobi_radius(g, hi)),
    }
    return Instance(data={"shifts": shifts, "rhs": rhs, "omegas": arms}, constants=constants,
                    name=f"shifted_laplacians(grid={g}, horizon={T}, shift=[{lo}, {hi}])")


def check_omegas(omegas, name: str = "omegas") -> np.ndarray:
    """Relaxations as a float64 array: non-empty, strictly increasing, each in (0, 2)."""
    try:
        arms = np.asarray(omegas, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a sequence of numbers, got {omegas!r}") from None
    if arms.ndim != 1 or arms.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D sequence, got shape {arms.shape}")
    if not np.all(np.isfinite(arms)) or arms.min() <= 0.0 or arms.max() >= 2.0:
        raise ValueError(f"{name} must lie in (0, 2) (where SOR converges on SPD systems), "
                         f"got range [{arms.min()}, {arms.max()}]")
    if np.any(np.diff(arms) <= 0):
        raise ValueError(f"{name} must be strictly increasing; pass np.unique({name})")
    return arms
