"""The array back end flag: methods with an array-API twin run on it, the others keep their kernels, the
verdicts are unchanged, the cache keys differ, and asking for CuPy without it fails in one line."""
import subprocess
import sys
from pathlib import Path

import pytest

from problems import backend as backends
from theory.claim import Comparison
from verifiers.catalog import discover
from verifiers.run import on_backend, run_claim

ROOT = Path(__file__).resolve().parents[2]


def _claim(claim_id):
    entries, errors = discover([claim_id])
    assert not errors and len(entries) == 1
    return entries[0].claim


@pytest.mark.parametrize("backend", ["numpy", "array_api_strict"])
def test_a_claim_on_an_array_backend_gives_the_verdict_and_numbers_of_the_kernels(backend):
    claim = _claim("least-squares/gd-strongly-convex-bound")
    on_kernels = run_claim(claim, quick=True)
    on_arrays = run_claim(claim, quick=True, backend=backend)
    assert on_arrays["backend"] == backend and on_kernels["backend"] == "numba"
    assert on_arrays["status"] == on_kernels["status"] == "consistent"
    assert on_arrays["estimate"] == pytest.approx(on_kernels["estimate"], rel=1e-9)


def test_methods_without_a_twin_keep_their_kernels_and_fixed_backends_are_kept():
    claim = _claim("least-squares/wu-su-sgd-trace-stability")  # the exact second-moment operator: no twin
    same, runs_on = on_backend(claim, "array_api_strict")
    assert same is claim and runs_on == "numba"
    halpern = on_backend(_claim("monotone-inclusion/lieder-halpern-residual-bound"), "array_api_strict")
    assert halpern[1] == "array_api_strict"
    moved, runs_on = on_backend(_claim("least-squares/gd-strongly-convex-bound"), "numpy")
    assert moved.method_params["backend"] == "numpy" and runs_on == "numpy"
    compared = _claim("langevin/mala-unbiased")
    assert on_backend(compared, "numpy")[1] == "numpy"
    for entry in discover()[0]:  # a compared method of its own gets the back end too, where it takes it
        test = on_backend(entry.claim, "numpy")[0].test
        if isinstance(test, Comparison) and test.other_method is not None and \
                backends.accepts(test.other_method, "numpy"):
            assert test.other_params.get("backend") == "numpy"


def test_the_cache_keys_a_record_by_its_backend(tmp_path):
    from verifiers.cache import key

    entry = discover(["least-squares/gd-strongly-convex-bound"])[0][0]
    assert key(entry, quick=True, root_seed=0) != key(entry, quick=True, root_seed=0, backend="cupy")


@pytest.mark.skipif(backends.available("cupy"), reason="CuPy and a GPU are present here")
def test_cupy_without_a_gpu_is_a_one_line_error_before_anything_runs():
    done = subprocess.run([sys.executable, "-m", "verifiers", "least-squares/gd-strongly-convex-bound", "--quick",
                           "--no-cache", "--backend", "cupy"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "cupy" in lines[0] and "pip install '.[gpu]'" in lines[0]
    assert done.stdout == ""


@pytest.mark.skipif(not backends.available("cupy"), reason="needs CuPy and a CUDA GPU")
def test_a_claim_on_the_gpu_gives_the_verdict_of_the_kernels():
    claim = _claim("least-squares/gd-strongly-convex-bound")
    on_gpu = run_claim(claim, quick=True, backend="cupy")
    assert on_gpu["backend"] == "cupy" and on_gpu["status"] == run_claim(claim, quick=True)["status"]


def test_the_engine_runs_the_seeds_in_one_call_where_the_method_can():
    from problems import least_squares as ls

    calls = []
    original = ls.gradient_descent.over_seeds

    def counting(instances, rngs, params):
        calls.append(len(instances))
        return original(instances, rngs, params)

    claim = _claim("least-squares/gd-strongly-convex-bound")
    ls.gradient_descent.over_seeds = counting
    try:
        batched = run_claim(claim, quick=True, backend="numpy")
    finally:
        ls.gradient_descent.over_seeds = original
    assert calls and all(n == claim.seeds for n in calls)  # one call per grid point, all seeds in it
    assert batched["estimate"] == run_claim(claim, quick=True)["estimate"]
