"""Tests for problems.least_squares: exact constants, kernel/twin agreement, the maths of
each method, divergence handling, boundary checks and the second-moment operators."""
from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from problems import least_squares as ls
from problems.least_squares import _checks, _kernels, _reference
from problems.types import Instance, checkpoints

FAST = settings(derandomize=True, database=None, deadline=None, max_examples=12)
seeds = st.integers(0, 2**32 - 1)


def design(seed=0, **kw):
    kw = {"n_samples": 40, "dim": 6, "condition_number": 20.0, **kw}
    return ls.gaussian_design(np.random.default_rng(seed), **kw)


def f(inst, x):
    r = inst.data["A"] @ x - inst.data["b"]
    return 0.5 * (r @ r) / inst.data["A"].shape[0]


def grad(inst, x):
    A = inst.data["A"]
    return A.T @ (A @ x - inst.data["b"]) / A.shape[0]


# ---------------------------------------------------------------- generators

@pytest.mark.parametrize("n, d", [(50, 8), (8, 20), (10, 10)])
@pytest.mark.parametrize("spectrum", ["geometric", "power"])
def test_gaussian_design_hessian_has_prescribed_spectrum(n, d, spectrum):
    inst = design(n_samples=n, dim=d, spectrum=spectrum, condition_number=50.0, power=1.5)
    r = min(n, d)
    lam = np.geomspace(1, 1 / 50.0, r) if spectrum == "geometric" else np.arange(1.0, r + 1) ** -1.5
    A, c = inst.data["A"], inst.constants
    H = A.T @ A / n
    assert np.allclose(inst.data["H"], H, rtol=0, atol=1e-14)
    computed = np.sort(np.linalg.eigvalsh(H))[::-1]
    assert np.allclose(computed[:r], lam, rtol=1e-12, atol=1e-14)
    assert np.allclose(computed[r:], 0.0, atol=1e-13)
    assert np.allclose(inst.data["eigenvalues"][:r], computed[:r], rtol=1e-14)
    assert np.all(inst.data["eigenvalues"][r:] == 0.0)
    assert c["L"] == pytest.approx(lam[0], rel=1e-12) and c["lambda_max"] == c["L"]
    assert c["mu"] == (0.0 if d > n else pytest.approx(lam[-1], rel=1e-12))
    assert c["mu_plus"] == pytest.approx(lam[-1], rel=1e-12)
    assert c["trace_H"] == pytest.approx(lam.sum(), rel=1e-12)


@pytest.mark.parametrize("n, d", [(50, 8), (8, 20)])
def test_gaussian_design_x_star_is_the_min_norm_least_squares_solution(n, d):
    inst = design(n_samples=n, dim=d, noise=0.3)
    A, b, x_star = inst.data["A"], inst.data["b"], inst.data["x_star"]
    normal = A.T @ (A @ x_star - b)
    assert np.linalg.norm(normal) <= 1e-12 * np.linalg.norm(A) ** 2 * np.linalg.norm(x_star)
    assert np.allclose(x_star, np.linalg.lstsq(A, b, rcond=None)[0], rtol=1e-10, atol=1e-12)


@given(seed=seeds, noise=st.sampled_from([0.0, 0.1, 2.0]), dist=st.sampled_from([0.0, 0.5, 3.0]))
@FAST
def test_gaussian_design_f_star_gap0_dist0_are_exact(seed, noise, dist):
    inst = design(seed, noise=noise, x0_distance=dist)
    c, x0, x_star = inst.constants, inst.data["x0"], inst.data["x_star"]
    assert c["f_star"] == pytest.approx(f(inst, x_star), rel=1e-12, abs=1e-30)
    assert c["gap0"] == pytest.approx(f(inst, x0) - f(inst, x_star), rel=1e-8, abs=1e-14)
    e = x0 - x_star
    assert c["gap0"] == pytest.approx(0.5 * e @ inst.data["H"] @ e, rel=1e-12, abs=1e-300)
    assert c["dist0"] == pytest.approx(dist, rel=1e-12, abs=1e-300)
    if noise == 0.0:
        assert c["f_star"] < 1e-25  # n > d and b = A x_true: interpolation


