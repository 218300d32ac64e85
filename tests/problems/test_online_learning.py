"""Tests for problems.online_learning: SEA quantities are exact, kernels agree with their twins,
iterates stay feasible, the regret is computed exactly (brute force and CVXPY), the per-path
bounds hold, closed forms match simulation, results reproduce from the seed, bad arguments
are named."""
from __future__ import annotations

import math

import cvxpy as cp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from problems import online_learning as ol
from problems import types
from problems.online_learning import _kernels, _reference, methods
from problems.types import Instance

FAST = settings(derandomize=True, database=None, deadline=None, max_examples=15)
MANY = settings(derandomize=True, database=None, deadline=None, max_examples=120)
seeds = st.integers(0, 2**32 - 1)
rng = np.random.default_rng


def custom(centers, loss="linear", domain="ball", radius=1.0, lam=1.0, noise_scale=0.0):
    """An instance with an arbitrary adversary (the methods' contract, not a generator's)."""
    T, d = centers.shape
    constants = {"dim": d, "horizon": T, "diameter": 2 * radius if domain == "ball" else math.sqrt(2),
                 "radius": radius, "sigma_sq": noise_scale**2 * d, "noise_scale": noise_scale,
                 "variation_sq_max": 0.0, "gradient_bound": 1.0, "gradient_bound_inf": 1.0}
    if loss == "quadratic":
        constants["strong_convexity"] = lam
    data = {"centers": centers, "variation_sq_steps": np.zeros(T), "loss": loss,
            "domain": domain, "noise": "gaussian"}
    return Instance(data=data, constants=constants, name="custom")


def project_simplex_bisection(v):
    lo, hi = v.min() - 1.0, v.max()
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if np.maximum(v - mid, 0).sum() > 1 else (lo, mid)
    return np.maximum(v - 0.5 * (lo + hi), 0)


# ---------------------------------------------------------------- sequences

def test_switching_variation_is_switches_times_the_squared_jump():
    inst = ol.linear_sea(rng(0), dim=4, horizon=95, regime="switching", switch_period=10,
                         angle=1.0)
    c, k = inst.data["centers"], inst.constants
    assert k["n_switches"] == 9
    jump = 2 * (1 - math.cos(1.0))
    assert k["variation_sq_total"] == pytest.approx(9 * jump, rel=1e-12)
    assert k["variation_sq"] == pytest.approx(9 * jump / 95, rel=1e-12)
    assert np.allclose(np.linalg.norm(c, axis=1), 1.0) and c[0] @ c[10] == pytest.approx(math.cos(1.0))


def test_drifting_path_length_and_alternating_variation_are_exact():
    inst = ol.linear_sea(rng(1), dim=3, horizon=501, regime="drifting", variation=2.5)
    c = inst.data["centers"]
    assert np.sum(np.linalg.norm(np.diff(c, axis=0), axis=1)) == pytest.approx(2.5, rel=1e-10)
    assert inst.constants["variation_sq_total"] == pytest.approx(2.5**2 / 500, rel=1e-10)
    alt = ol.linear_sea(rng(1), dim=3, horizon=50, regime="alternating")
    assert alt.constants["variation_sq_total"] == pytest.approx(4 * 49, rel=1e-12)
    q = ol.quadratic_sea(rng(1), horizon=50, sigma=0.3, regime="alternating", strong_convexity=2.0)
    assert q.constants["sigma_sq"] == pytest.approx(4 * 0.09)
    assert q.constants["variation_sq_total"] == pytest.approx(4 * 4 * 49, rel=1e-12)


