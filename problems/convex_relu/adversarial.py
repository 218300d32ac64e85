r"""Adversarial training of two-layer ReLU classifiers: the robust convex program (Bai, Gautam &
Sojoudi) against PGD adversarial training of the network, both scored by the exact robust loss.

Robust training problem (hinge loss, :math:`\ell_\infty` perturbations of the features, radius
:math:`\epsilon`; the bias is not perturbed):

.. math:: \min_{U,\alpha}\ \sum_k \max_{\|\delta\|_\infty\le\epsilon}\big(1 - y_kf(x_k + \delta)\big)_+ + \frac\beta2\big(\|U\|_F^2 + \|\alpha\|^2\big).

Robust convex program [Bai et al., Sec. 4, recollection: the paper's text was not retrieved;
the form below is derived here]: on the patterns :math:`D_i`,

.. math::

    \min_{v,w}\ \sum_k\Big(1 - y_k\sum_i d_{ik}x_k^\top(v_i - w_i) + \epsilon\Big\|\sum_i d_{ik}(v_i - w_i)_{\text{feat}}\Big\|_1\Big)_+
    + \beta\sum_i(\|v_i\|_2 + \|w_i\|_2)

subject to :math:`(2d_{ik} - 1)x_k^\top v_i \ge \epsilon\|v_{i,\text{feat}}\|_1` (and the same for :math:`w_i`) for
every :math:`i, k`. The constraint keeps every neuron's pattern constant on every ball
(:math:`(2d_{ik} - 1)(x_k + \delta)^\top v_i \ge (2d_{ik}-1)x_k^\top v_i - \epsilon\|v_{i,\text{feat}}\|_1 \ge 0`), so on
the ball around :math:`x_k` the rebuilt network is the linear map
:math:`\delta \mapsto \sum_i d_{ik}(x_k + \delta)^\top(v_i - w_i)` and the inner maximum is the
:math:`\ell_1` term: the program's value *is* the exact robust objective of the network it
returns. It is a restriction (neurons may not switch inside a ball), so its optimum is an upper
bound on the robust training optimum [derived here].

Exact robust margin for 2 features (``_robust_margins``): :math:`f` is linear on every cell that
the neurons' lines cut out of the box, so :math:`\min_\delta y_kf(x_k + \delta)` is attained at a box
corner, a line-edge crossing or a crossing of two lines inside the box. Both classifiers are
scored with it: no attack strength enters the comparison.
"""
from __future__ import annotations

import time

import cvxpy as cp
import numpy as np

from problems import _validate as _checks
from problems.backend import to_numpy
from problems.types import Trace, checkpoints, chunks, first_nonfinite

from . import _kernels
from .convex_program import SOLVERS, active_blocks, instance_arrays, reconstruct
from .nonconvex import ADAM, BACKENDS, OPTIMIZERS, backend_impl, initial_networks, step_schedule

METRICS = ("robust_objective", "robust_hinge", "robust_error")


def robust_margins(X, y, U, alpha, epsilon, *, backend="numba") -> np.ndarray:
    r"""Exact :math:`\min_{\|\delta\|_\infty\le\epsilon} y_kf(x_k + \delta)` per sample (2 features only).

    ``backend``: the Numba kernel (a loop over samples and candidate points) or its array-API twin
    (every candidate of a block of samples evaluated in one product, :mod:`problems.backend`)."""
    X = np.ascontiguousarray(X, dtype=np.float64)
    if X.shape[1] != 3:
        raise ValueError(f"the exact robust margin is implemented for 2 features (X with 3 columns), got "
                         f"{X.shape[1] - 1} features; use dim=2")
    impl, move = backend_impl(backend)
    out = np.empty(X.shape[0])
    with np.errstate(all="ignore"):  # a non-finite network gives non-finite margins, not a warning
        impl._robust_margins(move(X), move(np.ascontiguousarray(y, dtype=np.float64)),
                             move(np.ascontiguousarray(U, dtype=np.float64)),
                             move(np.ascontiguousarray(alpha, dtype=np.float64)), float(epsilon), out)
    return out


def robust_scores(X, y, U, alpha, beta, epsilon, *, backend="numba") -> dict:
    """``robust_objective`` (hinge + weight decay), ``robust_hinge`` and ``robust_error`` (fraction
    of samples with robust margin <= 0) of one network, exactly."""
    margins = robust_margins(X, y, U, alpha, epsilon, backend=backend)
    hinge = float(np.sum(np.maximum(1.0 - margins, 0.0)))
    penalty = 0.5 * beta * float(np.sum(U * U) + np.sum(alpha * alpha))
    return {"robust_objective": hinge + penalty, "robust_hinge": hinge, "robust_error": float(np.mean(margins <= 0.0))}


