r"""Run claims in worker processes, with a time budget per claim and a progress line each.

One process per claim, forked from a fork server (a fresh interpreter with the problem
modules preloaded) and loading its claim file by path, so claims defined in files anywhere
on disk need no pickling; at most ``workers`` at a time. A claim past its ``time_budget``
is stopped and reported as ``error``; a crashed worker too. Ctrl-C stops the workers and returns what
finished. Results do not depend on the worker count: each claim's seeds derive from the
root seed and its own id (``verifiers.run.streams``).
"""
from __future__ import annotations

import multiprocessing as mp
import os
import signal
import sys
import time
from multiprocessing.connection import wait
from pathlib import Path
from typing import Callable, Optional, Sequence

from theory.claim import ClaimSpecError
from verifiers.cache import ResultCache
from verifiers.catalog import Entry, load_file
from verifiers.run import error_record, run_claim


def single_threaded_blas() -> None:
    """BLAS on one thread in this worker process, for good, before its claim runs.

    Claims run side by side, one process per core; a multi-threaded BLAS in each
    oversubscribes the cores (a 200 x 200 eigendecomposition measured 100 times slower on
    a loaded 2-core machine), and a record would depend on the core count. Set once per
    worker and never toggled back.
    """
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")


def _child(source: str, claim_id: str, quick: bool, root_seed: int, backend: str, connection) -> None:
    """One claim in a worker forked from the fork server: it loads its claim file by path."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the parent decides
    single_threaded_blas()
    try:
        entry = next(e for e in load_file(Path(source)) if e.claim.id == claim_id)
    except (ClaimSpecError, StopIteration) as exc:
        connection.send({"status": "error", "reason": f"{source}: cannot load {claim_id!r} in the worker: {exc}"})
        connection.close()
        return
    record = run_claim(entry.claim, quick=quick, root_seed=root_seed, backend=backend)
    record["source"] = str(entry.source)
    connection.send(record)
    connection.close()


def _failed(entry: Entry, reason: str, seconds: float, root_seed: int) -> dict:
    return {**error_record(entry.claim, reason, root_seed=root_seed, seconds=seconds), "source": str(entry.source)}


def progress_line(done: int, total: int, record: dict, stream=sys.stderr) -> None:
    mark = "ok " if record["status"] == record["expected"] else "!! "
    when = "cached" if record.get("cached") else f"{record['seconds']:.1f} s"
    print(f"[{done:>{len(str(total))}}/{total}] {mark}{record['status']:<12} {record['id']} "
          f"({when})", file=stream, flush=True)
    if record["status"] in ("error", "invalid"):  # one line that names the file, the claim and the cause
        print(f"    {record.get('source', '?')}: {record['reason']}", file=stream, flush=True)


def run_all(entries: Sequence[Entry], *, quick: bool, root_seed: int, workers: Optional[int] = None,
            on_done: Callable[[int, int, dict], None] = progress_line,
            cache: Optional[ResultCache] = None, scheduler: Optional[str] = None,
            backend: str = "numba") -> tuple[list[dict], bool]:
    """Run every entry; returns the records in catalogue order and whether Ctrl-C cut the run.

    With a ``cache``, a claim whose key is stored is read back instead of run (its record
    gets ``"cached": True``), and every new record is stored as soon as it arrives.
    ``scheduler``: run the claims on a Dask distributed cluster instead of local processes,
    ``"local"`` for a ``LocalCluster`` of ``workers`` processes on this machine, or the
    address of a running scheduler (``tcp://HOST:PORT``). ``backend``: the array back end
    of the methods that take one (:mod:`problems.backend`)."""
    entries = list(entries)
    if scheduler is not None:
        return _run_on_dask(entries, quick=quick, root_seed=root_seed, workers=workers, on_done=on_done,
                            cache=cache, scheduler=scheduler, backend=backend)
    # Workers fork from a fork server, a fresh interpreter with the problem modules preloaded,
    # never from this process: a process that has itself run a solver may hold thread pools
    # (Clarabel's rayon pool, OpenBLAS) that a forked child waits on forever. The preload list
    # counts only when the server starts (the first run in this process); workers import the rest.
    context = mp.get_context("forkserver")
    context.set_forkserver_preload(["verifiers.run", "verifiers.catalog", *sorted(_modules(entries))])
    workers = max(1, workers or os.cpu_count() or 1)
    pending = list(range(len(entries)))
    running: dict = {}  # sentinel -> (index, process, connection, started)
    records: dict[int, dict] = {}
    interrupted = False
    if cache is not None:
        on_done = _storing(on_done, cache, entries, quick, root_seed, backend)
    try:
        while pending or running:
            while pending and len(running) < workers:
                index = pending.pop(0)
                stored = cache.load(entries[index], quick=quick, root_seed=root_seed, backend=backend) if cache else None
                if stored is not None:
                    records[index] = {**stored, "cached": True}
                    on_done(len(records), len(entries), records[index])
                    continue
                receive, send = context.Pipe(duplex=False)
                entry = entries[index]
                process = context.Process(target=_child, args=(str(entry.source), entry.claim.id, quick, root_seed,
                                                               backend, send), daemon=True)
                process.start()
                send.close()
                running[process.sentinel] = (index, process, receive, time.perf_counter())
            _collect(running, records, entries, root_seed, on_done)
    except KeyboardInterrupt:
        interrupted = True
        for index, process, receive, _ in running.values():
            process.terminate()
            process.join()
        print(f"\ninterrupted: {len(records)} of {len(entries)} claims finished and are kept", file=sys.stderr)
    return [records[i] for i in sorted(records)], interrupted


def _modules(entries: Sequence[Entry]) -> set[str]:
    """The importable modules of the claims' generators and methods, preloaded by the fork server."""
    names = set()
    for entry in entries:
        for function in (entry.claim.problem, entry.claim.method):
            name = getattr(function, "__module__", "") or ""
            if name.startswith("problems."):
                names.add(name)
    return names


def _storing(on_done, cache: ResultCache, entries: Sequence[Entry], quick: bool, root_seed: int, backend: str):
    """``on_done`` that first stores each freshly computed record in the cache."""
    by_id = {entry.claim.id: entry for entry in entries}

    def done(count: int, total: int, record: dict) -> None:
        if not record.get("cached") and record["id"] in by_id:
            cache.store(by_id[record["id"]], record, quick=quick, root_seed=root_seed, backend=backend)
        on_done(count, total, record)
    return done


def _collect(running: dict, records: dict, entries: Sequence[Entry], root_seed: int, on_done) -> None:
    """Wait briefly for a worker to finish; stop those past their time budget."""
    ready = wait([r[2] for r in running.values()] + list(running), timeout=0.5)
    now = time.perf_counter()
    for sentinel, (index, process, receive, started) in list(running.items()):
        entry, seconds = entries[index], now - started
        record = None
        if receive in ready or sentinel in ready:
            try:
                record = receive.recv() if receive.poll() else None
            except (EOFError, OSError):
                record = None
            if record is None and process.is_alive():
                continue
            if record is None:
                process.join()
                record = _failed(entry, f"worker died (exit code {process.exitcode}) before reporting", seconds,
                                 root_seed)
            elif "id" not in record:  # the worker could not load its claim file
                record = _failed(entry, record.get("reason", "worker failed"), seconds, root_seed)
        elif seconds > entry.claim.time_budget:
            process.terminate()
            record = _failed(entry, f"stopped: past its time budget of {entry.claim.time_budget:g} s", seconds,
                             root_seed)
        if record is None:
            continue
        process.join()
        receive.close()
        del running[sentinel]
        records[index] = record
        on_done(len(records), len(entries), record)


def _claim_on_worker(source_text: str, file_name: str, claim_id: str, quick: bool, root_seed: int,
                     backend: str = "numba") -> dict:
    """Run one claim on a Dask worker: the claim file travels as text (the worker may not
    see this disk) and is loaded from a private copy, removed afterwards; the packages it
    imports must be installed on the worker (the same checkout, ``pip install -e .``)."""
    import tempfile

    single_threaded_blas()  # as in the local pool, so that the records are the same bit for bit
    with tempfile.TemporaryDirectory(prefix="claim-") as folder:
        path = Path(folder) / file_name
        path.write_text(source_text)
        entry = next(e for e in load_file(path) if e.claim.id == claim_id)
        return run_claim(entry.claim, quick=quick, root_seed=root_seed, backend=backend)


def _run_on_dask(entries: Sequence[Entry], *, quick: bool, root_seed: int, workers: Optional[int], on_done,
                 cache: Optional[ResultCache], scheduler: str, backend: str = "numba") -> tuple[list[dict], bool]:
    """The same records as the local pool (seeds derive from the claim id, not from where it
    runs), computed by Dask workers. Time budgets are not enforced here: Dask cannot stop a
    running task, so a claim past its budget is reported when it ends."""
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise SystemExit("error: --scheduler needs Dask distributed: pip install '.[distributed]'") from None
    if cache is not None:
        on_done = _storing(on_done, cache, entries, quick, root_seed, backend)
    records: dict[int, dict] = {}
    cluster = (LocalCluster(n_workers=max(1, workers or os.cpu_count() or 1), threads_per_worker=1,
                            processes=True, host="127.0.0.1", dashboard_address=None)
               if scheduler == "local" else None)
    client = Client(cluster if cluster is not None else scheduler)
    futures = {}
    interrupted = False
    try:
        for index, entry in enumerate(entries):
            stored = cache.load(entry, quick=quick, root_seed=root_seed, backend=backend) if cache else None
            if stored is not None:
                records[index] = {**stored, "cached": True}
                on_done(len(records), len(entries), records[index])
                continue
            future = client.submit(_claim_on_worker, entry.source.read_text(), entry.source.name, entry.claim.id,
                                   quick, root_seed, backend, key=f"claim-{index}-{entry.claim.id}", pure=False)
            futures[future] = index
        for future in as_completed(list(futures)):
            index, entry = futures[future], entries[futures[future]]
            try:
                record = future.result()
            except Exception as exc:  # the worker died or the task could not run: the claim has no verdict
                record = _failed(entry, f"Dask task failed: {type(exc).__name__}: {exc}".splitlines()[0], 0.0,
                                 root_seed)
            record["source"] = str(entry.source)
            records[index] = record
            on_done(len(records), len(entries), record)
    except KeyboardInterrupt:
        interrupted = True
        client.cancel(list(futures))
        print(f"\ninterrupted: {len(records)} of {len(entries)} claims finished and are kept", file=sys.stderr)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return [records[i] for i in sorted(records)], interrupted
