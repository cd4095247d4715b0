"""Extraction on a Dask cluster: the same per-chunk function as the process pool, run by Dask workers.

The parent reads the articles (``corpus``) and sends each worker chunks of (doc_id, text, published);
a worker runs ``pipeline._chunk_records`` (every extractor and the per-document initiative links) and
sends back the chunk's rows. Chunks are submitted a few at a time per worker, so that the parent never holds more than a
window of texts and results in flight; results come back in document order, so the tables are the
same as the default engine's. Workers must run the same version of policybrief: the fingerprint of
their extraction code is compared with the parent's before any work is sent.
"""
from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager

from .cache import code_fingerprint

SCHEDULER_ENV = "DASK_SCHEDULER_ADDRESS"
CONNECT_TIMEOUT = "15s"
# Chunks in flight per worker: enough to keep every worker busy while the parent unpacks results.
CHUNKS_IN_FLIGHT_PER_WORKER = 4


class DaskEngineError(RuntimeError):
    """The cluster could not be reached or cannot run this version of the extraction (one-line message)."""


def scheduler_address(scheduler: str | None = None) -> str | None:
    """The scheduler to connect to: the one given, else ``DASK_SCHEDULER_ADDRESS``, else None (a local cluster).

    >>> scheduler_address("tcp://10.0.0.5:8786")
    'tcp://10.0.0.5:8786'
    """
    return scheduler or os.environ.get(SCHEDULER_ENV) or None


def _client(address: str | None, workers: int):
    """A ``distributed.Client`` to ``address``, or to a new local cluster of ``workers`` processes."""
    from distributed import Client, LocalCluster

    if address is None:
        cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                               dashboard_address=":0", silence_logs=logging.ERROR)
        return Client(cluster), cluster
    try:
        return Client(address, timeout=CONNECT_TIMEOUT), None
    except (OSError, TimeoutError) as error:
        raise DaskEngineError(f"cannot reach the Dask scheduler at {address}: {error}") from None


def _worker_fingerprint() -> str:
    """``code_fingerprint`` as computed on a worker (its own installed policybrief)."""
    from .cache import code_fingerprint as installed

    return installed()


def _check_workers(client) -> int:
    """Number of workers, after checking that each runs this version of the extraction code."""
    client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
    expected = code_fingerprint()
    found = client.run(_worker_fingerprint)
    different = sorted(worker for worker, fingerprint in found.items() if fingerprint != expected)
    if different:
        raise DaskEngineError(
            f"{len(different)} Dask worker(s) run another version of policybrief ({different[0]}...): "
            "install the same version on every worker")
    return len(found)


# The client of the open ``session``, shared by the batches of a streamed extraction.
_SESSION: dict = {}


@contextmanager
def session(scheduler: str | None = None, workers: int = 1) -> Iterator[None]:
    """Connect once (or start one local cluster) for every ``dask_chunks`` call inside the block."""
    with _connected(scheduler, workers) as connection:
        _SESSION["connection"] = connection
        try:
            yield
        finally:
            _SESSION.clear()


@contextmanager
def _connected(scheduler: str | None, workers: int):
    """(client, number of workers) of the session, or of a new connection closed after the block."""
    if "connection" in _SESSION:
        yield _SESSION["connection"]
        return
    address = scheduler_address(scheduler)
    try:
        client, cluster = _client(address, workers)
    except ImportError as error:
        raise DaskEngineError(f"the Dask engine needs dask and distributed installed ({error})") from None
    try:
        try:
            n_workers = _check_workers(client)
        except TimeoutError:
            raise DaskEngineError(f"no Dask worker joined the scheduler at {address} within {CONNECT_TIMEOUT}") from None
        yield client, n_workers
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def dask_chunks(jobs: list, scheduler: str | None = None, workers: int = 1, chunk_size: int | None = None
                ) -> Iterator[tuple[int, tuple]]:
    """(number of documents, records) per chunk of ``jobs``, in document order, computed by Dask workers."""
    from . import pipeline

    if not jobs:
        return
    with _connected(scheduler, workers) as (client, n_workers):
        size = chunk_size or pipeline.CHUNK_SIZE
        bounds = iter([(start, min(start + size, len(jobs))) for start in range(0, len(jobs), size)])
        in_flight: deque = deque()

        def submit_next() -> None:
            for start, end in bounds:
                future = client.submit(pipeline._chunk_records, jobs[start:end], pure=False)
                in_flight.append(future)
                return

        for _ in range(n_workers * CHUNKS_IN_FLIGHT_PER_WORKER):
            submit_next()
        while in_flight:
            future = in_flight.popleft()
            n_documents, records = future.result()
            future.release()
            submit_next()
            yield n_documents, records
