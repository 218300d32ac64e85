"""Each Numba kernel against its NumPy twin and against a plain per-step loop; SGD and Langevin throughput.

Every method runs on the same instance, parameters and seed on each back end. Seconds are
the best of ``repeat`` calls, after one untimed call (Numba compiles or loads from its cache
then; the twin's first call pays for imports); the plain loops, which have neither, are not
warmed up. The plain loops
(:mod:`benchmarks.plain`) run one replica or chain at a time, so their time is linear in
the number of replicas: where that would take long they run a subset of the replicas and
their time is scaled up to the full count (said under the table). Throughput counts the
whole call, host-drawn randomness included.
"""
from __future__ import annotations

import numpy as np

from problems import langevin as lg
from problems import least_squares as ls
from problems import linear_classification as lc
from problems import linear_systems as lsys
from problems import matrix_sensing as ms
from problems import monotone_inclusion as mi
from problems import nonsmooth as ns
from problems import online_learning as ol
from problems import quadratic_models as qm
from problems import scalar_networks as sn

from . import plain
from .report import Table
from .timing import best

# method name -> (plain loop, the parameter counting replicas or chains, how many the loop runs)
PLAIN = {
    "gradient_descent": (plain.gradient_descent, None, None),
    "minibatch_sgd": (plain.minibatch_sgd, "replicas", 4),
    "ula": (plain.ula, "chains", 50),
    "mala": (plain.mala, "chains", 50),
}
# throughput rows: method name -> (what one unit of work is, the parameter counting parallel runs)
THROUGHPUT = {"minibatch_sgd": ("SGD updates", "replicas"),
              "ula": ("chain-steps", "chains"), "mala": ("chain-steps", "chains")}


def cases(scale: float):
    """``(name, method, instance, params)``; ``scale`` multiplies the iteration counts (and the SOR grid)."""
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
    poisson = lsys.shifted_laplacians(np.random.default_rng(0), grid=min(32, max(8, int(32 * scale))), horizon=1)
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


def measure(scale: float, repeat: int) -> list[dict]:
    """Seconds per back end for every case: ``numba``, ``numpy`` and, where there is one, ``plain``."""
    results = []
    for name, method, instance, params in cases(scale):
        run = lambda backend: method(instance, np.random.default_rng(0), **params, backend=backend)  # noqa: E731
        row = {"method": name, "params": params,
               "numba": best(lambda: run("numba"), repeat),
               "numpy": best(lambda: run("numpy"), repeat), "plain": None}
        if name in PLAIN:
            loop, key, count = PLAIN[name]
            subset = dict(params) if key is None else {**params, key: min(count, params[key])}
            seconds = best(lambda: loop(instance, np.random.default_rng(0), **subset), repeat, warm_up=False)
            row["plain"] = seconds if key is None else seconds * params[key] / subset[key]
            row["plain_subset"] = None if key is None else subset[key]
        results.append(row)
    return results


def kernel_table(results: list[dict]) -> Table:
    rows = tuple((r["method"], r["numba"], r["numpy"], r["plain"], r["numpy"] / r["numba"],
                  None if r["plain"] is None else r["plain"] / r["numba"]) for r in results)
    subsets = [f"{r['method']} on {r['plain_subset']} of {r['params'][PLAIN[r['method']][1]]}"
               for r in results if r.get("plain_subset") is not None]
    notes = ("seconds per call, best of the repeats after one untimed call (numba compiles or loads then)",
             "plain: a per-step Python/NumPy loop, one replica or chain at a time, same random numbers "
             "(benchmarks/plain.py)",
             f"plain timed on a subset of the replicas and scaled up linearly: {', '.join(subsets)}")
    return Table("kernels: Numba against its NumPy twin and a plain loop",
                 ("method", "numba s", "numpy s", "plain s", "numpy/numba", "plain/numba"), rows, notes)


def throughput_table(results: list[dict]) -> Table:
    rows = []
    for r in results:
        if r["method"] not in THROUGHPUT:
            continue
        unit, key = THROUGHPUT[r["method"]]
        work = r["params"][key] * r["params"]["n_iter"]
        rate = {b: (None if r[b] is None else work / r[b]) for b in ("numba", "numpy", "plain")}
        rows.append((r["method"], unit, rate["numba"], rate["numpy"], rate["plain"],
                     rate["numba"] / rate["numpy"],
                     None if rate["plain"] is None else rate["numba"] / rate["plain"]))
    notes = ("per second of a whole call (validation and host-drawn random numbers included), "
             "from the timings of the kernel table",)
    return Table("throughput: SGD updates and Langevin chain-steps per second",
                 ("method", "unit", "numba /s", "numpy /s", "plain /s", "numba/numpy", "numba/plain"),
                 tuple(rows), notes)

