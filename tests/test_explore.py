"""Exploration helpers on small hand-made extraction tables."""
from __future__ import annotations

import pandas as pd
import pytest

from policybrief import explore
from policybrief.schemas import validate

DOC_A = (
    "أعلنت الوزارة عن برنامج «رقمنة القرى» بكلفة 200 مليون درهم. "
    "ويهدف برنامج رقمنة القرى إلى ربط 3000 قرية في أفق 2028."
)
DOC_B = (
    "قال المدير إن الصندوق الوطني للابتكار رصد 200 مليون درهم للشركات الناشئة. "
    "كما سيمول الصندوق 150 مقاولة بحلول 2027، ضمن برنامج رقمنة القرى."
)


def _span(text: str, quote: str, nth: int = 0) -> tuple[int, int]:
    at = -1
    for _ in range(nth + 1):
        at = text.index(quote, at + 1)
    return at, at + len(quote)


def _documents() -> pd.DataFrame:
    rows = []
    for doc_id, text, title, outlet in (
        ("a", DOC_A, "رقمنة القرى", "جريدة الأولى"),
        ("b", DOC_B, "صندوق الابتكار", "موقع الثانية"),
    ):
        rows.append({
            "doc_id": doc_id, "file": f"{doc_id}.txt", "text": text, "title": title, "place": "",
            "published": "2025-01-02", "url": f"https://example.org/{doc_id}", "outlet": outlet,
            "n_chars": len(text), "sha256": "0" * 64, "encoding": "utf-8", "format": "txt",
        })
    return validate(pd.DataFrame(rows), "documents")


def _figure(doc_id, text, quote, value, unit, what, initiative_id, target_year="", nth=0):
    start, end = _span(text, quote, nth)
    sentence = next(
        s.strip() + ("." if not s.strip().endswith(".") else "")
        for s in text.split(". ") if quote in s
    )
    return {
        "doc_id": doc_id, "value": value, "unit": unit, "what": what, "quote": quote, "start": start,
        "end": end, "sentence": sentence, "qualifier": "", "is_target": bool(target_year),
        "target_year": target_year, "initiative_id": initiative_id, "bound": "", "rule": "test",
        "measure": "", "subject": "", "time_role": "target" if target_year else "reported", "year": target_year,
        "confidence": 1.0,
    }


def _figures() -> pd.DataFrame:
    rows = [
        _figure("a", DOC_A, "200 مليون درهم", 200e6, "MAD", "كلفة", "rqmnt-alqura"),
        _figure("a", DOC_A, "3000 قرية", 3000.0, "count", "قرية", "rqmnt-alqura", "2028"),
        _figure("b", DOC_B, "200 مليون درهم", 200e6, "MAD", "", "sunduq"),
        _figure("b", DOC_B, "150 مقاولة", 150.0, "count", "مقاولة", "sunduq", "2027"),
    ]
    return validate(pd.DataFrame(rows), "figures")


def _entity(doc_id, text, quote, kind, canonical, nth=0):
    start, end = _span(text, quote, nth)
    return {"doc_id": doc_id, "kind": kind, "text": quote, "canonical": canonical, "role": "",
            "start": start, "end": end, "rule": "test", "name": quote, "head": "", "organization": "",
            "aliases": "", "confidence": 1.0}


def _entities() -> pd.DataFrame:
    rows = [
        _entity("a", DOC_A, "رقمنة القرى", "initiative", "rqmnt-alqura", 0),
        _entity("a", DOC_A, "رقمنة القرى", "initiative", "rqmnt-alqura", 1),
        _entity("b", DOC_B, "الصندوق الوطني للابتكار", "initiative", "sunduq"),
        _entity("b", DOC_B, "رقمنة القرى", "initiative", "رقمنه القري"),  # other canonical spelling
        _entity("b", DOC_B, "المدير", "person", "rqmnt-alqura"),  # people never count as mentions
    ]
    return validate(pd.DataFrame(rows), "entities")


def _initiatives() -> pd.DataFrame:
    rows = [
        {"initiative_id": "rqmnt-alqura", "name": "رقمنة القرى", "kind": "programme",
         "aliases": "برنامج رقمنة القرى", "organizations": "", "first_date": "", "doc_ids": "a|b",
         "n_mentions": 3, "lead": "", "partners": "", "place": "", "latest_date": ""},
        {"initiative_id": "sunduq", "name": "الصندوق الوطني للابتكار", "kind": "fund",
         "aliases": "", "organizations": "", "first_date": "", "doc_ids": "b", "n_mentions": 1, "lead": "", "partners": "", "place": "",
         "latest_date": ""},
    ]
    return validate(pd.DataFrame(rows), "initiatives")


