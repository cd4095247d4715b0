"""Run every extractor over a documents table and join the results across documents."""
from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from typing import Iterable, Iterator

import pandas as pd

from ..schemas import empty_frame, validate
from .dates import extract_dates
from .entities import extract_entities
from .figures import extract_figures
from .initiatives import build_initiatives

PER_DOCUMENT_TABLES = ("figures", "dates", "entities")
# Below this many documents a process pool costs more than it saves.
MIN_DOCUMENTS_PER_WORKER = 50


def extract_document(doc_id: str, text: str, published: str = "") -> dict[str, pd.DataFrame]:
    """Figures, dates and entities of one document (initiatives are built across documents)."""
    return {
        "figures": extract_figures(doc_id, text, published),
        "dates": extract_dates(doc_id, text, published),
        "entities": extract_entities(doc_id, text),
    }


def _extract_job(job: tuple[str, str, str]) -> dict[str, pd.DataFrame]:
    return extract_document(*job)


def _results(jobs: list[tuple[str, str, str]], workers: int) -> Iterator[dict[str, pd.DataFrame]]:
    if workers <= 1 or len(jobs) < MIN_DOCUMENTS_PER_WORKER * 2:
        yield from map(_extract_job, jobs)
        return
    chunksize = max(1, len(jobs) // (workers * 8))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(_extract_job, jobs, chunksize=chunksize)


def _concat(frames: Iterable[pd.DataFrame], schema: str) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    if not frames:
        return empty_frame(schema)
    return pd.concat(frames, ignore_index=True)


def extract_corpus(documents: pd.DataFrame, workers: int = 1, progress: bool = False) -> dict[str, pd.DataFrame]:
    """All tables of a corpus: documents, figures, dates, entities and initiatives (figures/dates linked)."""
    validate(documents, "documents", allow_extra=True)
    jobs = list(zip(documents["doc_id"], documents["text"], documents["published"]))
    results: Iterable[dict[str, pd.DataFrame]] = _results(jobs, workers)
    if progress:
        from tqdm.auto import tqdm

        results = tqdm(results, total=len(jobs), unit="doc", desc="extract", disable=len(jobs) < 20)
    collected: dict[str, list[pd.DataFrame]] = {name: [] for name in PER_DOCUMENT_TABLES}
    for result in results:
        for name in PER_DOCUMENT_TABLES:
            collected[name].append(result[name])
    tables = {name: _concat(collected[name], name) for name in PER_DOCUMENT_TABLES}
    initiatives, figures, dates = build_initiatives(tables["entities"], tables["dates"], tables["figures"], documents)
    return {
        "documents": documents,
        "figures": validate(figures, "figures", allow_extra=True),
        "dates": validate(dates, "dates", allow_extra=True),
        "entities": validate(tables["entities"], "entities", allow_extra=True),
        "initiatives": validate(initiatives, "initiatives", allow_extra=True),
    }
