"""The corpus pipeline gives the same tables whatever the number of workers, as the per-document extractors."""
from __future__ import annotations

import random

import pandas as pd
import pytest

from policybrief.extract import pipeline
from policybrief.extract.dates import date_records, dates_frame, extract_dates
from policybrief.extract.figures import extract_figures, figure_records, figures_frame
from policybrief.extract.initiatives import build_initiatives
from policybrief.schemas import column_names
from policybrief.segment import sentence_spans
from policybrief.textnorm import normalize

# Sentences written for these tests; documents are shuffled sets of them.
SENTENCES = [
    "أعلنت وزارة الانتقال الرقمي عن برنامج “Souss Data 2028” لتكوين 1200 شاب في علوم البيانات.",
    "وخصصت الحكومة غلافا ماليا قدره 3,5 مليار درهم للبرنامج في أفق سنة 2028.",
    "ووقعت وكالة التنمية الرقمية اتفاقية شراكة مع جامعة ابن زهر بأكادير في 14 مارس 2025.",
    "وسيتم إحداث مركز تميز في الحوسبة السحابية بمدينة العيون. وسيوفر المركز 300 منصب شغل.",
    "وأكد السيد كريم العلوي، مدير المشروع، أن نسبة التغطية بلغت 87 في المائة خلال 2024.",
    "ويحتل المغرب المرتبة الخامسة إفريقيا في مؤشر جاهزية الحكومات للذكاء الاصطناعي.",
    "وتراوحت الاستثمارات بين 40 و60 مليون دولار حسب تقرير صدر في يناير 2026.",
    "ولا يتضمن هذا السطر أي رقم أو تاريخ.",
]


def _documents(n: int, seed: int = 3) -> pd.DataFrame:
    rng = random.Random(seed)
    texts = ["\n".join(rng.sample(SENTENCES, rng.randint(1, len(SENTENCES)))) + "\n" for _ in range(n)]
    published = ["2025-06-30" if i % 3 == 0 else "" for i in range(n)]
    frame = {c: [""] * n for c in column_names("documents")}
    frame.update(doc_id=[f"doc_{i:04d}" for i in range(n)], text=texts, published=published,
                 n_chars=[len(t) for t in texts])
    return pd.DataFrame(frame)


@pytest.fixture(scope="module")
def corpus() -> pd.DataFrame:
    # More than 2 * MIN_DOCUMENTS_PER_WORKER documents, so that workers=2 really uses a process pool.
    return _documents(pipeline.MIN_DOCUMENTS_PER_WORKER * 2 + 30)


@pytest.fixture(scope="module")
def serial(corpus):
    return pipeline.extract_corpus(corpus, workers=1)


def test_the_corpus_has_figures_dates_and_initiatives(serial):
    assert len(serial["figures"]) > 100 and len(serial["dates"]) > 100
    assert (serial["figures"]["initiative_id"] != "").any()


@pytest.mark.parametrize("workers", [pytest.param(2, id="two-workers"), pytest.param(3, id="three-workers")])
def test_workers_give_identical_tables(corpus, serial, workers):
    parallel = pipeline.extract_corpus(corpus, workers=workers)
    for name in serial:
        pd.testing.assert_frame_equal(parallel[name], serial[name], check_exact=True)


def test_corpus_tables_equal_the_per_document_extractors(corpus, serial):
    figures = pd.concat([extract_figures(d, t, p) for d, t, p in zip(corpus.doc_id, corpus.text, corpus.published)],
                        ignore_index=True)
    dates = pd.concat([extract_dates(d, t, p) for d, t, p in zip(corpus.doc_id, corpus.text, corpus.published)],
                      ignore_index=True)
    for name, expected in (("figures", figures), ("dates", dates)):
        got = serial[name].drop(columns="initiative_id")
        pd.testing.assert_frame_equal(got, expected.drop(columns="initiative_id"), check_exact=True, check_dtype=False)


@pytest.mark.parametrize("index", [pytest.param(i, id=f"document-{i}") for i in (0, 1, 5, 17, 40, 77)])
def test_shared_normalisation_gives_the_same_rows(corpus, index):
    doc_id, text, published = corpus.doc_id[index], corpus.text[index], corpus.published[index]
    assert figure_records(doc_id, text, published, normalize(text), sentence_spans(text)) == \
        figure_records(doc_id, text, published)
    assert date_records(doc_id, text, published, normalize(text), sentence_spans(text)) == \
        date_records(doc_id, text, published)
    pd.testing.assert_frame_equal(figures_frame(figure_records(doc_id, text, published)),
                                  extract_figures(doc_id, text, published))
    pd.testing.assert_frame_equal(dates_frame(date_records(doc_id, text, published)),
                                  extract_dates(doc_id, text, published))


def test_worker_links_equal_links_built_in_one_process(corpus, serial):
    tables = {name: serial[name] for name in ("entities", "dates")}
    figures = serial["figures"].assign(initiative_id="")
    dates = tables["dates"].assign(initiative_id="")
    initiatives, linked_figures, linked_dates = build_initiatives(tables["entities"], dates, figures, corpus)
    pd.testing.assert_frame_equal(initiatives, serial["initiatives"], check_exact=True)
    assert linked_figures["initiative_id"].tolist() == serial["figures"]["initiative_id"].tolist()
    assert linked_dates["initiative_id"].tolist() == serial["dates"]["initiative_id"].tolist()


def test_progress_bar_counts_every_document(corpus, capsys):
    pipeline.extract_corpus(corpus, workers=2, progress=True)
    err = capsys.readouterr().err
    assert "extract" in err and f"{len(corpus)}/{len(corpus)}" in err


def test_empty_corpus_gives_empty_tables():
    tables = pipeline.extract_corpus(_documents(0), workers=2)
    for name in ("figures", "dates", "entities", "initiatives"):
        assert list(tables[name].columns)[: len(column_names(name))] == column_names(name)
        assert tables[name].empty


def test_without_fork_the_documents_are_sent_to_the_workers(corpus, serial, monkeypatch):
    import multiprocessing

    monkeypatch.setattr(pipeline, "_pool_context", lambda: multiprocessing.get_context("spawn"))
    parallel = pipeline.extract_corpus(corpus, workers=2)
    for name in serial:
        pd.testing.assert_frame_equal(parallel[name], serial[name], check_exact=True)


@pytest.mark.parametrize("seed", range(5))
def test_any_unicode_text_is_extracted_without_error_and_quotes_are_slices(seed):
    rng = random.Random(seed)
    pieces = [rng.choice(SENTENCES)[: rng.randint(0, 80)] for _ in range(40)]
    # Any character of the Basic Multilingual Plane but surrogates; Arabic blocks twice as often.
    codes = [c for c in range(0x20, 0x10000) if not 0xD800 <= c < 0xE000] + [*range(0x600, 0x700), *range(0xFB50, 0xFF00)]
    noise = ["".join(chr(rng.choice(codes)) for _ in range(rng.randint(1, 30))) for _ in range(40)]
    text = "".join(p + n for p, n in zip(pieces, noise))
    figures, dates, entities, _links = pipeline.document_records("noise", text, "2025-01-01")
    for row in figures:
        assert row[4] == text[row[5]:row[6]]
    for row in dates:
        assert row[3] == text[row[4]:row[5]]
    for row in entities:
        assert row["text"] == text[row["start"]:row["end"]]
