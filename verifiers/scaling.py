r"""Scaling laws: the exponent of a cost in a swept parameter.

Statistical rule. The cost :math:`C(x)` is measured at every value of a geometric grid
(per seed: a fresh instance). The claimed expression :math:`g(x)` gives the exponent
:math:`p = \lim \log g/\log x`; its prefactor (a log factor) is divided out of the
cost. Per seed, :math:`\log C = a + \hat p \log x` is fitted by least squares over the
whole grid (the grid is chosen from the theory to lie inside the claimed regime); the
local slopes on the two halves of the grid must agree within the tolerance (else
``inconclusive``, unless the exponents of both halves lie outside the band on the same
side: then no part of the grid follows the claimed exponent, ``violated``); a bootstrap
interval over seeds of :math:`\hat p` is compared with the band of ``side``, as for
rates. Non-finite or non-positive costs make the verdict ``inconclusive``.
"""
from __future__ import annotations

import numpy as np

from theory.claim import Scaling
from verifiers.rate import MIN_SEEDS, band, refuted_on_both_halves, slope_drift
from verifiers.stats import decide_interval, mean_ci, slope
from verifiers.verdict import Verdict


def decide(x: np.ndarray, costs: np.ndarray, prefactor: np.ndarray, claimed_exponent: float, test: Scaling, *,
           seed: int = 0, ylabel: str = "cost", traces: list | None = None, trace_ylabel: str = "") -> Verdict:
    """Decide from ``costs`` of shape (seeds, len(x)). ``traces`` (the measured curves the
    costs were read from, one per value, for the report) are carried in the plot only."""
    x = np.asarray(x, dtype=np.float64)
    costs = np.atleast_2d(np.asarray(costs, dtype=np.float64))
    with np.errstate(divide="ignore", invalid="ignore"):
        adjusted = costs / np.asarray(prefactor, dtype=np.float64)[None, :]
    # the plot shows what is fitted: the cost with the claimed prefactor (a log factor) divided out
    plot = {"kind": "scaling", "parameter": test.parameter, "x": x.tolist(), "cost": adjusted.tolist(),
            "ylabel": ylabel, "fitted_slope": np.nan, "fitted_intercept": np.nan, "claimed_slope": claimed_exponent,
            "traces": traces or [], "trace_ylabel": trace_ylabel}
    bad = ~(np.isfinite(adjusted) & (adjusted > 0))
    if bad.any():
        k = int(np.flatnonzero(bad.any(axis=0))[0])
        return Verdict("inconclusive", f"cost not measurable (non-finite or non-positive) at "
                       f"{test.parameter} = {x[k]:g}", plot=plot, evidence={"bad_points": int(bad.sum())})
    logx, logs = np.log(x), np.log(adjusted)
    fits = [slope(logx, row) for row in logs]
    slopes = np.array([s for s, _ in fits])
    plot.update(fitted_slope=float(slopes.mean()), fitted_intercept=float(np.mean([c for _, c in fits])))
    drift = slope_drift(logx, logs.mean(axis=0), "power")
    centre, ci = mean_ci(slopes, test.confidence, seed=seed)
    allowed = band(claimed_exponent, test.tolerance, test.side, "power")
    evidence = {"seeds": int(costs.shape[0]), "grid": [float(x[0]), float(x[-1])], "slope_drift": drift,
                "tolerance": test.tolerance, "side": test.side, "allowed": [float(allowed[0]), float(allowed[1])],
                "ci_width": ci[1] - ci[0]}
    common = dict(estimate=centre, ci=ci, claimed_value=claimed_exponent, evidence=evidence, plot=plot)
    if costs.shape[0] < MIN_SEEDS:
        return Verdict("inconclusive", f"{costs.shape[0]} seeds give no trustworthy interval: run at least "
                       f"{MIN_SEEDS}", **common)
    if drift > test.tolerance:
        refuted = refuted_on_both_halves(logx, logs, allowed, test.confidence, seed)
        if refuted:
            return Verdict("violated", f"local exponents drift by {drift:.3g} across the grid, but both halves "
                           f"refute the claim on the same side: {refuted}", **common)
        return Verdict("inconclusive", f"local exponents drift by {drift:.3g} across the grid (tolerance "
                       f"{test.tolerance:g}): the grid leaves the claimed regime", **common)
    status = decide_interval(ci, *allowed)
    text = {"consistent": "lies inside", "violated": "lies outside", "inconclusive": "straddles"}[status]
    return Verdict(status, f"exponent in {test.parameter} {centre:.4g}, {test.confidence:.0%} CI "
                   f"[{ci[0]:.4g}, {ci[1]:.4g}] over {costs.shape[0]} seeds, {text} the allowed band "
                   f"[{allowed[0]:.4g}, {allowed[1]:.4g}]", **common)