def test_portfolio_prices_stay_in_the_stated_box_and_bounds_are_ordered():
    inst = ol.portfolio_sea(rng(2), dim=6, horizon=400, sigma=0.2, regime="switching", spread=0.3)
    k = inst.constants
    assert 0.5 - 1e-12 <= k["price_min"] and k["price_max"] <= 1.5 + 1e-12
    noise = methods._draw(methods._unpack(inst, "t"), rng(3), 4000, 6)
    prices = inst.data["centers"][:1] + noise
    assert prices.min() >= k["price_min"] and prices.max() <= k["price_max"]
    assert np.mean(np.sum(noise**2, axis=1)) == pytest.approx(k["noise_sq"], rel=0.05)
    assert k["sigma_sq"] >= k["noise_sq"] and k["sea_exact"] == 0.0


def test_gaussian_noise_has_the_stated_sigma_sq():
    inst = ol.linear_sea(rng(0), dim=5, horizon=10, sigma=0.7)
    noise = methods._draw(methods._unpack(inst, "t"), rng(1), 20000, 5)
    sq = np.sum(noise**2, axis=1)
    assert abs(sq.mean() - inst.constants["sigma_sq"]) < 4 * sq.std() / math.sqrt(sq.size)


# ---------------------------------------------------------------- kernels vs twins

def _configs():
    lin = ol.linear_sea(rng(0), dim=4, horizon=300, sigma=0.8, regime="switching")
    simp = ol.linear_sea(rng(0), dim=4, horizon=300, sigma=0.8, regime="drifting",
                         domain="simplex")
    quad = ol.quadratic_sea(rng(1), dim=3, horizon=300, sigma=0.5, regime="switching")
    port = ol.portfolio_sea(rng(2), dim=4, horizon=200, sigma=0.3, regime="switching", spread=0.1)
    experts = ol.expert_losses(rng(3), n_experts=6, horizon=300)
    return [
        lambda be: ol.optimistic_omd(lin, rng(5), replicas=3, backend=be),
        lambda be: ol.ogd(lin, rng(5), step_size="inverse_sqrt", replicas=3, backend=be),
        lambda be: ol.optimistic_omd(simp, rng(5), replicas=3, backend=be),
        lambda be: ol.optimistic_omd(simp, rng(5), mirror="entropic", replicas=3, backend=be),
        lambda be: ol.optimistic_omd(quad, rng(5), step_size="strongly_convex", replicas=3,
                                     backend=be),
        lambda be: ol.optimistic_omd(port, rng(5), step_size=0.1, replicas=2, backend=be),
        lambda be: ol.hedge(experts, rng(5), backend=be),
        lambda be: ol.online_newton_step(port, rng(5), replicas=2, backend=be),
        lambda be: ol.online_newton_step(port, rng(5), optimistic=True, gamma=0.5, epsilon=1.0,
                                         replicas=2, backend=be),
    ]


@pytest.mark.parametrize("case", range(9))
def test_kernels_match_numpy_twins(case):
    run = _configs()[case]
    a, b = run("numba"), run("numpy")
    np.testing.assert_allclose(a.values, b.values, rtol=1e-10, atol=1e-12)
    for key in ("regret", "hint_error_cumulative", "x_final", "step_size"):
        if key in a.info:
            np.testing.assert_allclose(a.info[key], b.info[key], rtol=1e-10, atol=1e-12)


@FAST
@given(seeds, st.integers(1, 9), st.floats(-3, 3))
def test_simplex_qp_matches_cvxpy_and_its_twin(seed, d, log_scale):
    g = rng(seed)
    W = g.standard_normal((d + 2, d))
    A = W.T @ W + 0.05 * np.eye(d)
    b = 10**log_scale * g.standard_normal(d)
    y = np.full(d, 1.0 / d)
    assert _kernels._simplex_qp(A, b, y) > 0
    y_twin = np.full(d, 1.0 / d)
    assert _reference._simplex_qp(A, b, y_twin) > 0
    np.testing.assert_allclose(y, y_twin, atol=1e-10)
    assert y.min() >= 0 and abs(y.sum() - 1) < 1e-12
    u = cp.Variable(d)
    cp.Problem(cp.Minimize(0.5 * cp.quad_form(u, A) - b @ u), [u >= 0, cp.sum(u) == 1]).solve()
    ours, theirs = 0.5 * y @ A @ y - b @ y, 0.5 * u.value @ A @ u.value - b @ u.value
    assert ours <= theirs + 1e-6 * (1 + abs(theirs))
    mu = A @ y - b  # KKT: equal on the support, no smaller off it
    level = mu[y > 0].mean()
    assert np.all(np.abs(mu[y > 0] - level) <= 1e-8 * (1 + np.abs(mu).max()))
    assert np.all(mu >= level - 1e-8 * (1 + np.abs(mu).max()))


