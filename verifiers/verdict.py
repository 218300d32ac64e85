"""The verdict of one test on one grid point, and how the verdicts of several combine."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Mapping, Optional, Sequence

Status = Literal["consistent", "violated", "inconclusive", "invalid", "error"]

# The order in which one grid point's verdict outweighs another's when combining.
_SEVERITY = {"error": 4, "invalid": 3, "violated": 2, "inconclusive": 1, "consistent": 0}


@dataclass(frozen=True)
class Verdict:
    """What one test decided, with the numbers it decided on.

    ``estimate`` and ``ci`` are the measured counterpart of ``claimed_value``
    (an exponent, a rate factor, a worst ratio to a bound, a located threshold).
    ``plot`` is the payload the report draws (see ``verifiers.report``).
    """

    status: Status
    reason: str
    estimate: Optional[float] = None
    ci: Optional[tuple[float, float]] = None
    claimed_value: Optional[float] = None
    evidence: Mapping[str, Any] = field(default_factory=dict)
    plot: Optional[Mapping[str, Any]] = None


def combine(verdicts: Sequence[Verdict], labels: Sequence[str]) -> tuple[Verdict, str]:
    """The worst verdict over grid points decides; ties go to the first point.

    A claim is refuted by one refuting grid point, and only consistent when every
    point is. Returns the deciding verdict and its grid label.
    """
    if not verdicts:
        raise ValueError("combine needs at least one verdict")
    worst = max(range(len(verdicts)), key=lambda i: (_SEVERITY[verdicts[i].status], -i))
    return verdicts[worst], labels[worst]
