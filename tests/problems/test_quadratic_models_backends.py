"""The array-API twin of problems.quadratic_models.quadratic_gd on every back end: NumPy and
array_api_strict (held to the 2023.12 standard) against the Numba kernel for every metric, CuPy when
a GPU is here, divergence, and the back-end boundary checks."""
from __future__ import annotations

import contextlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import problems.backend
from problems import quadratic_models as qm

FAST = settings(derandomize=True, database=None, deadline=None, max_examples=8)
HAS_CUPY = problems.backend.available("cupy")
needs_cupy = pytest.mark.skipif(not HAS_CUPY, reason="needs CuPy and a CUDA GPU")
ARRAY_BACKENDS = ["numpy", "array_api_strict"]
METRICS = ["ntk_sharpness", "ntk_eigenvalue", "loss", "hessian_sharpness"]


def model(seed=1, **kw):
    kw = {"n_outputs": 3, "n_params": 15, "coupling": 0.5, "target_scale": 0.5, **kw}
    return qm.quadratic_model(np.random.default_rng(seed), **kw)


def strict_2023():
    """array_api_strict limited to the 2023.12 standard the twin is written against."""
    import array_api_strict

    return array_api_strict.ArrayAPIStrictFlags(api_version="2023.12")


def run(inst, backend, **kw):
    with strict_2023() if backend == "array_api_strict" else contextlib.nullcontext():
        return qm.quadratic_gd(inst, None, backend=backend, **kw)


def assert_backend_matches_numba(inst, backend, **kw):
    ref, tr = run(inst, "numba", **kw), run(inst, backend, **kw)
    assert tr.info["backend"] == backend and ref.info["backend"] == "numba"
    assert isinstance(tr.values, np.ndarray) and tr.values.dtype == np.float64
    assert isinstance(tr.info["theta_final"], np.ndarray)
    np.testing.assert_array_equal(tr.t, ref.t)
    atol = 1e-13 if kw.get("metric") == "loss" else 0.0  # the loss falls to round-off
    np.testing.assert_allclose(tr.values, ref.values, rtol=1e-10, atol=atol)
    np.testing.assert_allclose(tr.info["theta_final"], ref.info["theta_final"], rtol=1e-10, atol=1e-13)
    return ref, tr


@pytest.mark.parametrize("backend", ARRAY_BACKENDS)
@pytest.mark.parametrize("metric", METRICS)
@pytest.mark.parametrize("n, rho", [(1, 0.3), (3, 0.8)])
def test_array_twin_matches_numba_kernel(backend, metric, n, rho):
    ref, _ = assert_backend_matches_numba(model(n_outputs=n, step_size_ratio=rho), backend, n_iter=300,
                                          metric=metric)
    assert np.all(np.isfinite(ref.values))


@needs_cupy
@pytest.mark.parametrize("metric", METRICS)
def test_cupy_twin_matches_numba_kernel(metric):
    assert_backend_matches_numba(model(), "cupy", n_iter=300, metric=metric)


@given(seed=st.integers(0, 2**32 - 1), rho=st.sampled_from([0.2, 0.5, 0.9]),
       metric=st.sampled_from(METRICS))
@FAST
def test_strict_twin_matches_numba_over_seeds_and_steps(seed, rho, metric):
    inst = qm.quadratic_model(np.random.default_rng(seed), n_outputs=2, n_params=10, coupling=0.3,
                              target_scale=0.5, step_size_ratio=rho)
    assert_backend_matches_numba(inst, "array_api_strict", n_iter=150, metric=metric, n_checkpoints=12)


@pytest.mark.parametrize("backend", ARRAY_BACKENDS + [pytest.param("cupy", marks=needs_cupy)])
def test_divergence_gives_nonfinite_values_where_numba_does(backend):
    inst = model(0)
    kw = {"step_size": 8 * inst.constants["step_size"], "n_iter": 500, "metric": "loss"}
    ref, tr = run(inst, "numba", **kw), run(inst, backend, **kw)
    finite = np.isfinite(tr.values[0])
    assert finite[0] and not finite.all()
    assert tr.info["first_nonfinite"] == ref.info["first_nonfinite"] == tr.t[np.argmin(finite)]
    for metric in ("ntk_sharpness", "hessian_sharpness"):  # a non-finite matrix reads NaN, not an error
        assert np.isnan(run(inst, backend, **{**kw, "metric": metric}).values[0, -1])


def test_unknown_backend_raises_value_error_naming_the_allowed_ones():
    with pytest.raises(ValueError, match="backend.*'numba'.*'array_api_strict'"):
        qm.quadratic_gd(model(), None, n_iter=5, backend="jax")


@pytest.mark.skipif(HAS_CUPY, reason="CuPy and a GPU are here")
def test_cupy_without_a_gpu_raises_backend_unavailable():
    with pytest.raises(problems.backend.BackendUnavailable, match="cupy"):
        qm.quadratic_gd(model(), None, n_iter=5, backend="cupy")


def test_quadratic_gd_accepts_every_backend():
    assert all(problems.backend.accepts(qm.quadratic_gd, b) for b in problems.backend.BACKENDS)