@given(seed=seeds, n=st.integers(1, 30), d=st.integers(1, 12))
@FAST
def test_gaussian_design_is_L_smooth_and_mu_strongly_convex(seed, n, d):
    inst = design(seed, n_samples=n, dim=d, condition_number=30.0, noise=0.5)
    L, mu = inst.constants["L"], inst.constants["mu"]
    rng = np.random.default_rng(seed)
    for _ in range(20):
        x, y = rng.standard_normal((2, d)) * rng.uniform(0.1, 10.0)
        dg, dx = grad(inst, x) - grad(inst, y), x - y
        assert np.linalg.norm(dg) <= L * np.linalg.norm(dx) * (1 + 1e-9)
        assert dg @ dx >= mu * (dx @ dx) * (1 - 1e-9) - 1e-12 * L * (dx @ dx)
    # both constants are attained: they are the extreme eigenvalues, not bounds on them
    vals, vecs = np.linalg.eigh(inst.data["H"])
    assert np.linalg.norm(grad(inst, vecs[:, -1]) - grad(inst, 0 * vecs[:, -1])) == pytest.approx(L)
    assert vals[0] == pytest.approx(mu, abs=1e-12)


@given(seed=seeds, spread=st.sampled_from([1.0, 4.0, 100.0]))
@FAST
def test_interpolation_design_constants_are_exact(seed, spread):
    inst = ls.interpolation_design(np.random.default_rng(seed), n_samples=15, dim=4,
                                   row_norm_spread=spread)
    A, c = inst.data["A"], inst.constants
    norms_sq = np.sum(A**2, axis=1)
    assert np.all(norms_sq >= 1 - 1e-12) and np.all(norms_sq <= spread**2 * (1 + 1e-12))
    assert c["max_row_norm_sq"] == pytest.approx(norms_sq.max(), rel=1e-14)
    assert c["trace_H"] == pytest.approx(norms_sq.mean(), rel=1e-12)
    assert np.allclose(inst.data["H"], A.T @ A / 15, atol=1e-14)
    assert c["lambda_max"] == pytest.approx(np.linalg.eigvalsh(A.T @ A / 15)[-1], rel=1e-12)
    assert np.all(inst.data["b"] == 0) and np.all(inst.data["x_star"] == 0)


@given(seed=seeds, jitter=st.sampled_from([0.0, 0.5]), spectrum=st.sampled_from(["power", "geometric"]))
@FAST
def test_gaussian_population_constants_are_exact(seed, jitter, spectrum):
    inst = ls.gaussian_population(np.random.default_rng(seed), dim=7, spectrum=spectrum,
                                  power=2.0, jitter=jitter, w0_distance=0.7)
    lam, c = inst.data["eigenvalues"], inst.constants
    assert lam[0] == 1.0 and np.all(np.diff(lam) <= 0) and np.all(lam > 0)
    if jitter == 0.0:
        expected = np.arange(1.0, 8) ** -2.0 if spectrum == "power" else np.geomspace(1, 0.1, 7)
        assert np.allclose(lam, expected, rtol=1e-14)
    assert (c["L"], c["mu"]) == (lam[0], lam[-1])
    assert c["trace_H"] == pytest.approx(lam.sum()) and c["tr_over_lmax"] == pytest.approx(lam.sum())
    e = inst.data["w0"] - inst.data["w_star"]
    assert c["dist0"] == pytest.approx(0.7) and np.linalg.norm(e) == pytest.approx(0.7)
    assert c["excess_risk0"] == pytest.approx(lam @ e**2)


def test_generators_are_reproducible_from_rng():
    for make, kw in [(ls.gaussian_design, {"n_samples": 9, "dim": 4}),
                     (ls.interpolation_design, {"n_samples": 9, "dim": 4}),
                     (ls.gaussian_population, {"dim": 4})]:
        a, b = (make(np.random.default_rng(5), **kw) for _ in range(2))
        c = make(np.random.default_rng(6), **kw)
        assert all(np.array_equal(a.data[k], b.data[k]) for k in a.data)
        assert a.constants == b.constants
        assert not all(np.array_equal(a.data[k], c.data[k]) for k in a.data)


# ---------------------------------------------------------------- kernels == twins

def assert_twins_agree(method, inst, **kw):
    traces = [method(inst, np.random.default_rng(11), backend=backend, **kw)
              for backend in ("numba", "numpy")]
    np.testing.assert_array_equal(traces[0].t, traces[1].t)
    np.testing.assert_allclose(traces[0].values, traces[1].values, rtol=1e-10, atol=0)
    assert np.all(np.isfinite(traces[0].values))
    return traces[0]


