"""Outputs change as a whole: one writer per output folder (a lock), a staging folder, then rename swaps.

``policybrief build`` and ``extract`` write everything into a staging folder inside the output folder
and move it into place with renames only when every step succeeded. On an error or an interrupt the
previous outputs stay as they were and the staging folder is removed. A second command writing to the
same folder stops at once with a message naming the process that holds it (the lock is an ``flock``:
the kernel releases it when its holder dies, even by SIGKILL, so it never goes stale).

Like ``store``, this module writes to disk; it handles whole folders, ``store`` single files.
"""
from __future__ import annotations

import fcntl
import os
import shutil
import signal
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

LOCK_NAME = ".policybrief.lock"
STAGING_PREFIX = ".policybrief-staging-"
KEPT_FILES = ("README.md",)  # files of the project's own output folders that are not build outputs
_DEFERRED_SIGNALS = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}


class OutputError(RuntimeError):
    """The output folder is busy (another policybrief writes it) or cannot be written."""


@contextmanager
def output_lock(root: str | Path, command: str) -> Iterator[Path]:
    """Hold the lock of output folder ``root`` (created if needed) for the block; stop if another process holds it."""
    root = Path(root)
    try:
        root.mkdir(parents=True, exist_ok=True)
        fd = os.open(root / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise OutputError(f"cannot write to the output folder {root}: {exc.strerror or exc}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 1024, 0).decode("utf-8", errors="replace").strip() or "another process"
            raise OutputError(f"{root} is being written by another policybrief ({holder}); "
                              "wait for it to finish or choose another --out") from None
        since = datetime.now(timezone.utc).strftime("%H:%M:%S UTC")
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}, {command}, since {since}\n".encode(), 0)
        remove_stale_staging(root)
        yield root
    finally:
        os.close(fd)  # releases the flock


def remove_stale_staging(root: Path) -> None:
    """Remove staging folders left by a process killed outright (the caller holds the lock, so none is live)."""
    for stale in root.glob(STAGING_PREFIX + "*"):
        shutil.rmtree(stale, ignore_errors=True)


@contextmanager
def staging_folder(root: str | Path) -> Iterator[Path]:
    """A fresh, empty folder inside ``root`` for the block; removed with whatever is left in it afterwards."""
    try:
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=root))
    except OSError as exc:
        raise OutputError(f"cannot write to the output folder {root}: {exc.strerror or exc}") from None
    os.chmod(staging, 0o777 & ~_umask())
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def signals_deferred() -> Iterator[None]:
    """Ctrl-C, SIGTERM and SIGHUP wait until the block is done (the main thread only; elsewhere a no-op)."""
    import threading

    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _DEFERRED_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def swap_in(staging: Path, root: Path, names: tuple[str, ...]) -> list[Path]:
    """Move ``staging/name`` to ``root/name`` for each name staged (files or folders), replacing the old ones.

    Only renames, with interrupts deferred; if a rename fails, those already done are undone, so the
    old outputs come back whole. Old entries end up in ``staging`` (removed with it); files named in
    ``KEPT_FILES`` inside an old folder are carried over into the new one.
    """
    staged = [name for name in names if (staging / name).exists() or (staging / name).is_symlink()]
    for name in staged:
        old, new = root / name, staging / name
        if old.is_dir() and new.is_dir():
            for kept in KEPT_FILES:
                if (old / kept).is_file() and not (new / kept).exists():
                    shutil.copy2(old / kept, new / kept)
    moved_aside: list[tuple[Path, Path]] = []  # (old entry, where it went)
    swapped: list[tuple[Path, Path]] = []  # (new entry now in place, where it came from)
    with signals_deferred():
        try:
            for name in staged:
                old, new, aside = root / name, staging / name, staging / f".previous-{name}"
                if old.exists() or old.is_symlink():
                    os.rename(old, aside)
                    moved_aside.append((old, aside))
                os.rename(new, old)
                swapped.append((old, new))
        except OSError:
            for placed, origin in reversed(swapped):
                os.rename(placed, origin)
            for old, aside in reversed(moved_aside):
                os.rename(aside, old)
            raise
    return [root / name for name in staged]


def carry_in(root: Path, staging: Path, copied: tuple[str, ...], moved: tuple[str, ...]) -> list[str]:
    """Bring state kept across runs (paths relative to ``root``) into ``staging`` before a run writes there.

    ``copied`` entries are copied (small state: the old copy stays whole if the run fails); ``moved``
    entries (caches, possibly large) are renamed into the staging folder, and ``give_back`` returns them
    when the run fails. Returns the entries moved.
    """
    for relative in copied:
        if (root / relative).is_dir():
            shutil.copytree(root / relative, staging / relative, symlinks=True, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns(*(Path(m).name for m in moved)))
    done = []
    with signals_deferred():
        for relative in moved:
            if (root / relative).exists():
                (staging / relative).parent.mkdir(parents=True, exist_ok=True)
                os.rename(root / relative, staging / relative)
                done.append(relative)
    return done


def give_back(staging: Path, root: Path, moved: list[str]) -> None:
    """Undo ``carry_in``'s moves after a failed run (the entries, possibly updated, go back under ``root``)."""
    with signals_deferred():
        for relative in moved:
            if (staging / relative).exists() and not (root / relative).exists():
                (root / relative).parent.mkdir(parents=True, exist_ok=True)
                os.rename(staging / relative, root / relative)
