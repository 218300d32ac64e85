"""Tests for problems.adaptive_methods: Reddi's sequences carry exact constants, the box problems'
minimisers satisfy their optimality conditions (and agree with CVXPY), kernels agree with their
twins, the first steps match a hand computation, Reddi's counterexample is reproduced (Adam and
diffGrad stuck at +1, AMSGrad at -1), Lion stays in its box and ends within O(eps) of the box
minimiser, results reproduce from the seed and do not depend on the chunking, bad arguments are
named."""
from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from problems import adaptive_methods as am
from problems import types
from problems.adaptive_methods import _kernels, _reference

FAST = settings(derandomize=True, database=None, deadline=None, max_examples=12)
seeds = st.integers(0, 2**32 - 1)
rng = np.random.default_rng
OPTIMIZERS = [(am.adam, {}), (am.amsgrad, {}), (am.diffgrad, {}), (am.adabelief, {}),
              (am.adabelief, {"max_belief": True})]


def periodic(T=300, C=3.0, P=3, start=0.2):
    return am.reddi_periodic(rng(0), big_gradient=C, period=P, horizon=T, start=start)


def quadratic_box(seed=0, **kw):
    return am.box_constrained(rng(seed), **{"loss": "quadratic", "dim": 6, "weight_decay": 2.0, **kw})


def logistic_box(seed=0, **kw):
    return am.box_constrained(rng(seed), **{"loss": "logistic", "dim": 5, "weight_decay": 2.0,
                                            "n_samples": 60, "signal": 4.0, **kw})


# ---------------------------------------------------------------- Reddi's sequences

def test_periodic_sequence_has_its_stated_gradients_and_minimiser():
    inst = periodic(T=30, C=5.0, P=4)
    g = am.periodic_gradients(5.0, 4, 0, 12)
    np.testing.assert_array_equal(g, [5, -1, -1, -1] * 3)
    np.testing.assert_array_equal(am.periodic_gradients(5.0, 4, 6, 3), [-1, -1, 5])
    c = inst.constants
    assert c["mean_gradient"] == pytest.approx(g.mean(), rel=1e-15)
    grid = np.linspace(-1, 1, 201)
    assert grid[np.argmin(grid * g.sum())] == c["x_star"] == -1.0
    assert c["reddi_beta2"] == pytest.approx(1 / 26) and c["worst_average_regret"] == pytest.approx(1.0)
    assert c["x0"] == 0.2 and c["gradient_bound"] == 5.0


@FAST
@given(seeds, st.floats(0.05, 5.0), st.floats(6.0, 50.0))
def test_stochastic_sequence_has_mean_gradient_delta(seed, delta, C):
    inst = am.reddi_stochastic(rng(seed), big_gradient=C, margin=delta, horizon=10)
    c = inst.constants
    assert c["probability"] * C - (1 - c["probability"]) == pytest.approx(delta, rel=1e-12)
    assert -1.0 <= c["x0"] <= 1.0 and c["period"] == 0.0


def test_generators_are_reproducible_and_start_where_told():
    a, b = (am.reddi_periodic(rng(4), horizon=10) for _ in range(2))
    assert a.constants == b.constants
    assert am.reddi_periodic(rng(5), horizon=10).constants["x0"] != a.constants["x0"]
    for make in (quadratic_box, logistic_box):
        x, y = make(3), make(3)
        for key in ("x_box", "x_l2", "H", "features", "labels"):
            np.testing.assert_array_equal(x.data[key], y.data[key])


# ---------------------------------------------------------------- box problems

def grad_and_objective(inst):
    d = inst.data
    if d["loss"] == "quadratic":
        H, xc = d["H"], d["center"]
        return (lambda x: H @ (x - xc)), (lambda x: 0.5 * (x - xc) @ H @ (x - xc))
    A, y = d["features"], d["labels"]
    n = A.shape[0]
    return ((lambda x: (-y / (1 + np.exp(y * (A @ x)))) @ A / n),
            (lambda x: float(np.mean(np.logaddexp(0.0, -y * (A @ x))))))


