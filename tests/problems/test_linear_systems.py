"""Tests for problems.linear_systems: the stencil SOR is SOR (dense iteration, linalg.solve),
Young's formula matches dense spectra, the count minimiser is Young's omega, kernels agree with
their twins, bandit probabilities are distributions, regret is accounted exactly, and bad
arguments are named."""
from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from problems import linear_systems as ls
from problems.linear_systems import _kernels, _reference
from problems.types import Trace

FAST = settings(derandomize=True, database=None, deadline=None, max_examples=10)
seeds = st.integers(0, 2**32 - 1)
BACKENDS = [_kernels, _reference]


def small(seed=0, **kw):
    return ls.shifted_laplacians(np.random.default_rng(seed), **{"grid": 5, "horizon": 12,
                                                                  "omegas": [1.0, 1.3, 1.6], **kw})


def padded(b):
    return np.zeros((b.shape[0] + 2, b.shape[1] + 2))


def dense_sor(grid, shift, omega):
    """Iteration matrix and affine part of lexicographic SOR from the dense matrix."""
    A = ls.laplacian_2d(grid, shift)
    D, L = np.diag(np.diag(A)), -np.tril(A, -1)
    U = -np.triu(A, 1)
    inv = np.linalg.inv(D - omega * L)
    return A, inv @ ((1 - omega) * D + omega * U), omega * inv


# ---------------------------------------------------------------- SOR is SOR

@FAST
@given(seeds, st.integers(2, 6), st.floats(0.0, 3.0), st.floats(0.2, 1.95), st.integers(1, 6))
def test_stencil_sweeps_equal_the_dense_sor_iteration(seed, g, shift, omega, sweeps):
    b = np.random.default_rng(seed).standard_normal((g, g))
    _, M, N = dense_sor(g, shift, omega)
    x = np.zeros(g * g)
    for _ in range(sweeps):
        x = M @ x + N @ b.ravel()
    for impl in BACKENDS:
        xp = padded(b)
        assert impl._sor_solve(shift, b, omega, 1e-300, sweeps, xp) == -1  # capped: ran `sweeps`
        np.testing.assert_allclose(xp[1:-1, 1:-1].ravel(), x, rtol=1e-10, atol=1e-12)
        assert np.all(xp[0] == 0) and np.all(xp[-1] == 0) and np.all(xp[:, 0] == 0)


@pytest.mark.parametrize("impl", BACKENDS)
def test_sor_converges_to_numpy_linalg_solve(impl):
    g, shift, tol = 6, 0.5, 1e-12
    b = np.random.default_rng(3).standard_normal((g, g))
    A = ls.laplacian_2d(g, shift)
    x_star = np.linalg.solve(A, b.ravel())
    for omega in (0.8, 1.0, 1.4, 1.9):
        xp = padded(b)
        k = impl._sor_solve(shift, b, omega, tol, 5000, xp)
        x = xp[1:-1, 1:-1].ravel()
        assert k > 0
        assert np.linalg.norm(b.ravel() - A @ x) <= tol * np.linalg.norm(b)
        assert np.linalg.norm(x - x_star) <= np.linalg.cond(A) * tol * np.linalg.norm(x_star) * 1.01
        # one sweep fewer must not have reached the tolerance: the count is the first hit
        xq = padded(b)
        assert impl._sor_solve(shift, b, omega, tol, k - 1, xq) == -1


# ---------------------------------------------------------------- Young's theory

