"""Tests for problems.matrix_sensing: exact constants and sensing normalisation, kernel/twin
agreement, the maths of each method (gradients, one step, rebalancing, invariance,
convergence), divergence handling and boundary checks."""
from __future__ import annotations

import array_api_compat.numpy
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from problems import matrix_sensing as ms
from problems.matrix_sensing import _kernels, _reference
from problems.types import checkpoints

FAST = settings(derandomize=True, database=None, deadline=None, max_examples=10)
seeds = st.integers(0, 2**32 - 1)


def sym(seed=0, **kw):
    return ms.symmetric_low_rank(np.random.default_rng(seed), **{"dim": 8, "rank": 2, **kw})


def asym(seed=0, **kw):
    return ms.asymmetric_low_rank(np.random.default_rng(seed),
                                  **{"rows": 7, "cols": 5, "rank": 2, **kw})


def draws(seed, R, n, k):
    """The initial factors ``Z`` (before the scale) that ``symmetric_gd`` draws from ``seed``."""
    return np.random.default_rng(seed).standard_normal((R, n, k)) / np.sqrt(n)


def frob(E):
    return np.sqrt(np.sum(E * E))


# ---------------------------------------------------------------- generators

@pytest.mark.parametrize("m", [0, 40])
@pytest.mark.parametrize("r, sigma", [(1, None), (3, None), (3, [2.0, 2.0, 0.1])])
def test_symmetric_ground_truth_is_psd_of_rank_r_with_exact_constants(r, sigma, m):
    inst = sym(dim=9, rank=r, singular_values=sigma, n_measurements=m)
    M, c = inst.data["M_star"], inst.constants
    expected = np.geomspace(1.0, 0.5, r) if sigma is None else np.array(sigma)
    eig = np.sort(np.linalg.eigvalsh(M))[::-1]
    assert np.array_equal(M, M.T)
    np.testing.assert_allclose(eig[:r], expected, rtol=1e-12)
    assert np.all(np.abs(eig[r:]) < 1e-14)  # PSD of rank exactly r (up to rounding)
    U = inst.data["U"]
    np.testing.assert_allclose(U.T @ U, np.eye(r), atol=1e-14)
    np.testing.assert_allclose(M, (U * expected) @ U.T, atol=1e-15)
    sv = np.linalg.svd(M, compute_uv=False)
    assert c["sigma_1"] == pytest.approx(sv[0], rel=1e-14)
    assert c["sigma_r"] == pytest.approx(sv[r - 1], rel=1e-14)
    assert c["kappa"] == pytest.approx(sv[0] / sv[r - 1], rel=1e-14)
    assert c["norm_M"] == pytest.approx(np.linalg.norm(expected), rel=1e-14)
    assert (c["rank"], c["dim"], c["n_measurements"]) == (r, 9, m)
    assert all(isinstance(v, float) for v in c.values())
    assert ("A" in inst.data) == (m > 0)
    assert inst.name == f"symmetric_low_rank(n=9, r={r}, m={m or 'full'})"


@pytest.mark.parametrize("m", [0, 30])
def test_asymmetric_ground_truth_has_rank_r_with_exact_constants(m):
    inst = asym(rows=9, cols=4, rank=3, singular_values=[3.0, 1.0, 0.2], n_measurements=m)
    M, U, V, c = inst.data["M_star"], inst.data["U"], inst.data["V"], inst.constants
    assert M.shape == (9, 4)
    sv = np.linalg.svd(M, compute_uv=False)
    np.testing.assert_allclose(sv[:3], [3.0, 1.0, 0.2], rtol=1e-12)
    assert sv[3] < 1e-14
    np.testing.assert_allclose(U.T @ U, np.eye(3), atol=1e-14)
    np.testing.assert_allclose(V.T @ V, np.eye(3), atol=1e-14)
    assert (c["sigma_1"], c["sigma_r"]) == (pytest.approx(3.0), pytest.approx(0.2))
    assert c["norm_M"] == pytest.approx(np.linalg.norm(M), rel=1e-14)
    assert (c["rows"], c["cols"], c["rank"], c["n_measurements"]) == (9, 4, 3, m)
    if m:
        assert inst.data["A"].shape == (m, 9, 4) and not inst.data["corrupted"].any()


