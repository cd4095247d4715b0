"""The stages of a build, each declaring the registry tables it reads and writes (owid/etl style).

The CLI (``policybrief extract``, ``policybrief build``) and the notebooks call these same functions; each
loads its inputs with ``store.read_table``, runs the package's pure functions and saves its outputs with
``store.write_table``. ``docs/layout.md`` draws the same stages.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import store
from .paths import OutputLayout
from .schemas import ANALYST


@dataclass(frozen=True)
class Step:
    name: str
    notebook: str
    reads: tuple[str, ...]  # registry tables (plus ``inputs``, the article folder, for the first step)
    writes: tuple[str, ...]
    does: str


EXTRACTED_TABLES = ("figures", "dates", "entities", "initiatives")
STEPS = (
    Step("read_documents", "01_read_documents", (), ("documents",),
         "read the article folder: decode, dateline, sources.csv"),
    Step("extract", "02_extract", ("documents",), EXTRACTED_TABLES,
         "figures, dates and entities per document; initiatives across documents, which also fill "
         "initiative_id of figures and dates"),
    Step("tables", "03_tables", ("documents", *EXTRACTED_TABLES), ANALYST,
         "the analyst tables: initiatives, actors, key figures, timeline, conflicts"),
    Step("charts", "04_charts", ("documents", *ANALYST), ("chart_index",),
         "one chart per function, PNG and SVG, labels checked by OCR"),
    Step("brief", "05_brief", ("documents", *EXTRACTED_TABLES, *ANALYST, "chart_index"), (),
         "the brief (HTML, then PDF), every figure with its numbered source note"),
)
STEP_BY_NAME = {step.name: step for step in STEPS}


def read_tables(step: str, layout: OutputLayout) -> dict[str, pd.DataFrame]:
    """The tables ``step`` declares it reads, from ``layout``."""
    return {name: store.read_table(name, layout) for name in STEP_BY_NAME[step].reads}


def write_tables(step: str, tables: dict[str, pd.DataFrame], layout: OutputLayout) -> list[Path]:
    """Write exactly the tables ``step`` declares (a missing or undeclared one is an error)."""
    declared = STEP_BY_NAME[step].writes
    if set(tables) != set(declared):
        raise ValueError(f"step '{step}' writes {list(declared)}, got {sorted(tables)}")
    return store.write_tables({name: tables[name] for name in declared}, layout)


def read_documents(seeds_dir: str | Path, layout: OutputLayout, strict: bool = False, workers: int = 1):
    """Step ``read_documents``: the corpus of ``seeds_dir`` (documents and problems), documents saved."""
    from .corpus import load_corpus

    corpus = load_corpus(seeds_dir, strict=strict, workers=workers)
    if not corpus.documents.empty:
        write_tables("read_documents", {"documents": corpus.documents}, layout)
    return corpus


def extract(layout: OutputLayout, workers: int = 1, progress: bool = False,
            seeds_dir: str | Path | None = None, cache_dir: str | Path | None = None) -> dict[str, pd.DataFrame]:
    """Step ``extract``: figures, dates, entities and initiatives of the saved documents, saved.

    With ``seeds_dir``, a layout without a documents table runs ``read_documents`` first, so that
    notebook 02 also works on its own. With ``cache_dir`` (``layout.cache_dir`` in a build), only
    articles not extracted before by this version of the code are extracted (``extract/cache.py``).
    """
    from .extract.pipeline import extract_corpus

    if seeds_dir is not None and not store.has_table("documents", layout):
        read_documents(seeds_dir, layout)
    documents = read_tables("extract", layout)["documents"]
    tables = extract_corpus(documents, workers=workers, progress=progress, cache_dir=cache_dir)
    write_tables("extract", {name: tables[name] for name in EXTRACTED_TABLES}, layout)
    return tables


def tables(layout: OutputLayout) -> dict[str, pd.DataFrame]:
    """Step ``tables``: the analyst tables from the saved extraction tables, saved."""
    from .tables import build_tables

    built = build_tables(read_tables("tables", layout))
    write_tables("tables", built, layout)
    return built
