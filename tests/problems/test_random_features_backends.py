"""The array-API twins of problems.random_features on every back end: the weighted Grams and the
Cholesky trace, and every estimator of the teacher-averaged loss, on NumPy and array_api_strict
(held to the 2023.12 standard) against the Numba kernels, CuPy when a GPU is here; a matrix that
is not positive definite gives NaN on every back end; and the back-end boundary checks."""
from __future__ import annotations

import contextlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import problems.backend
from problems import random_features as rf
from problems.random_features import _kernels, _reference

FAST = settings(derandomize=True, database=None, deadline=None, max_examples=8)
ARRAY_BACKENDS = ["numpy", "array_api_strict"]
needs_cupy = pytest.mark.skipif(not problems.backend.available("cupy"), reason="needs CuPy and a CUDA GPU")
CASES = {  # every branch of random_feature_regression
    "conditional": {"n_features": 8, "n_samples": 14},
    "latent-underparameterized": {"n_features": 8, "n_samples": 6, "estimator": "latent"},
    "latent-wider-than-latent": {"n_features": 50, "n_samples": 12, "estimator": "latent"},
    "infinite-width": {"n_features": "infinite", "n_samples": 10},
    "infinite-data": {"n_features": 10, "n_samples": "infinite"},
}


def teacher(S=40):
    return rf.power_law_teacher(np.random.default_rng(0), latent_dim=S, alpha=1.0)


def strict_2023():
    """array_api_strict limited to the 2023.12 standard the twins are written against."""
    import array_api_strict

    return array_api_strict.ArrayAPIStrictFlags(api_version="2023.12")


def on(backend):
    return strict_2023() if backend == "array_api_strict" else contextlib.nullcontext()


def assert_backend_matches_numba(backend, inst, seed=3, **kw):
    runs = {}
    for be in ("numba", backend):
        with on(be):
            runs[be] = rf.random_feature_regression(inst, np.random.default_rng(seed), replicas=2, backend=be, **kw)
    ref, tr = runs["numba"], runs[backend]
    assert tr.info["backend"] == backend and isinstance(tr.values, np.ndarray) and tr.values.dtype == np.float64
    assert tr.info["estimator"] == ref.info["estimator"] and np.all(np.isfinite(ref.values))
    np.testing.assert_allclose(tr.values, ref.values, rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(tr.info["limit_loss"], ref.info["limit_loss"], rtol=1e-10)
    return ref, tr


@pytest.mark.parametrize("backend", ARRAY_BACKENDS)
@pytest.mark.parametrize("metric", rf.methods.METRICS)
@pytest.mark.parametrize("case", CASES)
def test_loss_on_array_backend_matches_numba_kernels(case, metric, backend):
    assert_backend_matches_numba(backend, teacher(), metric=metric, **CASES[case])


@given(seed=st.integers(0, 2**32 - 1), P=st.integers(2, 12), extra=st.integers(2, 20))
@FAST
def test_strict_twins_match_numba_over_seeds_and_sizes(seed, P, extra):
    assert_backend_matches_numba("array_api_strict", teacher(30), seed=seed, n_features=P, n_samples=P + extra)
    rng = np.random.default_rng(seed)
    M, H, lam = rng.standard_normal((P, 30)), rng.standard_normal((P + extra, P)), teacher(30).data["eigenvalues"]
    with strict_2023():
        for f, args in ((rf.projection_loss, (M, lam)), (rf.inverse_wishart_trace, (H,))):
            assert f(*args, backend="array_api_strict") == pytest.approx(f(*args), rel=1e-10)


@pytest.mark.parametrize("backend", ARRAY_BACKENDS)
def test_twins_write_the_kernel_grams_and_trace_on_the_device(backend):
    rng = np.random.default_rng(1)
    Mt, lam = rng.standard_normal((30, 7)), rng.uniform(0.1, 2.0, 30)
    G1, G2 = np.empty((7, 7)), np.empty((7, 7))
    _kernels._weighted_grams(Mt, lam, G1, G2)
    with on(backend):
        xp = problems.backend.namespace(backend)
        D1, D2 = xp.empty((7, 7), dtype=xp.float64), xp.empty((7, 7), dtype=xp.float64)
        _reference._weighted_grams(*(problems.backend.to_device(xp, a) for a in (Mt, lam)), D1, D2)
        trace = _reference._trace_solve(D1, D2)
        not_pd = _reference._trace_solve(problems.backend.to_device(xp, -np.eye(3)), xp.eye(3, dtype=xp.float64))
    np.testing.assert_allclose(problems.backend.to_numpy(D1), G1, rtol=1e-12)
    np.testing.assert_allclose(problems.backend.to_numpy(D2), G2, rtol=1e-12)
    assert isinstance(trace, float) and trace == pytest.approx(_kernels._trace_solve(G1, G2), rel=1e-10)
    assert np.isnan(not_pd) and np.isnan(_kernels._trace_solve(-np.eye(3), np.eye(3)))


@needs_cupy
@pytest.mark.parametrize("case", CASES)
def test_cupy_twins_match_numba_kernels(case):
    assert_backend_matches_numba("cupy", teacher(), **CASES[case])
    xp = problems.backend.namespace("cupy")
    assert np.isnan(_reference._trace_solve(problems.backend.to_device(xp, -np.eye(3)), xp.eye(3, dtype=xp.float64)))


@pytest.mark.parametrize("call", [
    lambda be: rf.random_feature_regression(teacher(), np.random.default_rng(0), n_features=4, n_samples=9, backend=be),
    lambda be: rf.projection_loss(np.ones((2, 5)), np.ones(5), backend=be),
    lambda be: rf.inverse_wishart_trace(np.ones((5, 2)), backend=be),
], ids=["random_feature_regression", "projection_loss", "inverse_wishart_trace"])
def test_unknown_backend_raises_value_error_naming_the_allowed_ones(call):
    with pytest.raises(ValueError, match="backend.*'numba'.*'array_api_strict'"):
        call("jax")
    if not problems.backend.available("cupy"):
        with pytest.raises(problems.backend.BackendUnavailable, match="cupy"):
            call("cupy")


def test_every_converted_method_accepts_every_backend():
    assert all(problems.backend.accepts(rf.random_feature_regression, b) for b in problems.backend.BACKENDS)
