r"""Run one claim: draw its instances, run its method, hand the traces to its verifier.

``run_claim(claim, quick=..., root_seed=..., backend=...)`` is the single orchestrator; it returns
the result record (the row of ``results.json``, with plot payloads). Seeds: the claim
gets ``SeedSequence(root_seed, spawn_key=(crc32(id), grid_point, seed))``, split into
one stream for the problem and one for the method, so a claim's numbers depend on the
root seed and its own id only (not on the order of the catalogue or the worker count).
Every exception in a claim's code becomes an ``error`` record with its message and
traceback; nothing propagates.
"""
from __future__ import annotations

import inspect
import itertools
import time
import traceback
import zlib
from dataclasses import replace
from typing import Any, Callable

import numpy as np

from theory.claim import (Bound, Claim, ClaimSpecError, Comparison, Rate, Scaling, Threshold, is_control,
                          parse_expression)
from verifiers import assumptions, bound, comparison, rate, scaling, search, threshold, worst_case
from verifiers.expressions import curve, decay_form, resolve_params, value
from verifiers.verdict import Verdict, combine


def effective(claim: Claim, quick: bool) -> Claim:
    """The claim with its quick overrides applied (dict fields are merged, others replaced)."""
    if not quick or not claim.quick:
        return claim
    changes: dict[str, Any] = {}
    for key, override in claim.quick.items():
        current = getattr(claim, key)
        changes[key] = {**current, **override} if isinstance(current, dict) and isinstance(override, dict) else override
    return replace(claim, **changes)


def on_backend(claim: Claim, backend: str) -> tuple[Claim, str]:
    """The claim with its method (and a compared method) set to run on the array back end
    ``backend`` where it takes it (:func:`problems.backend.accepts`), and the back end its
    own method runs on. A claim that fixes ``backend`` in its parameters keeps it."""
    if backend == "numba":
        return claim, str(claim.method_params.get("backend", "numba"))
    from problems.backend import accepts

    changes: dict[str, Any] = {}
    runs_on = str(claim.method_params.get("backend", "numba"))
    if "backend" not in claim.method_params and accepts(claim.method, backend):
        changes["method_params"] = {**claim.method_params, "backend": backend}
        runs_on = backend
    test = claim.test  # a compared method of its own takes its own parameters (B = the claim's method takes A's)
    if isinstance(test, Comparison) and test.other_method is not None and "backend" not in test.other_params \
            and accepts(test.other_method, backend):
        changes["test"] = replace(test, other_params={**test.other_params, "backend": backend})
    return (replace(claim, **changes) if changes else claim), runs_on


def grid_points(claim: Claim) -> list[tuple[str, dict, dict]]:
    """Every combination of the grid's values, with a label such as ``condition_number=100``:
    ``(label, problem parameters, method parameters set by the grid)``. A grid key that the
    problem generator takes is a problem parameter; any other key is a method parameter
    (an integrator, a convention), set on top of ``method_params``."""
    if not claim.grid:
        return [("", dict(claim.problem_params), {})]
    keys = list(claim.grid)
    of_problem = set(inspect.signature(claim.problem).parameters)
    points = []
    for combo in itertools.product(*(claim.grid[k] for k in keys)):
        label = ", ".join(f"{k}={v}" for k, v in zip(keys, combo))
        chosen = dict(zip(keys, combo))
        points.append((label, {**claim.problem_params, **{k: v for k, v in chosen.items() if k in of_problem}},
                       {k: v for k, v in chosen.items() if k not in of_problem}))
    return points


def streams(root_seed: int, claim_id: str, point: int, seed: int) -> tuple[np.random.SeedSequence, ...]:
    """Independent (problem, method) seed sequences for one seed of one grid point."""
    sequence = np.random.SeedSequence(root_seed, spawn_key=(zlib.crc32(claim_id.encode()), point, seed))
    return tuple(sequence.spawn(2))


class _Invalid(Exception):
    """An instance broke an assumption: the claim was not tested."""


class _Unsolved(Exception):
    """A convex solve inside a method did not end ``optimal``: nothing it measured can decide."""


#: The solver statuses a method may report in ``trace.info["solver_status"]`` and still be trusted.
SOLVED = frozenset({"optimal"})


