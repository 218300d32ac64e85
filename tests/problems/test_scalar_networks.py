"""Tests for problems.scalar_networks: the gradient-flow solution and its sharpness, the
Hessian, kernel/twin agreement, the monotone decrease of the GFS sharpness along GD
(Kreisler et al. 2023), the edge of stability, divergence handling and boundary checks."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import solve_ivp

from problems import scalar_networks as sn
from problems.scalar_networks import _kernels, _reference

FAST = settings(derandomize=True, database=None, deadline=None, max_examples=15)
seeds = st.integers(0, 2**32 - 1)
METRICS = ["gfs_sharpness", "gfs_sharpness_increase", "sharpness", "sharpness_increase",
           "loss", "loss_increase"]


def network(seed=0, **kw):
    return sn.scalar_network(np.random.default_rng(seed), **kw)


def loss(w, y):
    return 0.5 * (np.prod(w) - y) ** 2


def fd_hessian(w, y, h=1e-4):
    """Central second differences of the loss values alone (no formula shared with the code)."""
    D, E = w.size, np.eye(w.size) * h
    H = np.empty((D, D))
    for i in range(D):
        for j in range(D):
            H[i, j] = (loss(w + E[i] + E[j], y) - loss(w + E[i] - E[j], y)
                       - loss(w - E[i] + E[j], y) + loss(w - E[i] - E[j], y)) / (4 * h * h)
    return 0.5 * (H + H.T)


def random_weights(seed, depth, spread):
    """Positive weights whose product lies anywhere in [1e-2, 1e2] (both sides of y = 1)."""
    rng = np.random.default_rng(seed)
    w = np.exp(spread * rng.standard_normal(depth))
    return w * np.exp((rng.uniform(np.log(1e-2), np.log(1e2)) - np.sum(np.log(w))) / depth)


# ---------------------------------------------------------------- GFS and sharpness

@given(seed=seeds, depth=st.integers(1, 8), spread=st.floats(0.0, 1.5),
       target=st.sampled_from([0.3, 1.0, 4.0]))
@FAST
def test_gfs_point_reaches_the_target_and_keeps_the_invariants(seed, depth, spread, target):
    w = random_weights(seed, depth, spread)
    for backend in ("numba", "numpy"):
        p = sn.gfs(w, target, backend=backend)
        assert np.prod(p) == pytest.approx(target, rel=1e-12)
        shift = p**2 - w**2  # conserved w_i^2 - w_j^2: one common shift s
        assert np.ptp(shift) <= 1e-12 * np.max(p**2)
        assert np.all(p > 0)
        phi = sn.gfs_sharpness(w, target, backend=backend)
        assert phi == pytest.approx(target**2 * np.sum(1 / p**2), rel=1e-12)


@pytest.mark.parametrize("seed, depth", [(0, 2), (1, 3), (2, 5)])
def test_gradient_flow_ends_at_the_gfs_point(seed, depth):
    inst = network(seed, depth=depth, init_spread=0.6)
    w0, y = inst.data["w0"], inst.constants["target"]

    def field(_, w):
        grad = np.array([np.prod(np.delete(w, i)) for i in range(w.size)])
        return -(np.prod(w) - y) * grad

    T = 60.0 / inst.constants["gfs_sharpness0"] * np.log(1e12)
    sol = solve_ivp(field, (0.0, T), w0, method="DOP853", rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(sol.y[:, -1], sn.gfs(w0, y), rtol=1e-9)
    np.testing.assert_allclose(inst.data["gfs0"], sn.gfs(w0, y), rtol=0)


@pytest.mark.parametrize("seed, depth, target", [(0, 2, 1.0), (1, 4, 1.0), (2, 6, 2.5)])
def test_sharpness_at_a_zero_loss_point_is_the_fd_hessian_top_eigenvalue(seed, depth, target):
    w = sn.gfs(random_weights(seed, depth, 0.7), target)
    lam = np.linalg.eigvalsh(fd_hessian(w, target))[-1]
    assert sn.gfs_sharpness(w, target) == pytest.approx(lam, rel=1e-6)
    assert sn.sharpness(w, target) == pytest.approx(lam, rel=1e-6)
    assert sn.gfs_sharpness(w, target) == pytest.approx(sn.sharpness(w, target), rel=1e-12)


@pytest.mark.parametrize("seed, depth", [(3, 2), (4, 3), (5, 6)])
def test_loss_hessian_matches_finite_differences_away_from_the_minimum(seed, depth):
    w, y = random_weights(seed, depth, 0.5), 1.0
    H = np.empty((depth, depth))
    _kernels._loss_hessian(w, y, H)
    np.testing.assert_allclose(H, fd_hessian(w, y), rtol=1e-6, atol=1e-6 * np.abs(H).max())
    assert sn.sharpness(w, y) == pytest.approx(np.linalg.eigvalsh(H)[-1], rel=1e-12)


def test_gfs_is_undefined_where_gradient_flow_cannot_reach_the_target():
    assert np.isnan(sn.gfs_sharpness([1.0, -2.0, 0.5], 1.0))  # product of the wrong sign
    assert np.isnan(sn.gfs_sharpness([1.0, 0.0, 0.5], 1.0))
    assert np.isnan(_kernels._gfs_sharpness(np.array([1.0, np.inf]), 1.0))
    # two negative weights: the GFS lies in that orthant, same sharpness as with |w|
    w = np.array([-1.3, -0.4, 0.9])
    assert sn.gfs_sharpness(w, 1.0) == pytest.approx(sn.gfs_sharpness(np.abs(w), 1.0), rel=1e-14)


# ---------------------------------------------------------------- generator

@given(seed=seeds, depth=st.integers(1, 8), spread=st.floats(0.0, 1.5),
       ratio=st.floats(0.1, 3.0))
@FAST
def test_scalar_network_constants_are_exact(seed, depth, spread, ratio):
    inst = network(seed, depth=depth, init_spread=spread, sharpness_ratio=ratio, target=2.0)
    c, w0 = inst.constants, inst.data["w0"]
    assert np.all(w0 > 0) and 0.3 * 2.0 <= np.prod(w0) <= 0.7 * 2.0
    assert c["loss0"] == pytest.approx(loss(w0, 2.0), rel=1e-12)
    assert c["gfs_sharpness0"] == pytest.approx(sn.gfs_sharpness(w0, 2.0), rel=1e-14)
    assert c["step_size"] * c["gfs_sharpness0"] == pytest.approx(ratio, rel=1e-14)
    assert c["sharpness0"] == pytest.approx(sn.sharpness(w0, 2.0, backend="numpy"), rel=1e-10)
    if spread == 0.0:
        assert np.ptp(w0) <= 1e-14 * w0[0]  # balanced


def test_scalar_network_is_reproducible_from_rng():
    a, b, c = network(5), network(5), network(6)
    assert a.constants == b.constants and np.array_equal(a.data["w0"], b.data["w0"])
    assert not np.array_equal(a.data["w0"], c.data["w0"])


# ---------------------------------------------------------------- kernels == twins

@pytest.mark.parametrize("metric", METRICS)
@pytest.mark.parametrize("ratio, depth", [(1.5, 3), (2.5, 4), (2.5, 2)])
def test_scalar_gd_kernel_matches_numpy_twin(metric, ratio, depth):
    inst = network(2, depth=depth, sharpness_ratio=ratio)
    traces = [sn.scalar_gd(inst, None, n_iter=1500, metric=metric, backend=backend)
              for backend in ("numba", "numpy")]
    np.testing.assert_array_equal(traces[0].t, traces[1].t)
    assert np.all(np.isfinite(traces[0].values))
    np.testing.assert_allclose(traces[0].values, traces[1].values, rtol=1e-10, atol=0)
    np.testing.assert_allclose(traces[0].info["w_final"], traces[1].info["w_final"], rtol=1e-10)


def test_gfs_kernels_match_numpy_twins_on_both_sides_of_the_target():
    for seed in range(20):
        w = random_weights(seed, 1 + seed % 7, 1.0)
        for name in ("_gfs_shift", "_gfs_sharpness", "_sharpness"):
            a, b = getattr(_kernels, name)(w, 1.7), getattr(_reference, name)(w, 1.7)
            assert a == pytest.approx(b, rel=1e-10, abs=1e-14 * np.max(w**2))


# ---------------------------------------------------------------- GD: the theorem and its twins

@given(seed=seeds, depth=st.integers(2, 6), spread=st.floats(0.0, 1.5),
       ratio=st.floats(0.5, 1.9))
@FAST
def test_gd_decreases_the_gfs_sharpness_monotonically(seed, depth, spread, ratio):
    """Kreisler et al. (2023): phi(w_{t+1}) <= phi(w_t) along GD, checked at every step."""
    inst = network(seed, depth=depth, init_spread=spread, sharpness_ratio=ratio)
    tr = sn.scalar_gd(inst, None, n_iter=2000, metric="gfs_sharpness_increase")
    assert tr.info["first_nonfinite"] is None
    assert np.all(tr.values <= 1 + 1e-10), (tr.values.max() - 1, inst.constants)


def test_gd_above_the_edge_of_stability_ends_at_sharpness_two_over_eta():
    """eta * phi(w0) = 2.5: the iterate's sharpness and the loss go up and down, the GFS
    sharpness only down, and GD converges to a minimum with eta * lambda_max just below 2."""
    inst = network(2, depth=4, init_spread=0.5, sharpness_ratio=2.5)
    eta = inst.constants["step_size"]
    run = {m: sn.scalar_gd(inst, None, n_iter=10**4, metric=m) for m in METRICS}
    assert run["loss"].values[0, -1] < 1e-20
    final = eta * run["sharpness"].values[0, -1]
    assert 1.99 < final <= 2.0
    assert final == pytest.approx(eta * run["gfs_sharpness"].values[0, -1], rel=1e-9)
    assert np.all(run["gfs_sharpness_increase"].values <= 1 + 1e-10)
    assert run["sharpness_increase"].values.max() > 2.0  # the planted-false twins fail
    assert run["loss_increase"].values.max() > 2.0


def test_gd_converged_limits_above_eos_are_never_sharper_than_two_over_eta():
    converged = 0
    for seed in range(30):
        inst = network(seed, depth=4, init_spread=1.0, sharpness_ratio=2.5)
        eta = inst.constants["step_size"]
        tr = sn.scalar_gd(inst, None, n_iter=10**4, metric="sharpness", n_checkpoints=3)
        w = tr.info["w_final"]
        if loss(w, 1.0) < 1e-20:
            converged += 1
            assert eta * tr.values[0, -1] <= 2.0 + 1e-9
    assert converged >= 15


def test_balanced_start_above_eos_settles_on_a_cycle_instead_of_converging():
    """With w0 balanced and eta * phi(w0) = 2.5, GD does not converge: it locks into a
    cycle (period 4 here), the loss stays away from 0 and phi stays above 2/eta."""
    inst = network(0, depth=2, init_spread=0.0, sharpness_ratio=2.5)
    eta = inst.constants["step_size"]
    w = [sn.scalar_gd(inst, None, n_iter=n, metric="loss").info["w_final"]
         for n in range(10**4, 10**4 + 5)]
    np.testing.assert_allclose(w[4], w[0], rtol=1e-9)
    assert min(np.abs(v - w[0]).max() for v in w[1:4]) > 0.05
    assert min(loss(v, 1.0) for v in w) > 1e-2
    phi = sn.scalar_gd(inst, None, n_iter=10**4).values[0, -1]
    assert eta * phi > 2.4


@pytest.mark.parametrize("backend", ["numba", "numpy"])
def test_divergence_gives_nonfinite_values_not_an_exception(backend):
    inst = network(1, depth=3, sharpness_ratio=20.0)
    tr = sn.scalar_gd(inst, None, n_iter=300, metric="loss", backend=backend)
    finite = np.isfinite(tr.values[0])
    assert finite[0] and not finite.all()
    assert tr.info["first_nonfinite"] == tr.t[np.argmin(finite)]
    ok = sn.scalar_gd(inst, None, step_size=0.5 / inst.constants["gfs_sharpness0"], n_iter=50,
                      backend=backend)
    assert ok.info["first_nonfinite"] is None and ok.info["step_size"] < inst.constants["step_size"]


def test_increase_metrics_start_at_one_and_default_step_is_the_instance_constant():
    inst = network(0)
    tr = sn.scalar_gd(inst, None, n_iter=10, metric="loss_increase")
    assert tr.values[0, 0] == 1.0 and tr.info["step_size"] == inst.constants["step_size"]
    every = sn.scalar_gd(inst, None, n_iter=10, metric="loss", n_checkpoints=200)
    assert every.t.tolist() == list(range(11))
    ratios = every.values[0, 1:] / every.values[0, :-1]
    increase = sn.scalar_gd(inst, None, n_iter=10, metric="loss_increase", n_checkpoints=200)
    np.testing.assert_allclose(increase.values[0, 1:], ratios, rtol=1e-12)
    coarse = sn.scalar_gd(inst, None, n_iter=10, metric="loss_increase", n_checkpoints=4)
    assert coarse.t.tolist() == [0, 1, 3, 10]
    assert coarse.values[0, 2] == pytest.approx(ratios[1:3].max(), rel=1e-12)
    assert coarse.values[0, 3] == pytest.approx(ratios[3:].max(), rel=1e-12)


# ---------------------------------------------------------------- bad input

def _bad_calls():
    inst, rng = network(0), np.random.default_rng(0)
    return [
        ("depth", lambda: sn.scalar_network(rng, depth=0)),
        ("target", lambda: sn.scalar_network(rng, target=-1.0)),
        ("init_spread", lambda: sn.scalar_network(rng, init_spread=-0.1)),
        ("sharpness_ratio", lambda: sn.scalar_network(rng, sharpness_ratio=0.0)),
        ("step_size", lambda: sn.scalar_gd(inst, rng, step_size=-1.0, n_iter=5)),
        ("n_iter", lambda: sn.scalar_gd(inst, rng, n_iter=0)),
        ("metric", lambda: sn.scalar_gd(inst, rng, n_iter=5, metric="hessian")),
        ("n_checkpoints", lambda: sn.scalar_gd(inst, rng, n_iter=5, n_checkpoints=1)),
        ("backend", lambda: sn.scalar_gd(inst, rng, n_iter=5, backend="jax")),
        ("scalar_network", lambda: sn.scalar_gd(object(), rng, n_iter=5)),
        ("target", lambda: sn.gfs_sharpness([1.0, 2.0], 0.0)),
        ("w must", lambda: sn.gfs([[1.0]], 1.0)),
    ]


@pytest.mark.parametrize("case", range(len(_bad_calls())))
def test_bad_arguments_raise_value_error_naming_the_argument(case):
    name, call = _bad_calls()[case]
    with pytest.raises(ValueError, match=name):
        call()