@pytest.mark.parametrize("g", [3, 4, 6])
@pytest.mark.parametrize("shift", [0.0, 0.7, 2.0])
def test_young_formula_matches_dense_spectral_radius_of_sor(g, shift):
    A = ls.laplacian_2d(g, shift)
    J = np.eye(g * g) - A / np.diag(A)[:, None]
    mu = ls.jacobi_radius(g, shift)
    assert mu == pytest.approx(np.max(np.abs(np.linalg.eigvals(J))), rel=1e-12)
    w_star = ls.young_omega(mu)
    for omega in (0.5, 1.0, 1.2, w_star - 0.02, w_star, w_star + 0.02, 1.9):
        rho = np.max(np.abs(np.linalg.eigvals(dense_sor(g, shift, omega)[1])))
        # at omega* the SOR matrix is defective: eigvals are only sqrt(eps)-accurate there
        rtol = 1e-6 if abs(omega - w_star) < 1e-12 else 1e-9
        assert ls.sor_spectral_radius(omega, mu) == pytest.approx(rho, rel=rtol)
    assert ls.sor_spectral_radius(1.0, mu) == pytest.approx(mu**2, rel=1e-12)
    assert ls.sor_spectral_radius(w_star, mu) == pytest.approx(w_star - 1, rel=1e-12)


def test_iteration_count_minimiser_is_young_omega_within_the_grid_spacing_and_beats_gauss_seidel():
    omegas = np.round(np.linspace(1.0, 1.99, 67), 12)
    inst = ls.shifted_laplacians(np.random.default_rng(0), grid=8, horizon=1, omegas=omegas)
    for backend in ("numba", "numpy"):
        tr = ls.sor_iterations(inst, np.random.default_rng(1), replicas=2, backend=backend)
        w_star = inst.constants["young_omega"]
        assert tr.info["young_omega"] == w_star and tr.info["capped_runs"] == 0
        assert abs(ls.best_omega(tr) - w_star) <= tr.info["omega_spacing"]
        gauss_seidel, best = tr.values[:, 0].mean(), tr.values.mean(axis=0).min()
        assert gauss_seidel > 3.5 * best  # predicted ratio ln(w*-1)/ln(mu^2) = 5.7


def test_shifted_system_uses_the_shifted_jacobi_radius_and_its_young_omega():
    inst = small(omegas=np.round(np.linspace(1.0, 1.6, 41), 12), grid=8)
    tr = ls.sor_iterations(inst, np.random.default_rng(2), shift=2.0, replicas=2)
    mu = 4 * math.cos(math.pi / 9) / 6.0
    assert tr.info["jacobi_radius"] == pytest.approx(mu, rel=1e-15)
    assert tr.info["young_omega"] == pytest.approx(2 / (1 + math.sqrt(1 - mu**2)), rel=1e-15)
    assert abs(ls.best_omega(tr) - tr.info["young_omega"]) <= 2 * tr.info["omega_spacing"]
    assert tr.info["young_omega"] < inst.constants["young_omega"]


def test_counts_at_the_cap_are_the_cap_and_are_counted():
    inst = small(max_iter=5)
    tr = ls.sor_iterations(inst, np.random.default_rng(0), replicas=3)
    assert tr.info["capped_runs"] == 9 and np.all(tr.values == 5)
    np.testing.assert_array_equal(ls.sor_cost_matrix(inst, np.random.default_rng(0)), 5)


def test_best_omega_breaks_ties_to_the_smallest_relaxation():
    tr = Trace("iterations", np.array([1.0, 1.2, 1.4, 1.6]), np.array([[9, 4, 7, 4], [9, 6, 5, 6]]))
    assert ls.best_omega(tr) == 1.2
    tr = Trace("iterations", np.array([1.0, 1.2, 1.4, 1.6]), np.array([[9, 4, 4, 4], [9, 6, 5, 6]]))
    assert ls.best_omega(tr) == 1.4


# ---------------------------------------------------------------- generator

