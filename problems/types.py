"""The two values every problem module speaks: an :class:`Instance` and a :class:`Trace`.

Nothing here knows about claims or verdicts. A generator returns an ``Instance`` that
carries its exact constants (``L``, ``mu``, ``x_star``, ...); a method returns a
``Trace``: a measured quantity recorded at checkpoints, one row per replica.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping

import numpy as np


@dataclass(frozen=True)
class Instance:
    r"""A problem instance together with the constants a theorem is evaluated with.

    ``data`` holds arrays (design ``A``, targets ``b``, starting point ``x0``, ...);
    ``constants`` holds scalars (``L``, ``mu``, ``f_star``, ``trace_H``, ...) that a
    claimed expression may name. They are exact for the instance, computed from it
    (an eigen-decomposition, a closed form), never the generator's nominal inputs.
    """

    data: Mapping[str, Any]
    constants: Mapping[str, float]
    name: str = ""

    def __post_init__(self):
        for key, value in self.constants.items():
            if not np.isscalar(value) or not np.isfinite(float(value)):
                raise ValueError(
                    f"Instance {self.name!r}: constant {key!r} must be a finite scalar, got {value!r}"
                )


@dataclass(frozen=True)
class Trace:
    r"""A measured quantity :math:`y` along an axis :math:`t`, one row per replica.

    ``t`` is the recording axis (iteration counts at log-spaced checkpoints, or the
    values of a swept parameter); ``values`` has shape ``(replicas, len(t))``.
    Replicas of one run estimate an expectation; the engine averages them.
    ``info`` carries what the method wants kept as evidence (a stop reason, a solver
    status, the iterate at which a NaN appeared).
    """

    metric: str
    t: np.ndarray
    values: np.ndarray
    info: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self):
        t = np.asarray(self.t, dtype=np.float64)
        values = np.asarray(self.values, dtype=np.float64)
        if values.ndim == 1:
            values = values[None, :]
        if t.ndim != 1 or values.ndim != 2 or values.shape[1] != t.size:
            raise ValueError(
                f"Trace {self.metric!r}: values must have shape (replicas, {t.size}), got {values.shape}"
            )
        object.__setattr__(self, "t", t)
        object.__setattr__(self, "values", values)


def checkpoints(n_iter: int, n_points: int = 60) -> np.ndarray:
    r"""Iteration counts ``0 = t_0 < t_1 < ... < t_K = n_iter``, log-spaced after ``t_1 = 1``.

    Kernels record the metric at these counts in a single pass, so a whole curve costs
    one run (never a restart per horizon).
    """
    if int(n_iter) < 1:
        raise ValueError(f"n_iter must be a positive integer, got {n_iter!r}")
    if int(n_points) < 2:
        raise ValueError(f"n_points must be at least 2, got {n_points!r}")
    if int(n_points) == 2:  # geomspace(1, n, 1) is [1], not [n]: the one point after 0 is the end
        return np.array([0, int(n_iter)], dtype=np.int64)
    grid = np.unique(np.round(np.geomspace(1, int(n_iter), int(n_points) - 1)).astype(np.int64))
    return np.concatenate([[0], grid]).astype(np.int64)


def first_nonfinite(t: np.ndarray, values: np.ndarray):
    """The first recorded ``t`` at which some replica is inf or NaN, else ``None``
    (what a method puts in ``Trace.info["first_nonfinite"]``)."""
    bad = ~np.all(np.isfinite(values), axis=0)
    return np.asarray(t)[np.argmax(bad)].item() if bad.any() else None


CHUNK_NUMBERS = 2**22  # host-drawn random numbers per chunk (32 MiB of float64)


def chunks(n_steps: int, numbers_per_step: int) -> Iterator[tuple[int, int]]:
    """Consecutive step ranges ``[t0, t1)`` covering ``0..n_steps``, each needing at most
    ``CHUNK_NUMBERS`` host-drawn random numbers (at least one step each): the methods draw
    their randomness chunk by chunk, so memory stays flat in the number of steps, and a
    stream drawn in pieces is the same stream, so results do not depend on the chunk size."""
    size = max(1, CHUNK_NUMBERS // max(1, int(numbers_per_step)))
    for t0 in range(0, int(n_steps), size):
        yield t0, min(int(n_steps), t0 + size)
