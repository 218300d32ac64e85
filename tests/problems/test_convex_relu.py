"""Tests for problems.convex_relu: exact pattern enumeration, the convex program's certificate and
reconstruction, kernels against their NumPy twins, ADMM against CVXPY and its predicted rate, the exact
robust margin, reproducibility, and named argument errors."""
from __future__ import annotations

import numpy as np
import pytest

from problems import convex_relu as cr
from problems.convex_relu import _kernels, _reference
from problems.convex_relu.admm import operations_per_iteration, run, system
from problems.convex_relu.arrangements import sweep_count
from problems.convex_relu.convex_program import convex_objective, dual_bound

RTOL = 1e-10


def regression(seed=0, **kw):
    return cr.planted_relu_regression(np.random.default_rng(seed), **{"n_samples": 8, "beta": 0.1, **kw})


def classification(seed=0, **kw):
    return cr.relu_classification(np.random.default_rng(seed), **{"n_samples": 8, "margin": 0.05, **kw})


# ---------------------------------------------------------------- patterns and generators

@pytest.mark.parametrize("n", [3, 6, 9])
def test_sweep_matches_incremental_lp_enumeration_and_general_position_count(n):
    X = regression(seed=n, n_samples=n).data["X"]
    sweep = cr.enumerate_patterns(X, method="sweep")
    incremental = cr.enumerate_patterns(X, method="incremental")
    np.testing.assert_array_equal(sweep, incremental)
    assert sweep.shape[0] == sweep_count(n)
    assert not np.any(np.all(~sweep, axis=1))  # the all-zero pattern is dropped


def test_one_feature_patterns_are_the_thresholds_in_both_directions():
    X = regression(seed=1, n_samples=7, dim=1).data["X"]
    patterns = cr.enumerate_patterns(X)
    assert patterns.shape[0] == 2 * 7 - 1  # n upper sets, n - 1 proper lower sets
    order = np.argsort(X[:, 0])
    for row in patterns:  # every pattern is a prefix or a suffix of the sorted points
        sorted_row = row[order]
        assert np.all(np.diff(sorted_row.astype(int)) >= 0) or np.all(np.diff(sorted_row.astype(int)) <= 0)


def test_sampled_patterns_are_nested_in_the_number_of_gates():
    X = regression(seed=2, n_samples=10).data["X"]
    few, _ = cr.sample_patterns(X, np.random.default_rng(5), 50)
    many, first = cr.sample_patterns(X, np.random.default_rng(5), 500)
    np.testing.assert_array_equal(many[:few.shape[0]], few)
    assert np.all(np.diff(first) > 0) and np.sum(first < 50) == few.shape[0]
    exact = {row.tobytes() for row in cr.enumerate_patterns(X)}
    assert {row.tobytes() for row in many} <= exact


def test_generators_set_exact_constants_and_reproduce_from_the_seed():
    inst = regression(seed=3, n_samples=9, beta=0.2)
    c = inst.constants
    assert (c["n_samples"], c["dim"], c["beta"], c["max_width"], c["patterns_exact"]) == (9, 2, 0.2, 10, 1.0)
    assert c["n_patterns"] == inst.data["patterns"].shape[0] == sweep_count(9)
    np.testing.assert_array_equal(inst.data["X"][:, -1], 1.0)
    again = regression(seed=3, n_samples=9, beta=0.2)
    for key in ("X", "y", "patterns"):
        np.testing.assert_array_equal(inst.data[key], again.data[key])
    cls = classification(seed=4, n_samples=20, epsilon=0.1)
    y = cls.data["y"]
    assert set(np.unique(y)) == {-1.0, 1.0} and cls.constants["epsilon"] == 0.1
    assert cls.constants["min_margin"] >= 0.05  # margin in the teacher's centred output


def test_sampled_prefix_generator_keeps_the_first_patterns():
    full = regression(seed=5, n_samples=10, patterns="sampled", n_gates=300)
    prefix = regression(seed=5, n_samples=10, patterns="sampled", n_gates=300, n_patterns=6)
    np.testing.assert_array_equal(prefix.data["patterns"], full.data["patterns"][:6])
    assert prefix.constants["patterns_exact"] == 0.0 and prefix.constants["n_patterns"] == 6


