r"""Array back ends: where the vectorised twins of the Numba kernels run.

A method that can run on arrays other than NumPy's lists the back ends it takes in its
module's ``BACKENDS`` tuple and has a ``backend`` keyword:

* ``"numba"``: the jitted kernel on the CPU (the default);
* ``"numpy"``: the readable twin, written against the array API standard, on NumPy;
* ``"cupy"``: the same twin on a CUDA GPU through CuPy (the optional ``gpu`` extra);
* ``"array_api_strict"``: the same twin on the strict reference implementation of the
  standard, which rejects anything CuPy (or any other conforming library) might not
  accept; used by the tests in CI, where there is no GPU.

The namespace is chosen once, at the edge (:func:`namespace`); the twin receives it as
``xp`` and never imports an array library itself. Every array is float64. Randomness is
drawn on the host from the method's NumPy generator and moved to the device
(:func:`to_device`), so the same seed gives the same instance and the same noise on every
back end; results come home as NumPy (:func:`to_numpy`).
"""
from __future__ import annotations

from typing import Any

import numpy as np

ARRAY_BACKENDS = ("numpy", "cupy", "array_api_strict")
BACKENDS = ("numba",) + ARRAY_BACKENDS


class BackendUnavailable(RuntimeError):
    """The requested back end cannot run here (no CuPy, no GPU); the message is one line."""


def namespace(backend: str):
    """The array-API namespace of ``backend`` (one of :data:`ARRAY_BACKENDS`)."""
    if backend == "numpy":
        import array_api_compat.numpy as xp

        return xp
    if backend == "array_api_strict":
        try:
            import array_api_strict as xp
        except ImportError as exc:
            raise BackendUnavailable(f"backend 'array_api_strict' needs the array-api-strict package "
                                     f"(pip install array-api-strict): {exc}") from None
        return xp
    if backend == "cupy":
        try:
            import cupy
            count = cupy.cuda.runtime.getDeviceCount()
        except Exception as exc:  # ImportError, or CUDA present but no driver / device
            raise BackendUnavailable(f"backend 'cupy' needs CuPy and a CUDA GPU (pip install '.[gpu]'); "
                                     f"here: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
                                     ) from None
        if count < 1:
            raise BackendUnavailable("backend 'cupy' needs a CUDA GPU; CuPy sees none")
        import array_api_compat.cupy as xp

        return xp
    raise ValueError(f"backend = {backend!r}: use one of {BACKENDS}")


def available(backend: str) -> bool:
    """Whether ``backend`` can run on this machine."""
    if backend == "numba":
        return True
    try:
        namespace(backend)
    except (BackendUnavailable, ValueError):
        return False
    return True


def to_device(xp, array: Any):
    """``array`` (NumPy, or a Python scalar) as a float64 array of ``xp``; integer arrays keep their type."""
    host = np.asarray(array)
    dtype = xp.float64 if host.dtype.kind == "f" else (xp.int64 if host.dtype.kind in "iu" else None)
    return xp.asarray(host, dtype=dtype) if dtype is not None else xp.asarray(host)


def to_numpy(array: Any) -> np.ndarray:
    """``array`` from any back end as a NumPy array on the host."""
    if isinstance(array, np.ndarray):
        return array
    if hasattr(array, "get"):  # CuPy
        return array.get()
    module = type(array).__module__
    if module.startswith("array_api_strict"):
        return np.asarray(array.__array__()) if hasattr(array, "__array__") else np.from_dlpack(array)
    return np.asarray(array)


def implementation(backend: str, kernels, twins):
    """``(impl, move)`` for a validated ``backend``: the Numba ``kernels`` and the identity, or the
    array-API ``twins`` and the move of a host array to the back end's device (the namespace
    chosen here, once; :class:`BackendUnavailable` when it cannot run here)."""
    if backend == "numba":
        return kernels, lambda array: array
    xp = namespace(backend)
    return twins, lambda array: to_device(xp, array)


def accepts(method, backend: str) -> bool:
    """Whether ``method`` runs on ``backend``: it has a ``backend`` keyword and its module's
    ``BACKENDS`` lists ``backend``."""
    import inspect
    import sys

    try:
        if "backend" not in inspect.signature(method).parameters:
            return False
    except (TypeError, ValueError):
        return False
    module = sys.modules.get(getattr(method, "__module__", ""), None)
    return backend in getattr(module, "BACKENDS", ())