@FAST
@given(seeds, st.integers(1, 12))
def test_euclidean_simplex_projection_matches_bisection(seed, d):
    v = 3 * rng(seed).standard_normal(d)
    x = v.copy()
    _kernels._project_simplex(x, np.empty(d))
    np.testing.assert_allclose(x, project_simplex_bisection(v), atol=1e-9)
    twin = v[None].copy()
    _reference._project_simplex(twin)
    np.testing.assert_array_equal(twin[0], x)


# ---------------------------------------------------------------- feasibility

@FAST
@given(seeds, st.integers(1, 60), st.sampled_from(["fixed", "switching", "drifting", "alternating"]),
       st.floats(0, 3), st.sampled_from(["ball", "simplex"]), st.floats(0.1, 5))
def test_iterates_stay_feasible(seed, T, regime, sigma, domain, radius):
    inst = ol.linear_sea(rng(seed), dim=4, horizon=T, sigma=sigma, regime=regime, domain=domain,
                         radius=radius, variation=min(1.0, 2.0 * (T - 1)))
    runs = [ol.ogd(inst, rng(seed), replicas=2), ol.optimistic_omd(inst, rng(seed), replicas=2),
            ol.optimistic_omd(inst, rng(seed), step_size=7.0, replicas=2)]
    if domain == "simplex":
        runs.append(ol.optimistic_omd(inst, rng(seed), mirror="entropic", replicas=2))
    for tr in runs:
        x = tr.info["x_final"]
        if domain == "ball":
            assert np.all(np.linalg.norm(x, axis=1) <= radius * (1 + 1e-12))
        else:
            assert x.min() >= 0 and np.allclose(x.sum(axis=1), 1, atol=1e-12)
    port = ol.portfolio_sea(rng(seed), dim=3, horizon=T, sigma=min(sigma, 0.2), regime=regime,
                            variation=min(1.0, 2.0 * (T - 1)))
    x = ol.online_newton_step(port, rng(seed), optimistic=True, gamma=1.0, epsilon=0.1,
                              replicas=2).info["x_final"]
    assert x.min() >= 0 and np.allclose(x.sum(axis=1), 1, atol=1e-12)


# ---------------------------------------------------------------- exact regret

def brute_force_regret(inst, seed, R, t, play):
    """Replay the method round by round with the same noise; comparator by CVXPY."""
    d, T, c = int(inst.constants["dim"]), int(inst.constants["horizon"]), inst.constants
    centers, loss = inst.data["centers"], inst.data["loss"]
    streams = rng(seed).spawn(R)
    out = np.zeros((R, t.size))
    for r in range(R):
        s = c["noise_scale"]
        noise = (np.zeros((T, d)) if s == 0 else s * streams[r].standard_normal((T, d))
                 if inst.data["noise"] == "gaussian" else streams[r].uniform(-s, s, (T, d)))
        ys = centers + noise
        fs = {"linear": lambda x, y: y @ x,
              "quadratic": lambda x, y: 0.5 * c.get("strong_convexity", 1) * np.sum((x - y) ** 2),
              "log": lambda x, y: -np.log(y @ x)}[loss]
        grads = {"linear": lambda x, y: y,
                 "quadratic": lambda x, y: c.get("strong_convexity", 1) * (x - y),
                 "log": lambda x, y: -y / (y @ x)}[loss]
        xs = play(ys, grads)
        cum = np.concatenate([[0.0], np.cumsum([fs(x, y) for x, y in zip(xs, ys)])])
        for k, T_k in enumerate(t.astype(int)):
            if T_k == 0:
                continue
            u = cp.Variable(d)
            Y = ys[:T_k]
            obj = {"linear": lambda: cp.sum(Y @ u),
                   "quadratic": lambda: 0.5 * c.get("strong_convexity", 1) * cp.sum_squares(
                       u[None, :] - Y),
                   "log": lambda: -cp.sum(cp.log(Y @ u))}[loss]()
            cons = ([cp.norm(u) <= c["radius"]] if inst.data["domain"] == "ball"
                    else [u >= 0, cp.sum(u) == 1])
            best = cp.Problem(cp.Minimize(obj), cons).solve()
            out[r, k] = cum[T_k] - best
    return out