@pytest.mark.parametrize("metric", ["suboptimality", "distance"])
@pytest.mark.parametrize("method, kw", [(ls.gradient_descent, {}),
                                        (ls.heavy_ball, {"momentum": 0.7}),
                                        (ls.nesterov, {"momentum": None}),
                                        (ls.nesterov, {"momentum": 0.3})])
def test_deterministic_kernels_match_numpy_twins(method, kw, metric):
    inst = design(noise=0.2)
    assert_twins_agree(method, inst, step_size=1 / inst.constants["L"], n_iter=400,
                       metric=metric, **kw)


@pytest.mark.parametrize("sampling", ["without_replacement", "with_replacement"])
@pytest.mark.parametrize("average", ["last", "uniform", "ema"])
@pytest.mark.parametrize("schedule", ["constant", "inverse_sqrt", "linear_decay"])
def test_minibatch_sgd_kernel_matches_numpy_twin(schedule, average, sampling):
    inst = design(n_samples=20, dim=5, noise=0.3)
    tr = assert_twins_agree(ls.minibatch_sgd, inst, step_size=0.3, batch_size=3, n_iter=300,
                            schedule=schedule, average=average, ema_decay=0.9, replicas=3,
                            sampling=sampling, metric="suboptimality")
    assert tr.values.shape == (3, tr.t.size)


@pytest.mark.parametrize("batch_size", [1, 4, 15, 20])  # Floyd, keys and full-batch draws
@pytest.mark.parametrize("metric", ["suboptimality", "distance"])
def test_minibatch_sgd_kernel_matches_numpy_twin_across_batch_draws(batch_size, metric):
    inst = design(n_samples=20, dim=5, noise=0.3)
    assert_twins_agree(ls.minibatch_sgd, inst, step_size=0.5, batch_size=batch_size,
                       n_iter=200, replicas=2, metric=metric)


@pytest.mark.parametrize("average", ["last", "uniform", "ema"])
@pytest.mark.parametrize("batch_size", [1, 3])
def test_online_sgd_kernel_matches_numpy_twin(average, batch_size):
    inst = ls.gaussian_population(np.random.default_rng(2), dim=6, noise=0.5)
    assert_twins_agree(ls.online_sgd, inst, step_size=0.2, batch_size=batch_size, n_iter=300,
                       average=average, ema_decay=0.95, replicas=3)


@pytest.mark.parametrize("impl", [_kernels, _reference], ids=["numba", "numpy"])
@pytest.mark.parametrize("average", [_kernels.UNIFORM, _kernels.EMA])
def test_chunk_kernels_resume_exactly_where_they_stopped(impl, average):
    rng, R, n_iter = np.random.default_rng(0), 2, 50
    t = checkpoints(n_iter, 20)
    inst = design(n_samples=10, dim=3, noise=0.5)
    A, b, H, x_star = (inst.data[k] for k in ("A", "b", "H", "x_star"))
    idx = rng.integers(0, 10, size=(n_iter, R, 2))
    lam, Z, xi = np.array([1.0, 0.5, 0.2]), rng.standard_normal((n_iter, R, 2, 3)), rng.standard_normal((n_iter, R, 2))
    runs = []
    for cuts in ([0, n_iter], [0, 1, 2, 7, 8, 30, n_iter]):
        E = np.tile(inst.data["x0"] - x_star, (R, 1))
        M, V, W = E.copy(), E.copy(), E.copy()
        out1, out2 = np.full((R, t.size), np.nan), np.full((R, t.size), np.nan)
        for t0, t1 in zip(cuts[:-1], cuts[1:]):
            impl._minibatch_sgd_chunk(A, b - A @ x_star, H, E, M, idx[t0:t1], t0, n_iter, 0.2,
                                      _kernels.LINEAR_DECAY, average, 0.9, 0, t, out1)
            impl._online_sgd_chunk(lam, Z[t0:t1], xi[t0:t1], 0.3, V, W, t0, n_iter, 0.2,
                                   average, 0.9, t, out2)
        runs.append((out1, out2))
    for whole, pieces in zip(*runs):
        assert np.all(np.isfinite(whole))
        np.testing.assert_array_equal(whole, pieces)


# ---------------------------------------------------------------- deterministic methods

