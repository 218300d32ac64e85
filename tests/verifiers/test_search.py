"""The worst-case search of a bound: targeted draws find a corner random draws miss, violations shrink to a
minimal counterexample, instances outside the assumptions are skipped, and the search reproduces."""
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from problems.types import Instance, Trace
from theory.claim import Bound, Citation, Claim, ClaimSpecError, Interval, Rate, Search, validate
from verifiers.run import run_claim
from verifiers.search import explore

ROOT = Path(__file__).resolve().parents[2]


def corner_problem(rng, *, a=0.5, broken=False):
    """measured = a^8 at every t: the bound 0.9 fails only for a > 0.987, 1.3% of [0, 1]."""
    return Instance(data={"H": np.array([[1.0]])}, constants={"a": a, "L": 0.5 if broken else 1.0})


def corner_method(instance, rng, *, n_iter=3, shift=0.0):
    t = np.arange(n_iter + 1)
    return Trace(metric="y", t=t, values=np.full(t.size, instance.constants["a"] ** 8 + shift))


def _claim(claimed=0.9, **search):
    return Claim(id="test/search", title="corner", family="test",
                 citation=Citation(authors="X", year=2024, title="T", venue="V", locator="Thm 1"),
                 problem=corner_problem, method=corner_method, claimed=claimed, measured="a^8",
                 test=Bound(side="upper", rtol=1e-9), seeds=1,
                 search=Search(space={"a": Interval(0.0, 1.0)}, **search))


def test_a_common_violation_is_shrunk_by_hypothesis_and_replays():
    verdict = explore(_claim(claimed=0.1, examples=60, polish=0))  # fails for a > 0.75
    assert verdict.status == "violated" and "hypothesis (shrunk)" in verdict.reason
    params = verdict.evidence["counterexample"]
    assert params["a"] ** 8 > 0.1 and verdict.evidence["counterexample_ratio"] > 1
    assert json.loads(verdict.evidence["replay"].split("--replay ")[1].strip("'")) == params


def test_a_corner_that_random_draws_mostly_miss_is_found():
    # a^8 > 0.9 needs a > 0.987 (1.3% of [0, 1]): the targeted draws or, failing them, Nelder-Mead from the best
    # draw reach the edge (which of the two gets there first depends on hypothesis's draws)
    verdict = explore(_claim(examples=40, polish=40))
    assert verdict.status == "violated"
    assert verdict.evidence["counterexample"]["a"] ** 8 > 0.9


def test_a_bound_that_holds_reports_its_most_extreme_ratio_and_polish_improves_it():
    claim = _claim(claimed=1.5, examples=10, polish=30)
    without = explore(replace(claim, search=replace(claim.search, polish=0)))
    polished = explore(claim)
    assert without.status == polished.status == "consistent"
    assert polished.evidence["search_extreme_ratio"] >= without.evidence["search_extreme_ratio"]
    assert polished.evidence["search_extreme_ratio"] == pytest.approx(1 / 1.5, rel=1e-3)  # a -> 1 at the edge
    assert "not tight" in polished.reason


def test_instances_breaking_the_assumptions_are_skipped_and_counted():
    claim = replace(_claim(claimed=1.5, examples=20, polish=0), assumptions=("L-smooth",),
                    search=Search(space={"a": Interval(0.0, 1.0), "broken": [False, True]}, examples=20, polish=0))
    verdict = explore(claim)
    assert verdict.status == "consistent"
    assert verdict.evidence["search_outside_assumptions"] > 0 and verdict.evidence["search_evaluated"] > 0


def test_search_reproduces_from_the_root_seed_and_decides_the_claim():
    claim = _claim(claimed=1.5, examples=15, polish=5)
    assert explore(claim, root_seed=4).evidence == explore(claim, root_seed=4).evidence
    record = run_claim(_claim(claimed=0.1, examples=60, polish=0))
    assert record["status"] == "violated" and "worst-case search" in record["reason"]
    assert record["search"]["counterexample"]["a"] ** 8 > 0.1


@pytest.mark.parametrize("change, field", [
    ({"test": Rate()}, "search"),
    ({"search": Search(space={"unknown": Interval(0, 1)})}, "search.space['unknown']"),
    ({"search": Search(space={"a": Interval(1.0, 0.0)})}, "search.space['a']"),
    ({"search": Search(space={"a": Interval(0.0, 1.0, log=True)})}, "search.space['a']"),
])
def test_malformed_searches_are_rejected_naming_the_field(change, field):
    with pytest.raises(ClaimSpecError, match=f"field {field!r}".replace("[", r"\[").replace("]", r"\]")):
        validate(replace(_claim(), **change))


def test_cli_replays_a_counterexample():
    command = [sys.executable, "-m", "verifiers", "least-squares/gd-strongly-convex-bound/control-squared-rate",
               "--replay", json.dumps({"condition_number": 3.0, "dim": 2, "x0_distance": 1.0, "seed": 0})]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 1 and "violated" in done.stdout and "measured/claimed" in done.stdout
    bad = subprocess.run(command[:-1] + ["[1, 2]"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert bad.returncode == 2 and "--replay" in bad.stderr


def test_a_search_whose_every_draw_breaks_the_assumptions_is_inconclusive():
    claim = replace(_claim(claimed=1.5), assumptions=("L-smooth",),
                    search=Search(space={"a": Interval(0.0, 1.0), "broken": [True]}, examples=10, polish=0))
    verdict = explore(claim)
    assert verdict.status == "inconclusive" and "no drawn instance" in verdict.reason
