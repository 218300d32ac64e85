r"""Monte Carlo variance of MI estimators with the optimal critic, swept over the number of pairs.

Estimators [1, Sec. 3-4, as recalled]: with :math:`n` samples of :math:`Q` (product of the
marginals) and, for NWJ, :math:`n` independent samples of :math:`P` (the joint),

* the partition-function estimate :math:`\hat Z_n = \mathbb E_{Q_n}[r]` that MINE / the
  Donsker-Varadhan bound take the log of (optimal critic :math:`T = \log r`);
* :math:`\hat I_{\mathrm{NWJ}} = \mathbb E_{P_n}[T] - \mathbb E_{Q_n}[e^{T-1}]` with the optimal
  critic :math:`T = 1 + \log r`, i.e. :math:`1 + \mathbb E_{P_n}[\log r] - \hat Z_n`.

Then exactly, for every :math:`n` [derived here: i.i.d. means, :math:`P` and :math:`Q` samples
independent], :math:`n\,\mathrm{Var}[\hat Z_n] = \mathrm{Var}_Q[r]` and
:math:`n\,\mathrm{Var}[\hat I_{\mathrm{NWJ}}] = \mathrm{Var}_P[\log r] + \mathrm{Var}_Q[r]`. Song &
Ermon's Theorem 2 [1, as recalled, not re-read] bounds these from below:
:math:`\mathrm{Var}_Q[\mathbb E_{Q_n} r] \ge (e^{D_{\mathrm{KL}}(P\|Q)} - 1)/n` (Jensen:
:math:`\log\mathbb E_Q r^2 = \log\mathbb E_P r \ge \mathbb E_P\log r`); on Gaussian pairs the
exact value is :math:`e^{2I} - 1` (``generators``).

Measured, per replica and per number of pairs :math:`d`: the estimator's :math:`n\,\mathrm{Var}`,
estimated from :math:`N(d)` samples as :math:`\frac1N\sum (r_i - 1)^2` (plus
:math:`\frac1N\sum(\log r_i - I)^2` over :math:`P` samples for NWJ), with the exact means
:math:`\mathbb E_Q r = 1`, :math:`\mathbb E_P\log r = I`: unbiased, and the same as the
replicated estimate of :math:`n\,\mathrm{Var}[\hat Z_n]` from :math:`N/n` estimates of size
:math:`n` (the sum of the same :math:`N` squared deviations). Sample size [derived here]: one term
:math:`(r - 1)^2` has relative variance ``kurtosis`` :math:`= \mathrm{Var}_Q[(r-1)^2]/\mathrm{Var}_Q[r]^2`
(exact, finite for :math:`\rho < 1/3`), so :math:`N(d) = \lceil \text{kurtosis}(d)/\varepsilon^2\rceil`
gives the relative standard error :math:`\varepsilon` = ``relative_error`` at every :math:`d`. The
kurtosis grows like :math:`e^{8I}` (lognormal limit of small :math:`\rho`): the information that
can be reached at a fixed budget is about :math:`\log(N\varepsilon^2)/8` nats.

Change of measure (``variance_estimator="tilted"``) [derived here]:
:math:`\mathrm{Var}_Q[r] = \mathbb E_Q[r^2] - 1 = \mathbb E_P[r] - 1`, estimated by
:math:`\frac1N\sum_i (r_i - 1)` over samples of :math:`P` (for NWJ the same samples give the
:math:`\mathrm{Var}_P[\log r]` term). The same quantity, unbiased, with per-sample relative variance
``tilted_relative_variance`` :math:`\approx e^{2I}` instead of :math:`e^{8I}`: it measures the
estimator's variance several nats further at the same budget, where the direct replicated estimate
(``"direct"``, the default) could not resolve it.

Samplers (``sampler``): ``"chi2"`` draws :math:`(U, V)` (two chi-square numbers per sample,
exact in law, any :math:`d`); ``"pairs"`` draws the :math:`2d` Gaussians of each sample (the
definition; for tests and small :math:`d`).

[1] J. Song, S. Ermon (2020). Understanding the Limitations of Variational Mutual Information
    Estimators. ICLR 2020 (arXiv:1910.06222).
"""
from __future__ import annotations

import math

import numpy as np

import problems.backend
from problems import _validate as _checks
from problems.types import Instance, Trace, chunks, first_nonfinite

from . import _kernels, _reference
from .generators import MAX_CORRELATION, kurtosis, tilted_relative_variance

ESTIMATORS = ("partition", "nwj")
VARIANCE_ESTIMATORS = ("direct", "tilted")
METRICS = ("n_var", "second_moment")
SAMPLERS = ("chi2", "pairs")
BACKENDS = problems.backend.BACKENDS
MIN_SAMPLES = 1000


