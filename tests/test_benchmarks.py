"""`make bench` stays runnable and compares equal work: the plain loops compute the kernels' numbers,
and every section prints finite ratios at a tiny scale (the speed targets are never asserted here)."""
import json
import math

import numpy as np
import pytest

from benchmarks import gpu, plain
from benchmarks.__main__ import main, parse
from problems import langevin as lg
from problems import least_squares as ls
from problems.backend import accepts, available

DESIGN = ls.gaussian_design(np.random.default_rng(0), n_samples=30, dim=5, condition_number=10.0, noise=0.1)
TARGET = lg.gaussian_target(np.random.default_rng(0), dim=4, condition_number=10.0)
CASES = [
    ("gradient_descent", ls.gradient_descent, plain.gradient_descent, DESIGN, dict(step_size=1.0, n_iter=50)),
    ("minibatch_sgd_ema", ls.minibatch_sgd, plain.minibatch_sgd, DESIGN,
     dict(step_size=0.05, batch_size=1, n_iter=300, replicas=3, average="ema")),
    ("minibatch_sgd_batches", ls.minibatch_sgd, plain.minibatch_sgd, DESIGN,
     dict(step_size=0.05, batch_size=4, n_iter=300, replicas=3, sampling="with_replacement")),
    ("ula", lg.ula, plain.ula, TARGET, dict(step_size=0.05, n_iter=200, chains=5)),
    ("mala", lg.mala, plain.mala, TARGET, dict(step_size=0.15, n_iter=200, chains=5)),
]


@pytest.mark.parametrize("name, method, loop, instance, params", CASES, ids=[case[0] for case in CASES])
def test_plain_loop_computes_the_kernels_numbers(name, method, loop, instance, params):
    expected = method(instance, np.random.default_rng(1), **params).values
    got = loop(instance, np.random.default_rng(1), **params)
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=0.0)
    assert np.all(np.isfinite(got)) and np.ptp(got) > 0  # a non-trivial trajectory was compared


def test_plain_mala_loop_rejects_some_moves_on_the_tiny_case():
    trace = lg.mala(TARGET, np.random.default_rng(1), step_size=0.15, n_iter=200, chains=5)
    assert 0.0 < trace.info["acceptance_rate"] < 1.0  # both branches of the loop were compared


def _ratios(section):
    """Every ratio column (a '/' in its name, rates per second excluded) of a JSON section."""
    return [value for row in section["rows"] for key, value in row.items()
            if "/" in key and not key.endswith("/s") and value is not None]


def test_cli_prints_every_section_with_finite_ratios(tmp_path, capsys):
    path = tmp_path / "bench.json"
    assert main(["--repeat", "1", "--scale", "0.01", "--json", str(path)]) == 0
    out = capsys.readouterr().out
    figures = json.loads(path.read_text())
    titles = [section["title"].split(":")[0] for section in figures["sections"]]
    assert titles[:3] == ["kernels", "throughput", "roofline"]
    kernels, throughput, roofline = figures["sections"][:3]
    assert len(kernels["rows"]) == 18
    assert {row["method"] for row in kernels["rows"] if row["plain s"] is not None} >= \
        {"gradient_descent", "minibatch_sgd", "ula", "mala"}
    assert [row["method"] for row in throughput["rows"]] == ["minibatch_sgd", "ula", "mala"]
    assert len(roofline["rows"]) == 5  # two triads, a read of A, the kernel and its twin with operator="design"
    for section in figures["sections"]:
        ratios = _ratios(section)
        assert ratios and all(math.isfinite(r) and r > 0 for r in ratios), section["title"]
    assert ("GPU section skipped: " in out) != available("cupy")
    names = [target["name"] for target in figures["targets"]]
    assert any("triad bandwidth" in target["goal"] for target in figures["targets"])
    assert any("make verify" in name for name in names) and "== targets" in out


def test_gpu_section_code_path_runs_on_array_api_strict(tmp_path):
    if not available("array_api_strict"):
        pytest.skip("array-api-strict is not installed")
    refusing = [label for label, method, _, _ in gpu.cases(0.01) if not accepts(method, "array_api_strict")]
    if refusing:
        pytest.skip(f"no array-API twin for backend 'array_api_strict' yet: {refusing}")
    path = tmp_path / "gpu.json"
    assert main(["--only", "gpu", "--gpu-backend", "array_api_strict", "--repeat", "1", "--scale", "0.01",
                 "--json", str(path)]) == 0
    (section,) = json.loads(path.read_text())["sections"]
    assert len(section["rows"]) == 4 and all(row["agree"] == "yes" for row in section["rows"]), section
    assert all(math.isfinite(r) and r > 0 for r in _ratios(section))


def test_last_verify_option_wins_and_verify_alone_needs_one():
    assert parse(["--verify", "--no-verify"]).verify is None
    assert parse(["--no-verify", "--verify-quick"]).verify == "quick"
    with pytest.raises(SystemExit):
        parse(["--only", "verify"])
