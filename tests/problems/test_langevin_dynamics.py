"""Tests for the Langevin dynamics modules (SGHMC integrators, state-dependent diffusion,
federated SGLD, MYULA): kernels agree with their twins, exact stationary laws agree with
simulations within Monte Carlo error and with closed forms, runs reproduce from the seed,
and bad arguments are named."""
from __future__ import annotations

import numpy as np
import pytest
import scipy.integrate
from hypothesis import given, settings
from hypothesis import strategies as st

import problems.langevin.diffusion as diffusion
import problems.langevin.federated as federated
import problems.langevin.hamiltonian as hamiltonian
import problems.langevin.proximal as proximal

FAST = settings(derandomize=True, database=None, deadline=None, max_examples=12)


def rng(seed=0):
    return np.random.default_rng(seed)


def location(**kw):
    return hamiltonian.gaussian_location_model(rng(0), **{"n_data": 20, "batch_size": 5,
                                                          "dim": 2, "data_scale": 4.0, **kw})


def mc_mean(trace):
    """Mean over chains of the last running average, and its standard error."""
    v = trace.values[:, -1]
    return v.mean(), v.std(ddof=1) / np.sqrt(v.size)


# ---------------------------------------------------------------- kernels vs twins

def _twin_runs():
    loc, sdd = location(), diffusion.state_dependent_diffusion(rng(), diffusion="sine")
    well = diffusion.state_dependent_diffusion(rng(), potential="double_well")
    shards = federated.sharded_gaussian_posterior(rng(), n_shards=3, n_per_shard=10)
    target = proximal.laplace_gaussian_target(rng(), dim=3)
    runs = []
    for integrator in hamiltonian.INTEGRATORS:
        for full, metric in ((False, "variance_ratio"), (True, "momentum_variance_ratio")):
            runs.append(lambda be, i=integrator, f=full, m=metric: hamiltonian.sghmc(
                loc, rng(1), integrator=i, step_size=0.15, n_iter=120, chains=4, burn_in=3,
                full_gradient=f, metric=m, backend=be))
    for inst, alpha, corrected, metric in ((sdd, 0.5, False, "variance_ratio"),
                                           (well, 0.0, True, "mean"), (sdd, 1.0, True, "mean")):
        runs.append(lambda be, i=inst, a=alpha, c=corrected, m=metric: diffusion.alpha_sde(
            i, rng(2), alpha=a, corrected=c, step_size=0.01, n_iter=150, chains=5, burn_in=0,
            metric=m, backend=be))
    for method, schedule in ((federated.dsgld, "random"), (federated.fsgld, "round_robin")):
        runs.append(lambda be, f=method, s=schedule: f(
            shards, rng(3), step_size=2e-3, n_iter=150, local_steps=7, chains=4, burn_in=5,
            schedule=s, backend=be))
    for metric in proximal.SIM_METRICS:
        runs.append(lambda be, m=metric: proximal.myula(
            target, rng(4), step_size=0.1, smoothing=0.3, n_iter=150, chains=4, burn_in=2,
            metric=m, backend=be))
    return runs


@pytest.mark.parametrize("case", range(len(_twin_runs())))
def test_sde_kernels_match_numpy_twins(case):
    run = _twin_runs()[case]
    a, b = run("numba"), run("numpy")
    assert np.all(np.isfinite(a.values))
    np.testing.assert_allclose(a.values, b.values, rtol=1e-10, atol=0)
    np.testing.assert_array_equal(a.t, b.t)


def test_simulations_reproduce_bit_for_bit_from_the_seed():
    for run in _twin_runs()[::3]:
        assert np.array_equal(run("numba").values, run("numba").values)
    a = hamiltonian.sghmc(location(), rng(5), integrator="baoab", step_size=0.1, n_iter=50,
                          chains=3)
    b = hamiltonian.sghmc(location(), rng(6), integrator="baoab", step_size=0.1, n_iter=50,
                          chains=3)
    assert not np.array_equal(a.values, b.values)


