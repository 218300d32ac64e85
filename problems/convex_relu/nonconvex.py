r"""Gradient training of the non-convex two-layer ReLU network, compared with the convex optimum.

Objective [Pilanci & Ergen 2020, eq. (2)], width :math:`m`, restarts vectorised in the kernels:

.. math:: J(U, \alpha) = \ell\Big(\sum_{j=1}^m (Xu_j)_+\alpha_j, y\Big) + \frac\beta2\big(\|U\|_F^2 + \|\alpha\|^2\big),

:math:`\ell` the squared loss (regression instances) or the hinge loss (classification). Full
batch GD or Adam with a step decaying geometrically from ``step_size`` to ``final_step_size``
(:math:`\eta_t = \eta_0(\eta_1/\eta_0)^{t/T}`): the decay lets Adam settle into the kinks of the
objective at the end. Initialisation :math:`u_j \sim \mathcal N(0, s^2/p\,I)`,
:math:`\alpha_j \sim \mathcal N(0, s^2/m)` with :math:`s` = ``init_scale``, drawn as
``rng.standard_normal((R, m, p))`` then ``rng.standard_normal((R, m))``.

Facts the metrics compare with [derived in ``convex_program``]: with every pattern present,
:math:`p^\star \le J(U, \alpha)` for every network of every width; Pilanci & Ergen show equality of
the optima once :math:`m \ge m^\star` with :math:`m^\star \le n + 1` [recollection of Thm 1].
"""
from __future__ import annotations

import numpy as np

import problems.backend
from problems import _validate as _checks
from problems.types import Trace, checkpoints, first_nonfinite

from . import _kernels, _reference
from .convex_program import active_blocks, instance_arrays, solve_convex

METRICS = ("objective", "ratio_to_convex", "gap_to_convex", "best_gap_to_convex")
OPTIMIZERS = ("gd", "adam")
BACKENDS = problems.backend.BACKENDS
ADAM = {"beta1": 0.9, "beta2": 0.999, "adam_eps": 1e-8}


def step_schedule(n_iter: int, step_size: float, final_step_size: float) -> np.ndarray:
    r""":math:`\eta_t = \eta_0(\eta_1/\eta_0)^{t/T}`, :math:`t = 0..T-1`."""
    return step_size * (final_step_size / step_size) ** (np.arange(n_iter) / n_iter)


def initial_networks(rng, restarts: int, width: int, p: int, init_scale: float):
    U = rng.standard_normal((restarts, width, p)) * (init_scale / np.sqrt(p))
    A = rng.standard_normal((restarts, width)) * (init_scale / np.sqrt(width))
    return U, A


def backend_impl(backend):
    """``(impl, move)``: the Numba kernels and the identity, or the array-API twins and the move of
    a host array to the back end's device (chosen here, once, for every method of the package)."""
    _checks.choice("backend", backend, BACKENDS)  # a ValueError naming the allowed back ends
    return problems.backend.implementation(backend, _kernels, _reference)


def nonconvex_training(instance, rng, *, width, restarts=8, n_iter=5000, step_size=1e-2, final_step_size=1e-5,
                       optimizer="adam", init_scale=0.5, metric="objective", convex_penalty_scale=1.0,
                       solver="CLARABEL", n_checkpoints=60, backend="numba") -> Trace:
    r"""Train ``restarts`` networks of ``width`` neurons; record at ``checkpoints(n_iter)``.

    Metrics (one row per restart unless said): ``objective`` :math:`J`; ``ratio_to_convex``
    :math:`p^\star/J` (at most 1 when every pattern is present); ``gap_to_convex``
    :math:`(J - p^\star)/p^\star`; ``best_gap_to_convex`` the smallest gap over the restarts (one
    row). :math:`p^\star` is Clarabel's on the instance's patterns with group penalty
    ``convex_penalty_scale`` :math:`\cdot\beta` (2: the factor-2 slip of a control); its
    status, gap and time go to ``info`` (``solver_status``, ``solver``, ``convex_value``,
    ``duality_gap``, ``solve_seconds``, ``active_blocks``). ``info`` also holds
    ``final_objective`` (per restart), ``step_size``, ``final_step_size``, ``first_nonfinite``.

    ``backend``: the Numba kernel (``"numba"``, one restart after the other) or its array-API twin
    on ``"numpy"``, ``"cupy"`` or ``"array_api_strict"`` (:mod:`problems.backend`), all restarts in
    one batched product per step; the initialisation is drawn on the host either way.
    """
    X, y, patterns, beta, loss = instance_arrays(instance, "nonconvex_training")
    _checks.generator(rng)
    m = _checks.integer("width", width, low=1)
    R = _checks.integer("restarts", restarts, low=1)
    T = _checks.integer("n_iter", n_iter, low=1)
    eta0 = _checks.positive("step_size", step_size)
    eta1 = _checks.positive("final_step_size", final_step_size)
    s = _checks.positive("init_scale", init_scale)
    opt = _checks.choice("optimizer", optimizer, OPTIMIZERS)
    code = _checks.choice("metric", metric, METRICS)
    scale = _checks.positive("convex_penalty_scale", convex_penalty_scale)
    impl, move = backend_impl(backend)
    t = checkpoints(T, _checks.integer("n_checkpoints", n_checkpoints, low=2))
    U, A = initial_networks(rng, R, m, X.shape[1], s)
    moments = [move(np.zeros_like(U)), move(np.zeros_like(U)), move(np.zeros_like(A)), move(np.zeros_like(A))]
    out = np.full((R, t.size), np.inf)
    loss_code = _kernels.SQUARED if loss == "squared" else _kernels.HINGE
    with np.errstate(all="ignore"):  # divergence is evidence (+inf), not a warning
        impl._train(move(X), move(y), move(U), move(A), *moments, beta, loss_code, opt, step_schedule(T, eta0, eta1),
                    ADAM["beta1"], ADAM["beta2"], ADAM["adam_eps"], t, out)
    info = {"final_objective": out[:, -1].copy(), "step_size": eta0, "final_step_size": eta1, "width": m,
            "restarts": R, "optimizer": optimizer, "backend": backend, "first_nonfinite": first_nonfinite(t, out)}
    if code == 0:
        return Trace(metric, t, out, info)
    solution = solve_convex(X, y, patterns, beta, loss=loss, solver=solver, penalty_scale=scale)
    info.update(solver_status=solution.status, solver=solution.solver, convex_value=solution.value,
                duality_gap=solution.duality_gap, solve_seconds=solution.solve_seconds,
                active_blocks=active_blocks(solution.V, solution.W), convex_penalty_scale=scale)
    p_star = solution.value
    with np.errstate(divide="ignore", invalid="ignore"):
        if code == 1:
            values = np.where(np.isfinite(out), p_star / out, np.inf)
        else:
            values = (out - p_star) / abs(p_star)
            values = values.min(axis=0, keepdims=True) if code == 3 else values
    return Trace(metric, t, values, info)
