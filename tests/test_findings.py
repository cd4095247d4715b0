"""Figures ranked by policy relevance: budgets and dated targets lead; market sizes and past statistics never do."""
from __future__ import annotations

import pandas as pd
import pytest

from policybrief import findings


def _row(sentence, quote, value, unit, what="", is_target=False, target_year="", initiative_id="", **extra):
    return {"doc_id": "d1", "sentence": sentence, "quote": quote, "value": value, "unit": unit, "what": what,
            "is_target": is_target, "target_year": target_year, "initiative_id": initiative_id, "initiative": "",
            "qualifier": "", "conflict": False, "start": 0, "end": 1, **extra}


@pytest.mark.parametrize("row, measure", [
    pytest.param(_row("باستثمارات تقدر بنحو مليار دولار", "مليار دولار", 1e9, "USD"), "استثمارات", id="investment"),
    pytest.param(_row("رصدت الحكومة غلافا ماليا قدره 3 مليارات درهم", "3 مليارات درهم", 3e9, "MAD"), "ميزانية", id="budget"),
    pytest.param(_row("بلغت عائدات القطاع 443 مليون دولار", "443 مليون دولار", 4.43e8, "USD"), "إيرادات", id="revenue"),
    pytest.param(_row("دربت 500 متدرب", "500 متدرب", 500, "count", "متدرب"), "متدرب", id="count-what"),
    pytest.param(_row("x", "x", 1, "USD", measure="بقرض"), "تمويل", id="extractor-measure-word-as-label"),
    pytest.param(_row("x", "x", 1, "USD", measure="لدعم الشركات الناشئة"), "لدعم الشركات الناشئة", id="extractor-phrase-kept"),
])
def test_measure_of(row, measure):
    assert findings.measure_of(row) == measure


@pytest.mark.parametrize("high, low", [
    pytest.param(_row("خصصت الوزارة ميزانية 2 مليار درهم للبرنامج", "2 مليار درهم", 2e9, "MAD", initiative_id="p"),
                 _row("بلغ حجم السوق العالمية 600 مليار دولار", "600 مليار دولار", 6e11, "USD"), id="budget-over-market"),
    pytest.param(_row("تستهدف تدريب 500 ألف متدرب بحلول 2027", "500 ألف متدرب", 5e5, "count", "متدرب", True, "2027"),
                 _row("بلغت البطالة 14 في المائة عام 2019", "14 في المائة", 14, "percent"), id="target-over-past-statistic"),
    pytest.param(_row("سيوفر 3000 فرصة عمل", "3000 فرصة عمل", 3000, "count", "فرصة عمل"),
                 _row("احتل المرتبة 20", "المرتبة 20", 20, "rank"), id="jobs-over-rank"),
    pytest.param(_row("باستثمارات 4 مليارات دولار", "4 مليارات دولار", 4e9, "USD"),
                 _row("بلغت إيرادات الشركات 18 مليار دولار", "18 مليار دولار", 1.8e10, "USD"), id="commitment-over-revenue"),
    pytest.param(_row("x", "5 ملايين درهم", 5e6, "MAD"),
                 _row("x", "9 ملايير درهم", 9e9, "MAD", time_role="historical"), id="extractor-time-role"),
])
def test_relevance_orders_policy_figures_first(high, low):
    assert findings.relevance(high, "2025") > findings.relevance(low, "2025")


def test_past_statistic_needs_years_well_before_the_article():
    row = _row("بلغت البطالة 14 في المائة عام 2024", "14 في المائة", 14, "percent")
    assert not findings.is_historical(row, "2025") and findings.is_historical(row, "2027")


def test_pick_key_figures_at_most_six_two_per_subject_no_conflicts():
    rows = [_row(f"ميزانية {i} مليون درهم", f"{i} مليون درهم", i * 1e6, "MAD", initiative="برنامج", initiative_id="p")
            for i in range(1, 5)]
    rows += [_row(f"استثمارات {i} مليار دولار", f"{i} مليار دولار", i * 1e9, "USD", conflict=i == 9) for i in range(5, 10)]
    ranked = findings.rank_figures(pd.DataFrame(rows), pd.DataFrame({"doc_id": ["d1"], "published": ["2025-01-01"]}))
    picked = findings.pick_key_figures(ranked)
    assert len(picked) <= 6
    assert (picked["subject_label"] == "برنامج").sum() == 2
    assert 9e9 not in picked["value"].tolist()


def test_context_after_quotes_what_follows():
    row = _row("تصل المساهمة إلى 7.7 في المائة من الناتج المحلي، وتدريب الشباب", "7.7 في المائة", 7.7, "percent")
    assert findings.context_after(row) == "من الناتج المحلي"