def test_gd_matches_the_closed_form_spectral_solution():
    inst = design(condition_number=10.0, noise=0.5)
    H, e0, eta = inst.data["H"], inst.data["x0"] - inst.data["x_star"], 0.7 / inst.constants["L"]
    tr = ls.gradient_descent(inst, None, step_size=eta, n_iter=500)
    lam, V = np.linalg.eigh(H)
    c = V.T @ e0
    expected = [0.5 * np.sum(lam * (1 - eta * lam) ** (2 * t) * c**2) for t in tr.t]
    np.testing.assert_allclose(tr.values[0], expected, rtol=1e-9)


@given(seed=seeds, kappa=st.sampled_from([2.0, 30.0, 1000.0]))
@FAST
def test_gd_suboptimality_decreases_monotonically_at_step_one_over_L(seed, kappa):
    inst = design(seed, condition_number=kappa, noise=1.0)
    y = ls.gradient_descent(inst, None, step_size=1 / inst.constants["L"], n_iter=2000).values[0]
    assert np.all(np.diff(y) <= 0) and y[-1] < y[0]


@given(seed=seeds)
@FAST
def test_gd_trace_is_invariant_under_orthogonal_change_of_basis(seed):
    inst = design(seed, noise=0.4)
    Q, _ = np.linalg.qr(np.random.default_rng(seed + 1).standard_normal((6, 6)))
    d = inst.data
    rotated = Instance(data={**d, "A": d["A"] @ Q, "H": Q.T @ d["H"] @ Q, "x0": Q.T @ d["x0"],
                             "x_star": Q.T @ d["x_star"]}, constants=inst.constants)
    kw = {"step_size": 1.5 / inst.constants["L"], "n_iter": 300}
    for metric in ("suboptimality", "distance"):
        a = ls.gradient_descent(inst, None, metric=metric, **kw).values
        b = ls.gradient_descent(rotated, None, metric=metric, **kw).values
        np.testing.assert_allclose(a, b, rtol=1e-9)


def test_nesterov_default_momentum_has_rate_one_minus_sqrt_mu_over_L():
    inst = design(n_samples=100, dim=20, condition_number=100.0, noise=0.5)
    c = inst.constants
    tr = ls.nesterov(inst, None, step_size=1 / c["L"], n_iter=2000, metric="distance",
                     n_checkpoints=200)
    tail = tr.t >= 500
    slope = np.polyfit(tr.t[tail], np.log(tr.values[0, tail] / tr.t[tail]), 1)[0]
    assert slope == pytest.approx(np.log(1 - np.sqrt(c["mu"] / c["L"])), rel=0.02)
    assert tr.info["momentum"] == pytest.approx((10 - 1) / (10 + 1))


@pytest.mark.parametrize("backend", ["numba", "numpy"])
def test_gd_divergence_gives_nonfinite_values_not_an_exception(backend):
    inst = design()
    tr = ls.gradient_descent(inst, None, step_size=2.5 / inst.constants["L"], n_iter=5000,
                             backend=backend)
    finite = np.isfinite(tr.values[0])
    assert not finite.all() and finite[0]
    first = int(np.argmin(finite))
    assert tr.info["first_nonfinite"] == tr.t[first]
    assert np.all(np.diff(tr.values[0, :first]) > 0)  # it grew until it overflowed
    ok = ls.gradient_descent(inst, None, step_size=1 / inst.constants["L"], n_iter=50,
                             backend=backend)
    assert ok.info["first_nonfinite"] is None


# ---------------------------------------------------------------- stochastic methods

def test_sgd_converges_on_interpolating_instance_without_noise():
    inst = design(n_samples=30, dim=5, noise=0.0)
    eta = 1 / np.max(np.sum(inst.data["A"] ** 2, axis=1))
    tr = ls.minibatch_sgd(inst, np.random.default_rng(0), step_size=eta, batch_size=1,
                          n_iter=20000, replicas=4)
    assert np.all(tr.values[:, -1] < 1e-20 * tr.values[:, 0])
    assert len({row.tobytes() for row in tr.values[:, 1:]}) == 4  # independent streams