def oomd_player(radius, domain, D, delta, hint):
    proj = ((lambda v: v * min(1, radius / max(np.linalg.norm(v), 1e-300))) if domain == "ball"
            else project_simplex_bisection)

    def play(ys, grads):
        d = ys.shape[1]
        xhat = np.zeros(d) if domain == "ball" else np.full(d, 1 / d)
        M, S, xs = np.zeros(d), 0.0, []
        for y in ys:
            eta = D / math.sqrt(delta + S)
            x = proj(xhat - eta * M) if hint else xhat.copy()
            g = grads(x, y)
            S += np.sum((g - M) ** 2)
            xhat = proj(xhat - eta * g)
            M = g if hint else M
            xs.append(x)
        return xs
    return play


@pytest.mark.parametrize("make, hint", [
    (lambda: ol.linear_sea(rng(0), dim=3, horizon=25, sigma=1.0, regime="switching",
                           switch_period=3), True),
    (lambda: ol.linear_sea(rng(1), dim=3, horizon=25, sigma=0.5, domain="simplex",
                           regime="alternating"), True),
    (lambda: ol.quadratic_sea(rng(2), dim=3, horizon=25, sigma=0.7, regime="switching",
                              switch_period=4, strong_convexity=2.0), False),
    (lambda: ol.portfolio_sea(rng(3), dim=3, horizon=25, sigma=0.25, spread=0.2), True),
])
def test_regret_matches_brute_force_replay_and_cvxpy_comparator(make, hint):
    inst = make()
    fn = ol.optimistic_omd if hint else ol.ogd
    tr = fn(inst, rng(7), replicas=2, n_checkpoints=8, delta=0.5)
    k = inst.constants
    play = oomd_player(k.get("radius", 1.0), inst.data["domain"], k["diameter"], 0.5, hint)
    expected = brute_force_regret(inst, 7, 2, tr.t, play)
    np.testing.assert_allclose(tr.info["regret"], expected, rtol=1e-6, atol=1e-5)


def test_online_newton_step_matches_brute_force_with_cvxpy_projection():
    inst = ol.portfolio_sea(rng(4), dim=3, horizon=12, sigma=0.4, spread=0.1)
    gamma, eps = 0.5, 1.0
    tr = ol.online_newton_step(inst, rng(9), gamma=gamma, epsilon=eps, n_checkpoints=5)

    def play(ys, grads):
        x, A, xs = np.full(3, 1 / 3), eps * np.eye(3), []
        for y in ys:
            xs.append(x)
            g = grads(x, y)
            A = A + np.outer(g, g)
            z = x - np.linalg.solve(A, g) / gamma
            u = cp.Variable(3)
            cp.Problem(cp.Minimize(cp.quad_form(u - z, A)), [u >= 0, cp.sum(u) == 1]).solve()
            x = np.maximum(u.value, 0) / np.maximum(u.value, 0).sum()
        return xs
    expected = brute_force_regret(inst, 9, 1, tr.t, play)
    np.testing.assert_allclose(tr.info["regret"], expected, rtol=1e-5, atol=1e-5)
    assert tr.info["qp_failures"][0] == 0 and tr.info["comparator_gap"].max() < 1e-8


