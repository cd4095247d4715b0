"""``store.write_table`` / ``read_table``: every table checked against the registry, types restored."""
from __future__ import annotations

import pandas as pd
import pytest

from policybrief import store
from policybrief.extract.pipeline import extract_corpus
from policybrief.paths import OutputLayout
from policybrief.schemas import TABLES, SchemaError
from policybrief.changes import diff_tables
from policybrief.review import apply_review, parse_review
from policybrief.review_step import analyst_tables
from policybrief.tables import build_tables

ARTICLE = (
    "الرباط – 3 مارس 2025\n"
    "أعلنت وزارة الانتقال الرقمي عن إطلاق برنامج \"رقمنة القرى\" بكلفة 1.2 مليار درهم، "
    "ويهدف البرنامج إلى ربط 800 قرية بالإنترنت في أفق سنة 2028.\n"
    "وقال المدير العام للوكالة إن نسبة التغطية بلغت \u200f45 في المائة.\n"
)


def _documents() -> pd.DataFrame:
    return pd.DataFrame([{
        "doc_id": "a", "file": "a.txt", "text": ARTICLE, "title": "", "place": "الرباط", "published": "2025-03-03",
        "url": "", "outlet": "", "n_chars": len(ARTICLE), "sha256": "ab" * 32, "encoding": "utf-8", "format": "txt",
    }])


@pytest.fixture(scope="module")
def every_table() -> dict[str, pd.DataFrame]:
    extracted = extract_corpus(_documents())
    index = pd.DataFrame([{"file": "c.png", "title": "عنوان", "alt_text": "وصف", "labels": "أ|ب", "source_note": "",
                           "function": "policybrief.charts.c", "has_data": True, "width_in": 8.0, "sentence": "",
                           "sentence_items": ""}])
    profile = pd.DataFrame([{"doc_id": "a", "country": "MA", "themes": "digital_ai|skills", "first_words": "الرباط – 3 مارس"}])
    checks = pd.DataFrame([{"chart": "timeline", "n_labels": 5, "n_read": 4, "n_unclear": 1, "ok": True, "problems": "",
                            "unclear": "يورو", "note": ""}])
    # The review step's tables: one line of review.csv applied, the changes after dropping one figure.
    lines, _ = parse_review(f"id,action,field,value,note\n{extracted['figures']['id'].iloc[0]},accept,,,checked\n")
    review = apply_review(extracted, lines)
    before = {**extracted, "figures": extracted["figures"].iloc[1:]}
    return {**extracted, **build_tables(extracted), "chart_index": index, "document_profile": profile,
            "label_check": checks,
            **analyst_tables(review.tables), "review_log": review.log, "changes": diff_tables(before, review.tables)}


def test_the_fixture_covers_every_registered_table(every_table):
    assert set(every_table) == {name for name, table in TABLES.items() if table.folder != "input"}
    assert len(every_table["figures"]) >= 3 and len(every_table["table_key_figures"]) >= 3


@pytest.mark.parametrize("name", [pytest.param(n, id=n) for n, t in TABLES.items() if t.folder != "input"])
def test_a_written_table_reads_back_equal_with_its_dtypes(every_table, tmp_path, name):
    layout = OutputLayout(tmp_path)
    path = store.write_table(name, every_table[name], layout)
    assert path.name == TABLES[name].file
    back = store.read_table(name, layout)
    text_columns = [c.name for c in TABLES[name].columns if c.dtype == "string"]
    expected = every_table[name].reset_index(drop=True).astype({c: object for c in text_columns})
    pd.testing.assert_frame_equal(back, expected, check_exact=True)


def test_the_documents_table_keeps_the_exact_text(every_table, tmp_path):
    layout = OutputLayout(tmp_path)
    store.write_table("documents", every_table["documents"], layout)
    assert store.read_table("documents", layout).loc[0, "text"] == ARTICLE  # the RLM mark kept


@pytest.mark.parametrize("change, message", [
    pytest.param(lambda df: df.drop(columns="unit"), "table 'figures': missing column 'unit'", id="missing-column"),
    pytest.param(lambda df: df.assign(note="x"), "table 'figures': unexpected column 'note'", id="extra-column"),
    pytest.param(lambda df: df.assign(start=df["start"].astype(float)), "column 'start' has dtype float64, expected int",
                 id="float-offsets"),
    pytest.param(lambda df: df.assign(is_target=df["is_target"].astype(str)), "column 'is_target' has dtype",
                 id="flag-as-text"),
    pytest.param(lambda df: df.assign(what=None), "column 'what' holds NoneType None", id="missing-text"),
    pytest.param(lambda df: df.assign(rule=""), "column 'rule' is empty in some rows", id="empty-required-text"),
])
def test_a_table_unlike_its_entry_is_refused_naming_table_and_column(every_table, tmp_path, change, message):
    with pytest.raises(SchemaError, match=message):
        store.write_table("figures", change(every_table["figures"]), OutputLayout(tmp_path))
    assert not (tmp_path / "build" / "data" / "figures.csv").exists()


def test_columns_in_another_order_are_written_in_the_registry_order(every_table, tmp_path):
    layout = OutputLayout(tmp_path)
    dates = every_table["dates"]
    store.write_table("dates", dates[list(reversed(dates.columns))], layout)
    assert list(store.read_table("dates", layout).columns) == list(dates.columns)


def test_an_empty_table_is_written_with_its_header(tmp_path):
    layout = OutputLayout(tmp_path)
    store.write_table("table_conflicts", pd.DataFrame(columns=[c.name for c in TABLES["table_conflicts"].columns]), layout)
    assert store.read_table("table_conflicts", layout).empty


def test_a_file_with_a_bad_number_is_refused_naming_the_column(every_table, tmp_path):
    layout = OutputLayout(tmp_path)
    path = store.write_table("figures", every_table["figures"], layout)
    path.write_text(path.read_text(encoding="utf-8").replace(",1200000000.0,", ",مليار,", 1), encoding="utf-8")
    with pytest.raises(SchemaError, match="table 'figures': column 'value' is not float"):
        store.read_table("figures", layout)


def test_a_file_missing_a_column_is_refused(every_table, tmp_path):
    layout = OutputLayout.flat(tmp_path)
    every_table["dates"].drop(columns="rule").to_csv(tmp_path / "dates.csv", index=False)
    with pytest.raises(SchemaError, match="table 'dates': missing column 'rule'"):
        store.read_table("dates", layout)


def test_write_tables_checks_every_table_before_writing_any(every_table, tmp_path):
    layout = OutputLayout(tmp_path)
    with pytest.raises(SchemaError, match="table 'dates': missing column 'iso'"):
        store.write_tables({"figures": every_table["figures"], "dates": every_table["dates"].drop(columns="iso")}, layout)
    assert not store.has_table("figures", layout)