def test_generator_constants_are_exact_and_draws_reproducible():
    inst = small(seed=4, shift_low=0.5, shift_high=1.5, tol=1e-6)
    c, d = inst.constants, inst.data
    mu = math.cos(math.pi / 6)
    assert c["jacobi_radius"] == pytest.approx(mu, rel=1e-15)
    assert c["young_omega"] == pytest.approx(2 / (1 + math.sqrt(1 - mu**2)), rel=1e-15)
    assert c["young_radius"] == pytest.approx(c["young_omega"] - 1, rel=1e-15)
    assert c["gauss_seidel_radius"] == pytest.approx(mu**2, rel=1e-15)
    assert c["young_omega_shift_high"] == ls.young_omega(ls.jacobi_radius(5, 1.5))
    rho = max(ls.sor_spectral_radius(w, ls.jacobi_radius(5, 0.5)) for w in d["omegas"])
    assert c["max_iter"] == math.ceil(2 * math.log(1e6) / math.log(1 / rho)) + 20
    assert d["rhs"].shape == (12, 5, 5) and np.all((d["shifts"] >= 0.5) & (d["shifts"] <= 1.5))
    rng = np.random.default_rng(4)
    np.testing.assert_array_equal(d["shifts"], rng.uniform(0.5, 1.5, 12))
    np.testing.assert_array_equal(d["rhs"], rng.standard_normal((12, 5, 5)))


# ---------------------------------------------------------------- kernels vs twins

@FAST
@given(seeds, st.integers(2, 6), st.floats(1e-10, 1e-3))
def test_cost_matrix_kernel_matches_numpy_twin(seed, g, tol):
    rng = np.random.default_rng(seed)
    shifts, rhs = rng.uniform(0, 3, 7), rng.standard_normal((7, g, g))
    omegas = np.sort(rng.uniform(0.3, 1.97, 5))
    counts = []
    for impl in BACKENDS:
        out = np.empty((7, 5), dtype=np.int64)
        impl._sor_counts(shifts, rhs, omegas, tol, 400, out)
        counts.append(out)
    np.testing.assert_array_equal(counts[0], counts[1])
    inst = small(seed=seed % 1000)
    np.testing.assert_array_equal(ls.sor_cost_matrix(inst, rng, backend="numba"),
                                  ls.sor_cost_matrix(inst, rng, backend="numpy"))


@FAST
@given(seeds, st.integers(1, 12), st.floats(1e-3, 10.0))
def test_bandit_probabilities_are_distributions_and_twins_agree(seed, K, eta):
    L_hat = np.random.default_rng(seed).exponential(5.0, (3, K))
    for name in ("_exp3_probabilities", "_tsallis_probabilities"):
        ref = np.empty((3, K))
        getattr(_reference, name)(L_hat, eta, ref)
        for r in range(3):
            p = np.empty(K)
            x = getattr(_kernels, name)(L_hat[r], eta, p)
            assert np.all(p >= 0) and abs(p.sum() - 1) <= 1e-12
            np.testing.assert_allclose(p, ref[r], rtol=1e-10, atol=1e-300)
            order = np.argsort(L_hat[r], kind="stable")
            assert np.all(np.diff(p[order]) <= 1e-15)  # lower estimated cost, more probability
            if name == "_tsallis_probabilities":  # the normaliser solves sum 4/(eta(L - x))^2 = 1
                assert x < L_hat[r].min()
                assert abs(np.sum(4 / (eta * (L_hat[r] - x)) ** 2) - 1) <= 1e-12


@pytest.mark.parametrize("algorithm", [_kernels.EXP3, _kernels.TSALLIS_INF])
def test_bandit_kernel_matches_twin_and_chunks_carry_state(algorithm):
    rng = np.random.default_rng(5)
    costs, uniforms = rng.random((300, 6)), rng.random((4, 300))
    record_at = np.array([1, 7, 50, 150, 151, 300])
    results = []
    for impl, cuts in ((_kernels, [0, 300]), (_reference, [0, 300]), (_kernels, [0, 150, 151, 300])):
        L_hat, alg_cost = np.zeros((4, 6)), np.zeros(4)
        pulls, out = np.zeros((4, 6), dtype=np.int64), np.full((4, 6), np.nan)
        for a, b in zip(cuts[:-1], cuts[1:]):
            impl._bandit(costs, np.ascontiguousarray(uniforms[:, a:b]), a, algorithm, L_hat,
                         alg_cost, pulls, record_at, out)
        results.append((out, pulls, L_hat))
    for out, pulls, L_hat in results[1:]:
        np.testing.assert_allclose(out, results[0][0], rtol=1e-10)
        np.testing.assert_array_equal(pulls, results[0][1])
        np.testing.assert_allclose(L_hat, results[0][2], rtol=1e-10)
    assert np.all(results[0][1].sum(axis=1) == 300)