# ---------------------------------------------------------------- bounds and closed forms

@MANY
@given(seeds, st.integers(1, 80), st.integers(1, 6), st.sampled_from(["ball", "simplex"]),
       st.sampled_from(["adaptive", "constant", "ogd"]), st.floats(1e-3, 10))
def test_oomd_bound_holds_per_path_on_random_sequences(seed, T, d, domain, step, delta):
    g = rng(seed)
    centers = g.standard_normal((T, d)) * np.exp(g.normal(0, 2, (T, 1)))  # scales over decades
    inst = custom(centers, domain=domain, radius=float(g.uniform(0.1, 3)),
                  noise_scale=float(g.uniform(0, 2)))
    if step == "ogd":
        tr = ol.ogd(inst, rng(seed), delta=delta, replicas=3, metric="oomd_bound_ratio")
    else:
        tr = ol.optimistic_omd(inst, rng(seed), delta=delta, replicas=3,
                               step_size="adaptive" if step == "adaptive" else float(delta),
                               metric="oomd_bound_ratio")
    assert tr.values.max() <= 1 + 1e-9


@FAST
@given(seeds, st.integers(1, 200), st.floats(0, 2), st.floats(0.2, 5),
       st.sampled_from(["optimistic", "ogd"]))
def test_strongly_convex_bound_holds_per_path(seed, T, sigma, lam, method):
    inst = ol.quadratic_sea(rng(seed), dim=3, horizon=T, sigma=sigma, regime="switching",
                            switch_period=5, strong_convexity=lam)
    fn = ol.optimistic_omd if method == "optimistic" else ol.ogd
    tr = fn(inst, rng(seed), step_size="strongly_convex", replicas=4, metric="oomd_bound_ratio")
    assert tr.values.max() <= 1 + 1e-9


@FAST
@given(seeds, st.integers(2, 40), st.integers(1, 300),
       st.sampled_from(["random", "adversarial_alternating", "best_expert"]), st.floats(1e-3, 3))
def test_hedge_anchor_bound_holds_per_path(seed, d, T, kind, eta):
    inst = ol.expert_losses(rng(seed), n_experts=d, horizon=T, kind=kind)
    for step in (eta, "tuned"):
        tr = ol.hedge(inst, rng(0), step_size=step, metric="anchor_ratio")
        assert tr.values.max() <= 1 + 1e-9
    assert tr.info["regret"][0, -1] <= inst.constants["hedge_tuned_bound"] * (1 + 1e-9)


def test_hedge_is_entropic_omd_without_hint_and_is_exponential_weights():
    inst = ol.expert_losses(rng(1), n_experts=5, horizon=40, kind="best_expert")
    a = ol.hedge(inst, rng(0), step_size=0.4)
    b = ol.optimistic_omd(inst, rng(0), mirror="entropic", hint="none", step_size=0.4)
    np.testing.assert_array_equal(a.values, b.values)
    losses = inst.data["centers"]
    w = np.exp(-0.4 * losses[:-1].sum(axis=0))
    np.testing.assert_allclose(a.info["x_final"][0], w / w.sum(), rtol=1e-12)


@pytest.mark.parametrize("eta", [0.01, 0.3])
def test_hedge_regret_on_alternating_losses_is_linear_in_T_as_derived(eta):
    T = 2000
    inst = ol.expert_losses(rng(0), n_experts=2, horizon=T, kind="adversarial_alternating")
    tr = ol.hedge(inst, rng(0), step_size=eta)
    exact = 0.25 + (T - 1) / (1 + math.exp(-eta / 2)) - (T / 2 - 0.5)
    assert tr.info["regret"][0, -1] == pytest.approx(exact, rel=1e-10)


