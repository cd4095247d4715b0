"""The one module that writes files: CSV tables, figures, text and JSON, always atomically.

Every writer goes through a temporary file in the target folder and ``os.replace``, so a crash or a
bad input never leaves a half-written output behind.
"""
from __future__ import annotations

import csv
import json
import multiprocessing
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .formulas import neutralize_formulas, restore_formulas
from .schemas import SCHEMAS, validate
from .workers import worker_pool

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
    df = neutralize_formulas(df)  # tables are opened in spreadsheets: no cell may run as a formula
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
        with worker_pool(min(workers, len(jobs)), multiprocessing.get_context("fork")) as pool:
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
    df = restore_formulas(pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8"))
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