# ---------------------------------------------------------------- regret accounting

def _replay_exp3(costs, uniforms):
    """An independent, plain-loop Exp3 on the same uniforms: the sequence of costs paid."""
    T, K = costs.shape
    L_hat, paid = np.zeros(K), np.zeros(T)
    for t in range(1, T + 1):
        w = np.exp(-math.sqrt(2 * math.log(K) / (K * t)) * (L_hat - L_hat.min()))
        p = w / w.sum()
        arm = min(int(np.searchsorted(np.cumsum(p), uniforms[t - 1], side="right")), K - 1)
        paid[t - 1] = costs[t - 1, arm]
        L_hat[arm] += costs[t - 1, arm] / p[arm]
    return paid


def test_regret_is_realised_cost_minus_best_fixed_arm_in_hindsight_for_each_prefix():
    inst = small(seed=6, horizon=150, omegas=[0.9, 1.2, 1.5, 1.8])
    tr = ls.bandit_relaxation(inst, np.random.default_rng(8), replicas=2, metric="regret",
                              n_checkpoints=15)
    costs = ls.sor_cost_matrix(inst, np.random.default_rng(0)) / inst.constants["max_iter"]
    uniforms = np.random.default_rng(8).random((2, 150))
    best = np.cumsum(costs, axis=0).min(axis=1)
    for r in range(2):
        paid = np.cumsum(_replay_exp3(costs, uniforms[r]))
        np.testing.assert_allclose(tr.values[r], (paid - best)[tr.t.astype(int) - 1], rtol=1e-9, atol=1e-12)
    avg = ls.bandit_relaxation(inst, np.random.default_rng(8), replicas=2, n_checkpoints=15)
    np.testing.assert_allclose(avg.values, tr.values / tr.t, rtol=1e-15)