@pytest.mark.parametrize(
    ("kwargs", "expected_quotes"),
    [
        pytest.param({}, ["200 مليون درهم", "3000 قرية", "200 مليون درهم", "150 مقاولة"], id="no-filter"),
        pytest.param({"initiative": "sunduq"}, ["200 مليون درهم", "150 مقاولة"], id="initiative-id"),
        pytest.param({"unit": "mad"}, ["200 مليون درهم", "200 مليون درهم"], id="unit-ignores-case"),
        pytest.param({"unit": ["count", "USD"]}, ["3000 قرية", "150 مقاولة"], id="unit-list"),
        pytest.param({"doc_id": "a"}, ["200 مليون درهم", "3000 قرية"], id="document"),
        pytest.param({"kind": "fund", "initiatives": _initiatives()}, ["200 مليون درهم", "150 مقاولة"],
                     id="initiative-kind"),
        pytest.param({"target_year": 2027}, ["150 مقاولة"], id="target-year-int"),
        pytest.param({"target_year": "2028"}, ["3000 قرية"], id="target-year-str"),
        pytest.param({"unit": "count", "doc_id": "b"}, ["150 مقاولة"], id="filters-combine"),
        pytest.param({"target_year": 1999}, [], id="nothing-matches"),
        pytest.param({"is_target": True}, ["3000 قرية", "150 مقاولة"], id="targets-only"),
        pytest.param({"is_target": False, "unit": "MAD"}, ["200 مليون درهم", "200 مليون درهم"], id="facts-only"),
    ],
)
def test_filter_figures(kwargs, expected_quotes):
    assert list(explore.filter_figures(_figures(), **kwargs)["quote"]) == expected_quotes


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("rqmnt-alqura", id="by-id"),
        pytest.param("رقمنة القرى", id="by-name"),
        pytest.param("رقمنه القري", id="by-name-letter-variants"),
        pytest.param("برنامج رقمنة القرى", id="by-alias"),
        pytest.param("رقمنة", id="by-unique-part"),
    ],
)
def test_filter_figures_by_initiative_name(query):
    chosen = explore.filter_figures(_figures(), initiative=query, initiatives=_initiatives())
    assert list(chosen.index) == [0, 1]


def test_resolve_initiative_rejects_unknown_names():
    with pytest.raises(KeyError):
        explore.resolve_initiative("مبادرة لا وجود لها", _initiatives())


def test_filter_keeps_index_for_sources():
    chosen = explore.filter_figures(_figures(), doc_id="b")
    assert list(chosen.index) == [2, 3]


def test_most_mentioned():
    assert explore.most_mentioned(_initiatives()) == ["rqmnt-alqura"]
    assert explore.most_mentioned(_initiatives(), n=5) == ["rqmnt-alqura", "sunduq"]
    assert explore.most_mentioned(_initiatives().iloc[0:0]) == []


def test_initiative_overview_counts_figures_and_documents():
    overview = explore.initiative_overview(_initiatives(), _figures())
    assert overview[["initiative_id", "n_mentions", "n_documents", "n_figures"]].values.tolist() == [
        ["rqmnt-alqura", 3, 2, 2],
        ["sunduq", 1, 1, 2],
    ]


def test_mentions_with_sentences():
    found = explore.mentions("rqmnt-alqura", _entities(), _documents(), _initiatives())
    assert list(found.columns) == list(explore.MENTION_COLUMNS)
    assert list(found["doc_id"]) == ["a", "a", "b"]
    assert found["sentence"].tolist() == [
        "أعلنت الوزارة عن برنامج «رقمنة القرى» بكلفة 200 مليون درهم.",
        "ويهدف برنامج رقمنة القرى إلى ربط 3000 قرية في أفق 2028.",
        "كما سيمول الصندوق 150 مقاولة بحلول 2027، ضمن برنامج رقمنة القرى.",
    ]
    docs = _documents().set_index("doc_id")["text"]
    for row in found.itertuples():
        assert docs[row.doc_id][row.start : row.end] == row.quote
        assert docs[row.doc_id][row.sentence_start : row.sentence_start + len(row.sentence)] == row.sentence


def test_mentions_without_initiatives_table_uses_canonical_only():
    found = explore.mentions("rqmnt-alqura", _entities(), _documents())
    assert list(found["doc_id"]) == ["a", "a"]


