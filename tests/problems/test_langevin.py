"""Tests for problems.langevin (core): targets carry exact constants, ULA's exact laws match the
Lyapunov equation, the Bures-Wasserstein formula and simulations, the W2 mixing time is exact
per step and beats a brute-force scan, kernels agree with their twins, SGLD with the whole data
set is ULA, the coupling bounds W2, and bad arguments are named."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import scipy.linalg
from hypothesis import given, settings
from hypothesis import strategies as st

from problems import langevin as lg
from problems.langevin import _reference, gaussian, samplers
from problems import backend, types

FAST = settings(derandomize=True, database=None, deadline=None, max_examples=12)
seeds = st.integers(0, 2**32 - 1)
NP = backend.namespace("numpy")  # the twins' namespace argument


def gauss(seed=0, **kw):
    return lg.gaussian_target(np.random.default_rng(seed), **{"dim": 4, "condition_number": 5.0,
                                                              "start_distance": 1.0,
                                                              "mean_scale": 1.0, **kw})


def blr(seed=0, **kw):
    return lg.bayesian_linear_regression(np.random.default_rng(seed),
                                         **{"n_data": 40, "dim": 3, "condition_number": 4.0, **kw})


def logcosh(dim=5, coupling=0.3):
    return lg.coupled_logcosh_target(np.random.default_rng(0), dim=dim, coupling=coupling)


def rng(seed=0):
    return np.random.default_rng(seed)


# ---------------------------------------------------------------- targets

@FAST
@given(seeds, st.integers(2, 7), st.floats(1.0, 50.0), st.booleans())
def test_gaussian_target_constants_are_exact(seed, d, kappa, rotate):
    inst = lg.gaussian_target(rng(seed), dim=d, condition_number=kappa, rotate=rotate,
                              mean_scale=2.0, start_distance=1.5)
    P, S, V, lam = (inst.data[k] for k in ("precision", "covariance", "eigenvectors", "eigenvalues"))
    np.testing.assert_allclose(P @ S, np.eye(d), atol=1e-12 * kappa)
    np.testing.assert_allclose(V.T @ V, np.eye(d), atol=1e-13)
    np.testing.assert_allclose(P @ V, V * lam, atol=1e-12 * kappa)
    c = inst.constants
    assert (c["L"], c["mu"], c["condition_number"]) == (lam[-1], 1.0, lam[-1])
    assert c["L"] == pytest.approx(kappa, rel=1e-15)
    assert c["trace_covariance"] == pytest.approx(np.trace(S), rel=1e-12)
    assert c["start_distance"] == pytest.approx(1.5, rel=1e-14)
    assert np.all(np.diff(lam) >= 0)


def test_large_axis_aligned_gaussian_keeps_only_its_eigenvalues():
    inst = lg.gaussian_target(rng(), dim=5000, rotate=False, start_distance=1.0)
    assert inst.data["precision"] is None and inst.data["eigenvectors"] is None
    assert inst.constants["trace_covariance"] == 5000.0
    with pytest.raises(ValueError, match="dense precision"):
        lg.ula(inst, rng(), step_size=0.1, n_iter=2, chains=2)


def test_logcosh_gradient_matches_finite_differences_and_hessian_at_zero():
    inst = logcosh(dim=6, coupling=0.7)
    c, lam, V = inst.constants["coupling"], inst.data["eigenvalues"], inst.data["eigenvectors"]
    x = rng(1).standard_normal((1, 6)) * 2.0
    g = _reference._gradient(NP, 1, x, None, None, c)[0]
    U = lambda z: _reference._potential(NP, 1, z[None], None, None, c)[0]
    eps = 1e-6
    fd = np.array([(U(x[0] + eps * e) - U(x[0] - eps * e)) / (2 * eps) for e in np.eye(6)])
    np.testing.assert_allclose(g, fd, rtol=1e-7, atol=1e-8)
    D = np.diff(np.eye(6), axis=0)  # rows e_{i+1} - e_i: same D^T D as the forward difference
    H0 = np.eye(6) + c * D.T @ D
    np.testing.assert_allclose(H0 @ V, V * lam, atol=1e-12)
    assert inst.constants["L"] == pytest.approx(np.linalg.eigvalsh(H0)[-1], rel=1e-13)
    assert inst.constants["L"] < inst.constants["L_bound"] == 1 + 4 * c
    for z in rng(2).standard_normal((20, 6)) * 3:  # the Hessian never exceeds L, never below 1
        s = 1 / np.cosh(D @ z) ** 2
        eig = np.linalg.eigvalsh(np.eye(6) + c * D.T @ (s[:, None] * D))
        assert 1 - 1e-12 <= eig[0] and eig[-1] <= inst.constants["L"] + 1e-12


def test_bayesian_linear_regression_posterior_is_exact():
    inst = blr(n_data=60, dim=4, condition_number=8.0, noise=0.5, prior_precision=2.0)
    X, y, P, m = (inst.data[k] for k in ("design", "response", "precision", "mean"))
    np.testing.assert_allclose(P, X.T @ X / 0.25 + 2.0 * np.eye(4), rtol=1e-13)
    grad_at_mean = X.T @ (X @ m - y) / 0.25 + 2.0 * m  # sum-form potential is stationary at m
    assert np.linalg.norm(grad_at_mean) <= 1e-10 * np.linalg.norm(X.T @ y)
    assert inst.constants["condition_number"] == pytest.approx(8.0, rel=1e-10)
    assert inst.constants["mu"] == pytest.approx(60 / 0.25 + 2.0, rel=1e-10)


def test_generators_are_reproducible_from_rng():
    for make in (gauss, blr):
        a, b = make(seed=3), make(seed=3)
        for key, value in a.data.items():
            if isinstance(value, np.ndarray):
                np.testing.assert_array_equal(value, b.data[key])


# ---------------------------------------------------------------- exact laws

@FAST
@given(seeds, st.integers(1, 6), st.floats(1.0, 20.0), st.floats(0.01, 1.95))
def test_lyapunov_covariance_equals_the_per_direction_closed_form(seed, d, kappa, fraction):
    inst = lg.gaussian_target(rng(seed), dim=d, condition_number=kappa if d > 1 else 1.0)
    lam, V = inst.data["eigenvalues"], inst.data["eigenvectors"]
    h = fraction / lam[-1]
    S = lg.ula_stationary_covariance(inst.data["precision"], h)
    closed = (V / (lam * (1 - h * lam / 2))) @ V.T
    np.testing.assert_allclose(S, closed, rtol=1e-8, atol=1e-10 * np.abs(closed).max())


def test_ula_law_follows_the_moment_recursion_and_tends_to_the_lyapunov_covariance():
    inst = gauss(seed=1, dim=5, condition_number=10.0)
    P, m, x0 = inst.data["precision"], inst.data["mean"], inst.data["x0"]
    h = 0.15
    M = np.eye(5) - h * P
    mean, cov = x0.copy(), np.zeros((5, 5))
    for k in range(1, 40):
        mean, cov = m + M @ (mean - m), M @ cov @ M + 2 * h * np.eye(5)
        got_mean, got_cov = lg.ula_law(inst, h, k)
        np.testing.assert_allclose(got_mean, mean, rtol=1e-11, atol=1e-12)
        np.testing.assert_allclose(got_cov, cov, rtol=1e-10, atol=1e-12)
    far_mean, far_cov = lg.ula_law(inst, h, 100000)
    np.testing.assert_allclose(far_cov, lg.ula_stationary_covariance(P, h), rtol=1e-9)
    np.testing.assert_allclose(far_mean, m, atol=1e-12)
    assert np.array_equal(lg.ula_law(inst, h, 0)[0], x0) and not lg.ula_law(inst, h, 0)[1].any()


def test_gaussian_w2_matches_closed_forms():
    assert lg.gaussian_w2([1.0], [[4.0]], [-1.0], [[9.0]]) == pytest.approx(np.sqrt(4 + 1), rel=1e-14)
    Q = scipy.linalg.qr(rng(2).standard_normal((4, 4)))[0]
    a, b = np.array([1.0, 2.0, 0.5, 3.0]), np.array([2.0, 0.1, 0.5, 1.0])
    m1, m2 = rng(3).standard_normal(4), rng(4).standard_normal(4)
    commuting = np.sqrt(np.sum((m1 - m2) ** 2) + np.sum((np.sqrt(a) - np.sqrt(b)) ** 2))
    assert lg.gaussian_w2(m1, (Q * a) @ Q.T, m2, (Q * b) @ Q.T) == pytest.approx(commuting, rel=1e-12)
    A, B = rng(5).standard_normal((2, 4, 4))
    S1, S2 = A @ A.T, B @ B.T
    r = scipy.linalg.sqrtm(S1)
    cross = np.trace(scipy.linalg.sqrtm(r @ S2 @ r)).real
    ref = np.sqrt(np.sum((m1 - m2) ** 2) + np.trace(S1 + S2) - 2 * cross)
    assert lg.gaussian_w2(m1, S1, m2, S2) == pytest.approx(ref, rel=1e-9)
    assert lg.gaussian_w2(m2, S2, m1, S1) == pytest.approx(ref, rel=1e-9)
    assert lg.gaussian_w2(m1, S1, m1, S1) <= 1e-6


def test_ula_exact_w2_equals_bures_formula_on_the_law_and_the_isotropic_closed_form():
    inst = gauss(seed=6, dim=4, condition_number=6.0)
    h = 0.2 / inst.constants["L"]
    tr = lg.ula_exact(inst, rng(), step_size=h, n_iter=300, n_checkpoints=12)
    for k, w2 in zip(tr.t, tr.values[0]):
        mean, cov = lg.ula_law(inst, h, int(k))
        ref = lg.gaussian_w2(mean, cov, inst.data["mean"], inst.data["covariance"])
        assert w2 == pytest.approx(ref, rel=1e-6, abs=1e-7)
    Sh = lg.ula_stationary_covariance(inst.data["precision"], h)
    m = inst.data["mean"]
    assert lg.stationary_w2(tr) == pytest.approx(lg.gaussian_w2(m, Sh, m, inst.data["covariance"]),
                                                 rel=1e-6)
    iso = lg.gaussian_target(rng(), dim=50, rotate=False)
    tr = lg.ula_exact(iso, rng(), step_size=0.1, n_iter=500)
    s_k = (1 - 0.9 ** (2 * tr.t)) / (1 - 0.05)
    np.testing.assert_allclose(tr.values[0], np.sqrt(50) * np.abs(np.sqrt(s_k) - 1), rtol=1e-10)
    ratio = lg.ula_exact(inst, rng(), step_size=h, n_iter=10**4, metric="variance_ratio")
    assert ratio.values[0, -1] == pytest.approx(1 / (1 - 0.1), rel=1e-12)
    assert lg.stationary_variance_ratio(ratio) == pytest.approx(1 / (1 - 0.1), rel=1e-14)


def _w2_by_brute_force(inst, h, n_steps):
    lam, V = inst.data["eigenvalues"], inst.data["eigenvectors"]
    z = V.T @ (inst.data["x0"] - inst.data["mean"])
    j = np.arange(n_steps)[:, None]
    q = 1 - h * lam
    var = 2 * h * (1 - q ** (2 * j)) / (1 - q**2)
    return np.sqrt(np.sum((q**j * z) ** 2 + (np.sqrt(var) - np.sqrt(1 / lam)) ** 2, axis=1))


def _k_by_brute_force(w2, eps):
    bad = np.nonzero(w2 > eps)[0]
    return bad[-1] + 1 if bad.size else 0


def test_lmc_mixing_time_is_exact_per_step_and_beats_a_brute_force_scan():
    inst = lg.gaussian_target(rng(7), dim=4, condition_number=3.0, start_distance=0.5)
    eps = 0.3
    tr = lg.lmc_mixing_time(inst, rng(), accuracy=eps)
    k_star, h_best = tr.values[0, 0], tr.info["best_step_size"]
    assert _k_by_brute_force(_w2_by_brute_force(inst, h_best, 20000), eps) == k_star
    assert lg.mixing_time(tr) == k_star and tr.info["stationary_w2_at_best"] < eps
    h_sup = tr.info["step_size_sup"]
    scan = [_k_by_brute_force(_w2_by_brute_force(inst, h, 4000), eps)
            for h in np.linspace(h_sup / 200, h_sup * (1 - 1e-9), 600)]
    assert k_star <= min(scan) and min(scan) <= k_star + 1
    lam_g, mult, z0sq = gaussian._groups(inst.data["eigenvalues"], inst.data["eigenvectors"].T @ (
        inst.data["x0"] - inst.data["mean"]))
    for h in np.linspace(h_sup / 50, h_sup * 0.999, 25):  # the 'for all j >= k' logic, step by step
        assert gaussian._k_of_h(h, lam_g, mult, z0sq, eps) == _k_by_brute_force(
            _w2_by_brute_force(inst, h, 20000), eps)


@pytest.mark.parametrize("d,eps", [(10, 0.1), (100, 0.2), (1000, 0.05)])
def test_lmc_mixing_time_matches_the_isotropic_closed_form(d, eps):
    # from delta_m on N(0, I_d): k(h) = ceil(log c(h) / (2 log(1 - h))), c = 1 - (1 - eps/sqrt d)^2 (1 - h/2)
    inst = lg.gaussian_target(rng(), dim=d, rotate=False)
    tr = lg.lmc_mixing_time(inst, rng(), accuracy=eps)
    h = np.geomspace(1e-6, tr.info["step_size_sup"], 400001)[:-1]
    f = np.log(1 - (1 - eps / np.sqrt(d)) ** 2 * (1 - h / 2)) / (2 * np.log1p(-h))
    assert tr.values[0, 0] == np.ceil(f.min())


def test_sgld_exact_covariance_reduces_to_ula_for_the_full_batch_and_inflates_otherwise():
    inst = blr(seed=2)
    h = 0.3 / inst.constants["L"]
    full = lg.sgld_stationary_covariance(inst, h, 40)
    np.testing.assert_allclose(full, lg.ula_stationary_covariance(inst.data["precision"], h),
                               rtol=1e-9)
    small = lg.sgld_stationary_covariance(inst, h, 4)
    assert np.all(np.linalg.eigvalsh(small - full) > 0)


# ---------------------------------------------------------------- simulation vs exact

def test_ula_variance_ratio_is_within_four_standard_errors_of_the_closed_form():
    inst = lg.gaussian_target(rng(8), dim=10, condition_number=10.0, start_distance=1.0)
    h = 0.3 / inst.constants["L"]
    tr = lg.ula(inst, rng(9), step_size=h, n_iter=800, chains=1000, burn_in=667)
    est, se = tr.values[:, -1].mean(), tr.info["standard_error"][-1]
    assert abs(est - 1 / (1 - 0.15)) <= 4 * se and se < 0.004 * est


def test_mala_has_no_stationary_bias_where_ula_doubles_the_variance():
    inst = gauss(seed=10, dim=3, condition_number=4.0)
    h = 1.0 / inst.constants["L"]  # ULA's stationary variance ratio would be 2
    tr = lg.mala(inst, rng(11), step_size=h, n_iter=1500, chains=400, burn_in=200)
    est, se = tr.values[:, -1].mean(), tr.info["standard_error"][-1]
    assert abs(est - 1.0) <= 4 * se and se < 0.05
    assert 0.05 < tr.info["acceptance_rate"] < 1.0
    soft = lg.mala(inst, rng(11), step_size=h, n_iter=1500, chains=400, burn_in=200,
                   metric="second_moment")
    assert abs(soft.values[:, -1].mean() - 1.0) <= 4 * soft.info["standard_error"][-1]


def test_sgld_inflation_matches_the_exact_stationary_covariance():
    inst = blr(seed=2)
    h, B = 0.3 / inst.constants["L"], 4
    S = lg.sgld_stationary_covariance(inst, h, B)
    v, L = inst.data["eigenvectors"][:, -1], inst.constants["L"]
    tr = lg.sgld(inst, rng(12), step_size=h, n_iter=1500, batch_size=B, chains=400, burn_in=100)
    est, se = tr.values[:, -1].mean(), tr.info["standard_error"][-1]
    assert abs(est - L * v @ S @ v) <= 4 * se and est > 1.2 / (1 - 0.15)


def test_ula_law_matches_the_first_two_moments_of_a_simulation():
    inst = gauss(seed=13, dim=3, condition_number=3.0, start_distance=2.0)
    h, k, C = 0.1, 15, 20000
    tr = lg.ula(inst, rng(14), step_size=h, n_iter=k, chains=C)
    x = tr.info["final_state"]
    mean, cov = lg.ula_law(inst, h, k)
    se_mean = np.sqrt(np.diag(cov) / C)
    assert np.all(np.abs(x.mean(axis=0) - mean) <= 4 * se_mean)
    emp = np.cov(x.T)
    se_cov = np.sqrt((cov**2 + np.outer(np.diag(cov), np.diag(cov))) / C)  # Gaussian (Isserlis)
    assert np.all(np.abs(emp - cov) <= 4 * se_cov)


def test_ula_running_average_matches_the_exact_law_step_by_step():
    inst = gauss(seed=15, dim=3)
    h, C = 0.1, 4000
    tr = lg.ula(inst, rng(16), step_size=h, n_iter=30, chains=C, metric="mean_error",
                n_checkpoints=5)
    v, L, m = inst.data["eigenvectors"][:, -1], inst.constants["L"], inst.data["mean"]
    per_step = np.array([np.sqrt(L) * v @ (lg.ula_law(inst, h, j)[0] - m) for j in range(1, 31)])
    expected = np.cumsum(per_step)[tr.t.astype(int) - 1] / tr.t
    assert np.all(np.abs(tr.values.mean(axis=0) - expected) <= 4 * tr.info["standard_error"] + 1e-12)


# ---------------------------------------------------------------- coupling

def test_coupling_matches_its_exact_second_moment_and_bounds_the_exact_w2():
    d, h, R, n_iter, C = 4, 0.2, 8, 20, 4000
    inst = lg.gaussian_target(rng(17), dim=d, rotate=False, start_distance=2.0)
    tr = lg.ula_coupling(inst, rng(18), step_size=h, n_iter=n_iter, chains=C, refinement=R,
                         n_checkpoints=n_iter + 1)
    e0 = inst.data["x0"] - inst.data["mean"]
    a, b, c2 = 1 - h, 1 - h / R, 2 * h / R
    vx = vy = cxy = 0.0
    coupled, exact = [0.0], [0.0]
    for _ in range(n_iter):  # per coordinate joint covariance of (X_k, Y_kR), one Brownian path
        weights = b ** np.arange(R - 1, -1, -1)
        vx, cxy, vy = (a * a * vx + c2 * R, a * b**R * cxy + c2 * weights.sum(),
                       b ** (2 * R) * vy + c2 * np.sum(weights**2))
        k = len(coupled)
        gap = (a**k - b ** (k * R)) ** 2 * e0 @ e0
        coupled.append(np.sqrt(gap + d * (vx + vy - 2 * cxy)))
        exact.append(np.sqrt(gap + d * (np.sqrt(vx) - np.sqrt(vy)) ** 2))
    coupled, exact = np.array(coupled)[tr.t.astype(int)], np.array(exact)[tr.t.astype(int)]
    np.testing.assert_allclose(tr.values[0], coupled, rtol=0.03, atol=1e-14)
    assert np.all(tr.values[0, 1:] >= exact[1:]) and np.all(coupled[1:] > exact[1:])
    assert np.all(tr.info["projected_w2"] <= tr.info["coupling_w2"] + 1e-15)


def test_coupling_on_logcosh_is_zero_at_start_and_grows_with_dimension():
    small, large = (lg.ula_coupling(logcosh(dim=d), rng(19), step_size=0.1, n_iter=40, chains=100,
                                    refinement=8) for d in (8, 32))
    assert small.values[0, 0] == 0.0 and small.t[0] == 0
    ratio = large.values[0, -1] / small.values[0, -1]
    assert 1.6 < ratio < 2.5  # sqrt(32/8) = 2: the sqrt(d) dependence
    assert np.all(large.info["projected_w2"] <= large.info["coupling_w2"] + 1e-15)


# ---------------------------------------------------------------- kernels vs twins

def _both(run):
    a, b = run("numba"), run("numpy")
    np.testing.assert_allclose(a.values, b.values, rtol=1e-10, atol=1e-14)
    return a, b


@pytest.mark.parametrize("metric", samplers.METRICS[:3])
def test_kernels_match_numpy_twins(metric):
    g, c, r = gauss(seed=20), logcosh(dim=5, coupling=0.5), blr(seed=21)
    for inst in (g, c):
        _both(lambda be: lg.ula(inst, rng(1), step_size=0.1, n_iter=60, chains=7, burn_in=5,
                                metric=metric, backend=be))
        a, b = _both(lambda be: lg.mala(inst, rng(2), step_size=0.4, n_iter=60, chains=7,
                                        burn_in=5, metric=metric, backend=be))
        assert a.info["acceptance_rate"] == b.info["acceptance_rate"] < 1
        _both(lambda be: lg.ula_coupling(inst, rng(3), step_size=0.1, n_iter=20, chains=6,
                                         refinement=4, metric="projected_w2", backend=be))
    for B in (3, 40):
        _both(lambda be: lg.sgld(r, rng(4), step_size=0.2 / r.constants["L"], n_iter=60, chains=7,
                                 batch_size=B, burn_in=5, metric=metric, backend=be))


def test_results_do_not_depend_on_the_chunking(monkeypatch):
    inst, r = gauss(seed=22), blr(seed=23)
    runs = [lambda: lg.mala(inst, rng(5), step_size=0.3, n_iter=50, chains=9, burn_in=7),
            lambda: lg.sgld(r, rng(6), step_size=0.1 / r.constants["L"], n_iter=50, chains=9,
                            batch_size=5, burn_in=7),
            lambda: lg.ula_coupling(inst, rng(7), step_size=0.1, n_iter=30, chains=9, refinement=3)]
    whole = [run() for run in runs]
    monkeypatch.setattr(types, "CHUNK_NUMBERS", 50)  # a few steps per chunk
    for run, ref in zip(runs, whole):
        np.testing.assert_array_equal(run().values, ref.values)


def test_sgld_with_the_whole_data_set_is_ula_on_the_posterior():
    inst = blr(seed=24)
    h = 0.5 / inst.constants["L"]
    s = lg.sgld(inst, rng(8), step_size=h, n_iter=300, chains=20, batch_size=40, burn_in=10)
    u = lg.ula(inst, rng(8), step_size=h, n_iter=300, chains=20, burn_in=10)
    np.testing.assert_allclose(s.values, u.values, rtol=1e-10)
    np.testing.assert_allclose(s.info["final_state"], u.info["final_state"], rtol=1e-10)


def test_runs_are_reproducible_from_the_seed():
    inst = gauss(seed=25)
    a, b, c = (lg.ula(inst, rng(s), step_size=0.1, n_iter=50, chains=5) for s in (9, 9, 10))
    np.testing.assert_array_equal(a.values, b.values)
    assert not np.array_equal(a.values, c.values)


# ---------------------------------------------------------------- bad input

def _bad_calls():
    g, c, r = gauss(), logcosh(), blr()
    odd = dataclasses.replace(g, data={**g.data, "kind": "banana"})
    h_big = 2.0 / g.constants["L"]
    return [
        ("step_size", lambda: lg.ula(g, rng(), step_size=h_big, n_iter=5)),
        ("step_size", lambda: lg.ula_exact(g, rng(), step_size=h_big * 1.5, n_iter=5)),
        ("step_size", lambda: lg.ula_stationary_covariance(g.data["precision"], h_big)),
        ("step_size", lambda: lg.ula_coupling(c, rng(), step_size=1.0, n_iter=5)),
        ("step_size", lambda: lg.mala(g, rng(), step_size=0.0, n_iter=5)),
        ("chains", lambda: lg.ula(g, rng(), step_size=0.1, n_iter=5, chains=0)),
        ("metric", lambda: lg.ula(g, rng(), step_size=0.1, n_iter=5, metric="kl")),
        ("metric", lambda: lg.ula_exact(g, rng(), step_size=0.1, n_iter=5, metric="kl")),
        ("metric", lambda: lg.ula_coupling(g, rng(), step_size=0.1, n_iter=5, metric="w1")),
        ("second_moment", lambda: lg.ula(c, rng(), step_size=0.1, n_iter=5, metric="second_moment")),
        ("banana", lambda: lg.ula(odd, rng(), step_size=0.1, n_iter=5)),
        ("banana", lambda: lg.lmc_mixing_time(odd, rng(), accuracy=0.1)),
        ("instance", lambda: lg.mala({"kind": "gaussian"}, rng(), step_size=0.1, n_iter=5)),
        ("linear_regression", lambda: lg.sgld(g, rng(), step_size=0.1, n_iter=5, batch_size=1)),
        ("batch_size", lambda: lg.sgld(r, rng(), step_size=1e-3, n_iter=5, batch_size=41)),
        ("burn_in", lambda: lg.ula(g, rng(), step_size=0.1, n_iter=5, burn_in=-1)),
        ("refinement", lambda: lg.ula_coupling(g, rng(), step_size=0.1, n_iter=5, refinement=0)),
        ("backend", lambda: lg.ula(g, rng(), step_size=0.1, n_iter=5, backend="jax")),
        ("rng", lambda: lg.ula(g, 0, step_size=0.1, n_iter=5)),
        ("rng", lambda: lg.gaussian_target(0, dim=3)),
        ("condition_number", lambda: lg.gaussian_target(rng(), dim=1, condition_number=2.0)),
        ("condition_number", lambda: lg.gaussian_target(rng(), dim=3, condition_number=0.5)),
        ("coupling", lambda: lg.coupled_logcosh_target(rng(), dim=3, coupling=-0.1)),
        ("n_data", lambda: lg.bayesian_linear_regression(rng(), n_data=2, dim=3)),
        ("accuracy", lambda: lg.lmc_mixing_time(g, rng(), accuracy=0.0)),
        ("logcosh", lambda: lg.ula_law(c, 0.1, 3)),
        ("mean2", lambda: lg.gaussian_w2([0.0, 0.0], np.eye(2), [0.0], np.eye(2))),
        ("precision", lambda: lg.ula_stationary_covariance(-np.eye(2), 0.1)),
        ("unstable", lambda: lg.sgld_stationary_covariance(r, 1.9 / r.constants["L"], 1)),
    ]


@pytest.mark.parametrize("case", range(len(_bad_calls())))
def test_bad_arguments_raise_value_error_naming_the_argument(case):
    name, call = _bad_calls()[case]
    with pytest.raises(ValueError, match=name):
        call()
