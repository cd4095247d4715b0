"""Initiatives across documents and the figure / date links, on articles written for these tests."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from policybrief.extract.entities import extract_entities
from policybrief.extract.initiatives import (
    build_initiatives,
    initiative_id,
    initiative_kind,
)
from policybrief.schemas import column_names


def _figures(doc_id: str, text: str, quotes: list[str]) -> pd.DataFrame:
    rows = []
    for quote in quotes:
        start = text.index(quote)
        row = {c: "" for c in column_names("figures")}
        row.update(doc_id=doc_id, value=1.0, unit="count", quote=quote, start=start, end=start + len(quote),
                   is_target=False)
        rows.append(row)
    return pd.DataFrame(rows, columns=column_names("figures"))


def _dates(doc_id: str, text: str, items: list[tuple[str, str, str]]) -> pd.DataFrame:
    rows = []
    for quote, iso, what in items:
        start = text.index(quote)
        row = {c: "" for c in column_names("dates")}
        row.update(doc_id=doc_id, iso=iso, precision={4: "year", 7: "month"}.get(len(iso), "day"), quote=quote,
                   start=start, end=start + len(quote), what=what)
        rows.append(row)
    return pd.DataFrame(rows, columns=column_names("dates"))


def _build(docs: dict[str, str], figures: dict[str, list[str]] | None = None,
           dates: dict[str, list[tuple[str, str, str]]] | None = None):
    entities = pd.concat([extract_entities(d, t) for d, t in docs.items()], ignore_index=True)
    figs = pd.concat([_figures(d, docs[d], q) for d, q in (figures or {}).items()] or [_figures("x", "", [])],
                     ignore_index=True)
    dts = pd.concat([_dates(d, docs[d], q) for d, q in (dates or {}).items()] or [_dates("x", "", [])],
                    ignore_index=True)
    documents = pd.DataFrame({"doc_id": list(docs), "text": list(docs.values())})
    return build_initiatives(entities, dts, figs, documents)


def _names(table: pd.DataFrame) -> dict[str, str]:
    return dict(zip(table["initiative_id"], table["name"]))


ARTICLE = (
    "أطلقت وزارة الشباب والثقافة والتواصل، تحت رعاية مجلس جهة سوس ماسة، برنامج “Gaming Sous 2027” بأكادير، "
    "ويستهدف البرنامج تكوين 800 شاب في تطوير الألعاب.\n"
    "وفي سياق متصل، وقعت مذكرة تفاهم في مارس 2025 بين وكالة التنمية الرقمية وشركة Pixel Forge، "
    "لإحداث مختبر “Forge Lab Agadir” بكلفة 12 مليون درهم.\n"
    "وسيتم إنشاء مركز جهوي للصناعات الإبداعية بمدينة تارودانت. وسيوفر المركز 150 منصب شغل في أفق 2028.\n"
    "وتراهن الجهة على استراتيجية “سوس الرقمية 2030”، التي رصدت لها الجهة 90 مليون درهم. "
    "وتشمل المرحلة الأولى 40 مقاولة ناشئة."
)


@pytest.fixture(scope="module")
def built():
    figures = {"a": ["800 شاب", "12 مليون درهم", "150 منصب شغل", "90 مليون درهم", "40 مقاولة ناشئة"]}
    dates = {"a": [("مارس 2025", "2025-03", "event"), ("2028", "2028", "target")]}
    return _build({"a": ARTICLE}, figures, dates)


FIGURE_LINKS = [
    pytest.param("800 شاب", "Gaming Sous 2027", id="same-sentence-programme"),
    pytest.param("12 مليون درهم", "Forge Lab Agadir", id="same-clause-lab"),
    pytest.param("150 منصب شغل", "مركز جهوي للصناعات الإبداعية", id="back-reference-to-unnamed-centre"),
    pytest.param("90 مليون درهم", "سوس الرقمية 2030", id="same-sentence-strategy"),
    pytest.param("40 مقاولة ناشئة", "سوس الرقمية 2030", id="paragraph-fallback"),
]


@pytest.mark.parametrize("quote, name", FIGURE_LINKS)
def test_figures_link_to_the_initiative_they_are_about(built, quote: str, name: str) -> None:
    table, figures, _ = built
    iid = figures.loc[figures["quote"] == quote, "initiative_id"].item()
    assert _names(table)[iid] == name


def test_a_figure_with_no_initiative_nearby_stays_unlinked() -> None:
    text = "وارتفع عدد السياح إلى 3 ملايين خلال الفصل الأول حسب الأرقام الرسمية."
    _, figures, _ = _build({"b": text}, {"b": ["3 ملايين"]})
    assert figures["initiative_id"].tolist() == [""]


@pytest.mark.parametrize("name, kind", [
    pytest.param("Gaming Sous 2027", "programme", id="programme-head"),
    pytest.param("Forge Lab Agadir", "lab", id="lab-head"),
    pytest.param("مركز جهوي للصناعات الإبداعية", "centre", id="unnamed-centre"),
    pytest.param("سوس الرقمية 2030", "strategy", id="strategy-head"),
])
def test_initiative_kind(built, name: str, kind: str) -> None:
    table = built[0]
    assert table.loc[table["name"] == name, "kind"].item() == kind


@pytest.mark.parametrize("head, name, kind", [
    pytest.param("", "Casablanca Fintech Summit", "event", id="latin-event-word"),
    pytest.param("", "Rabat Data Fund", "fund", id="latin-fund-word"),
    pytest.param("", "رؤية 2035", "strategy", id="year-only"),
    pytest.param("مناظره", "المناظرة الوطنية", "event", id="arabic-event-head"),
    pytest.param("", "Nour", "other", id="nothing-known"),
])
def test_initiative_kind_rules(head: str, name: str, kind: str) -> None:
    assert initiative_kind(head, name) == kind


def test_lead_and_partners(built) -> None:
    table = built[0]
    programme = table[table["name"] == "Gaming Sous 2027"].iloc[0]
    assert programme["lead"] == "مجلس جهة سوس ماسة"
    assert "وزارة الشباب والثقافة والتواصل" in programme["organizations"].split("|")
    lab = table[table["name"] == "Forge Lab Agadir"].iloc[0]
    assert set(lab["partners"].split("|")) == {"وكالة التنمية الرقمية", "Pixel Forge"}


def test_partner_cue() -> None:
    text = "وأطلقت الجامعة منصة “Tadrib” بشراكة مع المكتب الوطني للسياحة لفائدة الطلبة."
    table, _, _ = _build({"c": text})
    row = table[table["name"] == "Tadrib"].iloc[0]
    assert row["partners"] == "المكتب الوطني للسياحة"
    assert row["lead"] == ""


def test_place_prefers_city_or_region(built) -> None:
    table = built[0]
    assert table.loc[table["name"] == "Gaming Sous 2027", "place"].item() == "أكادير"


def test_dates_get_initiative_ids_and_first_date_skips_targets(built) -> None:
    table, _, dates = built
    assert "initiative_id" in dates.columns
    lab_id = table.loc[table["name"] == "Forge Lab Agadir", "initiative_id"].item()
    assert dates.loc[dates["quote"] == "مارس 2025", "initiative_id"].item() == lab_id
    lab = table[table["initiative_id"] == lab_id].iloc[0]
    assert (lab["first_date"], lab["latest_date"]) == ("2025-03", "2025-03")


def test_initiatives_group_across_documents_and_scripts() -> None:
    docs = {
        "d1": "وتندرج هذه المشاريع في إطار استراتيجية “Maroc Digital 2030” التي تشرف عليها الوزارة.",
        "d2": "وأكد المتدخلون أهمية الاستراتيجية الوطنية “المغرب الرقمي 2030” في تحديث الإدارة.",
        "d3": "وتواصل الحكومة تنزيل “المغرب الرقمي 2030” عبر مشاريع جهوية.",
    }
    table, _, _ = _build(docs)
    assert len(table) == 1
    row = table.iloc[0]
    assert row["doc_ids"] == "d1|d2|d3"
    assert row["n_mentions"] == 3
    assert row["name"] == "المغرب الرقمي 2030"
    assert row["aliases"] == "Maroc Digital 2030"
    assert row["kind"] == "strategy"


def test_table_columns_and_stable_ascii_ids(built) -> None:
    table = built[0]
    assert list(table.columns) == column_names("initiatives")
    assert all(re.fullmatch(r"ini_[0-9a-f]{10}", i) for i in table["initiative_id"])
    assert initiative_id("maroc ia 2030") == initiative_id("maroc ia 2030") != initiative_id("maroc ia 2031")
    again = _build({"a": ARTICLE}, {"a": ["800 شاب"]})[0]
    assert set(again["initiative_id"]) <= set(table["initiative_id"])


def test_empty_inputs() -> None:
    table, figures, dates = _build({"e": "نص قصير بلا أرقام ولا أسماء."})
    assert table.empty and list(table.columns) == column_names("initiatives")
    assert figures.empty and dates.empty and "initiative_id" in dates.columns
