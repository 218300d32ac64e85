r"""Sampled activation patterns: the convex optimum on nested sampled sets never increases and equals the
exact optimum once every pattern is present; a handful of random patterns is not enough.

Problem: planted ReLU teacher, :math:`n = 10`, 2 features plus bias, :math:`\beta = 0.1`, all :math:`P = 91`
patterns known (angular sweep).
Method: the patterns of 2000 Gaussian gates :math:`u \sim \mathcal N(0, I_3)` in order of first appearance (the
thin cells no gate hit appended at the end, so the list is complete), the convex program solved by Clarabel
on its first :math:`P_s` patterns for 8 log-spaced :math:`P_s \in [d, P] = [2, 91]`.
Claim (**bound**): the deviation from the two structural facts, :math:`\max(0, p(P_{s,k}) - p(P_{s,k-1}))/p^\star`
and, at :math:`P_s = P`, :math:`|p(P) - p^\star|/p^\star`, is at most :math:`10^{-6}` at every size.

Provenance: derived here. Nested pattern sets nest the feasible sets (unused blocks are 0), so the optimum is
non-increasing; with every pattern it is the exact program (Pilanci & Ergen [Thm 1]; the approximation by
sampled patterns is the "approximation heuristic" whose quality Bai, Gautam & Sojoudi characterise [abstract,
as retrieved]; their bound itself was not retrieved and is not tested). Tolerance :math:`10^{-6}`: each solve
is accurate to its certified duality gap, below :math:`5\cdot 10^{-8}` relative here, and the final comparison
is between two independent solves of the same program (patterns in two orders). Control: the seed notes'
false statement "a random subset of :math:`d` patterns is already exact" is, by monotonicity, the statement that
the excess :math:`(p(P_s) - p^\star)/p^\star` is below the tolerance for every :math:`P_s \ge d`; with 2 or 3 patterns
the excess is 0.4-1.6 on exploratory instances.
Worst-case search (:math:`n \in [4, 10]`, 1 or 2 features, teachers of 1 to 4 neurons, noise in :math:`[0, 0.3]`,
:math:`\beta \in [0.03, 0.3]`; 15 instances): the largest deviation is :math:`5.1\cdot10^{-8}` (ratio 0.05;
:math:`n = 4`, one feature, :math:`\beta = 0.03`); the control is refuted on the first draw (excess 5.6 with one
pattern).
"""
from problems.convex_relu import planted_relu_regression, sampled_patterns_path
from theory import papers
from theory.claim import Bound, Claim, Interval, Search, control
from theory.symbols import symbol

PILANCI_ERGEN = papers.PILANCI_ERGEN.at('Theorem 1 with sampled arrangements (nestedness derived here)')

CLAIM = Claim(
    id="convex-relu/sampled-patterns-monotone-exact",
    title="Convex optimum on nested sampled patterns is non-increasing and exact once all patterns are present",
    family="convex-relu",
    citation=PILANCI_ERGEN,
    statement=r"p(P_{s,k}) \le p(P_{s,k-1}),\quad p(P) = p^\star\quad (\text{relative tolerance } 10^{-6})",
    problem=planted_relu_regression,
    problem_params={"n_samples": 10, "dim": 2, "teacher_width": 3, "noise": 0.1, "beta": 0.1, "patterns": "exact"},
    method=sampled_patterns_path,
    method_params={"n_gates": 2000, "n_sizes": 8, "min_patterns": symbol("dim"), "metric": "structural"},
    measured="rise of p(P_s); |p(P) - p*| at the end (/p*)",
    claimed="1/10**6",
    test=Bound(side="upper", rtol=0.0),
    seeds=8,
    quick={"seeds": 2, "method_params": {"n_sizes": 5}},
    # nestedness and exactness hold for any data and beta > 0; searched over instances no larger than the claim's
    # (n <= 10, at most 2 features: every pattern by the exact sweep), teachers, noise, and beta within half a decade
    # of 0.1 (where the solver's certified relative gaps were measured)
    search=Search(space={"n_samples": Interval(4, 10, integer=True), "dim": Interval(1, 2, integer=True),
                         "teacher_width": Interval(1, 4, integer=True), "noise": Interval(0.0, 0.3),
                         "beta": Interval(0.03, 0.3, log=True)},
                  examples=12, polish=3, quick_examples=3),
)

CLAIMS = [control(
    CLAIM, suffix="d-patterns-suffice",
    why="'A random subset of d patterns is already exact' means the excess (p(P_s) - p*)/p* stays below 1e-6 for "
        "every P_s >= d (the optimum only decreases along nested sets); at P_s = 2 it is of order one.",
    method_params={**CLAIM.method_params, "metric": "excess"},
)]
