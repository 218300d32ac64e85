"""The array-API twins of problems.online_learning on every back end: NumPy and array_api_strict
(held to the 2023.12 standard) against the Numba kernels, CuPy when a GPU is here, the batched
simplex QP against the kernel's, and the back-end boundary checks."""
from __future__ import annotations

import contextlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import problems.backend
from problems import online_learning as ol
from problems.online_learning import _kernels, _reference

FAST = settings(derandomize=True, database=None, deadline=None, max_examples=8)
HAS_CUPY = problems.backend.available("cupy")
needs_cupy = pytest.mark.skipif(not HAS_CUPY, reason="needs CuPy and a CUDA GPU")
ARRAY_BACKENDS = ["numpy", "array_api_strict"]


def rng(seed):
    return np.random.default_rng(seed)


def strict_2023():
    """array_api_strict limited to the 2023.12 standard the twins are written against."""
    import array_api_strict

    return array_api_strict.ArrayAPIStrictFlags(api_version="2023.12")


def _cases():
    """(id, call(backend)): every method that takes a backend, and its branches."""
    lin = ol.linear_sea(rng(0), dim=4, horizon=200, sigma=0.8, regime="switching")
    simp = ol.linear_sea(rng(0), dim=4, horizon=200, sigma=0.8, regime="drifting",
                         domain="simplex")
    quad = ol.quadratic_sea(rng(1), dim=3, horizon=200, sigma=0.5, regime="switching")
    port = ol.portfolio_sea(rng(2), dim=4, horizon=80, sigma=0.3, regime="switching", spread=0.1)
    experts = ol.expert_losses(rng(3), n_experts=6, horizon=200)
    return [
        ("oomd-ball", lambda be: ol.optimistic_omd(lin, rng(5), replicas=3, backend=be)),
        ("ogd-inverse-sqrt", lambda be: ol.ogd(lin, rng(5), step_size="inverse_sqrt", replicas=3,
                                               backend=be)),
        ("ogd-constant", lambda be: ol.ogd(simp, rng(5), step_size=0.05, replicas=2, backend=be)),
        ("oomd-simplex", lambda be: ol.optimistic_omd(simp, rng(5), replicas=3, backend=be)),
        ("oomd-entropic", lambda be: ol.optimistic_omd(simp, rng(5), mirror="entropic",
                                                       replicas=3, backend=be)),
        ("oomd-strong", lambda be: ol.optimistic_omd(quad, rng(5), step_size="strongly_convex",
                                                     replicas=3, backend=be)),
        ("oomd-log", lambda be: ol.optimistic_omd(port, rng(5), step_size=0.1, replicas=2,
                                                  backend=be)),
        ("hedge", lambda be: ol.hedge(experts, rng(5), metric="anchor_ratio", backend=be)),
        ("ons", lambda be: ol.online_newton_step(port, rng(5), replicas=2, backend=be)),
        ("ons-optimistic", lambda be: ol.online_newton_step(port, rng(5), optimistic=True,
                                                            gamma=0.5, epsilon=1.0, replicas=2,
                                                            backend=be)),
    ]


CASES = _cases()


def assert_backend_matches_numba(call, backend):
    with strict_2023() if backend == "array_api_strict" else contextlib.nullcontext():
        tr = call(backend)
    ref = call("numba")
    assert tr.info["backend"] == backend and ref.info["backend"] == "numba"
    assert isinstance(tr.values, np.ndarray) and tr.values.dtype == np.float64
    np.testing.assert_array_equal(tr.t, ref.t)
    np.testing.assert_allclose(tr.values, ref.values, rtol=1e-10, atol=1e-12)
    for key in ("regret", "hint_error_cumulative", "x_final", "step_size", "bound"):
        if key in ref.info:
            np.testing.assert_allclose(tr.info[key], ref.info[key], rtol=1e-10, atol=1e-12)
    if "qp_failures" in ref.info:
        np.testing.assert_array_equal(tr.info["qp_failures"], ref.info["qp_failures"])
    assert np.all(np.isfinite(ref.values))


@pytest.mark.parametrize("backend", ARRAY_BACKENDS)
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_array_twin_matches_numba_kernel(case, backend):
    assert_backend_matches_numba(case[1], backend)


@needs_cupy
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_cupy_twin_matches_numba_kernel(case):
    assert_backend_matches_numba(case[1], "cupy")


@given(seed=st.integers(0, 2**32 - 1), step=st.sampled_from([0.01, 0.1, 1.0]),
       domain=st.sampled_from(["ball", "simplex"]))
@FAST
def test_strict_ogd_matches_numba_over_seeds_and_steps(seed, step, domain):
    inst = ol.linear_sea(rng(seed), dim=3, horizon=60, sigma=0.5, regime="switching",
                         domain=domain)
    assert_backend_matches_numba(
        lambda be: ol.optimistic_omd(inst, rng(seed), step_size=step, replicas=2, backend=be),
        "array_api_strict")


@given(seed=st.integers(0, 2**32 - 1), d=st.integers(1, 7), log_scale=st.floats(-3, 3))
@FAST
def test_batched_simplex_qp_matches_the_kernel_row_by_row(seed, d, log_scale):
    import array_api_strict as xp

    g = rng(seed)
    W = g.standard_normal((3, d + 2, d))
    A = W.transpose(0, 2, 1) @ W + 0.05 * np.eye(d)
    b = 10**log_scale * g.standard_normal((3, d))
    start = np.full((3, d), 1.0 / d)
    with strict_2023():
        y, iterations = _reference._simplex_qp_rows(xp, xp.asarray(A), xp.asarray(b),
                                                    xp.asarray(start))
    y = problems.backend.to_numpy(y)
    for r in range(3):
        expected = start[r].copy()
        assert _kernels._simplex_qp(A[r], b[r], expected) == iterations[r] > 0
        np.testing.assert_allclose(y[r], expected, atol=1e-10)


@pytest.mark.parametrize("method", [ol.ogd, ol.optimistic_omd, ol.hedge, ol.online_newton_step])
def test_unknown_backend_raises_value_error_naming_the_allowed_ones(method):
    inst = ol.portfolio_sea(rng(2), dim=4, horizon=10, sigma=0.3, regime="switching", spread=0.1)
    with pytest.raises(ValueError, match="backend.*'numba'.*'array_api_strict'"):
        method(inst, rng(0), backend="jax")


@pytest.mark.skipif(HAS_CUPY, reason="CuPy and a GPU are here")
def test_cupy_without_a_gpu_raises_backend_unavailable():
    inst = ol.linear_sea(rng(0), dim=3, horizon=10, sigma=0.5, regime="switching")
    with pytest.raises(problems.backend.BackendUnavailable, match="cupy"):
        ol.ogd(inst, rng(0), backend="cupy")


def test_every_method_accepts_every_backend():
    for method in (ol.ogd, ol.optimistic_omd, ol.hedge, ol.online_newton_step):
        assert all(problems.backend.accepts(method, b) for b in problems.backend.BACKENDS)
