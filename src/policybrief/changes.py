"""What changed since the last build: ``report/changes.csv`` and the counts the brief states.

Each build keeps the tables of the report on disk (``build/history/last.json``) and of the one before
it (``build/history/previous.json``), every cell as text. A build whose tables differ from the last ones
moves them to ``previous`` and writes ``changes.csv`` (``table,id,change,field,before,after``); a build
that changes nothing leaves both as they were, so ``changes.csv`` always compares the report on disk
with the one before it. Rows are matched by their stable ``id`` (documents by ``doc_id``).
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd

from . import store
from .paths import OutputLayout
from .schemas import column_names, empty_frame

CHANGE_COLUMNS = tuple(column_names("changes"))
TABLES = ("documents", "figures", "dates", "entities", "initiatives")
KEYS = {"documents": "doc_id"}
# Columns left out of the comparison: the document text (its sha256 stands for it) and derived sentences.
IGNORED = {"documents": {"text", "n_chars", "encoding", "format"}, "figures": {"sentence"}, "dates": {"sentence"}}
# The column that names an added or removed row in changes.csv.
LABEL = {"documents": "title", "figures": "quote", "dates": "quote", "entities": "text", "initiatives": "name"}


def empty_changes() -> pd.DataFrame:
    return empty_frame("changes")


def _same(a: str, b: str) -> bool:
    """Two cells as written to CSV agree (numbers compared as numbers: ``1e+11`` equals ``100000000000.0``).

    >>> _same("1e+11", "100000000000.0"), _same("True", "True"), _same("2030", "2031")
    (True, True, False)
    """
    if a == b:
        return True
    try:
        x, y = float(a), float(b)
    except ValueError:
        return False
    return math.isclose(x, y, rel_tol=1e-12) or (math.isnan(x) and math.isnan(y))


def _as_text(df: pd.DataFrame) -> pd.DataFrame:
    """Every cell as the text a CSV file holds (missing values empty)."""
    return df.astype(object).where(df.notna(), "").astype(str)


def _key(table: str, df: pd.DataFrame) -> str | None:
    key = KEYS.get(table, "id")
    return key if key in df.columns else None


def diff_table(table: str, before: pd.DataFrame, after: pd.DataFrame) -> list[dict]:
    """Rows added, removed and changed (one row per changed field) between two versions of ``table``."""
    key = _key(table, after) or _key(table, before)
    if key is None or key not in before.columns or key not in after.columns:
        return []
    old = _as_text(before).drop_duplicates(key).set_index(key, drop=False)
    new = _as_text(after).drop_duplicates(key).set_index(key, drop=False)
    label = LABEL[table]
    rows = []
    for row_id in new.index.difference(old.index, sort=False):
        rows.append({"table": table, "id": row_id, "change": "added", "field": label, "before": "",
                     "after": new.at[row_id, label] if label in new.columns else ""})
    for row_id in old.index.difference(new.index, sort=False):
        rows.append({"table": table, "id": row_id, "change": "removed", "field": label,
                     "before": old.at[row_id, label] if label in old.columns else "", "after": ""})
    columns = [c for c in new.columns if c != key and c not in IGNORED.get(table, set())]
    for row_id in new.index.intersection(old.index, sort=False):
        for column in columns:
            was = old.at[row_id, column] if column in old.columns else ""
            now = new.at[row_id, column]
            if not _same(was, now):
                rows.append({"table": table, "id": row_id, "change": "changed", "field": column,
                             "before": was, "after": now})
    return rows


def diff_tables(before: dict[str, pd.DataFrame], after: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """``changes.csv`` between two builds' tables (tables missing on one side are skipped)."""
    rows = []
    for table in TABLES:
        if table in before and table in after:
            rows += diff_table(table, before[table], after[table])
    return pd.DataFrame(rows, columns=list(CHANGE_COLUMNS))


def _history(layout: OutputLayout, which: str) -> Path:
    return layout.build_dir / "history" / f"{which}.json"


def read_snapshot(path: Path) -> dict[str, pd.DataFrame] | None:
    """The tables kept in a snapshot file, every cell as text (None when there is none)."""
    if not path.is_file():
        return None
    kept = json.loads(store.read_text(path))
    return {name: pd.DataFrame(table["rows"], columns=table["columns"], dtype=object) for name, table in kept.items()}


def _snapshot(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The compared part of each table, every cell as the text a CSV file holds."""
    return {t: _as_text(tables[t].drop(columns=list(IGNORED.get(t, ())), errors="ignore")) for t in TABLES if t in tables}


def _write_snapshot(tables: dict[str, pd.DataFrame], path: Path) -> None:
    store.write_json({name: {"columns": list(df.columns), "rows": df.values.tolist()} for name, df in tables.items()},
                     path)


def record_changes(tables: dict[str, pd.DataFrame], out_dir: str | Path) -> pd.DataFrame | None:
    """Compare this build's tables with the last build's and keep both; the changes, or None on a first build.

    Writes ``report/changes.csv`` only when something changed (a first build writes it empty).
    """
    layout = OutputLayout(out_dir)
    last = read_snapshot(_history(layout, "last"))
    current = _snapshot(tables)
    if last is None:
        _write_snapshot(current, _history(layout, "last"))
        store.write_table("changes", empty_changes(), layout)
        return None
    changes = diff_tables(last, current)
    if changes.empty:
        return read_changes(out_dir)
    _write_snapshot(last, _history(layout, "previous"))
    _write_snapshot(current, _history(layout, "last"))
    store.write_table("changes", changes, layout)
    return changes


def read_changes(out_dir: str | Path) -> pd.DataFrame | None:
    """The changes on disk, or None when the report on disk is the first one (no previous build kept)."""
    layout = OutputLayout(out_dir)
    if read_snapshot(_history(layout, "previous")) is None:
        return None
    return store.read_table("changes", layout) if store.has_table("changes", layout) else empty_changes()


def changes_table(out_dir: str | Path) -> pd.DataFrame:
    """``read_changes``, empty on a first build (for display)."""
    found = read_changes(out_dir)
    return empty_changes() if found is None else found


def summary(changes: pd.DataFrame | None) -> dict[str, int] | None:
    """Counts the brief states: new and removed articles, new, changed and removed figures, new
    initiatives and reviewer actions (marks given or rows rejected). None on a first build."""
    if changes is None:
        return None

    def count(table: str, change: str) -> int:
        return int(changes.loc[(changes["table"] == table) & (changes["change"] == change), "id"].nunique())

    reviewed = changes[(changes["change"] == "changed") & changes["field"].isin(["review", "review_note"])]
    return {
        "new_articles": count("documents", "added"), "removed_articles": count("documents", "removed"),
        "changed_articles": count("documents", "changed"),
        "new_figures": count("figures", "added"), "changed_figures": count("figures", "changed"),
        "removed_figures": count("figures", "removed"), "new_initiatives": count("initiatives", "added"),
        "reviewer_actions": int(reviewed["id"].nunique()),
    }