def test_running_averages_follow_a_hand_written_myula_chain():
    target = proximal.laplace_gaussian_target(rng())
    h, lam, w = 0.05, 0.2, 1.0
    for burn_in in (0, 3):
        tr = proximal.myula(target, rng(7), step_size=h, smoothing=lam, n_iter=10, chains=3,
                            burn_in=burn_in, metric="second_moment", n_checkpoints=11)
        draws = np.random.default_rng(7)
        x = draws.standard_normal((3, 1)) * np.sqrt(target.constants["target_variance"])
        xi = draws.standard_normal((burn_in + 10, 3, 1))
        states = [x[:, 0]]
        for k in range(burn_in + 10):
            x = x - h * (x + np.clip(x / lam, -w, w)) + np.sqrt(2 * h) * xi[k]
            states.append(x[:, 0])
        kept = np.array(states[burn_in:]) ** 2
        running = np.cumsum(kept, axis=0) / np.arange(1, 12)[:, None]
        np.testing.assert_allclose(tr.values, running[tr.t.astype(int)].T, rtol=1e-12)
        assert tr.t[0] == 0 and tr.t[-1] == 10


# ---------------------------------------------------------------- SGHMC

def test_location_model_constants_are_exact_for_the_data():
    inst = location(prior=0.5)
    x, c = inst.data["x"], inst.constants
    centred = x - x.mean(axis=0)
    np.testing.assert_allclose(centred.T @ centred / x.shape[0], c["data_variance"] * np.eye(2),
                               atol=1e-12)
    assert c["L"] == 1.5 and c["target_variance"] == pytest.approx(1 / 1.5, rel=1e-15)
    # finite-population variance of a batch mean, by enumeration of batches of 2 from 5 points
    small = hamiltonian.gaussian_location_model(rng(1), n_data=5, batch_size=2, dim=1)
    pts = small.data["x"][:, 0]
    means = [(pts[i] + pts[j]) / 2 for i in range(5) for j in range(i + 1, 5)]
    assert np.var(means) == pytest.approx(small.constants["gradient_noise_variance"], rel=1e-12)
    default = hamiltonian.gaussian_location_model(rng(0))
    assert default.constants["gradient_noise_variance"] == pytest.approx(40 * 990 / 9990,
                                                                         rel=1e-12)


@FAST
@given(st.floats(0.01, 1.0), st.floats(0.2, 3.0), st.floats(0.0, 2.0))
def test_full_gradient_baoab_has_zero_position_variance_bias(h, gamma, prior):
    inst = location(prior=prior)
    tr = hamiltonian.sghmc_exact(inst, rng(), integrator="baoab", step_size=h, friction=gamma,
                                 full_gradient=True)
    assert tr.info["stable"] and tr.values[0, 0] <= 1e-12


@FAST
@given(st.sampled_from(hamiltonian.INTEGRATORS), st.floats(0.01, 0.3), st.floats(0.3, 3.0),
       st.booleans(), st.booleans())
def test_exact_stationary_covariance_solves_the_lyapunov_equation(integrator, h, gamma,
                                                                 compensate, full):
    tr = hamiltonian.sghmc_exact(location(), rng(), integrator=integrator, step_size=h,
                                 friction=gamma, compensate=compensate, full_gradient=full)
    M, Q, S = (tr.info[k] for k in ("transition_matrix", "noise_covariance",
                                    "stationary_covariance"))
    np.testing.assert_allclose(M @ S @ M.T + Q, S, rtol=0, atol=1e-12 * np.abs(S).max())


def test_euler_transition_is_chen_et_al_sghmc_and_compensation_equals_full_gradient():
    h, gamma, inst = 0.1, 0.7, location(prior=1.0)
    L = inst.constants["L"]
    tr = hamiltonian.sghmc_exact(inst, rng(), integrator="euler", step_size=h, friction=gamma)
    np.testing.assert_allclose(tr.info["transition_matrix"],
                               [[1 - h * h * L, h * (1 - h * gamma)], [-h * L, 1 - h * gamma]],
                               rtol=1e-14)
    np.testing.assert_allclose(tr.info["noise_covariance"],
                               2 * gamma * h * np.array([[h * h, h], [h, 1.0]]), rtol=1e-12)
    full = hamiltonian.sghmc_exact(inst, rng(), integrator="euler", step_size=h,
                                   friction=gamma, full_gradient=True)
    np.testing.assert_allclose(tr.info["stationary_covariance"],
                               full.info["stationary_covariance"], rtol=1e-12)


def test_minibatch_bias_is_first_order_without_and_second_order_with_compensation():
    inst = hamiltonian.gaussian_location_model(rng())
    hs = np.array([0.0125, 0.025, 0.05])
    for integrator in hamiltonian.INTEGRATORS:
        for compensate, slope in ((False, 1.0), (True, 2.0)):
            err = [hamiltonian.sghmc_exact(inst, rng(), integrator=integrator, step_size=h,
                                           compensate=compensate).values[0, 0] for h in hs]
            assert np.polyfit(np.log(hs), np.log(err), 1)[0] == pytest.approx(slope, abs=0.1)
    full = [hamiltonian.sghmc_exact(inst, rng(), integrator="fourth_order", step_size=h,
                                    full_gradient=True).values[0, 0] for h in hs]
    assert np.polyfit(np.log(hs), np.log(full), 1)[0] == pytest.approx(4.0, abs=0.1)