@pytest.mark.parametrize("make", [quadratic_box, logistic_box])
def test_box_minimiser_is_a_projected_gradient_fixed_point_and_l2_minimiser_is_stationary(make):
    for seed in range(3):
        inst = make(seed)
        c, R = inst.constants, inst.constants["radius"]
        grad, f = grad_and_objective(inst)
        x_box, x_l2 = inst.data["x_box"], inst.data["x_l2"]
        assert np.max(np.abs(x_box)) <= R
        # x_box = Pi(x_box - eta grad) for any eta > 0: the box's optimality condition
        for eta in (0.1, 1.0, 10.0):
            np.testing.assert_allclose(np.clip(x_box - eta * grad(x_box), -R, R), x_box, atol=1e-12)
        assert np.max(np.abs(grad(x_l2) + c["weight_decay"] * x_l2)) <= 1e-12
        assert c["kkt_residual"] <= 1e-12 and c["n_active"] >= 1
        assert c["box_l2_gap"] == pytest.approx(np.max(np.abs(x_box - x_l2)), rel=1e-14)
        assert inst.data["solver_status"] == ["optimal"] and c["solver_discrepancy"] <= 1e-4
        # no feasible point does better: random points of the box and CVXPY's answer
        pts = rng(seed).uniform(-R, R, (200, x_box.size))
        assert min(f(p) for p in pts) >= f(x_box) - 1e-12
        assert f(inst.data["x_box_cvxpy"]) >= f(x_box) - 1e-9
        assert c["objective_box"] == pytest.approx(f(x_box), rel=1e-12)


def test_quadratic_unconstrained_minimiser_is_outside_the_box_and_active_count_is_as_asked():
    inst = quadratic_box(1, n_active=4)
    c = inst.constants
    assert c["n_active"] == 4 and c["n_free"] == 2 and c["unconstrained_excess"] > 1.0
    assert c["complementarity_margin"] >= 0.5  # multipliers >= 0.5, free coordinates within R/2
    assert np.all(np.linalg.eigvalsh(inst.data["H"]) > 0)


# ---------------------------------------------------------------- Adam family: maths

def hand_run(kind, x, grads, alpha, b1, lam, b2, eps, bias=False):
    """Plain-float replay of the update of the module docstring (independent of the kernels)."""
    m = v = vhat = g_prev = 0.0
    xs = [x]
    for t, g in enumerate(grads, start=1):
        b1t = b1 * lam ** (t - 1)
        m = b1t * m + (1 - b1t) * g
        if "belief" in kind:
            v = b2 * v + (1 - b2) * (g - m) ** 2 + eps
        else:
            v = b2 * v + (1 - b2) * g * g
        vhat = max(vhat, v) if kind in ("amsgrad", "belief_max") else v
        xi = 1 / (1 + math.exp(-abs(g_prev - g))) if kind == "diffgrad" else 1.0
        g_prev = g
        a = alpha / math.sqrt(t) * (math.sqrt(1 - b2**t) / (1 - b1**t) if bias else 1.0)
        x = min(1.0, max(-1.0, x - a * xi * m / (math.sqrt(vhat) + eps)))
        xs.append(x)
    return xs


@pytest.mark.parametrize("bias", [False, True])
@pytest.mark.parametrize("kind, method, kw", [("adam", am.adam, {}), ("amsgrad", am.amsgrad, {}),
                                              ("diffgrad", am.diffgrad, {}),
                                              ("belief", am.adabelief, {}),
                                              ("belief_max", am.adabelief, {"max_belief": True})])
def test_iterates_match_a_hand_computation_of_the_update(kind, method, kw, bias):
    inst = periodic(T=7, C=3.0, P=3, start=0.3)
    tr = method(inst, rng(0), step_size=0.4, beta1=0.6, beta1_decay=0.9, beta2=0.5, eps=1e-3,
                bias_correction=bias, metric="iterate", n_checkpoints=8, **kw)
    expected = hand_run(kind, 0.3, am.periodic_gradients(3.0, 3, 0, 7), 0.4, 0.6, 0.9, 0.5, 1e-3, bias)
    np.testing.assert_allclose(tr.values[0], np.array(expected)[tr.t.astype(int)], rtol=1e-13, atol=1e-15)


