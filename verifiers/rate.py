r"""Rates: the exponent of a power law or the factor of a linear rate, with an interval.

Statistical rule (``../shared/VERIFICATION.md``, "Fitting a rate"):

1. Per seed, average the replicas (an expectation), divide by the claimed prefactor
   (log factors, the :math:`t` in front of :math:`t\rho^t`), and fit
   :math:`\log y = a + p\log t` (power) or :math:`\log y = a + t\log\rho` (linear).
2. The window starts at ``burn_in`` and ends before the median curve, relative to its
   first value, reaches ``floor`` (the floating-point or noise floor). It must span
   ``min_decades`` decades of :math:`t` (power) or ``min_efolds`` e-foldings of decay
   (linear), else ``inconclusive``.
3. The local slopes on the two halves of the window must agree within the tolerance,
   else the asymptotic regime was not reached: ``inconclusive``. One exception: when the
   claimed form drifts but the *other* form (a power law for a claimed linear rate, a
   linear rate for a claimed power law) fits the same window without drifting, the
   measurement has the other form; and when the slopes fitted on each half both lie outside the
   allowed band on the same side, no part of the window follows the claim: ``violated``.
   A power law decays slower than every linear rate and a
   linear rate faster than every power law, so that refutes a two-sided claim and the side
   it contradicts (a power-law decay refutes ``O(rho^t)``; a linear decay refutes
   ``Omega(t^p)``) and satisfies the other side. The same holds when the window is too
   short for the claimed form (a linear decay reaching the floor within a fraction of a
   decade) but long enough for the other.
4. A bootstrap interval over seeds of :math:`p` (or of :math:`\log\hat\rho/\log\rho`)
   is compared with the band allowed by ``side``: ``consistent`` inside, ``violated``
   outside, ``inconclusive`` straddling.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from problems.types import first_nonfinite
from theory.claim import Rate
from verifiers.stats import decide_interval, mean_ci, slope
from verifiers.verdict import Verdict

MIN_SEEDS = 8  # VERIFICATION.md: an interval over seeds needs at least 8 independent ones


def band(claimed: float, tolerance: float, side: str, form: str) -> tuple[float, float]:
    """Allowed values of the fitted quantity: the exponent ``p`` (power) or the ratio
    ``log rho_hat / log rho`` (linear, where 1 is the claimed rate)."""
    centre = claimed if form == "power" else 1.0
    low, high = centre - tolerance, centre + tolerance
    faster_is_larger = form == "linear"  # a faster decay is a more negative p, a larger ratio
    if side == "upper":  # O(.): only a slower decay refutes
        return (low, np.inf) if faster_is_larger else (-np.inf, high)
    if side == "lower":  # Omega(.): only a faster decay refutes
        return (-np.inf, high) if faster_is_larger else (low, np.inf)
    return low, high


def fit_window(t, raw, curves, *, form: str, burn_in: float, floor: float) -> np.ndarray:
    """Indices of the fit window: after the burn-in, before the floor.

    The floor is met where the median over seeds of the raw measurement, relative to
    its first recorded value, falls to ``floor``; the window ends just before.
    """
    t = np.asarray(t, dtype=np.float64)
    usable = (t >= burn_in) & np.all(np.isfinite(curves) & (curves > 0), axis=0)
    if form == "power":
        usable &= t > 0
    if not usable.any():
        return np.array([], dtype=int)
    first = int(np.flatnonzero(usable)[0])
    with np.errstate(divide="ignore", invalid="ignore"):
        relative = np.median(raw / raw[:, :1], axis=0)
    below = np.flatnonzero((relative <= floor) | ~usable)
    below = below[below > first]
    end = int(below[0]) if below.size else t.size
    return np.arange(first, end)


def _decay_span(t, log_curve, form):
    if form == "power":
        return float(np.log10(t[-1] / t[0]))
    return float(abs(log_curve[0] - log_curve[-1]))


def decide(t: np.ndarray, runs: Sequence[tuple[np.ndarray, np.ndarray, float]], test: Rate, *,
           form: str, burn_in: float, seed: int = 0, ylabel: str = "") -> Verdict:
    """Decide a rate from ``runs = [(measured (replicas x K), prefactor (K,), claimed_slope), ...]``."""
    t = np.asarray(t, dtype=np.float64)
    raw = np.stack([np.asarray(m, dtype=np.float64).mean(axis=0) for m, _, _ in runs])
    first = first_nonfinite(t, raw)
    if first is not None:
        return Verdict("error", f"the measured quantity is not finite from t = {first:g} on",
                       evidence={"first_nonfinite_t": float(first)})
    with np.errstate(divide="ignore", invalid="ignore"):
        curves = raw / np.stack([np.asarray(p, dtype=np.float64) for _, p, _ in runs])
    claimed = np.array([c for _, _, c in runs], dtype=np.float64)
    x = np.log(t, where=t > 0, out=np.full_like(t, np.nan)) if form == "power" else t
    window = fit_window(t, raw, curves, form=form, burn_in=burn_in, floor=test.floor)
    plot = _plot(t, curves, window, form, ylabel)
    if window.size < 4:
        return Verdict("inconclusive", f"fit window too short ({window.size} points after burn-in "
                       f"t >= {burn_in:g} and before the floor)", plot=plot, evidence={"window_points": int(window.size)})
    tw, xw, logs = t[window], x[window], np.log(curves[:, window])
    span = _decay_span(tw, np.median(logs, axis=0), form)
    needed = test.min_decades if form == "power" else test.min_efolds
    window_ev = {"window": [float(tw[0]), float(tw[-1])], "window_points": int(window.size), "seeds": len(runs)}
    if span < needed:
        unit = "decades of t" if form == "power" else "e-foldings"
        short = f"fit window [{tw[0]:g}, {tw[-1]:g}] spans {span:.2f} {unit}, fewer than the {needed:g} required"
        other = _other_form(t[window], raw[:, window], form, test)
        if other is not None:
            return _other_form_verdict(other, form, short, test, dict(evidence=window_ev, plot=plot))
        return Verdict("inconclusive", short, plot=plot, evidence=window_ev)
    fits = [slope(xw, row) for row in logs]
    slopes = np.array([s for s, _ in fits])
    intercepts = np.array([c for _, c in fits])
    plot.update(fitted_slope=float(slopes.mean()), fitted_intercept=float(intercepts.mean()),
                claimed_slope=float(claimed.mean()))
    drift = slope_drift(xw, logs.mean(axis=0), form)
    statistic = slopes if form == "power" else slopes / claimed
    centre, ci = mean_ci(statistic, test.confidence, seed=seed)
    allowed = band(float(claimed.mean()), test.tolerance, test.side, form)
    evidence = {**window_ev, "slope_drift": drift, "tolerance": test.tolerance, "side": test.side,
                "allowed": [float(allowed[0]), float(allowed[1])], "ci_width": ci[1] - ci[0]}
    estimate, ci_shown, claim_shown = _shown(form, centre, ci, slopes, claimed)
    evidence["fitted"] = estimate
    common = dict(estimate=estimate, ci=ci_shown, claimed_value=claim_shown, evidence=evidence, plot=plot)
    if len(runs) < MIN_SEEDS:
        return Verdict("inconclusive", f"{len(runs)} seeds give no trustworthy interval: run at least {MIN_SEEDS}",
                       **common)
    if drift > test.tolerance:
        other = _other_form(t[window], raw[:, window], form, test)
        if other is not None:
            drifting = f"the local slopes of the claimed form drift by {drift:.3g}"
            return _other_form_verdict(other, form, drifting, test, common)
        statistic_logs = logs if form == "power" else logs / claimed[:, None]  # slopes in the band's units
        halves = refuted_on_both_halves(xw, statistic_logs, allowed, test.confidence, seed)
        if halves:
            return Verdict("violated", f"local slopes drift by {drift:.3g} across the window, but both halves "
                           f"refute the claim on the same side: {halves}", **common)
        return Verdict("inconclusive", f"local slopes drift by {drift:.3g} across the window (tolerance "
                       f"{test.tolerance:g}): the asymptotic regime was not reached", **common)
    status = decide_interval(ci, *allowed)
    what = "exponent" if form == "power" else "log-rate ratio log(rho_hat)/log(rho)"
    text = {"consistent": "lies inside", "violated": "lies outside", "inconclusive": "straddles"}[status]
    reason = (f"{what} {centre:.4g}, {test.confidence:.0%} CI [{ci[0]:.4g}, {ci[1]:.4g}] over {len(runs)} seeds, "
              f"{text} the allowed band [{allowed[0]:.4g}, {allowed[1]:.4g}] (fit on t in [{tw[0]:g}, {tw[-1]:g}])")
    return Verdict(status, reason, **common)


def _other_form(t, raw, form, test: Rate):
    """The fit of the form that was not claimed, on the same window, when that form spans
    enough of the window and does not drift: ``(form, mean slope, drift)``, else ``None``."""
    other = "linear" if form == "power" else "power"
    positive = t > 0
    if positive.sum() < 4:
        return None
    x = np.log(t[positive]) if other == "power" else t[positive]
    log_curve = np.log(raw[:, positive]).mean(axis=0)
    span = _decay_span(t[positive], log_curve, other)
    drift = slope_drift(x, log_curve, other)
    if span < (test.min_decades if other == "power" else test.min_efolds) or drift > test.tolerance:
        return None
    fitted, intercept = slope(x, log_curve)
    return other, fitted, drift, intercept


def _other_form_verdict(other, form, why_not_claimed: str, test: Rate, common: dict) -> Verdict:
    """A measurement of the other form: slower than any linear rate (a power law), or faster
    than any power law (a linear rate); decided by the side of the claim."""
    other_form, fitted, other_drift, intercept = other
    slower = other_form == "power"  # the data decay slower than the claimed (linear) form
    refutes = test.side == "two-sided" or (test.side == "upper") == slower
    shape = (f"a power law t^{fitted:.3g}" if other_form == "power"
             else f"a linear rate {np.exp(fitted):.6g}^t")
    claimed = "linear rate" if form == "linear" else "power law"
    speed = "slower than every linear rate" if slower else "faster than every power law"
    reason = (f"the measurement follows {shape} on the window (its local slopes agree within "
              f"{other_drift:.3g}), not the claimed {claimed} ({why_not_claimed}): the decay is {speed}")
    evidence = {**common.get("evidence", {}), "other_form": other_form, "other_form_slope": fitted,
                "other_form_drift": other_drift}
    # the plot draws the form the data follow (the claimed slope has no meaning in it)
    plot = {**common.get("plot", {}), "fit_form": other_form, "fitted_slope": fitted, "fitted_intercept": intercept,
            "claimed_slope": np.nan}
    return Verdict("violated" if refutes else "consistent", reason, **{**common, "evidence": evidence, "plot": plot})


def _shown(form, centre, ci, slopes, claimed):
    """What the table shows: the exponent, or the per-step factor rho (decided on the ratio)."""
    if form == "power":
        return centre, ci, float(claimed.mean())
    log_rho = float(claimed.mean())
    ends = sorted((float(np.exp(ci[0] * log_rho)), float(np.exp(ci[1] * log_rho))))
    return float(np.exp(slopes.mean())), (ends[0], ends[1]), float(np.exp(log_rho))


def slope_drift(x, log_curve, form) -> float:
    """|slope on the first half - slope on the second half|; for a linear rate relative to the
    slope over the whole window (a property of the measurement, not of the claim)."""
    mid = 0.5 * (x[0] + x[-1])
    first, second = x <= mid, x >= mid
    if first.sum() < 2 or second.sum() < 2:
        return 0.0
    s1, _ = slope(x[first], log_curve[first])
    s2, _ = slope(x[second], log_curve[second])
    if form == "power":
        return float(abs(s1 - s2))
    overall, _ = slope(x, log_curve)
    return float(abs(s1 - s2) / max(abs(overall), np.finfo(float).tiny))


def _plot(t, curves, window, form, ylabel):
    return {"kind": "rate", "form": form, "t": t.tolist(), "measured": curves.tolist(), "ylabel": ylabel,
            "window": [float(t[window[0]]), float(t[window[-1]])] if window.size else [np.nan, np.nan],
            "fitted_slope": np.nan, "fitted_intercept": np.nan, "claimed_slope": np.nan}


def refuted_on_both_halves(x, logs, allowed, confidence: float, seed: int) -> str:
    """When no single exponent fits, the claimed one is still refuted if the slopes fitted on
    the lower and on the upper half of ``x`` (sharing the middle) both lie outside the
    ``allowed`` band on the same side, each with its interval over seeds (rows of ``logs``).
    Returns the evidence, or ``""`` when they do not."""
    middle = 0.5 * (x[0] + x[-1])
    halves = []
    for part in (x <= middle + 1e-12, x >= middle - 1e-12):
        if part.sum() < 2:
            return ""
        slopes = np.array([slope(x[part], row[part])[0] for row in logs])
        centre, ci = mean_ci(slopes, confidence, seed=seed)
        halves.append((centre, ci))
    above = all(ci[0] > allowed[1] for _, ci in halves)
    below = all(ci[1] < allowed[0] for _, ci in halves)
    if not (above or below):
        return ""
    return "; ".join(f"{name} half {c:.3g} [{ci[0]:.3g}, {ci[1]:.3g}]" for name, (c, ci) in zip(("lower", "upper"), halves))
