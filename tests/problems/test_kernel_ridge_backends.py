"""The array-API twin of problems.kernel_ridge on every back end: the distillation rounds on NumPy and
array_api_strict (held to the 2023.12 standard) against the Numba kernel, down to the converged rounds
where the deviation is round-off (the twin keeps the kernel's order of operations), CuPy when a GPU is
here; and the back-end boundary checks."""
from __future__ import annotations

import contextlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import problems.backend
from problems import kernel_ridge as kr

FAST = settings(derandomize=True, database=None, deadline=None, max_examples=6)
ARRAY_BACKENDS = ["numpy", "array_api_strict"]
needs_cupy = pytest.mark.skipif(not problems.backend.available("cupy"), reason="needs CuPy and a CUDA GPU")


def make(seed=4, n_samples=16, **kw):
    return kr.rbf_regression(np.random.default_rng(seed), n_samples=n_samples, **{"penalty": 0.1, "xi": 0.25, **kw})


def strict_2023():
    """array_api_strict limited to the 2023.12 standard the twin is written against."""
    import array_api_strict

    return array_api_strict.ArrayAPIStrictFlags(api_version="2023.12")


def assert_backend_matches_numba(inst, backend, **kw):
    runs = {}
    for be in ("numba", backend):
        with strict_2023() if be == "array_api_strict" else contextlib.nullcontext():
            runs[be] = kr.self_distillation(inst, np.random.default_rng(0), backend=be, **kw)
    ref, tr = runs["numba"], runs[backend]
    assert tr.info["backend"] == backend and isinstance(tr.values, np.ndarray) and tr.values.dtype == np.float64
    np.testing.assert_array_equal(tr.t, ref.t)
    np.testing.assert_allclose(tr.values, ref.values, rtol=1e-10, atol=0)
    return ref, tr


@pytest.mark.parametrize("backend", ARRAY_BACKENDS)
@pytest.mark.parametrize("metric", kr.methods.METRICS)
def test_twin_matches_numba_kernel_to_the_converged_rounds(metric, backend):
    ref, _ = assert_backend_matches_numba(make(), backend, metric=metric, n_rounds=150, n_checkpoints=20)
    assert ref.values[0, -1] < 1e-13  # the comparison covers round-off-level deviations


@given(seed=st.integers(0, 2**32 - 1), xi=st.sampled_from([0.1, 0.5, 1.0]), penalty=st.sampled_from([0.03, 1.0]))
@FAST
def test_strict_twin_matches_numba_over_seeds_weights_and_penalties(seed, xi, penalty):
    assert_backend_matches_numba(make(seed, n_samples=10, xi=xi, penalty=penalty), "array_api_strict",
                                 n_rounds=30, n_checkpoints=8)


@needs_cupy
@pytest.mark.parametrize("metric", kr.methods.METRICS)
def test_cupy_twin_matches_numba_kernel(metric):
    assert_backend_matches_numba(make(n_samples=40), "cupy", metric=metric, n_rounds=150)


def test_unknown_backend_raises_value_error_naming_the_allowed_ones():
    with pytest.raises(ValueError, match="backend.*'numba'.*'array_api_strict'"):
        kr.self_distillation(make(), np.random.default_rng(0), n_rounds=5, backend="jax")
    if not problems.backend.available("cupy"):
        with pytest.raises(problems.backend.BackendUnavailable, match="cupy"):
            kr.self_distillation(make(), np.random.default_rng(0), n_rounds=5, backend="cupy")


def test_every_converted_method_accepts_every_backend():
    assert all(problems.backend.accepts(kr.self_distillation, b) for b in problems.backend.BACKENDS)
