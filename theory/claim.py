r"""What a paper claims, as values: a :class:`Claim` and the test that decides it.

A claim binds a statement (citation, assumptions, claimed expression) to an experiment
(problem generator, method, parameters, seeds) and to one of five tests:

* :class:`Bound`: ``measured <= claimed`` (or ``>=``, or ``=``) at every recorded point;
* :class:`Rate`: the exponent (power law) or factor (linear rate) of the decay in ``t``;
* :class:`Threshold`: a critical parameter located by bisection on a divergence test;
* :class:`Scaling`: the exponent of a cost in a swept parameter;
* :class:`Comparison`: method A against method B on paired seeds.

Tolerances are fields here, never constants buried in a verifier. Nothing in this
module imports numerics; checking that a claim is well formed is :func:`validate`.
"""
from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Literal, Mapping, Optional, Sequence, Union

import sympy

Side = Literal["two-sided", "upper", "lower"]
Expected = Literal["consistent", "violated", "inconclusive"]
ExprLike = Union[sympy.Expr, str, float, int]

EPS = 2.220446049250313e-16


class ClaimSpecError(ValueError):
    """A claim is malformed: the message names the claim, the field, the value and the fix."""


@dataclass(frozen=True)
class Citation:
    authors: str
    year: int
    title: str
    venue: str
    locator: str  # "Theorem 3.1", "Eq. (12)"; required, as in PEPit's "[1, Theorem 3.1]"
    url: str = ""

    def at(self, locator: str) -> "Citation":
        """The same paper at another theorem or section (a paper cited by several claims)."""
        from dataclasses import replace

        return replace(self, locator=locator)

    def short(self) -> str:
        first = self.authors.split(",")[0].split(" and ")[0].strip()
        etal = " et al." if ("," in self.authors or " and " in self.authors) else ""
        return f"{first}{etal} ({self.year}), {self.locator}"


@dataclass(frozen=True)
class Bound:
    r"""``measured <= claimed`` (``side="upper"``), ``>=`` (``"lower"``) or ``=`` (``"tight"``).

    ``statistic="each"``: every replica at every recorded point (deterministic methods;
    ``rtol`` covers round-off only). ``statistic="mean"``: the Monte Carlo mean over
    replicas with its ``confidence`` interval (expectations). Points where the claimed
    value falls below ``floor`` times the first measured value are below the
    floating-point floor and are skipped (and counted in the evidence), and so are points
    recorded before ``t = burn_in`` (a time average that has not yet averaged over enough
    steps to be compared at the claimed precision).
    """

    side: Literal["upper", "lower", "tight"] = "upper"
    rtol: float = 1e-9
    statistic: Literal["each", "mean"] = "each"
    floor: float = 0.0
    confidence: float = 0.99
    burn_in: float = 0.0


@dataclass(frozen=True)
class Rate:
    r"""The decay of the measured quantity in ``t`` against the claimed expression.

    The form is read off the claimed expression: a linear rate when
    :math:`\lim_t \log g(t)/t = \log\rho \ne 0`, else a power law with exponent
    :math:`p = \lim_t \log g(t)/\log t`. Whatever is left, :math:`g(t)/\rho^t` or
    :math:`g(t)/t^p` (log factors, polynomial prefactors), is divided out of the
    measurement before fitting, never absorbed by the tolerance.

    ``tolerance`` is absolute on the exponent ``p`` and relative on :math:`\log\rho`.
    ``side``: ``"two-sided"`` for :math:`\Theta`, ``"upper"`` for :math:`O` (only a
    slower decay refutes), ``"lower"`` for :math:`\Omega`. The fit window starts at
    ``burn_in`` (an expression in the instance constants allowed) and ends before the
    measurement reaches ``floor`` times its value at ``t=0`` (or at the first point).
    """

    tolerance: float = 0.1
    side: Side = "two-sided"
    burn_in: ExprLike = 0
    floor: float = 1e3 * EPS
    min_decades: float = 1.0  # power law: the window spans at least this many decades in t
    min_efolds: float = 3.0  # linear rate: the fitted curve falls by at least e^min_efolds
    confidence: float = 0.99