def test_lyapunov_covariance_matches_a_long_minibatch_simulation():
    inst = location()
    for metric in hamiltonian.SIM_METRICS:
        tr = hamiltonian.sghmc(inst, rng(8), integrator="euler", step_size=0.2, n_iter=8000,
                               chains=150, compensate=False, burn_in=100, metric=metric)
        mean, se = mc_mean(tr)
        assert abs(mean - tr.info["stationary_ratio"]) <= 4 * se
        assert abs(tr.info["stationary_ratio"] - 1.0) >= 10 * se  # the bias is resolved
        assert hamiltonian.variance_error(tr) == pytest.approx(abs(mean - 1.0), rel=1e-14)


def test_unstable_step_gives_inf_and_too_large_compensation_is_refused():
    tr = hamiltonian.sghmc_exact(location(), rng(), integrator="euler", step_size=2.5,
                                 compensate=False)
    assert not tr.info["stable"] and tr.values[0, 0] == np.inf
    with pytest.raises(ValueError, match="step_size"):
        hamiltonian.sghmc_exact(location(data_scale=20.0), rng(), integrator="baoab",
                                step_size=0.5)


# ---------------------------------------------------------------- state-dependent diffusion

@pytest.mark.parametrize("alpha", [0.0, 0.5, 1.0, 0.3])
@pytest.mark.parametrize("corrected", [True, False])
@pytest.mark.parametrize("kind", [("harmonic", "rational"), ("double_well", "sine")])
def test_stationary_density_has_zero_fokker_planck_flux(alpha, corrected, kind):
    inst = diffusion.state_dependent_diffusion(rng(), potential=kind[0], diffusion=kind[1])
    x = np.linspace(-4, 4, 4001)
    rho = diffusion.stationary_density(inst, x, alpha=alpha, corrected=corrected)
    grad = x if kind[0] == "harmonic" else x**3 - x
    D = 0.3 + x**2 / (1 + x**2) if kind[1] == "rational" else 1 + 0.5 * np.sin(x)
    Dp = np.gradient(D, x)
    ito_drift = -D * grad + ((1 - alpha) * corrected + alpha) * Dp
    flux = ito_drift * rho - np.gradient(D * rho, x)
    assert np.max(np.abs(flux[5:-5])) <= 1e-4 * np.max(rho)  # central differences, dx = 2e-3
    if alpha < 1:  # the other convention's density is not stationary: the check can fail
        wrong = diffusion.stationary_density(inst, x, alpha=alpha, corrected=not corrected)
        flux = ito_drift * wrong - np.gradient(D * wrong, x)
        assert np.max(np.abs(flux[5:-5])) >= 1e-2 * np.max(wrong)
    assert scipy.integrate.trapezoid(diffusion.stationary_density(
        inst, np.linspace(-12, 12, 20001), alpha=alpha, corrected=corrected),
        dx=24 / 20000) == pytest.approx(1.0, rel=1e-9)


def test_uncorrected_moments_match_an_independent_quadrature_and_the_notes():
    inst = diffusion.state_dependent_diffusion(rng())
    x = np.linspace(-12, 12, 200001)
    D = 0.3 + x**2 / (1 + x**2)
    for name, power in (("ito", 1.0), ("stratonovich", 0.5)):
        w = D**-power * np.exp(-x**2 / 2)
        expected = scipy.integrate.trapezoid(x**2 * w, x) / scipy.integrate.trapezoid(w, x)
        assert inst.constants[f"uncorrected_variance_{name}"] == pytest.approx(expected,
                                                                               rel=1e-9)
    assert inst.constants["uncorrected_variance_ito"] == pytest.approx(0.596, abs=2e-3)
    assert inst.constants["uncorrected_variance_stratonovich"] == pytest.approx(0.780, abs=5e-3)
    assert inst.constants["target_variance"] == 1.0


