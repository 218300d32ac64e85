r"""Property test and worst-case search of a bound or a threshold over instances (hypothesis + Nelder-Mead).

Random instances sit far from the worst case, so a bound that holds on them may still be
false. For a claim with a :class:`~theory.claim.Search`:

1. hypothesis draws instance and method parameters from the claim's space (and a seed),
   skips draws whose instance breaks the claim's assumptions (they test nothing), runs the
   method and scores the run by its ratio to the bound (the largest ratio after the start
   for an upper bound, the smallest for a lower one, the largest :math:`|r - 1|` for a tight
   one) or, for a threshold, by located/claimed on that instance, which ``hypothesis.target``
   pushes towards the worst case;
2. a violation is shrunk by hypothesis to a minimal counterexample, which the record keeps
   with the command that replays it;
3. without one, Nelder-Mead polishes the best draw over the continuous parameters.

A bound in expectation is decided on each draw from the claim's ``seeds`` instances (a
Monte Carlo experiment per draw), at a confidence Bonferroni-corrected over every draw the
search may make, so that many draws do not manufacture a false alarm; such draws are not
shrunk (each shrinking step would be another experiment, and a counterexample shrunk to
the edge of significance would not replicate).

:func:`ablate` repeats the search with one assumption dropped (the others still
checked), on the instances its :class:`~theory.claim.Ablation` says may break it: a
counterexample there shows the assumption is needed.

The search is seeded by the root seed and the claim id, so it reproduces.
"""
from __future__ import annotations

import inspect
import json
import math
import zlib
from typing import Any, Optional

import numpy as np

from dataclasses import replace

from theory.claim import Bound, Claim, Interval, Search, Threshold, parse_expression
from verifiers import assumptions, bound, threshold
from verifiers.expressions import curve, resolve_params, value
from verifiers.verdict import Verdict


class _Counterexample(Exception):
    """Raised inside the property so that hypothesis shrinks the draw."""


def evaluate(claim: Claim, params: dict, *, dropped: Optional[str] = None) -> Optional[Verdict]:
    """The claim's bound on one drawn instance (``params`` holds ``seed`` and space values);
    ``None`` when the instance breaks an assumption or a convex solve of the method was not
    ``optimal`` (both are skipped and counted as outside the assumptions). A bound in
    expectation runs the claim's ``seeds`` instances drawn from that seed.

    ``dropped``: an assumption left unchecked (an ablation); the verdict's evidence says
    whether the instance broke it (``breaks_dropped``)."""
    of_problem = set(inspect.signature(claim.problem).parameters)
    drawn = {k: v for k, v in params.items() if k != "seed"}
    problem_params = {**claim.problem_params, **{k: v for k, v in drawn.items() if k in of_problem}}
    kept = [name for name in claim.assumptions if name != dropped]
    test = claim.test
    mean = isinstance(test, Bound) and test.statistic == "mean"
    parents = np.random.SeedSequence(int(params["seed"])).spawn(claim.seeds) if mean else \
        [np.random.SeedSequence(int(params["seed"]))]
    expr = parse_expression(claim.id, "claimed", claim.claimed)
    runs, t, breaks = [], None, False
    for parent in parents:
        problem_seed, method_seed = parent.spawn(2)
        instance = claim.problem(np.random.default_rng(problem_seed), **problem_params)
        method_params = resolve_params({**claim.method_params,
                                        **{k: v for k, v in drawn.items() if k not in of_problem}},
                                       instance.constants, claim.id)
        broken, _ = assumptions.check(instance, kept, method_params)
        if broken:
            return None
        if dropped is not None:
            breaks = breaks or assumptions.check(instance, [dropped], method_params)[0] is not None
        if isinstance(test, Threshold):
            verdict = _threshold_on(claim, instance, method_params, method_seed, expr)
            return _marked(verdict, dropped, breaks)
        trace = claim.method(instance, np.random.default_rng(method_seed), **method_params)
        statuses = trace.info.get("solver_status")
        if statuses is not None and any(str(x) != "optimal" for x in np.ravel([statuses])):
            return None  # an inaccurate convex solve decides nothing, as in the experiment
        t = np.asarray(trace.t, dtype=np.float64)
        runs.append((trace.values, curve(expr, "t", instance.constants, trace.t, claim_id=claim.id)))
    if mean:  # one decision per draw; the level shared by every draw the search may make
        spec = claim.search
        test = replace(test, confidence=1 - (1 - test.confidence) / max(1, spec.examples + spec.polish))
    return _marked(bound._decide(t, runs, test), dropped, breaks)


