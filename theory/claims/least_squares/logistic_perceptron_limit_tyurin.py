r"""Tyurin: logistic-regression GD with step gamma -> infinity is the batch perceptron.

Problem: linearly separable data :math:`(b_i, y_i)`, logistic loss
:math:`f(v) = \frac1n\sum_i \log(1 + e^{-y_i b_i^\top v})`.
Method: **GD** :math:`v_{t+1} = v_t + \gamma\frac1n\sum_i y_i b_i\,\sigma(-y_i b_i^\top v_t)` from
:math:`v_0 = 0`, against the **batch perceptron**
:math:`w_{t+1} = w_t + \frac1n\sum_i y_i b_i\,[\mathbb 1\{y_i b_i^\top w_t < 0\} + \tfrac12\mathbb 1\{y_i b_i^\top w_t = 0\}]`.
Guarantee (**upper bound**): :math:`\|v_t/\gamma - w_t\| / \max(\|w_t\|, \|v_t/\gamma\|) \le 10^{-12}` for
:math:`\gamma = 10^8` over the first 30 steps, i.e. the trajectories agree to round-off.

Provenance: the reduction is the abstract's first observation (checked against the arXiv abstract);
the exact tie rule (the 1/2 at :math:`v_0 = 0`, from :math:`\sigma(0) = 1/2`) is derived here and
matched the research notes' check (2.9e-16 at n = 50, d = 5). Why :math:`10^{-12}`:
:math:`\sigma(-\gamma m)` differs from the step function by :math:`e^{-\gamma|m|}`, negligible once
:math:`|m| \gg 10^{-7}`, so the only deviation left is round-off, about :math:`10^{-15}` per step.
The control drops the tie term, which changes the very first step.
"""
from problems.linear_classification import perceptron_deviation, separable_data
from theory.claim import Bound, Citation, Claim, Interval, Search, control

CLAIM = Claim(
    id="least-squares/tyurin-logistic-gd-perceptron-limit",
    title="Logistic-regression GD with a huge step follows the batch perceptron (with the 1/2 tie rule)",
    family="gd-sgd",
    citation=Citation(authors="A. Tyurin", year=2024,
                      title="From Logistic Regression to the Perceptron Algorithm: Exploring Gradient Descent "
                            "with Large Step Sizes", venue="arXiv:2412.08424", locator="abstract, first observation",
                      url="https://arxiv.org/abs/2412.08424"),
    statement=r"\|v_t/\gamma - w_t\| / \max(\|w_t\|, \|v_t/\gamma\|) \le 10^{-12},\ \gamma = 10^8",
    assumptions=("linearly-separable",),
    problem=separable_data,
    problem_params={"n_samples": 50, "dim": 5, "margin": 0.05},
    method=perceptron_deviation,
    method_params={"step_size": 1e8, "n_iter": 30, "tie_weight": 0.5, "n_checkpoints": 31},
    measured="relative deviation from the perceptron",
    claimed="1/10**12",
    test=Bound(side="upper", rtol=0.0),
    seeds=8,
    search=Search(space={"n_samples": Interval(2, 200, integer=True), "dim": Interval(2, 20, integer=True),
                         "margin": Interval(1e-3, 0.5, log=True)}, examples=40, polish=10),
)

CLAIMS = [control(
    CLAIM, suffix="no-tie-term",
    why="Without the 1/2 tie term the perceptron does not move from w_0 = 0, while GD moves by "
        "gamma/2 times the mean signed point: the deviation is of order one from the first step.",
    method_params={**CLAIM.method_params, "tie_weight": 0.0},
)]
