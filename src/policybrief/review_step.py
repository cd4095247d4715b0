"""The review step of a build, between extraction and the tables (notebook 03 calls it).

It applies ``SEEDS_DIR/review.csv``, finds syndicated stories, disagreements and the status of every
initiative in the reviewed data, records what changed since the last build, and writes the review's
summary (``build/data/review.json``), the review page and ``report/changes.csv``. The tables it adds are returned for the caller to write beside
the others (``table_ledger``, ``table_promises``, ``table_stories``, ``review_log``).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import changes as changes_module
from . import contradictions, status, store
from .paths import OutputLayout
from .review import REVIEW_FILE, ReviewResult, apply_review, review_tables
from .review_page import review_page

REVIEW_SUMMARY = "review.json"
REVIEW_PAGE = "review.html"


@dataclass
class ReviewStep:
    """The reviewed tables, the analyst tables built on them, the changes since the build before."""

    review: ReviewResult
    analyst_tables: dict[str, pd.DataFrame]
    changes: pd.DataFrame
    first_build: bool

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        return self.review.tables

    @property
    def problems(self) -> list[str]:
        return self.review.problems

    def with_analyst_tables(self, built: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
        """The analyst tables of ``tables.build_tables`` plus the ledger, promises and stories: the sources of
        each initiative counted once per syndicated story, a figure repeated by a copy of a story left out of the
        key figures, every figure in the ledger flagged as a conflict."""
        out = {**built, **self.analyst_tables}
        ledger_ids = set(self.analyst_tables["table_ledger"]["id"])
        key = out.get("table_key_figures")
        if key is not None and "id" in key.columns and "conflict" in key.columns:
            repeated = contradictions.repeated_in_copies(self.tables["figures"], self.analyst_tables["table_stories"])
            key = key[~key["id"].isin(repeated)]  # a syndicated story's figure counts once
            out["table_key_figures"] = key.assign(conflict=key["conflict"] | key["id"].isin(ledger_ids)).reset_index(drop=True)
        if "table_initiatives" in out:
            out["table_initiatives"] = contradictions.count_stories_once(out["table_initiatives"],
                                                                         self.analyst_tables["table_stories"])
        return out


def analyst_tables(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """``table_stories``, ``table_ledger`` and ``table_promises`` of (reviewed) extraction tables with documents."""
    documents = tables["documents"]
    stories = contradictions.story_groups(documents)
    return {
        "table_stories": stories,
        "table_ledger": contradictions.disagreements(tables["figures"], documents, tables["initiatives"], stories),
        "table_promises": status.promises(tables["initiatives"], tables["figures"], tables["dates"],
                                          tables["entities"], documents),
    }


def key_figure_ids(tables: dict[str, pd.DataFrame], ledger: pd.DataFrame) -> set[str]:
    """Ids of the figures the brief's key-figures box will show (figures in the ledger stay out of it)."""
    from .findings import pick_key_figures, rank_figures
    from .tables import key_figures_table

    key = key_figures_table(tables["figures"], tables["initiatives"])
    if key.empty or "id" not in key.columns:
        return set()
    key = key.assign(conflict=key["conflict"] | key["id"].isin(set(ledger["id"])))
    return set(pick_key_figures(rank_figures(key, tables["documents"]))["id"])


def run_review_step(extracted: dict[str, pd.DataFrame], seeds_dir: str | Path | None, out_dir: str | Path,
                    strict: bool = False) -> ReviewStep:
    """Apply the review file (none without ``seeds_dir``), build the review's tables (``review_log`` among
    them, for the caller to write with the others), record the changes, write the summary and review page."""
    layout = OutputLayout(out_dir)
    result = review_tables(extracted, seeds_dir, strict=strict) if seeds_dir else apply_review(extracted, [])
    added = {**analyst_tables(result.tables), "review_log": result.log}
    review_file = str(Path(seeds_dir) / REVIEW_FILE) if seeds_dir else REVIEW_FILE
    store.write_json({"file": review_file, "counts": result.counts(), "problems": result.problems},
                     layout.data_dir / REVIEW_SUMMARY)
    recorded = changes_module.record_changes(result.tables, out_dir)
    page = review_page(result.tables["figures"], result.tables["initiatives"], result.tables["documents"],
                       added["table_ledger"], added["table_promises"], result.counts(), result.problems,
                       review_file, key_ids=key_figure_ids(result.tables, added["table_ledger"]))
    store.write_text(page, layout.report_dir / REVIEW_PAGE)
    first = recorded is None
    return ReviewStep(result, added, changes_module.empty_changes() if first else recorded, first)


def review_summary(out_dir: str | Path) -> dict:
    """The review counts and problems of the build under ``out_dir`` (empty when it had no review step)."""
    path = OutputLayout(out_dir).data_dir / REVIEW_SUMMARY
    if not path.is_file():
        return {}
    import json

    return json.loads(store.read_text(path))
