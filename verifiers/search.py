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

The search is seeded by the root seed and the claim id, so it reproduces.
"""
from __future__ import annotations

import inspect
import json
import math
import zlib
from typing import Any, Optional

import numpy as np

from theory.claim import Claim, Interval, Search, Threshold, parse_expression
from verifiers import assumptions, bound, threshold
from verifiers.expressions import curve, resolve_params, value
from verifiers.verdict import Verdict


class _Counterexample(Exception):
    """Raised inside the property so that hypothesis shrinks the draw."""


def evaluate(claim: Claim, params: dict) -> Optional[Verdict]:
    """The claim's bound on one drawn instance (``params`` holds ``seed`` and space values);
    ``None`` when the instance breaks an assumption or a convex solve of the method was not
    ``optimal`` (both are skipped and counted as outside the assumptions)."""
    of_problem = set(inspect.signature(claim.problem).parameters)
    drawn = {k: v for k, v in params.items() if k != "seed"}
    problem_params = {**claim.problem_params, **{k: v for k, v in drawn.items() if k in of_problem}}
    problem_seed, method_seed = np.random.SeedSequence(int(params["seed"])).spawn(2)
    instance = claim.problem(np.random.default_rng(problem_seed), **problem_params)
    broken, _ = assumptions.check(instance, claim.assumptions)
    if broken:
        return None
    method_params = resolve_params({**claim.method_params, **{k: v for k, v in drawn.items() if k not in of_problem}},
                                   instance.constants, claim.id)
    expr = parse_expression(claim.id, "claimed", claim.claimed)
    if isinstance(claim.test, Threshold):
        return _threshold_on(claim, instance, method_params, method_seed, expr)
    trace = claim.method(instance, np.random.default_rng(method_seed), **method_params)
    statuses = trace.info.get("solver_status")
    if statuses is not None and any(str(x) != "optimal" for x in np.ravel([statuses])):
        return None  # an inaccurate convex solve decides nothing, as in the experiment
    claimed = curve(expr, "t", instance.constants, trace.t, claim_id=claim.id)
    return bound._decide(np.asarray(trace.t, dtype=np.float64), [(trace.values, claimed)], claim.test)


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


def score(verdict: Verdict, side: str) -> float:
    """How far towards a violation a run went (larger is worse for the claim): the ratio to a
    bound, or located/claimed for a threshold (its inverse for a lower side, the log distance
    from 1 for a two-sided one)."""
    evidence = verdict.evidence
    if "ratio_range" in evidence:  # a threshold on one instance
        ratio = float(evidence["ratio_range"][0])
        return ratio if side == "upper" else (1 / ratio if side == "lower" else abs(math.log(ratio)))
    if "worst_ratio" not in evidence:
        return -math.inf
    if side == "upper":
        return float(evidence.get("worst_ratio_after_start", evidence["worst_ratio"]))
    if side == "lower":
        return -float(evidence.get("worst_ratio_after_start", evidence["worst_ratio"]))
    return abs(float(evidence["worst_ratio"]) - 1.0)


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


def explore(claim: Claim, *, quick: bool = False, root_seed: int = 0) -> Verdict:
    """Run the claim's search; the verdict's evidence holds the largest ratio found and where."""
    from hypothesis import HealthCheck, Phase, Verbosity, assume, given, seed, settings, target
    from hypothesis import strategies as st
    from hypothesis.errors import Unsatisfiable

    spec: Search = claim.search
    side = claim.test.side
    space = {name: _strategy(values) for name, values in spec.space.items()}
    space["seed"] = st.integers(0, 2**32 - 1)
    best: dict[str, Any] = {"score": -math.inf, "params": None, "verdict": None}
    counterexamples: list[tuple[dict, Verdict]] = []
    counts = {"evaluated": 0, "outside_assumptions": 0}

    def run(params: dict) -> Optional[Verdict]:
        verdict = evaluate(claim, params)
        if verdict is None:
            counts["outside_assumptions"] += 1
            return None
        counts["evaluated"] += 1
        s = score(verdict, side)
        if s > best["score"]:
            best.update(score=s, params=_plain(params), verdict=verdict)
        return verdict

    @seed(zlib.crc32(claim.id.encode()) ^ int(root_seed))
    @settings(max_examples=spec.quick_examples if quick else spec.examples, database=None, deadline=None,
              phases=(Phase.generate, Phase.target, Phase.shrink), suppress_health_check=list(HealthCheck),
              print_blob=False, verbosity=Verbosity.quiet)
    @given(st.fixed_dictionaries(space))
    def holds(params):
        verdict = run(params)
        assume(verdict is not None)
        target(float(np.clip(score(verdict, side), -1e300, 1e300)), label="ratio")
        if verdict.status == "violated":
            counterexamples.append((_plain(params), verdict))
            raise _Counterexample

    found_by = "hypothesis (shrunk)"
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
    if counterexamples:
        params, verdict = counterexamples[-1]  # hypothesis replays the shrunk example last
        ratio = float(verdict.evidence.get("worst_ratio", verdict.evidence.get("ratio_range", [math.nan])[0]))
        replay = f"python -m verifiers {claim.id} --replay '{json.dumps(params)}'"
        return Verdict("violated", f"search found a counterexample ({found_by}): {params}: {verdict.reason}",
                       estimate=ratio, claimed_value=1.0,
                       evidence={**evidence, "counterexample": params, "counterexample_ratio": ratio,
                                 "replay": replay})
    if best["params"] is None:
        return Verdict("inconclusive", "search: no drawn instance satisfied the assumptions", evidence=evidence)
    found = best["verdict"].evidence
    largest = float(found["ratio_range"][0] if "ratio_range" in found else
                    found.get("worst_ratio_after_start", found["worst_ratio"]))
    tight = "tight" if abs(largest - 1) < 1e-2 else "holds, not tight on the instances explored"
    return Verdict("consistent", f"search: the {side} bound held on {counts['evaluated']} instances inside the "
                                 f"assumptions; most extreme ratio {largest:.4g} at {best['params']} ({tight})",
                   estimate=largest, claimed_value=1.0,
                   evidence={**evidence, "search_extreme_ratio": largest, "search_argmax": best["params"]})


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
