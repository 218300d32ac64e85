"""Convex ReLU networks: properties on small random data sets drawn by hypothesis (a failure is shrunk to
a minimal counterexample). The enumeration finds every pattern that dense direction sampling finds, the
convex optimum never exceeds a trained network's objective, and the rebuilt network attains it."""
import numpy as np
from hypothesis import given, settings
from scipy.optimize import linprog
from hypothesis import strategies as st

from problems.convex_relu import (enumerate_patterns, nonconvex_objective, nonconvex_training,
                                  planted_relu_regression, reconstruct, relu_classification, sample_patterns,
                                  solve_convex)

PROFILE = settings(derandomize=True, database=None, deadline=None, max_examples=10)
seeds = st.integers(0, 2**32 - 1)


def _design(seed, n, features):
    rng = np.random.default_rng(seed)
    return np.hstack([rng.uniform(-1, 1, (n, features)), np.ones((n, 1))])


@PROFILE
@given(seed=seeds, n=st.integers(2, 7), features=st.integers(1, 3))
def test_enumeration_contains_every_pattern_that_dense_sampling_finds(seed, n, features):
    X = _design(seed, n, features)
    exact = enumerate_patterns(X)
    known = {row.tobytes() for row in exact}
    sampled, _ = sample_patterns(X, np.random.default_rng(seed), 20_000)
    assert {row.tobytes() for row in sampled} <= known
    assert len(known) == exact.shape[0]  # no duplicates
    if features <= 2:  # the sweep and the incremental LPs agree
        np.testing.assert_array_equal(exact, enumerate_patterns(X, method="incremental"))
    for pattern in exact:  # and every enumerated pattern is realised by some gate (an LP finds one)
        signs = np.where(pattern, 1.0, -1.0)
        found = linprog(np.zeros(X.shape[1]), A_ub=-(signs[:, None] * X), b_ub=-np.ones(n),
                        bounds=[(None, None)] * X.shape[1], method="highs")
        assert found.status == 0


@settings(derandomize=True, database=None, deadline=None, max_examples=6)
@given(seed=seeds, n=st.integers(4, 8), width=st.integers(1, 9), beta=st.floats(0.02, 0.5))
def test_convex_optimum_never_exceeds_a_trained_networks_objective(seed, n, width, beta):
    inst = planted_relu_regression(np.random.default_rng(seed), n_samples=n, beta=beta)
    trace = nonconvex_training(inst, np.random.default_rng(seed + 1), width=width, restarts=2, n_iter=300,
                               metric="ratio_to_convex", n_checkpoints=8)
    assert trace.info["solver_status"] == "optimal"
    assert np.all(trace.values <= 1 + 1e-6)


@settings(derandomize=True, database=None, deadline=None, max_examples=6)
@given(seed=seeds, n=st.integers(3, 9), beta=st.floats(0.02, 1.0), hinge=st.booleans())
def test_rebuilt_network_attains_the_convex_objective(seed, n, beta, hinge):
    make = relu_classification if hinge else planted_relu_regression
    inst = make(np.random.default_rng(seed), n_samples=n, beta=beta)
    X, y, P = inst.data["X"], inst.data["y"], inst.data["patterns"]
    loss = "hinge" if hinge else "squared"
    solution = solve_convex(X, y, P, beta, loss=loss)
    U, alpha = reconstruct(solution.V, solution.W)
    network = nonconvex_objective(X, y, U, alpha, beta, loss)
    assert solution.status == "optimal"
    assert abs(network - solution.value) <= 1e-6 * max(solution.value, 1e-3)
    assert solution.lower_bound <= network + 1e-9
