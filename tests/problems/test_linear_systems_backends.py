"""The array-API twins of problems.linear_systems on every back end: NumPy and array_api_strict
(held to the 2023.12 standard) against the Numba kernels (SOR sweep counts exactly, bandit
regret to round-off), CuPy when a GPU is here, and the back-end boundary checks."""
from __future__ import annotations

import contextlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import problems.backend
from problems import linear_systems as ls

FAST = settings(derandomize=True, database=None, deadline=None, max_examples=5)
HAS_CUPY = problems.backend.available("cupy")
needs_cupy = pytest.mark.skipif(not HAS_CUPY, reason="needs CuPy and a CUDA GPU")
ARRAY_BACKENDS = ["numpy", "array_api_strict"]
ALL_ARRAY_BACKENDS = ARRAY_BACKENDS + [pytest.param("cupy", marks=needs_cupy)]


def small(seed=0, **kw):
    return ls.shifted_laplacians(np.random.default_rng(seed), **{"grid": 5, "horizon": 40,
                                                                  "omegas": [1.0, 1.3, 1.6, 1.8],
                                                                  **kw})


def strict_2023():
    """array_api_strict limited to the 2023.12 standard the twins are written against."""
    import array_api_strict

    return array_api_strict.ArrayAPIStrictFlags(api_version="2023.12")


def run(method, inst, backend, seed=4, **kw):
    with strict_2023() if backend == "array_api_strict" else contextlib.nullcontext():
        return method(inst, np.random.default_rng(seed), backend=backend, **kw)


@pytest.mark.parametrize("backend", ALL_ARRAY_BACKENDS)
@pytest.mark.parametrize("grid, shift", [(5, 0.0), (7, 1.5), (2, 0.3)])
def test_sor_iterations_twin_counts_equal_the_kernels(backend, grid, shift):
    inst = small(grid=grid)
    ref = run(ls.sor_iterations, inst, "numba", shift=shift, replicas=3)
    tr = run(ls.sor_iterations, inst, backend, shift=shift, replicas=3)
    assert tr.info["backend"] == backend and isinstance(tr.values, np.ndarray)
    np.testing.assert_array_equal(tr.values, ref.values)
    np.testing.assert_array_equal(tr.info["capped"], ref.info["capped"])
    assert tr.info["best_omega"] == ref.info["best_omega"]


@pytest.mark.parametrize("backend", ALL_ARRAY_BACKENDS)
def test_sor_cost_matrix_twin_equals_the_kernels_with_capped_solves(backend):
    inst = small(seed=2, tol=1e-3, max_iter=12)  # low cap: some solves are capped (-1)
    ref = run(ls.sor_cost_matrix, inst, "numba")
    np.testing.assert_array_equal(run(ls.sor_cost_matrix, inst, backend), ref)
    assert np.any(ref == 12) and np.any(ref < 12)


@pytest.mark.parametrize("backend", ALL_ARRAY_BACKENDS)
@pytest.mark.parametrize("algorithm", ["exp3", "tsallis_inf"])
def test_bandit_twin_matches_the_kernel(backend, algorithm):
    inst = small(seed=1)
    kw = {"algorithm": algorithm, "replicas": 3, "metric": "regret", "n_checkpoints": 12}
    ref = run(ls.bandit_relaxation, inst, "numba", **kw)
    tr = run(ls.bandit_relaxation, inst, backend, **kw)
    assert tr.info["backend"] == backend and tr.values.dtype == np.float64
    np.testing.assert_array_equal(tr.t, ref.t)
    np.testing.assert_allclose(tr.values, ref.values, rtol=1e-10, atol=1e-12)
    np.testing.assert_array_equal(tr.info["pulls"], ref.info["pulls"])
    np.testing.assert_array_equal(tr.info["algorithm_iterations"], ref.info["algorithm_iterations"])


@given(seed=st.integers(0, 2**32 - 1), algorithm=st.sampled_from(["exp3", "tsallis_inf"]))
@FAST
def test_strict_bandit_matches_the_kernel_over_seeds(seed, algorithm):
    inst = small(seed=seed % 1000, grid=3, horizon=25)
    kw = {"algorithm": algorithm, "replicas": 2, "record_at": [1, 5, 25]}
    ref = run(ls.bandit_relaxation, inst, "numba", seed=seed, **kw)
    tr = run(ls.bandit_relaxation, inst, "array_api_strict", seed=seed, **kw)
    np.testing.assert_allclose(tr.values, ref.values, rtol=1e-10, atol=1e-12)
    np.testing.assert_array_equal(tr.info["pulls"], ref.info["pulls"])


@pytest.mark.parametrize("method", [ls.sor_cost_matrix, ls.sor_iterations, ls.bandit_relaxation])
def test_unknown_backend_raises_value_error_naming_the_allowed_ones(method):
    with pytest.raises(ValueError, match="backend.*'numba'.*'array_api_strict'"):
        method(small(), np.random.default_rng(0), backend="jax")


@pytest.mark.skipif(HAS_CUPY, reason="CuPy and a GPU are here")
def test_cupy_without_a_gpu_raises_backend_unavailable():
    with pytest.raises(problems.backend.BackendUnavailable, match="cupy"):
        ls.sor_iterations(small(), np.random.default_rng(0), backend="cupy")


def test_every_method_accepts_every_backend():
    for method in (ls.sor_cost_matrix, ls.sor_iterations, ls.bandit_relaxation):
        assert all(problems.backend.accepts(method, b) for b in problems.backend.BACKENDS)