def estimator_variance(instance, rng, *, n_pairs_values=None, estimator="partition", variance_estimator="direct",
                       relative_error=0.1, samples=None, max_samples=2**23, replicas=1, sampler="chi2",
                       metric="n_var", backend="numba") -> Trace:
    r""":math:`n\,\mathrm{Var}` of the optimal-critic estimator at each number of pairs :math:`d`.

    Parameters
    ----------
    instance : Instance
        From ``generators.correlated_gaussians`` (its ``correlation`` is used; its ``n_pairs`` is
        the default sweep).
    rng : numpy.random.Generator
        For each :math:`d` in order, each replica in order, chunk by chunk of :math:`m` samples: the
        :math:`Q` draws (``chi2``: ``rng.chisquare(d, (m, 2))``, columns :math:`U, V`; ``pairs``:
        ``standard_normal((m, 2, d))``, :math:`X, Y`), then for NWJ the :math:`P` draws (the same shapes;
        :math:`U, V` scaled by :math:`1 \pm \rho`; :math:`Y = \rho X + \sqrt{1-\rho^2}Z`). Sample-major
        arrays: the stream, hence the result (up to the grouping of the sums), does not depend on the chunk size.
        ``"tilted"`` draws only the :math:`P` samples.
    n_pairs_values : sequence of int, optional
        The sweep :math:`d`, increasing (the trace's ``t``); default ``[instance n_pairs]``.
    estimator : {"partition", "nwj"}
    variance_estimator : {"direct", "tilted"}
        Average of :math:`(r - 1)^2` over :math:`Q`, or of :math:`r - 1` over :math:`P` (module docstring).
    relative_error : float
        Target relative standard error :math:`\varepsilon` per replica and point, giving
        :math:`N(d) = \max(1000, \lceil v(d)/\varepsilon^2\rceil)`, :math:`v` the exact per-sample relative
        variance of the partition term (``kurtosis`` or ``tilted_relative_variance``).
    samples : int, optional
        A fixed :math:`N` instead (at least 2).
    max_samples : int
        Refuse a point needing more samples than this (the budget).
    replicas : int
    sampler : {"chi2", "pairs"}
    metric : {"n_var", "second_moment"}
        :math:`n\,\mathrm{Var}` of the estimator, or (``estimator="partition"`` only)
        :math:`1 + n\,\mathrm{Var}[\hat Z_n] = \mathbb E_Q[r^2] = e^{D_2(P\|Q)}`, a pure exponential in
        :math:`d` on Gaussian pairs (no :math:`-1` to model when telling exponential from polynomial growth).
    backend : {"numba", "numpy", "cupy", "array_api_strict"}
        The Numba kernels, or their array-API twins on that namespace (:mod:`problems.backend`): the
        draws are made on the host as above, each chunk is moved to the device and reduced there.

    Returns
    -------
    Trace
        ``t`` = the :math:`d`; ``values`` (replicas x len(t)). ``info``: ``first_nonfinite``,
        ``backend``, ``sampler``, ``estimator``, ``variance_estimator``, ``samples`` (:math:`N(d)`),
        ``relative_variance`` (:math:`v(d)`, exact), ``expected_relative_error`` :math:`\sqrt{v/N}`, ``exact`` (the
        exact value of the metric per :math:`d`), ``mi`` (per :math:`d`), ``correlation``, ``replicas``.
    """
    if not isinstance(instance, Instance) or "correlation" not in instance.constants:
        raise ValueError(f"instance must be an Instance from correlated_gaussians, got {instance!r:.80}")
    rng = _checks.generator(rng)
    rho = float(instance.constants["correlation"])
    if not 0.0 < rho < MAX_CORRELATION:
        raise ValueError(f"instance correlation {rho!r} must lie in (0, 1/3); build it with correlated_gaussians")
    d_values = _sweep(instance, n_pairs_values)
    est = _checks.choice("estimator", estimator, ESTIMATORS)
    tilted = _checks.choice("variance_estimator", variance_estimator, VARIANCE_ESTIMATORS) == 1
    shift = float(_checks.choice("metric", metric, METRICS))
    if shift and est == 1:
        raise ValueError("metric='second_moment' is the partition estimate's E_Q[r^2]; pass estimator='partition' "
                         "or metric='n_var'")
    R = _checks.integer("replicas", replicas, low=1)
    use_pairs = _checks.choice("sampler", sampler, SAMPLERS) == 1
    impl = _backend(backend)
    kurt, N = _sample_sizes(rho, d_values, tilted, relative_error, samples, max_samples)
    out = np.full((R, d_values.size), np.nan)
    for k, d in enumerate(d_values):
        for r in range(R):
            sums = np.zeros(2)
            if tilted:
                _draw_p(*impl, rng, rho, int(d), int(N[k]), use_pairs, _mi(rho, d), sums, tilted=True)
            else:
                _draw_q(*impl, rng, rho, int(d), int(N[k]), use_pairs, sums)
                if est == 1:
                    _draw_p(*impl, rng, rho, int(d), int(N[k]), use_pairs, _mi(rho, d), sums, tilted=False)
            out[r, k] = shift + (sums[0] + (sums[1] if est == 1 else 0.0)) / N[k]
    exact = shift + np.expm1(2.0 * np.array([_mi(rho, d) for d in d_values]))
    if est == 1:
        exact = exact + d_values * rho * rho
    info = {"first_nonfinite": first_nonfinite(d_values, out), "backend": backend, "sampler": sampler,
            "estimator": estimator, "variance_estimator": variance_estimator, "samples": N,
            "relative_variance": kurt, "expected_relative_error": np.sqrt(kurt / N),
            "exact": exact, "mi": np.array([_mi(rho, d) for d in d_values]), "correlation": rho, "replicas": R}
    name = "E_Q[r^2]" if shift else f"n Var[{estimator}]"
    return Trace(name, d_values.astype(np.float64), out, info)


