"""My claim: gradient descent with step 1/(2a) on f(x) = a x^2 / 2 halves |x_t| at every step."""
import numpy as np

from problems.types import Instance, Trace
from theory.claim import Citation, Claim, Rate
from theory.symbols import symbol

a = symbol("a")  # the curvature, a constant of each instance


def scalar_quadratic(rng, *, low=0.5, high=2.0):
    """f(x) = a x^2 / 2 with a random curvature a and a random start x0."""
    return Instance(data={"x0": rng.normal()}, constants={"a": rng.uniform(low, high)})


def gradient_descent(instance, rng, *, step_size, n_iter):
    a, x = instance.constants["a"], instance.data["x0"]
    path = [abs(x)]
    for _ in range(n_iter):
        x = x - step_size * a * x
        path.append(abs(x))
    return Trace(metric="|x_t|", t=np.arange(n_iter + 1), values=np.array(path))


CLAIM = Claim(
    id="my/gd-scalar-halving",
    title="GD with step 1/(2a) halves |x_t| at every step",
    citation=Citation(authors="A. Student", year=2026, title="My notes", venue="unpublished", locator="Eq. (1)"),
    problem=scalar_quadratic,
    method=gradient_descent,
    method_params={"step_size": 1 / (2 * a), "n_iter": 40},
    measured="|x_t|",
    claimed="2**(-t)",  # a linear rate: the factor 1/2 per step
    test=Rate(tolerance=0.05),  # log(rate) within 5%
    seeds=8,
)
