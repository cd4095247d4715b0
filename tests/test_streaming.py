"""Streamed extraction writes the files ``extract_corpus`` + ``store.write_table`` write, a batch of documents at a time."""
from __future__ import annotations

import random

import pandas as pd
import pytest

from policybrief import store
from policybrief.extract import pipeline, streaming
from policybrief.paths import OutputLayout
from policybrief.schemas import column_names

# Sentences written for these tests. Some name an initiative, some only a figure or a date, some nothing,
# so that documents with and without initiative mentions interleave.
SENTENCES = [
    "أطلقت وزارة التجهيز برنامج “طرق الجبل 2029” لفك العزلة عن 300 دوار.",
    "وخصص للبرنامج غلاف مالي يناهز 9 مليارات درهم.",
    "وانطلقت الأشغال في 5 يونيو 2024 بإقليم أزيلال.",
    "وقال المهندس سعيد الفاسي إن المشروع سيوفر 1500 منصب شغل.",
    "وارتفع عدد المسافرين بنسبة 7 في المائة.",
    "وأعلنت الوكالة الوطنية للموانئ عن برنامج “موانئ الجنوب 2035” بكلفة 12 مليار درهم.",
    "ولم يصدر أي تعليق رسمي.",
]
TABLES = ("figures", "dates", "entities", "initiatives")


def _documents(n: int, seed: int = 21) -> pd.DataFrame:
    rng = random.Random(seed)
    texts = ["\n".join(rng.sample(SENTENCES, rng.randint(1, 3))) + "\n" for _ in range(n)]
    frame = {c: [""] * n for c in column_names("documents")}
    frame.update(doc_id=[f"n{i:03d}" for i in range(n)], text=texts,
                 published=["2024-06-06" if i % 4 == 0 else "" for i in range(n)], n_chars=[len(t) for t in texts])
    return pd.DataFrame(frame)


@pytest.fixture(scope="module")
def corpus() -> pd.DataFrame:
    return _documents(60)


@pytest.fixture(scope="module")
def whole(corpus, tmp_path_factory):
    """The files written from ``extract_corpus`` in one piece."""
    out = tmp_path_factory.mktemp("whole")
    tables = pipeline.extract_corpus(corpus)
    store.write_tables({name: tables[name] for name in TABLES}, OutputLayout.flat(out))
    return out


def test_the_corpus_mixes_documents_with_and_without_initiatives(corpus):
    tables = pipeline.extract_corpus(corpus)
    mentioned = set(tables["entities"].loc[tables["entities"]["kind"] == "initiative", "doc_id"])
    with_figures = set(tables["figures"]["doc_id"])
    assert len(tables["initiatives"]) >= 2 and with_figures - mentioned and mentioned


@pytest.mark.parametrize("batch", [1, 7, 25, 1000], ids=lambda b: f"batches-of-{b}")
def test_streamed_files_are_the_whole_corpus_files(corpus, whole, tmp_path, monkeypatch, batch):
    sizes = []
    original = pipeline.tables_and_links
    monkeypatch.setattr(pipeline, "tables_and_links", lambda docs, *a, **k: sizes.append(len(docs)) or original(docs, *a, **k))
    counts = streaming.extract_streamed(corpus, OutputLayout.flat(tmp_path), batch_documents=batch, parquet=True)
    assert max(sizes) == min(batch, len(corpus)) and sum(sizes) == len(corpus)  # never more than a batch at once
    for name in TABLES:
        assert (tmp_path / f"{name}.csv").read_bytes() == (whole / f"{name}.csv").read_bytes(), name
    figures = pd.concat([pd.read_parquet(p) for p in sorted((tmp_path / "parquet" / "figures").glob("*.parquet"))])
    assert len(figures) == counts["figures"] and figures["quote"].tolist() == \
        pd.read_csv(whole / "figures.csv", dtype=str, keep_default_na=False)["quote"].tolist()


def test_streamed_with_a_cache_twice(corpus, whole, tmp_path):
    for run in ("cold", "warm"):
        out = tmp_path / run
        streaming.extract_streamed(corpus, OutputLayout.flat(out), batch_documents=16, cache_dir=tmp_path / "cache")
        for name in TABLES:
            assert (out / f"{name}.csv").read_bytes() == (whole / f"{name}.csv").read_bytes(), (run, name)


def test_a_failure_midway_leaves_the_previous_files(corpus, whole, tmp_path, monkeypatch):
    streaming.extract_streamed(corpus, OutputLayout.flat(tmp_path), batch_documents=20)
    calls = []
    original = pipeline.tables_and_links

    def failing(docs, *args, **kwargs):
        calls.append(len(docs))
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return original(docs, *args, **kwargs)

    monkeypatch.setattr(pipeline, "tables_and_links", failing)
    with pytest.raises(RuntimeError):
        streaming.extract_streamed(corpus.iloc[:50], OutputLayout.flat(tmp_path), batch_documents=20)
    for name in TABLES:
        assert (tmp_path / f"{name}.csv").read_bytes() == (whole / f"{name}.csv").read_bytes(), name
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_kept_mentions_visit_documents_in_the_order_of_the_full_entity_table(corpus):
    entities = pipeline.extract_corpus(corpus)["entities"]
    kept = streaming._mentions_only(entities)
    assert list(dict.fromkeys(kept["doc_id"])) == list(dict.fromkeys(entities["doc_id"]))
    assert set(kept["kind"]) == {"initiative", "placeholder"}
    assert (kept["kind"] == "initiative").sum() == (entities["kind"] == "initiative").sum()
