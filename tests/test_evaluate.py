"""Scoring of extracted tables against gold, on small hand-made frames."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from policybrief import evaluate as ev


def _gold(figures=(), dates=(), entities=(), doc_id="d1"):
    return {doc_id: {"doc_id": doc_id, "published": "", "figures": list(figures), "dates": list(dates),
                     "entities": list(entities)}}


def _fig(value, unit, quote="q", doc_id="d1"):
    return {"doc_id": doc_id, "value": value, "unit": unit, "quote": quote}


def _date(iso, precision, quote="q", doc_id="d1"):
    return {"doc_id": doc_id, "iso": iso, "precision": precision, "quote": quote}


def _ent(text, kind, doc_id="d1"):
    return {"doc_id": doc_id, "text": text, "kind": kind}


def _row(scores, table, kind=""):
    row = scores[(scores.table == table) & (scores.kind == kind)]
    assert len(row) == 1
    return row.iloc[0]


@pytest.mark.parametrize(
    "gold, predicted, expected",
    [
        pytest.param([1, 2], [1, 2], (2, 0, 0, 1.0, 1.0, 1.0), id="perfect"),
        pytest.param([1, 2], [1], (1, 0, 1, 1.0, 0.5, 2 / 3), id="missing"),
        pytest.param([1], [1, 3], (1, 1, 0, 0.5, 1.0, 2 / 3), id="spurious"),
        pytest.param([2, 2], [2], (1, 0, 1, 1.0, 0.5, 2 / 3), id="duplicate-in-gold-must-be-found-twice"),
        pytest.param([2], [2, 2], (1, 1, 0, 0.5, 1.0, 2 / 3), id="duplicate-prediction-is-spurious"),
        pytest.param([], [], (0, 0, 0, 1.0, 1.0, 1.0), id="both-empty-is-perfect"),
        pytest.param([1], [], (0, 0, 1, 0.0, 0.0, 0.0), id="nothing-predicted"),
        pytest.param([], [1], (0, 1, 0, 0.0, 0.0, 0.0), id="nothing-to-find"),
    ],
)
def test_score_table_multiset(gold, predicted, expected):
    result = ev.score_table([{"k": g} for g in gold], [{"k": p} for p in predicted], key=lambda r: r["k"])
    tp, fp, fn, precision, recall, f1 = expected
    assert (result["tp"], result["fp"], result["fn"]) == (tp, fp, fn)
    assert result["precision"] == pytest.approx(precision)
    assert result["recall"] == pytest.approx(recall)
    assert result["f1"] == pytest.approx(f1)


def test_score_table_as_set_counts_repeated_mentions_once():
    result = ev.score_table([{"k": "a"}, {"k": "a"}], [{"k": "a"}], key=lambda r: r["k"], multiset=False)
    assert (result["tp"], result["fp"], result["fn"]) == (1, 0, 0)


def test_score_table_accepts_dataframes():
    gold = pd.DataFrame({"k": [1, 2]})
    result = ev.score_table(gold, pd.DataFrame({"k": [2]}), key=lambda r: r["k"])
    assert (result["tp"], result["fn"]) == (1, 1)


@pytest.mark.parametrize(
    "gold_value, predicted_value, same",
    [
        pytest.param(10_800_000_000, 10_800_000_000.000001, True, id="float-noise"),
        pytest.param(10_800_000_000, 10_800_004_000, True, id="beyond-6-significant-digits"),
        pytest.param(10_800_000_000, 10_810_000_000, False, id="within-6-significant-digits"),
        pytest.param(37, "37.0", True, id="string-value"),
        pytest.param(0.5, 0.5000001, True, id="small-fraction"),
    ],
)
def test_value_key(gold_value, predicted_value, same):
    assert (ev.value_key(gold_value) == ev.value_key(predicted_value)) is same


@pytest.mark.parametrize(
    "gold_text, predicted_text, same",
    [
        pytest.param("JAZARI ROOT", "“JAZARI Root”", True, id="quotes-and-case"),
        pytest.param("الإدارة", "الادارة", True, id="hamza-alef"),
        pytest.param("وزارة الصناعة", " وزارة  الصناعة ", True, id="spaces"),
        pytest.param("جامعة القاضي عياض", "جامعة القاضي عياض\u0640", True, id="tatweel"),
        pytest.param("الرباط", "بالرباط", False, id="clitic-is-not-stripped"),
    ],
)
def test_entity_text_key(gold_text, predicted_text, same):
    assert (ev.entity_text_key(gold_text) == ev.entity_text_key(predicted_text)) is same


def test_score_rows_and_columns():
    gold = _gold(
        figures=[_fig(500, "count"), _fig(37, "percent")],
        dates=[_date("2025-07", "month")],
        entities=[_ent("Mistral AI", "organization"), _ent("أمل الفلاح", "person"), _ent("الرباط", "place")],
    )
    tables = {
        "figures": pd.DataFrame([_fig(500.0, "count"), _fig(37, "MAD")]),
        "dates": pd.DataFrame([_date("2025-07", "month"), _date("2025", "year")]),
        "entities": pd.DataFrame([_ent("mistral ai", "organization"), _ent("أمل الفلاح", "person"),
                                  _ent("أمل الفلاح", "person"), _ent("الرباط", "organization")]),
    }
    scores = ev.score(gold, tables)
    assert list(scores.columns) == ev.SCORE_COLUMNS
    assert list(zip(scores.table, scores.kind)) == [
        ("figures", ""), ("dates", ""), ("entities", "organization"), ("entities", "person"),
        ("entities", "initiative"), ("entities", "place"), ("entities", "organization+person"),
    ]
    assert tuple(_row(scores, "figures")[["tp", "fp", "fn"]]) == (1, 1, 1)
    assert tuple(_row(scores, "dates")[["tp", "fp", "fn"]]) == (1, 1, 0)
    assert tuple(_row(scores, "entities", "organization")[["tp", "fp", "fn"]]) == (1, 1, 0)
    assert tuple(_row(scores, "entities", "place")[["tp", "fp", "fn"]]) == (0, 0, 1)
    assert tuple(_row(scores, "entities", "organization+person")[["tp", "fp", "fn"]]) == (2, 1, 0)
    assert _row(scores, "entities", "initiative").f1 == 1.0


def test_score_ignores_documents_without_gold():
    gold = _gold(figures=[_fig(5, "count")])
    tables = {"figures": pd.DataFrame([_fig(5, "count"), _fig(9, "count", doc_id="other")])}
    assert tuple(_row(ev.score(gold, tables), "figures")[["tp", "fp", "fn"]]) == (1, 0, 0)


def test_score_same_value_in_other_document_does_not_match():
    gold = _gold(figures=[_fig(5, "count")])
    gold.update(_gold(doc_id="d2"))
    tables = {"figures": pd.DataFrame([_fig(5, "count", doc_id="d2")])}
    assert tuple(_row(ev.score(gold, tables), "figures")[["tp", "fp", "fn"]]) == (0, 1, 1)


def test_score_with_empty_tables():
    gold = _gold(figures=[_fig(5, "count")])
    scores = ev.score(gold, {})
    assert tuple(_row(scores, "figures")[["n_predicted", "fn", "f1"]]) == (0, 1, 0.0)
    assert _row(scores, "dates").f1 == 1.0


def test_mismatches_lists_missed_and_spurious_with_quotes():
    gold = _gold(figures=[_fig(2, "count", quote="مشروعين"), _fig(2, "count", quote="مشروعان")],
                 entities=[_ent("Onepoint", "organization")])
    tables = {
        "figures": pd.DataFrame([_fig(2, "count", quote="مشروعين"), _fig(7, "MW", quote="7 ميغاواط")]),
        "entities": pd.DataFrame([_ent("وان بوينت", "organization")]),
    }
    wrong = ev.mismatches(gold, tables)
    assert list(wrong.columns) == ev.MISMATCH_COLUMNS
    got = set(zip(wrong.table, wrong.status, wrong.quote))
    assert got == {
        ("figures", "missed", "مشروعان"),
        ("figures", "spurious", "7 ميغاواط"),
        ("entities", "missed", "Onepoint"),
        ("entities", "spurious", "وان بوينت"),
    }


def test_mismatches_empty_when_perfect():
    gold = _gold(dates=[_date("2030", "year")])
    assert ev.mismatches(gold, {"dates": pd.DataFrame([_date("2030", "year")])}).empty


def _write(tmp_path, doc, text="في سنة 2030 بالرباط", doc_id="d1"):
    (tmp_path / "articles").mkdir(exist_ok=True)
    (tmp_path / "articles" / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    (tmp_path / f"{doc_id}.json").write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")


def test_load_gold_reads_valid_file(tmp_path):
    doc = _gold(dates=[{"iso": "2030", "precision": "year", "quote": "سنة 2030", "what": "event"}],
                entities=[{"kind": "place", "text": "الرباط", "role": ""}])["d1"]
    _write(tmp_path, doc)
    assert ev.load_gold(tmp_path)["d1"]["dates"][0]["iso"] == "2030"


@pytest.mark.parametrize(
    "doc, message",
    [
        pytest.param("{not json", "malformed JSON", id="malformed-json"),
        pytest.param(_gold(dates=[{"iso": "2031", "precision": "year", "quote": "سنة 2031"}])["d1"],
                     "not found in the article", id="quote-not-in-article"),
        pytest.param(_gold(entities=[{"kind": "place", "text": "طنجة"}])["d1"],
                     "not found in the article", id="entity-not-in-article"),
        pytest.param(_gold(dates=[{"iso": "2030", "precision": "month", "quote": "2030"}])["d1"],
                     "does not have precision", id="iso-precision-disagree"),
        pytest.param(_gold(entities=[{"kind": "city", "text": "الرباط"}])["d1"], "kind", id="unknown-kind"),
        pytest.param({"doc_id": "d1", "figures": []}, "missing field", id="missing-field"),
        pytest.param({**_gold()["d1"], "doc_id": "d9"}, "differs from the file stem", id="doc-id-mismatch"),
    ],
)
def test_load_gold_errors_name_the_file(tmp_path, doc, message):
    _write(tmp_path, doc)
    with pytest.raises(ev.GoldError) as err:
        ev.load_gold(tmp_path)
    assert message in str(err.value)
    assert "d1.json" in str(err.value)


def test_load_gold_without_article(tmp_path):
    (tmp_path / "zz.json").write_text(json.dumps(_gold(doc_id="zz")["zz"]), encoding="utf-8")
    with pytest.raises(ev.GoldError, match="no article"):
        ev.load_gold(tmp_path, article_dirs=[tmp_path])


@pytest.mark.parametrize(
    "gold_text, predicted_text, same",
    [
        pytest.param("الوكالة المغربية للتنمية الرقمية", "للوكالة المغربية للتنمية الرقمية", True,
                     id="lam-fused-with-article"),
        pytest.param("الوكالة المغربية", "لوكالة المغربية", False, id="half-fused-is-not-the-name"),
        pytest.param("لجنة التعليم", "جنة التعليم", False, id="lam-of-the-name-kept"),
    ],
)
def test_entity_key_reads_fused_lam_as_article(gold_text, predicted_text, same):
    assert (ev.entity_text_key(gold_text) == ev.entity_text_key(predicted_text)) is same


def test_load_gold_accepts_name_fused_with_preposition(tmp_path):
    doc = _gold(entities=[{"kind": "organization", "text": "الوكالة الوطنية", "role": ""}])["d1"]
    _write(tmp_path, doc, text="قال المدير العام للوكالة الوطنية إن")
    assert ev.load_gold(tmp_path)["d1"]["entities"][0]["text"] == "الوكالة الوطنية"


def test_main_prints_scores(monkeypatch, capsys):
    gold = _gold(figures=[_fig(5, "count")])
    tables = {"figures": pd.DataFrame([_fig(5, "count")])}
    monkeypatch.setattr(ev, "evaluate_dirs", lambda g, s: (ev.score(gold, tables), ev.mismatches(gold, tables)))
    assert ev.main(["gold", "seeds"]) == 0
    out = capsys.readouterr().out
    assert "figures" in out and "organization+person" in out