def test_regret_is_loss_minus_the_best_fixed_point_by_brute_force():
    inst = periodic(T=50, C=6.0, P=5, start=-0.4)
    tr = am.adam(inst, rng(0), beta1=0.5, beta2=0.9, metric="regret", n_checkpoints=10)
    xs = hand_run("adam", -0.4, am.periodic_gradients(6.0, 5, 0, 50), 0.5, 0.5, 1.0, 0.9, 1e-8)
    g = am.periodic_gradients(6.0, 5, 0, 50)
    grid = np.linspace(-1, 1, 2001)
    for k, T in enumerate(tr.t.astype(int)):
        best = np.min(grid * g[:T].sum()) if T else 0.0
        assert tr.values[0, k] == pytest.approx(np.dot(g[:T], xs[:T]) - best, abs=1e-11)
    avg = am.adam(inst, rng(0), beta1=0.5, beta2=0.9, metric="average_regret", n_checkpoints=10)
    np.testing.assert_allclose(avg.values[0], tr.values[0] / np.maximum(tr.t, 1), rtol=1e-14)
    dist = am.adam(inst, rng(0), beta1=0.5, beta2=0.9, metric="distance", n_checkpoints=10)
    np.testing.assert_allclose(dist.values[0], np.abs(np.array(xs)[tr.t.astype(int)] + 1), rtol=1e-13)


def test_reddi_theorem_1_adam_and_diffgrad_stick_at_plus_one_amsgrad_converges():
    inst = periodic(T=30_000, start=0.0)
    beta2 = inst.constants["reddi_beta2"]
    for method in (am.adam, am.diffgrad):
        tr = method(inst, rng(0), beta2=beta2, metric="average_regret", n_checkpoints=10)
        assert tr.info["x_final"][0] > 0.99 and tr.values[0, -1] == pytest.approx(2 / 3, abs=0.01)
        assert tr.info["denominator_decreases"][0] > 0.6 * 30_000
    tr = am.amsgrad(inst, rng(0), beta2=beta2, metric="average_regret", n_checkpoints=10)
    assert tr.info["x_final"][0] < -0.98 and tr.values[0, -1] < 0.02
    assert tr.info["denominator_decreases"][0] == 0
    assert tr.info["gamma_kingma_ba"] == 0.0 and tr.info["gamma_amsgrad"] == 0.0


def test_max_belief_makes_s_non_decreasing_and_bounded_below_by_the_first_surprise():
    inst = periodic(T=3000, start=0.0)
    plain = am.adabelief(inst, rng(0), beta1=0.3, beta1_decay=0.99, beta2=0.1)
    kept = am.adabelief(inst, rng(0), beta1=0.3, beta1_decay=0.99, beta2=0.1, max_belief=True)
    assert plain.info["denominator_decreases"][0] > 100 and kept.info["denominator_decreases"][0] == 0
    # s_1 = (1 - beta2)(g_1 - m_1)^2 + eps with m_1 = (1 - beta1) g_1
    assert kept.info["denominator_min"][0] == pytest.approx(0.9 * (0.3 * 3.0) ** 2 + 1e-8, rel=1e-12)
    assert plain.info["denominator_min"][0] < 1e-7  # beta1_t -> 0 leaves s of the size of eps


# ---------------------------------------------------------------- Adam family: kernels

@FAST
@given(seeds, st.sampled_from(range(5)), st.floats(0.0, 0.95), st.sampled_from([1.0, 0.99, 0.5]),
       st.floats(0.0, 0.999), st.booleans(), st.booleans())