def _marked(verdict: Verdict, dropped: Optional[str], breaks: bool) -> Verdict:
    if dropped is None:
        return verdict
    return replace(verdict, evidence={**verdict.evidence, "breaks_dropped": bool(breaks)})


def _threshold_on(claim: Claim, instance, method_params: dict, method_seed, expr) -> Verdict:
    """The claim's threshold located on one instance (the same bisection as the experiment's)."""
    test: Threshold = claim.test
    lo, hi = (value(v, instance.constants, claim_id=claim.id, field_name="test.bracket") for v in test.bracket)

    def unstable_at(x: float) -> bool:
        params = {**method_params, test.parameter: x}
        if test.horizon:
            params[test.horizon] = threshold.horizon_for(test)
        trace = claim.method(instance, np.random.default_rng(method_seed), **params)
        return bool(test.failure(trace)) if test.failure is not None else threshold.is_unstable(trace.values,
                                                                                               test.divergence)

    bracket = threshold.locate(unstable_at, lo, hi, test)
    claimed = value(expr, instance.constants, claim_id=claim.id, field_name="claimed")
    return threshold.decide([bracket], [claimed], test)


def ratio_of(verdict: Verdict) -> float:
    """The extreme ratio measured/claimed of one evaluated draw (after the start, where a
    bound equals the measurement at ``t = 0``), or located/claimed for a threshold."""
    evidence = verdict.evidence
    if "ratio_range" in evidence:
        return float(evidence["ratio_range"][0])
    if "worst_mean_ratio" in evidence:
        return float(evidence["worst_mean_ratio"])
    if "worst_ratio" not in evidence:
        return math.nan
    return float(evidence.get("worst_ratio_after_start", evidence["worst_ratio"]))


def score(verdict: Verdict, side: str) -> float:
    """How far towards a violation a run went (larger is worse for the claim): the ratio to a
    bound, or located/claimed for a threshold (its inverse for a lower side, the log distance
    from 1 for a two-sided one; the distance from 1 for a tight bound)."""
    ratio = ratio_of(verdict)
    if math.isnan(ratio):
        return -math.inf
    if "ratio_range" in verdict.evidence:  # a threshold on one instance
        return ratio if side == "upper" else (1 / ratio if side == "lower" else abs(math.log(ratio)))
    if side == "upper":
        return ratio
    if side == "lower":
        return -ratio
    return abs(ratio - 1.0)


def _strategy(values):
    from hypothesis import strategies as st

    if isinstance(values, Interval):
        if values.integer:
            return st.integers(int(math.ceil(values.low)), int(math.floor(values.high)))
        if values.log:
            return st.floats(math.log(values.low), math.log(values.high)).map(math.exp)
        return st.floats(values.low, values.high)
    return st.sampled_from(list(values))


def _plain(params: dict) -> dict:
    return {k: (v.item() if hasattr(v, "item") else v) for k, v in params.items()}