# ---------------------------------------------------------------- convex program

@pytest.mark.parametrize("loss", ["squared", "hinge"])
def test_convex_solution_is_certified_and_agrees_with_scs(loss):
    inst = regression(seed=6) if loss == "squared" else classification(seed=6)
    X, y, P = inst.data["X"], inst.data["y"], inst.data["patterns"]
    clarabel = cr.solve_convex(X, y, P, 0.1, loss=loss)
    assert clarabel.status == "optimal" and clarabel.solver == "CLARABEL"
    assert -1e-9 <= clarabel.duality_gap <= 1e-6 * clarabel.value
    scs = cr.solve_convex(X, y, P, 0.1, loss=loss, solver="SCS")
    assert abs(scs.value - clarabel.value) <= 1e-3 * clarabel.value
    assert scs.value >= clarabel.lower_bound - 1e-9  # the certificate bounds every feasible point
    # a feasible point (all blocks 0) cannot beat the lower bound either
    zero = np.zeros_like(clarabel.V)
    assert convex_objective(X, y, P, zero, zero, 0.1, loss) >= clarabel.lower_bound


def test_dual_bound_is_a_lower_bound_at_any_candidate():
    inst = regression(seed=7)
    X, y, P = inst.data["X"], inst.data["y"], inst.data["patterns"]
    solution = cr.solve_convex(X, y, P, 0.1)
    rng = np.random.default_rng(0)
    for _ in range(3):  # arbitrary (infeasible) blocks give arbitrary candidates; the bound stays below p*
        V, W = rng.standard_normal(solution.V.shape), rng.standard_normal(solution.W.shape)
        assert dual_bound(X, y, P, V, W, 0.1) <= solution.value + 1e-9


def test_reconstruction_attains_the_convex_value_and_the_factor_two_slip_is_computable():
    inst = regression(seed=8)
    right = cr.reconstruction_deviation(inst, np.random.default_rng(0))
    wrong = cr.reconstruction_deviation(inst, np.random.default_rng(0), penalty_scale=2.0)
    assert right.values[0, 0] <= 1e-6 and right.info["solver_status"] == "optimal"
    assert wrong.values[0, 0] == pytest.approx(wrong.info["predicted_deviation"], rel=1e-5)
    assert wrong.values[0, 0] > 0.1


def test_sampled_path_is_monotone_and_ends_at_the_exact_optimum():
    inst = regression(seed=9, n_samples=8)
    path = cr.sampled_patterns_path(inst, np.random.default_rng(1), n_gates=200, n_sizes=5)
    values = path.info["values"]
    assert np.all(np.diff(values) <= 1e-7 * values[0])
    assert path.t[-1] == inst.constants["n_patterns"] and path.values.max() <= 1e-6
    excess = cr.sampled_patterns_path(inst, np.random.default_rng(1), n_gates=200, n_sizes=5, metric="excess")
    assert excess.values[0, 0] > 1e-2 and abs(excess.values[0, -1]) <= 1e-6


# ---------------------------------------------------------------- kernels against twins

def _train_both(loss, optimizer, seed=0):
    inst = regression(seed=seed) if loss == _kernels.SQUARED else classification(seed=seed)
    X, y = inst.data["X"], inst.data["y"]
    rng = np.random.default_rng(seed)
    U0, A0 = rng.standard_normal((3, 5, 3)), rng.standard_normal((3, 5))
    steps = np.full(40, 1e-2)
    record = np.array([0, 1, 7, 40])
    outs = []
    for impl in (_kernels, _reference):
        U, A = U0.copy(), A0.copy()
        moments = [np.zeros_like(U), np.zeros_like(U), np.zeros_like(A), np.zeros_like(A)]
        out = np.full((3, 4), np.nan)
        impl._train(X, y, U, A, *moments, 0.1, loss, optimizer, steps, 0.9, 0.999, 1e-8, record, out)
        outs.append((out, U, A))
    return outs


