"""The one module that writes files: CSV tables, figures, text and JSON, always atomically.

Every writer goes through a temporary file in the target folder and ``os.replace``, so a crash or a
bad input never leaves a half-written output behind.
"""
from __future__ import annotations

import csv
import json
import multiprocessing
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .schemas import SCHEMAS, validate

_UMASK = os.umask(0)
os.umask(_UMASK)
_BOOL_TEXT = {"True": True, "False": False, "true": True, "false": False, "1": True, "0": False}


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it into place only if the block succeeds."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes files private; outputs are ordinary files
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_text(text: str, path: str | Path) -> Path:
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def write_bytes(data: bytes, path: str | Path) -> Path:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def write_json(obj: Any, path: str | Path) -> Path:
    return write_text(json.dumps(obj, ensure_ascii=False, indent=2) + "\n", path)


def write_csv(df: pd.DataFrame, path: str | Path, schema: str | None = None) -> Path:
    """Write ``df`` as UTF-8 CSV (validated against ``schema`` when given, extra columns allowed)."""
    if schema is not None:
        df = validate(df, schema, allow_extra=True)
    columns = _csv_columns(df)
    with atomic_path(path) as tmp:
        if columns is None:
            df.to_csv(tmp, index=False, encoding="utf-8")
        else:
            with open(tmp, "w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle, lineterminator=os.linesep)
                writer.writerow(list(df.columns))
                writer.writerows(zip(*columns))
    return Path(path)


CsvJob = tuple[pd.DataFrame, Path, "str | None"]  # (table, target path, schema name or None)
# Tables being written by forked processes, which inherit them instead of receiving a pickled copy.
_FORKED_CSV_JOBS: list[CsvJob] = []


def _write_forked_csv(index: int) -> Path:
    return write_csv(*_FORKED_CSV_JOBS[index])


def write_csvs(jobs: list[CsvJob], workers: int = 1) -> list[Path]:
    """``write_csv`` of each (table, path, schema); ``workers > 1`` writes them in that many forked processes.

    Writing the tables of a large corpus is CPU-bound (quoting and encoding), so two cores halve it.
    Each file is still written atomically; the first error is raised here, in the caller's process.
    Without ``fork`` (macOS, Windows) the tables are written one after the other.
    """
    global _FORKED_CSV_JOBS
    can_fork = sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()
    if workers <= 1 or len(jobs) < 2 or not can_fork:
        return [write_csv(*job) for job in jobs]
    # The largest tables first, so that the processes finish together.
    order = sorted(range(len(jobs)), key=lambda i: -jobs[i][0].size)
    _FORKED_CSV_JOBS = jobs
    try:
        with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=multiprocessing.get_context("fork")) as pool:
            written = dict(zip(order, pool.map(_write_forked_csv, order)))
    finally:
        _FORKED_CSV_JOBS = []
    return [written[i] for i in range(len(jobs))]


# dtype kinds the csv module writes exactly as ``DataFrame.to_csv`` does: bool, int, unsigned, float, object.
_PLAIN_KINDS = set("biufO")


def _csv_columns(df: pd.DataFrame) -> list[list] | None:
    """The columns of ``df`` as lists of the values ``to_csv`` would write, or None to let pandas write it.

    Python's ``repr`` of a float is the shortest round-trip form, as numpy's (what pandas writes), and
    missing values become empty fields; the csv module then writes the same bytes about twice as fast
    as ``to_csv`` on our tables (float columns are its slow part).

    >>> _csv_columns(pd.DataFrame({"v": [0.1, float("nan"), 1e16], "s": ["a", None, "b"]}))
    [[0.1, '', 1e+16], ['a', '', 'b']]
    """
    if df.columns.nlevels != 1 or not df.columns.is_unique or len(df.columns) == 0:
        return None
    columns = []
    for name in df.columns:
        series = df[name]
        plain = isinstance(series.dtype, np.dtype) and series.dtype.kind in _PLAIN_KINDS
        if not plain and str(series.dtype) != "str":
            return None  # nullable, categorical, datetime...: pandas knows how to write them
        values = series.tolist()
        if series.dtype.kind in "fO" or str(series.dtype) == "str":
            missing = series.isna()
            if missing.any():
                values = ["" if m else v for v, m in zip(values, missing.tolist())]
        columns.append(values)
    return columns