def explore(claim: Claim, *, quick: bool = False, root_seed: int = 0, dropped: Optional[str] = None) -> Verdict:
    """Run the claim's search; the verdict's evidence holds the largest ratio found and where.
    ``dropped``: search with that assumption unchecked (see :func:`ablate`)."""
    from hypothesis import HealthCheck, Phase, Verbosity, assume, given, seed, settings, target
    from hypothesis import strategies as st
    from hypothesis.errors import Unsatisfiable

    spec: Search = claim.search
    side = claim.test.side
    mean = isinstance(claim.test, Bound) and claim.test.statistic == "mean"
    space = {name: _strategy(values) for name, values in spec.space.items()}
    space["seed"] = st.integers(0, 2**32 - 1)
    best: dict[str, Any] = {"score": -math.inf, "params": None, "verdict": None}
    counterexamples: list[tuple[dict, Verdict]] = []
    counts = {"evaluated": 0, "outside_assumptions": 0, "breaks_dropped": 0, "undecided": 0}

    evaluated: dict[str, Optional[Verdict]] = {}  # hypothesis replays a failing draw; one run suffices

    def run(params: dict) -> Optional[Verdict]:
        key = json.dumps(_plain(params), sort_keys=True)
        if key in evaluated:
            return evaluated[key]
        verdict = evaluated[key] = evaluate(claim, params, dropped=dropped)
        if verdict is None:
            counts["outside_assumptions"] += 1
            return None
        counts["evaluated"] += 1
        counts["breaks_dropped"] += bool(verdict.evidence.get("breaks_dropped"))
        counts["undecided"] += verdict.status == "inconclusive"
        s = score(verdict, side)
        if s > best["score"]:
            best.update(score=s, params=_plain(params), verdict=verdict)
        return verdict

    # a Monte Carlo draw is not shrunk: each step would be another experiment (see the module docstring);
    # the quick profile does not shrink either: it decides the same verdict, and shrinking costs 10-20 runs
    shrink = not mean and not quick
    phases = (Phase.generate, Phase.target, Phase.shrink) if shrink else (Phase.generate, Phase.target)

    @seed(zlib.crc32(claim.id.encode()) ^ int(root_seed) ^ (zlib.crc32(dropped.encode()) if dropped else 0))
    @settings(max_examples=spec.quick_examples if quick else spec.examples, database=None, deadline=None,
              phases=phases, suppress_health_check=list(HealthCheck), print_blob=False, verbosity=Verbosity.quiet,
              report_multiple_bugs=False)
    @given(st.fixed_dictionaries(space))
    def holds(params):
        verdict = run(params)
        assume(verdict is not None)
        target(float(np.clip(score(verdict, side), -1e300, 1e300)), label="ratio")
        if verdict.status == "violated":
            counterexamples.append((_plain(params), verdict))
            raise _Counterexample

    found_by = "hypothesis (shrunk)" if shrink else "hypothesis"
    try:
        holds()
    except _Counterexample:
        pass
    except Unsatisfiable:  # hypothesis gave up: (almost) every draw broke the assumptions
        if not counts["evaluated"]:
            return Verdict("inconclusive", "search: no drawn instance satisfied the assumptions",
                           evidence={"search_outside_assumptions": counts["outside_assumptions"]})
    if not counterexamples and not quick and spec.polish and best["params"] is not None:
        _polish(claim, spec, best, counterexamples, run)
        found_by = "Nelder-Mead from the best draw"
    evidence = {"search_evaluated": counts["evaluated"], "search_outside_assumptions": counts["outside_assumptions"]}
    if mean:
        evidence.update(search_instances_per_draw=claim.seeds, search_undecided=counts["undecided"])
    if dropped is not None:
        evidence.update(search_dropped=dropped, search_breaks_dropped=counts["breaks_dropped"])
    if counterexamples:
        params, verdict = counterexamples[-1]  # hypothesis replays the shrunk example last
        ratio = float(verdict.estimate) if verdict.estimate is not None else ratio_of(verdict)
        replay = f"python -m verifiers {claim.id} --replay '{json.dumps(params)}'" + \
            (f" --drop '{dropped}'" if dropped else "")
        return Verdict("violated", f"search found a counterexample ({found_by}): {params}: {verdict.reason}",
                       estimate=ratio, claimed_value=1.0,
                       evidence={**evidence, "counterexample": params, "counterexample_ratio": ratio,
                                 "counterexample_breaks_dropped": verdict.evidence.get("breaks_dropped"),
                                 "replay": replay})
    if best["params"] is None:
        return Verdict("inconclusive", "search: no drawn instance satisfied the assumptions", evidence=evidence)
    largest = ratio_of(best["verdict"])
    tight = "tight" if abs(largest - 1) < 1e-2 else "holds, not tight on the instances explored"
    what = f"draws of {claim.seeds} instances each, {counts['undecided']} undecided" if mean else "instances"
    return Verdict("consistent", f"search: the {side} bound held on {counts['evaluated']} {what} inside the "
                                 f"assumptions; most extreme ratio {largest:.4g} at {best['params']} ({tight})",
                   estimate=largest, claimed_value=1.0,
                   evidence={**evidence, "search_extreme_ratio": largest, "search_argmax": best["params"]})