def test_sgd_with_noise_stalls_at_a_floor_that_decaying_steps_beat():
    inst = design(n_samples=30, dim=5, noise=1.0)
    kw = {"step_size": 0.5, "batch_size": 1, "n_iter": 20000, "replicas": 16}
    const = ls.minibatch_sgd(inst, np.random.default_rng(0), **kw).values[:, -1].mean()
    decay = ls.minibatch_sgd(inst, np.random.default_rng(0), schedule="inverse_sqrt",
                             average="uniform", **kw).values[:, -1].mean()
    assert const > 1e-3 and decay < const / 5


def test_minibatch_sgd_with_full_batch_is_gradient_descent():
    inst = design(n_samples=12, dim=4, noise=0.5)
    kw = {"step_size": 0.8 / inst.constants["L"], "n_iter": 300}
    sgd = ls.minibatch_sgd(inst, np.random.default_rng(0), batch_size=12, replicas=2, **kw)
    gd = ls.gradient_descent(inst, None, **kw)
    np.testing.assert_allclose(sgd.values, np.repeat(gd.values, 2, axis=0), rtol=1e-9)


@pytest.mark.parametrize("method", ["minibatch_sgd", "online_sgd"])
def test_average_does_not_change_the_sample_stream(method):
    if method == "minibatch_sgd":
        inst, run = design(n_samples=20, dim=5, noise=0.5), ls.minibatch_sgd
        kw = {"batch_size": 2, "step_size": 0.3}
    else:
        inst, run = ls.gaussian_population(np.random.default_rng(1), dim=5, noise=0.5), ls.online_sgd
        kw = {"batch_size": 2, "step_size": 0.2}
    last = run(inst, np.random.default_rng(4), n_iter=500, replicas=3, average="last", **kw)
    ema0 = run(inst, np.random.default_rng(4), n_iter=500, replicas=3, average="ema",
               ema_decay=0.0, **kw)  # an EMA forgetting everything is the last iterate
    np.testing.assert_array_equal(last.values, ema0.values)
    uni = run(inst, np.random.default_rng(4), n_iter=500, replicas=3, average="uniform", **kw)
    assert not np.array_equal(uni.values, last.values)


@pytest.mark.parametrize("n, B", [(20, 4), (20, 15), (9, 9), (7, 6), (300, 2)])
def test_batches_without_replacement_are_distinct_and_uniform(n, B):
    draws = [_checks.draw_batches(np.random.default_rng(0), n, B, 3000, 2, False, impl)
             for impl in (_kernels, _reference)]
    np.testing.assert_array_equal(draws[0], draws[1])  # same integers in both back ends
    idx = draws[0]
    assert idx.shape == (3000, 2, B) and idx.min() >= 0 and idx.max() < n
    assert np.all(np.sort(idx, axis=-1)[..., 1:] != np.sort(idx, axis=-1)[..., :-1])
    counts = np.bincount(idx.ravel(), minlength=n)
    expected = idx.size / n
    assert np.all(np.abs(counts - expected) < 5 * np.sqrt(expected))
    if 1 < B < n <= 20:  # every pair equally likely, as for a uniform subset
        pairs = np.zeros((n, n))
        for i, j in itertools.combinations(range(B), 2):
            np.add.at(pairs, (idx[..., i].ravel(), idx[..., j].ravel()), 1)
        off = (pairs + pairs.T)[~np.eye(n, dtype=bool)]
        assert np.abs(off - off.mean()).max() < 5 * np.sqrt(off.mean()) + 1


# ---------------------------------------------------------------- bad input

