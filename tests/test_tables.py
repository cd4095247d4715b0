"""Analyst tables from small hand-made extraction tables."""
from __future__ import annotations

import pandas as pd
import pytest

from policybrief import schemas, tables
from policybrief.paths import OutputLayout
from policybrief.schemas import ANALYST

DOC_A = "أطلقت وزارة الفلاحة برنامج الري الذكي بمدينة مكناس. ويهدف البرنامج إلى تجهيز 3000 ضيعة في أفق سنة 2028."
DOC_B = "قالت شركة AgriData إن برنامج الري الذكي سيغطي 2500 ضيعة بحلول 2028. وانطلق البرنامج في مارس 2024."


def _figure(doc_id, value, unit, what, quote, start, initiative_id, is_target=False, year="", qualifier=""):
    return {
        "doc_id": doc_id, "value": float(value), "unit": unit, "what": what, "quote": quote, "start": start,
        "end": start + len(quote), "sentence": quote, "qualifier": qualifier, "is_target": is_target,
        "target_year": year, "initiative_id": initiative_id, "bound": "", "rule": "test",
    }


def _entity(doc_id, kind, text, doc_text, role=""):
    start = doc_text.index(text)
    return {"doc_id": doc_id, "kind": kind, "text": text, "canonical": text, "role": role, "start": start,
            "end": start + len(text), "rule": "test"}


@pytest.fixture
def extracted():
    documents = schemas.empty_frame("documents")
    documents = pd.DataFrame([
        {**{c: "" for c in schemas.column_names("documents")}, "doc_id": "a", "text": DOC_A, "place": "الرباط", "n_chars": len(DOC_A)},
        {**{c: "" for c in schemas.column_names("documents")}, "doc_id": "b", "text": DOC_B, "place": "", "n_chars": len(DOC_B)},
    ])
    initiatives = pd.DataFrame([{
        "initiative_id": "smart-irrigation", "name": "برنامج الري الذكي", "kind": "programme", "aliases": "",
        "organizations": "AgriData|وزارة الفلاحة", "first_date": "2024-03", "doc_ids": "a|b", "n_mentions": 3,
    }, {
        "initiative_id": "lonely", "name": "صندوق الابتكار", "kind": "fund", "aliases": "", "organizations": "",
        "first_date": "", "doc_ids": "", "n_mentions": 0,
    }])
    figures = pd.DataFrame([
        _figure("a", 3000, "count", "ضيعة", "3000 ضيعة", DOC_A.index("3000"), "smart-irrigation", True, "2028"),
        _figure("b", 2500, "count", "ضيعة", "2500 ضيعة", DOC_B.index("2500"), "smart-irrigation", True, "2028"),
    ])
    dates = pd.DataFrame([
        {"doc_id": "a", "iso": "2028", "precision": "year", "quote": "سنة 2028", "start": DOC_A.index("سنة 2028"),
         "end": DOC_A.index("سنة 2028") + 8, "what": "target", "sentence": "", "rule": "test", "initiative_id": "smart-irrigation"},
        {"doc_id": "b", "iso": "2024-03", "precision": "month", "quote": "مارس 2024", "start": DOC_B.index("مارس"),
         "end": DOC_B.index("مارس") + 9, "what": "event", "sentence": "وانطلق البرنامج في مارس 2024.", "rule": "test",
         "initiative_id": "smart-irrigation"},
    ])
    entities = pd.DataFrame([
        _entity("a", "organization", "وزارة الفلاحة", DOC_A),
        _entity("a", "initiative", "برنامج الري الذكي", DOC_A),
        _entity("a", "place", "مكناس", DOC_A),
        _entity("b", "organization", "AgriData", DOC_B),
        _entity("b", "initiative", "برنامج الري الذكي", DOC_B),
    ])
    return {"documents": documents, "initiatives": initiatives, "figures": figures, "dates": dates, "entities": entities}


def test_initiatives_table_row(extracted):
    table = tables.build_tables(extracted)["table_initiatives"]
    row = table.set_index("initiative_id").loc["smart-irrigation"]
    assert row["lead_organizations"] == "وزارة الفلاحة"
    assert row["partner_organizations"] == "AgriData"
    assert (row["first_date"], row["latest_date"]) == ("2024-03", "2024-03")
    assert row["place"] == "مكناس"
    assert row["targets"] == "3000 ضيعة (2028)|2500 ضيعة (2028)"
    assert row["n_sources"] == 2 and row["doc_ids"] == "a|b"
    assert bool(row["has_conflict"]) is True


