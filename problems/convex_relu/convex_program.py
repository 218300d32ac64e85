r"""Pilanci & Ergen's convex program for two-layer ReLU networks, solved with CVXPY (Clarabel),
its dual certificate, and the reconstruction of the neurons.

Non-convex problem [1, eq. (2)], width :math:`m`, data :math:`X` (bias column included):

.. math:: \min_{u_j, \alpha_j}\ \ell\Big(\sum_{j=1}^m (Xu_j)_+\alpha_j, y\Big) + \frac\beta2\sum_{j=1}^m \big(\|u_j\|_2^2 + \alpha_j^2\big).

Convex program [1, Thm 1; as retrieved in the seed notes, claims_seeds_A §F3], one pair of
blocks per pattern :math:`D_i`:

.. math::

    \min_{v_i, w_i}\ \ell\Big(\sum_{i=1}^P D_iX(v_i - w_i), y\Big) + \beta\sum_{i=1}^P\big(\|v_i\|_2 + \|w_i\|_2\big)
    \quad\text{s.t. } (2D_i - I)Xv_i \ge 0,\ (2D_i - I)Xw_i \ge 0,

with :math:`\ell(z, y) = \frac12\|z - y\|^2` (``loss="squared"``) or :math:`\sum_k (1 - y_kz_k)_+`
(``"hinge"``). Reconstruction [1]: each non-zero :math:`v_i` gives a neuron
:math:`u = v_i/\sqrt{\|v_i\|}`, :math:`\alpha = \sqrt{\|v_i\|}`; each :math:`w_i` one with
:math:`\alpha = -\sqrt{\|w_i\|}`. Then :math:`(Xu)_+\alpha = D_iXv_i` (the constraint fixes the
pattern) and :math:`\frac\beta2(\|u\|^2 + \alpha^2) = \beta\|v_i\|`, so the network's non-convex
objective equals the convex objective [derived here]. Conversely any network maps to a
feasible point with no larger objective (merge the neurons of equal pattern and use
:math:`\frac12(\|u\|^2 + \alpha^2) \ge \|u\||\alpha|`), so the convex optimum :math:`p^\star` lower-bounds
the non-convex objective of every network of every width when all patterns are present.

Dual certificate [derived here]. With :math:`g = \nabla_z\ell` (``squared``: :math:`g = \lambda`;
``hinge``: :math:`g = -\theta\odot y`, :math:`\theta\in[0,1]^n`) the Lagrange dual is

.. math::

    \max\ \ell^*\text{-term}\quad\text{s.t. } \min_{\mu\ge0}\|X^\top D_i g - G_i^\top\mu\| \le \beta,\
    \min_{\nu\ge0}\|{-X^\top D_i g} - G_i^\top\nu\| \le \beta\ \ \forall i,\qquad G_i = (2D_i - I)X,

with objective :math:`-\lambda^\top y - \frac12\|\lambda\|^2` (squared) or :math:`\sum_k\theta_k` (hinge).
Both constraint sides are positively homogeneous in :math:`g`, so scaling a candidate by
:math:`s = \min(1, \beta/\max_i \text{dist}_i)` makes it feasible; the distances to the cones
:math:`\{G_i^\top\mu: \mu \ge 0\}` are non-negative least squares problems. Candidates:
:math:`\lambda = ` the residual at the solution; :math:`\theta = ` Clarabel's multipliers of the hinge
constraints. The scaled dual value is a certified lower bound on :math:`p^\star`;
``duality_gap`` is the objective at the returned point minus it.

[1] M. Pilanci, T. Ergen (2020). Neural Networks are Convex Regularizers. ICML, arXiv:2002.10553.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import cvxpy as cp
import numpy as np
from scipy.optimize import nnls

from problems import _validate as _checks
from problems.types import Instance, Trace

from .arrangements import check_design, sample_patterns

LOSSES = ("squared", "hinge")
SOLVERS = ("CLARABEL", "SCS")


@dataclass(frozen=True)
class ConvexSolution:
    r"""A solve of the convex program: blocks ``V``, ``W`` (P, p), ``value`` (the objective at
    them), ``lower_bound`` (certified dual value), ``duality_gap`` (``value - lower_bound``),
    ``status`` and ``solver`` as CVXPY reports them, ``solve_seconds`` (the solver's own time)."""

    V: np.ndarray
    W: np.ndarray
    value: float
    lower_bound: float
    duality_gap: float
    status: str
    solver: str
    solve_seconds: float


def loss_value(z: np.ndarray, y: np.ndarray, loss: str) -> float:
    """:math:`\\frac12\\|z - y\\|^2` or :math:`\\sum_k (1 - y_kz_k)_+`."""
    if loss == "squared":
        return float(0.5 * np.sum((z - y) ** 2))
    return float(np.sum(np.maximum(1.0 - y * z, 0.0)))


def convex_output(X, patterns, V, W) -> np.ndarray:
    r""":math:`\sum_i D_iX(v_i - w_i)`."""
    return np.sum(patterns * ((V - W) @ X.T), axis=0)


def convex_objective(X, y, patterns, V, W, beta, loss="squared") -> float:
    r"""The convex objective at ``V``, ``W`` (constraints not checked)."""
    penalty = beta * (np.sum(np.linalg.norm(V, axis=1)) + np.sum(np.linalg.norm(W, axis=1)))
    return loss_value(convex_output(X, patterns, V, W), y, loss) + float(penalty)


def network_output(X, U, alpha) -> np.ndarray:
    r""":math:`\sum_j (Xu_j)_+\alpha_j` for neurons ``U`` (m, p) and output weights ``alpha`` (m,)."""
    return np.maximum(X @ U.T, 0.0) @ alpha


def nonconvex_objective(X, y, U, alpha, beta, loss="squared", penalty_scale=1.0) -> float:
    r""":math:`\ell(f(X), y) + s\frac\beta2(\|U\|_F^2 + \|\alpha\|^2)`; ``penalty_scale`` :math:`s = 2` is
    the factor-2 slip (weight decay :math:`\beta(\|u\|^2 + \alpha^2)`)."""
    penalty = 0.5 * penalty_scale * beta * (np.sum(U * U) + np.sum(alpha * alpha))
    return loss_value(network_output(X, U, alpha), y, loss) + float(penalty)


def reconstruct(V, W, *, relative_floor: float = 1e-12) -> tuple[np.ndarray, np.ndarray]:
    r"""Neurons of the convex solution: :math:`u = v/\sqrt{\|v\|}`, :math:`\alpha = \pm\sqrt{\|v\|}`, for every
    block with norm above ``relative_floor`` times the largest (the rest contribute below
    round-off). Returns ``U`` (m, p), ``alpha`` (m,)."""
    norms_v, norms_w = np.linalg.norm(V, axis=1), np.linalg.norm(W, axis=1)
    top = max(float(norms_v.max(initial=0.0)), float(norms_w.max(initial=0.0)), 1e-300)
    keep_v, keep_w = norms_v > relative_floor * top, norms_w > relative_floor * top
    U = np.vstack([V[keep_v] / np.sqrt(norms_v[keep_v])[:, None], W[keep_w] / np.sqrt(norms_w[keep_w])[:, None]])
    alpha = np.concatenate([np.sqrt(norms_v[keep_v]), -np.sqrt(norms_w[keep_w])])
    return U, alpha


def active_blocks(V, W, *, relative_floor: float = 1e-6) -> int:
    """Blocks with norm above ``relative_floor`` times the largest: the width the solution uses."""
    norms = np.concatenate([np.linalg.norm(V, axis=1), np.linalg.norm(W, axis=1)])
    return int(np.sum(norms > relative_floor * max(float(norms.max(initial=0.0)), 1e-300)))


def _check(X, y, patterns, beta, loss, solver):
    X = check_design(X)
    y = np.asarray(y, dtype=np.float64)
    patterns = np.asarray(patterns, dtype=bool)
    if y.shape != (X.shape[0],) or patterns.ndim != 2 or patterns.shape[1] != X.shape[0] or patterns.shape[0] < 1:
        raise ValueError(f"y must have shape ({X.shape[0]},) and patterns (P >= 1, {X.shape[0]}); got {y.shape} "
                         f"and {patterns.shape}; take them from the same instance")
    beta = _checks.positive("beta", beta)
    _checks.one_of("loss", loss, LOSSES)
    _checks.one_of("solver", solver, SOLVERS)
    if loss == "hinge" and not np.all(np.abs(y) == 1.0):
        raise ValueError("loss='hinge' needs labels in {-1, +1}; use data.relu_classification")
    return X, y, patterns, beta


def solve_convex(X, y, patterns, beta, *, loss: str = "squared", solver: str = "CLARABEL",
                 penalty_scale: float = 1.0) -> ConvexSolution:
    r"""Solve the convex program on the given patterns with the named solver (group penalty
    ``penalty_scale`` :math:`\cdot\beta`; 2 is the factor-2 slip of a control) and certify it."""
    X, y, patterns, beta = _check(X, y, patterns, beta, loss, solver)
    beta = beta * _checks.positive("penalty_scale", penalty_scale)
    n, p = X.shape
    D = patterns.astype(np.float64)  # (P, n)
    V, W = cp.Variable((D.shape[0], p)), cp.Variable((D.shape[0], p))
    z = cp.sum(cp.multiply(D, (V - W) @ X.T), axis=0)
    E = 2.0 * D - 1.0
    constraints = [cp.multiply(E, V @ X.T) >= 0, cp.multiply(E, W @ X.T) >= 0]
    penalty = beta * (cp.sum(cp.norm(V, 2, axis=1)) + cp.sum(cp.norm(W, 2, axis=1)))
    if loss == "squared":
        objective = 0.5 * cp.sum_squares(z - y)
    else:
        slack = cp.Variable(n)
        hinge = slack >= 1 - cp.multiply(y, z)
        constraints += [slack >= 0, hinge]
        objective = cp.sum(slack)
    problem = cp.Problem(cp.Minimize(objective + penalty), constraints)
    started = time.perf_counter()
    problem.solve(solver=getattr(cp, solver))
    elapsed = problem.solver_stats.solve_time if problem.solver_stats.solve_time else time.perf_counter() - started
    if V.value is None:
        nan = np.full((D.shape[0], p), np.nan)
        return ConvexSolution(nan, nan, np.nan, np.nan, np.nan, str(problem.status), solver, float(elapsed))
    Vs, Ws = np.asarray(V.value), np.asarray(W.value)
    value = convex_objective(X, y, patterns, Vs, Ws, beta, loss)
    theta = None if loss == "squared" else np.clip(np.asarray(hinge.dual_value, dtype=np.float64), 0.0, 1.0)
    bound = dual_bound(X, y, patterns, Vs, Ws, beta, loss, theta)
    return ConvexSolution(Vs, Ws, value, bound, value - bound, str(problem.status), solver, float(elapsed))


def dual_bound(X, y, patterns, V, W, beta, loss="squared", theta=None) -> float:
    r"""The certified lower bound on :math:`p^\star` of the module docstring, from the candidate
    :math:`\lambda = ` residual (squared) or :math:`\theta` (hinge multipliers)."""
    z = convex_output(X, patterns, V, W)
    g = z - y if loss == "squared" else -np.asarray(theta) * y
    worst = 0.0
    for d in patterns:
        Gt = X.T * (2.0 * d - 1.0)[None, :]  # G_i^T, (p, n)
        a = X.T @ (d * g)
        worst = max(worst, nnls(Gt, a)[1], nnls(Gt, -a)[1])
    scale = 1.0 if worst <= beta else beta / worst
    if loss == "squared":
        lam = scale * g
        return float(-lam @ y - 0.5 * lam @ lam)
    return float(scale * np.sum(theta))


# ---------------------------------------------------------------- methods (Trace producers)

def instance_arrays(instance, method: str):
    """``X``, ``y``, ``patterns``, ``beta``, ``loss`` of an instance from ``data``."""
    if not isinstance(instance, Instance) or not {"X", "y", "patterns"} <= set(instance.data):
        raise ValueError(f"{method} needs an Instance with data X, y, patterns; build it with "
                         f"data.planted_relu_regression or data.relu_classification (got {type(instance).__name__})")
    return (np.ascontiguousarray(instance.data["X"], dtype=np.float64),
            np.ascontiguousarray(instance.data["y"], dtype=np.float64),
            np.asarray(instance.data["patterns"], dtype=bool), float(instance.constants["beta"]),
            instance.data.get("loss", "squared"))


def reconstruction_deviation(instance, rng, *, penalty_scale=1.0, solver="CLARABEL") -> Trace:
    r"""Solve the convex program, rebuild the network, and compare: metric ``relative_deviation``
    :math:`|J_s(U, \alpha) - p^\star|/p^\star` at ``t = 0`` (one value), where :math:`J_s` is the
    non-convex objective with weight decay ``penalty_scale`` :math:`\cdot\frac\beta2`. With
    ``penalty_scale=1`` it is 0 up to the solver's accuracy; with 2 (the factor-2 slip) it is
    exactly :math:`\beta\sum_i(\|v_i\| + \|w_i\|)/p^\star` (``info["predicted_deviation"]``).
    ``rng`` is validated, not used. ``info``: ``solver_status``, ``solver``, ``convex_value``,
    ``duality_gap``, ``solve_seconds``, ``network_objective``, ``width`` (neurons rebuilt),
    ``active_blocks``."""
    X, y, patterns, beta, loss = instance_arrays(instance, "reconstruction_deviation")
    _checks.generator(rng)
    scale = _checks.positive("penalty_scale", penalty_scale)
    solution = solve_convex(X, y, patterns, beta, loss=loss, solver=solver)
    U, alpha = reconstruct(solution.V, solution.W)
    network = nonconvex_objective(X, y, U, alpha, beta, loss, penalty_scale=scale)
    penalty = beta * (np.sum(np.linalg.norm(solution.V, axis=1)) + np.sum(np.linalg.norm(solution.W, axis=1)))
    info = {"solver_status": solution.status, "solver": solution.solver, "convex_value": solution.value,
            "duality_gap": solution.duality_gap, "solve_seconds": solution.solve_seconds,
            "network_objective": network, "width": int(U.shape[0]),
            "active_blocks": active_blocks(solution.V, solution.W),
            "predicted_deviation": float((scale - 1.0) * penalty / abs(solution.value))}
    deviation = abs(network - solution.value) / abs(solution.value)
    return Trace("relative_deviation", np.array([0.0]), np.array([[deviation]]), info)


PATH_METRICS = ("excess", "structural")


def sampled_patterns_path(instance, rng, *, n_gates=2000, n_sizes=8, min_patterns=None, metric="structural",
                          solver="CLARABEL") -> Trace:
    r"""The convex optimum on nested sets of sampled patterns, against the exact one.

    Gates :math:`u_g \sim \mathcal N(0, I)` (``n_gates``, ``arrangements.sample_patterns``) give
    patterns in order of first appearance; the instance's patterns (which must be exact) that no
    gate produced (thin cells) are appended in a random order (``rng.permutation``), so the list
    ends with every pattern. The program is solved on its first :math:`P_s` patterns for
    ``n_sizes`` log-spaced :math:`P_s` from ``min_patterns`` (default :math:`p = d + 1`) to
    :math:`P`; ``t`` holds the :math:`P_s`. With :math:`p(P_s)` those optima and :math:`p^\star` the
    optimum on the instance's own (lexicographic) list, a separate solve:

    * ``excess``: :math:`(p(P_s) - p^\star)/p^\star`;
    * ``structural``: the deviation from the two facts nestedness implies [derived here]:
      :math:`\max(0, p(P_{s,k}) - p(P_{s,k-1}))/p^\star` (monotonicity; 0 at the first size) and,
      at the last size (every pattern), also :math:`|p(P) - p^\star|/p^\star` (the larger of the two).

    ``info``: ``solver_status`` (every solve), ``solver``, ``values`` :math:`p(P_s)`,
    ``convex_value`` :math:`p^\star`, ``duality_gaps``, ``sampled_distinct`` (patterns the gates
    found), ``n_patterns``.
    """
    X, y, patterns, beta, loss = instance_arrays(instance, "sampled_patterns_path")
    _checks.generator(rng)
    if instance.constants.get("patterns_exact", 0.0) != 1.0:
        raise ValueError("sampled_patterns_path needs an instance with every pattern (patterns='exact')")
    gates = _checks.integer("n_gates", n_gates, low=1)
    K = _checks.integer("n_sizes", n_sizes, low=2)
    P = patterns.shape[0]
    low = _checks.integer("min_patterns", X.shape[1] if min_patterns is None else min_patterns, low=1, high=P)
    code = _checks.choice("metric", metric, PATH_METRICS)
    sampled, _ = sample_patterns(X, rng, gates)
    found = {row.tobytes() for row in sampled}
    missing = np.array([row for row in patterns if row.tobytes() not in found], dtype=bool).reshape(-1, X.shape[0])
    ordered = np.vstack([sampled, missing[rng.permutation(missing.shape[0])]])
    sizes = np.unique(np.round(np.geomspace(low, P, K)).astype(np.int64))
    solves = [solve_convex(X, y, ordered[:k], beta, loss=loss, solver=solver) for k in sizes]
    reference = solve_convex(X, y, patterns, beta, loss=loss, solver=solver)
    values = np.array([s.value for s in solves])
    p_star = reference.value
    if code == 0:
        measured = (values - p_star) / abs(p_star)
    else:
        measured = np.concatenate([[0.0], np.maximum(np.diff(values), 0.0) / abs(p_star)])
        measured[-1] = max(measured[-1], abs(values[-1] - p_star) / abs(p_star))
    info = {"solver_status": [s.status for s in solves] + [reference.status], "solver": solver,
            "values": values, "convex_value": p_star, "duality_gaps": np.array([s.duality_gap for s in solves]),
            "sampled_distinct": int(sampled.shape[0]), "n_patterns": P}
    return Trace(metric, sizes.astype(np.float64), measured[None, :], info)
