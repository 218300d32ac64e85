"""The array-API twins of problems.least_squares on every back end: NumPy and array_api_strict
(held to the 2023.12 standard) against the Numba kernels, CuPy when a GPU is here,
``gradient_descent(operator="design")`` against ``operator="hessian"``, and the back-end
boundary checks."""
from __future__ import annotations

import contextlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import problems.backend
from problems import least_squares as ls
from problems.types import Instance

FAST = settings(derandomize=True, database=None, deadline=None, max_examples=8)
HAS_CUPY = problems.backend.available("cupy")
needs_cupy = pytest.mark.skipif(not HAS_CUPY, reason="needs CuPy and a CUDA GPU")
ARRAY_BACKENDS = ["numpy", "array_api_strict"]


def design(seed=0, **kw):
    kw = {"n_samples": 40, "dim": 6, "condition_number": 20.0, "noise": 0.2, **kw}
    return ls.gaussian_design(np.random.default_rng(seed), **kw)


def population(seed=2):
    return ls.gaussian_population(np.random.default_rng(seed), dim=6, noise=0.5)


def strict_2023():
    """array_api_strict limited to the 2023.12 standard the twins are written against."""
    import array_api_strict

    return array_api_strict.ArrayAPIStrictFlags(api_version="2023.12")


def run(method, inst, backend, **kw):
    with strict_2023() if backend == "array_api_strict" else contextlib.nullcontext():
        return method(inst, np.random.default_rng(11), backend=backend, **kw)


def assert_backend_matches_numba(method, inst, backend, rtol=1e-10, **kw):
    ref, tr = run(method, inst, "numba", **kw), run(method, inst, backend, **kw)
    assert tr.info["backend"] == backend and ref.info["backend"] == "numba"
    assert isinstance(tr.values, np.ndarray) and tr.values.dtype == np.float64
    np.testing.assert_array_equal(tr.t, ref.t)
    np.testing.assert_allclose(tr.values, ref.values, rtol=rtol, atol=0)
    assert np.all(np.isfinite(ref.values))
    return tr


def _cases():
    """(id, method, instance maker, keywords): every converted method and its branches."""
    sgd = {"step_size": 0.3, "batch_size": 3, "n_iter": 200, "replicas": 3, "ema_decay": 0.9}
    online = {"step_size": 0.2, "n_iter": 200, "replicas": 3, "ema_decay": 0.95}
    return [
        ("gd", ls.gradient_descent, design, {"n_iter": 300}),
        ("gd-distance", ls.gradient_descent, design, {"n_iter": 300, "metric": "distance"}),
        ("gd-design", ls.gradient_descent, design, {"n_iter": 300, "operator": "design"}),
        ("heavy_ball", ls.heavy_ball, design, {"n_iter": 300, "momentum": 0.7}),
        ("nesterov", ls.nesterov, design, {"n_iter": 300, "metric": "distance"}),
        ("nesterov-0.3", ls.nesterov, design, {"n_iter": 300, "momentum": 0.3}),
        ("sgd-subsets", ls.minibatch_sgd, design, {**sgd, "schedule": "inverse_sqrt",
                                                   "average": "uniform"}),
        ("sgd-replace", ls.minibatch_sgd, design, {**sgd, "schedule": "linear_decay",
                                                   "average": "ema", "metric": "distance",
                                                   "sampling": "with_replacement"}),
        ("sgd-full", ls.minibatch_sgd, design, {**sgd, "batch_size": 40}),
        ("online-last", ls.online_sgd, population, {**online, "batch_size": 1}),
        ("online-ema", ls.online_sgd, population, {**online, "batch_size": 3, "average": "ema"}),
        ("online-uniform", ls.online_sgd, population, {**online, "average": "uniform"}),
    ]


def _with_step(maker, kw):
    inst = maker()
    if "step_size" not in kw:
        kw = {**kw, "step_size": 1 / inst.constants["L"]}
    return inst, kw