def test_initiative_without_anything_still_listed(extracted):
    table = tables.build_tables(extracted)["table_initiatives"].set_index("initiative_id")
    assert table.loc["lonely", "n_sources"] == 0
    assert table.loc["lonely", "figures"] == "" and not table.loc["lonely", "has_conflict"]


def test_conflict_flags_both_sources(extracted):
    built = tables.build_tables(extracted)
    conflicts = built["table_conflicts"]
    assert len(conflicts) == 1
    assert conflicts.loc[0, "doc_ids"] == "a|b"
    assert conflicts.loc[0, "values"] == "3000 ضيعة (2028) [a]|2500 ضيعة (2028) [b]"
    assert built["table_key_figures"]["conflict"].tolist() == [True, True]


@pytest.mark.parametrize(
    "second, expected",
    [
        pytest.param(dict(doc_id="b", value=3000), False, id="same-value-agrees"),
        pytest.param(dict(doc_id="a", value=2500), False, id="same-document-not-a-conflict"),
        pytest.param(dict(doc_id="b", value=2500, what="مهندس"), False, id="different-what-different-thing"),
        pytest.param(dict(doc_id="b", value=2500, what=""), True, id="empty-what-may-be-same-thing"),
        pytest.param(dict(doc_id="b", value=2500, year="2030"), False, id="different-year"),
        pytest.param(dict(doc_id="b", value=2500, year=""), True, id="unstated-year-may-be-same"),
        pytest.param(dict(doc_id="b", value=2500, is_target=False, year=""), False, id="target-vs-current-value"),
        pytest.param(dict(doc_id="b", value=2500, unit="MAD"), False, id="different-unit"),
        pytest.param(dict(doc_id="b", value=2500, initiative_id=""), False, id="no-initiative"),
    ],
)
def test_conflict_rules(extracted, second, expected):
    base = dict(doc_id="a", value=3000, unit="count", what="ضيعة", quote="x", start=0,
                initiative_id="smart-irrigation", is_target=True, year="2028")
    figures = pd.DataFrame([_figure(**base), _figure(**{**base, **second})])
    assert (len(tables.value_conflicts(figures, extracted["initiatives"])) == 1) is expected


def test_actors_roles_and_initiatives(extracted):
    entities = pd.concat([extracted["entities"], pd.DataFrame([
        {"doc_id": "b", "kind": "person", "text": "سلمى العلوي", "canonical": "سلمى العلوي", "role": "مديرة البرنامج",
         "start": 0, "end": 11, "rule": "test"},
    ])], ignore_index=True)
    actors = tables.actors_table(entities, extracted["initiatives"], extracted["documents"]).set_index("actor")
    assert actors.loc["وزارة الفلاحة", "initiatives"] == "برنامج الري الذكي"
    assert actors.loc["AgriData", "kind"] == "organization"
    assert actors.loc["سلمى العلوي", "roles"] == "مديرة البرنامج"
    assert "مكناس" not in actors.index  # places are not actors


def test_timeline_rows(extracted):
    timeline = tables.build_tables(extracted)["table_timeline"]
    assert timeline["date"].tolist() == ["2024-03", "2028", "2028"]
    assert timeline["kind"].tolist() == ["event", "target", "target"]
    assert timeline.loc[0, "label"] == "برنامج الري الذكي"
    # the target date of document a is covered by its target figure: no extra row
    assert sorted(timeline.loc[1:, "label"]) == ["2500 ضيعة", "3000 ضيعة"]


def test_key_figures_carry_source(extracted):
    key = tables.build_tables(extracted)["table_key_figures"]
    for row in key.itertuples():
        text = DOC_A if row.doc_id == "a" else DOC_B
        assert text[row.start:row.end] == row.quote
    assert set(key["value_text"]) == {"3000 ضيعة", "2500 ضيعة"}


def test_empty_corpus_gives_empty_tables():
    built = tables.build_tables({})
    assert set(built) == {"table_initiatives", "table_actors", "table_key_figures", "table_timeline", "table_conflicts"}
    assert all(df.empty for df in built.values())
    assert list(built["table_initiatives"].columns) == list(tables.INITIATIVES_TABLE)


def test_dates_without_initiative_column(extracted):
    dates = extracted["dates"].drop(columns=["initiative_id"])
    timeline = tables.timeline_table(dates, extracted["figures"], extracted["initiatives"])
    event = timeline[timeline["kind"] == "event"].iloc[0]
    assert event["initiative_id"] == "" and event["label"] == "وانطلق البرنامج في مارس 2024."


