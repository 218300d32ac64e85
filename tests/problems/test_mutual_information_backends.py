"""The array-API twins of problems.mutual_information on every back end: NumPy and array_api_strict
(held to the 2023.12 standard) against the Numba kernels for every estimator, variance estimator and
sampler, CuPy when a GPU is here, and the back-end boundary checks."""
from __future__ import annotations

import contextlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import problems.backend
import problems.types
from problems import mutual_information as mi

FAST = settings(derandomize=True, database=None, deadline=None, max_examples=8)
HAS_CUPY = problems.backend.available("cupy")
needs_cupy = pytest.mark.skipif(not HAS_CUPY, reason="needs CuPy and a CUDA GPU")
ARRAY_BACKENDS = ["numpy", "array_api_strict", pytest.param("cupy", marks=needs_cupy)]


def make(n_pairs=20, correlation=0.1):
    return mi.correlated_gaussians(np.random.default_rng(0), n_pairs=n_pairs, correlation=correlation)


def run(inst, backend, seed=5, **kw):
    context = contextlib.nullcontext()
    if backend == "array_api_strict":
        import array_api_strict

        context = array_api_strict.ArrayAPIStrictFlags(api_version="2023.12")
    with context:
        return mi.estimator_variance(inst, np.random.default_rng(seed), backend=backend, **kw)


def assert_backend_matches_numba(inst, backend, seed=5, **kw):
    ref, tr = run(inst, "numba", seed, **kw), run(inst, backend, seed, **kw)
    assert tr.info["backend"] == backend and ref.info["backend"] == "numba"
    assert isinstance(tr.values, np.ndarray) and tr.values.dtype == np.float64
    np.testing.assert_array_equal(tr.t, ref.t)
    np.testing.assert_allclose(tr.values, ref.values, rtol=1e-10, atol=0)
    assert np.all(np.isfinite(ref.values))


CASES = [
    {"estimator": "partition", "sampler": "chi2"},
    {"estimator": "partition", "sampler": "pairs"},
    {"estimator": "partition", "metric": "second_moment"},
    {"estimator": "nwj", "sampler": "chi2"},
    {"estimator": "nwj", "sampler": "pairs"},
    {"variance_estimator": "tilted", "sampler": "chi2"},
    {"estimator": "nwj", "variance_estimator": "tilted", "sampler": "pairs"},
]


@pytest.mark.parametrize("backend", ARRAY_BACKENDS)
@pytest.mark.parametrize("kw", CASES, ids=lambda kw: "-".join(kw.values()))
def test_array_twin_matches_numba_kernel(kw, backend):
    assert_backend_matches_numba(make(), backend, n_pairs_values=[3, 12], samples=4000, replicas=2, **kw)


@given(seed=st.integers(0, 2**32 - 1), rho=st.floats(0.02, 0.3), d=st.integers(1, 40))
@FAST
def test_strict_twin_matches_numba_over_seeds_correlations_and_pairs(seed, rho, d):
    inst = make(n_pairs=d, correlation=rho)
    assert_backend_matches_numba(inst, "array_api_strict", seed=seed, samples=2000, estimator="nwj",
                                 sampler="pairs" if d < 10 else "chi2")


def test_chunked_draws_give_the_same_sums_as_the_numba_kernel(monkeypatch):
    """Several chunks per point: the twin adds each chunk's sums on the host, as the kernel does."""
    monkeypatch.setattr(problems.types, "CHUNK_NUMBERS", 1000)
    assert_backend_matches_numba(make(), "array_api_strict", n_pairs_values=[4], samples=3000, sampler="pairs",
                                 estimator="nwj")


def test_unknown_backend_raises_value_error_naming_the_allowed_ones():
    with pytest.raises(ValueError, match="backend.*'numba'.*'array_api_strict'"):
        mi.estimator_variance(make(), np.random.default_rng(0), backend="jax")


@pytest.mark.skipif(HAS_CUPY, reason="CuPy and a GPU are here")
def test_cupy_without_a_gpu_raises_backend_unavailable():
    with pytest.raises(problems.backend.BackendUnavailable, match="cupy"):
        mi.estimator_variance(make(), np.random.default_rng(0), samples=100, backend="cupy")


def test_estimator_variance_accepts_every_backend():
    assert all(problems.backend.accepts(mi.estimator_variance, b) for b in problems.backend.BACKENDS)