def _sample_sizes(rho, d_values, tilted, relative_error, samples, max_samples):
    """The exact per-sample relative variance :math:`v(d)` and the sample sizes :math:`N(d)`."""
    eps = _checks.positive("relative_error", relative_error, fix="pass the target relative standard error, e.g. 0.1")
    cap = _checks.integer("max_samples", max_samples, low=2)
    kurt = np.array([(tilted_relative_variance if tilted else kurtosis)(rho, d) for d in d_values])
    if samples is None:
        N = np.maximum(MIN_SAMPLES, np.ceil(kurt / eps**2)).astype(np.int64)
    else:
        N = np.full(d_values.size, _checks.integer("samples", samples, low=2), dtype=np.int64)
    if N.max() > cap:
        k = int(np.argmax(N))
        raise ValueError(f"relative_error={eps:g} at n_pairs={d_values[k]} (I = {_mi(rho, d_values[k]):.3g} nats, "
                         f"relative variance {kurt[k]:.3g} per sample) needs {N[k]} samples, more than "
                         f"max_samples={cap}; raise relative_error or max_samples, or sweep fewer pairs")
    return kurt, N


def _backend(backend):
    """``(impl, move)``: the Numba kernels and the identity, or the array-API twins and the move of
    a host array to the back end's device (chosen here, once)."""
    _checks.choice("backend", backend, BACKENDS)  # a ValueError naming the allowed back ends
    return problems.backend.implementation(backend, _kernels, _reference)


def _draw_q(impl, move, rng, rho, d, N, use_pairs, sums):
    # one array per chunk, sample-major, so that the stream does not depend on the chunk size
    for t0, t1 in chunks(N, 2 * d if use_pairs else 2):
        m = t1 - t0
        if use_pairs:
            Z = rng.standard_normal((m, 2, d))
            impl._partition_sums_pairs(move(Z[:, 0]), move(Z[:, 1]), rho, sums)
        else:
            W = rng.chisquare(d, (m, 2))
            impl._partition_sums_chi2(move(W[:, 0]), move(W[:, 1]), float(d), rho, sums)


def _draw_p(impl, move, rng, rho, d, N, use_pairs, mi, sums, tilted):
    # the P samples are built on the host from the draws (the same numbers on every back end)
    for t0, t1 in chunks(N, 2 * d if use_pairs else 2):
        m = t1 - t0
        if use_pairs:
            Z = rng.standard_normal((m, 2, d))
            X = Z[:, 0]
            Y = rho * X + math.sqrt(1.0 - rho * rho) * Z[:, 1]
            (impl._tilted_sums_pairs if tilted else impl._information_sums_pairs)(move(X), move(Y), rho, mi, sums)
        else:
            W = rng.chisquare(d, (m, 2))
            U = (1.0 + rho) * W[:, 0]
            V = (1.0 - rho) * W[:, 1]
            add = impl._tilted_sums_chi2 if tilted else impl._information_sums_chi2
            add(move(U), move(V), float(d), rho, mi, sums)


def _mi(rho: float, d) -> float:
    return float(-0.5 * d * np.log1p(-rho * rho))


def _sweep(instance, n_pairs_values) -> np.ndarray:
    if n_pairs_values is None:
        return np.array([int(instance.constants["n_pairs"])], dtype=np.int64)
    values = np.asarray(n_pairs_values)
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"n_pairs_values must be a non-empty sequence of integers, got {n_pairs_values!r}")
    cleaned = np.array([_checks.integer("n_pairs_values", v, low=1) for v in values.tolist()], dtype=np.int64)
    if np.any(np.diff(cleaned) <= 0):
        raise ValueError(f"n_pairs_values must be strictly increasing, got {n_pairs_values!r}; sort them")
    return cleaned