@pytest.mark.parametrize("algorithm", ["exp3", "tsallis_inf"])
def test_regret_decomposes_into_pulls_times_gaps_on_a_repeated_system(algorithm):
    inst = small(seed=1, horizon=400)
    data = {**inst.data, "shifts": np.full(400, 0.3), "rhs": np.repeat(inst.data["rhs"][:1], 400, 0)}
    repeated = dataclasses.replace(inst, data=data)
    tr = ls.bandit_relaxation(repeated, np.random.default_rng(2), algorithm=algorithm,
                              replicas=3, metric="regret", record_at=[400])
    cost = ls.sor_cost_matrix(repeated, np.random.default_rng(0))[0] / inst.constants["max_iter"]
    gaps = cost - cost.min()
    assert np.ptp(cost) > 0 and np.all(tr.info["pulls"].sum(axis=1) == 400)
    np.testing.assert_allclose(tr.values[:, 0], tr.info["pulls"] @ gaps, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("algorithm", ["exp3", "tsallis_inf"])
def test_bandit_regret_is_sublinear_within_the_textbook_bound_and_reproducible(algorithm):
    inst = ls.shifted_laplacians(np.random.default_rng(0), grid=6, horizon=2000,
                                 omegas=np.round(np.linspace(1.0, 1.9, 10), 12))
    run = lambda seed: ls.bandit_relaxation(inst, np.random.default_rng(seed), algorithm=algorithm,
                                            replicas=8, record_at=[50, 200, 2000])
    tr = run(3)
    mean = tr.values.mean(axis=0)
    assert mean[2] < 0.7 * mean[0]
    assert np.all(tr.values * tr.t <= tr.info["regret_bound"])
    assert tr.info["instance_optimal_cost"][-1] <= tr.info["best_fixed_cost"][-1]
    np.testing.assert_array_equal(run(3).values, tr.values)
    assert not np.array_equal(run(4).values, tr.values)
    assert tr.info["capped_runs"] == 0


def test_cost_matrix_is_memoised_on_content():
    inst = small(seed=9)
    first = ls.bandit_relaxation(inst, np.random.default_rng(0))
    again = ls.bandit_relaxation(inst, np.random.default_rng(0), algorithm="tsallis_inf")
    assert again.info["cost_matrix_cached"] and first.info["cost_matrix_seconds"] == again.info[
        "cost_matrix_seconds"]
    changed = dataclasses.replace(inst, data={**inst.data, "rhs": inst.data["rhs"] * 2.0})
    assert not ls.bandit_relaxation(changed, np.random.default_rng(0)).info["cost_matrix_cached"]


# ---------------------------------------------------------------- bad input

def _bad_calls():
    rng, inst = np.random.default_rng(0), small()
    return [
        ("grid", lambda: ls.shifted_laplacians(rng, grid=1, horizon=3)),
        ("horizon", lambda: ls.shifted_laplacians(rng, horizon=0)),
        ("shift_low", lambda: ls.shifted_laplacians(rng, horizon=3, shift_low=-1.0)),
        ("shift_high", lambda: ls.shifted_laplacians(rng, horizon=3, shift_low=2.0, shift_high=1.0)),
        ("tol", lambda: ls.shifted_laplacians(rng, horizon=3, tol=0.0)),
        ("omegas", lambda: ls.shifted_laplacians(rng, horizon=3, omegas=[1.0, 2.0])),
        ("omegas", lambda: ls.shifted_laplacians(rng, horizon=3, omegas=[1.5, 1.2])),
        ("omegas", lambda: ls.shifted_laplacians(rng, horizon=3, omegas=[])),
        ("max_iter", lambda: ls.shifted_laplacians(rng, horizon=3, max_iter=0)),
        ("rng", lambda: ls.shifted_laplacians(0, horizon=3)),
        ("rng", lambda: ls.sor_iterations(inst, 0)),
        ("instance", lambda: ls.sor_iterations({"rhs": 1}, rng)),
        ("shift", lambda: ls.sor_iterations(inst, rng, shift=-0.5)),
        ("metric", lambda: ls.sor_iterations(inst, rng, metric="regret")),
        ("omegas", lambda: ls.sor_iterations(inst, rng, omegas=[0.0, 1.0])),
        ("backend", lambda: ls.sor_cost_matrix(inst, rng, backend="jax")),
        ("algorithm", lambda: ls.bandit_relaxation(inst, rng, algorithm="ucb")),
        ("metric", lambda: ls.bandit_relaxation(inst, rng, metric="iterations")),
        ("replicas", lambda: ls.bandit_relaxation(inst, rng, replicas=0)),
        ("n_checkpoints", lambda: ls.bandit_relaxation(inst, rng, n_checkpoints=1)),
        ("record_at", lambda: ls.bandit_relaxation(inst, rng, record_at=[5, 13])),
        ("record_at", lambda: ls.bandit_relaxation(inst, rng, record_at=[5, 3])),
        ("best_omega", lambda: ls.best_omega(Trace("regret", [1.0], [[1.0]]))),
        ("omega", lambda: ls.sor_spectral_radius(2.0, 0.5)),
        ("jacobi_radius", lambda: ls.young_omega(1.0)),
    ]


@pytest.mark.parametrize("case", range(len(_bad_calls())))
def test_bad_arguments_raise_value_error_naming_the_argument(case):
    name, call = _bad_calls()[case]
    with pytest.raises(ValueError, match=name):
        call()


def test_best_omega_metric_is_the_argmin_of_the_counts():
    inst = ls.shifted_laplacians(np.random.default_rng(0), grid=6, horizon=1)
    counts = ls.sor_iterations(inst, np.random.default_rng(1), replicas=2)
    best = ls.sor_iterations(inst, np.random.default_rng(1), replicas=2, metric="best_omega")
    assert best.values.shape == (1, 1) and best.t.tolist() == [0.0]
    assert best.values[0, 0] == ls.best_omega(counts)
    np.testing.assert_array_equal(best.info["iterations"], counts.values)
