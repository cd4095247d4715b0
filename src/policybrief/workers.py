"""Worker processes that never outlive their command and leave Ctrl-C to it.

Every process pool of the package starts its workers with ``worker_initializer`` and is stopped with
``stop_pool`` when the command fails or is interrupted: a worker killed with its parent (SIGKILL
included) cannot keep a core busy, and an interrupt never waits for the rest of the queued work.
"""
from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager

PR_SET_PDEATHSIG = 1  # linux/prctl.h
_stopped_pools: list[ProcessPoolExecutor] = []  # pools whose workers this process killed


@contextmanager
def worker_pool(max_workers: int, mp_context, initializer: Callable[[], None] | None = None) -> Iterator[CheckedPool]:
    """A process pool whose workers die with this process and are killed if the block fails.

    On success the pool shuts down as usual (waiting for its work); on any exception, an interrupt or a
    generator closed early, queued work is cancelled and the workers are killed at once. Its ``map``
    never loses a Ctrl-C (see ``CheckedPool``).
    """
    pool = ProcessPoolExecutor(max_workers=max_workers, mp_context=mp_context,
                               initializer=worker_initializer, initargs=(os.getpid(), initializer))
    try:
        with _interrupts_remembered() as interrupted:
            yield CheckedPool(pool, interrupted)
    except BaseException:
        stop_pool(pool)
        raise
    pool.shutdown(wait=True)


class CheckedPool:
    """``map`` of a ``ProcessPoolExecutor`` that raises ``KeyboardInterrupt`` for a Ctrl-C Python swallowed.

    A Ctrl-C that arrives while the pool forks its workers is raised inside an at-fork handler, where
    Python ignores exceptions: the command would go on as if nothing happened. The interrupt is
    remembered, and checked once the workers run and after each result.
    """

    def __init__(self, pool: ProcessPoolExecutor, interrupted: threading.Event) -> None:
        self.pool = pool
        self.interrupted = interrupted

    def map(self, fn, *iterables, **kwargs) -> Iterator:
        results = self.pool.map(fn, *iterables, **kwargs)
        self._check()
        for result in results:
            self._check()
            yield result

    def _check(self) -> None:
        if self.interrupted.is_set():
            raise KeyboardInterrupt


@contextmanager
def _interrupts_remembered() -> Iterator[threading.Event]:
    """An event set by every Ctrl-C during the block (which still raises ``KeyboardInterrupt`` as usual)."""
    interrupted = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield interrupted
        return
    previous = signal.getsignal(signal.SIGINT)

    def remember(signum, frame):
        interrupted.set()
        if callable(previous):
            previous(signum, frame)
        elif previous != signal.SIG_IGN:
            raise KeyboardInterrupt

    signal.signal(signal.SIGINT, remember)
    try:
        yield interrupted
    finally:
        signal.signal(signal.SIGINT, previous)


def worker_initializer(parent_pid: int, then: Callable[[], None] | None = None) -> None:
    """In a new worker: die by SIGKILL when the parent dies (Linux), ignore Ctrl-C (the parent stops us), then ``then()``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(parent_pid)
    if then is not None:
        then()


def die_with_parent(parent_pid: int) -> None:
    """In a child process: be killed (SIGKILL) when the parent ``parent_pid`` dies (Linux ``prctl``).

    Pool workers would otherwise outlive a parent killed outright (they wait on a queue whose other
    end they hold themselves). Chromium needs none: it exits when its DevTools pipe closes.
    """
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass  # no prctl: the pool's own shutdown is all that is left
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)


def stop_pool(pool: ProcessPoolExecutor) -> None:
    """Cancel queued work and kill the workers now (an interrupt or an error must not wait for them)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())  # no public accessor
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.kill()
    for process in processes:
        process.join(timeout=5)
    _stopped_pools.append(pool)


def killed_workers() -> bool:
    """True once ``stop_pool`` killed a pool's workers in this process.

    A worker killed while it sends a result leaves half a message in the pool's pipe: the pool's manager
    thread then waits for the rest for ever, and a normal interpreter exit joins that thread and hangs.
    The command line exits without joining it when this is true (``cli.run``).
    """
    return bool(_stopped_pools)