@pytest.mark.parametrize("backend", ARRAY_BACKENDS)
@pytest.mark.parametrize("case", _cases(), ids=[c[0] for c in _cases()])
def test_array_twin_matches_numba_kernel(case, backend):
    _, method, maker, kw = case
    inst, kw = _with_step(maker, kw)
    assert_backend_matches_numba(method, inst, backend, **kw)


@needs_cupy
@pytest.mark.parametrize("case", _cases(), ids=[c[0] for c in _cases()])
def test_cupy_twin_matches_numba_kernel(case):
    _, method, maker, kw = case
    inst, kw = _with_step(maker, kw)
    assert_backend_matches_numba(method, inst, "cupy", **kw)


@given(seed=st.integers(0, 2**32 - 1), factor=st.sampled_from([0.3, 1.0, 1.9]),
       momentum=st.sampled_from([0.0, 0.5, 0.9]))
@FAST
def test_strict_twins_match_numba_over_seeds_steps_and_momenta(seed, factor, momentum):
    inst = design(seed, condition_number=50.0)
    eta = factor / inst.constants["L"]
    assert_backend_matches_numba(ls.heavy_ball, inst, "array_api_strict", step_size=eta,
                                 momentum=momentum, n_iter=150)
    assert_backend_matches_numba(ls.minibatch_sgd, inst, "array_api_strict", step_size=factor / 4,
                                 batch_size=1 + seed % 5, n_iter=100, replicas=2)


# ---------------------------------------------------------------- operator="design"

DESIGN_BACKENDS = ["numba", *ARRAY_BACKENDS,
                   pytest.param("cupy", marks=needs_cupy)]


@pytest.mark.parametrize("backend", DESIGN_BACKENDS)
@pytest.mark.parametrize("metric", ["suboptimality", "distance"])
@pytest.mark.parametrize("n, d", [(40, 6), (7, 12)])  # d > n: H singular, x_star min-norm
def test_gd_on_the_design_is_gd_on_the_hessian(backend, metric, n, d):
    inst = design(3, n_samples=n, dim=d, noise=0.5)
    kw = {"step_size": 1.5 / inst.constants["L"], "n_iter": 400, "metric": metric}
    hessian = run(ls.gradient_descent, inst, backend, **kw)
    on_design = run(ls.gradient_descent, inst, backend, operator="design", **kw)
    assert on_design.info["operator"] == "design" and hessian.info["operator"] == "hessian"
    assert np.all(np.isfinite(hessian.values)) and hessian.values[0, -1] < hessian.values[0, 0]
    # d > n: the null-space part of e is not contracted, so neither run's suboptimality
    # goes below the round-off ~eps ||e||^2 L that H e and A^T (A e) leave in it, and
    # that floor differs between the two (their rounding differs)
    atol = 0.0 if n > d or metric == "distance" else 1e-14 * hessian.values[0, 0]
    np.testing.assert_allclose(on_design.values, hessian.values, rtol=1e-10, atol=atol)


@pytest.mark.parametrize("backend", DESIGN_BACKENDS)
def test_gd_on_the_design_without_a_stored_hessian_measures_half_mean_square_residual(backend):
    inst = design(4, noise=0.3)
    no_H = Instance(data={k: v for k, v in inst.data.items() if k != "H"},
                    constants=inst.constants, name=inst.name)
    kw = {"step_size": 1 / inst.constants["L"], "n_iter": 300, "operator": "design"}
    with_H, without_H = (run(ls.gradient_descent, i, backend, **kw) for i in (inst, no_H))
    np.testing.assert_allclose(without_H.values, with_H.values, rtol=1e-10, atol=0)
    assert without_H.values[0, 0] == pytest.approx(inst.constants["gap0"], rel=1e-12)
    with pytest.raises(ValueError, match="'H'"):
        run(ls.gradient_descent, no_H, backend, **{**kw, "operator": "hessian"})


# ---------------------------------------------------------------- divergence and bad input

