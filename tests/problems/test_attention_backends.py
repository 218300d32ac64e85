"""The array-API twins of problems.attention on every back end: normalized GD on W and on (K, Q)
and the LSA moments, on NumPy and array_api_strict (held to the 2023.12 standard) against the
Numba kernels, CuPy when a GPU is here; the stacked direction against one replica at a time; a
replica stopped by a non-finite gradient; and the back-end boundary checks."""
from __future__ import annotations

import contextlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import problems.backend
from problems import attention as at
from problems.attention import _kernels, _reference

FAST = settings(derandomize=True, database=None, deadline=None, max_examples=6)
ARRAY_BACKENDS = ["numpy", "array_api_strict"]
needs_cupy = pytest.mark.skipif(not problems.backend.available("cupy"), reason="needs CuPy and a CUDA GPU")


def tokens(seed=6):
    return at.token_selection(np.random.default_rng(seed), n_sequences=5, n_tokens=4, dim=6, design="random")


def regression(seed=1):
    return at.in_context_regression(np.random.default_rng(seed), dim=3, n_context=5, condition_number=4.0)


def strict_2023():
    """array_api_strict limited to the 2023.12 standard the twins are written against."""
    import array_api_strict

    return array_api_strict.ArrayAPIStrictFlags(api_version="2023.12")


def run(method, inst, backend, seed=3, **kw):
    with strict_2023() if backend == "array_api_strict" else contextlib.nullcontext():
        return method(inst, np.random.default_rng(seed), backend=backend, **kw)


def assert_backend_matches_numba(method, inst, backend, seed=3, rtol=1e-10, atol=1e-14, **kw):
    ref, tr = run(method, inst, "numba", seed, **kw), run(method, inst, backend, seed, **kw)
    assert tr.info["backend"] == backend and ref.info["backend"] == "numba"
    assert isinstance(tr.values, np.ndarray) and tr.values.dtype == np.float64
    np.testing.assert_array_equal(tr.t, ref.t)
    np.testing.assert_allclose(tr.values, ref.values, rtol=rtol, atol=atol)
    return ref, tr


GD_CASES = {  # blockwise normalization amplifies round-off (see test_attention): fewer steps
    "W": {"parameterization": "W", "n_iter": 150},
    "KQ-joint": {"parameterization": "KQ", "n_iter": 150},
    "KQ-blockwise": {"parameterization": "KQ", "normalization": "blockwise", "n_iter": 100},
}
LSA = {"n_prompts": 1500, "replicas": 2, "n_checkpoints": 6}


@pytest.mark.parametrize("backend", ARRAY_BACKENDS)
@pytest.mark.parametrize("case", GD_CASES)
def test_attention_gd_twin_matches_numba_kernel(case, backend):
    ref, tr = assert_backend_matches_numba(at.attention_gd, tokens(), backend, init_scale=0.3, replicas=2,
                                           metric="norm", **GD_CASES[case])
    assert np.all(np.isfinite(ref.values)) and ref.values[0, -1] > ref.values[0, 1]
    np.testing.assert_array_equal(tr.info["tokens"], ref.info["tokens"])


@pytest.mark.parametrize("backend", ARRAY_BACKENDS)
@pytest.mark.parametrize("metric", at.lsa.METRICS)
def test_lsa_twin_matches_numba_kernel(metric, backend):
    ref, tr = assert_backend_matches_numba(at.lsa_optimum, regression(), backend, metric=metric, **LSA)
    np.testing.assert_allclose(tr.info["Theta_hat"], ref.info["Theta_hat"], rtol=1e-9, atol=1e-12)


@given(seed=st.integers(0, 2**32 - 1), step=st.sampled_from([0.05, 0.1, 0.3]),
       kind=st.sampled_from(["W", "KQ"]))
