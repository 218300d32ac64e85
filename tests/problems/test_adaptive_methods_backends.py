"""The array-API twins of problems.adaptive_methods on every back end: the Adam family (Adam,
AMSGrad, diffGrad, AdaBelief with and without the max) and Lion on NumPy and array_api_strict
(held to the 2023.12 standard) against the Numba kernels, CuPy when a GPU is here; the state
kept across chunks on the device; NaN propagation through the twin on strict arrays; and the
back-end boundary checks."""
from __future__ import annotations

import contextlib
import functools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import problems.backend
from problems import adaptive_methods as am
from problems import types
from problems.adaptive_methods import _kernels, _reference

FAST = settings(derandomize=True, database=None, deadline=None, max_examples=8)
HAS_CUPY = problems.backend.available("cupy")
needs_cupy = pytest.mark.skipif(not HAS_CUPY, reason="needs CuPy and a CUDA GPU")
ARRAY_BACKENDS = ["numpy", "array_api_strict"]
rng = np.random.default_rng
OPTIMIZERS = [("adam", am.adam, {}), ("amsgrad", am.amsgrad, {}), ("diffgrad", am.diffgrad, {}),
              ("adabelief", am.adabelief, {}), ("adabelief-max", am.adabelief, {"max_belief": True})]
ADAPTIVE = dict(step_size=0.3, beta1=0.6, beta1_decay=0.99, beta2=0.9, replicas=3, n_checkpoints=12)


def strict_2023():
    """array_api_strict limited to the 2023.12 standard the twins are written against."""
    import array_api_strict

    return array_api_strict.ArrayAPIStrictFlags(api_version="2023.12")


def run(method, inst, backend, seed=11, **kw):
    with strict_2023() if backend == "array_api_strict" else contextlib.nullcontext():
        return method(inst, rng(seed), backend=backend, **kw)


def sequence(stochastic, seed=0, horizon=400):
    if stochastic:
        return am.reddi_stochastic(rng(seed), big_gradient=8.0, margin=0.2, horizon=horizon)
    return am.reddi_periodic(rng(seed), big_gradient=4.0, period=4, horizon=horizon)


@functools.lru_cache(maxsize=None)  # each instance is a CVXPY solve; the methods only read it
def box(loss, seed=2):
    if loss == "logistic":
        return am.box_constrained(rng(seed), loss="logistic", dim=5, weight_decay=2.0, n_samples=60,
                                  signal=4.0)
    return am.box_constrained(rng(seed), loss="quadratic", dim=6, weight_decay=2.0)


