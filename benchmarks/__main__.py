"""``python -m benchmarks``: each Numba kernel against its NumPy twin on the same instance and seed.

Prints seconds (best of ``--repeat``, after one warm-up call that includes compilation) and the
ratio twin/kernel. The baseline is measured in the same run, so the ratio means something on a
shared, noisy machine where absolute seconds do not.
"""
import argparse
import time

import numpy as np

from problems import least_squares as ls
from problems import linear_classification as lc
from problems import nonsmooth as ns


def _cases(scale: float):
    n = lambda k: max(10, int(k * scale))  # noqa: E731
    design = ls.gaussian_design(np.random.default_rng(0), n_samples=200, dim=50, condition_number=100.0, noise=0.1)
    population = ls.gaussian_population(np.random.default_rng(0), dim=50, noise=1.0)
    separable = lc.separable_data(np.random.default_rng(0), n_samples=200, dim=10, margin=0.01)
    absolute = ns.absolute_regression(np.random.default_rng(0), dim=10)
    return [
        ("gradient_descent", ls.gradient_descent, design, dict(step_size=1.0, n_iter=n(100_000))),
        ("nesterov", ls.nesterov, design, dict(step_size=1.0, n_iter=n(100_000))),
        ("minibatch_sgd", ls.minibatch_sgd, design,
         dict(step_size=0.01, batch_size=1, n_iter=n(20_000), replicas=16, average="ema")),
        ("online_sgd", ls.online_sgd, population, dict(step_size=0.01, n_iter=n(5_000), replicas=16, average="ema")),
        ("logistic_gd", lc.logistic_gd, separable, dict(step_size=100.0, n_iter=n(5_000))),
        ("nonsmooth.sgd", ns.sgd, absolute, dict(step_size=0.1, n_iter=n(20_000), replicas=16)),
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
