"""The assumption vocabulary: each check passes inside its assumption, fails outside it naming the
witness, reads the method's parameters where the condition is on the method, and reports what it
could not check."""
import numpy as np
import pytest

from problems.least_squares import gaussian_design
from problems.monotone_inclusion import cocoercive_linear, monotone_linear
from problems.types import Instance
from verifiers import assumptions


def _operator(A):
    A = np.asarray(A, dtype=np.float64)
    return Instance(data={"A": A, "A_components": A[None]}, constants={"L": float(np.linalg.norm(A, 2))})


@pytest.mark.parametrize("seed", range(3))
def test_cocoercive_operators_pass_and_skew_ones_fail_with_a_drawn_witness(seed):
    inside = cocoercive_linear(np.random.default_rng(seed), dim=8, n_components=1, spread=0.0)
    assert assumptions.check(inside, ["cocoercive", "monotone"]) == (None, [])
    outside = monotone_linear(np.random.default_rng(seed), dim=8, n_components=1, skew=1.0, psd_scale=0.1)
    assert assumptions.check(outside, ["monotone"]) == (None, [])
    broken, _ = assumptions.check(outside, ["cocoercive"])
    assert "'cocoercive' fails" in broken and "at x - y =" in broken


def test_the_witness_is_a_direction_that_breaks_the_inequality():
    # F z = [[0, 1], [-1, 0]] z (a rotation): monotone with equality, cocoercive for no L
    rotation = _operator([[0.0, 1.0], [-1.0, 0.0]])
    assert assumptions.monotone(rotation) is None
    message = assumptions.cocoercive(rotation)
    assert message is not None and "< ||F x - F y||^2 / L" in message
    # a negative-definite F is not even monotone, and the check says so on a drawn direction
    assert "< 0 at x - y" in assumptions.monotone(_operator(-np.eye(3)))


def test_conditions_on_the_method_read_its_parameters():
    instance = gaussian_design(np.random.default_rng(0), n_samples=20, dim=5)
    L = instance.constants["L"]
    assert assumptions.check(instance, ["step-size-1/L"], {"step_size": 1 / L}) == (None, [])
    broken, _ = assumptions.check(instance, ["step-size-1/L"], {"step_size": 1.5 / L})
    assert "step_size * L = 1.5, not 1" in broken
    assert "step_size * L = 0.5" in assumptions.check(instance, ["step-size-1/L"], {"step_size": 0.5 / L})[0]
    assert assumptions.check(instance, ["batch-size-one"], {"batch_size": 1})[0] is None
    assert "batch_size = 2" in assumptions.check(instance, ["batch-size-one"], {"batch_size": 2})[0]


def test_what_cannot_be_checked_is_reported_not_trusted():
    bare = Instance(data={}, constants={"L": 1.0})
    broken, unchecked = assumptions.check(bare, ["cocoercive", "step-size-1/L", "L-smooth"])
    assert broken is None and unchecked == ["cocoercive", "step-size-1/L", "L-smooth"]