@pytest.mark.parametrize("alpha,corrected", [(0.0, False), (0.5, False), (0.5, True)])
def test_alpha_point_scheme_realises_the_convention(alpha, corrected):
    inst = diffusion.state_dependent_diffusion(rng())
    tr = diffusion.alpha_sde(inst, rng(9), alpha=alpha, corrected=corrected, step_size=0.01,
                             n_iter=3000, chains=400, burn_in=500)
    mean, se = mc_mean(tr)
    assert abs(mean - tr.info["predicted_ratio"]) <= 4 * se + 0.01  # + time-step bias
    if not corrected:
        assert abs(mean - 1.0) >= 10 * se


# ---------------------------------------------------------------- federated SGLD

def test_sharded_posterior_is_exact():
    inst = federated.sharded_gaussian_posterior(rng(), dim=3, n_shards=4, noise=0.5,
                                                prior_precision=2.0)
    y, m, C = inst.data["y"], inst.data["posterior_mean"], inst.data["posterior_covariance"]
    grad = -2.0 * m + (y - m).sum(axis=(0, 1)) / 0.25  # log prior + log likelihood at the mean
    np.testing.assert_allclose(grad, 0.0, atol=1e-10)
    np.testing.assert_allclose(np.linalg.inv(C), (2.0 + 4 * 50 / 0.25) * np.eye(3), rtol=1e-12)
    assert inst.constants["L"] == inst.constants["mu"] == pytest.approx(802.0, rel=1e-14)
    assert inst.constants["shard_spread"] == pytest.approx(9.0, abs=0.5)


def test_fsgld_is_close_to_the_posterior_and_dsgld_drifts_with_delayed_communication():
    inst = federated.sharded_gaussian_posterior(rng())
    std = np.sqrt(inst.data["posterior_covariance"][0, 0])
    kw = dict(step_size=2e-4, n_iter=20000, chains=50, burn_in=1000)
    near = federated.fsgld(inst, rng(10), local_steps=100, **kw)
    assert federated.final_w2(near) <= 0.05 * std
    assert near.info["stationary_w2"] == pytest.approx(near.info["ula_w2"], rel=1e-6)
    one = federated.dsgld(inst, rng(10), local_steps=1, **kw)
    assert federated.final_w2(one) <= 0.05 * std
    far = federated.dsgld(inst, rng(10), local_steps=100, **kw)
    assert federated.final_w2(far) >= 2 * std
    assert federated.final_w2(far) == pytest.approx(far.info["stationary_w2"], rel=0.1)


# ---------------------------------------------------------------- MYULA

@FAST
@given(st.floats(0.0, 4.0))
def test_laplace_gaussian_moments_match_quadrature(w):
    c = proximal.laplace_gaussian_target(rng(), l1_weight=w).constants

    def integral(k):
        return scipy.integrate.quad(lambda x: x**k * np.exp(-w * x - x * x / 2), 0, np.inf,
                                    epsabs=0, epsrel=1e-12)[0]
    assert c["target_abs_mean"] == pytest.approx(integral(1) / integral(0), rel=1e-9)
    assert c["target_variance"] == pytest.approx(integral(2) / integral(0), rel=1e-9)


def test_myula_grid_law_matches_simulation_and_its_error_is_first_order():
    target = proximal.laplace_gaussian_target(rng())
    grid = proximal.myula_stationary(target, rng(), step_size=0.1, grid_points=2001)
    assert grid.info["grid_change"] <= 1e-4 and np.all(grid.info["weights"] >= 0)
    for metric, key in (("abs_mean", "abs_mean"), ("second_moment", "variance")):
        tr = proximal.myula(target, rng(11), step_size=0.1, n_iter=2000, chains=800,
                            burn_in=200, metric=metric)
        mean, se = mc_mean(tr)
        assert abs(mean - grid.info[key]) <= 4 * se
        assert abs(mean - target.constants[f"target_{key if key == 'abs_mean' else 'variance'}"]
                   ) >= 10 * se
    half = proximal.myula_stationary(target, rng(), step_size=0.05, grid_points=2001)
    assert grid.values[0, 0] / half.values[0, 0] == pytest.approx(2.0, rel=0.05)


def test_fixed_smoothing_leaves_the_smoothed_target_bias():
    target = proximal.laplace_gaussian_target(rng())
    lam = 0.5
    smooth_abs, _ = proximal.smoothed_moments(target, lam)
    floor = abs(smooth_abs - target.constants["target_abs_mean"])
    tr = proximal.myula_stationary(target, rng(), step_size=0.002, smoothing=lam,
                                   grid_points=4001, half_width=8.0)
    assert floor >= 0.02
    assert tr.values[0, 0] == pytest.approx(floor, rel=0.05)
    assert abs(proximal.smoothed_moments(target, 1e-4)[0] - target.constants[
        "target_abs_mean"]) <= 1e-6