@dataclass(frozen=True)
class Threshold:
    r"""A critical value of the method parameter ``parameter`` (the largest stable step).

    Located by bisection on a log scale, from ``bracket = (stable, unstable)``
    (expressions in the instance constants; widened geometrically if wrong), to a
    relative width ``rel_width``. A run is unstable when its trace is non-finite or
    grows by ``divergence`` from its first value. Near the threshold growth is slow,
    so the method parameter named ``horizon`` (the iteration count) is set to
    :math:`\lceil 2\log(\text{divergence}) / w \rceil` for the final relative width ``w``.

    ``side``: ``"two-sided"``, the claimed value is the threshold (within ``rtol``);
    ``"upper"``, the threshold is at most the claimed value; ``"lower"``, at least.

    Other thresholds: ``failure(trace) -> bool`` replaces the divergence test (a recovery
    that fails, a target not reached), and the bracket may run downwards (``stable``
    above ``unstable``: the fewest measurements that still recover). ``integer=True``
    bisects over integers (a sample size) down to a bracket of consecutive integers or
    ``rel_width``, whichever is coarser.
    """

    parameter: str
    bracket: tuple[ExprLike, ExprLike]
    side: Side = "two-sided"
    rtol: float = 0.01
    rel_width: float = 1e-3
    divergence: float = 1e6
    horizon: Optional[str] = "n_iter"
    max_horizon: int = 200_000
    failure: Optional[Callable[[Any], bool]] = None
    integer: bool = False


@dataclass(frozen=True)
class Scaling:
    r"""The exponent of a cost in the swept parameter ``parameter``.

    A method parameter is swept on each seed's instance; a problem parameter (a keyword of
    the claim's generator, such as the number of components) gets a fresh instance per
    value, from a child of the seed's problem stream. At each value the cost is
    ``cost(trace)`` of the method's trace, or, when ``cost`` is a :class:`Threshold` (method
    parameters only), the located threshold. The exponent is fitted in log-log per
    seed; the claimed exponent is :math:`\lim \log g / \log x` of the claimed expression
    in the parameter's symbol. Decided like :class:`Rate` (``tolerance`` absolute).
    """

    parameter: str
    values: Sequence[float]
    cost: Union[Callable[[Any], float], Threshold]
    tolerance: float = 0.1
    side: Side = "two-sided"
    confidence: float = 0.99


@dataclass(frozen=True)
class Comparison:
    r"""``statistic(A) < statistic(B)`` (``direction="less"``) on paired seeds.

    A is the claim's method with its parameters. B is the same method with the claim's
    parameters updated by ``other_params``, or, when ``other_method`` is given, that
    method with ``other_params`` alone (another method takes other parameters). Both see the
    same instance and the same random stream. Decided by a one-sided Wilcoxon
    signed-rank test at level ``alpha`` in each direction: ``consistent`` when A is
    significantly better, ``violated`` when significantly worse, else ``inconclusive``.
    """

    statistic: Callable[[Any], float]
    other_params: Mapping[str, Any] = field(default_factory=dict)
    other_method: Optional[Callable[..., Any]] = None
    direction: Literal["less", "greater"] = "less"
    alpha: float = 0.01
    label: str = "A"
    other_label: str = "B"


