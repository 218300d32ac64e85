"""Claims run on a Dask LocalCluster (loopback) give the same records as the local process pool, bit for bit."""
import json
from pathlib import Path

from verifiers.catalog import discover
from verifiers.pool import run_all

ROOT = Path(__file__).resolve().parents[2]
CLAIMS = ROOT / "theory" / "claims"
# small and of different kinds: a bound, a rate with a PEP certificate, a comparison, a scaling
SAMPLE = [CLAIMS / "least_squares" / "gd_linear_bound.py", CLAIMS / "least_squares" / "gd_linear_rate.py",
          CLAIMS / "least_squares" / "sgd_ema_variance_li_gu.py", CLAIMS / "langevin" / "ula_w2_bias_order.py"]


def _comparable(records):
    return [json.dumps({k: v for k, v in r.items() if k not in ("seconds", "source")}, sort_keys=True, default=str)
            for r in records]


def test_dask_local_cluster_reproduces_the_local_run_bit_for_bit():
    entries, errors = discover([str(p) for p in SAMPLE])
    assert not errors and len(entries) == 8
    local, _ = run_all(entries, quick=True, root_seed=3, workers=2, on_done=lambda *a: None)
    seen = []
    on_dask, interrupted = run_all(entries, quick=True, root_seed=3, workers=2, scheduler="local",
                                   on_done=lambda done, total, record: seen.append(record["id"]))
    assert not interrupted and sorted(seen) == sorted(e.claim.id for e in entries)
    assert [r["id"] for r in on_dask] == [e.claim.id for e in entries]
    assert _comparable(on_dask) == _comparable(local)
    assert all(r["status"] == r["expected"] for r in on_dask)