class _Context:
    """What every kind needs for one grid point: the instances and how to run the method."""

    def __init__(self, claim: Claim, problem_params: dict, point: int, root_seed: int,
                 method_grid: dict | None = None):
        self.claim, self.problem_params, self.method_grid = claim, problem_params, dict(method_grid or {})
        self.instances, self.problem_seeds, self.method_seeds, self.unchecked = [], [], [], set()
        self.solver_statuses: dict[str, int] = {}  # status -> number of solves, for the evidence
        for s in range(claim.seeds):
            problem_seed, method_seed = streams(root_seed, claim.id, point, s)
            self.instances.append(self.draw(problem_seed, problem_params, f"seed {s}"))
            self.problem_seeds.append(problem_seed)
            self.method_seeds.append(method_seed)

    def draw(self, seed: np.random.SeedSequence, problem_params: dict, where: str):
        """An instance from ``seed``, its assumptions checked."""
        instance = self.claim.problem(np.random.default_rng(seed), **problem_params)
        broken, unchecked = assumptions.check(instance, self.claim.assumptions, self.params(instance))
        if broken:
            raise _Invalid(f"{where}: {broken}")
        self.unchecked.update(unchecked)
        return instance

    def instance_at(self, s: int, parameter: str, k: int, value):
        """Seed ``s``'s instance with the problem parameter ``parameter`` set to ``value``
        (the ``k``-th value of a sweep), from its own child of the seed's problem stream."""
        parent = self.problem_seeds[s]
        child = np.random.SeedSequence(parent.entropy, spawn_key=(*parent.spawn_key, k))
        return self.draw(child, {**self.problem_params, parameter: value}, f"seed {s}, {parameter}={value}")

    def params(self, instance, extra: dict | None = None) -> dict:
        resolved = resolve_params({**self.claim.method_params, **self.method_grid}, instance.constants, self.claim.id)
        return {**resolved, **(extra or {})}

    def run(self, s: int, extra: dict | None = None, method: Callable | None = None, params: dict | None = None,
            instance=None):
        """The method on seed ``s`` (on ``instance`` when given, else the seed's own); a
        fresh generator from the same stream each time (common random numbers across
        bisection steps, compared methods and swept values)."""
        instance = self.instances[s] if instance is None else instance
        rng = np.random.default_rng(self.method_seeds[s])
        arguments = params if params is not None else self.params(instance, extra)
        trace = (method or self.claim.method)(instance, rng, **arguments)
        self.check_solves(trace, s)
        return trace

    def run_seeds(self) -> list:
        """The method on every seed's instance, with its own parameters and random stream, in one
        call when the method has an ``over_seeds`` form (``method.over_seeds(instances, rngs,
        params)``: one batched state over the seeds, so that an array back end does the work in
        large operations); its traces equal the per-seed calls' (to round-off on an array back
        end, bit for bit on the Numba kernels, which it runs seed by seed)."""
        over_seeds = getattr(self.claim.method, "over_seeds", None)
        if over_seeds is None or len(self.instances) < 2:
            return [self.run(s) for s in range(len(self.instances))]
        rngs = [np.random.default_rng(seed) for seed in self.method_seeds]
        traces = over_seeds(self.instances, rngs, [self.params(instance) for instance in self.instances])
        for s, trace in enumerate(traces):
            self.check_solves(trace, s)
        return traces

    def check_solves(self, trace, s: int) -> None:
        """A method that solves convex programs reports each solve's status in
        ``info["solver_status"]`` (a string or a sequence of them); one that is not
        ``optimal`` makes the grid point inconclusive, with the status as the reason."""
        statuses = trace.info.get("solver_status") if hasattr(trace, "info") else None
        if statuses is None:
            return
        statuses = [statuses] if isinstance(statuses, str) else [str(x) for x in np.ravel(statuses)]
        for status in statuses:
            self.solver_statuses[status] = self.solver_statuses.get(status, 0) + 1
        failed = sorted({x for x in statuses if x not in SOLVED})
        if failed:
            solver = trace.info.get("solver", "the solver")
            raise _Unsolved(f"seed {s}: {solver} returned status {', '.join(failed)} (not optimal) in "
                            f"{sum(x not in SOLVED for x in statuses)} of {len(statuses)} solves")


def _bound(ctx: _Context, expr) -> Verdict:
    runs, t = [], None
    for instance, trace in zip(ctx.instances, ctx.run_seeds()):
        t = trace.t
        runs.append((trace.values, curve(expr, "t", instance.constants, trace.t, claim_id=ctx.claim.id)))
    return bound.decide(t, runs, ctx.claim.test, ylabel=ctx.claim.measured)


def _rate(ctx: _Context, expr) -> Verdict:
    runs, t, form, burn_in = [], None, None, 0.0
    for instance, trace in zip(ctx.instances, ctx.run_seeds()):
        t = trace.t
        form = decay_form(expr, "t", instance.constants, claim_id=ctx.claim.id)
        prefactor = curve(form.prefactor, "t", {}, trace.t, claim_id=ctx.claim.id)
        runs.append((trace.values, prefactor, form.slope))
        burn_in = value(ctx.claim.test.burn_in, instance.constants, claim_id=ctx.claim.id, field_name="test.burn_in")
    label = ctx.claim.measured if form.prefactor == 1 else f"{ctx.claim.measured} / ({form.prefactor})"
    return rate.decide(t, runs, ctx.claim.test, form=form.form, burn_in=burn_in, ylabel=label)