@pytest.mark.parametrize("backend", ARRAY_BACKENDS)
def test_divergence_gives_nonfinite_values_on_array_backends(backend):
    inst = design(noise=0.0)
    tr = run(ls.gradient_descent, inst, backend, step_size=2.5 / inst.constants["L"],
             n_iter=3000, operator="design")
    finite = np.isfinite(tr.values[0])
    assert finite[0] and not finite.all()
    assert tr.info["first_nonfinite"] == tr.t[np.argmin(finite)]


@pytest.mark.parametrize("method, kw", [
    (ls.gradient_descent, {"step_size": 1.0}),
    (ls.heavy_ball, {"step_size": 1.0, "momentum": 0.5}),
    (ls.nesterov, {"step_size": 1.0}),
    (ls.minibatch_sgd, {"step_size": 0.1, "batch_size": 2}),
])
def test_unknown_backend_raises_value_error_naming_the_allowed_ones(method, kw):
    with pytest.raises(ValueError, match="backend.*'numba'.*'array_api_strict'"):
        method(design(), np.random.default_rng(0), n_iter=5, backend="jax", **kw)
    with pytest.raises(ValueError, match="backend"):
        ls.online_sgd(population(), np.random.default_rng(0), step_size=0.1, n_iter=5,
                      backend="torch")


def test_unknown_operator_raises_value_error_naming_the_choices():
    with pytest.raises(ValueError, match="operator.*'hessian', 'design'"):
        ls.gradient_descent(design(), None, step_size=1.0, n_iter=5, operator="gram")


@pytest.mark.skipif(HAS_CUPY, reason="CuPy and a GPU are here")
def test_cupy_without_a_gpu_raises_backend_unavailable():
    with pytest.raises(problems.backend.BackendUnavailable, match="cupy"):
        ls.gradient_descent(design(), None, step_size=1.0, n_iter=5, backend="cupy")


def test_every_converted_method_accepts_every_backend():
    for method in (ls.gradient_descent, ls.heavy_ball, ls.nesterov, ls.minibatch_sgd,
                   ls.online_sgd):
        assert all(problems.backend.accepts(method, b) for b in problems.backend.BACKENDS)


@pytest.mark.parametrize("backend", ["numba", "numpy", "array_api_strict"])
@pytest.mark.parametrize("method, extra", [(ls.gradient_descent, {}), (ls.heavy_ball, {"momentum": 0.5}),
                                           (ls.nesterov, {}), (ls.nesterov, {"metric": "distance"})])
def test_seeds_run_as_one_batched_state_give_the_per_seed_traces(backend, method, extra):
    instances = [ls.gaussian_design(np.random.default_rng(s), n_samples=30, dim=6, condition_number=20.0)
                 for s in range(3)]
    rngs = [np.random.default_rng(s) for s in range(3)]
    params = [{"step_size": 1 / i.constants["L"], "n_iter": 150, "backend": backend, **extra} for i in instances]
    batched = method.over_seeds(instances, rngs, params)
    for instance, rng, p, trace in zip(instances, rngs, params, batched):
        alone = method(instance, rng, **p)
        np.testing.assert_allclose(trace.values, alone.values, rtol=1e-12, atol=0)
        np.testing.assert_array_equal(trace.t, alone.t)
        assert trace.info == alone.info


def test_seeds_with_other_shapes_or_settings_run_one_by_one():
    instances = [ls.gaussian_design(np.random.default_rng(0), n_samples=30, dim=d) for d in (4, 6)]
    rngs = [np.random.default_rng(0)] * 2
    params = {"step_size": 0.5, "n_iter": 20, "backend": "numpy"}
    unequal = ls.gradient_descent.over_seeds(instances, rngs, [params] * 2)
    for instance, trace in zip(instances, unequal):
        np.testing.assert_array_equal(trace.values, ls.gradient_descent(instance, rngs[0], **params).values)
    mixed = ls.gradient_descent.over_seeds(
        instances[:1] * 2, rngs, [{"step_size": 0.5, "n_iter": 20, "backend": "numpy", "metric": m}
                                  for m in ("suboptimality", "distance")])
    assert [t.metric for t in mixed] == ["suboptimality", "distance"]
