"""The extraction cache: same tables as a fresh run, only new or changed articles extracted, corruption never trusted."""
from __future__ import annotations

import random
import subprocess
import sys
from fnmatch import fnmatch
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from policybrief.extract import cache, pipeline
from policybrief.schemas import column_names

# Sentences written for these tests; each article is a seeded draw of them.
SENTENCES = [
    "أطلقت وزارة الفلاحة برنامج “مياه الواحات 2030” لتحلية 50 مليون متر مكعب من المياه سنويا.",
    "وتبلغ كلفة البرنامج 2,4 مليار درهم تمولها الدولة والجهات في أفق سنة 2030.",
    "ووقع المكتب الوطني للماء اتفاقية مع جامعة القاضي عياض بمراكش في 3 فبراير 2025.",
    "وقال السيد يوسف الإدريسي، مدير الوكالة، إن نسبة الإنجاز بلغت 42 في المائة سنة 2024.",
    "وسيمكن المشروع من خلق 800 منصب شغل مباشر بجهة درعة تافيلالت.",
    "وارتفعت صادرات التمور بنسبة 12 في المائة خلال الأشهر الستة الأولى.",
    "ولم تذكر الوزارة موعد انطلاق الشطر الثاني.",
]


def _documents(n: int, seed: int = 11) -> pd.DataFrame:
    rng = random.Random(seed)
    texts = ["\n".join(rng.sample(SENTENCES, rng.randint(1, len(SENTENCES)))) + "\n" for _ in range(n)]
    frame = {c: [""] * n for c in column_names("documents")}
    frame.update(doc_id=[f"art_{i:03d}" for i in range(n)], text=texts,
                 published=["2025-05-02" if i % 2 else "" for i in range(n)], n_chars=[len(t) for t in texts])
    return pd.DataFrame(frame)


def _assert_same_tables(actual: dict, expected: dict) -> None:
    assert set(actual) == set(expected)
    for name in expected:
        pd.testing.assert_frame_equal(actual[name].reset_index(drop=True), expected[name].reset_index(drop=True),
                                      check_exact=True, obj=name)


class ExtractionCounter:
    """Counts the documents that really go through the extractors."""

    def __init__(self, monkeypatch):
        self.doc_ids: list[str] = []
        original = pipeline._records_and_spans

        def counting(jobs):
            self.doc_ids += [job[0] for job in jobs]
            return original(jobs)

        monkeypatch.setattr(pipeline, "_records_and_spans", counting)


@pytest.fixture(scope="module")
def corpus() -> pd.DataFrame:
    return _documents(40)


@pytest.fixture(scope="module")
def fresh(corpus) -> dict:
    return pipeline.extract_corpus(corpus)


def test_the_fixture_corpus_has_rows_in_every_table(fresh):
    assert all(len(fresh[name]) for name in ("figures", "dates", "entities", "initiatives"))


@pytest.mark.parametrize("workers", [pytest.param(1, id="one-process"), pytest.param(2, id="two-workers")])
def test_cold_then_warm_cache_give_the_fresh_tables(corpus, fresh, tmp_path, monkeypatch, workers):
    monkeypatch.setattr(pipeline, "MIN_DOCUMENTS_PER_WORKER", 5)  # a real pool for 40 documents
    _assert_same_tables(pipeline.extract_corpus(corpus, workers=workers, cache_dir=tmp_path), fresh)
    counter = ExtractionCounter(monkeypatch)
    _assert_same_tables(pipeline.extract_corpus(corpus, workers=workers, cache_dir=tmp_path), fresh)
    assert counter.doc_ids == []


def _changed(corpus: pd.DataFrame, change: str) -> pd.DataFrame:
    changed = corpus.copy()
    if change == "edited-text":
        changed.loc[7, "text"] = SENTENCES[4] + "\n" + SENTENCES[1] + "\n"
    elif change == "new-publication-date":
        changed.loc[8, "published"] = "2019-01-01"
    elif change == "added-article":
        extra = _documents(1, seed=99).assign(doc_id="art_new")
        changed = pd.concat([changed, extra], ignore_index=True)
    elif change == "removed-article":
        changed = changed.drop(index=9).reset_index(drop=True)
    return changed


@pytest.mark.parametrize("change, extracted", [
    pytest.param("edited-text", ["art_007"], id="edited-text"),
    pytest.param("new-publication-date", ["art_008"], id="new-publication-date"),
    pytest.param("added-article", ["art_new"], id="added-article"),
    pytest.param("removed-article", [], id="removed-article"),
])
def test_only_new_or_changed_articles_are_extracted_again(corpus, tmp_path, monkeypatch, change, extracted):
    pipeline.extract_corpus(corpus, cache_dir=tmp_path)
    changed = _changed(corpus, change)
    counter = ExtractionCounter(monkeypatch)
    incremental = pipeline.extract_corpus(changed, cache_dir=tmp_path)
    assert counter.doc_ids == extracted
    monkeypatch.undo()
    _assert_same_tables(incremental, pipeline.extract_corpus(changed))


