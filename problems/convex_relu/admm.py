r"""ADMM for the convex program of two-layer ReLU networks (Bai, Gautam & Sojoudi), its per-iteration
cost, and the local linear rate predicted by the linearisation at the fixed point.

Splitting [Bai et al., Algorithm 3.1, as reconstructed from the abstract and a third-party
re-implementation (github.com/zachary-shah/admmNN, ``admm_approximate_solver.py``); the
paper's text was not retrieved]: with :math:`u = (v_1..v_P, w_1..w_P) \in \mathbb R^{2Pp}`,
:math:`F u = \sum_i D_iX(v_i - w_i)` and :math:`G = \operatorname{blkdiag}((2D_i - I)X)` (twice),

.. math:: \min_{u, v, s}\ \tfrac12\|Fu - y\|^2 + \beta\sum_b\|v_b\|_2 + \mathbb 1[s \ge 0] \quad\text{s.t. } u = v,\ Gu = s.

Scaled ADMM (Boyd et al. 2011, Sec. 3.1.1) with penalty :math:`\rho` and dual step :math:`\gamma`:

.. math::

    u^+ &= (I + F^\top F/\rho + G^\top G)^{-1}\big(F^\top y/\rho + v - \lambda + G^\top(s - \nu)\big),\\
    v^+_b &= \big(1 - \tfrac{\beta/\rho}{\|u^+_b + \lambda_b\|}\big)_+ (u^+_b + \lambda_b), \qquad
    s^+ = (Gu^+ + \nu)_+,\\
    \lambda^+ &= \lambda + \gamma(u^+ - v^+), \qquad \nu^+ = \nu + \gamma(Gu^+ - s^+).

Residuals (Boyd et al. 2011, Sec. 3.3): primal :math:`\|(u^+ - v^+, Gu^+ - s^+)\|`, dual
:math:`\rho\|(v^+ - v, G^\top(s^+ - s))\|`; ``residual`` is their Euclidean combination.

Cost [derived here]. The matrix :math:`I + F^\top F/\rho + G^\top G` (order :math:`N = 2Pp`) is fixed:
factorised once (:math:`N^3/3` multiply-adds), after which an iteration costs two triangular
solves (:math:`N(N-1)` multiply-adds) and three products with the block-sparse :math:`G` or
:math:`G^\top` (:math:`6Pnp`): ``operations_per_iteration`` :math:`= N(N-1) + 6Pnp`, counted from the
shapes of the loops the kernel runs. With :math:`P \propto n` patterns this is quadratic in
:math:`n`; an interior-point method refactorises a matrix of this order every iteration (cubic).
The abstract states "when solving the approximate formulation, the per-iteration time
complexity is quadratic" [paper, as retrieved: abstract]; in which variable is not in the
abstract [the n-with-P_s-proportional-to-n reading is a recollection].

Local rate [derived here]. Near its fixed point the ADMM map is piecewise smooth: the group
shrinkage has Jacobian :math:`(1 - \tau/\|a\|)I + \tau aa^\top/\|a\|^3` on blocks with
:math:`\|a\| > \tau` (:math:`\tau = \beta/\rho`) and 0 on the others, the projection
:math:`(c)_+` has 0/1 derivatives. Once the iterates are closer to the fixed point than the
smallest non-degenerate margin (:math:`|\|a_b\| - \tau|`, :math:`|c_k|`), the map is affine and the
error contracts by the spectral radius :math:`\rho_J` of its Jacobian restricted to the directions
not fixed by it (eigenvalue 1: the set of fixed points). :func:`local_rate` builds that
Jacobian densely (state :math:`(v, s, \lambda, \nu)`, dimension :math:`2N + 4Pn`) at a converged
state; components whose margin is below ``1e-9`` are degenerate, and both branches are tried
(the larger radius is kept, the spread is reported).
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from problems import _validate as _checks
from problems.types import Trace, checkpoints, first_nonfinite

from problems.backend import to_numpy

from .convex_program import instance_arrays, solve_convex
from .nonconvex import BACKENDS, backend_impl

METRICS = ("residual", "primal_residual", "dual_residual", "objective", "objective_gap")


@dataclass(frozen=True)
class AdmmSystem:
    """The fixed data of an ADMM run: blocks' patterns ``D`` (P, n), the Cholesky factor ``L`` and
    the constant part ``b1`` of the right-hand side."""

    X: np.ndarray
    y: np.ndarray
    D: np.ndarray
    L: np.ndarray
    b1: np.ndarray
    beta: float
    penalty: float

    @property
    def size(self) -> int:
        return self.L.shape[0]


def system(X, y, patterns, beta: float, penalty: float) -> AdmmSystem:
    r"""Assemble and factorise :math:`I + F^\top F/\rho + G^\top G` (block order ``b * p + c``)."""
    X = np.ascontiguousarray(X, dtype=np.float64)
    D = np.ascontiguousarray(patterns, dtype=np.float64)
    P, n = D.shape
    p = X.shape[1]
    F = np.concatenate([(D[:, :, None] * X[None]).transpose(1, 0, 2).reshape(n, P * p),
                        -(D[:, :, None] * X[None]).transpose(1, 0, 2).reshape(n, P * p)], axis=1)
    gram = X.T @ X  # G_i^T G_i = X^T (2D_i - I)^2 X = X^T X for every block
    A = F.T @ F / penalty + np.kron(np.eye(2 * P), gram) + np.eye(2 * P * p)
    L = np.linalg.cholesky(A)
    return AdmmSystem(X, np.asarray(y, dtype=np.float64), D, L, F.T @ y / penalty, float(beta), float(penalty))


def operations_per_iteration(n: int, p: int, P: int) -> int:
    """:math:`N(N-1) + 6Pnp` with :math:`N = 2Pp` (module docstring)."""
    N = 2 * P * p
    return N * (N - 1) + 6 * P * n * p


def run(sys: AdmmSystem, n_iter: int, record_at: np.ndarray, *, dual_step: float = 1.0, chunks: int = 1,
        backend: str = "numba", state=None, start: int = 0):
    """Run ``n_iter`` iterations (global counts ``start + 1 ..``) from ``state`` (zeros by
    default) in ``chunks`` timed pieces; returns the recorded (primal, dual, objective), the final
    state (host NumPy) and the seconds per iteration of each chunk. ``backend``: the Numba kernel
    or its array-API twin (:mod:`problems.backend`; the system and the state are moved to the
    device once, and each chunk is waited for before its clock is read)."""
    impl, move = backend_impl(backend)
    P, n = sys.D.shape
    p = sys.X.shape[1]
    if state is None:
        state = (np.zeros((2 * P, p)), np.zeros((2 * P, n)), np.zeros((2 * P, p)), np.zeros((2 * P, n)))
    v, s, lam, nu = (move(np.array(x, dtype=np.float64)) for x in state)
    X, D, L, b1, y = (move(a) for a in (sys.X, sys.D, sys.L, sys.b1, sys.y))
    outs = [np.full(record_at.size, np.nan) for _ in range(3)]
    bounds = start + np.linspace(0, n_iter, chunks + 1).round().astype(np.int64)
    seconds = []
    for first, last in zip(bounds[:-1], bounds[1:]):
        started = time.perf_counter()
        impl._admm(X, D, L, b1, sys.beta, sys.penalty, dual_step, v, s, lam, nu, int(first),
                   int(last - first), record_at, outs[0], outs[1], outs[2], y)
        to_numpy(v[:1, ...])  # waits for a GPU to finish the chunk before the clock is read
        seconds.append((time.perf_counter() - started) / max(int(last - first), 1))
    v, s, lam, nu = (to_numpy(x) for x in (v, s, lam, nu))
    return tuple(outs), (v, s, lam, nu), np.array(seconds)


def admm(instance, rng, *, penalty=1.0, n_iter=2000, dual_step=1.0, n_patterns=None, metric="residual",
         record_from=0, time_scale=1.0, grid="log", n_checkpoints=60, timing_chunks=1, backend="numba") -> Trace:
    r"""ADMM on the instance's convex program (its exact or sampled patterns, the first
    ``n_patterns`` of them), recorded after iterations ``record_from + checkpoints(n_iter -
    record_from)[1:]``; ``t`` counts the iterations after ``record_from`` (a run observed from
    the iteration at which its map became affine, ``admm_affine_from``, shares a time origin
    with the linearisation); ``t`` is multiplied by ``time_scale`` (``log(1/admm_rate)``
    measures time in e-folds of the predicted rate, so that instances with different rates
    share a fit window). ``grid="linear"``: ``n_checkpoints`` equally spaced recordings (the same
    number on every instance, which a common fit window needs) instead of log-spaced ones.

    Metrics: ``residual`` (primal and dual combined), ``primal_residual``, ``dual_residual``,
    ``objective`` (the convex objective at :math:`v`), ``objective_gap``
    (:math:`|\text{objective} - p^\star|/p^\star`, :math:`p^\star` from Clarabel on the same patterns; its
    status goes to ``info["solver_status"]``). ``rng`` is validated, not used (deterministic).
    ``timing_chunks``: the run is split into that many kernel calls, each timed;
    ``info["seconds_per_iteration"]`` is their median (the first includes compilation).
    ``info``: ``operations_per_iteration``, ``factorization_operations`` (:math:`N^3/3`),
    ``n_patterns``, ``variables`` (:math:`N`), ``penalty``, ``dual_step``, ``final_primal``,
    ``final_dual``, ``first_nonfinite``. ``backend``: the Numba kernel or its array-API twin (as in
    :func:`run`); the factorisation and the CVXPY solve stay on the host.
    """
    X, y, patterns, beta = _instance(instance, "admm")
    _checks.generator(rng)
    rho = _checks.positive("penalty", penalty)
    gamma = _checks.real("dual_step", dual_step, low=0.0, high=0.5 * (1.0 + 5.0 ** 0.5), low_open=True,
                         fix="ADMM's dual step must lie in (0, (1 + sqrt 5)/2) (Glowinski); use 1")
    n_iter = _checks.integer("n_iter", n_iter, low=1)
    code = _checks.choice("metric", metric, METRICS)
    _checks.choice("backend", backend, BACKENDS)
    chunks = _checks.integer("timing_chunks", timing_chunks, low=1, high=n_iter)
    if n_patterns is not None:
        P = _checks.integer("n_patterns", n_patterns, low=1, high=patterns.shape[0],
                            fix=f"the instance has {patterns.shape[0]} patterns")
        patterns = patterns[:P]
    start = _checks.integer("record_from", record_from, low=0, high=n_iter - 1, fix="record from before n_iter")
    scale = _checks.positive("time_scale", time_scale)
    K = _checks.integer("n_checkpoints", n_checkpoints, low=2)
    if _checks.one_of("grid", grid, ("log", "linear")) == "log":
        t = checkpoints(n_iter - start, K)[1:]
    else:  # may repeat an iteration when K exceeds the span: every instance records K values
        t = np.ceil(np.arange(1, K + 1) * ((n_iter - start) / K)).astype(np.int64)
    sys = system(X, y, patterns, beta, rho)
    (primal, dual, objective), _, seconds = run(sys, n_iter, t + start, dual_step=gamma, chunks=chunks,
                                                backend=backend)
    info = {"operations_per_iteration": operations_per_iteration(X.shape[0], X.shape[1], patterns.shape[0]),
            "factorization_operations": sys.size ** 3 / 3.0, "seconds_per_iteration": float(np.median(seconds)),
            "chunk_seconds_per_iteration": seconds, "n_patterns": int(patterns.shape[0]), "variables": sys.size,
            "penalty": rho, "dual_step": gamma, "final_primal": float(primal[-1]), "final_dual": float(dual[-1]),
            "record_from": start, "backend": backend}
    if code == 0:
        values = np.hypot(primal, dual)
    elif code in (1, 2):
        values = (primal, dual)[code - 1]
    else:
        values = objective
    if code == 4:
        solution = solve_convex(X, y, patterns, beta)
        info.update(solver_status=solution.status, solver=solution.solver, convex_value=solution.value,
                    duality_gap=solution.duality_gap, solve_seconds=solution.solve_seconds)
        values = np.abs(objective - solution.value) / abs(solution.value)
    values = np.where(np.isfinite(values), values, np.inf)[None, :]
    info["first_nonfinite"] = first_nonfinite(t + start, values)
    info["iterations"] = t + start
    return Trace(metric, t * scale, values, info)


def per_iteration_operations(trace: Trace) -> float:
    """The multiply-adds of one ADMM iteration (``info["operations_per_iteration"]``)."""
    return float(trace.info["operations_per_iteration"])


def per_iteration_seconds(trace: Trace) -> float:
    """The measured seconds of one ADMM iteration (median over the timed chunks)."""
    return float(trace.info["seconds_per_iteration"])


def local_rate(X, y, patterns, beta, penalty, *, dual_step=1.0, n_iter=50_000, tol=1e-12, degenerate=1e-9):
    r"""The linearisation of ADMM at its fixed point (module docstring): run to a combined
    residual below ``tol`` times its first value (or ``n_iter``), then return a dict with ``rate`` (the larger spectral
    radius over the two branch choices of the degenerate components), ``rate_spread``,
    ``second_rate`` (the next eigenvalue modulus), ``affine_from`` (the first iteration, on a
    grid of 20, after which every branch of the shrinkage and the projection is that of the
    fixed point: from there on the map is affine), ``converged_at`` and
    ``degenerate_components``."""
    sys = system(X, y, patterns, beta, penalty)
    stride = 20
    P, n = sys.D.shape
    p = sys.X.shape[1]
    state = (np.zeros((2 * P, p)), np.zeros((2 * P, n)), np.zeros((2 * P, p)), np.zeros((2 * P, n)))
    snapshots, converged, first = [state], n_iter, None
    for upto in range(stride, n_iter + 1, stride):
        (primal, dual, _), state, _ = run(sys, stride, np.array([upto], dtype=np.int64), dual_step=dual_step,
                                          state=state, start=upto - stride)
        snapshots.append(state)
        residual = np.hypot(primal[0], dual[0])
        first = residual if first is None else first
        if residual < tol * first:
            converged = upto
            break
    jacobian, branches, degenerate_mask = _linearisation(sys, state, dual_step, degenerate)
    radii, nexts = [], []
    for branch in (0.0, 1.0):
        moduli = np.sort(np.abs(np.linalg.eigvals(jacobian(branch))))[::-1]
        moduli = moduli[np.abs(moduli - 1.0) > 1e-7]  # eigenvalue 1: directions along the fixed points
        radii.append(float(moduli[0]) if moduli.size else 0.0)
        nexts.append(float(moduli[1]) if moduli.size > 1 else 0.0)
    other = [np.any(_branches(sys, x)[~degenerate_mask] != branches[~degenerate_mask]) for x in snapshots]
    changed = np.flatnonzero(other)
    affine_from = int((changed[-1] + 1) * stride) if changed.size else 0
    return {"rate": max(radii), "rate_spread": abs(radii[0] - radii[1]), "second_rate": max(nexts),
            "affine_from": affine_from, "converged_at": converged,
            "degenerate_components": int(degenerate_mask.sum())}


def _shrink_inputs(sys: AdmmSystem, state):
    r""":math:`a = u^+ + \lambda` (2P, p) and :math:`c = Gu^+ + \nu` (2P, n) of the next iteration."""
    v, s, lam, nu = state
    P, n = sys.D.shape
    E = np.concatenate([2.0 * sys.D - 1.0, 2.0 * sys.D - 1.0])
    rhs = sys.b1 + (v - lam).ravel() + ((E * (s - nu)) @ sys.X).ravel()
    u = np.linalg.solve(sys.L.T, np.linalg.solve(sys.L, rhs)).reshape(v.shape)
    return u + lam, E * (u @ sys.X.T) + nu


def _branches(sys: AdmmSystem, state) -> np.ndarray:
    """Which branch each shrinkage block (norm above the threshold) and each projection
    component (positive) takes at the next iteration, as one boolean vector."""
    a, c = _shrink_inputs(sys, state)
    return np.concatenate([np.linalg.norm(a, axis=1) > sys.beta / sys.penalty, c.ravel() > 0.0])


def _linearisation(sys: AdmmSystem, state, gamma: float, degenerate: float):
    """``branch -> J`` (the dense Jacobian of one ADMM step at ``state``, degenerate components
    on ``branch``), the branches at ``state`` and the mask of degenerate components."""
    P, n = sys.D.shape
    p = sys.X.shape[1]
    N, M = 2 * P * p, 2 * P * n
    E = np.concatenate([2.0 * sys.D - 1.0, 2.0 * sys.D - 1.0])
    G = np.zeros((M, N))
    for b in range(2 * P):
        G[b * n:(b + 1) * n, b * p:(b + 1) * p] = E[b][:, None] * sys.X
    a, c = _shrink_inputs(sys, state)
    tau = sys.beta / sys.penalty
    norms, c = np.linalg.norm(a, axis=1), c.ravel()
    mask = np.concatenate([np.abs(norms - tau) <= degenerate * tau,
                           np.abs(c) <= degenerate * max(float(np.max(np.abs(c))), 1e-300)])
    Ainv = np.linalg.inv(sys.L @ sys.L.T)
    dU = np.hstack([Ainv, Ainv @ G.T, -Ainv, -Ainv @ G.T])
    pick_lam = np.hstack([np.zeros((N, N + M)), np.eye(N), np.zeros((N, M))])
    pick_nu = np.hstack([np.zeros((M, 2 * N + M)), np.eye(M)])

    def jacobian(branch: float) -> np.ndarray:
        shrink = np.zeros((N, N))
        for b in range(2 * P):
            if norms[b] > tau or (mask[b] and branch == 1.0):
                nb = max(norms[b], tau)
                block = (1 - tau / nb) * np.eye(p) + tau * np.outer(a[b], a[b]) / nb ** 3
                shrink[b * p:(b + 1) * p, b * p:(b + 1) * p] = block
        positive = np.where(mask[2 * P:], branch, (c > 0.0).astype(float))
        dv = shrink @ (dU + pick_lam)
        ds = positive[:, None] * (G @ dU + pick_nu)
        dlam = pick_lam + gamma * (dU - dv)
        dnu = pick_nu + gamma * (G @ dU - ds)
        return np.vstack([dv, ds, dlam, dnu])

    return jacobian, _branches(sys, state), mask


def _instance(instance, method: str):
    X, y, patterns, beta, loss = instance_arrays(instance, method)
    if loss != "squared":
        raise ValueError(f"{method} solves the squared-loss program; use a planted_relu_regression instance")
    return X, y, patterns, beta
