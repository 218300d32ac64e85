"""Boundary checks and host-side randomness shared by the least-squares generators and methods.

The generic checks (``real``, ``positive``, ``integer``, ``choice``, ``generator``) live in
:mod:`problems._validate` and are re-exported here. Every check raises a ``ValueError``
that names the argument, the value received and the fix. Randomness for the kernels is
drawn here, on the host, in bounded chunks, so both back ends consume exactly the same
numbers and memory stays flat in ``n_iter``.
"""
from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np

from problems._validate import choice, generator, integer, positive, real
from problems.types import checkpoints, chunks, first_nonfinite

__all__ = ["chunks", "choice", "data", "draw_batches", "first_nonfinite",
           "generator", "info", "integer", "positive", "real", "record_points"]

def data(instance, keys: Sequence[str], method: str, makers: str) -> list[np.ndarray]:
    """``instance.data[key]`` as C-contiguous float64 arrays (not copied when already so)."""
    missing = [key for key in keys if key not in instance.data]
    if missing:
        raise ValueError(
            f"instance {instance.name!r} lacks data {missing} that {method} needs; "
            f"build it with {makers}")
    return [np.ascontiguousarray(instance.data[key], dtype=np.float64) for key in keys]


def record_points(n_iter, n_checkpoints) -> np.ndarray:
    n_iter = integer("n_iter", n_iter, low=1)
    n_checkpoints = integer("n_checkpoints", n_checkpoints, low=2)
    return checkpoints(n_iter, n_checkpoints)


def info(t: np.ndarray, values: np.ndarray, **settings) -> Mapping:
    return {"first_nonfinite": first_nonfinite(t, values), **settings}


def draw_batches(rng: np.random.Generator, n: int, batch_size: int, n_steps: int,
                 replicas: int, replace: bool, impl) -> np.ndarray:
    r"""Indices of shape ``(n_steps, replicas, batch_size)``, one batch per step and replica.

    With replacement (and for ``batch_size = 1`` either way): i.i.d. uniform on
    :math:`\{0, \dots, n-1\}` from ``rng.integers``. Without replacement: a uniformly
    random ``batch_size``-subset, the first :math:`B` entries of a partial Fisher-Yates
    shuffle driven by :math:`B` uniforms from ``rng.random`` (``impl._uniform_subsets``, a
    deterministic integer transform, identical in both back ends); ``B = n`` is the whole
    set in order and draws nothing.
    """
    shape = (n_steps, replicas, batch_size)
    if replace or batch_size == 1:
        return rng.integers(0, n, size=shape)
    if batch_size == n:
        return np.broadcast_to(np.arange(n), shape).copy()
    idx = np.empty(shape, dtype=np.int64)
    impl._uniform_subsets(rng.random(shape), n, idx)
    return idx

