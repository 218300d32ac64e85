"""The array-API twins of problems.convex_relu on every back end: NumPy and array_api_strict (held to
the 2023.12 standard) against the Numba kernels for gradient training, ADMM, PGD adversarial training
and the exact robust margin, CuPy when a GPU is here, divergence, and the back-end boundary checks."""
from __future__ import annotations

import contextlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import problems.backend
from problems import convex_relu as cr
from problems.convex_relu.admm import run as admm_run
from problems.convex_relu.admm import system

FAST = settings(derandomize=True, database=None, deadline=None, max_examples=8)
HAS_CUPY = problems.backend.available("cupy")
needs_cupy = pytest.mark.skipif(not HAS_CUPY, reason="needs CuPy and a CUDA GPU")
ARRAY_BACKENDS = ["numpy", "array_api_strict", pytest.param("cupy", marks=needs_cupy)]
RTOL = 1e-10


def regression(seed=0, **kw):
    return cr.planted_relu_regression(np.random.default_rng(seed), **{"n_samples": 8, "beta": 0.1, **kw})


def classification(seed=0, **kw):
    return cr.relu_classification(np.random.default_rng(seed), **{"n_samples": 8, "margin": 0.05, **kw})


def strict(backend):
    """array_api_strict limited to the 2023.12 standard the twins are written against."""
    if backend != "array_api_strict":
        return contextlib.nullcontext()
    import array_api_strict

    return array_api_strict.ArrayAPIStrictFlags(api_version="2023.12")


def run(method, inst, backend, seed=11, **kw):
    with strict(backend):
        return method(inst, np.random.default_rng(seed), backend=backend, **kw)


def assert_backend_matches_numba(method, inst, backend, seed=11, **kw):
    ref, tr = run(method, inst, "numba", seed, **kw), run(method, inst, backend, seed, **kw)
    assert tr.info["backend"] == backend and ref.info["backend"] == "numba"
    assert isinstance(tr.values, np.ndarray) and tr.values.dtype == np.float64
    np.testing.assert_array_equal(tr.t, ref.t)
    np.testing.assert_allclose(tr.values, ref.values, rtol=RTOL, atol=0)
    return ref, tr


def _cases():
    """(id, method, instance maker, keywords): every converted method and its branches."""
    train = {"width": 4, "restarts": 3, "n_iter": 60, "n_checkpoints": 8}
    pgd = {"width": 3, "restarts": 2, "n_iter": 12, "attack_steps": 4, "n_checkpoints": 6}
    return [
        ("train-squared-adam", cr.nonconvex_training, regression, train),
        ("train-squared-gd", cr.nonconvex_training, regression, {**train, "optimizer": "gd", "step_size": 0.05}),
        ("train-hinge-adam", cr.nonconvex_training, classification, train),
        ("train-hinge-gd", cr.nonconvex_training, classification, {**train, "optimizer": "gd"}),
        ("admm-residual", cr.admm, lambda: regression(12, patterns="sampled", n_gates=30, n_patterns=5),
         {"penalty": 0.5, "n_iter": 80, "n_checkpoints": 10}),
        ("admm-objective-chunks", cr.admm, lambda: regression(13, patterns="sampled", n_gates=30, n_patterns=4),
         {"penalty": 0.3, "n_iter": 60, "metric": "objective", "grid": "linear", "n_checkpoints": 6,
          "timing_chunks": 3}),
        ("pgd-adam", cr.adversarial_training, lambda: classification(10, epsilon=0.1), pgd),
        ("pgd-gd-best", cr.adversarial_training, lambda: classification(10, epsilon=0.1),
         {**pgd, "optimizer": "gd", "best": True, "metric": "robust_error"}),
    ]


@pytest.mark.parametrize("backend", ARRAY_BACKENDS)
@pytest.mark.parametrize("case", _cases(), ids=[c[0] for c in _cases()])
def test_array_twin_matches_numba_kernel(case, backend):
    _, method, maker, kw = case
    ref, tr = assert_backend_matches_numba(method, maker(), backend, **kw)
    assert np.all(np.isfinite(ref.values))
    if method is cr.adversarial_training:  # what PGD saw along the way, not only the final score
        np.testing.assert_allclose(tr.info["pgd_objective"], ref.info["pgd_objective"], rtol=RTOL, atol=0)


@pytest.mark.parametrize("backend", ARRAY_BACKENDS)
def test_admm_run_returns_the_numba_state_on_the_host(backend):
    inst = regression(12, patterns="sampled", n_gates=30, n_patterns=5)
    sys = system(inst.data["X"], inst.data["y"], inst.data["patterns"], 0.1, 0.5)
    record = np.array([1, 2, 10, 30], dtype=np.int64)
    ref_outs, ref_state, _ = admm_run(sys, 30, record, backend="numba")
    with strict(backend):
        outs, state, seconds = admm_run(sys, 30, record, backend=backend, chunks=2)
    assert seconds.shape == (2,) and np.all(seconds > 0)
    for a, b in zip(ref_outs + ref_state, outs + state):
        assert isinstance(b, np.ndarray)
        np.testing.assert_allclose(b, a, rtol=RTOL, atol=1e-13)