def solve_robust_convex(X, y, patterns, beta, epsilon, *, solver="CLARABEL"):
    r"""The robust convex program of the module docstring; returns ``(V, W, value, status, seconds)``."""
    _checks.one_of("solver", solver, SOLVERS)
    D = np.asarray(patterns, dtype=np.float64)
    P, n = D.shape
    p = X.shape[1]
    V, W = cp.Variable((P, p)), cp.Variable((P, p))
    Z = V - W
    z = cp.sum(cp.multiply(D, Z @ X.T), axis=0)
    spread = cp.sum(cp.abs(D.T @ Z[:, :-1]), axis=1)  # ||sum_i d_ik (v_i - w_i)_feat||_1 per sample
    hinge = cp.sum(cp.pos(1 - cp.multiply(y, z) + epsilon * spread))
    penalty = beta * (cp.sum(cp.norm(V, 2, axis=1)) + cp.sum(cp.norm(W, 2, axis=1)))
    E = 2.0 * D - 1.0
    l1_v, l1_w = cp.sum(cp.abs(V[:, :-1]), axis=1), cp.sum(cp.abs(W[:, :-1]), axis=1)
    ones = np.ones((1, n))
    constraints = [cp.multiply(E, V @ X.T) >= epsilon * cp.reshape(l1_v, (P, 1), order="C") @ ones,
                   cp.multiply(E, W @ X.T) >= epsilon * cp.reshape(l1_w, (P, 1), order="C") @ ones]
    problem = cp.Problem(cp.Minimize(hinge + penalty), constraints)
    started = time.perf_counter()
    problem.solve(solver=getattr(cp, solver))
    seconds = problem.solver_stats.solve_time or (time.perf_counter() - started)
    if V.value is None:
        return None, None, np.nan, str(problem.status), float(seconds)
    return np.asarray(V.value), np.asarray(W.value), float(problem.value), str(problem.status), float(seconds)


def _classification(instance, method):
    X, y, patterns, beta, loss = instance_arrays(instance, method)
    if loss != "hinge" or "epsilon" not in instance.constants:
        raise ValueError(f"{method} needs a classification instance; build it with data.relu_classification")
    return X, y, patterns, beta, float(instance.constants["epsilon"])


def convex_adversarial_training(instance, rng, *, metric="robust_objective", solver="CLARABEL",
                                backend="numba") -> Trace:
    r"""Solve the robust convex program on the instance's patterns, rebuild the network and score
    it exactly (``metric``: ``robust_objective``, ``robust_hinge``, ``robust_error``), one value at
    ``t = 0``. ``rng`` is validated, not used. ``info``: ``solver_status``, ``solver``,
    ``convex_value``, ``solve_seconds``, ``value_check`` (:math:`|\text{exact robust objective} -
    \text{value}|/\text{value}`, 0 up to the solver's accuracy: the cross-check of the solve), ``scores``
    (all three), ``active_blocks``. ``backend`` scores the network (:func:`robust_margins`); the
    program is CVXPY's on the host whatever it says."""
    X, y, patterns, beta, epsilon = _classification(instance, "convex_adversarial_training")
    _checks.generator(rng)
    _checks.choice("backend", backend, BACKENDS)  # before the solve, not after it
    code = _checks.choice("metric", metric, METRICS)
    V, W, value, status, seconds = solve_robust_convex(X, y, patterns, beta, epsilon, solver=solver)
    info = {"solver_status": status, "solver": solver, "convex_value": value, "solve_seconds": seconds,
            "backend": backend}
    if V is None:
        return Trace(metric, np.array([0.0]), np.array([[np.nan]]), info)
    U, alpha = reconstruct(V, W)
    scores = robust_scores(X, y, U, alpha, beta, epsilon, backend=backend)
    info.update(scores=scores, value_check=abs(scores["robust_objective"] - value) / abs(value),
                active_blocks=active_blocks(V, W))
    return Trace(metric, np.array([0.0]), np.array([[scores[METRICS[code]]]]), info)