def test_removed_articles_drop_out_of_the_cache_files(corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "MAX_SHARDS", 1)
    pipeline.extract_corpus(corpus, cache_dir=tmp_path)
    pipeline.extract_corpus(_changed(corpus, "added-article"), cache_dir=tmp_path)  # second shard: compacted
    smaller = corpus.iloc[:10]
    pipeline.extract_corpus(smaller, cache_dir=tmp_path)  # 31 stale entries for 10 live ones: compacted
    shards = sorted(tmp_path.glob(f"*/{cache.SHARD_GLOB}"))
    assert len(shards) == 1
    assert sorted(pq.read_table(shards[0]).column("doc_id").to_pylist()) == smaller["doc_id"].tolist()


def _shard(folder: Path) -> Path:
    (shard,) = folder.glob(f"*/{cache.SHARD_GLOB}")
    return shard


def _truncate(shard: Path) -> None:
    shard.write_bytes(shard.read_bytes()[: len(shard.read_bytes()) // 2])


def _tamper_payload(shard: Path) -> None:
    """A payload changed after it was written (its checksum no longer matches), file still valid Parquet."""
    table = pq.read_table(shard).to_pydict()
    payload = bytearray(table["payload"][0])
    payload[-2] ^= 0xFF
    table["payload"][0] = bytes(payload)
    pq.write_table(pa.table(table), shard)


@pytest.mark.parametrize("damage", [
    pytest.param(_truncate, id="truncated-file"),
    pytest.param(lambda shard: shard.write_bytes(b"not parquet at all"), id="garbage-file"),
    pytest.param(_tamper_payload, id="payload-checksum-mismatch"),
])
def test_a_corrupted_cache_file_is_ignored_with_a_warning(corpus, fresh, tmp_path, monkeypatch, capsys, damage):
    pipeline.extract_corpus(corpus, cache_dir=tmp_path)
    shard = _shard(tmp_path)
    damage(shard)
    counter = ExtractionCounter(monkeypatch)
    _assert_same_tables(pipeline.extract_corpus(corpus, cache_dir=tmp_path), fresh)
    assert sorted(counter.doc_ids) == corpus["doc_id"].tolist()  # nothing was taken from the damaged file
    assert f"ignoring a corrupted extraction cache file {shard.name}" in capsys.readouterr().err
    assert not shard.exists()


def test_an_interrupted_run_keeps_what_it_extracted(corpus, fresh, tmp_path, monkeypatch):
    original = pipeline._chunks

    def interrupted(jobs, workers):
        chunks = original(jobs, workers)
        yield next(chunks)
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "CHUNK_SIZE", 16)
    monkeypatch.setattr(pipeline, "_chunks", interrupted)
    with pytest.raises(KeyboardInterrupt):
        pipeline.extract_corpus(corpus, cache_dir=tmp_path)
    monkeypatch.setattr(pipeline, "_chunks", original)
    counter = ExtractionCounter(monkeypatch)
    _assert_same_tables(pipeline.extract_corpus(corpus, cache_dir=tmp_path), fresh)
    assert counter.doc_ids == corpus["doc_id"].tolist()[16:]
    assert not list(tmp_path.glob("*/.*.tmp"))  # no half-written file left behind


def test_a_changed_rule_file_starts_a_new_cache(tmp_path, monkeypatch):
    data = tmp_path / "data"
    data.mkdir()
    (data / "units.yml").write_text("units: [درهم]\n", encoding="utf-8")
    monkeypatch.setattr(cache, "DATA_DIR", data)
    before = cache.code_fingerprint()
    assert cache.code_fingerprint() == before
    (data / "units.yml").write_text("units: [درهم, دينار]\n", encoding="utf-8")
    assert cache.code_fingerprint() != before


def test_a_new_fingerprint_removes_the_old_cache(corpus, tmp_path, monkeypatch):
    pipeline.extract_corpus(corpus.iloc[:3], cache_dir=tmp_path)
    (old,) = [p.name for p in tmp_path.iterdir()]
    monkeypatch.setattr(cache, "code_fingerprint", lambda: "0" * len(old))
    pipeline.extract_corpus(corpus.iloc[:3], cache_dir=tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["0" * len(old)]


def test_the_fingerprint_covers_every_module_extraction_imports():
    code = ("import sys; from policybrief.extract import pipeline; "
            "pipeline.extract_document('d', 'بلغت الاستثمارات 3 ملايير درهم سنة 2024.'); "
            "print('\\n'.join(m.__file__ for n, m in sys.modules.items() if n.startswith('policybrief.')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    package = Path(cache.PACKAGE_DIR)
    modules = [Path(line).relative_to(package).as_posix() for line in done.stdout.split()]
    assert "extract/figures.py" in modules
    uncovered = [m for m in modules if m != "__init__.py" and not any(fnmatch(m, p.replace("**/", "")) or fnmatch(m, p)
                                                                     for p in cache.EXTRACTION_CODE)]
    assert uncovered == []
