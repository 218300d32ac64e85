r"""Bounds with explicit constants: PEPit's three forms (upper, lower, tight).

Statistical rule. With :math:`r = \text{measured}/\text{claimed}` at every recorded point:

* ``statistic="each"`` (deterministic methods): an upper bound is ``violated`` when
  :math:`\max r > 1 + \text{rtol}` anywhere, ``consistent`` otherwise; ``rtol`` covers
  round-off only. A lower bound mirrors it (:math:`\min r < 1 - \text{rtol}`); a tight
  claim needs :math:`|r - 1| \le \text{rtol}` everywhere.
* ``statistic="mean"`` (expectations): per seed, the ratio of the replica mean to the
  bound; across seeds a Student-t interval at each point, Bonferroni-corrected over the
  points so that the whole curve is one decision at level ``confidence``. ``violated`` when at some
  point the whole interval lies beyond :math:`1 \pm \text{rtol}`, ``consistent`` when
  at every point it lies on the claimed side, ``inconclusive`` otherwise.

Points where the claimed value is below ``floor`` times the first measured value are
under the floating-point floor and skipped, and so are points before ``burn_in``; the
evidence counts them. The evidence
always reports the worst ratio and where it occurred: near 1 means tight, far below 1
means "holds, not tight on these instances".
"""
from __future__ import annotations

from dataclasses import replace
from typing import Sequence

import numpy as np

from problems.types import first_nonfinite
from theory.claim import Bound
from verifiers.stats import normal_ci
from verifiers.verdict import Verdict


def _ratios(t, runs, test: Bound):
    """Per-seed ratio rows (replicas x K, or 1 x K for the mean) with skipped points as NaN."""
    rows, skipped = [], 0
    after_burn_in = np.asarray(t, dtype=np.float64)[None, :] >= test.burn_in
    for measured, claimed in runs:
        measured = np.asarray(measured, dtype=np.float64)
        if test.statistic == "mean":
            measured = measured.mean(axis=0, keepdims=True)
        claimed = np.asarray(claimed, dtype=np.float64)[None, :]
        reference = np.abs(measured[:, :1]) * test.floor
        keep = (np.abs(claimed) > reference) & after_burn_in
        skipped += int(np.count_nonzero(~keep & after_burn_in))  # below the floor
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            rows.append(np.where(keep, measured / claimed, np.nan))
    return rows, skipped


def decide(t: np.ndarray, runs: Sequence[tuple[np.ndarray, np.ndarray]], test: Bound, *,
           ylabel: str = "") -> Verdict:
    """Decide a bound from ``runs = [(measured (replicas x K), claimed (K,)), ...]``, one per seed."""
    t = np.asarray(t, dtype=np.float64)
    verdict = _decide(t, runs, test)
    # what is decided is drawn: every replica for "each", each seed's replica mean for "mean"
    shown = [np.atleast_2d(np.asarray(m, dtype=np.float64)) for m, _ in runs]
    if test.statistic == "mean":
        shown = [m.mean(axis=0, keepdims=True) for m in shown]
    plot = {"kind": "bound", "t": t.tolist(), "side": test.side, "xlabel": "t", "ylabel": ylabel,
            "burn_in": test.burn_in, "measured": [row.tolist() for m in shown for row in m],
            "claimed": [np.asarray(c, dtype=np.float64).tolist() for _, c in runs]}
    return replace(verdict, plot=plot)


def _decide(t, runs, test):
    # before the floor: a NaN first value would otherwise skip every point as "below the floor"
    firsts = [f for m, _ in runs if (f := first_nonfinite(t, np.atleast_2d(m))) is not None]
    if firsts:
        first = float(min(firsts))
        return Verdict("error", f"the measured quantity is not finite from t = {first:g} on",
                       evidence={"first_nonfinite_t": first})
    rows, skipped = _ratios(t, runs, test)
    ratios = np.stack([r for row in rows for r in row]) if test.statistic == "each" else np.vstack(rows)
    if np.isnan(ratios).all():
        return Verdict("inconclusive", "every point lies below the floating-point floor of the bound",
                       evidence={"points_below_floor": skipped})
    verdict = (_decide_each if test.statistic == "each" else _decide_mean)(t, ratios, test, skipped)
    early = int(np.count_nonzero(t < test.burn_in))
    return replace(verdict, evidence={**verdict.evidence, "points_before_burn_in": early}) if early else verdict


