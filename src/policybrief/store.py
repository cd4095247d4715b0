"""The one module that reads and writes tables (``read_table`` / ``write_table``, checked against the
registry in ``schemas.py``) and writes figures, text and JSON, always atomically.

Every writer goes through a temporary file in the target folder and ``os.replace``, so a crash or a
bad input never leaves a half-written output behind.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from .paths import OutputLayout
from .schemas import TABLES, SchemaError, validate

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


def table_path(name: str, layout: OutputLayout) -> Path:
    """Where table ``name`` of the registry lives in ``layout``: ``build/data/<file>`` or ``figures/<file>``."""
    table = TABLES[name]
    if table.folder == "input":
        raise ValueError(f"table '{name}' is an input, read by corpus.py from the article folder")
    return (layout.figures_dir if table.folder == "figures" else layout.data_dir) / table.file


def write_table(name: str, df: pd.DataFrame, layout: OutputLayout) -> Path:
    """Write table ``name`` after checking it against the registry (SchemaError names table and column)."""
    return _write_valid(name, validate(df, name), layout)


def _write_valid(name: str, df: pd.DataFrame, layout: OutputLayout) -> Path:
    path = table_path(name, layout)
    with atomic_path(path) as tmp:
        if TABLES[name].format == "parquet":
            df.to_parquet(tmp, index=False)
        else:
            _write_csv(df, tmp)
    return path


def write_tables(tables: dict[str, pd.DataFrame], layout: OutputLayout) -> list[Path]:
    """``write_table`` of each named table; all are checked before the first is written."""
    valid = {name: validate(df, name) for name, df in tables.items()}
    return [_write_valid(name, df, layout) for name, df in valid.items()]


def read_table(name: str, layout: OutputLayout) -> pd.DataFrame:
    """Table ``name`` as written by ``write_table``, with the registry's dtypes (SchemaError when it differs)."""
    path = table_path(name, layout)
    if TABLES[name].format == "parquet":
        df = pd.read_parquet(path)
    else:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    for column in TABLES[name].columns:
        if column.name not in df.columns:
            continue  # validate names it
        if column.dtype == "string":
            df[column.name] = df[column.name].astype(object)
        elif df[column.name].dtype == object or pd.api.types.is_string_dtype(df[column.name].dtype):
            df[column.name] = _typed_column(df[column.name], name, column.name, column.dtype)
    return validate(df, name)


def has_table(name: str, layout: OutputLayout) -> bool:
    """Whether table ``name`` was written in ``layout``."""
    return table_path(name, layout).is_file()


def _typed_column(text: pd.Series, table: str, column: str, dtype: str) -> pd.Series:
    """A column read as text with its registry dtype again; SchemaError naming the first bad value."""
    try:
        if dtype == "bool":
            if not text.isin(list(_BOOL_TEXT)).all():
                raise ValueError(text[~text.isin(list(_BOOL_TEXT))].iloc[0])
            return text.map(_BOOL_TEXT).astype("bool")
        number = pd.to_numeric(text)
        return number.astype("int64" if dtype == "int" else "float64")
    except (ValueError, TypeError) as exc:
        raise SchemaError(f"table '{table}': column '{column}' is not {dtype}: {exc}") from None


def _write_csv(df: pd.DataFrame, path: Path) -> None:
    df.to_csv(path, index=False, encoding="utf-8")


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


class CsvPartsWriter:
    """Write CSV table ``name`` part by part (the header once), with the bytes ``write_table`` gives the whole.

    Each part is checked against the registry. Use as a context manager: the file appears under its
    name only when the block succeeds.
    """

    def __init__(self, name: str, layout: OutputLayout) -> None:
        if TABLES[name].format != "csv":
            raise ValueError(f"table '{name}' is not a CSV table")
        self.name, self.path = name, table_path(name, layout)
        self._atomic = atomic_path(self.path)
        self._handle = None
        self._header = True

    def __enter__(self) -> "CsvPartsWriter":
        tmp = self._atomic.__enter__()
        self._handle = open(tmp, "w", encoding="utf-8", newline="")
        return self

    def write(self, df: pd.DataFrame) -> None:
        validate(df, self.name).to_csv(self._handle, index=False, header=self._header, lineterminator=os.linesep)
        self._header = False

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