@pytest.mark.parametrize("make", ["symmetric", "asymmetric"])
def test_sensing_is_isotropic_expected_square_is_frobenius_norm(make):
    """E<A_i, M>^2 = ||M||_F^2 for any M of the instance's kind, by Monte Carlo."""
    m, rng = 20000, np.random.default_rng(1)
    if make == "symmetric":
        inst = sym(dim=4, rank=1, n_measurements=m)
        B = rng.standard_normal((4, 4))
        M = B + B.T
        assert np.array_equal(inst.data["A"], inst.data["A"].transpose(0, 2, 1))
    else:
        inst = asym(rows=4, cols=3, rank=1, n_measurements=m)
        M = rng.standard_normal((4, 3))
    A = inst.data["A"]
    for target in (M, inst.data["M_star"]):
        z = np.einsum("mij,ij->m", A, target)
        norm_sq = np.sum(target**2)
        se = np.sqrt(2.0 / m) * norm_sq  # <A, M> ~ N(0, ||M||^2): Var z^2 = 2 ||M||^4
        assert abs(np.mean(z**2) - norm_sq) < 5 * se
        assert abs(np.mean(z)) < 5 * np.sqrt(norm_sq / m)
    np.testing.assert_allclose(inst.data["y"], np.einsum("mij,ij->m", A, inst.data["M_star"]),
                               rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize("fraction, expected", [(0.0, 0), (0.1, 20), (0.333, 67)])
def test_outliers_replace_a_uniform_subset_of_the_stated_size(fraction, expected):
    kw = {"n_measurements": 200, "outlier_fraction": fraction, "outlier_scale": 50.0}
    inst = sym(**kw)
    A, y, bad = inst.data["A"], inst.data["y"], inst.data["corrupted"]
    clean = np.einsum("mij,ij->m", A, inst.data["M_star"])
    assert bad.dtype == bool and bad.shape == (200,) and bad.sum() == expected
    assert inst.constants["outlier_fraction"] == expected / 200
    np.testing.assert_allclose(y[~bad], clean[~bad], rtol=1e-12, atol=1e-13)
    assert np.all(y[bad] != clean[bad])
    if expected:
        assert np.std(y[bad]) > 10 * np.std(clean)  # outlier_scale = 50 against ||M*|| ~ 1
        masks = {sym(seed, **kw).data["corrupted"].tobytes() for seed in range(5)}
        assert len(masks) == 5  # the subset is random


def test_noise_is_added_to_every_measurement_and_shared_across_levels():
    quiet, loud = sym(n_measurements=4000), sym(n_measurements=4000, noise=0.3)
    np.testing.assert_array_equal(quiet.data["A"], loud.data["A"])
    dev = loud.data["y"] - quiet.data["y"]
    assert np.std(dev) == pytest.approx(0.3, rel=0.05) and loud.constants["noise"] == 0.3
    again = sym(n_measurements=4000, noise=0.6).data["y"] - quiet.data["y"]
    np.testing.assert_allclose(again, 2 * dev, rtol=1e-9, atol=1e-12)  # one noise draw


def test_generators_are_reproducible_from_rng():
    for make in (lambda s: sym(s, n_measurements=20, outlier_fraction=0.2, noise=0.1),
                 lambda s: asym(s, n_measurements=20, noise=0.1)):
        a, b, c = make(5), make(5), make(6)
        assert a.data.keys() == b.data.keys() and a.constants == b.constants
        assert all(np.array_equal(a.data[k], b.data[k]) for k in a.data)
        assert not np.array_equal(a.data["M_star"], c.data["M_star"])


def test_spectral_constants_come_from_the_full_svd_until_large_then_from_M_star_V(monkeypatch):
    """Small instances keep the full-SVD constants bit for bit; above the size limit the
    SVD of M_star V (n x r) gives the same values to rounding."""
    from problems.matrix_sensing import generators

    for inst, right in [(sym(dim=12, rank=3), "U"), (asym(rows=12, cols=9, rank=3), "V")]:
        M = inst.data["M_star"]
        sv = np.linalg.svd(M, compute_uv=False)
        assert (inst.constants["sigma_1"], inst.constants["sigma_r"]) == (sv[0], sv[2])
        monkeypatch.setattr(generators, "_FULL_SVD_MAX_DIM", 8)
        large = generators._spectral_constants(M, 3, inst.data[right])
        monkeypatch.undo()
        for key in ("sigma_1", "sigma_r", "kappa", "norm_M"):
            assert large[key] == pytest.approx(inst.constants[key], rel=1e-13)


# ---------------------------------------------------------------- kernels == twins

def assert_twins_agree(method, inst, **kw):
    traces = [method(inst, np.random.default_rng(11), backend=backend, **kw)
              for backend in ("numba", "numpy")]
    np.testing.assert_array_equal(traces[0].t, traces[1].t)
    np.testing.assert_allclose(traces[0].values, traces[1].values, rtol=1e-10, atol=0)
    assert np.all(np.isfinite(traces[0].values)) and traces[0].values.shape[0] == 3
    assert traces[0].values[:, -1].max() < traces[0].values[:, 0].min()  # it moved, downhill
    return traces[0]


GD = {"init_scale": 0.3, "step_size": 0.2, "n_iter": 300, "replicas": 3}
OBSERVATIONS = {"full": {}, "sensing": {"n_measurements": 80, "noise": 0.01}}


@pytest.mark.parametrize("metric", ms.methods.METRICS)
@pytest.mark.parametrize("observation", OBSERVATIONS)
def test_symmetric_gd_kernel_matches_numpy_twin(observation, metric):
    inst = sym(**OBSERVATIONS[observation])
    assert_twins_agree(ms.symmetric_gd, inst, width=3, metric=metric, **GD)


@pytest.mark.parametrize("rebalance_at", [-1, 0, 7])
@pytest.mark.parametrize("metric", ms.methods.METRICS)
@pytest.mark.parametrize("observation", OBSERVATIONS)
@pytest.mark.parametrize("make", [sym, asym])
def test_asymmetric_gd_kernel_matches_numpy_twin(make, observation, metric, rebalance_at):
    inst = make(**OBSERVATIONS[observation])
    # 150 steps: rebalanced runs reach 1e-7 by 300, where forming W - M_star entrywise leaves
    # an absolute rounding floor ~1e-17 that is no longer 1e-10 of the metric
    assert_twins_agree(ms.asymmetric_gd, inst, width=3, metric=metric, init_ratio=0.5,
                       rebalance_at=rebalance_at, rebalance_scale=0.7, **{**GD, "n_iter": 150})


@pytest.mark.parametrize("metric", ms.methods.METRICS)
@pytest.mark.parametrize("n_used", [0, 70])
def test_subgradient_l1_kernel_matches_numpy_twin(n_used, metric):
    inst = sym(n_measurements=100, outlier_fraction=0.1)
    assert_twins_agree(ms.subgradient_l1, inst, width=3, metric=metric, decay=0.99,
                       n_used=n_used, **GD)


# ---------------------------------------------------------------- the maths of each method

@pytest.mark.parametrize("method", ["symmetric_gd", "asymmetric_gd"])
def test_metrics_are_the_frobenius_error_its_square_and_its_ratio_to_norm_M(method):
    inst = sym(dim=6)
    run = {metric: getattr(ms, method)(inst, np.random.default_rng(1), width=2, metric=metric,
                                       **GD).values for metric in ms.methods.METRICS}
    np.testing.assert_allclose(run["frobenius_squared"], run["frobenius"] ** 2, rtol=1e-13)
    np.testing.assert_allclose(run["relative"], run["frobenius"] / inst.constants["norm_M"],
                               rtol=1e-13)
    X0 = GD["init_scale"] * draws(1, 3, 6, 2)
    M = inst.data["M_star"]
    if method == "symmetric_gd":  # the start is the drawn X_0: the metric at t = 0 is exact
        expected = [frob(X @ X.T - M) for X in X0]
        np.testing.assert_allclose(run["frobenius"][:, 0], expected, rtol=1e-13)

def test_full_observation_gradient_matches_finite_differences():
    inst, rng = sym(dim=6, rank=2), np.random.default_rng(3)
    M, U, s = inst.data["M_star"], inst.data["U"], inst.data["singular_values"]
    X = rng.standard_normal((6, 3))
    f = lambda X: 0.25 * np.sum((X @ X.T - M) ** 2)  # noqa: E731
    h, fd = 1e-6, np.empty_like(X)
    for idx in np.ndindex(X.shape):
        E = np.zeros_like(X)
        E[idx] = h
        fd[idx] = (f(X + E) - f(X - E)) / (2 * h)
    kernel = np.empty_like(X)
    _kernels._full_gradient(X, X, U, s, U, np.empty((3, 3)), np.empty((2, 3)), kernel)
    twin = _reference._full_gradient(X[None], X[None], U, s, U)[0]
    np.testing.assert_allclose(kernel, fd, rtol=1e-7, atol=1e-8)
    np.testing.assert_allclose(twin, kernel, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("backend", ["numba", "numpy"])
@pytest.mark.parametrize("m", [0, 30])
def test_one_step_of_symmetric_gd_matches_hand_computation(m, backend):
    inst = sym(dim=6, n_measurements=m)
    M, alpha, eta = inst.data["M_star"], 0.4, 0.3
    X = alpha * draws(2, 1, 6, 3)[0]
    if m:
        A, y = inst.data["A"], inst.data["y"]
        r = np.einsum("mij,ij->m", A, X @ X.T) - y
        grad = np.einsum("m,mij->ij", r, A) @ X / m
    else:
        grad = (X @ X.T - M) @ X
    X1 = X - eta * grad
    tr = ms.symmetric_gd(inst, np.random.default_rng(2), width=3, init_scale=alpha,
                         step_size=eta, n_iter=1, metric="frobenius_squared", backend=backend)
    np.testing.assert_array_equal(tr.t, [0, 1])
    np.testing.assert_allclose(tr.values[0], [frob(X @ X.T - M) ** 2, frob(X1 @ X1.T - M) ** 2],
                               rtol=1e-12)


@pytest.mark.parametrize("backend", ["numba", "numpy"])
@pytest.mark.parametrize("rebalance_at", [-1, 0])
@pytest.mark.parametrize("make, m", [(asym, 0), (asym, 25), (sym, 0), (sym, 25)])
def test_one_step_of_asymmetric_gd_matches_hand_computation(make, m, rebalance_at, backend):
    inst = make(n_measurements=m)
    M = inst.data["M_star"]
    (n1, n2), alpha, rho, eta, c = M.shape, 0.5, 0.3, 0.25, 2.0
    rng = np.random.default_rng(4)
    F = alpha * rng.standard_normal((n1, 3)) / np.sqrt(n1)
    G = rho * alpha * rng.standard_normal((n2, 3)) / np.sqrt(n2)
    if rebalance_at == 0:
        lam, Q = np.linalg.eigh(F.T @ F)
        F, G = np.sqrt(c) * F @ (Q / np.sqrt(lam)) @ Q.T, G @ (Q * np.sqrt(lam)) @ Q.T / np.sqrt(c)
    if m:
        A, y = inst.data["A"], inst.data["y"]
        S = np.einsum("m,mij->ij", np.einsum("mij,ij->m", A, F @ G.T) - y, A) / m
    else:
        S = F @ G.T - M
    F1, G1 = F - eta * S @ G, G - eta * S.T @ F
    tr = ms.asymmetric_gd(inst, np.random.default_rng(4), width=3, init_scale=alpha,
                          init_ratio=rho, step_size=eta, n_iter=1, rebalance_at=rebalance_at,
                          rebalance_scale=c, backend=backend)
    np.testing.assert_allclose(tr.values[0], [frob(F @ G.T - M), frob(F1 @ G1.T - M)],
                               rtol=1e-11)


@pytest.mark.parametrize("impl", [_kernels, _reference], ids=["numba", "numpy"])
@pytest.mark.parametrize("scale", [1.0, 0.04, 9.0])
def test_rebalancing_keeps_the_product_and_equalises_the_singular_values_of_F(impl, scale):
    rng = np.random.default_rng(5)
    F = rng.standard_normal((9, 4)) * [3.0, 1.0, 0.1, 0.01]  # badly conditioned on purpose
    G = rng.standard_normal((6, 4))
    W = F @ G.T
    if impl is _kernels:  # in place
        impl._rebalance(F, G, scale)
    else:  # the array-API twin returns new factors
        F, G = impl._rebalance(array_api_compat.numpy, F, G, scale)
    np.testing.assert_allclose(F @ G.T, W, rtol=0, atol=1e-12 * np.abs(W).max())
    np.testing.assert_allclose(F.T @ F, scale * np.eye(4), rtol=0, atol=1e-12 * scale)


@given(seed=seeds)
@FAST
def test_symmetric_gd_is_invariant_under_orthogonal_change_of_basis(seed):
    inst = sym(seed % 1000, dim=6)
    U, s, M = inst.data["U"], inst.data["singular_values"], inst.data["M_star"]
    Q, _ = np.linalg.qr(np.random.default_rng(seed).standard_normal((6, 6)))
    X0 = 0.3 * draws(seed, 2, 6, 3)
    t = checkpoints(500, 20)
    out, rotated = np.empty((2, t.size)), np.empty((2, t.size))
    empty = (np.zeros((0, 6, 6)), np.zeros(0))
    _kernels._symmetric_gd(U, s, M, *empty, X0, 0.2, _kernels.FROBENIUS, 1.0, t, out)
    _kernels._symmetric_gd(Q @ U, s, Q @ M @ Q.T, *empty, Q @ X0, 0.2, _kernels.FROBENIUS,
                           1.0, t, rotated)
    np.testing.assert_allclose(rotated, out, rtol=1e-10)


@pytest.mark.parametrize("backend", ["numba", "numpy"])
def test_exactly_parameterised_gd_converges_linearly(backend):
    inst = sym(dim=5, rank=1, singular_values=[2.0])
    tr = ms.symmetric_gd(inst, np.random.default_rng(0), width=1, init_scale=0.5,
                         step_size=0.2 / 2.0, n_iter=3000, replicas=2, backend=backend)
    assert np.all(tr.values[:, -1] < 1e-8 * tr.values[:, 0])
    assert tr.info["first_nonfinite"] is None


def test_subgradient_recovers_the_ground_truth_despite_outliers():
    inst = sym(dim=6, rank=1, n_measurements=150, outlier_fraction=0.15, outlier_scale=30.0)
    kw = {"width": 1, "init_scale": 0.05, "step_size": 0.3, "decay": 0.995, "n_iter": 3000}
    tr = ms.subgradient_l1(inst, np.random.default_rng(0), metric="relative", **kw)
    assert tr.values[0, -1] < 1e-4
    same = ms.subgradient_l1(inst, np.random.default_rng(0), metric="relative", n_used=150, **kw)
    np.testing.assert_array_equal(same.values, tr.values)  # n_used = m is the default "all"
    fewer = ms.subgradient_l1(inst, np.random.default_rng(0), metric="relative", n_used=60, **kw)
    assert not np.array_equal(fewer.values, tr.values) and fewer.info["n_used"] == 60


def test_replica_streams_do_not_depend_on_the_number_of_replicas():
    inst = sym(n_measurements=40)
    for method, kw in [(ms.symmetric_gd, {}), (ms.asymmetric_gd, {"init_ratio": 0.5}),
                       (ms.subgradient_l1, {"decay": 0.99})]:
        one = method(inst, np.random.default_rng(7), width=2, **{**GD, **kw, "replicas": 1})
        three = method(inst, np.random.default_rng(7), width=2, **{**GD, **kw})
        np.testing.assert_array_equal(three.values[:1], one.values)
        assert len({row.tobytes() for row in three.values[:, 1:]}) == 3


@pytest.mark.parametrize("backend", ["numba", "numpy"])
@pytest.mark.parametrize("method", ["symmetric_gd", "asymmetric_gd", "subgradient_l1"])
def test_divergence_gives_inf_values_not_an_exception(method, backend):
    inst = sym(n_measurements=30)
    kw = {"decay": 1.0} if method == "subgradient_l1" else {}
    tr = getattr(ms, method)(inst, np.random.default_rng(0), width=2, init_scale=1.0,
                             step_size=50.0, n_iter=2000, replicas=2, backend=backend, **kw)
    finite = np.isfinite(tr.values)
    assert finite[:, 0].all() and not finite[:, -1].any()
    first = int(np.argmin(finite.all(axis=0)))
    assert tr.info["first_nonfinite"] == tr.t[first]
    assert np.all(tr.values[~finite] == np.inf)  # diverged replicas read +inf, never NaN
    assert np.all(finite[:, :first]) and not np.any(finite[:, -1:])


def test_full_observation_speed_smoke():
    """1e5 steps at n = 50, k = 4 (meant to take about a second; not a timed assertion)."""
    inst = ms.symmetric_low_rank(np.random.default_rng(0), dim=50, rank=2)
    tr = ms.symmetric_gd(inst, np.random.default_rng(0), width=4, init_scale=0.3,
                         step_size=0.2, n_iter=100_000, metric="relative")
    assert tr.t[-1] == 100_000 and tr.values[0, -1] < 1e-3


# ---------------------------------------------------------------- bad input

def _bad_calls():
    full, sensed, rect = sym(), sym(n_measurements=10), asym()
    rng = np.random.default_rng(0)
    gd = {"width": 2, "init_scale": 0.1, "step_size": 0.1, "n_iter": 10}
    sub = {**gd, "decay": 0.9}
    return [
        ("rank", lambda: ms.symmetric_low_rank(rng, dim=3, rank=4)),
        ("rank", lambda: ms.asymmetric_low_rank(rng, rows=5, cols=2, rank=3)),
        ("dim", lambda: ms.symmetric_low_rank(rng, dim=0)),
        ("n_measurements", lambda: ms.symmetric_low_rank(rng, n_measurements=-5)),
        ("n_measurements", lambda: ms.asymmetric_low_rank(rng, n_measurements=2.5)),
        ("singular_values", lambda: ms.symmetric_low_rank(rng, rank=2, singular_values=[1.0])),
        ("singular_values", lambda: ms.symmetric_low_rank(rng, rank=2, singular_values=[1, -1])),
        ("singular_values", lambda: ms.symmetric_low_rank(rng, rank=2, singular_values=[0.5, 1])),
        ("outlier_fraction", lambda: ms.symmetric_low_rank(rng, n_measurements=9,
                                                           outlier_fraction=1.0)),
        ("outlier_fraction", lambda: ms.symmetric_low_rank(rng, outlier_fraction=0.1)),
        ("noise", lambda: ms.asymmetric_low_rank(rng, noise=0.1)),
        ("noise", lambda: ms.symmetric_low_rank(rng, n_measurements=9, noise=-1.0)),
        ("rng", lambda: ms.symmetric_low_rank(0)),
        ("n_used", lambda: ms.subgradient_l1(sensed, rng, n_used=11, **sub)),
        ("n_measurements", lambda: ms.subgradient_l1(full, rng, **sub)),
        ("decay", lambda: ms.subgradient_l1(sensed, rng, **{**sub, "decay": 0.0})),
        ("symmetric_low_rank", lambda: ms.symmetric_gd(rect, rng, **gd)),
        ("symmetric_low_rank", lambda: ms.subgradient_l1(rect, rng, **sub)),
        ("metric", lambda: ms.symmetric_gd(full, rng, metric="spectral", **gd)),
        ("metric", lambda: ms.asymmetric_gd(rect, rng, metric="loss", **gd)),
        ("backend", lambda: ms.symmetric_gd(full, rng, backend="torch", **gd)),
        ("backend", lambda: ms.subgradient_l1(sensed, rng, backend="jax", **sub)),
        ("width", lambda: ms.symmetric_gd(full, rng, **{**gd, "width": 1})),
        ("width", lambda: ms.asymmetric_gd(rect, rng, **{**gd, "width": 6})),
        ("step_size", lambda: ms.symmetric_gd(full, rng, **{**gd, "step_size": 0.0})),
        ("init_scale", lambda: ms.asymmetric_gd(rect, rng, **{**gd, "init_scale": -1.0})),
        ("init_ratio", lambda: ms.asymmetric_gd(rect, rng, init_ratio=0.0, **gd)),
        ("rebalance_at", lambda: ms.asymmetric_gd(rect, rng, rebalance_at=10, **gd)),
        ("rebalance_at", lambda: ms.asymmetric_gd(rect, rng, rebalance_at=-2, **gd)),
        ("rebalance_scale", lambda: ms.asymmetric_gd(rect, rng, rebalance_scale=0, **gd)),
        ("replicas", lambda: ms.symmetric_gd(full, rng, replicas=0, **gd)),
        ("n_iter", lambda: ms.symmetric_gd(full, rng, **{**gd, "n_iter": 0})),
        ("instance", lambda: ms.symmetric_gd({"M_star": np.eye(2)}, rng, **gd)),
    ]


@pytest.mark.parametrize("case", range(len(_bad_calls())))
def test_bad_arguments_raise_value_error_naming_the_argument(case):
    name, call = _bad_calls()[case]
    with pytest.raises(ValueError, match=name):
        call()