def _locate(ctx: _Context, s: int, test: Threshold, extra: dict | None = None) -> threshold.Bracket:
    instance = ctx.instances[s]
    lo, hi = (value(v, instance.constants, claim_id=ctx.claim.id, field_name="test.bracket") for v in test.bracket)

    def unstable_at(x: float) -> bool:
        params = {**(extra or {}), test.parameter: x}
        if test.horizon:
            params[test.horizon] = threshold.horizon_for(test)
        trace = ctx.run(s, params)
        if test.failure is not None:
            return bool(test.failure(trace))
        return threshold.is_unstable(trace.values, test.divergence)

    return threshold.locate(unstable_at, lo, hi, test)


def _threshold(ctx: _Context, expr) -> Verdict:
    test = ctx.claim.test
    brackets = [_locate(ctx, s, test) for s in range(len(ctx.instances))]
    claimed = [value(expr, i.constants, claim_id=ctx.claim.id, field_name="claimed") for i in ctx.instances]
    return threshold.decide(brackets, claimed, test)


def _scaling(ctx: _Context, expr) -> Verdict:
    test = ctx.claim.test
    x = np.asarray(test.values, dtype=np.float64)
    costs = np.empty((len(ctx.instances), x.size))
    curves: dict[int, list] = {k: [] for k in range(x.size)}  # the measured curves, for the report
    metric = ""
    # a problem parameter (the number of components n) is swept over fresh instances
    of_problem = test.parameter in inspect.signature(ctx.claim.problem).parameters
    if of_problem and isinstance(test.cost, Threshold):
        raise ClaimSpecError(f"claim {ctx.claim.id!r}: field 'test.parameter' = {test.parameter!r} is a problem "
                             f"parameter; a Threshold cost needs a method parameter to sweep")
    for s in range(len(ctx.instances)):
        for k, v in enumerate(test.values):
            if isinstance(test.cost, Threshold):
                b = _locate(ctx, s, test.cost, {test.parameter: v})
                costs[s, k] = np.sqrt(b.lo * b.hi) if b.lo and b.hi else np.nan
                continue
            trace = (ctx.run(s, instance=ctx.instance_at(s, test.parameter, k, v)) if of_problem
                     else ctx.run(s, {test.parameter: v}))
            costs[s, k] = test.cost(trace)
            curves[k].append((trace.t, trace.values.mean(axis=0)))
            metric = trace.metric
    traces = []
    for k, runs in curves.items():
        if runs and all(np.array_equal(t, runs[0][0]) for t, _ in runs):
            median = np.median(np.stack([y for _, y in runs]), axis=0)
            traces.append({"label": f"{test.parameter} = {x[k]:g}", "t": runs[0][0].tolist(), "values": median.tolist()})
    form = decay_form(expr, test.parameter, ctx.instances[0].constants, claim_id=ctx.claim.id)
    if form.form != "power":
        raise ClaimSpecError(f"claim {ctx.claim.id!r}: field 'claimed' = {str(expr)!r} is not a power law "
                             f"in {test.parameter!r}, which a Scaling test needs")
    prefactor = curve(form.prefactor, test.parameter, {}, x, claim_id=ctx.claim.id)
    name = getattr(test.cost, "__name__", "threshold" if isinstance(test.cost, Threshold) else "cost")
    ylabel = ctx.claim.measured or name
    if form.prefactor != 1:
        ylabel = f"{ylabel} / ({form.prefactor})"
    return scaling.decide(x, costs, prefactor, form.slope, test, ylabel=ylabel, traces=traces,
                          trace_ylabel=f"{metric} (median over seeds)" if traces else "")


def _comparison(ctx: _Context, expr) -> Verdict:
    test: Comparison = ctx.claim.test
    a, b = np.empty(len(ctx.instances)), np.empty(len(ctx.instances))
    for s, instance in enumerate(ctx.instances):
        params_a = ctx.params(instance)
        own_b = resolve_params(test.other_params, instance.constants, ctx.claim.id, "other_params")
        if test.other_method is not None:
            # the grid's method parameters (a delay, a convention) apply to the other method too
            # where it takes them, so that both are compared at the same grid point
            takes = inspect.signature(test.other_method).parameters
            shared = resolve_params({k: v for k, v in ctx.method_grid.items() if k in takes},
                                    instance.constants, ctx.claim.id)
            params_b = {**shared, **own_b}
        else:
            params_b = {**params_a, **own_b}
        a[s] = test.statistic(ctx.run(s, params=params_a))
        b[s] = test.statistic(ctx.run(s, method=test.other_method, params=params_b))
    name = getattr(test.statistic, "__name__", "statistic")
    return comparison.decide(a, b, test, statistic_name=f"{ctx.claim.measured}: {name}" if ctx.claim.measured else name)