def _bad_calls():
    inst, pop = design(n_samples=10), ls.gaussian_population(np.random.default_rng(0), dim=3)
    inter = ls.interpolation_design(np.random.default_rng(0), n_samples=5, dim=2)
    rng = np.random.default_rng(0)
    sgd = {"step_size": 0.1, "batch_size": 2, "n_iter": 10}
    return [
        ("step_size", lambda: ls.gradient_descent(inst, rng, step_size=-1, n_iter=10)),
        ("step_size", lambda: ls.minibatch_sgd(inst, rng, **{**sgd, "step_size": 0.0})),
        ("batch_size", lambda: ls.minibatch_sgd(inst, rng, **{**sgd, "batch_size": 11})),
        ("schedule", lambda: ls.minibatch_sgd(inst, rng, schedule="cosine", **sgd)),
        ("average", lambda: ls.minibatch_sgd(inst, rng, average="median", **sgd)),
        ("average", lambda: ls.online_sgd(pop, rng, step_size=0.1, n_iter=5, average="x")),
        ("metric", lambda: ls.gradient_descent(inst, rng, step_size=1, n_iter=5, metric="loss")),
        ("metric", lambda: ls.minibatch_sgd(inst, rng, metric="loss", **sgd)),
        ("sampling", lambda: ls.minibatch_sgd(inst, rng, sampling="poisson", **sgd)),
        ("ema_decay", lambda: ls.minibatch_sgd(inst, rng, ema_decay=1.0, **sgd)),
        ("replicas", lambda: ls.minibatch_sgd(inst, rng, replicas=0, **sgd)),
        ("n_iter", lambda: ls.heavy_ball(inst, rng, step_size=1, momentum=0.5, n_iter=0)),
        ("momentum", lambda: ls.heavy_ball(inst, rng, step_size=1, momentum=np.nan, n_iter=5)),
        ("backend", lambda: ls.nesterov(inst, rng, step_size=1, n_iter=5, backend="jax")),
        ("rng", lambda: ls.minibatch_sgd(inst, 0, **sgd)),
        ("gaussian_population", lambda: ls.online_sgd(inst, rng, step_size=0.1, n_iter=5)),
        ("batch_size", lambda: ls.second_moment_operator(inter, 0.1, 6)),
        ("sampling", lambda: ls.second_moment_operator(inter, 0.1, 2, "poisson")),
        ("condition_number", lambda: ls.gaussian_design(rng, n_samples=5, dim=2,
                                                        condition_number=0.5)),
        ("spectrum", lambda: ls.gaussian_design(rng, n_samples=5, dim=2, spectrum="flat")),
        ("n_samples", lambda: ls.gaussian_design(rng, n_samples=0, dim=2)),
        ("noise", lambda: ls.gaussian_population(rng, dim=2, noise=-1.0)),
        ("column_scales", lambda: ls.interpolation_design(rng, n_samples=5, dim=2,
                                                          column_scales=[1.0, -1.0])),
        ("row_norm_spread", lambda: ls.interpolation_design(rng, n_samples=5, dim=2,
                                                            row_norm_spread=0.5)),
    ]


@pytest.mark.parametrize("case", range(len(_bad_calls())))
def test_bad_arguments_raise_value_error_naming_the_argument(case):
    name, call = _bad_calls()[case]
    with pytest.raises(ValueError, match=name):
        call()


# ---------------------------------------------------------------- second moments

def _brute_force_operator(A, eta, B, replace):
    n, d = A.shape
    batches = (itertools.product(range(n), repeat=B) if replace
               else itertools.combinations(range(n), B))
    total, count = np.zeros((d * d, d * d)), 0
    for batch in batches:
        P = np.eye(d) - eta * A[list(batch)].T @ A[list(batch)] / B
        total += np.kron(P, P)
        count += 1
    return total / count


@pytest.mark.parametrize("sampling", ["without_replacement", "with_replacement"])
@pytest.mark.parametrize("B", [1, 2, 3, 4, 5])
def test_second_moment_operator_equals_enumeration_over_all_batches(B, sampling):
    inst = ls.interpolation_design(np.random.default_rng(B), n_samples=5, dim=3,
                                   row_norm_spread=3.0)
    eta = 0.7 / inst.constants["lambda_max"]
    T = ls.second_moment_operator(inst, eta, B, sampling)
    brute = _brute_force_operator(inst.data["A"], eta, B, sampling == "with_replacement")
    np.testing.assert_allclose(T, brute, rtol=0, atol=1e-12)


@given(seed=seeds, factor=st.sampled_from([0.5, 0.99, 1.01, 1.5]))
@FAST
def test_full_batch_second_moment_is_stable_iff_step_below_two_over_lambda_max(seed, factor):
    inst = ls.interpolation_design(np.random.default_rng(seed), n_samples=12, dim=4,
                                   row_norm_spread=2.0)
    lam = np.linalg.eigvalsh(inst.data["H"])
    eta = factor * 2 / lam[-1]
    tr = ls.second_moment_growth(inst, None, step_size=eta, batch_size=12, n_iter=100)
    rho = tr.info["spectral_radius"]
    assert rho == pytest.approx(np.max(np.abs(1 - eta * lam)) ** 2, rel=1e-10)
    assert (rho < 1) == (factor < 1)


