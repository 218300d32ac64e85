"""The array-API twins of problems.monotone_inclusion on every back end: NumPy and
array_api_strict (held to the 2023.12 standard) against the Numba kernels, CuPy when a GPU is
here, divergence, and the back-end boundary checks."""
from __future__ import annotations

import contextlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import problems.backend
from problems import monotone_inclusion as mi

FAST = settings(derandomize=True, database=None, deadline=None, max_examples=8)
HAS_CUPY = problems.backend.available("cupy")
needs_cupy = pytest.mark.skipif(not HAS_CUPY, reason="needs CuPy and a CUDA GPU")
ARRAY_BACKENDS = ["numpy", "array_api_strict"]


def coco(seed=6, **kw):
    return mi.cocoercive_linear(np.random.default_rng(seed), **{"dim": 6, "n_components": 16, **kw})


def mono(seed=6):
    return mi.monotone_linear(np.random.default_rng(seed), dim=6, n_components=9)


def identity(seed=0):
    return mi.scaled_identity(np.random.default_rng(seed), dim=5, lipschitz=2.0)


def strict_2023():
    """array_api_strict limited to the 2023.12 standard the twins are written against."""
    import array_api_strict

    return array_api_strict.ArrayAPIStrictFlags(api_version="2023.12")


def run(method, inst, backend, seed=3, **kw):
    with strict_2023() if backend == "array_api_strict" else contextlib.nullcontext():
        return method(inst, np.random.default_rng(seed), backend=backend, **kw)


def assert_backend_matches_numba(method, inst, backend, rtol=1e-10, **kw):
    ref, tr = run(method, inst, "numba", **kw), run(method, inst, backend, **kw)
    assert tr.info["backend"] == backend and ref.info["backend"] == "numba"
    assert isinstance(tr.values, np.ndarray) and tr.values.dtype == np.float64
    np.testing.assert_array_equal(tr.t, ref.t)
    np.testing.assert_allclose(tr.values, ref.values, rtol=rtol, atol=0)
    np.testing.assert_array_equal(tr.info["oracle_calls"], ref.info["oracle_calls"])
    for key in ("reach_iteration", "reach_oracle_calls"):
        if key in ref.info:
            np.testing.assert_array_equal(tr.info[key], ref.info[key])
    return ref, tr


def _cases():
    """(id, method, instance maker, keywords): every converted method and its branches."""
    vr = {"n_iter": 300, "replicas": 3}
    return [
        ("halpern", mi.halpern, coco, {"n_iter": 300, "tol": 1e-3}),
        ("halpern-ratio", mi.halpern, coco, {"n_iter": 300, "metric": "residual_ratio",
                                             "step": "conservative"}),
        ("halpern-even", mi.halpern, identity, {"n_iter": 50, "metric": "residual_even"}),
        ("eag", mi.halpern_extragradient, mono, {"n_iter": 300, "tol": 1e-2}),
        ("eag-distance", mi.halpern_extragradient, mono, {"n_iter": 300, "metric": "distance"}),
        ("vr", mi.vr_halpern, coco, {**vr, "tol": 1e-3}),
        ("vr-ratio", mi.vr_halpern, coco, {**vr, "metric": "residual_ratio", "batch_size": 2}),
        ("vr-distance", mi.vr_halpern, coco, {**vr, "metric": "distance", "prob": 0.05}),
    ]


@pytest.mark.parametrize("backend", ARRAY_BACKENDS)
@pytest.mark.parametrize("case", _cases(), ids=[c[0] for c in _cases()])
def test_array_twin_matches_numba_kernel(case, backend):
    _, method, maker, kw = case
    ref, _ = assert_backend_matches_numba(method, maker(), backend, **kw)
    assert np.all(np.isfinite(ref.values))


@needs_cupy
@pytest.mark.parametrize("case", _cases(), ids=[c[0] for c in _cases()])
def test_cupy_twin_matches_numba_kernel(case):
    _, method, maker, kw = case
    assert_backend_matches_numba(method, maker(), "cupy", **kw)


@given(seed=st.integers(0, 2**32 - 1), factor=st.sampled_from([0.5, 1.0, 2.0]),
       batch=st.integers(1, 5))
@FAST
def test_strict_vr_halpern_matches_numba_over_seeds_steps_and_batches(seed, factor, batch):
    inst = coco(seed % 1000)
    assert_backend_matches_numba(mi.vr_halpern, inst, "array_api_strict", seed=seed,
                                 n_iter=120, replicas=2, batch_size=batch, tol=1e-2,
                                 step_size=factor / inst.constants["L"])


@pytest.mark.parametrize("backend", ARRAY_BACKENDS + [pytest.param("cupy", marks=needs_cupy)])
def test_divergence_gives_inf_values_and_minus_one_calls_on_array_backends(backend):
    ref, tr = assert_backend_matches_numba(mi.vr_halpern, coco(seed=0), backend, seed=0,
                                           n_iter=3000, step_size=50.0, replicas=2)
    assert tr.info["first_nonfinite"] is not None and np.all(tr.values[:, -1] == np.inf)
    assert np.all(tr.info["oracle_calls"][:, -1] == -1)


@pytest.mark.parametrize("method", [mi.halpern, mi.halpern_extragradient, mi.vr_halpern])
def test_unknown_backend_raises_value_error_naming_the_allowed_ones(method):
    with pytest.raises(ValueError, match="backend.*'numba'.*'array_api_strict'"):
        method(coco(), np.random.default_rng(0), n_iter=5, backend="jax")


@pytest.mark.skipif(HAS_CUPY, reason="CuPy and a GPU are here")
def test_cupy_without_a_gpu_raises_backend_unavailable():
    with pytest.raises(problems.backend.BackendUnavailable, match="cupy"):
        mi.vr_halpern(coco(), np.random.default_rng(0), n_iter=5, backend="cupy")


def test_every_method_accepts_every_backend():
    for method in (mi.halpern, mi.halpern_extragradient, mi.vr_halpern):
        assert all(problems.backend.accepts(method, b) for b in problems.backend.BACKENDS)