@pytest.mark.parametrize("loss", [_kernels.SQUARED, _kernels.HINGE])
@pytest.mark.parametrize("optimizer", [_kernels.GD, _kernels.ADAM])
def test_training_kernel_matches_numpy_twin(loss, optimizer):
    (out_k, U_k, A_k), (out_r, U_r, A_r) = _train_both(loss, optimizer)
    np.testing.assert_allclose(out_k, out_r, rtol=RTOL)
    np.testing.assert_allclose(U_k, U_r, rtol=RTOL, atol=1e-14)
    np.testing.assert_allclose(A_k, A_r, rtol=RTOL, atol=1e-14)


def test_adversarial_kernel_matches_numpy_twin():
    inst = classification(seed=10)
    X, y = inst.data["X"], inst.data["y"]
    rng = np.random.default_rng(3)
    U0, A0 = rng.standard_normal((2, 4, 3)), rng.standard_normal((2, 4))
    starts = rng.uniform(-1, 1, (15, 2, X.shape[0], 2))
    record = np.array([0, 3, 14])
    outs = []
    for impl in (_kernels, _reference):
        U, A = U0.copy(), A0.copy()
        moments = [np.zeros_like(U), np.zeros_like(U), np.zeros_like(A), np.zeros_like(A)]
        out = np.full((2, 3), np.inf)
        impl._train_adversarial(X, y, U, A, *moments, 0.1, _kernels.HINGE, _kernels.ADAM, np.full(15, 1e-2), 0,
                                0.9, 0.999, 1e-8, 0.1, 5, 0.05, starts, record, out)
        outs.append((out, U, A))
    for a, b in zip(outs[0], outs[1]):
        np.testing.assert_allclose(a, b, rtol=RTOL, atol=1e-14)


def test_robust_margin_is_exact_against_a_dense_grid_and_matches_its_twin():
    inst = classification(seed=11, n_samples=6)
    X, y = inst.data["X"], inst.data["y"]
    rng = np.random.default_rng(4)
    U, A, eps = rng.standard_normal((6, 3)), rng.standard_normal(6), 0.2
    exact = cr.robust_margins(X, y, U, A, eps)
    np.testing.assert_allclose(exact, cr.robust_margins(X, y, U, A, eps, backend="numpy"), rtol=RTOL)
    grid = np.linspace(-eps, eps, 201)
    d0, d1 = np.meshgrid(grid, grid)
    lipschitz = np.sum(np.abs(A) * np.abs(U[:, :2]).sum(axis=1))
    for k in range(X.shape[0]):
        points = np.column_stack([X[k, 0] + d0.ravel(), X[k, 1] + d1.ravel(), np.ones(d0.size)])
        values = y[k] * (np.maximum(points @ U.T, 0.0) @ A)
        assert exact[k] <= values.min() + 1e-12  # the exact minimum is below every grid point
        assert exact[k] >= values.min() - lipschitz * (grid[1] - grid[0])  # and within the grid's resolution


def test_admm_kernel_matches_numpy_twin():
    inst = regression(seed=12, patterns="sampled", n_gates=30, n_patterns=5)
    sys = system(inst.data["X"], inst.data["y"], inst.data["patterns"], 0.1, 0.5)
    record = np.array([1, 2, 10, 30], dtype=np.int64)
    results = []
    for backend in ("numba", "numpy"):
        outs, state, _ = run(sys, 30, record, backend=backend)
        results.append((outs, state))
    for a, b in zip(results[0][0] + results[0][1], results[1][0] + results[1][1]):
        np.testing.assert_allclose(a, b, rtol=RTOL, atol=1e-13)


# ---------------------------------------------------------------- methods

def test_admm_reaches_the_cvxpy_optimum_and_counts_its_operations():
    inst = regression(seed=13, patterns="sampled", n_gates=30, n_patterns=6)
    trace = cr.admm(inst, np.random.default_rng(0), penalty=0.3, n_iter=4000, metric="objective_gap")
    assert trace.info["solver_status"] == "optimal" and trace.values[0, -1] <= 1e-7
    P, n, p = 6, 8, 3
    assert trace.info["operations_per_iteration"] == operations_per_iteration(n, p, P) == 36 * 35 + 6 * P * n * p
    assert trace.info["variables"] == 2 * P * p
    assert cr.per_iteration_operations(trace) == trace.info["operations_per_iteration"]


