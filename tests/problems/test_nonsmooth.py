"""Absolute-loss regression: closed form against Monte Carlo, SGD kernel against its twin."""
import math

import numpy as np
import pytest

from problems import types
from problems.nonsmooth import absolute_objective, absolute_regression, sgd, step_sizes


def _instance(seed=0, dim=10, noise=0.5, x0_distance=1.0):
    return absolute_regression(np.random.default_rng(seed), dim=dim, noise=noise,
                               x0_distance=x0_distance)


@pytest.mark.parametrize("schedule", ["inverse_sqrt", "constant", "linear_decay"])
@pytest.mark.parametrize("noise", [0.0, 0.5])
@pytest.mark.parametrize("metric", ["suboptimality", "distance"])
def test_sgd_kernel_matches_numpy_twin(schedule, noise, metric):
    inst = _instance(1, dim=7, noise=noise)
    kw = dict(step_size=0.2, n_iter=3000, schedule=schedule, replicas=5, metric=metric)
    fast = sgd(inst, np.random.default_rng(2), backend="numba", **kw)
    slow = sgd(inst, np.random.default_rng(2), backend="numpy", **kw)
    np.testing.assert_array_equal(fast.t, slow.t)
    assert fast.values.shape == (5, fast.t.size)
    np.testing.assert_allclose(fast.values, slow.values, rtol=1e-10, atol=0)


@pytest.mark.parametrize("noise, x_scale", [(0.0, 1.0), (0.7, 0.3), (2.0, 2.0)])
def test_closed_form_matches_monte_carlo(noise, x_scale):
    rng = np.random.default_rng(3)
    inst = _instance(4, dim=6, noise=noise)
    x_star = inst.data["x_star"]
    x = x_star + x_scale * rng.standard_normal(6)
    n = 100_000
    a = rng.standard_normal((n, 6))
    c = a @ x_star + noise * rng.standard_normal(n)
    sample = np.abs(a @ x - c)
    se = sample.std(ddof=1) / math.sqrt(n)
    assert abs(sample.mean() - absolute_objective(x, x_star, noise)) < 4 * se
    assert absolute_objective(x_star, x_star, noise) == pytest.approx(inst.constants["f_star"])


def test_gradient_second_moment_matches_monte_carlo():
    rng = np.random.default_rng(5)
    inst = _instance(6, dim=8, noise=0.3)
    x = inst.data["x0"]
    a = rng.standard_normal((100_000, 8))
    c = a @ inst.data["x_star"] + 0.3 * rng.standard_normal(100_000)
    g_sq = np.sum((np.sign(a @ x - c)[:, None] * a) ** 2, axis=1)
    se = g_sq.std(ddof=1) / math.sqrt(g_sq.size)
    assert abs(g_sq.mean() - inst.constants["gradient_second_moment"]) < 4 * se


def test_generator_constants_are_exact():
    inst = _instance(7, dim=12, noise=0.25, x0_distance=3.0)
    k, x_star, x0 = inst.constants, inst.data["x_star"], inst.data["x0"]
    assert k["lipschitz"] == math.sqrt(2 / math.pi)
    assert k["f_star"] == math.sqrt(2 / math.pi) * 0.25
    assert k["dist0"] == np.linalg.norm(x0 - x_star) == pytest.approx(3.0, rel=1e-14)
    assert (k["dim"], k["noise"], k["gradient_second_moment"]) == (12, 0.25, 12)
    rng = np.random.default_rng(8)
    x, y = rng.standard_normal((2, 200, 12))
    lhs = np.abs(absolute_objective(x, x_star, 0.25) - absolute_objective(y, x_star, 0.25))
    assert np.all(lhs <= k["lipschitz"] * np.linalg.norm(x - y, axis=1) * (1 + 1e-12))