def _worst(t, ratios, side):
    scored = np.where(np.isnan(ratios), -np.inf, ratios if side == "upper" else
                      (-ratios if side == "lower" else np.abs(ratios - 1)))
    row, col = np.unravel_index(int(np.argmax(scored)), ratios.shape)
    return int(row), int(col)


def _decide_each(t, ratios, test, skipped):
    row, col = _worst(t, ratios, test.side)
    worst = float(ratios[row, col])
    if test.side == "upper":
        ok = worst <= 1 + test.rtol
    elif test.side == "lower":
        ok = worst >= 1 - test.rtol
    else:
        ok = abs(worst - 1) <= test.rtol
    finite = ratios[np.isfinite(ratios)]
    evidence = {"worst_ratio": worst, "worst_t": float(t[col]), "worst_run": row,
                "max_ratio": float(finite.max()), "min_ratio": float(finite.min()),
                "points_checked": int(finite.size), "points_below_floor": skipped, "rtol": test.rtol}
    where = f"measured/claimed = {worst:.6g} at t = {t[col]:g} (run {row})"
    if ok:
        # a bound that starts at the measured value (C(0) = 1) is trivially tight at t = 0:
        # tightness is judged on the later points
        later = ratios[:, t > t[0]] if t.size > 1 else ratios
        later = later[np.isfinite(later)]
        closest = float(later.max() if test.side == "upper" else later.min()) if later.size else worst
        evidence["worst_ratio_after_start"] = closest
        tight = "tight" if abs(closest - 1) < 1e-2 else \
            f"not tight on these instances (worst ratio after the start {closest:.3g})"
        return Verdict("consistent", f"{test.side} bound holds at all {finite.size} points; {tight}",
                       estimate=worst, claimed_value=1.0, evidence=evidence)
    return Verdict("violated", f"{test.side} bound fails beyond rtol={test.rtol:g}: {where}",
                   estimate=worst, claimed_value=1.0, evidence=evidence)


def _decide_mean(t, ratios, test, skipped):
    # one decision over all recorded points: Bonferroni-corrected intervals, so that a mean
    # sitting exactly on the bound is not refuted by chance at one of many checkpoints
    points = max(1, int(np.isfinite(ratios).any(axis=0).sum()))
    level = 1 - (1 - test.confidence) / points
    intervals = [normal_ci(ratios[:, k][np.isfinite(ratios[:, k])], level)
                 if np.isfinite(ratios[:, k]).sum() else (np.nan, (np.nan, np.nan)) for k in range(t.size)]
    centres = np.array([c for c, _ in intervals])
    lows = np.array([ci[0] for _, ci in intervals])
    highs = np.array([ci[1] for _, ci in intervals])
    if test.side == "upper":
        refuted, confirmed, k = lows > 1 + test.rtol, highs <= 1 + test.rtol, int(np.nanargmax(centres))
    elif test.side == "lower":
        refuted, confirmed, k = highs < 1 - test.rtol, lows >= 1 - test.rtol, int(np.nanargmin(centres))
    else:
        refuted = (lows > 1 + test.rtol) | (highs < 1 - test.rtol)
        confirmed = (lows >= 1 - test.rtol) & (highs <= 1 + test.rtol)
        k = int(np.nanargmax(np.abs(centres - 1)))
    valid = np.isfinite(centres)
    evidence = {"worst_mean_ratio": float(centres[k]), "worst_t": float(t[k]), "seeds": int(ratios.shape[0]),
                "points_below_floor": skipped, "rtol": test.rtol, "confidence": test.confidence}
    ci = (float(lows[k]), float(highs[k]))
    if refuted[valid].any():
        k = int(np.flatnonzero(refuted & valid)[0])
        return Verdict("violated", f"mean ratio {centres[k]:.4g} with {test.confidence:.0%} interval "
                       f"[{lows[k]:.4g}, {highs[k]:.4g}] at t = {t[k]:g} excludes the {test.side} bound",
                       estimate=float(centres[k]), ci=(float(lows[k]), float(highs[k])), claimed_value=1.0,
                       evidence=evidence)
    if confirmed[valid].all():
        return Verdict("consistent", f"{test.side} bound holds in expectation at all {int(valid.sum())} points "
                       f"(worst mean ratio {centres[k]:.4g})", estimate=float(centres[k]), ci=ci,
                       claimed_value=1.0, evidence=evidence)
    return Verdict("inconclusive", f"the {test.confidence:.0%} interval of the mean ratio straddles 1 + rtol "
                   f"at t = {t[k]:g}: more replicas needed", estimate=float(centres[k]), ci=ci,
                   claimed_value=1.0, evidence=evidence)
