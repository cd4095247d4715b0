"""Stable row ids: the same row of an unchanged article gets the same id on every build.

An id is a kind prefix and 10 hex digits of the sha1 of the row's document, kind and offsets
(``fig-3c0f9a21b4``), so that a reviewer can name a row in ``review.csv`` and find it again next
week. Initiatives keep their ``initiative_id`` (already derived from the canonical name). Ids
depend on nothing a reviewer can change (value, unit...), so a ``fix`` never changes an id.
"""
from __future__ import annotations

import hashlib

import pandas as pd

ID_COLUMN = "id"
PREFIX = {"figures": "fig", "dates": "date", "entities": "ent"}
# Besides doc_id, start and end: what tells two rows of one span apart (the two ends of a range...).
DISTINGUISH = {"figures": ("bound",), "dates": ("iso",), "entities": ("kind",)}


def row_id(table: str, doc_id: str, start: int, end: int, *extra: object) -> str:
    """The id of one row of ``table`` from its document, offsets and distinguishing fields.

    >>> row_id("figures", "article_1", 10, 24, "")
    'fig-dba6cc91d9'
    """
    key = "|".join([table, str(doc_id), str(int(start)), str(int(end)), *(str(e) for e in extra)])
    return f"{PREFIX[table]}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:10]}"


def _unique(ids: list[str]) -> list[str]:
    """``ids`` with a repeated id numbered ``-2``, ``-3``… in row order (rows already sorted by offset).

    >>> _unique(["a", "b", "a"])
    ['a', 'b', 'a-2']
    """
    seen: dict[str, int] = {}
    out = []
    for value in ids:
        seen[value] = seen.get(value, 0) + 1
        out.append(value if seen[value] == 1 else f"{value}-{seen[value]}")
    return out


def table_ids(df: pd.DataFrame, table: str) -> list[str]:
    """The ids of every row of an extracted ``table`` (figures, dates, entities or initiatives)."""
    if table == "initiatives":
        return df["initiative_id"].astype(str).tolist()
    extra_columns = [c for c in DISTINGUISH[table] if c in df.columns]
    columns = [df[c].tolist() for c in ("doc_id", "start", "end", *extra_columns)]
    return _unique([row_id(table, *values) for values in zip(*columns)])


def with_ids(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """``df`` with its ``id`` column (the last one, so the schema's columns keep their order)."""
    out = df.drop(columns=[ID_COLUMN], errors="ignore")
    return out.assign(**{ID_COLUMN: pd.Series(table_ids(out, table), index=out.index, dtype=object)})