def read_csv(path: str | Path, schema: str | None = None) -> pd.DataFrame:
    """Read a CSV written by ``write_csv``; with ``schema``, restore its dtypes and check its columns."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    if schema is None:
        return df
    for column in SCHEMAS[schema]:
        if column.name not in df.columns:
            continue
        if column.dtype == "int":
            df[column.name] = pd.to_numeric(df[column.name]).astype("int64")
        elif column.dtype == "float":
            df[column.name] = pd.to_numeric(df[column.name]).astype("float64")
        elif column.dtype == "bool":
            df[column.name] = df[column.name].map(_BOOL_TEXT).astype("bool")
        else:
            df[column.name] = df[column.name].astype(object)
    return validate(df, schema, allow_extra=True)


def save_figure(fig: Any, path_without_suffix: str | Path, dpi: int = 200) -> list[Path]:
    """Save a matplotlib Figure as PNG (``dpi``) and SVG (glyphs as paths) beside each other."""
    written = []
    base = Path(path_without_suffix)
    for suffix in (".png", ".svg"):
        target = base.with_suffix(suffix)
        with atomic_path(target) as tmp:
            fig.savefig(tmp, format=suffix[1:], dpi=dpi, bbox_inches="tight")
        written.append(target)
    return written


# Rows per Parquet file of a partitioned table: a few MB each, so that readers (Dask, Spark, DuckDB) can split the work.
PARQUET_PART_ROWS = 200_000


class CsvPartsWriter:
    """Write one CSV table part by part (the header once), with the bytes ``write_csv`` gives the whole table.

    Use as a context manager: the file appears under its name only when the block succeeds.
    """

    def __init__(self, path: str | Path, schema: str | None = None) -> None:
        self.path, self.schema = Path(path), schema
        self._atomic = atomic_path(self.path)
        self._handle = None
        self._header = False

    def __enter__(self) -> "CsvPartsWriter":
        tmp = self._atomic.__enter__()
        self._handle = open(tmp, "w", encoding="utf-8", newline="")
        return self

    def write(self, df: pd.DataFrame) -> None:
        if self.schema is not None:
            df = validate(df, self.schema, allow_extra=True)
        columns = _csv_columns(df)
        if columns is None:
            df.to_csv(self._handle, index=False, header=not self._header, lineterminator=os.linesep)
        else:
            writer = csv.writer(self._handle, lineterminator=os.linesep)
            if not self._header:
                writer.writerow(list(df.columns))
            writer.writerows(zip(*columns))
        self._header = True

    def __exit__(self, *exc_info) -> None:
        self._handle.close()
        self._atomic.__exit__(*exc_info)


class ParquetPartsWriter:
    """Write a table as ``folder/part-00000.parquet``, ``part-00001.parquet``... one part per ``write``.

    The parts go to a temporary folder renamed into place when the block succeeds (replacing an older
    folder as a whole), so a reader never sees a mix of old and new parts or a partial table.
    """

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self._tmp: Path | None = None
        self._parts = 0

    def __enter__(self) -> "ParquetPartsWriter":
        self.folder.parent.mkdir(parents=True, exist_ok=True)
        self._tmp = Path(tempfile.mkdtemp(prefix=f".{self.folder.name}.", dir=self.folder.parent))
        return self

    def write(self, df: pd.DataFrame) -> None:
        if len(df) or not self._parts:  # an empty table still gets one part, with its columns
            df.to_parquet(self._tmp / f"part-{self._parts:05d}.parquet", index=False)
            self._parts += 1

    def __exit__(self, exc_type, *_rest) -> None:
        try:
            if exc_type is None:
                os.chmod(self._tmp, 0o777 & ~_UMASK)
                if self.folder.exists():
                    old = self.folder.with_name(f".{self.folder.name}.old")
                    os.replace(self.folder, old)
                    shutil.rmtree(old, ignore_errors=True)
                os.replace(self._tmp, self.folder)
        finally:
            if self._tmp.exists():
                shutil.rmtree(self._tmp, ignore_errors=True)


def write_parquet_parts(df: pd.DataFrame, folder: str | Path, rows_per_part: int = PARQUET_PART_ROWS) -> Path:
    """Write ``df`` as ``folder/part-*.parquet`` of at most ``rows_per_part`` rows (see ``ParquetPartsWriter``)."""
    with ParquetPartsWriter(folder) as parts:
        for start in range(0, max(len(df), 1), rows_per_part):
            parts.write(df.iloc[start:start + rows_per_part])
    return Path(folder)