def adversarial_training(instance, rng, *, width, restarts=4, n_iter=2000, step_size=1e-2, final_step_size=1e-4,
                         optimizer="adam", attack_steps=10, attack_step=None, init_scale=0.5,
                         metric="robust_objective", best=False, n_checkpoints=20, backend="numba") -> Trace:
    r"""PGD adversarial training of ``restarts`` networks (outer: full-batch GD/Adam on the hinge
    objective at the attacked inputs; inner: ``attack_steps`` signed-gradient steps of size
    ``attack_step`` (default :math:`2.5\epsilon/k`) from a uniform start in the box, drawn per
    iteration as ``rng.uniform(-1, 1, (R, n, f))`` in bounded chunks), then scored exactly.

    Trace: ``t = [n_iter]``, one row per restart with the exact ``metric`` of the final network
    (``best=True``: the smallest over the restarts, one row). ``info``: ``pgd_objective``
    (the attacked objective at ``checkpoints(n_iter)`` below ``n_iter``, per restart: what PGD
    saw), ``pgd_t``, ``scores`` (per restart), ``first_nonfinite``, the settings.
    ``backend``: the training runs on the Numba kernel or its array-API twin (:mod:`problems.backend`:
    all restarts in one batched product per step, the attack starts drawn on the host and moved
    chunk by chunk); the final networks are scored exactly by the Numba kernel either way.
    """
    X, y, _, beta, epsilon = _classification(instance, "adversarial_training")
    _checks.generator(rng)
    m = _checks.integer("width", width, low=1)
    R = _checks.integer("restarts", restarts, low=1)
    T = _checks.integer("n_iter", n_iter, low=1)
    eta0, eta1 = _checks.positive("step_size", step_size), _checks.positive("final_step_size", final_step_size)
    opt = _checks.choice("optimizer", optimizer, OPTIMIZERS)
    k = _checks.integer("attack_steps", attack_steps, low=1)
    a = 2.5 * epsilon / k if attack_step is None else _checks.positive("attack_step", attack_step)
    code = _checks.choice("metric", metric, METRICS)
    impl, move = backend_impl(backend)
    t = checkpoints(T, _checks.integer("n_checkpoints", n_checkpoints, low=2))[:-1]
    U0, A0 = initial_networks(rng, R, m, X.shape[1], _checks.positive("init_scale", init_scale))
    U, A = move(U0), move(A0)  # the state, updated in place chunk after chunk
    moments = [move(np.zeros_like(U0)), move(np.zeros_like(U0)), move(np.zeros_like(A0)), move(np.zeros_like(A0))]
    steps = step_schedule(T, eta0, eta1)
    seen = np.full((R, t.size), np.inf)
    n, f = X.shape[0], X.shape[1] - 1
    Xd, yd = move(X), move(y)
    with np.errstate(all="ignore"):  # divergence is evidence (+inf), not a warning
        for t0, t1 in chunks(T, R * n * f):
            starts = rng.uniform(-1.0, 1.0, size=(t1 - t0, R, n, f))
            impl._train_adversarial(Xd, yd, U, A, *moments, beta, _kernels.HINGE, opt, steps[t0:t1], t0,
                                    ADAM["beta1"], ADAM["beta2"], ADAM["adam_eps"], epsilon, k, a, move(starts), t,
                                    seen)
    U, A = to_numpy(U), to_numpy(A)
    scores = [robust_scores(X, y, U[r], A[r], beta, epsilon) for r in range(R)]
    values = np.array([[s[METRICS[code]] for s in scores]]).T
    values = np.where(np.isfinite(values), values, np.inf)
    if best:
        values = values.min(axis=0, keepdims=True)
    info = {"pgd_objective": seen, "pgd_t": t, "scores": scores, "first_nonfinite": first_nonfinite(t, seen),
            "width": m, "restarts": R, "attack_steps": k, "attack_step": a, "epsilon": epsilon, "backend": backend}
    return Trace(metric, np.array([float(T)]), values, info)


def adversarial_comparison(instance, rng, *, width, restarts=4, n_iter=8000, step_size=1e-2, final_step_size=1e-4,
                           attack_steps=10, metric="robust_objective", solver="CLARABEL") -> Trace:
    r"""The robust convex program's classifier against PGD adversarial training on the same instance,
    both scored exactly: one value at ``t = [n_iter]``, the ratio
    :math:`R_{\text{convex}} / \overline{R}_{\text{PGD}}` of the exact ``metric`` of the convex program's
    network to its mean over the ``restarts`` adversarially trained networks (the expected score of
    one training run). ``rng`` drives the adversarial training (as in :func:`adversarial_training`).
    ``info``: ``convex`` (the convex method's info), ``pgd_scores`` (per restart), ``solver_status``,
    ``solver``."""
    convex = convex_adversarial_training(instance, rng, metric=metric, solver=solver)
    trained = adversarial_training(instance, rng, width=width, restarts=restarts, n_iter=n_iter, step_size=step_size,
                                   final_step_size=final_step_size, attack_steps=attack_steps, metric=metric)
    ratio = float(convex.values[0, 0] / np.mean(trained.values))
    info = {"convex": dict(convex.info), "convex_score": float(convex.values[0, 0]),
            "pgd_scores": trained.values[:, 0].copy(), "solver_status": convex.info["solver_status"],
            "solver": solver, "first_nonfinite": trained.info["first_nonfinite"]}
    return Trace(f"{metric}_ratio", np.array([float(n_iter)]), np.array([[ratio]]), info)