@FAST
def test_strict_twin_matches_numba_over_seeds_and_steps(seed, step, kind):
    inst = at.token_selection(np.random.default_rng(seed), n_sequences=4, n_tokens=3, dim=5)
    assert_backend_matches_numba(at.attention_gd, inst, "array_api_strict", seed=seed, n_iter=60, step_size=step,
                                 parameterization=kind, init_scale=0.3, replicas=2, metric="norm", n_checkpoints=8)


def test_stacked_direction_is_the_kernel_direction_of_each_replica():
    inst = tokens()
    X, Z, values, labels = (np.ascontiguousarray(inst.data[k]) for k in ("X", "Z", "values", "labels"))
    W_mm, _ = at.max_margin_attention(inst)
    W = np.stack([np.random.default_rng(0).standard_normal((6, 6)), 2.0 * W_mm, 4000.0 * W_mm])
    xp = problems.backend.namespace("numpy")
    with np.errstate(divide="ignore", under="ignore"):  # the methods' context: log(0) is -inf, by design
        G, top = _reference._directions(xp, X, Z, values, labels, W, _reference._constants(xp))
        singles = [np.empty((6, 6)) for _ in range(3)]
        tops = [_reference._direction(X, Z, values, labels, W[r], singles[r]) for r in range(3)]
    assert G.shape == W.shape and top.shape == (3,) and top[2] < -700  # the third underflows unscaled
    assert np.all(np.isfinite(G)) and np.linalg.norm(G[2]) > 0
    for r, (G_r, top_r) in enumerate(zip(singles, tops)):
        G_k = np.empty((6, 6))
        top_k = _kernels._direction(X, Z, values, labels, np.ascontiguousarray(W[r]), G_k)
        for other in (G_r, G_k):
            np.testing.assert_allclose(G[r], other, rtol=1e-10, atol=1e-13 * np.abs(other).max())
        assert top[r] == pytest.approx(float(top_r), rel=1e-13) and top[r] == pytest.approx(top_k, rel=1e-10)


@pytest.mark.filterwarnings("ignore:overflow encountered")  # the host metrics of the huge iterates
@pytest.mark.parametrize("backend", ARRAY_BACKENDS)
@pytest.mark.parametrize("kind", ["W", "KQ"])
def test_a_replica_stopped_by_a_nonfinite_gradient_matches_the_kernel(kind, backend):
    # a step of 1e305 overflows the scores at once; the (K, Q) runs then meet a non-finite gradient
    ref, tr = assert_backend_matches_numba(at.attention_gd, tokens(), backend, n_iter=30, step_size=1e305,
                                           parameterization=kind, init_scale=0.3, replicas=2, metric="norm",
                                           n_checkpoints=8)
    assert not np.all(np.isfinite(ref.values))
    assert tr.info["first_nonfinite"] == ref.info["first_nonfinite"]


@needs_cupy
@pytest.mark.parametrize("case", GD_CASES)
def test_cupy_twin_matches_numba_kernel(case):
    assert_backend_matches_numba(at.attention_gd, tokens(), "cupy", init_scale=0.3, replicas=2, metric="norm",
                                 **GD_CASES[case])
    assert_backend_matches_numba(at.lsa_optimum, regression(), "cupy", metric="gamma_error", **LSA)


@pytest.mark.parametrize("call", [
    lambda be: at.attention_gd(tokens(), np.random.default_rng(0), n_iter=5, backend=be),
    lambda be: at.lsa_optimum(regression(), np.random.default_rng(0), n_prompts=40, backend=be),
], ids=["attention_gd", "lsa_optimum"])
def test_unknown_backend_raises_value_error_naming_the_allowed_ones(call):
    with pytest.raises(ValueError, match="backend.*'numba'.*'array_api_strict'"):
        call("jax")
    if not problems.backend.available("cupy"):
        with pytest.raises(problems.backend.BackendUnavailable, match="cupy"):
            call("cupy")


def test_every_converted_method_accepts_every_backend():
    for method in (at.attention_gd, at.lsa_optimum):
        assert all(problems.backend.accepts(method, b) for b in problems.backend.BACKENDS)