@dataclass(frozen=True)
class WorstCase:
    r"""A certificate over a whole function class: the performance-estimation (PEP) worst case.

    ``pep(n_iter=N, **params)`` returns the exact worst case, over every function (or
    operator) of the class the theorem assumes, of the measured quantity after ``N`` steps
    of the method, normalised by the theorem's initial condition (a
    :class:`problems.pep.WorstCaseValue`, computed with PEPit). It is compared with the
    claimed expression at :math:`t = N` and the constants ``constants`` (the class
    parameters, and 1 for the initial quantity the bound multiplies): claimed below the
    worst case by more than ``rtol`` refutes the bound, with the worst-case instance as
    the counterexample; claimed at or above it certifies the bound for the class (tight
    when equal within ``rtol``). ``claimed`` overrides the claim's expression when the
    theorem's explicit form measures another quantity than the experiment (a potential
    function); ``measured`` then says which. ``rtol`` is the SDP solver's accuracy.
    """

    pep: Callable[..., Any]
    params: Mapping[str, float]
    constants: Mapping[str, float]
    horizons: Sequence[int] = (1, 2, 4, 8)
    claimed: Optional[ExprLike] = None
    measured: str = ""
    rtol: float = 1e-5


@dataclass(frozen=True)
class Interval:
    """The range of one parameter in a worst-case search: ``[low, high]``, on a log scale
    when ``log``, integers when ``integer``."""

    low: float
    high: float
    log: bool = False
    integer: bool = False


@dataclass(frozen=True)
class Ablation:
    r"""Where to look for instances that break one assumption of a claim, for its ablation.

    ``space`` updates the search's space (a step size allowed past :math:`1/L`, a batch size
    past 1); ``problem`` (with ``problem_params``) replaces the generator by one whose
    instances can break the assumption (a monotone operator that is not cocoercive), and
    then ``space`` replaces the search's space instead of updating it.
    """

    space: Mapping[str, Any] = field(default_factory=dict)
    problem: Optional[Callable[..., Any]] = None
    problem_params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Search:
    r"""A property test and worst-case search of a bound, or of a threshold, over instances.

    ``space`` maps parameters (keywords of the claim's generator or method) to an
    :class:`Interval` or a sequence of choices; a seed for the instance is always drawn.
    Hypothesis draws ``examples`` instances (generation, then its targeted phase pushing
    the ratio measured/claimed up), skips those that break the claim's assumptions, and
    shrinks a violation to a minimal counterexample (full profile); then ``polish`` Nelder-Mead
    evaluations from the best draw over the continuous parameters. The largest ratio found
    is reported: near 1, the bound is tight on the instances explored. A bound in
    expectation (``statistic="mean"``) is decided on each draw from the claim's ``seeds``
    instances, with the confidence Bonferroni-corrected over the draws, and not shrunk.

    ``ablations`` maps some of the claim's assumptions to an :class:`Ablation`: the search
    is repeated with that assumption dropped (the others still checked), and the report
    shows whether a counterexample exists without it (the assumption is needed) or none
    was found within the budget.
    """

    space: Mapping[str, Any]
    examples: int = 60
    polish: int = 40
    quick_examples: int = 8
    ablations: Mapping[str, Ablation] = field(default_factory=dict)


Test = Union[Bound, Rate, Threshold, Scaling, Comparison]
KIND_OF_TEST = {Bound: "bound", Rate: "rate", Threshold: "threshold", Scaling: "scaling", Comparison: "comparison"}


