"""The array-API twins of problems.scalar_networks on every back end: scalar_gd for every metric,
and the GFS shift, GFS sharpness and sharpness behind the generator's helpers, on NumPy and
array_api_strict (held to the 2023.12 standard) against the Numba kernels, CuPy when a GPU is here,
divergence, and the back-end boundary checks."""
from __future__ import annotations

import contextlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import problems.backend
from problems import scalar_networks as sn

FAST = settings(derandomize=True, database=None, deadline=None, max_examples=8)
HAS_CUPY = problems.backend.available("cupy")
needs_cupy = pytest.mark.skipif(not HAS_CUPY, reason="needs CuPy and a CUDA GPU")
ARRAY_BACKENDS = ["numpy", "array_api_strict"]
METRICS = ["gfs_sharpness", "gfs_sharpness_increase", "sharpness", "sharpness_increase",
           "loss", "loss_increase"]


def network(seed=2, **kw):
    return sn.scalar_network(np.random.default_rng(seed), **kw)


def strict_2023():
    """array_api_strict limited to the 2023.12 standard the twins are written against."""
    import array_api_strict

    return array_api_strict.ArrayAPIStrictFlags(api_version="2023.12")


def on(backend):
    return strict_2023() if backend == "array_api_strict" else contextlib.nullcontext()


def assert_backend_matches_numba(inst, backend, **kw):
    ref = sn.scalar_gd(inst, None, backend="numba", **kw)
    with on(backend):
        tr = sn.scalar_gd(inst, None, backend=backend, **kw)
    assert tr.info["backend"] == backend and ref.info["backend"] == "numba"
    assert isinstance(tr.values, np.ndarray) and tr.values.dtype == np.float64
    assert isinstance(tr.info["w_final"], np.ndarray)
    np.testing.assert_array_equal(tr.t, ref.t)
    np.testing.assert_allclose(tr.values, ref.values, rtol=1e-10, atol=0)
    np.testing.assert_allclose(tr.info["w_final"], ref.info["w_final"], rtol=1e-10)
    return ref, tr


@pytest.mark.parametrize("backend", ARRAY_BACKENDS)
@pytest.mark.parametrize("metric", METRICS)
@pytest.mark.parametrize("ratio, depth", [(1.5, 3), (2.5, 4)])  # below and above the edge of stability
def test_array_twin_matches_numba_kernel(backend, metric, ratio, depth):
    ref, _ = assert_backend_matches_numba(network(depth=depth, sharpness_ratio=ratio), backend,
                                          n_iter=300, metric=metric, n_checkpoints=20)
    assert np.all(np.isfinite(ref.values))


@needs_cupy
@pytest.mark.parametrize("metric", METRICS)
def test_cupy_twin_matches_numba_kernel(metric):
    assert_backend_matches_numba(network(depth=4, sharpness_ratio=2.5), "cupy", n_iter=300, metric=metric)


@given(seed=st.integers(0, 2**32 - 1), depth=st.integers(1, 7), ratio=st.floats(0.3, 2.8),
       metric=st.sampled_from(METRICS))
@FAST
def test_strict_twin_matches_numba_over_seeds_depths_and_steps(seed, depth, ratio, metric):
    inst = network(seed, depth=depth, init_spread=0.8, sharpness_ratio=ratio)
    assert_backend_matches_numba(inst, "array_api_strict", n_iter=120, metric=metric, n_checkpoints=10)


@pytest.mark.parametrize("backend", ARRAY_BACKENDS + [pytest.param("cupy", marks=needs_cupy)])
def test_generator_helpers_match_numba_on_both_sides_of_the_target(backend):
    rng = np.random.default_rng(5)
    for depth in (1, 2, 5):
        for scale in (0.3, 3.0):  # product below and above the target
            w = scale * np.exp(0.5 * rng.standard_normal(depth))
            with on(backend):
                got = (sn.gfs(w, 1.7, backend=backend), sn.gfs_sharpness(w, 1.7, backend=backend),
                       sn.sharpness(w, 1.7, backend=backend))
            want = (sn.gfs(w, 1.7), sn.gfs_sharpness(w, 1.7), sn.sharpness(w, 1.7))
            np.testing.assert_allclose(got[0], want[0], rtol=1e-12)
            assert isinstance(got[1], float) and got[1] == pytest.approx(want[1], rel=1e-12)
            assert isinstance(got[2], float) and got[2] == pytest.approx(want[2], rel=1e-10)
    with on(backend):  # undefined GFS: a product of the wrong sign, or a zero weight
        assert np.isnan(sn.gfs_sharpness([1.0, -2.0, 0.5], 1.0, backend=backend))
        assert np.all(np.isnan(sn.gfs([1.0, 0.0, 0.5], 1.0, backend=backend)))


@pytest.mark.parametrize("backend", ARRAY_BACKENDS + [pytest.param("cupy", marks=needs_cupy)])
def test_divergence_gives_nonfinite_values_where_numba_does(backend):
    inst = network(1, depth=3, sharpness_ratio=20.0)
    for metric in ("loss", "sharpness", "loss_increase"):
        ref = sn.scalar_gd(inst, None, n_iter=300, metric=metric)
        with on(backend):
            tr = sn.scalar_gd(inst, None, n_iter=300, metric=metric, backend=backend)
        assert tr.info["first_nonfinite"] == ref.info["first_nonfinite"] is not None
        np.testing.assert_array_equal(np.isfinite(tr.values), np.isfinite(ref.values))
        np.testing.assert_allclose(tr.values, ref.values, rtol=1e-10)  # NaN/inf in the same places


def test_unknown_backend_raises_value_error_naming_the_allowed_ones():
    with pytest.raises(ValueError, match="backend.*'numba'.*'array_api_strict'"):
        sn.scalar_gd(network(), None, n_iter=5, backend="jax")
    with pytest.raises(ValueError, match="backend.*'numba'.*'array_api_strict'"):
        sn.gfs_sharpness([1.0, 2.0], 1.0, backend="torch")


@pytest.mark.skipif(HAS_CUPY, reason="CuPy and a GPU are here")
def test_cupy_without_a_gpu_raises_backend_unavailable():
    with pytest.raises(problems.backend.BackendUnavailable, match="cupy"):
        sn.scalar_gd(network(), None, n_iter=5, backend="cupy")


def test_scalar_gd_accepts_every_backend():
    assert all(problems.backend.accepts(sn.scalar_gd, b) for b in problems.backend.BACKENDS)
