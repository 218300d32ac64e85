"""Tests for problems.wide_networks: the closed-form limits (arc-cosine integrals, NTK variance,
kurtosis constant) against Monte Carlo and explicit Jacobians, kernels against their twins, the
Monte Carlo estimators against their exact values within their own error, the linear student's
exact solution (frozen subspace, late-time peak at N = P), reproducibility and bad arguments."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import problems.types
from problems import wide_networks as wn
from problems.wide_networks import limits

FAST = settings(derandomize=True, database=None, deadline=None, max_examples=8)
seeds = st.integers(0, 2**32 - 1)


def points(seed=0, **kw):
    return wn.sphere_points(np.random.default_rng(seed), **{"n_points": 4, "input_dim": 3, **kw})


def student(seed=0, **kw):
    return wn.linear_teacher_student(np.random.default_rng(seed), **{"n_params": 30, "n_samples": 12, **kw})


def gaussian_draws(X, activation, size, seed):
    U = np.random.default_rng(seed).standard_normal((size, X.shape[1])) @ X.T
    if activation == "relu":
        return np.maximum(U, 0.0), (U > 0).astype(float)
    return U, np.ones_like(U)


# ---------------------------------------------------------------- closed forms

def test_arccos_integrals_at_special_angles():
    X = np.array([[2.0, 0.0], [0.0, 1.0], [-1.0, 0.0]])  # angles 0, pi/2, pi with the first row
    m = limits.gaussian_moments(X, "relu")
    assert m["phi_phi"][0, 0] == pytest.approx(4.0 / 2)  # E relu(u)^2 = |x|^2/2
    assert m["phi2_phi2"][0, 0] == pytest.approx(3 * 16.0 / 2)  # E relu(u)^4 = 3|x|^4/2
    assert m["dphi_dphi"][0, 0] == pytest.approx(0.5)
    assert m["phi_phi"][0, 1] == pytest.approx(2.0 / (2 * np.pi))  # independent: (E relu)^2
    assert m["dphi_dphi"][0, 1] == pytest.approx(0.25)
    assert m["phi_phi"][0, 2] == pytest.approx(0.0, abs=1e-15) and m["dphi_dphi"][0, 2] == pytest.approx(0.0)
    assert limits.kurtosis_constant("relu") == 15.0 and limits.kurtosis_constant("linear") == 6.0


@pytest.mark.parametrize("activation", ["relu", "linear"])
def test_gaussian_moments_limit_ntk_and_unit_variance_match_monte_carlo(activation):
    X = np.random.default_rng(3).standard_normal((3, 4)) * np.array([[1.0], [0.5], [2.0]])
    M = 200_000
    phi, dphi = gaussian_draws(X, activation, M, seed=1)
    a2 = np.random.default_rng(2).standard_normal(M)[:, None, None] ** 2
    T = phi[:, :, None] * phi[:, None, :] + a2 * (X @ X.T) * dphi[:, :, None] * dphi[:, None, :]
    se = T.std(axis=0) / np.sqrt(M)
    assert np.all(np.abs(T.mean(axis=0) - limits.limit_ntk(X, activation)) <= 5 * se + 1e-12)
    m = limits.gaussian_moments(X, activation)
    fourth = phi[:, :, None] ** 2 * phi[:, None, :] ** 2
    assert np.all(np.abs(fourth.mean(axis=0) - m["phi2_phi2"]) <= 5 * fourth.std(axis=0) / np.sqrt(M))
    # the variance of the unit term: its estimate's error is about sqrt(kurtosis/M), a few percent
    np.testing.assert_allclose(T.var(axis=0), limits.ntk_entry_variances(X, activation), rtol=0.06)


def test_limit_ntk_is_positive_definite_on_the_sphere():
    # Jacot et al.: the limit NTK of a non-polynomial activation is positive definite on the sphere
    for seed in range(5):
        inst = points(seed, n_points=12, input_dim=3)
        assert np.linalg.eigvalsh(inst.data["limit_ntk"])[0] > 1e-8


def test_sphere_points_constants_are_their_definitions():
    inst = points(2, n_points=6, input_dim=4)
    X, c = inst.data["X"], inst.constants
    np.testing.assert_allclose(np.linalg.norm(X, axis=1), 1.0, rtol=1e-15)
    assert c["ntk_variance"] == pytest.approx(inst.data["ntk_entry_variances"].sum(), rel=1e-14)
    assert c["ntk_entry_variance"] == inst.data["ntk_entry_variances"][0, 1]
    assert c["limit_ntk_norm"] == pytest.approx(np.linalg.norm(inst.data["limit_ntk"]), rel=1e-14)
    assert (c["kurtosis_constant"], c["output_variance"]) == (15.0, pytest.approx(0.5))
    linear = points(2, activation="linear")
    np.testing.assert_allclose(linear.data["limit_ntk"], 2 * linear.data["gram"], rtol=1e-14)
    assert (linear.constants["kurtosis_constant"], linear.constants["output_variance"]) == (6.0, pytest.approx(1.0))


# ---------------------------------------------------------------- empirical NTK

def test_empirical_ntk_is_the_gram_of_the_explicit_jacobian():
    inst = points(1, n_points=3, input_dim=3)
    X, m = inst.data["X"], 7
    trace = wn.empirical_ntk(inst, np.random.default_rng(5), width=m, replicas=2, n_checkpoints=m)
    Z = np.random.default_rng(5).standard_normal((2, m, 4))
    assert trace.t[0] == 1 and trace.t[-1] == m and trace.t.size >= 5
    for r in range(2):
        for k, width in enumerate(trace.t.astype(int)):
            W, a = Z[r, :width, :3], Z[r, :width, 3]
            U = X @ W.T  # (n, width)
            J = np.hstack([np.maximum(U, 0), ((U > 0) * a)[:, :, None].repeat(3, 2).reshape(3, -1)
                           * np.tile(X, width)]) / np.sqrt(width)
            assert trace.values[r, k] == pytest.approx(np.linalg.norm(J @ J.T - inst.data["limit_ntk"]), rel=1e-12)


@pytest.mark.parametrize("metric, constant", [("deviation", "ntk_variance"),
                                              ("entry_deviation", "ntk_entry_variance")])
def test_empirical_ntk_mean_square_is_the_exact_variance_over_width(metric, constant):
    inst = points(4)
    trace = wn.empirical_ntk(inst, np.random.default_rng(0), width=256, replicas=400, metric=metric,
                             n_checkpoints=4)
    scaled = trace.values**2 * trace.t / inst.constants[constant]  # mean 1 at every width
    se = scaled.std(axis=0) / np.sqrt(scaled.shape[0])
    assert np.all(np.abs(scaled.mean(axis=0) - 1) <= 4 * se)
    assert wn.rms_final(trace) == pytest.approx(np.sqrt(np.mean(trace.values[:, -1] ** 2)))


@pytest.mark.parametrize("activation", ["relu", "linear"])
@pytest.mark.parametrize("metric", ["deviation", "relative_deviation", "entry_deviation"])
def test_ntk_kernel_matches_numpy_twin(activation, metric):
    inst = points(6, activation=activation)
    a, b = (wn.empirical_ntk(inst, np.random.default_rng(2), width=300, replicas=3, metric=metric, backend=be)
            for be in ("numba", "numpy"))
    np.testing.assert_allclose(a.values, b.values, rtol=1e-10, atol=0)
    if metric == "relative_deviation":
        plain = wn.empirical_ntk(inst, np.random.default_rng(2), width=300, replicas=3)
        np.testing.assert_allclose(a.values, plain.values / inst.constants["limit_ntk_norm"], rtol=1e-12)


def test_results_reproduce_from_the_seed_and_do_not_depend_on_the_chunk_size(monkeypatch):
    inst = points(0)
    ntk = wn.empirical_ntk(inst, np.random.default_rng(9), width=64, replicas=5)
    kurt = wn.output_kurtosis(inst, np.random.default_rng(9), width=16, networks=300, replicas=2)
    monkeypatch.setattr(problems.types, "CHUNK_NUMBERS", 100)  # a few networks per chunk
    np.testing.assert_array_equal(ntk.values, wn.empirical_ntk(inst, np.random.default_rng(9), width=64,
                                                               replicas=5).values)
    np.testing.assert_array_equal(kurt.values, wn.output_kurtosis(inst, np.random.default_rng(9), width=16,
                                                                  networks=300, replicas=2).values)


# ---------------------------------------------------------------- output kurtosis

@pytest.mark.parametrize("activation", ["relu", "linear"])
def test_hidden_layer_kernel_matches_numpy_twin(activation):
    inst = points(3, activation=activation)
    for estimator in ("conditional", "sample"):
        a, b = (wn.output_kurtosis(inst, np.random.default_rng(4), width=50, networks=500, replicas=2,
                                   estimator=estimator, backend=be) for be in ("numba", "numpy"))
        np.testing.assert_allclose(a.values, b.values, rtol=1e-10, atol=0)
        np.testing.assert_allclose(a.info["standard_error"], b.info["standard_error"], rtol=1e-8)


@pytest.mark.parametrize("activation, constant", [("relu", 15.0), ("linear", 6.0)])
def test_kurtosis_estimators_find_c_over_m_within_their_standard_error(activation, constant):
    inst = points(5, activation=activation)
    runs = {e: wn.output_kurtosis(inst, np.random.default_rng(1), width=32, networks=20_000, estimator=e,
                                  n_checkpoints=6) for e in ("conditional", "sample")}
    for trace in runs.values():
        exact = constant / trace.t
        assert np.all(np.abs(trace.values[0] - exact) <= 5 * trace.info["standard_error"][0])
    # Rao-Blackwellising over the readout weights divides the error by 2 or more at width 1, where the
    # signal c is largest, and by 10 or more at width 32, where the sample estimator's error stays put
    gain = runs["sample"].info["standard_error"][0] / runs["conditional"].info["standard_error"][0]
    assert np.all(gain > 2) and gain[-1] > 10


def test_kurtosis_standard_error_predicts_the_spread_over_replicas():
    inst = points(7)
    trace = wn.output_kurtosis(inst, np.random.default_rng(3), width=16, networks=2000, replicas=60,
                               n_checkpoints=3)
    ratio = trace.values.std(axis=0, ddof=1) / trace.info["standard_error"].mean(axis=0)
    assert np.all((ratio > 0.7) & (ratio < 1.35))  # chi with 59 degrees of freedom: +-25% at 3 sigma


# ---------------------------------------------------------------- linear student

def test_student_constants_and_zero_init_limit_are_exact():
    inst = student(1, n_params=30, n_samples=12, noise=0.7, teacher_scale=1.3, init_scale=0.4)
    X, y, w_bar = inst.data["X"], inst.data["y"], inst.data["teacher"]
    c = inst.constants
    assert (c["rank"], c["frozen_fraction"], c["sample_ratio"]) == (12.0, 18 / 30, 12 / 30)
    s = np.linalg.svd(X, compute_uv=False)
    assert (c["lambda_max"], c["lambda_min"]) == (pytest.approx(s[0] ** 2), pytest.approx(s[-1] ** 2))
    w_inf = np.linalg.pinv(X) @ y  # gradient flow from 0 ends at the minimum-norm interpolant
    assert c["zero_init_late_time_error"] == pytest.approx(np.sum((w_inf - w_bar) ** 2) / 30 + 0.49, rel=1e-10)
    np.testing.assert_allclose(y, X @ w_bar + inst.data["noise_draw"], rtol=1e-14)


@pytest.mark.parametrize("metric", ["test_error", "train_error", "init_excess"])
def test_gd_kernel_matches_numpy_twin(metric):
    inst = student(2)
    a, b = (wn.student_gradient_descent(inst, np.random.default_rng(1), n_iter=300, replicas=4, metric=metric,
                                        backend=be) for be in ("numba", "numpy"))
    np.testing.assert_allclose(a.values, b.values, rtol=1e-10, atol=1e-13)


@FAST
@given(seeds, st.integers(5, 25), st.integers(5, 45))
def test_gd_converges_to_the_frozen_init_plus_the_minimum_norm_fit(seed, P, N):
    inst = wn.linear_teacher_student(np.random.default_rng(seed), n_params=P, n_samples=N, noise=0.5)
    trace = wn.student_gradient_descent(inst, np.random.default_rng(seed), n_iter=20_000, replicas=3,
                                        step_size=1.5 / inst.constants["lambda_max"], n_checkpoints=3)
    X, y, w_bar = inst.data["X"], inst.data["y"], inst.data["teacher"]
    pinv = np.linalg.pinv(X)
    if inst.constants["lambda_max"] / inst.constants["lambda_min"] > 500:
        return  # nearly square: 20000 steps do not reach the limit (the peak's ill-conditioning)
    for r, w0 in enumerate(trace.info["w0"]):
        w_inf = w0 - pinv @ (X @ w0) + pinv @ y
        assert trace.values[r, -1] == pytest.approx(np.sum((w_inf - w_bar) ** 2) / P + 0.25, rel=1e-8)


def test_gd_mean_over_init_matches_the_exact_expectation():
    inst = student(3, n_params=40, n_samples=20)
    trace = wn.student_gradient_descent(inst, np.random.default_rng(0), n_iter=500, replicas=2000, n_checkpoints=12)
    exact = wn.expected_test_error(inst, np.random.default_rng(0), n_iter=500, average="init", n_checkpoints=12)
    se = trace.values.std(axis=0) / np.sqrt(trace.values.shape[0])
    assert np.all(np.abs(trace.values.mean(axis=0) - exact.values[0]) <= 4 * se)


def test_init_excess_is_the_frozen_term_below_p_and_vanishes_above():
    below = student(4, n_params=40, n_samples=10)
    trace = wn.student_gradient_descent(below, np.random.default_rng(2), n_iter=400, replicas=3000,
                                        metric="init_excess", n_checkpoints=3)
    se = trace.values[:, -1].std() / np.sqrt(3000)
    assert abs(trace.values[:, -1].mean() - (1 - 0.25) * 1.0) <= 4 * se
    above = student(4, n_params=20, n_samples=60)  # no null space: every initialisation is forgotten
    trace = wn.student_gradient_descent(above, np.random.default_rng(2), n_iter=3000, replicas=5,
                                        metric="init_excess", n_checkpoints=3)
    assert np.all(np.abs(trace.values[:, -1]) < 1e-10)


def test_expected_errors_interpolate_from_the_start_to_the_late_time_limit():
    inst = student(5, noise=0.6, teacher_scale=0.8, init_scale=0.5)
    c = inst.constants
    lam = wn.spectrum(inst.data["X"])
    start = wn.expected_flow_error(lam, 30, 0.6, 0.8, 0.5, [0.0])[0]
    assert start == pytest.approx(0.36 + 0.64 + 0.25, rel=1e-14)
    late = wn.expected_test_error(inst, np.random.default_rng(0), n_iter=20_000, step_size=1 / c["lambda_max"])
    assert late.values[0, -1] == pytest.approx(c["late_time_error"], rel=1e-10)
    best, when = wn.early_stopped_error(lam, 30, 0.6, 0.8, 0.5)
    grid = wn.expected_flow_error(lam, 30, 0.6, 0.8, 0.5, np.geomspace(1e-4, 1e4, 2000))
    assert best <= grid.min() + 1e-12 and best <= c["late_time_error"]
    over = wn.late_time_error(inst, np.random.default_rng(0), metric="overtraining")
    assert over.values[0, 0] == pytest.approx(c["late_time_error"] - best) and over.info["best_time"] == when


def test_late_time_error_matches_monte_carlo_over_init_teacher_and_noise():
    inst = student(6, n_params=30, n_samples=20, noise=0.8, teacher_scale=1.0, init_scale=0.6)
    X = inst.data["X"]
    rng = np.random.default_rng(1)
    M, P, N = 20_000, 30, 20
    w0, w_bar = 0.6 * rng.standard_normal((M, P)), rng.standard_normal((M, P))
    eps = 0.8 * rng.standard_normal((M, N))
    pinv = np.linalg.pinv(X)
    frozen = (w0 - w_bar) - (w0 - w_bar) @ (pinv @ X).T
    errors = np.sum((frozen + eps @ pinv.T) ** 2, axis=1) / P + 0.64
    exact = wn.late_time_error(inst, np.random.default_rng(0)).values[0, 0]
    assert exact == inst.constants["late_time_error"]
    assert abs(errors.mean() - exact) <= 4 * errors.std() / np.sqrt(M)


@FAST
@given(seeds)
def test_late_time_error_peaks_at_n_equals_p_on_nested_samples(seed):
    inst = wn.linear_teacher_student(np.random.default_rng(seed), n_params=24, n_samples=48, noise=1.0,
                                     teacher_scale=1.0, init_scale=0.5)
    def at(N, metric):
        return wn.late_time_error(inst, np.random.default_rng(0), n_samples=N, metric=metric).values[0, 0]

    increments = np.array([at(N, "increment") for N in range(12, 40)])
    assert np.all(increments[:12] > 0) and np.all(increments[12:] < 0)  # N = 12..23 | 24..39
    # the overtraining E_g(inf) - min_t E_g(t) peaks there too (Advani & Saxe's statement)
    assert 12 + int(np.argmax([at(N, "overtraining") for N in range(12, 40)])) == 24


@pytest.mark.parametrize("backend", ["numba", "numpy"])
def test_divergent_step_gives_inf_and_first_nonfinite(backend):
    inst = student(0)
    trace = wn.student_gradient_descent(inst, np.random.default_rng(0), n_iter=5000, backend=backend,
                                        step_size=5.0 / inst.constants["lambda_max"])
    assert trace.info["first_nonfinite"] is not None and trace.values[0, -1] == np.inf


# ---------------------------------------------------------------- bad input

def _bad_calls():
    rng, sp, ls = np.random.default_rng(0), points(), student()
    return [
        ("n_points", lambda: wn.sphere_points(rng, n_points=1)),
        ("input_dim", lambda: wn.sphere_points(rng, input_dim=0)),
        ("activation", lambda: wn.sphere_points(rng, activation="tanh")),
        ("rng", lambda: wn.sphere_points(0)),
        ("n_params", lambda: wn.linear_teacher_student(rng, n_params=0)),
        ("noise", lambda: wn.linear_teacher_student(rng, noise=-1.0)),
        ("init_scale", lambda: wn.linear_teacher_student(rng, init_scale=float("nan"))),
        ("width", lambda: wn.empirical_ntk(sp, rng, width=0)),
        ("replicas", lambda: wn.empirical_ntk(sp, rng, width=4, replicas=0)),
        ("metric", lambda: wn.empirical_ntk(sp, rng, width=4, metric="spectral")),
        ("backend", lambda: wn.empirical_ntk(sp, rng, width=4, backend="jax")),
        ("instance", lambda: wn.empirical_ntk(ls, rng, width=4)),
        ("networks", lambda: wn.output_kurtosis(sp, rng, width=4, networks=1)),
        ("estimator", lambda: wn.output_kurtosis(sp, rng, width=4, estimator="jackknife")),
        ("point", lambda: wn.output_kurtosis(sp, rng, width=4, point=4)),
        ("n_checkpoints", lambda: wn.output_kurtosis(sp, rng, width=4, n_checkpoints=1)),
        ("instance", lambda: wn.student_gradient_descent(sp, rng, n_iter=5)),
        ("n_samples", lambda: wn.student_gradient_descent(ls, rng, n_iter=5, n_samples=13)),
        ("step_size", lambda: wn.student_gradient_descent(ls, rng, n_iter=5, step_size=0.0)),
        ("replicas", lambda: wn.student_gradient_descent(ls, rng, n_iter=5, replicas=10**6)),
        ("n_samples", lambda: wn.late_time_error(ls, rng, n_samples=12, metric="increment")),
        ("metric", lambda: wn.late_time_error(ls, rng, metric="peak")),
        ("average", lambda: wn.expected_test_error(ls, rng, n_iter=5, average="teacher")),
    ]


@pytest.mark.parametrize("case", range(len(_bad_calls())))
def test_bad_arguments_raise_value_error_naming_the_argument(case):
    name, call = _bad_calls()[case]
    with pytest.raises(ValueError, match=name):
        call()