def test_adaptive_kernel_matches_numpy_twin(seed, code, b1, lam, b2, bias, stochastic):
    method, kw = OPTIMIZERS[code]
    inst = (am.reddi_stochastic(rng(seed), big_gradient=8.0, margin=0.2, horizon=400) if stochastic
            else am.reddi_periodic(rng(seed), big_gradient=4.0, period=4, horizon=400))
    args = dict(step_size=0.3, beta1=b1, beta1_decay=lam, beta2=b2, bias_correction=bias,
                replicas=3, n_checkpoints=12, **kw)
    fast = method(inst, rng(seed + 1), backend="numba", **args)
    slow = method(inst, rng(seed + 1), backend="numpy", **args)
    np.testing.assert_allclose(fast.values, slow.values, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(fast.info["iterate"], slow.info["iterate"], rtol=1e-10, atol=1e-12)
    np.testing.assert_array_equal(fast.info["denominator_decreases"], slow.info["denominator_decreases"])
    np.testing.assert_allclose(fast.info["denominator_min"], slow.info["denominator_min"], rtol=1e-10)


def test_results_do_not_depend_on_the_chunk_size(monkeypatch):
    inst = am.reddi_stochastic(rng(1), big_gradient=10.0, margin=0.1, horizon=500)
    whole = am.diffgrad(inst, rng(7), beta1=0.9, beta2=0.99, replicas=3)
    monkeypatch.setattr(types, "CHUNK_NUMBERS", 7)
    pieces = am.diffgrad(inst, rng(7), beta1=0.9, beta2=0.99, replicas=3)
    np.testing.assert_array_equal(whole.values, pieces.values)


def test_stochastic_replicas_are_independent_of_the_replica_count_and_reproduce():
    inst = am.reddi_stochastic(rng(1), big_gradient=10.0, margin=0.1, horizon=300)
    three = am.adam(inst, rng(9), beta2=0.9, replicas=3)
    one = am.adam(inst, rng(9), beta2=0.9, replicas=1)
    np.testing.assert_array_equal(three.values[:1], one.values)
    assert not np.array_equal(three.values[0], three.values[1])
    np.testing.assert_array_equal(am.adam(inst, rng(9), beta2=0.9, replicas=3).values, three.values)


@pytest.mark.parametrize("impl", [_kernels, _reference])
def test_a_nan_gradient_propagates_to_the_iterate_unclipped(impl):
    grads = np.array([[1.0, np.nan, 1.0]])
    state = [np.full(1, 0.5)] + [np.zeros(1) for _ in range(4)] + [np.zeros(1), np.zeros(1),
                                                                    np.zeros(1, dtype=np.int64),
                                                                    np.full(1, np.inf)]
    outs = [np.zeros((1, 2)) for _ in range(3)]
    k = impl._adaptive_chunk(_kernels.ADAM, 0.1, 0.0, 1.0, 0.5, 1e-8, False, -1.0, 1.0, grads, 0,
                             np.array([0, 3]), 0, *state, *outs)
    assert k == 2 and np.isnan(state[0][0]) and np.isnan(outs[2][0, 1]) and outs[2][0, 0] == 0.5


def test_adaptive_methods_name_bad_arguments():
    inst = periodic(T=10)
    cases = [(dict(beta1=1.0), "beta1"), (dict(beta2=-0.1), "beta2"), (dict(step_size=0.0), "step_size"),
             (dict(beta1_decay=0.0), "beta1_decay"), (dict(eps=-1.0), "eps"), (dict(metric="loss"), "metric"),
             (dict(backend="jax"), "backend"), (dict(replicas=0), "replicas"),
             (dict(bias_correction="yes"), "bias_correction")]
    for kwargs, name in cases:
        with pytest.raises(ValueError, match=name):
            am.adam(inst, rng(0), **kwargs)
    with pytest.raises(ValueError, match="max_belief"):
        am.adabelief(inst, rng(0), max_belief=1)
    with pytest.raises(ValueError, match="instance"):
        am.amsgrad(quadratic_box(), rng(0))
    with pytest.raises(ValueError, match="rng"):
        am.adam(inst, 0)
    with pytest.raises(ValueError, match="big_gradient"):
        am.reddi_periodic(rng(0), big_gradient=2.0, period=3)
    with pytest.raises(ValueError, match="margin"):
        am.reddi_stochastic(rng(0), big_gradient=3.0, margin=3.0)
    with pytest.raises(ValueError, match="start"):
        am.reddi_periodic(rng(0), start=1.5)


# ---------------------------------------------------------------- Lion

@pytest.mark.parametrize("make", [quadratic_box, logistic_box])
@pytest.mark.parametrize("metric, norm, reference", [("box_excess", "inf", "box"), ("box_excess", "2", "box"),
                                                     ("distance", "inf", "l2_regularised"),
                                                     ("distance_max", "inf", "box"), ("objective", "inf", "box")])
def test_lion_kernel_matches_numpy_twin(make, metric, norm, reference):
    inst = make(2)
    args = dict(step_size=0.02, n_iter=300, replicas=2, start_scale=1.5, metric=metric, norm=norm,
                reference=reference, n_checkpoints=15)
    fast = am.lion(inst, rng(5), backend="numba", **args)
    slow = am.lion(inst, rng(5), backend="numpy", **args)
    np.testing.assert_allclose(fast.values, slow.values, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(fast.info["x_final"], slow.info["x_final"], rtol=1e-10, atol=1e-14)
    np.testing.assert_array_equal(fast.info["entry_step"], slow.info["entry_step"])


@FAST
@given(seeds, st.floats(0.001, 1.0), st.booleans())
def test_lion_never_leaves_the_box_once_inside(seed, eps_lambda, logistic):
    inst = (logistic_box if logistic else quadratic_box)(seed % 50)
    lam = inst.constants["weight_decay"]
    tr = am.lion(inst, rng(seed), step_size=eps_lambda / lam, n_iter=400, replicas=3,
                 metric="box_excess", n_checkpoints=10)
    assert np.all(tr.info["entry_step"] == 0)
    assert np.max(tr.values) <= tr.info["invariance_roundoff_bound"]
    assert np.max(np.abs(tr.info["x_final"])) <= inst.constants["radius"] * (1 + 1e-15)


def test_lion_outside_the_box_contracts_at_least_geometrically():
    inst = quadratic_box(0)
    probe = dataclasses.replace(inst, data={**inst.data, "x_box": np.zeros(6)})  # distance = ||x||_inf
    eps, lam, R = 0.01, 2.0, 0.5
    tr = am.lion(probe, rng(1), step_size=eps, n_iter=300, replicas=2, start_scale=3.0, metric="distance",
                 n_checkpoints=20)
    excess0 = np.maximum(tr.values[:, 0] - R, 0.0)
    bound = excess0[:, None] * (1 - eps * lam) ** tr.t[None, :]
    assert np.all(np.maximum(tr.values - R, 0.0) <= bound * (1 + 1e-12) + 1e-15)


def test_lion_ends_within_order_eps_of_the_box_minimiser_and_far_from_the_l2_one():
    inst = quadratic_box(3)
    final = {}
    for eps in (0.01, 0.0025):
        tr = am.lion(inst, rng(0), step_size=eps / 2.0, n_iter=6000, metric="distance_max")
        final[eps] = tr.values[0, -1]
        assert final[eps] <= 5 * eps
    assert final[0.01] / final[0.0025] == pytest.approx(4.0, rel=0.25)
    far = am.lion(inst, rng(0), step_size=0.005, n_iter=6000, reference="l2_regularised")
    assert far.values[0, -1] == pytest.approx(inst.constants["box_l2_gap"], abs=0.05)
    obj = am.lion(inst, rng(0), step_size=0.005, n_iter=6000, metric="objective")
    assert inst.constants["objective_box"] - 1e-12 <= obj.values[0, -1] <= inst.constants["objective_box"] + 0.05
    assert far.info["solver_status"] == ["optimal"] and far.info["solver"] in ("CLARABEL", "SCS")


def test_lion_names_bad_arguments():
    inst = quadratic_box()
    cases = [(dict(step_size=1.0), "step_size"), (dict(step_size=-1.0), "step_size"),
             (dict(metric="loss"), "metric"), (dict(reference="ridge"), "reference"), (dict(norm="1"), "norm"),
             (dict(n_iter=0), "n_iter"), (dict(beta1=1.5), "beta1"), (dict(start_scale=0.0), "start_scale"),
             (dict(backend="jax"), "backend")]
    for kwargs, name in cases:
        with pytest.raises(ValueError, match=name):
            am.lion(inst, rng(0), **kwargs)
    with pytest.raises(ValueError, match="instance"):
        am.lion(periodic(), rng(0))
    with pytest.raises(ValueError, match="loss"):
        am.box_constrained(rng(0), loss="hinge")
    with pytest.raises(ValueError, match="n_active"):
        am.box_constrained(rng(0), dim=4, n_active=5)


def test_kernels_and_twins_share_their_signatures():
    import inspect
    for name in ("_adaptive_chunk", "_lion", "_lion_gradient", "_lion_objective"):
        fast = inspect.signature(getattr(_kernels, name).py_func)
        slow = inspect.signature(getattr(_reference, name))
        if name in ("_lion_gradient",):  # the twin returns the gradients instead of filling `out`
            assert list(slow.parameters) == list(fast.parameters)[:-1]
        else:
            assert list(slow.parameters) == list(fast.parameters)
