"""Per-article extraction results kept between runs, so that only new or changed articles are extracted again.

An entry is keyed by the sha256 of the article (its ``doc_id``, publication date and text: all that
extraction reads) and lives in a folder named after the *fingerprint* of the extraction code and its
rule files: editing a rule or an extractor starts a new, empty cache instead of serving stale rows.

Entries are written in shards: Parquet files of (key, doc_id, payload, sha256 of the payload), where the
payload is the pickled rows of one article. Each shard is written atomically (``store.atomic_path``),
so an interrupted run leaves every finished shard usable and no half-written one. A shard that cannot
be read, or whose payload does not match its checksum, is reported, deleted and never trusted: its
articles are simply extracted again. Entries of articles no longer in the corpus drop out when the
shards are compacted. Like the rest of ``build/``, the cache is the user's own output: the pickles it
holds are ones this code wrote.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import sys
import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path

from .. import store
from ..paths import DATA_DIR, PACKAGE_DIR

# The code and data that extraction depends on (tests/test_extract_cache.py checks that extraction imports
# nothing else from the package).
EXTRACTION_CODE = ("extract/**/*.py", "textnorm.py", "numerals.py", "segment.py", "dates.py", "rules.py",
                   "schemas.py", "paths.py")
EXTRACTION_DATA = ("*.yml",)
SHARD_GLOB = "shard-*.parquet"
# More shards than this (plus one per COMPACT_SHARD_ENTRIES live entries), or more stale entries than live
# ones, and the live entries are rewritten into few shards.
MAX_SHARDS = 16
# Entries per shard written by a compaction (about 10 KB each).
COMPACT_SHARD_ENTRIES = 20_000
PICKLE_PROTOCOL = 5

Warn = Callable[[str], None]


def _stderr_warning(message: str) -> None:
    print(f"policybrief: warning: {message}", file=sys.stderr, flush=True)


def code_fingerprint() -> str:
    """sha256 (first 16 hex digits) of the extraction code and rule files, by relative path and content.

    The Python version is part of it: regular expressions and pickles may change between versions.
    """
    digest = hashlib.sha256(f"python {sys.version_info[0]}.{sys.version_info[1]}\0".encode())
    files = {(PACKAGE_DIR, p) for pattern in EXTRACTION_CODE for p in PACKAGE_DIR.glob(pattern)}
    files |= {(DATA_DIR, p) for pattern in EXTRACTION_DATA for p in DATA_DIR.glob(pattern)}
    for folder, path in sorted(files):
        digest.update(f"{folder.name}/{path.relative_to(folder).as_posix()}".encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def article_key(doc_id: str, text: str, published: str = "") -> str:
    """The cache key of one article: sha256 of what extraction reads from it.

    >>> article_key("a", "نص") == article_key("a", "نص", "")
    True
    >>> article_key("a", "نص") == article_key("b", "نص")
    False
    """
    digest = hashlib.sha256()
    for part in (doc_id, str(published or ""), text):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()


class ExtractionCache:
    """Extraction results by article key under ``folder/<code fingerprint>/``."""

    def __init__(self, folder: str | Path, fingerprint: str | None = None, warn: Warn | None = None) -> None:
        self.root = Path(folder)
        self.fingerprint = fingerprint or code_fingerprint()
        self.folder = self.root / self.fingerprint
        self.warn = warn or _stderr_warning
        self._shards: list[Path] = []

    def load(self, keys: Iterable[str]) -> dict[str, object]:
        """The cached records of those of ``keys`` that are in the cache (payloads verified, unpickled)."""
        import pyarrow.parquet as pq

        wanted = set(keys)
        found: dict[str, object] = {}
        self._shards = sorted(self.folder.glob(SHARD_GLOB)) if self.folder.is_dir() else []
        for shard in list(self._shards):
            try:
                keys_here = pq.read_table(shard, columns=["key"]).column("key").to_pylist()
                if wanted.isdisjoint(keys_here):  # a shard of other documents: not even opened further
                    continue
                table = pq.read_table(shard).to_pydict()
                entries = {}
                for key, payload, checksum in zip(table["key"], table["payload"], table["sha256"]):
                    if key not in wanted:
                        continue
                    if hashlib.sha256(payload).hexdigest() != checksum:
                        raise ValueError(f"checksum mismatch for {key[:12]}")
                    entries[key] = pickle.loads(payload)
            except Exception as error:  # noqa: BLE001 - any unreadable shard is dropped, whatever broke it
                self.warn(f"ignoring a corrupted extraction cache file {shard.name} ({type(error).__name__}: "
                          f"{str(error)[:120]}); its articles are extracted again")
                self._shards.remove(shard)
                shard.unlink(missing_ok=True)
                continue
            found.update(entries)
        return found

    def save(self, entries: list[tuple[str, str, object]]) -> Path | None:
        """Write ``(key, doc_id, records)`` entries as one new shard; return its path (None when empty)."""
        payloads = [pickle.dumps(records, protocol=PICKLE_PROTOCOL) for _, _, records in entries]
        return self._write_shard([key for key, _, _ in entries], [doc_id for _, doc_id, _ in entries], payloads)

    def _write_shard(self, keys: list[str], doc_ids: list[str], payloads: list[bytes]) -> Path | None:
        if not keys:
            return None
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.table({
            "key": keys,
            "doc_id": doc_ids,
            "payload": pa.array(payloads, type=pa.binary()),
            "sha256": [hashlib.sha256(p).hexdigest() for p in payloads],
        })
        self._remove_other_fingerprints()
        # Time first, so that shards sort in the order they were written.
        path = self.folder / f"shard-{time.time_ns():020d}-{uuid.uuid4().hex[:8]}.parquet"
        with store.atomic_path(path) as tmp:
            pq.write_table(table, tmp)
        self._shards.append(path)
        return path

    def compact(self, live_keys: Iterable[str]) -> None:
        """Rewrite the entries of ``live_keys`` into few shards when the cache has grown fragmented or stale.

        Works on the stored bytes, a shard at a time (never the whole corpus's rows in memory); entries
        whose checksum does not match are left out.
        """
        import pyarrow.parquet as pq

        live = set(live_keys)
        shards = sorted(self.folder.glob(SHARD_GLOB)) if self.folder.is_dir() else []
        keys_by_shard = {}
        for shard in shards:
            try:
                keys_by_shard[shard] = pq.read_table(shard, columns=["key"]).column("key").to_pylist()
            except Exception:  # noqa: BLE001 - an unreadable shard is dropped by the rewrite below
                keys_by_shard[shard] = []
        stale = sum(1 for keys in keys_by_shard.values() for key in keys if key not in live)
        if len(shards) <= MAX_SHARDS + len(live) // COMPACT_SHARD_ENTRIES and stale <= len(live):
            return
        self._shards = []
        written: set[str] = set()
        batch: tuple[list, list, list] = ([], [], [])
        for shard in reversed(shards):  # newest first: a key written twice keeps its latest entry
            if not live.intersection(keys_by_shard[shard]):
                continue
            try:
                table = pq.read_table(shard).to_pydict()
            except Exception:  # noqa: BLE001
                continue
            for key, doc_id, payload, checksum in zip(table["key"], table["doc_id"], table["payload"], table["sha256"]):
                if key in live and key not in written and hashlib.sha256(payload).hexdigest() == checksum:
                    written.add(key)
                    for column, value in zip(batch, (key, doc_id, payload)):
                        column.append(value)
            if len(batch[0]) >= COMPACT_SHARD_ENTRIES:
                self._write_shard(*batch)
                batch = ([], [], [])
        self._write_shard(*batch)
        for shard in shards:
            shard.unlink(missing_ok=True)

    def _remove_other_fingerprints(self) -> None:
        """Caches of other versions of the code can never be read again: remove them."""
        if not self.root.is_dir():
            return
        for other in self.root.iterdir():
            if other.is_dir() and other.name != self.fingerprint and len(other.name) == len(self.fingerprint):
                shutil.rmtree(other, ignore_errors=True)


def clear(folder: str | Path) -> None:
    """Remove every cached extraction under ``folder`` (``--force``)."""
    if Path(folder).is_dir():
        shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder, exist_ok=True)