@pytest.mark.parametrize("backend", ARRAY_BACKENDS)
@pytest.mark.parametrize("width", [1, 6])
def test_robust_margin_twin_matches_numba_kernel(backend, width):
    inst = classification(seed=11, n_samples=12)
    X, y = inst.data["X"], inst.data["y"]
    rng = np.random.default_rng(4)
    U, A = rng.standard_normal((width, 3)), rng.standard_normal(width)
    U[0, 1] = 0.0  # a line parallel to an edge: its crossings with those edges are not candidates
    exact = cr.robust_margins(X, y, U, A, 0.2)
    with strict(backend):
        twin = cr.robust_margins(X, y, U, A, 0.2, backend=backend)
    np.testing.assert_allclose(twin, exact, rtol=RTOL, atol=1e-14)


@pytest.mark.parametrize("backend", ["numpy", "array_api_strict"])
def test_convex_adversarial_training_scores_its_network_on_the_backend(backend):
    inst = classification(seed=2, epsilon=0.05)
    ref = cr.convex_adversarial_training(inst, np.random.default_rng(0), metric="robust_hinge")
    tr = run(cr.convex_adversarial_training, inst, backend, metric="robust_hinge")
    assert tr.info["backend"] == backend and ref.info["solver_status"] == "optimal"
    np.testing.assert_allclose(tr.values, ref.values, rtol=1e-8, atol=1e-12)  # two solves of one program
    assert tr.info["value_check"] <= 1e-5


@given(seed=st.integers(0, 2**32 - 1), step=st.sampled_from([1e-3, 1e-2, 5e-2]),
       optimizer=st.sampled_from(["gd", "adam"]))
@FAST
def test_strict_training_twin_matches_numba_over_seeds_and_steps(seed, step, optimizer):
    inst = regression(seed % 1000, n_samples=6)
    assert_backend_matches_numba(cr.nonconvex_training, inst, "array_api_strict", seed=seed, width=3, restarts=2,
                                 n_iter=30, step_size=step, final_step_size=step / 10, optimizer=optimizer,
                                 n_checkpoints=5)


@pytest.mark.parametrize("backend", ["numpy", "array_api_strict"])
@pytest.mark.parametrize("init_scale", [1e50, 1e78])  # two of four restarts overflow after a step; all at once
def test_divergent_restarts_read_inf_from_where_they_diverged(backend, init_scale):
    kw = {"width": 4, "restarts": 4, "n_iter": 200, "optimizer": "gd", "step_size": 1e-3, "final_step_size": 1e-3,
          "init_scale": init_scale, "n_checkpoints": 12}
    ref, tr = (run(cr.nonconvex_training, regression(3), b, **kw) for b in ("numba", backend))
    finite = np.isfinite(ref.values)
    assert not finite.all() and np.all(np.isinf(ref.values[~finite]))
    np.testing.assert_array_equal(tr.values[~finite], ref.values[~finite])
    np.testing.assert_allclose(tr.values[finite], ref.values[finite], rtol=RTOL)
    assert tr.info["first_nonfinite"] == ref.info["first_nonfinite"]


@pytest.mark.parametrize("call", [
    lambda b: cr.nonconvex_training(regression(), np.random.default_rng(0), width=2, n_iter=5, backend=b),
    lambda b: cr.admm(regression(), np.random.default_rng(0), n_iter=5, backend=b),
    lambda b: cr.adversarial_training(classification(), np.random.default_rng(0), width=2, n_iter=5, backend=b),
    lambda b: cr.convex_adversarial_training(classification(), np.random.default_rng(0), backend=b),
    lambda b: cr.robust_margins(np.ones((2, 3)), np.ones(2), np.ones((2, 3)), np.ones(2), 0.1, backend=b),
], ids=["nonconvex_training", "admm", "adversarial_training", "convex_adversarial_training", "robust_margins"])
def test_unknown_backend_raises_value_error_naming_the_allowed_ones(call):
    with pytest.raises(ValueError, match="backend.*'numba'.*'array_api_strict'"):
        call("jax")


@pytest.mark.skipif(HAS_CUPY, reason="CuPy and a GPU are here")
def test_cupy_without_a_gpu_raises_backend_unavailable():
    with pytest.raises(problems.backend.BackendUnavailable, match="cupy"):
        cr.nonconvex_training(regression(), np.random.default_rng(0), width=2, n_iter=5, backend="cupy")


def test_every_converted_method_accepts_every_backend():
    for method in (cr.nonconvex_training, cr.admm, cr.adversarial_training, cr.convex_adversarial_training,
                   cr.robust_margins, cr.robust_scores):
        assert all(problems.backend.accepts(method, b) for b in problems.backend.BACKENDS)