@pytest.mark.parametrize(
    "lead, partners, organizations, expected",
    [
        pytest.param("", "", "Onepoint|وزارة الصناعة", (["وزارة الصناعة"], ["Onepoint"]), id="public-body-leads"),
        pytest.param("", "", "Onepoint|Atos", ([], ["Onepoint", "Atos"]), id="no-public-body-no-lead"),
        pytest.param("Atos", "", "Onepoint|Atos", (["Atos"], ["Onepoint"]), id="stated-lead-wins"),
        pytest.param("", "Onepoint", "Onepoint|Atos|وزارة", (["وزارة"], ["Onepoint", "Atos"]), id="stated-partner"),
        pytest.param("", "", "", ([], []), id="no-organisations"),
    ],
)
def test_lead_and_partners(lead, partners, organizations, expected):
    row = pd.Series({"organizations": organizations, "lead": lead, "partners": partners})
    assert tables.lead_and_partners(row) == expected


def test_extractor_place_and_latest_date_used(extracted):
    initiatives = extracted["initiatives"].assign(place=["طنجة", ""], latest_date=["2027-01", ""],
                                                  lead=["", ""], partners=["", ""])
    table = tables.initiatives_table(initiatives, extracted["figures"], extracted["dates"], extracted["entities"],
                                     extracted["documents"]).set_index("initiative_id")
    assert table.loc["smart-irrigation", "place"] == "طنجة"
    assert table.loc["smart-irrigation", "latest_date"] == "2027-01"


def test_tables_survive_a_csv_round_trip(extracted, tmp_path):
    from policybrief import store

    built = tables.build_tables(extracted)
    layout = OutputLayout(tmp_path)
    for name in ANALYST:
        store.write_table(name, built[name], layout)
        back = store.read_table(name, layout)
        pd.testing.assert_frame_equal(back, built[name], check_dtype=False, check_index_type=False)
    assert store.read_table("table_key_figures", layout)["conflict"].dtype == bool


@pytest.mark.parametrize(
    "rows, expected",
    [
        pytest.param([("2025-05-02", "dateline", ""), ("2025-05-02", "relative", "smart-irrigation")],
                     [("2025-05-02", "برنامج الري الذكي")], id="dateline-covered-by-linked-event"),
        pytest.param([("2025-05-02", "dateline", "")], [("2025-05-02", "عنوان المقال")], id="lone-dateline-titled"),
        pytest.param([("2025-05", "event", ""), ("2025-05", "event", "smart-irrigation")],
                     [("2025-05", "برنامج الري الذكي")], id="unlinked-event-covered"),
        pytest.param([("2026", "target", "")], [("2026", "جملة الهدف")], id="unlinked-target-kept"),
    ],
)
def test_timeline_keeps_the_row_that_says_most(extracted, rows, expected):
    dates = pd.DataFrame([{"doc_id": "a", "iso": iso, "precision": "day", "quote": iso, "start": 0, "end": 1,
                           "what": what, "sentence": "جملة الهدف", "rule": "t", "initiative_id": iid}
                          for iso, what, iid in rows])
    documents = extracted["documents"].assign(title=["عنوان المقال", ""])
    timeline = tables.timeline_table(dates, extracted["figures"].iloc[0:0], extracted["initiatives"], documents)
    assert list(zip(timeline["date"], timeline["label"])) == expected


def test_actor_shown_in_citation_form(extracted):
    entities = pd.DataFrame([
        {"doc_id": "a", "kind": "organization", "text": "لوزارة الفلاحة", "canonical": "وزارة الفلاحة", "role": "",
         "start": 0, "end": 1, "rule": "t", "name": "وزارة الفلاحة"},
        {"doc_id": "b", "kind": "organization", "text": "وزارة الفلاحة", "canonical": "وزارة الفلاحة", "role": "",
         "start": 0, "end": 1, "rule": "t", "name": ""},
    ])
    actors = tables.actors_table(entities, extracted["initiatives"])
    assert actors["actor"].tolist() == ["وزارة الفلاحة"]
    assert actors.loc[0, "n_mentions"] == 2 and actors.loc[0, "initiatives"] == "برنامج الري الذكي"


def test_same_range_in_two_documents_agrees(extracted):
    base = dict(unit="count", what="ضيعة", quote="x", start=0, initiative_id="smart-irrigation")
    rows = [_figure(doc_id=d, value=v, **base) | {"bound": b} for d in ("a", "b") for v, b in ((3, "low"), (5, "high"))]
    assert tables.value_conflicts(pd.DataFrame(rows), extracted["initiatives"]).empty