def test_mentions_of_unknown_initiative_is_empty_with_columns():
    found = explore.mentions("none", _entities(), _documents(), _initiatives())
    assert found.empty and list(found.columns) == list(explore.MENTION_COLUMNS)


def test_sources_of_a_number_across_documents():
    sources = explore.sources_of(0, _figures(), _documents())
    assert list(sources.columns) == list(explore.SOURCE_COLUMNS)
    assert list(sources["doc_id"]) == ["a", "b"]
    assert list(sources["outlet"]) == ["جريدة الأولى", "موقع الثانية"]
    assert sources["verified"].all()
    assert (sources["start"] >= sources["sentence_start"]).all()


@pytest.mark.parametrize(
    "figure",
    [pytest.param(3, id="index-label"), pytest.param("row", id="series-row"), pytest.param("dict", id="mapping")],
)
def test_sources_of_only_the_figure(figure):
    figures = _figures()
    if figure == "row":
        figure = figures.loc[3]
    elif figure == "dict":
        figure = figures.loc[3].to_dict()
    sources = explore.sources_of(figure, figures, _documents(), same_number=False)
    assert sources["quote"].tolist() == ["150 مقاولة"]
    assert sources["url"].tolist() == ["https://example.org/b"]


def test_sources_flags_a_quote_that_does_not_match_its_offsets():
    figures = _figures()
    figures.loc[1, "start"] += 1
    sources = explore.sources_of_value(3000, "count", figures, _documents())
    assert sources["verified"].tolist() == [False]


def test_sentence_start_points_at_the_repeated_number():
    text = "سجل 5 مشاريع في 5 جهات."
    df = pd.DataFrame([{"doc_id": "x", "quote": "5", "start": 16, "end": 17, "sentence": text}])
    docs = pd.DataFrame([{"doc_id": "x", "text": "مقدمة. " + text}])
    df["start"] += len("مقدمة. ")
    df["end"] += len("مقدمة. ")
    assert explore.with_sentence_start(df, docs)["sentence_start"].tolist() == [len("مقدمة. ")]



def test_with_sentences_adds_the_sentence_of_each_entity():
    shown = explore.with_sentences(_entities(), _documents())
    assert shown.loc[2, "sentence"] == "قال المدير إن الصندوق الوطني للابتكار رصد 200 مليون درهم للشركات الناشئة."
    assert shown.loc[2, "sentence_start"] == 0
    assert shown.loc[1, "sentence_start"] == DOC_A.index("ويهدف")


def test_top_initiative_and_empty_corpus():
    assert explore.top_initiative(_initiatives()) == "rqmnt-alqura"
    assert explore.top_initiative(_initiatives().iloc[0:0]) == ""


def test_most_repeated_figure():
    assert explore.most_repeated_figure(_figures()) == 0
    assert explore.most_repeated_figure(_figures().iloc[[3, 1]]) == 3
    assert explore.most_repeated_figure(_figures().iloc[0:0]) is None


def test_sources_of_nothing_is_an_empty_table():
    sources = explore.sources_of(None, _figures(), _documents())
    assert sources.empty and list(sources.columns) == list(explore.SOURCE_COLUMNS)


@pytest.mark.parametrize(
    ("call", "expected_words"),
    [
        pytest.param(lambda: explore.sources_of(12, _figures(), _documents()), ["no figure with row label 12", "labels"],
                     id="row-label-past-the-end"),
        pytest.param(lambda: explore.sources_of("x", _figures(), _documents()), ["no figure with row label 'x'"],
                     id="label-of-the-wrong-type"),
        pytest.param(lambda: explore.sources_of(0, _documents(), _documents()), ["figures has no column"],
                     id="tables-swapped"),
        pytest.param(lambda: explore.filter_figures("figures.csv", unit="MAD"), ["must be the figures table", "str"],
                     id="file-name-instead-of-table"),
        pytest.param(lambda: explore.resolve_initiative("مبادرة لا وجود لها", _initiatives()), ["no initiative named"],
                     id="unknown-initiative"),
    ],
)
def test_bad_arguments_are_answered_in_one_line(call, expected_words):
    with pytest.raises(explore.ExploreError) as caught:
        call()
    message = str(caught.value)
    assert "\n" not in message and all(w in message for w in expected_words), message
    assert caught.value._render_traceback_() == [f"\x1b[31mExploreError\x1b[0m: {message}"]


def test_initiative_name_falls_back_to_the_id():
    assert explore.initiative_name("sunduq", _initiatives()) == _initiatives().set_index("initiative_id").loc["sunduq", "name"]
    assert explore.initiative_name("nothing-here", _initiatives()) == "nothing-here"