def assert_adaptive_matches_numba(method, inst, backend, seed=11, **kw):
    ref, tr = run(method, inst, "numba", seed, **kw), run(method, inst, backend, seed, **kw)
    assert tr.info["backend"] == backend and ref.info["backend"] == "numba"
    assert isinstance(tr.values, np.ndarray) and tr.values.dtype == np.float64
    assert np.all(np.isfinite(ref.values))
    np.testing.assert_array_equal(tr.t, ref.t)
    np.testing.assert_allclose(tr.values, ref.values, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(tr.info["iterate"], ref.info["iterate"], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(tr.info["x_final"], ref.info["x_final"], rtol=1e-10, atol=1e-12)
    np.testing.assert_array_equal(tr.info["denominator_decreases"], ref.info["denominator_decreases"])
    np.testing.assert_allclose(tr.info["denominator_min"], ref.info["denominator_min"], rtol=1e-10)
    for key in ("x_final", "denominator_decreases", "denominator_min"):
        assert isinstance(tr.info[key], np.ndarray)


def assert_lion_matches_numba(inst, backend, **kw):
    ref, tr = run(am.lion, inst, "numba", 5, **kw), run(am.lion, inst, backend, 5, **kw)
    assert tr.info["backend"] == backend
    assert isinstance(tr.values, np.ndarray) and tr.values.dtype == np.float64
    assert np.all(np.isfinite(ref.values))
    np.testing.assert_allclose(tr.values, ref.values, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(tr.info["x_final"], ref.info["x_final"], rtol=1e-10, atol=1e-14)
    np.testing.assert_array_equal(tr.info["entry_step"], ref.info["entry_step"])
    np.testing.assert_array_equal(tr.info["x0"], ref.info["x0"])  # the same host draw


# ---------------------------------------------------------------- Adam family

@pytest.mark.parametrize("backend", ARRAY_BACKENDS)
@pytest.mark.parametrize("stochastic", [False, True], ids=["periodic", "stochastic"])
@pytest.mark.parametrize("name, method, extra", OPTIMIZERS, ids=[o[0] for o in OPTIMIZERS])
def test_adaptive_twin_matches_numba_kernel(name, method, extra, stochastic, backend):
    assert_adaptive_matches_numba(method, sequence(stochastic), backend, bias_correction=stochastic,
                                  **ADAPTIVE, **extra)


@pytest.mark.parametrize("metric", ["average_regret", "iterate", "distance"])
def test_adaptive_strict_twin_matches_numba_on_every_metric(metric):
    assert_adaptive_matches_numba(am.diffgrad, sequence(True, seed=4), "array_api_strict",
                                  **{**ADAPTIVE, "metric": metric})


@FAST
@given(seed=st.integers(0, 2**32 - 1), code=st.sampled_from(range(len(OPTIMIZERS))),
       step=st.sampled_from([0.05, 0.5, 2.0]), b1=st.floats(0.0, 0.95), b2=st.floats(0.0, 0.999))
def test_adaptive_strict_twin_matches_numba_over_seeds_and_settings(seed, code, step, b1, b2):
    _, method, extra = OPTIMIZERS[code]
    inst = sequence(seed % 2 == 1, seed=seed, horizon=200)
    assert_adaptive_matches_numba(method, inst, "array_api_strict", seed=seed, step_size=step, beta1=b1,
                                  beta2=b2, replicas=2, n_checkpoints=8, **extra)


@pytest.mark.parametrize("backend", ARRAY_BACKENDS)
def test_adaptive_state_carries_over_chunks_on_the_device(backend, monkeypatch):
    inst = sequence(True, seed=1, horizon=500)
    whole = run(am.amsgrad, inst, backend, **ADAPTIVE)
    monkeypatch.setattr(types, "CHUNK_NUMBERS", 7)  # chunks of 2 rounds for 3 replicas
    pieces = run(am.amsgrad, inst, backend, **ADAPTIVE)
    np.testing.assert_array_equal(pieces.values, whole.values)
    np.testing.assert_array_equal(pieces.info["denominator_min"], whole.info["denominator_min"])


def test_a_nan_gradient_propagates_unclipped_through_the_twin_on_strict_arrays():
    import array_api_strict as xp

    with strict_2023():
        move = lambda a: problems.backend.to_device(xp, np.asarray(a))  # noqa: E731
        state = [move([0.5])] + [move([0.0]) for _ in range(6)] + [move(np.zeros(1, dtype=np.int64)),
                                                                    move([np.inf])]
        outs = [np.zeros((1, 2)) for _ in range(3)]
        k = _reference._adaptive_chunk(_kernels.ADAM, 0.1, 0.0, 1.0, 0.5, 1e-8, False, -1.0, 1.0,
                                       move([[1.0, np.nan, 1.0]]), 0, np.array([0, 3]), 0, *state, *outs)
        x = problems.backend.to_numpy(state[0])
    assert k == 2 and np.isnan(x[0]) and np.isnan(outs[2][0, 1]) and outs[2][0, 0] == 0.5


# ---------------------------------------------------------------- Lion

LION_CASES = [("box_excess", "inf", "box"), ("box_excess", "2", "box"), ("distance", "inf", "l2_regularised"),
              ("distance_max", "inf", "box"), ("objective", "inf", "box")]


@pytest.mark.parametrize("backend", ARRAY_BACKENDS)
@pytest.mark.parametrize("loss", ["quadratic", "logistic"])
@pytest.mark.parametrize("metric, norm, reference", LION_CASES)
def test_lion_twin_matches_numba_kernel(metric, norm, reference, loss, backend):
    assert_lion_matches_numba(box(loss), backend, step_size=0.02, n_iter=300, replicas=2, start_scale=1.5,
                              metric=metric, norm=norm, reference=reference, n_checkpoints=15)


@FAST
@given(seed=st.integers(0, 2**32 - 1), eps_lambda=st.sampled_from([0.002, 0.05, 0.9]),
       scale=st.sampled_from([0.5, 3.0]), logistic=st.booleans())
def test_lion_strict_twin_matches_numba_over_seeds_and_steps(seed, eps_lambda, scale, logistic):
    inst = box("logistic" if logistic else "quadratic", seed=seed % 20)
    assert_lion_matches_numba(inst, "array_api_strict", step_size=eps_lambda / 2.0, n_iter=150, replicas=2,
                              start_scale=scale, metric="distance_max", n_checkpoints=10)


# ---------------------------------------------------------------- CuPy, and the boundary

@needs_cupy
@pytest.mark.parametrize("name, method, extra", OPTIMIZERS, ids=[o[0] for o in OPTIMIZERS])
def test_cupy_adaptive_twin_matches_numba_kernel(name, method, extra):
    assert_adaptive_matches_numba(method, sequence(True), "cupy", bias_correction=True, **ADAPTIVE, **extra)


@needs_cupy
@pytest.mark.parametrize("loss", ["quadratic", "logistic"])
@pytest.mark.parametrize("metric, norm, reference", LION_CASES)
def test_cupy_lion_twin_matches_numba_kernel(metric, norm, reference, loss):
    assert_lion_matches_numba(box(loss), "cupy", step_size=0.02, n_iter=300, replicas=2, start_scale=1.5,
                              metric=metric, norm=norm, reference=reference, n_checkpoints=15)


@pytest.mark.parametrize("method, inst", [(am.adam, sequence(False)), (am.amsgrad, sequence(False)),
                                          (am.diffgrad, sequence(False)), (am.adabelief, sequence(False)),
                                          (am.lion, box("quadratic"))])
def test_unknown_backend_raises_value_error_naming_the_allowed_ones(method, inst):
    with pytest.raises(ValueError, match="backend.*'numba'.*'numpy'.*'cupy'.*'array_api_strict'"):
        method(inst, rng(0), backend="jax")


@pytest.mark.skipif(HAS_CUPY, reason="CuPy and a GPU are here")
def test_cupy_without_a_gpu_raises_backend_unavailable():
    with pytest.raises(problems.backend.BackendUnavailable, match="cupy"):
        am.adam(sequence(False), rng(0), backend="cupy")
    with pytest.raises(problems.backend.BackendUnavailable, match="cupy"):
        am.lion(box("quadratic"), rng(0), n_iter=5, backend="cupy")


def test_every_converted_method_accepts_every_backend():
    for method in (am.adam, am.amsgrad, am.diffgrad, am.adabelief, am.lion):
        assert all(problems.backend.accepts(method, b) for b in problems.backend.BACKENDS)