def test_ogd_on_quadratic_matches_the_closed_form_expected_regret():
    # eta_t = 1/(lambda t) from 0 makes x_t the mean of y_1..y_{t-1}; with a large ball no
    # projection is active and E Reg_T = (lambda/2)(|c|^2 + sigma^2 (1 + H_{T-1})) [derived]
    lam, sigma, T, R = 2.0, 0.8, 60, 400
    inst = ol.quadratic_sea(rng(1), dim=4, horizon=T, sigma=sigma, strong_convexity=lam,
                            radius=100.0)
    tr = ol.ogd(inst, rng(2), step_size="strongly_convex", replicas=R)
    H = np.concatenate([[0.0], np.cumsum(1.0 / np.arange(1, T))])
    t = tr.t[1:].astype(int)
    expected = 0.5 * lam * (1.0 + sigma**2 * (1.0 + H[t - 1]))
    reg = tr.info["regret"][:, 1:]
    se = reg.std(axis=0, ddof=1) / math.sqrt(R)
    assert np.all(np.abs(reg.mean(axis=0) - expected) <= 4 * se + 1e-12)


def test_oomd_regret_on_a_constant_sequence_does_not_grow():
    inst = ol.linear_sea(rng(0), dim=5, horizon=10_000, sigma=0.0)
    for tr in (ol.optimistic_omd(inst, rng(1)), ol.optimistic_omd(inst, rng(1), step_size=0.05)):
        reg = tr.info["regret"][0]
        at = lambda T: reg[np.flatnonzero(tr.t == T)[0]]
        assert at(10_000) <= at(100) + 1e-9 and at(10_000) <= 1.0 / 0.05 + 1.0
    quad = ol.quadratic_sea(rng(0), dim=5, horizon=10_000, sigma=0.0, regime="fixed")
    reg = ol.optimistic_omd(quad, rng(1), step_size="strongly_convex").info["regret"][0]
    assert np.ptp(reg[reg.size // 2:]) <= 1e-9 and reg.max() <= 1.0


def test_regret_ratio_uses_sigma_sq_T_and_the_realised_variation():
    inst = ol.linear_sea(rng(0), dim=3, horizon=300, sigma=0.5, regime="switching")
    tr = ol.optimistic_omd(inst, rng(1), replicas=2, metric="regret_ratio")
    var = np.concatenate([[0.0], np.cumsum(inst.data["variation_sq_steps"])])[tr.t.astype(int)]
    denom = np.sqrt(0.25 * tr.t) + np.sqrt(var) + 1
    np.testing.assert_allclose(tr.values, tr.info["regret"] / denom, rtol=1e-14)
    np.testing.assert_allclose(tr.info["variation_sq_cumulative"], var)
    assert tr.info["variation_sq_cumulative"][-1] == pytest.approx(
        inst.constants["variation_sq_total"])


# ---------------------------------------------------------------- reproducibility

def test_runs_reproduce_and_do_not_depend_on_chunking_or_replica_count(monkeypatch):
    inst = ol.linear_sea(rng(0), dim=3, horizon=500, sigma=1.0, regime="switching")
    a = ol.optimistic_omd(inst, rng(11), replicas=4)
    b = ol.optimistic_omd(inst, rng(11), replicas=4)
    np.testing.assert_array_equal(a.values, b.values)
    monkeypatch.setattr(types, "CHUNK_NUMBERS", 37)
    c = ol.optimistic_omd(inst, rng(11), replicas=2)
    np.testing.assert_array_equal(a.values[:2], c.values)
    d = ol.optimistic_omd(inst, rng(12), replicas=4)
    assert not np.array_equal(a.values, d.values)
    g1, g2 = ol.linear_sea(rng(5), horizon=50, regime="drifting"), ol.linear_sea(
        rng(5), horizon=50, regime="drifting")
    np.testing.assert_array_equal(g1.data["centers"], g2.data["centers"])


def test_paired_methods_see_the_same_noise():
    inst = ol.linear_sea(rng(0), dim=3, horizon=400, sigma=1.0)
    a = ol.optimistic_omd(inst, rng(3), replicas=3)
    b = ol.ogd(inst, rng(3), replicas=3)
    # the linear comparator depends on the noise only: identical for both methods
    np.testing.assert_array_equal(a.info["comparator"], b.info["comparator"])


# ---------------------------------------------------------------- bad input

def _bad_calls():
    g = rng(0)
    lin = ol.linear_sea(rng(0), horizon=20)
    port = ol.portfolio_sea(rng(0), horizon=20, sigma=0.1)
    return [
        ("horizon", lambda: ol.linear_sea(g, horizon=0)),
        ("sigma", lambda: ol.linear_sea(g, horizon=5, sigma=-1.0)),
        ("regime", lambda: ol.linear_sea(g, horizon=5, regime="random")),
        ("radius", lambda: ol.linear_sea(g, horizon=5, radius=0.0)),
        ("domain", lambda: ol.linear_sea(g, horizon=5, domain="cube")),
        ("switch_period", lambda: ol.linear_sea(g, horizon=5, regime="switching", switch_period=0)),
        ("angle", lambda: ol.linear_sea(g, horizon=5, regime="switching", angle=math.pi)),
        ("variation", lambda: ol.linear_sea(g, horizon=5, regime="drifting", variation=9.0)),
        ("dim", lambda: ol.linear_sea(g, dim=1, horizon=5, regime="switching")),
        ("rng", lambda: ol.linear_sea(0, horizon=5)),
        ("strong_convexity", lambda: ol.quadratic_sea(g, horizon=5, sigma=0.1, strong_convexity=0)),
        ("spread", lambda: ol.portfolio_sea(g, horizon=5, sigma=0.5, spread=0.4)),
        ("n_experts", lambda: ol.expert_losses(g, n_experts=1, horizon=5)),
        ("kind", lambda: ol.expert_losses(g, n_experts=3, horizon=5, kind="worst")),
        ("gap", lambda: ol.expert_losses(g, n_experts=3, horizon=5, gap=0.7)),
        ("instance", lambda: ol.ogd({"centers": np.zeros((2, 2))}, g)),
        ("replicas", lambda: ol.ogd(lin, g, replicas=0)),
        ("metric", lambda: ol.ogd(lin, g, metric="loss")),
        ("backend", lambda: ol.ogd(lin, g, backend="jax")),
        ("n_checkpoints", lambda: ol.ogd(lin, g, n_checkpoints=1)),
        ("step_size", lambda: ol.ogd(lin, g, step_size=-1.0)),
        ("step_size", lambda: ol.optimistic_omd(lin, g, step_size="inverse_sqrt")),
        ("step_size", lambda: ol.ogd(lin, g, step_size="strongly_convex")),
        ("delta", lambda: ol.optimistic_omd(lin, g, delta=0.0)),
        ("mirror", lambda: ol.optimistic_omd(lin, g, mirror="kl")),
        ("mirror", lambda: ol.optimistic_omd(lin, g, mirror="entropic")),
        ("hint", lambda: ol.optimistic_omd(lin, g, hint="mean")),
        ("instance", lambda: ol.hedge(lin, g)),
        ("instance", lambda: ol.online_newton_step(lin, g)),
        ("gamma", lambda: ol.online_newton_step(port, g, gamma=-1.0)),
        ("epsilon", lambda: ol.online_newton_step(port, g, epsilon=0.0)),
        ("metric", lambda: ol.online_newton_step(port, g, metric="oomd_bound_ratio")),
        ("metric", lambda: ol.optimistic_omd(lin, g, metric="anchor_ratio")),
        ("metric", lambda: ol.optimistic_omd(port, g, mirror="entropic",
                                             metric="oomd_bound_ratio")),
    ]


@pytest.mark.parametrize("case", range(len(_bad_calls())))
def test_bad_arguments_raise_value_error_naming_the_argument(case):
    name, call = _bad_calls()[case]
    with pytest.raises(ValueError, match=name):
        call()