def ablated(claim: Claim, assumption: str) -> Claim:
    """The claim as searched without ``assumption``: its :class:`~theory.claim.Ablation`'s
    generator and space where it has one, else the claim's own."""
    spec = claim.search
    ablation = spec.ablations.get(assumption)
    if ablation is None:
        return claim
    if ablation.problem is not None:
        return replace(claim, problem=ablation.problem, problem_params=dict(ablation.problem_params),
                       search=replace(spec, space=dict(ablation.space)))
    return replace(claim, problem_params={**claim.problem_params, **ablation.problem_params},
                   search=replace(spec, space={**spec.space, **ablation.space}))


def ablate(claim: Claim, names: Optional[list] = None, *, quick: bool = False, root_seed: int = 0) -> list[dict]:
    """One row per assumption (``names``, default: those with an Ablation, else all): dropped
    alone, searched among instances that keep the others. ``needed``: a counterexample that
    breaks it was found (shown); ``not found necessary``: drawn instances broke it and none
    refuted the bound within the budget; ``untested``: no drawn instance broke it (the space
    cannot show whether it is needed); ``refuted``: the claim failed on an instance that keeps
    every assumption."""
    names = list(names if names is not None else (list(claim.search.ablations) or claim.assumptions))
    rows = []
    for name in names:
        verdict = explore(ablated(claim, name), quick=quick, root_seed=root_seed, dropped=name)
        evidence = verdict.evidence
        row = {"assumption": name, "evaluated": evidence.get("search_evaluated", 0),
               "breaks": evidence.get("search_breaks_dropped", 0), "counterexample": None, "ratio": None,
               "replay": None, "reason": verdict.reason}
        if verdict.status == "violated":
            row.update(counterexample=evidence["counterexample"], ratio=evidence["counterexample_ratio"],
                       replay=evidence["replay"],
                       status="needed" if evidence.get("counterexample_breaks_dropped") else "refuted")
        elif row["breaks"] == 0:
            row.update(status="untested")
        else:
            row.update(status="not found necessary", ratio=evidence.get("search_extreme_ratio"))
        rows.append(row)
    return rows


def _polish(claim: Claim, spec: Search, best: dict, counterexamples: list, run) -> None:
    """Nelder-Mead over the continuous parameters (log-scaled where the interval is), the
    others fixed at the best draw; a violation met on the way is kept as a counterexample."""
    from scipy.optimize import minimize

    names = [n for n, v in spec.space.items() if isinstance(v, Interval) and not v.integer]
    if not names:
        return
    start = dict(best["params"])
    to_unit = {n: (math.log if spec.space[n].log else float) for n in names}
    low = np.array([to_unit[n](spec.space[n].low) for n in names])
    high = np.array([to_unit[n](spec.space[n].high) for n in names])

    def params_at(z):
        z = np.clip(z, low, high)
        return {**start, **{n: (math.exp(v) if spec.space[n].log else float(v)) for n, v in zip(names, z)}}

    def objective(z):
        if counterexamples:
            return 0.0
        params = params_at(z)
        verdict = run(params)
        if verdict is None:
            return math.inf
        if verdict.status == "violated":
            counterexamples.append((_plain(params), verdict))
        return -score(verdict, claim.test.side)

    x0 = np.array([to_unit[n](start[n]) for n in names])
    minimize(objective, x0, method="Nelder-Mead", bounds=list(zip(low, high)),
             options={"maxfev": spec.polish, "initial_simplex": None, "xatol": 1e-3, "fatol": 1e-9})
