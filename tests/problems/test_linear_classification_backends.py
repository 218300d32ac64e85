"""The array-API twins of problems.linear_classification on every back end: NumPy and
array_api_strict (held to the 2023.12 standard) against the Numba kernels, CuPy when a GPU
is here, and the back-end boundary checks."""
from __future__ import annotations

import contextlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import problems.backend
from problems import linear_classification as lc

FAST = settings(derandomize=True, database=None, deadline=None, max_examples=8)
HAS_CUPY = problems.backend.available("cupy")
needs_cupy = pytest.mark.skipif(not HAS_CUPY, reason="needs CuPy and a CUDA GPU")
ARRAY_BACKENDS = ["numpy", "array_api_strict"]
METHODS = (lc.logistic_gd, lc.batch_perceptron, lc.perceptron_deviation)


def instance(seed=1, margin=0.01, n_samples=50, dim=5):
    return lc.separable_data(np.random.default_rng(seed), n_samples=n_samples, dim=dim, margin=margin)


def strict_2023():
    """array_api_strict limited to the 2023.12 standard the twins are written against."""
    import array_api_strict

    return array_api_strict.ArrayAPIStrictFlags(api_version="2023.12")


def run(method, inst, backend, **kw):
    with strict_2023() if backend == "array_api_strict" else contextlib.nullcontext():
        return method(inst, None, backend=backend, **kw)


def assert_backend_matches_numba(method, inst, backend, **kw):
    ref, tr = run(method, inst, "numba", **kw), run(method, inst, backend, **kw)
    assert tr.info["backend"] == backend and ref.info["backend"] == "numba"
    assert isinstance(tr.values, np.ndarray) and tr.values.dtype == np.float64
    np.testing.assert_array_equal(tr.t, ref.t)
    np.testing.assert_allclose(tr.values, ref.values, rtol=1e-10, atol=1e-300)
    assert np.all(np.isfinite(ref.values))
    for key in ("v_final", "w_final"):
        if key in ref.info:
            assert isinstance(tr.info[key], np.ndarray)
            np.testing.assert_allclose(tr.info[key], ref.info[key], rtol=1e-10, atol=1e-300)
    return tr


def _cases():
    """(id, method, keywords): every converted method and its branches."""
    return [
        ("gd-loss-small", lc.logistic_gd, {"step_size": 0.5, "metric": "loss"}),
        ("gd-loss-huge", lc.logistic_gd, {"step_size": 1e307, "metric": "loss"}),
        ("gd-misclassified", lc.logistic_gd, {"step_size": 50.0, "metric": "misclassified"}),
        ("gd-perceptron-loss", lc.logistic_gd, {"step_size": 1e8, "metric": "perceptron_loss"}),
        ("perceptron-half", lc.batch_perceptron, {"tie_weight": 0.5}),
        ("perceptron-zero", lc.batch_perceptron, {"tie_weight": 0.0, "metric": "loss"}),
        ("perceptron-one", lc.batch_perceptron, {"tie_weight": 1.0, "metric": "perceptron_loss"}),
        ("deviation-half", lc.perceptron_deviation, {"step_size": 1e3, "tie_weight": 0.5}),
        ("deviation-zero", lc.perceptron_deviation, {"step_size": 1e8, "tie_weight": 0.0}),
    ]


@pytest.mark.parametrize("backend", ARRAY_BACKENDS)
@pytest.mark.parametrize("case", _cases(), ids=[c[0] for c in _cases()])
def test_array_twin_matches_numba_kernel(case, backend):
    _, method, kw = case
    assert_backend_matches_numba(method, instance(), backend, n_iter=200, **kw)


@needs_cupy
@pytest.mark.parametrize("case", _cases(), ids=[c[0] for c in _cases()])
def test_cupy_twin_matches_numba_kernel(case):
    _, method, kw = case
    assert_backend_matches_numba(method, instance(), "cupy", n_iter=200, **kw)


@given(seed=st.integers(0, 2**32 - 1), log_step=st.floats(-1.0, 12.0),
       tie_weight=st.sampled_from([0.0, 0.5, 1.0]))
@FAST
def test_strict_twins_match_numba_over_seeds_steps_and_tie_weights(seed, log_step, tie_weight):
    inst = instance(seed, margin=0.05, n_samples=30, dim=4)
    assert_backend_matches_numba(lc.logistic_gd, inst, "array_api_strict",
                                 step_size=10.0**log_step, n_iter=60, metric="perceptron_loss")
    assert_backend_matches_numba(lc.perceptron_deviation, inst, "array_api_strict",
                                 step_size=10.0**log_step, tie_weight=tie_weight, n_iter=60)


@pytest.mark.parametrize("backend", ARRAY_BACKENDS)
def test_huge_step_follows_the_perceptron_on_array_backends(backend):
    tr = run(lc.perceptron_deviation, instance(0), backend, step_size=1e8, n_iter=30,
             tie_weight=0.5, n_checkpoints=100)
    assert tr.values[0, 0] == 0.0 and np.max(tr.values) < 1e-12


@pytest.mark.parametrize("method, kw", [
    (lc.logistic_gd, {"step_size": 1.0}),
    (lc.batch_perceptron, {}),
    (lc.perceptron_deviation, {"step_size": 1.0}),
])
def test_unknown_backend_raises_value_error_naming_the_allowed_ones(method, kw):
    with pytest.raises(ValueError, match="backend.*'numba'.*'array_api_strict'"):
        method(instance(), None, n_iter=5, backend="jax", **kw)


@pytest.mark.skipif(HAS_CUPY, reason="CuPy and a GPU are here")
def test_cupy_without_a_gpu_raises_backend_unavailable():
    with pytest.raises(problems.backend.BackendUnavailable, match="cupy"):
        lc.logistic_gd(instance(), None, step_size=1.0, n_iter=5, backend="cupy")


def test_every_method_accepts_every_backend():
    for method in METHODS:
        assert all(problems.backend.accepts(method, b) for b in problems.backend.BACKENDS)