@dataclass(frozen=True)
class Claim:
    r"""One claim of one paper, bound to the experiment that checks it.

    ``problem(rng, **problem_params) -> Instance`` and
    ``method(instance, rng, **method_params) -> Trace`` are plain functions. A method
    parameter may be a sympy expression in the instance constants (``step_size=1/L``).
    ``claimed`` is a sympy expression (or text sympy parses) in ``t`` (or the swept
    parameter) and the instance constants. ``grid`` sweeps problem parameters (and
    method parameters, for keys the generator does not take): each point is decided on
    its own and the verdict is the worst of them. ``quick`` holds
    overrides (any of ``problem_params``, ``method_params``, ``grid``, ``seeds``,
    ``test``) for the quick profile. ``expected`` is ``"violated"`` for a negative
    control. ``provenance`` says where the constants come from (checked against the
    paper, derived here, or recollection) and why the regime and window were chosen.
    ``finding`` is what the sandbox found when a well-run experiment does not confirm
    the paper: such a claim keeps its statement, expects the verdict it gets
    (``inconclusive`` or ``violated``) and says why here; the report shows it.
    ``worst_case`` adds a :class:`WorstCase` certificate over the function class, and
    ``search`` a :class:`Search` over instances; the claim's verdict is then the worst of
    the experiment's, the certificate's and the search's.
    """

    id: str
    title: str
    citation: Citation
    problem: Callable[..., Any]
    method: Callable[..., Any]
    claimed: ExprLike
    test: Test
    measured: str = ""
    statement: str = ""
    assumptions: tuple[str, ...] = ()
    problem_params: Mapping[str, Any] = field(default_factory=dict)
    method_params: Mapping[str, Any] = field(default_factory=dict)
    grid: Mapping[str, Sequence[Any]] = field(default_factory=dict)
    seeds: int = 8
    quick: Mapping[str, Any] = field(default_factory=dict)
    expected: Expected = "consistent"
    provenance: str = ""
    family: str = ""
    time_budget: float = 600.0
    finding: str = ""
    worst_case: Optional[WorstCase] = None
    search: Optional[Search] = None

    @property
    def kind(self) -> str:
        return KIND_OF_TEST[type(self.test)]


_ID = re.compile(r"^[a-z0-9][a-z0-9_.\-/]*$")
_QUICK_KEYS = {"problem_params", "method_params", "grid", "seeds", "test"}


def _fail(claim_id: str, field_name: str, value: Any, fix: str) -> ClaimSpecError:
    return ClaimSpecError(f"claim {claim_id!r}: field {field_name!r} = {value!r}: {fix}")


def parse_expression(claim_id: str, field_name: str, value: ExprLike) -> sympy.Expr:
    """Parse a claimed expression; every free symbol is taken positive (constants, ``t``)."""
    try:
        expr = sympy.sympify(value) if isinstance(value, str) else sympy.sympify(value)
    except (sympy.SympifyError, SyntaxError, TypeError, ValueError) as exc:
        raise _fail(claim_id, field_name, value, f"sympy cannot parse it ({exc.__class__.__name__})") from None
    if not isinstance(expr, sympy.Expr):
        raise _fail(claim_id, field_name, value, "expected an algebraic expression")
    positive = {s: sympy.Symbol(s.name, positive=True) for s in expr.free_symbols}
    return expr.xreplace(positive)