def test_suboptimality_formula_is_stable_near_the_optimum():
    inst = _instance(9, dim=3, noise=1.0)
    trace = sgd(inst, np.random.default_rng(0), step_size=1e-9, n_iter=1, schedule="constant")
    r = np.linalg.norm(inst.data["x0"] - inst.data["x_star"])
    expected = math.sqrt(2 / math.pi) * r * r / (math.hypot(r, 1.0) + 1.0)
    assert trace.values[0, 0] == pytest.approx(expected, rel=1e-14)
    # sqrt(r^2 + 1) - 1 would round to 0 at r = 1e-10; r^2 / (sqrt(r^2 + 1) + 1) does not
    near = absolute_regression(np.random.default_rng(1), dim=3, noise=1.0, x0_distance=1e-10)
    tiny = sgd(near, np.random.default_rng(0), step_size=1e-30, n_iter=1)
    assert tiny.values[0, 0] == pytest.approx(math.sqrt(2 / math.pi) * 0.5e-20, rel=1e-6)


@pytest.mark.parametrize("noise", [0.0, 0.5])
def test_last_iterate_converges(noise):
    inst = _instance(10, dim=10, noise=noise)
    trace = sgd(inst, np.random.default_rng(11), step_size=0.3, n_iter=10_000, replicas=64)
    mean = trace.values.mean(axis=0)
    at_100 = mean[np.searchsorted(trace.t, 100)]
    assert trace.t[-1] == 10_000 and mean[-1] < at_100
    assert trace.info["first_nonfinite"] is None


def test_replica_stream_does_not_depend_on_replicas_or_chunk_size(monkeypatch):
    inst = _instance(12, dim=4)
    kw = dict(step_size=0.1, n_iter=500, schedule="constant")
    many = sgd(inst, np.random.default_rng(13), replicas=3, **kw)
    monkeypatch.setattr(types, "CHUNK_NUMBERS", 37)  # many small chunks
    one = sgd(inst, np.random.default_rng(13), replicas=1, **kw)
    np.testing.assert_array_equal(one.values[0], many.values[0])


def test_step_size_schedules():
    t = np.arange(4)
    np.testing.assert_allclose(step_sizes("inverse_sqrt", 2.0, t, 4), 2.0 / np.sqrt(t + 1))
    np.testing.assert_allclose(step_sizes("constant", 2.0, t, 4), [2.0] * 4)
    np.testing.assert_allclose(step_sizes("linear_decay", 2.0, t, 4), [2.0, 1.5, 1.0, 0.5])


def test_divergence_is_reported_not_raised():
    kw = dict(step_size=1e308, n_iter=50, schedule="constant", replicas=2)
    fast, slow = (sgd(_instance(14, dim=3), np.random.default_rng(0), backend=b, **kw)
                  for b in ("numba", "numpy"))
    assert fast.info["first_nonfinite"] is not None
    assert fast.info["first_nonfinite"] == slow.info["first_nonfinite"]
    first = list(fast.t).index(fast.info["first_nonfinite"])
    assert np.all(np.isfinite(fast.values[:, :first]))
    np.testing.assert_allclose(fast.values, slow.values, rtol=1e-10)  # NaN where NaN


@pytest.mark.parametrize("kwargs, name", [
    (dict(dim=0), "dim"),
    (dict(dim=3, noise=-1.0), "noise"),
    (dict(dim=3, noise=np.inf), "noise"),
    (dict(dim=3, x0_distance=0.0), "x0_distance"),
])
def test_generator_rejects_bad_inputs(kwargs, name):
    with pytest.raises(ValueError, match=name):
        absolute_regression(np.random.default_rng(0), **kwargs)


@pytest.mark.parametrize("kwargs, name", [
    (dict(step_size=0.0, n_iter=5), "step_size"),
    (dict(step_size=np.nan, n_iter=5), "step_size"),
    (dict(step_size=0.1, n_iter=0), "n_iter"),
    (dict(step_size=0.1, n_iter=5, schedule="cosine"), "schedule"),
    (dict(step_size=0.1, n_iter=5, replicas=0), "replicas"),
    (dict(step_size=0.1, n_iter=5, metric="loss"), "metric"),
    (dict(step_size=0.1, n_iter=5, backend="jax"), "backend"),
    (dict(step_size=0.1, n_iter=5, n_checkpoints=1), "n_checkpoints"),
])
def test_sgd_rejects_bad_inputs(kwargs, name):
    with pytest.raises(ValueError, match=name):
        sgd(_instance(0, dim=3), np.random.default_rng(0), **kwargs)


def test_sgd_rejects_a_foreign_instance():
    with pytest.raises(ValueError, match="instance"):
        sgd(object(), np.random.default_rng(0), step_size=0.1, n_iter=5)
