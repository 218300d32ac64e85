"""The array-API twins of problems.wide_networks on every back end: the empirical NTK, the hidden
layer behind the output kurtosis and the linear student's gradient descent on NumPy and
array_api_strict (held to the 2023.12 standard) against the Numba kernels, CuPy when a GPU is here,
divergence, and the back-end boundary checks."""
from __future__ import annotations

import contextlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import problems.backend
from problems import wide_networks as wn

FAST = settings(derandomize=True, database=None, deadline=None, max_examples=8)
HAS_CUPY = problems.backend.available("cupy")
needs_cupy = pytest.mark.skipif(not HAS_CUPY, reason="needs CuPy and a CUDA GPU")
ARRAY_BACKENDS = ["numpy", "array_api_strict"]


def points(seed=0, **kw):
    return wn.sphere_points(np.random.default_rng(seed), **{"n_points": 5, "input_dim": 4, **kw})


def student(seed=0, **kw):
    return wn.linear_teacher_student(np.random.default_rng(seed), **{"n_params": 20, "n_samples": 12, **kw})


def strict_2023():
    """array_api_strict limited to the 2023.12 standard the twins are written against."""
    import array_api_strict

    return array_api_strict.ArrayAPIStrictFlags(api_version="2023.12")


def run(method, inst, backend, seed=3, **kw):
    with strict_2023() if backend == "array_api_strict" else contextlib.nullcontext():
        return method(inst, np.random.default_rng(seed), backend=backend, **kw)


def assert_backend_matches_numba(method, inst, backend, rtol=1e-10, atol=0.0, seed=3, **kw):
    ref, tr = run(method, inst, "numba", seed, **kw), run(method, inst, backend, seed, **kw)
    assert tr.info["backend"] == backend and ref.info["backend"] == "numba"
    assert isinstance(tr.values, np.ndarray) and tr.values.dtype == np.float64
    np.testing.assert_array_equal(tr.t, ref.t)
    np.testing.assert_allclose(tr.values, ref.values, rtol=rtol, atol=atol)
    for key in ("standard_error", "w0"):
        if key in ref.info:
            np.testing.assert_allclose(tr.info[key], ref.info[key], rtol=1e-8, atol=0)
    return ref, tr


def _cases():
    """(id, method, instance maker, keywords, atol): every converted method and its branches."""
    ntk = {"width": 60, "replicas": 3, "n_checkpoints": 6}
    kurt = {"width": 20, "networks": 200, "replicas": 2, "n_checkpoints": 5}
    gd = {"n_iter": 200, "replicas": 3, "n_checkpoints": 10}
    return [
        ("ntk-relu", wn.empirical_ntk, points, ntk, 0.0),
        ("ntk-relative", wn.empirical_ntk, points, {**ntk, "metric": "relative_deviation"}, 0.0),
        ("ntk-entry-linear", wn.empirical_ntk, lambda: points(activation="linear"),
         {**ntk, "metric": "entry_deviation"}, 0.0),
        ("kurtosis-conditional", wn.output_kurtosis, points, kurt, 0.0),
        ("kurtosis-sample-linear", wn.output_kurtosis, lambda: points(1, activation="linear"),
         {**kurt, "estimator": "sample", "point": 2}, 0.0),
        ("student-test", wn.student_gradient_descent, student, gd, 1e-13),
        ("student-train", wn.student_gradient_descent, student, {**gd, "metric": "train_error"}, 1e-13),
        ("student-init-excess", wn.student_gradient_descent, lambda: student(n_samples=8),
         {**gd, "metric": "init_excess", "n_samples": 6}, 1e-13),
    ]


@pytest.mark.parametrize("backend", ARRAY_BACKENDS)
@pytest.mark.parametrize("case", _cases(), ids=[c[0] for c in _cases()])
def test_array_twin_matches_numba_kernel(case, backend):
    _, method, maker, kw, atol = case
    ref, _ = assert_backend_matches_numba(method, maker(), backend, atol=atol, **kw)
    assert np.all(np.isfinite(ref.values))


@needs_cupy
@pytest.mark.parametrize("case", _cases(), ids=[c[0] for c in _cases()])
def test_cupy_twin_matches_numba_kernel(case):
    _, method, maker, kw, atol = case
    assert_backend_matches_numba(method, maker(), "cupy", atol=atol, **kw)


@given(seed=st.integers(0, 2**32 - 1), factor=st.sampled_from([0.5, 1.0, 1.9]),
       width=st.integers(1, 40))
@FAST
def test_strict_twins_match_numba_over_seeds_widths_and_steps(seed, factor, width):
    inst = student(seed % 1000, n_params=15, n_samples=10)
    assert_backend_matches_numba(wn.student_gradient_descent, inst, "array_api_strict", seed=seed, atol=1e-13,
                                 n_iter=100, replicas=2, step_size=factor / inst.constants["lambda_max"])
    assert_backend_matches_numba(wn.empirical_ntk, points(seed % 1000), "array_api_strict", seed=seed,
                                 width=width, replicas=2, n_checkpoints=4)


@pytest.mark.parametrize("backend", ARRAY_BACKENDS + [pytest.param("cupy", marks=needs_cupy)])
def test_divergent_student_gives_inf_from_the_same_checkpoint_as_numba(backend):
    inst = student(0)
    kw = {"n_iter": 3000, "step_size": 5.0 / inst.constants["lambda_max"], "replicas": 2}
    ref, tr = run(wn.student_gradient_descent, inst, "numba", **kw), run(wn.student_gradient_descent, inst,
                                                                         backend, **kw)
    assert tr.info["first_nonfinite"] is not None and tr.values[0, -1] == np.inf
    assert tr.info["first_nonfinite"] == ref.info["first_nonfinite"]
    finite = np.isfinite(ref.values)
    np.testing.assert_array_equal(np.isfinite(tr.values), finite)
    np.testing.assert_allclose(tr.values[finite], ref.values[finite], rtol=1e-10)


@pytest.mark.parametrize("method, inst, kw", [
    (wn.empirical_ntk, points, {"width": 4}),
    (wn.output_kurtosis, points, {"width": 4}),
    (wn.student_gradient_descent, student, {"n_iter": 5}),
])
def test_unknown_backend_raises_value_error_naming_the_allowed_ones(method, inst, kw):
    with pytest.raises(ValueError, match="backend.*'numba'.*'array_api_strict'"):
        method(inst(), np.random.default_rng(0), backend="jax", **kw)


@pytest.mark.skipif(HAS_CUPY, reason="CuPy and a GPU are here")
def test_cupy_without_a_gpu_raises_backend_unavailable():
    with pytest.raises(problems.backend.BackendUnavailable, match="cupy"):
        wn.empirical_ntk(points(), np.random.default_rng(0), width=4, backend="cupy")


def test_every_converted_method_accepts_every_backend():
    for method in (wn.empirical_ntk, wn.output_kurtosis, wn.student_gradient_descent):
        assert all(problems.backend.accepts(method, b) for b in problems.backend.BACKENDS)