def validate(claim: Claim) -> Claim:
    """Check a claim's fields at the boundary; raise :class:`ClaimSpecError` naming the field."""
    cid = getattr(claim, "id", "?")
    if not isinstance(cid, str) or not _ID.match(cid):
        raise _fail(str(cid), "id", cid, "use a lower-case slug such as 'least-squares/gd-linear-rate'")
    if not isinstance(claim.citation, Citation) or not claim.citation.locator:
        raise _fail(cid, "citation", claim.citation, "give a Citation with a locator ('Theorem 3.1')")
    if type(claim.test) not in KIND_OF_TEST:
        raise _fail(cid, "test", claim.test, "use one of Bound, Rate, Threshold, Scaling, Comparison")
    for name in ("problem", "method"):
        if not callable(getattr(claim, name)):
            raise _fail(cid, name, getattr(claim, name), "pass a function")
    if claim.expected not in ("consistent", "violated", "inconclusive"):
        raise _fail(cid, "expected", claim.expected, "use 'consistent', or 'violated' for a negative control")
    if is_control(claim) and claim.expected != "violated":
        raise _fail(cid, "expected", claim.expected, "a negative control must expect 'violated'")
    if not is_control(claim) and claim.expected != "consistent" and not claim.finding.strip():
        raise _fail(cid, "finding", claim.finding, "a claim the sandbox does not confirm must say what was found")
    if not isinstance(claim.seeds, int) or claim.seeds < 1:
        raise _fail(cid, "seeds", claim.seeds, "use a positive integer (8 or more for a rate)")
    unknown = set(claim.quick) - _QUICK_KEYS
    if unknown:
        raise _fail(cid, "quick", sorted(unknown), f"allowed keys are {sorted(_QUICK_KEYS)}")
    for key, values in claim.grid.items():
        if isinstance(values, (str, bytes)) or not hasattr(values, "__len__") or len(values) == 0:
            raise _fail(cid, f"grid[{key!r}]", values, "give a non-empty list of values")
    if claim.kind != "comparison":
        parse_expression(cid, "claimed", claim.claimed)
    test = claim.test
    if isinstance(test, Scaling) and len(test.values) < 3:
        raise _fail(cid, "test.values", test.values, "sweep at least 3 values to fit an exponent")
    if isinstance(test, (Rate, Scaling)) and test.tolerance <= 0:
        raise _fail(cid, "test.tolerance", test.tolerance, "use a positive tolerance")
    if claim.worst_case is not None:
        wc = claim.worst_case
        if not isinstance(wc, WorstCase) or not callable(wc.pep):
            raise _fail(cid, "worst_case", wc, "give a WorstCase whose pep is a function")
        if not wc.horizons or any(int(n) != n or n < 1 for n in wc.horizons):
            raise _fail(cid, "worst_case.horizons", wc.horizons, "give positive integer step counts")
        if wc.claimed is None and claim.kind not in ("bound", "rate"):
            raise _fail(cid, "worst_case.claimed", None, "state the explicit bound the worst case is compared with")
        parse_expression(cid, "worst_case.claimed", claim.claimed if wc.claimed is None else wc.claimed)
    if claim.search is not None:
        spec = claim.search
        if not isinstance(spec, Search) or not isinstance(test, (Bound, Threshold)):
            raise _fail(cid, "search", spec, "a Search needs a Bound or a Threshold")
        of_method = set(inspect.signature(claim.method).parameters)
        spaces = [("search.space", spec.space, claim.problem)]
        for name, ablation in spec.ablations.items():
            if name not in claim.assumptions or not isinstance(ablation, Ablation):
                raise _fail(cid, f"search.ablations[{name!r}]", ablation,
                            "give an Ablation for one of the claim's assumptions")
            spaces.append((f"search.ablations[{name!r}].space", ablation.space, ablation.problem or claim.problem))
        for where, space, problem in spaces:
            _check_space(cid, where, space, set(inspect.signature(problem).parameters) | of_method)
        if spec.examples < 1 or spec.quick_examples < 1 or spec.polish < 0:
            raise _fail(cid, "search.examples", spec.examples, "use positive example counts")
    return claim


def _check_space(cid: str, where: str, space: Mapping[str, Any], known: set) -> None:
    for name, values in space.items():
        if name not in known:
            raise _fail(cid, f"{where}[{name!r}]", values, "name a keyword of the generator or the method")
        if isinstance(values, Interval):
            if not values.low < values.high or (values.log and values.low <= 0):
                raise _fail(cid, f"{where}[{name!r}]", values, "use low < high (and low > 0 on a log scale)")
        elif isinstance(values, (str, bytes)) or not hasattr(values, "__len__") or len(values) == 0:
            raise _fail(cid, f"{where}[{name!r}]", values, "give an Interval or a non-empty list of choices")


def is_control(claim: Claim) -> bool:
    """Whether ``claim`` is a negative control (made by :func:`control`)."""
    return "/control-" in claim.id


def control(claim: Claim, *, suffix: str, why: str, **changes: Any) -> Claim:
    """A negative control of ``claim``: the same experiment with one thing made false.

    ``changes`` replaces fields (typically ``claimed`` or ``test``); ``why`` says why
    the experiment must refute it and is kept as the control's provenance.
    """
    from dataclasses import replace

    return replace(claim, id=f"{claim.id}/control-{suffix}", title=f"Control: {claim.title}", expected="violated",
                   provenance=why, finding="", **changes)
