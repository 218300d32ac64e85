"""The array-API twin of problems.nonsmooth.sgd on every back end: NumPy and array_api_strict
(held to the 2023.12 standard) against the Numba kernel, CuPy when a GPU is here, chunking,
divergence and the back-end boundary checks."""
from __future__ import annotations

import contextlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import problems.backend
from problems import types
from problems.nonsmooth import absolute_regression, sgd

FAST = settings(derandomize=True, database=None, deadline=None, max_examples=8)
HAS_CUPY = problems.backend.available("cupy")
needs_cupy = pytest.mark.skipif(not HAS_CUPY, reason="needs CuPy and a CUDA GPU")
ARRAY_BACKENDS = ["numpy", "array_api_strict"]


def instance(seed=1, dim=7, noise=0.5):
    return absolute_regression(np.random.default_rng(seed), dim=dim, noise=noise, x0_distance=1.0)


def strict_2023():
    """array_api_strict limited to the 2023.12 standard the twin is written against."""
    import array_api_strict

    return array_api_strict.ArrayAPIStrictFlags(api_version="2023.12")


def run(inst, backend, seed=2, **kw):
    with strict_2023() if backend == "array_api_strict" else contextlib.nullcontext():
        return sgd(inst, np.random.default_rng(seed), backend=backend, **kw)


def assert_backend_matches_numba(inst, backend, seed=2, finite=True, **kw):
    ref, tr = run(inst, "numba", seed, **kw), run(inst, backend, seed, **kw)
    assert tr.info["backend"] == backend and ref.info["backend"] == "numba"
    assert isinstance(tr.values, np.ndarray) and tr.values.dtype == np.float64
    assert isinstance(tr.info["x_final"], np.ndarray)
    np.testing.assert_array_equal(tr.t, ref.t)
    np.testing.assert_allclose(tr.values, ref.values, rtol=1e-10, atol=0)
    np.testing.assert_allclose(tr.info["x_final"], ref.info["x_final"], rtol=1e-10, atol=1e-14)
    assert tr.info["first_nonfinite"] == ref.info["first_nonfinite"]
    assert np.all(np.isfinite(ref.values)) == finite
    return tr


CASES = [
    ("inverse_sqrt-suboptimality", 0.5, {"schedule": "inverse_sqrt"}),
    ("constant-distance", 0.5, {"schedule": "constant", "metric": "distance"}),
    ("linear_decay-noiseless", 0.0, {"schedule": "linear_decay"}),
    ("noiseless-distance", 0.0, {"schedule": "constant", "metric": "distance"}),
]


@pytest.mark.parametrize("backend", ARRAY_BACKENDS)
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_array_twin_matches_numba_kernel(case, backend):
    _, noise, kw = case
    assert_backend_matches_numba(instance(noise=noise), backend, step_size=0.2, n_iter=2000,
                                 replicas=5, **kw)


@needs_cupy
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_cupy_twin_matches_numba_kernel(case):
    _, noise, kw = case
    assert_backend_matches_numba(instance(noise=noise), "cupy", step_size=0.2, n_iter=2000,
                                 replicas=5, **kw)


@given(seed=st.integers(0, 2**32 - 1), step_size=st.floats(1e-3, 2.0),
       replicas=st.integers(1, 4))
@FAST
def test_strict_twin_matches_numba_over_seeds_and_step_sizes(seed, step_size, replicas):
    assert_backend_matches_numba(instance(seed % 1000, dim=4), "array_api_strict", seed=seed,
                                 step_size=step_size, n_iter=300, replicas=replicas)


@pytest.mark.parametrize("backend", ARRAY_BACKENDS)
def test_many_chunks_give_the_one_chunk_trace(backend, monkeypatch):
    kw = dict(step_size=0.1, n_iter=500, schedule="constant", replicas=3)
    one = run(instance(12, dim=4), backend, **kw)
    monkeypatch.setattr(types, "CHUNK_NUMBERS", 37)  # many small chunks: the state crosses them
    many = run(instance(12, dim=4), backend, **kw)
    np.testing.assert_array_equal(one.values, many.values)


@pytest.mark.parametrize("backend", ARRAY_BACKENDS)
def test_divergence_is_reported_on_array_backends(backend):
    tr = assert_backend_matches_numba(instance(14, dim=3), backend, seed=0, finite=False,
                                      step_size=1e308, n_iter=50, schedule="constant", replicas=2)
    assert tr.info["first_nonfinite"] is not None


def test_unknown_backend_raises_value_error_naming_the_allowed_ones():
    with pytest.raises(ValueError, match="backend.*'numba'.*'array_api_strict'"):
        sgd(instance(), np.random.default_rng(0), step_size=0.1, n_iter=5, backend="jax")


@pytest.mark.skipif(HAS_CUPY, reason="CuPy and a GPU are here")
def test_cupy_without_a_gpu_raises_backend_unavailable():
    with pytest.raises(problems.backend.BackendUnavailable, match="cupy"):
        sgd(instance(), np.random.default_rng(0), step_size=0.1, n_iter=5, backend="cupy")


def test_sgd_accepts_every_backend():
    assert all(problems.backend.accepts(sgd, b) for b in problems.backend.BACKENDS)
