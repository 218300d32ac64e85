"""``python -m benchmarks``: each Numba kernel against its NumPy twin on the same instance and seed.

Prints seconds (best of ``--repeat``, after one warm-up call that includes compilation) and the
ratio twin/kernel. The baseline is measured in the same run, so the ratio means something on a
shared, noisy machine where absolute seconds do not.
"""
import argparse
import time

import numpy as np

from problems import langevin as lg
from problems import least_squares as ls
from problems import linear_systems as lsys
from problems import linear_classification as lc
from problems import matrix_sensing as ms
from problems import monotone_inclusion as mi
from problems import nonsmooth as ns
from problems import online_learning as ol
from problems import quadratic_models as qm
from problems import scalar_networks as sn


def _cases(scale: float):
    n = lambda k: max(10, int(k * scale))  # noqa: E731
    design = ls.gaussian_design(np.random.default_rng(0), n_samples=200, dim=50, condition_number=100.0, noise=0.1)
    population = ls.gaussian_population(np.random.default_rng(0), dim=50, noise=1.0)
    separable = lc.separable_data(np.random.default_rng(0), n_samples=200, dim=10, margin=0.01)
    absolute = ns.absolute_regression(np.random.default_rng(0), dim=10)
    low_rank = ms.symmetric_low_rank(np.random.default_rng(0), dim=50, rank=2)
    sensed = ms.symmetric_low_rank(np.random.default_rng(0), dim=20, rank=2, n_measurements=200,
                                   outlier_fraction=0.1, outlier_scale=10.0)
    rectangular = ms.asymmetric_low_rank(np.random.default_rng(0), rows=50, cols=40, rank=2)
    finite_sum = mi.cocoercive_linear(np.random.default_rng(0), dim=20, n_components=1024)
    scalar = sn.scalar_network(np.random.default_rng(0), depth=4)
    quadratic = qm.quadratic_model(np.random.default_rng(0), n_outputs=5, coupling=0.5)
    gaussian = lg.gaussian_target(np.random.default_rng(0), dim=10, condition_number=10.0)
    logcosh = lg.coupled_logcosh_target(np.random.default_rng(0), dim=64)
    diffusion = lg.state_dependent_diffusion(np.random.default_rng(0))
    online = ol.linear_sea(np.random.default_rng(0), dim=5, horizon=n(20_000), sigma=1.0)
    poisson = lsys.shifted_laplacians(np.random.default_rng(0), grid=32, horizon=1)
    return [
        ("gradient_descent", ls.gradient_descent, design, dict(step_size=1.0, n_iter=n(100_000))),
        ("nesterov", ls.nesterov, design, dict(step_size=1.0, n_iter=n(100_000))),
        ("minibatch_sgd", ls.minibatch_sgd, design,
         dict(step_size=0.01, batch_size=1, n_iter=n(20_000), replicas=16, average="ema")),
        ("online_sgd", ls.online_sgd, population, dict(step_size=0.01, n_iter=n(5_000), replicas=16, average="ema")),
        ("logistic_gd", lc.logistic_gd, separable, dict(step_size=100.0, n_iter=n(5_000))),
        ("nonsmooth.sgd", ns.sgd, absolute, dict(step_size=0.1, n_iter=n(20_000), replicas=16)),
        # the target: 1e5 steps at n = 50 in seconds
        ("symmetric_gd", ms.symmetric_gd, low_rank, dict(width=4, init_scale=0.3, step_size=0.2, n_iter=n(100_000))),
        ("asymmetric_gd", ms.asymmetric_gd, rectangular,
         dict(width=4, init_scale=0.3, init_ratio=1 / 3, step_size=0.2, n_iter=n(100_000))),
        ("subgradient_l1", ms.subgradient_l1, sensed,
         dict(width=4, init_scale=1e-3, step_size=0.5, decay=0.99, n_iter=n(2_000))),
        ("vr_halpern", mi.vr_halpern, finite_sum, dict(n_iter=n(20_000), replicas=4)),
        ("scalar_gd", sn.scalar_gd, scalar, dict(n_iter=n(20_000), metric="gfs_sharpness_increase")),
        ("quadratic_gd", qm.quadratic_gd, quadratic, dict(n_iter=n(10_000))),
        # chain throughput: 1000 chains x 2000 steps x d = 10
        ("ula", lg.ula, gaussian, dict(step_size=0.03, n_iter=n(2_000), chains=1000, metric="variance_ratio")),
        ("mala", lg.mala, gaussian, dict(step_size=0.03, n_iter=n(2_000), chains=1000, metric="variance_ratio")),
        ("ula_coupling", lg.ula_coupling, logcosh, dict(step_size=0.1, n_iter=n(100), chains=100, refinement=16)),
        ("alpha_sde", lg.alpha_sde, diffusion, dict(alpha=0.5, n_iter=n(5_000), chains=1000)),
        ("optimistic_omd", ol.optimistic_omd, online, dict(replicas=16)),
        ("sor_iterations", lsys.sor_iterations, poisson, dict(replicas=2)),
    ]


def _best(function, instance, params, backend, repeat):
    function(instance, np.random.default_rng(0), **params, backend=backend)  # warm-up (compiles)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function(instance, np.random.default_rng(0), **params, backend=backend)
        times.append(time.perf_counter() - started)
    return min(times)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every iteration count")
    args = parser.parse_args(argv)
    print(f"{'method':<18} {'numba s':>9} {'numpy s':>9} {'numpy/numba':>12}")
    for name, function, instance, params in _cases(args.scale):
        fast = _best(function, instance, params, "numba", args.repeat)
        slow = _best(function, instance, params, "numpy", args.repeat)
        print(f"{name:<18} {fast:9.4f} {slow:9.4f} {slow / fast:12.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