def test_local_rate_predicts_the_measured_linear_rate():
    inst = regression(seed=14, n_samples=8, patterns="sampled", n_gates=30, n_patterns=6, admm_penalty=0.3)
    c = inst.constants
    rate, start = c["admm_rate"], int(c["admm_affine_from"])
    assert 0.0 < rate < 1.0
    trace = cr.admm(inst, np.random.default_rng(0), penalty=0.3, record_from=start,
                    n_iter=start + int(np.ceil(12 / np.log(1 / rate))), grid="linear", n_checkpoints=100)
    y = trace.values[0]
    window = (y / y[0] > 1e-6) & (trace.t > trace.t[5])
    fitted = np.polyfit(trace.t[window], np.log(y[window]), 1)[0]
    assert fitted / np.log(rate) == pytest.approx(1.0, abs=0.1)


def test_nonconvex_training_respects_the_convex_lower_bound_and_reproduces():
    inst = regression(seed=15)
    trace = cr.nonconvex_training(inst, np.random.default_rng(2), width=9, restarts=3, n_iter=1500,
                                  metric="ratio_to_convex", n_checkpoints=10)
    assert trace.info["solver_status"] == "optimal"
    assert np.all(trace.values <= 1 + 1e-6) and trace.values[:, -1].max() > 0.5
    again = cr.nonconvex_training(inst, np.random.default_rng(2), width=9, restarts=3, n_iter=1500,
                                  metric="ratio_to_convex", n_checkpoints=10)
    np.testing.assert_array_equal(trace.values, again.values)
    objective = cr.nonconvex_training(inst, np.random.default_rng(2), width=9, restarts=3, n_iter=1500,
                                      optimizer="gd", step_size=1e-3, final_step_size=1e-3, n_checkpoints=5)
    assert np.all(np.diff(objective.values, axis=1) <= 1e-12)  # a small GD step only descends


def test_robust_convex_value_is_the_exact_robust_objective_of_its_network():
    inst = classification(seed=16, n_samples=8, epsilon=0.1)
    trace = cr.convex_adversarial_training(inst, np.random.default_rng(0))
    assert trace.info["solver_status"] == "optimal" and trace.info["value_check"] <= 1e-6
    trained = cr.adversarial_training(inst, np.random.default_rng(1), width=4, restarts=2, n_iter=300,
                                      n_checkpoints=6)
    finite = trained.info["pgd_objective"]
    assert np.all(np.isfinite(finite)) and trained.values.shape == (2, 1)
    ratio = cr.adversarial_comparison(inst, np.random.default_rng(1), width=4, restarts=2, n_iter=300)
    assert ratio.values[0, 0] == pytest.approx(trace.values[0, 0] / trained.values.mean(), rel=1e-12)


@pytest.mark.parametrize("call, match", [
    (lambda: cr.planted_relu_regression(np.random.default_rng(0), n_samples=1), "n_samples"),
    (lambda: cr.planted_relu_regression(np.random.default_rng(0), n_samples=5, beta=0.0), "beta"),
    (lambda: cr.planted_relu_regression(np.random.default_rng(0), n_samples=50, dim=3), "patterns='sampled'"),
    (lambda: cr.planted_relu_regression(0, n_samples=5), "rng"),
    (lambda: cr.relu_classification(np.random.default_rng(0), n_samples=5, flip=0.7), "flip"),
    (lambda: cr.enumerate_patterns(np.ones((4, 3)) * 2.0), "bias"),
    (lambda: cr.nonconvex_training(regression(), np.random.default_rng(0), width=0), "width"),
    (lambda: cr.nonconvex_training(regression(), np.random.default_rng(0), width=2, metric="gap"), "metric"),
    (lambda: cr.admm(regression(), np.random.default_rng(0), penalty=-1.0), "penalty"),
    (lambda: cr.admm(classification(), np.random.default_rng(0)), "squared"),
    (lambda: cr.adversarial_training(regression(), np.random.default_rng(0), width=2), "classification"),
    (lambda: cr.solve_convex(np.hstack([np.ones((3, 1)), np.ones((3, 1))]), np.ones(3), np.ones((1, 3)), 0.1,
                             solver="MOSEK"), "solver"),
])
def test_bad_arguments_are_named(call, match):
    with pytest.raises(ValueError, match=match):
        call()