# ---------------------------------------------------------------- bad input

def _bad_calls():
    loc = location()
    sdd = diffusion.state_dependent_diffusion(rng())
    shards = federated.sharded_gaussian_posterior(rng())
    target = proximal.laplace_gaussian_target(rng())
    return [
        ("n_data", lambda: hamiltonian.gaussian_location_model(rng(), n_data=2, dim=2)),
        ("batch_size", lambda: hamiltonian.gaussian_location_model(rng(), batch_size=0)),
        ("prior", lambda: hamiltonian.gaussian_location_model(rng(), prior=-1.0)),
        ("rng", lambda: hamiltonian.gaussian_location_model(0)),
        ("integrator", lambda: hamiltonian.sghmc_exact(loc, rng(), integrator="leapfrog",
                                                       step_size=0.1)),
        ("step_size", lambda: hamiltonian.sghmc_exact(loc, rng(), integrator="euler",
                                                      step_size=0.0)),
        ("friction", lambda: hamiltonian.sghmc_exact(loc, rng(), integrator="euler",
                                                     step_size=0.1, friction=-1.0)),
        ("compensate", lambda: hamiltonian.sghmc_exact(loc, rng(), integrator="euler",
                                                       step_size=0.1, compensate="yes")),
        ("instance", lambda: hamiltonian.sghmc(sdd, rng(), integrator="euler", step_size=0.1,
                                               n_iter=10, chains=2)),
        ("chains", lambda: hamiltonian.sghmc(loc, rng(), integrator="euler", step_size=0.1,
                                             n_iter=10, chains=0)),
        ("metric", lambda: hamiltonian.sghmc(loc, rng(), integrator="euler", step_size=0.1,
                                             n_iter=10, chains=2, metric="w2")),
        ("variance_error", lambda: hamiltonian.variance_error(federated.fsgld(
            shards, rng(), step_size=1e-3, n_iter=5, chains=2))),
        ("potential", lambda: diffusion.state_dependent_diffusion(rng(), potential="quartic")),
        ("floor", lambda: diffusion.state_dependent_diffusion(rng(), floor=0.0)),
        ("alpha", lambda: diffusion.alpha_sde(sdd, rng(), alpha=1.5, n_iter=10)),
        ("corrected", lambda: diffusion.alpha_sde(sdd, rng(), alpha=0.5, corrected=1, n_iter=10)),
        ("backend", lambda: diffusion.alpha_sde(sdd, rng(), alpha=0.0, n_iter=10, backend="jax")),
        ("n_shards", lambda: federated.sharded_gaussian_posterior(rng(), n_shards=0)),
        ("noise", lambda: federated.sharded_gaussian_posterior(rng(), noise=0.0)),
        ("local_steps", lambda: federated.dsgld(shards, rng(), step_size=1e-3, n_iter=10,
                                                local_steps=0)),
        ("schedule", lambda: federated.fsgld(shards, rng(), step_size=1e-3, n_iter=10,
                                             schedule="star")),
        ("instance", lambda: federated.dsgld(loc, rng(), step_size=1e-3, n_iter=10)),
        ("l1_weight", lambda: proximal.laplace_gaussian_target(rng(), l1_weight=-1.0)),
        ("smoothing", lambda: proximal.myula_stationary(target, rng(), step_size=0.1,
                                                        smoothing=0.0)),
        ("grid_points", lambda: proximal.myula_stationary(target, rng(), step_size=1e-4)),
        ("metric", lambda: proximal.myula_stationary(target, rng(), step_size=0.1,
                                                     metric="kl")),
        ("burn_in", lambda: proximal.myula(target, rng(), step_size=0.1, n_iter=10,
                                           burn_in=-1)),
    ]


@pytest.mark.parametrize("case", range(len(_bad_calls())))
def test_bad_arguments_raise_value_error_naming_the_argument(case):
    name, call = _bad_calls()[case]
    with pytest.raises(ValueError, match=name):
        call()


def test_divergent_chains_are_reported_as_inf():
    target = proximal.laplace_gaussian_target(rng())
    tr = proximal.myula(target, rng(), step_size=3.0, n_iter=2000, chains=2)
    assert tr.info["first_nonfinite"] is not None and tr.values[0, -1] == np.inf
    shards = federated.sharded_gaussian_posterior(rng())
    tr = federated.dsgld(shards, rng(), step_size=0.05, n_iter=500, chains=2)
    assert tr.info["first_nonfinite"] is not None and federated.final_w2(tr) == np.inf