def _apply_T(A, eta, B, M):
    n = A.shape[0]
    H = A.T @ A / n
    P = np.eye(A.shape[1]) - eta * H
    p = n * (B - 1) / (B * (n - 1))
    per = sum((np.eye(len(a)) - eta * np.outer(a, a)) @ M @ (np.eye(len(a)) - eta * np.outer(a, a))
              for a in A) / n
    return p * P @ M @ P + (1 - p) * per


@pytest.mark.parametrize("eta_factor, B", [(0.5, 1), (1.0, 1), (1.5, 2)])
def test_second_moment_iteration_grows_like_spectral_radius(eta_factor, B):
    inst = ls.interpolation_design(np.random.default_rng(3), n_samples=8, dim=4,
                                   row_norm_spread=3.0)
    eta = eta_factor / inst.constants["lambda_max"]
    rho = ls.second_moment_growth(inst, None, step_size=eta, batch_size=B,
                                  n_iter=10).info["spectral_radius"]
    M, traces = np.eye(4) / 4, []
    for _ in range(501):
        traces.append(np.trace(M))
        M = _apply_T(inst.data["A"], eta, B, M)
    rate = np.log(traces[500] / traces[250]) / 250
    assert abs(np.log(rho)) > 5e-3
    assert rate == pytest.approx(np.log(rho), rel=0.01)


def test_second_moment_operator_predicts_sgd_mean_square_distance():
    inst = ls.interpolation_design(np.random.default_rng(1), n_samples=6, dim=3,
                                   row_norm_spread=2.0)
    eta = 0.8 / inst.constants["lambda_max"]
    T = ls.second_moment_operator(inst, eta, 2)
    tr = ls.minibatch_sgd(inst, np.random.default_rng(0), step_size=eta, batch_size=2,
                          n_iter=20, replicas=20000, metric="distance", n_checkpoints=21)
    e0 = inst.data["x0"]
    m, exact = np.outer(e0, e0).ravel(), []
    for _ in range(21):
        exact.append(np.trace(m.reshape(3, 3)))
        m = T @ m
    sq = tr.values**2
    se = sq.std(axis=0) / np.sqrt(sq.shape[0])
    expected = np.asarray(exact)[tr.t.astype(int)]
    assert np.all(np.abs(sq.mean(axis=0) - expected)[1:] < 5 * se[1:])


def test_growth_traces_are_rho_to_the_t_and_overflow_to_inf():
    inst = ls.interpolation_design(np.random.default_rng(3), n_samples=8, dim=4)
    tr = ls.second_moment_growth(inst, None, step_size=3.0 / inst.constants["lambda_max"],
                                 batch_size=1, n_iter=10**5)
    rho = tr.info["spectral_radius"]
    assert rho > 1 and tr.metric == "second_moment_growth"
    finite = np.isfinite(tr.values[0])
    np.testing.assert_allclose(tr.values[0, finite], rho ** tr.t[finite], rtol=1e-12)
    assert not finite.all() and tr.info["first_nonfinite"] == tr.t[np.argmin(finite)]


def test_population_operator_growth_matches_online_sgd_monte_carlo():
    pop = ls.gaussian_population(np.random.default_rng(0), dim=5, power=1.0, noise=0.0)
    lam, eta = pop.data["eigenvalues"], 0.3
    growth = ls.population_second_moment_growth(pop, None, step_size=eta, batch_size=1,
                                                n_iter=200)
    rho = growth.info["spectral_radius"]
    tr = ls.online_sgd(pop, np.random.default_rng(1), step_size=eta, n_iter=200,
                       replicas=4000, n_checkpoints=200)
    t, mean = tr.t, tr.values.mean(axis=0)
    tail = t >= 100
    rate = np.polyfit(t[tail], np.log(mean[tail]), 1)[0]
    assert rate == pytest.approx(np.log(rho), rel=0.05)
    # and the exact second-moment recursion matches the Monte Carlo mean early on
    T = ls.population_second_moment_operator(pop, eta, 1)
    m, exact = (pop.data["w0"] - pop.data["w_star"]) ** 2, []
    for _ in range(21):
        exact.append(lam @ m)
        m = T @ m
    early = (t > 0) & (t <= 20)
    se = tr.values.std(axis=0) / np.sqrt(tr.values.shape[0])
    assert np.all(np.abs(mean - np.asarray(exact)[np.minimum(t, 20).astype(int)])[early]
                  < 5 * se[early])
