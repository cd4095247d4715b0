"""Extraction of a large corpus straight to files, a batch of documents at a time.

``extract_corpus`` keeps every row of every table until the end (about 48 KB per article: 5 GB for
100,000). Here each batch's figures, dates and entities are linked to their initiatives (which needs
only the batch's own documents) and written at once, as CSV appended part by part and as one Parquet
part per batch; what stays in memory is what the cross-document initiatives table needs: the
initiative mentions, the (document, offset, initiative) of each figure and date, and the
per-document links. The files are the same, byte for byte, as ``store.write_table`` writes from
``extract_corpus``. The documents table itself is the ``read_documents`` step's.
"""
from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

import pandas as pd

from .. import store
from ..paths import OutputLayout
from . import pipeline
from .initiatives import build_initiatives

TABLES = ("figures", "dates", "entities", "initiatives")
PARQUET_FOLDER = "parquet"
# Documents per batch: large enough that Parquet parts and pool start-ups are few, small enough to bound memory.
BATCH_DOCUMENTS = 5000
# Columns of each table that the cross-document half of ``build_initiatives`` reads.
KEPT_COLUMNS = {
    "figures": ["doc_id", "start", "initiative_id"],
    "dates": ["doc_id", "start", "iso", "what"],
    "entities": ["doc_id", "kind", "text", "canonical", "name", "head", "start", "end"],
}


def _mentions_only(entities: pd.DataFrame) -> pd.DataFrame:
    """The initiative mentions, plus the first entity of each document without one.

    ``build_initiatives`` visits documents in the order of their first entity; the placeholder rows keep
    that order (and so the order of names and sources in the initiatives table) while the thousands of
    organisation, person and place rows are dropped.
    """
    is_mention = entities["kind"] == "initiative"
    first_of_document = ~entities["doc_id"].duplicated()
    with_mention = set(entities.loc[is_mention, "doc_id"].tolist())
    placeholder = first_of_document & ~entities["doc_id"].isin(with_mention)
    kept = entities.loc[is_mention | placeholder, KEPT_COLUMNS["entities"]].copy()
    kept.loc[~(kept["kind"] == "initiative"), "kind"] = "placeholder"
    return kept


def extract_streamed(documents: pd.DataFrame, layout: OutputLayout, workers: int = 1, progress: bool = False,
                     cache_dir: str | Path | None = None, engine: str = "default", scheduler: str | None = None,
                     parquet: bool = False, batch_documents: int = BATCH_DOCUMENTS) -> dict[str, int]:
    """Write the figures, dates, entities and initiatives tables of ``documents`` into ``layout``.

    With ``parquet`` also ``<data folder>/parquet/<table>/part-NNNNN.parquet``, one part per batch.
    Returns the number of rows of each table. Every file is written atomically: an error or an
    interruption leaves the previous outputs (or none), never a part of a table.
    """
    counts = dict.fromkeys(TABLES, 0)
    kept: dict[str, list[pd.DataFrame]] = {name: [] for name in KEPT_COLUMNS}
    links: dict = {}
    with ExitStack() as files:
        if engine == "dask":  # connect first: an unreachable cluster must not leave empty files or a bar behind
            from .dask_engine import session

            files.enter_context(session(scheduler, workers))
        csvs = {name: files.enter_context(store.CsvPartsWriter(name, layout)) for name in TABLES}
        parts = ({name: files.enter_context(store.ParquetPartsWriter(layout.data_dir / PARQUET_FOLDER / name))
                  for name in TABLES} if parquet else {})
        bar = pipeline._progress_bar(len(documents), progress)
        try:
            for start in range(0, max(len(documents), 1), batch_documents):
                batch = documents.iloc[start:start + batch_documents]
                tables, batch_links = pipeline.tables_and_links(batch, workers, bar, cache_dir, engine, scheduler,
                                                                compact_cache=False)
                for name in ("figures", "dates", "entities"):
                    csvs[name].write(tables[name])
                    if parquet:
                        parts[name].write(tables[name])
                    counts[name] += len(tables[name])
                kept["figures"].append(tables["figures"][KEPT_COLUMNS["figures"]])
                kept["dates"].append(tables["dates"][KEPT_COLUMNS["dates"]])
                kept["entities"].append(_mentions_only(tables["entities"]))
                links.update(batch_links)
                del tables, batch_links
        finally:
            if bar is not None:
                bar.close()
        joined = {name: pd.concat(frames, ignore_index=True) for name, frames in kept.items()}
        initiatives, _, _ = build_initiatives(joined["entities"], joined["dates"], joined["figures"],
                                              documents[["doc_id"]].assign(text=""), links=links)
        csvs["initiatives"].write(initiatives)
        if parquet:
            parts["initiatives"].write(initiatives)
        counts["initiatives"] = len(initiatives)
    if cache_dir is not None:
        from .cache import ExtractionCache, article_key

        jobs = zip(documents["doc_id"].tolist(), documents["text"].tolist(), documents["published"].tolist())
        ExtractionCache(cache_dir).compact([article_key(*job) for job in jobs])
    return counts