_KINDS = {Bound: _bound, Rate: _rate, Threshold: _threshold, Scaling: _scaling, Comparison: _comparison}


def error_record(claim: Claim, reason: str, *, root_seed: int = 0, seconds: float = 0.0) -> dict:
    """The result record of a claim that produced no verdict (its fields filled from the claim)."""
    c = claim.citation
    return {"id": claim.id, "title": claim.title, "paper": c.short(), "citation_url": c.url,
            "citation": f"{c.authors} ({c.year}). {c.title}. {c.venue}. {c.locator}.", "family": claim.family,
            "kind": claim.kind, "status": "error", "expected": claim.expected, "claimed": str(claim.claimed),
            "estimate": None, "ci": None, "claimed_value": None, "evidence": {}, "reason": reason,
            "seconds": round(seconds, 3), "seed": root_seed, "statement": claim.statement,
            "provenance": claim.provenance, "finding": claim.finding, "measured": claim.measured,
            "assumptions": list(claim.assumptions),
            "traceback": None, "plots": [], "worst_case": None, "search": None, "ablation": None,
            "backend": "numba"}


def run_claim(claim: Claim, *, quick: bool = False, root_seed: int = 0, backend: str = "numba") -> dict:
    """Run one claim on every grid point and return its result record; ``backend`` is the
    array back end of the methods that take one (:mod:`problems.backend`)."""
    started = time.perf_counter()
    record = error_record(claim, "", root_seed=root_seed)
    try:
        claim, record["backend"] = on_backend(effective(claim, quick), backend)
        expr = None if claim.kind == "comparison" else parse_expression(claim.id, "claimed", claim.claimed)
        record["claimed"] = str(claim.claimed if expr is None else expr)
        verdicts, labels, unchecked = [], [], set()
        for point, (label, problem_params, method_grid) in enumerate(grid_points(claim)):
            try:
                ctx = _Context(claim, problem_params, point, root_seed, method_grid)
            except _Invalid as exc:
                verdicts.append(Verdict("invalid", f"{label + ': ' if label else ''}{exc}"))
                labels.append(label)
                continue
            unchecked |= ctx.unchecked
            try:
                verdicts.append(_KINDS[type(claim.test)](ctx, expr))
            except _Unsolved as exc:
                verdicts.append(Verdict("inconclusive", f"{label + ': ' if label else ''}{exc}",
                                        evidence={"solver_status": dict(ctx.solver_statuses)}))
            else:
                if ctx.solver_statuses:
                    verdicts[-1] = replace(verdicts[-1], evidence={**verdicts[-1].evidence,
                                                                   "solver_status": dict(ctx.solver_statuses)})
            labels.append(label)
        if claim.worst_case is not None:
            # the certificate over the whole class counts like one more grid point
            certificate = worst_case.certify(claim, quick=quick)
            record["worst_case"] = {"status": certificate.status, "reason": certificate.reason,
                                    **certificate.evidence}
            verdicts.append(replace(certificate, evidence={}))
            labels.append("worst case (PEP)")
        if claim.search is not None:
            # instances drawn and pushed towards the worst case count like one more grid point
            explored = search.explore(claim, quick=quick, root_seed=root_seed)
            record["search"] = {"status": explored.status, "reason": explored.reason, **explored.evidence}
            verdicts.append(replace(explored, evidence={}))
            labels.append("worst-case search")
            if claim.search.ablations and not is_control(claim):
                # which assumptions the conclusion needs: informative, not part of the verdict
                record["ablation"] = search.ablate(claim, quick=quick, root_seed=root_seed)
        verdict, label = combine(verdicts, labels)
        evidence = dict(verdict.evidence)
        if label:
            evidence["grid_point"] = label
        if unchecked:
            evidence["unchecked_assumptions"] = sorted(unchecked)
        record.update(status=verdict.status, reason=(f"[{label}] " if label else "") + verdict.reason,
                      estimate=verdict.estimate, ci=list(verdict.ci) if verdict.ci else None,
                      claimed_value=verdict.claimed_value, evidence=evidence,
                      plots=[{**v.plot, "label": lab} for v, lab in zip(verdicts, labels) if v.plot])
    except ClaimSpecError as exc:
        record.update(status="error", reason=str(exc))
    except Exception as exc:  # a claim's own code raised: record it and let the run go on
        record.update(status="error", reason=f"{type(exc).__name__}: {exc}".splitlines()[0],
                      traceback=traceback.format_exc())
    record["seconds"] = round(time.perf_counter() - started, 3)
    return record
