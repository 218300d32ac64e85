"""The result cache: keys follow the claim and the code it runs, writes are atomic, reports rebuild from it."""
import json
import subprocess
import sys
import textwrap
from pathlib import Path

from verifiers.cache import ResultCache, key
from verifiers.catalog import discover
from verifiers.pool import run_all

ROOT = Path(__file__).resolve().parents[2]

CLAIM_FILE = textwrap.dedent('''
    from problems.least_squares import gaussian_design, gradient_descent
    from theory.claim import Bound, Citation, Claim
    from theory.symbols import L, gap0, mu, t

    CLAIM = Claim(
        id={id!r}, title="GD bound", family="test",
        citation=Citation(authors="X", year=2024, title="T", venue="V", locator="Thm 1"),
        problem=gaussian_design, problem_params={{"n_samples": 30, "dim": 5, "condition_number": 10.0}},
        method=gradient_descent, method_params={{"step_size": 1 / L, "n_iter": {n_iter}}},
        measured="f(x_t) - f*", claimed=(1 - mu / L) ** (2 * t) * gap0, test=Bound(), seeds=2,
    )
''')


def write(folder: Path, name: str, *, id="test/cached", n_iter=50) -> Path:
    path = folder / name
    path.write_text(CLAIM_FILE.format(id=id, n_iter=n_iter))
    return path


def entry_of(path: Path):
    (entry,), errors = discover([str(path)])
    assert not errors
    return entry


def test_key_changes_with_the_claim_seed_and_profile_but_not_with_the_run(tmp_path):
    first = entry_of(write(tmp_path, "a.py"))
    assert key(first, quick=False, root_seed=0) == key(first, quick=False, root_seed=0)
    assert key(first, quick=False, root_seed=0) != key(first, quick=True, root_seed=0)
    assert key(first, quick=False, root_seed=0) != key(first, quick=False, root_seed=1)
    edited = entry_of(write(tmp_path, "b.py", n_iter=60))
    assert key(first, quick=False, root_seed=0) != key(edited, quick=False, root_seed=0)


def test_key_follows_the_source_of_the_packages_the_claim_uses(tmp_path, monkeypatch):
    entry = entry_of(write(tmp_path, "a.py"))
    before = key(entry, quick=False, root_seed=0)
    original = Path.read_bytes

    def edited(path):  # as if one line of the least-squares kernels had changed
        data = original(path)
        return data + b"\n# edited\n" if path.name == "_kernels.py" and "least_squares" in str(path) else data

    monkeypatch.setattr(Path, "read_bytes", edited)
    assert key(entry, quick=False, root_seed=0) != before
    # a claim of another package keeps its key: the least-squares kernels are not hashed for it
    langevin = next(e for e in discover([str(ROOT / "theory" / "claims" / "langevin")])[0])
    monkeypatch.setattr(Path, "read_bytes", original)
    langevin_before = key(langevin, quick=False, root_seed=0)
    monkeypatch.setattr(Path, "read_bytes", edited)
    assert key(langevin, quick=False, root_seed=0) == langevin_before


def test_second_run_reads_the_same_records_back_and_skips_the_work(tmp_path):
    entry = entry_of(write(tmp_path, "a.py"))
    cache = ResultCache(tmp_path / "cache")
    fresh, _ = run_all([entry], quick=False, root_seed=0, workers=1, on_done=lambda *a: None, cache=cache)
    again, _ = run_all([entry], quick=False, root_seed=0, workers=1, on_done=lambda *a: None, cache=cache)
    assert again[0].pop("cached") is True
    assert json.dumps(again[0], sort_keys=True) == json.dumps(json.loads(json.dumps(fresh[0])), sort_keys=True)


def test_a_corrupt_or_partial_entry_is_a_miss_and_no_partial_file_stays(tmp_path):
    entry = entry_of(write(tmp_path, "a.py"))
    cache = ResultCache(tmp_path / "cache")
    cache.folder.mkdir()
    cache.path(entry, quick=False, root_seed=0).write_text('{"id": "test/cached", "stat')  # cut mid-write
    assert cache.load(entry, quick=False, root_seed=0) is None
    records, _ = run_all([entry], quick=False, root_seed=0, workers=1, on_done=lambda *a: None, cache=cache)
    assert cache.load(entry, quick=False, root_seed=0)["status"] == records[0]["status"]
    assert not list(cache.folder.glob(".partial-*"))


def test_errors_are_not_cached(tmp_path):
    entry = entry_of(write(tmp_path, "a.py"))
    cache = ResultCache(tmp_path / "cache")
    cache.store(entry, {"id": entry.claim.id, "status": "error"}, quick=False, root_seed=0)
    assert cache.load(entry, quick=False, root_seed=0) is None


def test_cli_rebuilds_the_report_from_the_cache_alone(tmp_path):
    path = write(tmp_path, "a.py")
    env = {"VERIFIERS_CACHE": str(tmp_path / "cache")}

    def cli(*args):
        import os
        return subprocess.run([sys.executable, "-m", "verifiers", str(path), *args], capture_output=True,
                              text=True, cwd=ROOT, timeout=300, env={**os.environ, **env})

    missing = cli("--from-cache", "--out", str(tmp_path / "none"))
    assert missing.returncode == 1 and "not in the result cache" in missing.stdout + missing.stderr
    assert cli("--out", str(tmp_path / "first")).returncode == 0
    rebuilt = cli("--from-cache", "--out", str(tmp_path / "again"))
    assert rebuilt.returncode == 0
    first = json.loads((tmp_path / "first" / "results.json").read_text())["claims"][0]
    again = json.loads((tmp_path / "again" / "results.json").read_text())["claims"][0]
    assert again["cached"] and again["estimate"] == first["estimate"] and again["status"] == first["status"]
    assert (tmp_path / "again" / "index.html").exists()
    uncached = cli("--no-cache", "--out", str(tmp_path / "third"))
    assert uncached.returncode == 0 and "(cached)" not in uncached.stderr
